package notice

import (
	"fmt"
	"sort"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// A template is Markdown with named placeholders:
//
//	---
//	locale: en
//	subject: Notice of data breach at {{brand}}
//	title: Notice of Data Breach
//	---
//	Dear {{name}},
//
//	## What Happened {#what_happened}
//
//	{{what_happened}}
//
//	{{#if idp}}
//	Enrol at {{idp_url}} with your code **{{idp_code}}**.
//	{{/if}}
//
//	{{insert fraud_alert}}
//
// Blocks are paragraphs (lines joined; a line ending in a backslash breaks
// the line), "- " list items, "## Heading {#section}" and "### Heading".
// Inline, **bold** and [label](https://…) links; https:// URLs become links.
// {{#if COND}} … {{else}} … {{/if}} and {{#unless COND}} … {{/unless}} each
// on their own line choose blocks; {{insert NAME}}, {{elements}} and
// {{steps}} on their own line add blocks Candor writes.

// nodeKind is the kind of a parsed block.
type nodeKind int

const (
	nPara nodeKind = iota
	nList
	nHeading
	nIf
	nInsert
	nElements
	nSteps
)

// node is one parsed block of a template.
type node struct {
	kind nodeKind
	line int
	// Heading.
	level   int
	section string
	// Paragraph and heading text; list items.
	inl   []inline
	items [][]inline
	// Conditional.
	cond      string
	negate    bool
	then, alt []*node
	// Insert.
	name string
}

// inlineKind is the kind of an inline segment.
type inlineKind int

const (
	iText inlineKind = iota
	iPlaceholder
	iBreak
)

// inline is a run of text or a placeholder, possibly bold or a link.
type inline struct {
	kind inlineKind
	text string // text, or the placeholder name
	bold bool
	// href is the link target for a [label](target) link: a URL or a
	// placeholder written as {{name}}.
	href   string
	hrefPh string
	line   int
}

// Template is a parsed notice template.
type Template struct {
	// Name is shown in errors, such as "notice.en.md".
	Name    string
	Locale  string
	Subject []inline
	Title   []inline
	Blocks  []*node
	Source  string
}

// ParseError is one problem in a template, at a line.
type ParseError struct {
	Name string
	Line int
	Msg  string
}

// Error formats the problem as NAME:LINE: message.
func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg) }

// Errors is every problem found in a template.
type Errors []*ParseError

// Error lists the problems, one a line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// asError returns es as an EINVALID application error, or nil.
func (es Errors) asError(what string) error {
	if len(es) == 0 {
		return nil
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].Line < es[j].Line })
	return &templateError{errs: es, what: what}
}

// templateError is an EINVALID application error that keeps the Errors.
type templateError struct {
	errs Errors
	what string
}

func (e *templateError) Error() string { return e.what + ":\n" + e.errs.Error() }

// Unwrap exposes the application error (for its code and message) and the
// Errors.
func (e *templateError) Unwrap() []error {
	return []error{breach.Errorf(breach.EINVALID, "%s:\n%s", e.what, e.errs.Error()), e.errs}
}

// Parse parses a template source. Syntax errors are reported all at once,
// each with its line, as an EINVALID error.
func Parse(name, src string) (*Template, error) {
	p := &parser{name: name}
	t := p.parse(src)
	return t, p.errs.asError("template " + name)
}

type parser struct {
	name string
	errs Errors
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, &ParseError{Name: p.name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) parse(src string) *Template {
	t := &Template{Name: p.name, Source: src}
	src = strings.ReplaceAll(src, "\r\n", "\n")
	lines := strings.Split(src, "\n")
	start := 0
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "---" {
		end := -1
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "---" {
				end = i
				break
			}
		}
		if end < 0 {
			p.errorf(1, "front matter opened with --- is never closed")
			return t
		}
		p.frontMatter(t, lines[1:end], 2)
		start = end + 1
	}
	if t.Locale == "" {
		p.errorf(1, "front matter: locale is required (en or es)")
	}
	if len(t.Subject) == 0 {
		p.errorf(1, "front matter: subject is required")
	}
	if len(t.Title) == 0 {
		p.errorf(1, "front matter: title is required")
	}
	t.Blocks = p.blocks(lines, start)
	return t
}

func (p *parser) frontMatter(t *Template, lines []string, first int) {
	for i, l := range lines {
		ln := first + i
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			p.errorf(ln, "front matter: want key: value, got %q", l)
			continue
		}
		k, v = strings.TrimSpace(k), unquote(strings.TrimSpace(v))
		switch k {
		case "locale":
			if !supportedLocale(v) {
				p.errorf(ln, "front matter: locale %q is not one Candor writes notices in (en, es)", v)
			}
			t.Locale = v
		case "subject":
			t.Subject = p.inlines(v, ln)
		case "title":
			t.Title = p.inlines(v, ln)
		default:
			p.errorf(ln, "front matter: unknown key %q (want locale, subject, title)", k)
		}
	}
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// frame is an open conditional while parsing.
type frame struct {
	n      *node
	inElse bool
	closer string
}

