package lint

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
)

func TestRuleCost(t *testing.T) {
	r := &Rule{Points: 10, Repeat: 4, MaxPoints: 20}
	for n, want := range map[int]int{0: 0, 1: 10, 2: 14, 3: 18, 4: 20, 10: 20} {
		if got := r.Cost(n); got != want {
			t.Errorf("Cost(%d) = %d, want %d", n, got, want)
		}
	}
}

// TestScoreExplained checks that every point lost is explained and that
// principle scores follow from the explanation.
func TestScoreExplained(t *testing.T) {
	results, _ := corpusResults(t)
	for _, r := range results {
		lost := map[Principle]int{}
		counts := map[string]int{}
		for _, f := range r.Findings {
			counts[f.Rule]++
		}
		for _, d := range r.Explain {
			lost[d.Principle] += d.Points
			if counts[d.Rule] != d.Findings {
				t.Errorf("%s: explain says %d findings of %s, found %d", r.File, d.Findings, d.Rule, counts[d.Rule])
			}
			delete(counts, d.Rule)
		}
		if len(counts) > 0 {
			t.Errorf("%s: findings with no explanation: %v", r.File, counts)
		}
		for _, p := range Principles() {
			if want := max(0, 100-lost[p]); r.Principles.Get(p) != want {
				t.Errorf("%s: %s = %d, want %d", r.File, p, r.Principles.Get(p), want)
			}
		}
		if diff := cmp.Diff([]Principle{Legal}, r.Unchecked); diff != "" {
			t.Errorf("%s: unchecked (-want +got):\n%s", r.File, diff)
		}
	}
}

func TestScoreCapsAndWeights(t *testing.T) {
	l, err := New(Options{Org: testOrg()})
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("testdata/corpus/excellent.md")
	if err != nil {
		t.Fatal(err)
	}
	clean := l.LintSource("x.md", src, "")
	if clean.Score != 100 || len(clean.Caps) != 0 {
		t.Fatalf("excellent.md: score %d caps %v", clean.Score, clean.Caps)
	}
	// One look-alike link caps an otherwise perfect notice at 40.
	bad := strings.Replace(string(src), "https://northwindoutfitters.com/security", "https://northwind-support.com/security", 1)
	res := l.LintSource("x.md", []byte(bad), "")
	if res.Score != 40 || len(res.Caps) != 1 || res.Caps[0].Rule != "safety-lookalike" {
		t.Errorf("with a look-alike: score %d, caps %v; want 40 capped by safety-lookalike", res.Score, res.Caps)
	}
	// Without jurisdictions the legal principle does not count.
	if clean.Principles.Legal != 100 || len(clean.Unchecked) != 1 {
		t.Errorf("legal %d, unchecked %v", clean.Principles.Legal, clean.Unchecked)
	}
}

func TestConfig(t *testing.T) {
	cfg, err := ParseConfig([]byte("max_grade = 6\nlong_sentence_words = 12\n[rules]\ntransparency-passive = \"off\"\nempathy-apology = \"error\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	res := l.LintSource("x.txt", []byte("Your records were accessed by someone we do not know yet, on a day we cannot name, for reasons still unclear to everyone."), FormatText)
	got := map[string]Severity{}
	for _, f := range res.Findings {
		got[f.Rule] = f.Severity
	}
	if _, ok := got["transparency-passive"]; ok {
		t.Error("transparency-passive is off but fired")
	}
	if got["empathy-apology"] != SeverityError {
		t.Errorf("empathy-apology severity %q, want error", got["empathy-apology"])
	}
	if _, ok := got["clarity-long-sentence"]; !ok {
		t.Error("long_sentence_words = 12 did not flag a 23-word sentence")
	}
	for _, r := range l.Rules() {
		if r.ID == "transparency-passive" {
			t.Error("disabled rule still listed")
		}
	}

	for _, tc := range []struct{ name, src, want string }{
		{"unknown rule", "[rules]\nno-such-rule = \"off\"\n", `unknown rule "no-such-rule"`},
		{"bad severity", "[rules]\nempathy-apology = \"fatal\"\n", `severity "fatal"`},
		{"unknown key", "max_grades = 3\n", `unknown key "max_grades"`},
		{"syntax", "max_grade = \n", "lint config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.src))
			if breach.ErrorCode(err) != breach.EINVALID || !strings.Contains(breach.ErrorMessage(err), tc.want) {
				t.Errorf("err = %v, want EINVALID mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := New(Options{Requirements: []Requirements{{Jurisdiction: "US-XX", Required: []breach.ContentItem{"bogus"}}}}); breach.ErrorCode(err) != breach.EINVALID {
		t.Errorf("unknown content item: err = %v, want EINVALID", err)
	}
}

func TestParseSeverity(t *testing.T) {
	for in, want := range map[string]Severity{"Error": SeverityError, "warn": SeverityWarning, "info": SeveritySuggestion, "off": SeverityOff} {
		if got, err := ParseSeverity(in); err != nil || got != want {
			t.Errorf("ParseSeverity(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseSeverity("loud"); err == nil {
		t.Error("ParseSeverity accepted loud")
	}
}

// twoPage is a realistic two-page notice: the excellent corpus notice
// followed by a page of state-specific information.
func twoPage(tb testing.TB) []byte {
	tb.Helper()
	src, err := os.ReadFile("testdata/corpus/excellent.md")
	if err != nil {
		tb.Fatal(err)
	}
	extra, err := os.ReadFile("testdata/state-information.md")
	if err != nil {
		tb.Fatal(err)
	}
	return append(append(src, '\n'), extra...)
}

func TestTwoPageNotice(t *testing.T) {
	l, err := New(Options{Org: testOrg()})
	if err != nil {
		t.Fatal(err)
	}
	res := l.LintSource("two-page.md", twoPage(t), FormatMarkdown)
	if res.Stats.Words < 700 || res.Stats.Words > 1000 {
		t.Errorf("two-page notice has %d words, want 700–1000", res.Stats.Words)
	}
	if res.Score < 90 {
		t.Errorf("two-page notice scores %d", res.Score)
	}
}

// BenchmarkLintTwoPage measures parsing and linting a two-page Markdown
// notice, the editor's live-feedback case (target: well under 50 ms).
func BenchmarkLintTwoPage(b *testing.B) {
	src := twoPage(b)
	l, err := New(Options{Org: testOrg(), Requirements: []Requirements{{Jurisdiction: "US-CA", Required: []breach.ContentItem{"date_of_breach", "types_of_information", "toll_free_numbers", "identity_protection_offer"}, Headings: californiaHeadings, Title: "Notice of Data Breach"}}})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		l.LintSource("two-page.md", src, FormatMarkdown)
	}
}

// BenchmarkParse measures the parser alone on the two-page notice.
func BenchmarkParse(b *testing.B) {
	src := twoPage(b)
	for _, f := range []Format{FormatMarkdown, FormatHTML, FormatText} {
		b.Run(string(f), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				Parse("two-page", src, f)
			}
		})
	}
}

// TestConcurrentLint backs the claim that a Linter is safe for concurrent
// use (run with -race).
func TestConcurrentLint(t *testing.T) {
	l, err := New(Options{Org: testOrg()})
	if err != nil {
		t.Fatal(err)
	}
	src := twoPage(t)
	want := l.LintSource("x.md", src, FormatMarkdown).Score
	done := make(chan int)
	for range 4 {
		go func() { done <- l.LintSource("x.md", src, FormatMarkdown).Score }()
	}
	for range 4 {
		if got := <-done; got != want {
			t.Errorf("concurrent score %d, want %d", got, want)
		}
	}
}
