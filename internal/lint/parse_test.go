package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

type blockView struct {
	Kind string
	Text string
}

func blocksOf(d *Document) []blockView {
	var out []blockView
	for _, b := range d.Blocks {
		k := b.Kind.String()
		if b.Kind == Heading {
			k += string(rune('0' + b.Level))
		}
		out = append(out, blockView{k, d.BlockText(b)})
	}
	return out
}

type linkView struct {
	URL, Text string
	Kind      LinkKind
	Bare      bool
}

func linksOf(d *Document) []linkView {
	var out []linkView
	for _, l := range d.Links {
		out = append(out, linkView{l.URL, l.Text, l.Kind, l.Bare})
	}
	return out
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format Format
		src    string
		blocks []blockView
		links  []linkView
	}{
		{
			name:   "markdown",
			format: FormatMarkdown,
			src: "# Notice of *Data* Breach\n\nWe are **sorry**. See [our page](https://example.com/a_b \"t\")\nand <https://example.com/x>.\n\n" +
				"- one &amp; two\n- three `code`\n\nWhat Happened\n-------------\n\n> quoted [ref] text\n\n[ref]: https://example.com/ref\n\n```\nskipped code\n```\n",
			blocks: []blockView{
				{"heading1", "Notice of Data Breach"},
				{"paragraph", "We are sorry. See our page and https://example.com/x."},
				{"list item", "one & two"},
				{"list item", "three code"},
				{"heading2", "What Happened"},
				{"paragraph", "quoted ref text"},
			},
			links: []linkView{
				{"https://example.com/a_b", "our page", LinkWeb, false},
				{"https://example.com/x", "https://example.com/x", LinkWeb, false},
				{"https://example.com/ref", "ref", LinkWeb, false},
			},
		},
		{
			name:   "html",
			format: FormatHTML,
			src: `<html><head><title>T</title><style>p{}</style></head><body><h2>What Happened</h2>` +
				`<p>We&rsquo;re sorry.<br>Visit <a href="https://example.com/help">example.com/help</a> or write to <a href="mailto:help@example.com">us</a>.</p>` +
				`<p style="display: none">hidden</p><ul><li>One</li><li>Two <img src="http://cdn.example.net/x.png" alt="x"></li></ul><script>var x = "<p>no</p>";</script></body></html>`,
			blocks: []blockView{
				{"heading2", "What Happened"},
				{"paragraph", "We're sorry."},
				{"paragraph", "Visit example.com/help or write to us."},
				{"list item", "One"},
				{"list item", "Two"},
			},
			links: []linkView{
				{"https://example.com/help", "example.com/help", LinkWeb, false},
				{"help@example.com", "us", LinkEmail, false},
				{"http://cdn.example.net/x.png", "x", LinkImage, false},
			},
		},
		{
			name:   "text",
			format: FormatText,
			src:    "WHAT HAPPENED\n\nOn May 3 a thief\ntook a laptop. Visit northwind.com or\nwrite to help@northwind.com.\n\n• Change your password\n1. Call us\n",
			blocks: []blockView{
				{"heading2", "WHAT HAPPENED"},
				{"paragraph", "On May 3 a thief took a laptop. Visit northwind.com or write to help@northwind.com."},
				{"list item", "Change your password"},
				{"list item", "Call us"},
			},
			links: []linkView{
				{"northwind.com", "northwind.com", LinkWeb, true},
				{"help@northwind.com", "help@northwind.com", LinkEmail, true},
			},
		},
		{
			name:   "text heading opening a paragraph",
			format: FormatText,
			src:    "What You Can Do\nReview your statements.\n",
			blocks: []blockView{{"heading2", "What You Can Do"}, {"paragraph", "Review your statements."}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Parse("n", []byte(tc.src), tc.format)
			if diff := cmp.Diff(tc.blocks, blocksOf(d)); diff != "" {
				t.Errorf("blocks (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.links, linksOf(d)); diff != "" {
				t.Errorf("links (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPositions checks that text offsets map back to the right source
// line and column (in code points) in each format.
func TestPositions(t *testing.T) {
	for _, tc := range []struct {
		name      string
		format    Format
		src, find string
		line, col int
	}{
		{"markdown emphasis", FormatMarkdown, "# Title\n\nSome **bold** words and é **threat actor** here.", "threat actor", 3, 29},
		{"markdown list", FormatMarkdown, "intro\n\n- first\n  - nested hashed", "hashed", 4, 12},
		{"markdown link text", FormatMarkdown, "See [the page](https://x.example) now.", "the page", 1, 6},
		{"html entity", FormatHTML, "<p>caf&eacute; and\n  <b>bcrypt</b></p>", "bcrypt", 2, 6},
		{"html after entity", FormatHTML, "<p>a&amp;b threat</p>", "threat", 1, 12},
		{"text joined lines", FormatText, "one two\nthree four\n\nfive", "four", 2, 7},
		{"crlf", FormatText, "one\r\ntwo three\r\n", "three", 2, 5},
		{"curly quote", FormatText, "We’re sorry today.", "today", 1, 13},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Parse("n", []byte(tc.src), tc.format)
			i := strings.Index(d.Text, tc.find)
			if i < 0 {
				t.Fatalf("%q not in text %q", tc.find, d.Text)
			}
			line, col := d.Position(i)
			if line != tc.line || col != tc.col {
				t.Errorf("position of %q = %d:%d, want %d:%d", tc.find, line, col, tc.line, tc.col)
			}
		})
	}
}

func TestDetectFormat(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      Format
	}{
		{"notice.md", "", FormatMarkdown},
		{"notice.HTML", "", FormatHTML},
		{"notice.txt", "# not markdown", FormatText},
		{"-", "<!DOCTYPE html><p>x</p>", FormatHTML},
		{"-", "# Title\n\ntext", FormatMarkdown},
		{"-", "Dear customer,\n\nplain", FormatText},
	} {
		if got := DetectFormat(tc.name, []byte(tc.src)); got != tc.want {
			t.Errorf("DetectFormat(%q, %q) = %s, want %s", tc.name, tc.src, got, tc.want)
		}
	}
}

// checkDocument verifies the invariants every parse must keep, whatever
// the input.
func checkDocument(t *testing.T, d *Document, src []byte) {
	t.Helper()
	if len(d.offs) != len(d.Text) {
		t.Fatalf("source map has %d entries for %d bytes of text", len(d.offs), len(d.Text))
	}
	for i, o := range d.offs {
		if o < 0 || int(o) > len(src) {
			t.Fatalf("offs[%d] = %d outside source of %d bytes", i, o, len(src))
		}
	}
	prevEnd := 0
	for i, b := range d.Blocks {
		if b.Start < prevEnd || b.End <= b.Start || b.End > len(d.Text) {
			t.Fatalf("block %d [%d,%d) out of order or bounds (prev end %d, text %d)", i, b.Start, b.End, prevEnd, len(d.Text))
		}
		if b.Section >= i {
			t.Fatalf("block %d section %d not before it", i, b.Section)
		}
		prevEnd = b.End
	}
	for _, l := range d.Links {
		if l.Start > l.End || l.End > len(d.Text) || l.Src < 0 || l.Src > len(src) {
			t.Fatalf("link %+v out of bounds", l)
		}
	}
	for _, off := range []int{-1, 0, len(d.Text) / 2, len(d.Text), len(d.Text) + 5} {
		line, col := d.Position(off)
		if line < 1 || col < 1 {
			t.Fatalf("Position(%d) = %d:%d", off, line, col)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/corpus/*")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			// Seeds are the notices' openings: whole notices slow the
			// instrumented engine to a crawl.
			b = b[:min(len(b), 1500)]
			f.Add(b, uint8(0))
			f.Add(b, uint8(1))
			f.Add(b, uint8(2))
		}
	}
	for _, s := range []string{"", "[", "[a](", "<a href=x>", "&#x;&;&amp", "```\n", "# \n---\n", "<!--", "\xff\xfe", "[x]: \n[x]", "{{.Date}}", "a.b. c. D", "http://[::1]/ x@y.z"} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(1))
		f.Add([]byte(s), uint8(2))
	}
	l, err := New(Options{Org: testOrg()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte, which uint8) {
		format := []Format{FormatMarkdown, FormatHTML, FormatText}[int(which)%3]
		d := Parse("fuzz", src, format)
		checkDocument(t, d, src)
		// The parser is fuzzed on every input; the whole linter only on
		// short ones, which keeps the coverage-guided engine moving (on the
		// corpus notices an instrumented lint takes a second or more).
		if len(src) > 2048 {
			return
		}
		res := l.Lint(d)
		if res.Score < 0 || res.Score > 100 {
			t.Fatalf("score %d", res.Score)
		}
		for _, f := range res.Findings {
			if f.Line < 1 || f.Column < 1 {
				t.Fatalf("finding %s at %d:%d", f.Rule, f.Line, f.Column)
			}
			if !utf8.ValidString(f.Excerpt) && utf8.Valid(src) {
				t.Fatalf("excerpt %q is not valid UTF-8", f.Excerpt)
			}
		}
	})
}
