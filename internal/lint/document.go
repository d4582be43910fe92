package lint

import (
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// Format is the markup a notice is written in.
type Format string

// The formats the parser reads.
const (
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
	FormatText     Format = "text"
)

// DetectFormat picks a format from the file name's extension and, when that
// says nothing (stdin, .txt with markup), from the content.
func DetectFormat(name string, src []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown", ".mdown", ".mkd":
		return FormatMarkdown
	case ".html", ".htm", ".xhtml", ".tmpl", ".gohtml":
		if strings.HasSuffix(strings.ToLower(name), ".txt.tmpl") {
			return FormatText
		}
		return FormatHTML
	case ".txt", ".text":
		return FormatText
	}
	head := strings.ToLower(string(src[:min(len(src), 512)]))
	head = strings.TrimSpace(head)
	if strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.Contains(head, "<p>") || strings.Contains(head, "<body") || strings.Contains(head, "<div") {
		return FormatHTML
	}
	if strings.HasPrefix(head, "# ") || strings.Contains(head, "\n# ") || strings.Contains(head, "\n## ") ||
		strings.Contains(head, "](http") || strings.Contains(head, "**") {
		return FormatMarkdown
	}
	return FormatText
}

// BlockKind is the kind of a block of text.
type BlockKind uint8

// Block kinds.
const (
	Paragraph BlockKind = iota
	Heading
	ListItem
)

func (k BlockKind) String() string {
	switch k {
	case Heading:
		return "heading"
	case ListItem:
		return "list item"
	}
	return "paragraph"
}

// Block is a paragraph, heading or list item of the plain text.
type Block struct {
	Kind BlockKind
	// Level is the heading level (1–6); 0 for other blocks.
	Level int
	// Start and End delimit the block in Document.Text.
	Start, End int
	// Section is the index in Document.Blocks of the heading the block
	// falls under, or -1.
	Section int
}

// LinkKind tells a web link from an e-mail address or an embedded image.
type LinkKind uint8

// Link kinds.
const (
	LinkWeb LinkKind = iota
	LinkEmail
	LinkImage
)

// Link is a URL, e-mail address or bare domain that a notice sends readers
// to, with the text that shows it.
type Link struct {
	Kind LinkKind
	// URL is the target as written (href, Markdown destination or the bare
	// text); e-mail addresses have no mailto: prefix.
	URL string
	// Text is what the reader sees; for bare URLs it equals URL.
	Text string
	// Start and End delimit the visible text in Document.Text; both are -1
	// for links with no visible text (an image).
	Start, End int
	// Src is the byte offset in the source where the link is written.
	Src int
	// Bare is set for URLs and domains found in running text rather than
	// marked up as links.
	Bare bool
}

// Document is a parsed notice: its prose as plain text, split into blocks,
// the links it contains, and a map from every byte of the plain text back
// to the source so that findings carry the source's line and column.
type Document struct {
	Name   string
	Format Format
	// Text is the prose with markup removed; blocks are separated by a
	// blank line and whitespace inside a block is collapsed to one space.
	Text   string
	Blocks []Block
	Links  []Link

	src   []byte
	offs  []int32 // offs[i] is the source offset of Text[i]
	lines []int   // byte offset of the start of each source line
}

// Source returns the document's source bytes.
func (d *Document) Source() []byte { return d.src }

// Position returns the 1-based source line and column (in Unicode code
// points) of the byte at offset off of Text. Offsets past the end map to
// the end of the source.
func (d *Document) Position(off int) (line, col int) {
	src := len(d.src)
	if off >= 0 && off < len(d.offs) {
		src = int(d.offs[off])
	} else if off < 0 {
		src = 0
	}
	return d.SourcePosition(src)
}

// SourcePosition returns the 1-based line and column of a source offset.
func (d *Document) SourcePosition(off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > len(d.src) {
		off = len(d.src)
	}
	i := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	start := 0
	if len(d.lines) > 0 {
		start = d.lines[i]
	}
	return i + 1, utf8.RuneCount(d.src[start:off]) + 1
}

// BlockText returns the text of block b.
func (d *Document) BlockText(b Block) string { return d.Text[b.Start:b.End] }

// BlockAt returns the index of the block holding Text offset off, or -1.
func (d *Document) BlockAt(off int) int {
	i := sort.Search(len(d.Blocks), func(i int) bool { return d.Blocks[i].End > off })
	if i < len(d.Blocks) && d.Blocks[i].Start <= off {
		return i
	}
	return -1
}