func (p *parser) blocks(lines []string, start int) []*node {
	var (
		root  []*node
		stack []*frame
		para  []string
		paraL int
		list  *node
	)
	emit := func(n *node) {
		if len(stack) == 0 {
			root = append(root, n)
			return
		}
		f := stack[len(stack)-1]
		if f.inElse {
			f.n.alt = append(f.n.alt, n)
		} else {
			f.n.then = append(f.n.then, n)
		}
	}
	flushPara := func() {
		if len(para) > 0 {
			emit(&node{kind: nPara, line: paraL, inl: p.paragraph(para, paraL)})
			para = nil
		}
	}
	flushList := func() { list = nil }
	for i := start; i < len(lines); i++ {
		ln := i + 1
		raw := lines[i]
		trim := strings.TrimSpace(raw)
		switch {
		case trim == "":
			flushPara()
			flushList()
			continue
		case strings.HasPrefix(trim, "{{#if ") || strings.HasPrefix(trim, "{{#unless "):
			flushPara()
			flushList()
			inner, ok := directive(trim)
			if !ok {
				p.errorf(ln, "malformed directive %q", trim)
				continue
			}
			word, cond, _ := strings.Cut(inner, " ")
			n := &node{kind: nIf, line: ln, cond: strings.TrimSpace(cond), negate: word == "#unless"}
			if n.cond == "" {
				p.errorf(ln, "%s needs a condition", word)
			}
			emit(n)
			stack = append(stack, &frame{n: n, closer: "/" + strings.TrimPrefix(word, "#")})
			continue
		case trim == "{{else}}":
			flushPara()
			flushList()
			if len(stack) == 0 || stack[len(stack)-1].inElse {
				p.errorf(ln, "{{else}} without an open {{#if}}")
				continue
			}
			stack[len(stack)-1].inElse = true
			continue
		case trim == "{{/if}}" || trim == "{{/unless}}":
			flushPara()
			flushList()
			closer := strings.Trim(trim, "{}")
			if len(stack) == 0 {
				p.errorf(ln, "%s without an open block", trim)
				continue
			}
			if f := stack[len(stack)-1]; f.closer != closer {
				p.errorf(ln, "%s closes the {{#%s}} opened on line %d", trim, strings.TrimPrefix(f.closer, "/"), f.n.line)
			}
			stack = stack[:len(stack)-1]
			continue
		case strings.HasPrefix(trim, "{{insert "):
			flushPara()
			flushList()
			inner, ok := directive(trim)
			name := strings.TrimSpace(strings.TrimPrefix(inner, "insert"))
			if !ok || name == "" {
				p.errorf(ln, "malformed insert %q: want {{insert NAME}}", trim)
				continue
			}
			emit(&node{kind: nInsert, line: ln, name: name})
			continue
		case trim == "{{elements}}":
			flushPara()
			flushList()
			emit(&node{kind: nElements, line: ln})
			continue
		case trim == "{{steps}}":
			flushPara()
			flushList()
			emit(&node{kind: nSteps, line: ln})
			continue
		case strings.HasPrefix(trim, "#"):
			flushPara()
			flushList()
			emit(p.heading(trim, ln))
			continue
		case strings.HasPrefix(trim, "- ") || strings.HasPrefix(trim, "* "):
			flushPara()
			if list == nil {
				list = &node{kind: nList, line: ln}
				emit(list)
			}
			list.items = append(list.items, p.inlines(strings.TrimSpace(trim[2:]), ln))
			continue
		case list != nil && (strings.HasPrefix(raw, "  ") || strings.HasPrefix(raw, "\t")):
			// A continuation line of the last list item.
			last := &list.items[len(list.items)-1]
			*last = append(*last, inline{kind: iText, text: " ", line: ln})
			*last = append(*last, p.inlines(trim, ln)...)
			continue
		}
		flushList()
		if len(para) == 0 {
			paraL = ln
		}
		para = append(para, raw)
	}
	flushPara()
	for _, f := range stack {
		p.errorf(f.n.line, "{{#%s %s}} is never closed", strings.TrimPrefix(f.closer, "/"), f.n.cond)
	}
	return root
}

// directive returns the inside of a line that is exactly "{{…}}".
func directive(trim string) (string, bool) {
	if !strings.HasPrefix(trim, "{{") || !strings.HasSuffix(trim, "}}") || strings.Count(trim, "{{") != 1 {
		return "", false
	}
	return strings.TrimSpace(trim[2 : len(trim)-2]), true
}