// Parse reads src in the given format (or the detected one when format is
// empty) into a Document. It never fails: any byte sequence gives some
// document, so a linter in an editor can run on every keystroke.
func Parse(name string, src []byte, format Format) *Document {
	if format == "" {
		format = DetectFormat(name, src)
	}
	b := newBuilder(src)
	switch format {
	case FormatHTML:
		parseHTML(b, src)
	case FormatMarkdown:
		parseMarkdown(b, src)
	default:
		format = FormatText
		parseText(b, src)
	}
	d := b.finish()
	d.Name = name
	d.Format = format
	return d
}

// builder accumulates the plain text, its source map, blocks and links.
type builder struct {
	src    []byte
	text   []byte
	offs   []int32
	blocks []Block
	links  []Link
	open   bool
	kind   BlockKind
	level  int
	start  int
}

func newBuilder(src []byte) *builder {
	n := len(src)
	return &builder{src: src, text: make([]byte, 0, n), offs: make([]int32, 0, n)}
}

// begin starts a block of the given kind, ending any open block.
func (b *builder) begin(kind BlockKind, level int) {
	b.end()
	b.open, b.kind, b.level = true, kind, level
	if len(b.text) > 0 {
		last := int32(0)
		if len(b.offs) > 0 {
			last = b.offs[len(b.offs)-1]
		}
		b.text = append(b.text, '\n', '\n')
		b.offs = append(b.offs, last, last)
	}
	b.start = len(b.text)
}

// end closes the open block; an empty block is dropped.
func (b *builder) end() {
	if !b.open {
		return
	}
	b.open = false
	// Trim the trailing space left by whitespace collapsing.
	for len(b.text) > b.start && b.text[len(b.text)-1] == ' ' {
		b.text = b.text[:len(b.text)-1]
		b.offs = b.offs[:len(b.offs)-1]
	}
	if len(b.text) == b.start {
		// Remove the separator written by begin.
		if b.start >= 2 {
			b.text = b.text[:b.start-2]
			b.offs = b.offs[:b.start-2]
		}
		return
	}
	b.blocks = append(b.blocks, Block{Kind: b.kind, Level: b.level, Start: b.start, End: len(b.text), Section: -1})
}

// setKind changes the kind of the open block (a Setext heading underline).
func (b *builder) setKind(kind BlockKind, level int) {
	if b.open {
		b.kind, b.level = kind, level
	}
}

// add appends source text s that starts at source offset off, collapsing
// whitespace. Each byte maps to its own source offset.
func (b *builder) add(s string, off int) { b.write(s, off, false) }

// addAt appends s (decoded from an entity or escape) mapping every byte to
// the one source offset off.
func (b *builder) addAt(s string, off int) { b.write(s, off, true) }

// write appends s, normalising typographic quotes to ASCII and no-break
// spaces to spaces so that the rules match either spelling.
func (b *builder) write(s string, off int, fixed bool) {
	if !b.open {
		b.begin(Paragraph, 0)
	}
	at := func(i int) int {
		if fixed {
			return off
		}
		return off + i
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0:
			b.addByte(' ', at(i))
			i++
			continue
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80:
			switch s[i+2] {
			case 0x98, 0x99:
				b.addByte('\'', at(i))
				i += 2
				continue
			case 0x9C, 0x9D:
				b.addByte('"', at(i))
				i += 2
				continue
			}
		}
		b.addByte(c, at(i))
	}
}

func (b *builder) addByte(c byte, off int) {
	if c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ' ' {
		if len(b.text) == b.start || b.text[len(b.text)-1] == ' ' {
			return
		}
		c = ' '
	}
	b.text = append(b.text, c)
	b.offs = append(b.offs, int32(off))
}

// space adds a word break.
func (b *builder) space(off int) {
	if b.open {
		b.addByte(' ', off)
	}
}

// pos is the current length of the text.
func (b *builder) pos() int { return len(b.text) }

func (b *builder) finish() *Document {
	b.end()
	d := &Document{Text: string(b.text), Blocks: b.blocks, Links: b.links, src: b.src, offs: b.offs}
	// A link whose text was empty at the very end of a block can point past
	// the text once trailing space is trimmed: keep it inside.
	for i := range d.Links {
		l := &d.Links[i]
		l.End = min(l.End, len(d.Text))
		l.Start = min(l.Start, l.End)
	}
	d.lines = append(d.lines, 0)
	for i, c := range b.src {
		if c == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	findBareLinks(d)
	sort.SliceStable(d.Links, func(i, j int) bool { return d.Links[i].Src < d.Links[j].Src })
	section := -1
	for i := range d.Blocks {
		if d.Blocks[i].Kind == Heading {
			section = i
			continue
		}
		d.Blocks[i].Section = section
	}
	return d
}