func (p *parser) heading(trim string, ln int) *node {
	level := 0
	for level < len(trim) && trim[level] == '#' {
		level++
	}
	text := strings.TrimSpace(trim[level:])
	n := &node{kind: nHeading, line: ln, level: level}
	if i := strings.LastIndex(text, "{#"); i >= 0 && strings.HasSuffix(text, "}") {
		n.section = strings.TrimSpace(text[i+2 : len(text)-1])
		text = strings.TrimSpace(text[:i])
	}
	switch {
	case level == 1:
		p.errorf(ln, "use the front matter title instead of a level-1 heading")
	case level > 3:
		p.errorf(ln, "headings go to level 3 (###) at most")
	case level == 2 && n.section == "":
		p.errorf(ln, "a section heading needs its section id, such as ## What Happened {#what_happened} (sections: %s)", strings.Join(sectionIDs(), ", "))
	case level == 2 && sectionIndex(n.section) < 0:
		p.errorf(ln, "unknown section {#%s} (sections: %s)", n.section, strings.Join(sectionIDs(), ", "))
	case level == 3 && n.section != "":
		p.errorf(ln, "only ## headings start sections")
	}
	if text == "" {
		p.errorf(ln, "empty heading")
	}
	n.inl = p.inlines(text, ln)
	return n
}

// paragraph joins lines; a line ending in a backslash is a hard break.
func (p *parser) paragraph(lines []string, first int) []inline {
	var out []inline
	for i, l := range lines {
		l = strings.TrimSpace(l)
		hard := strings.HasSuffix(l, "\\")
		l = strings.TrimSpace(strings.TrimSuffix(l, "\\"))
		out = append(out, p.inlines(l, first+i)...)
		if i < len(lines)-1 {
			if hard {
				out = append(out, inline{kind: iBreak, line: first + i})
			} else {
				out = append(out, inline{kind: iText, text: " ", line: first + i})
			}
		}
	}
	return mergeText(out)
}

// inlines parses **bold**, [label](target) and {{placeholder}} in one line.
func (p *parser) inlines(s string, ln int) []inline {
	var (
		out  []inline
		bold bool
		buf  strings.Builder
	)
	flush := func() {
		if buf.Len() > 0 {
			out = append(out, inline{kind: iText, text: buf.String(), bold: bold, line: ln})
			buf.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "**"):
			flush()
			bold = !bold
			i += 2
		case strings.HasPrefix(s[i:], "{{"):
			end := strings.Index(s[i:], "}}")
			if end < 0 {
				p.errorf(ln, "unclosed placeholder %q", s[i:])
				return out
			}
			name := strings.TrimSpace(s[i+2 : i+end])
			if name == "" || strings.HasPrefix(name, "#") || strings.HasPrefix(name, "/") || name == "else" || strings.HasPrefix(name, "insert ") {
				p.errorf(ln, "{{%s}} must stand on its own line", name)
			}
			flush()
			out = append(out, inline{kind: iPlaceholder, text: name, bold: bold, line: ln})
			i += end + 2
		case s[i] == '[':
			closeB := strings.Index(s[i:], "](")
			if closeB < 0 {
				buf.WriteByte(s[i])
				i++
				continue
			}
			closeP := strings.IndexByte(s[i+closeB:], ')')
			if closeP < 0 {
				p.errorf(ln, "link %q has no closing parenthesis", s[i:])
				return out
			}
			label := s[i+1 : i+closeB]
			target := strings.TrimSpace(s[i+closeB+2 : i+closeB+closeP])
			flush()
			sub := p.inlines(label, ln)
			var ph string
			if strings.HasPrefix(target, "{{") && strings.HasSuffix(target, "}}") {
				ph = strings.TrimSpace(target[2 : len(target)-2])
				target = ""
			}
			for _, in := range sub {
				in.bold = in.bold || bold
				in.href, in.hrefPh = target, ph
				out = append(out, in)
			}
			i += closeB + closeP + 1
		default:
			buf.WriteByte(s[i])
			i++
		}
	}
	flush()
	if bold {
		p.errorf(ln, "** opened but never closed")
	}
	return out
}

// mergeText joins adjacent text runs with the same style.
func mergeText(in []inline) []inline {
	var out []inline
	for _, x := range in {
		if n := len(out); n > 0 && x.kind == iText && out[n-1].kind == iText && out[n-1].bold == x.bold &&
			out[n-1].href == x.href && out[n-1].hrefPh == x.hrefPh {
			out[n-1].text += x.text
			continue
		}
		out = append(out, x)
	}
	return out
}

// Sections, in the order a notice presents them.
var sections = []struct {
	ID    string
	Items []breach.ContentItem
}{
	{"what_happened", nil},
	{"what_information", nil},
	{"what_we_are_doing", nil},
	{"what_you_can_do", []breach.ContentItem{"what_individuals_can_do", "advice_to_reduce_harm"}},
	{"more_information", nil},
}

func sectionIDs() []string {
	out := make([]string, len(sections))
	for i, s := range sections {
		out[i] = s.ID
	}
	return out
}

func sectionIndex(id string) int {
	for i, s := range sections {
		if s.ID == id {
			return i
		}
	}
	return -1
}

func supportedLocale(l string) bool { return l == "en" || l == "es" }
