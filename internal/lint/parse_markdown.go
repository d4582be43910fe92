package lint

import (
	"html"
	"strings"
)

// parseMarkdown reads the Markdown a notice is likely to use: ATX and
// Setext headings, paragraphs, lists, block quotes, tables, emphasis,
// inline and reference links, autolinks, code, entities and inline HTML.
// It is not a full CommonMark parser; it needs only the prose and links
// with their positions.
func parseMarkdown(b *builder, src []byte) {
	s := string(src)
	refs := markdownRefs(s)
	inFence := ""
	inComment := false
	prevBlank := true
	for off := 0; off < len(s); {
		end := strings.IndexByte(s[off:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += off
		}
		line := s[off:end]
		lineOff := off
		off = end + 1
		line = strings.TrimRight(line, "\r")

		trimmed := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		if inComment {
			if i := strings.Index(line, "-->"); i >= 0 {
				inComment = false
			}
			continue
		}
		if inFence != "" {
			if strings.HasPrefix(trimmed, inFence) {
				inFence = ""
			}
			continue
		}
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			b.end()
			inFence = trimmed[:3]
			prevBlank = false
			continue
		}
		if strings.HasPrefix(trimmed, "<!--") {
			if !strings.Contains(trimmed, "-->") {
				inComment = true
			}
			continue
		}
		if trimmed == "" {
			b.end()
			prevBlank = true
			continue
		}
		if _, ok := parseRefDef(trimmed); ok && indent < 4 {
			b.end()
			prevBlank = false
			continue
		}
		// Setext underline turns the open paragraph into a heading.
		if b.open && b.kind == Paragraph && !prevBlank && isSetext(trimmed) {
			level := 1
			if trimmed[0] == '-' {
				level = 2
			}
			b.setKind(Heading, level)
			b.end()
			continue
		}
		if isRule(trimmed) {
			b.end()
			prevBlank = true
			continue
		}
		prevBlank = false
		content, cOff := line, lineOff
		// Block quotes: strip the markers and read the rest as usual.
		for {
			t := strings.TrimLeft(content, " ")
			if !strings.HasPrefix(t, ">") {
				break
			}
			cOff += len(content) - len(t) + 1
			content = t[1:]
			if strings.HasPrefix(content, " ") {
				content, cOff = content[1:], cOff+1
			}
		}
		t := strings.TrimLeft(content, " \t")
		cOff += len(content) - len(t)
		content = t
		if lvl := atxLevel(content); lvl > 0 {
			text := strings.TrimSpace(content[lvl:])
			start := cOff + strings.Index(content, text)
			text = strings.TrimRight(strings.TrimRight(text, "#"), " ")
			b.begin(Heading, lvl)
			inlineMarkdown(b, text, start, refs)
			b.end()
			continue
		}
		if n := listMarker(content); n > 0 {
			b.begin(ListItem, 0)
			inlineMarkdown(b, content[n:], cOff+n, refs)
			continue
		}
		if strings.HasPrefix(content, "|") {
			if isTableRule(content) {
				continue
			}
			b.begin(Paragraph, 0)
			inlineMarkdown(b, content, cOff, refs)
			b.end()
			continue
		}
		if b.open {
			b.space(cOff)
		}
		inlineMarkdown(b, content, cOff, refs)
		// Two trailing spaces or a backslash are a hard line break; a
		// block of short lines (an address) stays one paragraph.
	}
}

func isSetext(t string) bool {
	if len(t) < 2 {
		return false
	}
	c := t[0]
	if c != '=' && c != '-' {
		return false
	}
	return strings.Trim(t, string(c)) == ""
}

func isRule(t string) bool {
	if len(t) < 3 {
		return false
	}
	c := t[0]
	if c != '-' && c != '*' && c != '_' {
		return false
	}
	return strings.Trim(strings.ReplaceAll(t, " ", ""), string(c)) == ""
}

func isTableRule(t string) bool {
	return strings.Trim(t, "|-: \t") == "" && strings.Contains(t, "-")
}

func atxLevel(s string) int {
	n := 0
	for n < len(s) && n < 7 && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 {
		return 0
	}
	if n == len(s) || s[n] == ' ' || s[n] == '\t' {
		return n
	}
	return 0
}

// listMarker returns the length of a list marker and the space after it
// ("- ", "* ", "+ ", "1. ", "2) "), or 0.
func listMarker(s string) int {
	if len(s) >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t') {
		return 2
	}
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && (s[i+1] == ' ' || s[i+1] == '\t') {
		return i + 2
	}
	return 0
}

// markdownRefs collects reference-link definitions: [label]: url.
func markdownRefs(s string) map[string]string {
	refs := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		if def, ok := parseRefDef(strings.TrimSpace(line)); ok {
			if _, dup := refs[def[0]]; !dup {
				refs[def[0]] = def[1]
			}
		}
	}
	return refs
}

func parseRefDef(t string) ([2]string, bool) {
	if !strings.HasPrefix(t, "[") || strings.HasPrefix(t, "[^") {
		return [2]string{}, false
	}
	i := strings.Index(t, "]:")
	if i < 2 {
		return [2]string{}, false
	}
	label := asciiLower(strings.TrimSpace(t[1:i]))
	rest := strings.Fields(strings.TrimSpace(t[i+2:]))
	if len(rest) == 0 || label == "" {
		return [2]string{}, false
	}
	return [2]string{label, strings.Trim(rest[0], "<>")}, true
}

// inlineMarkdown adds the inline content s (starting at source offset off)
// to the open block.
func inlineMarkdown(b *builder, s string, off int, refs map[string]string) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isPunct(s[i+1]):
			b.add(s[i+1:i+2], off+i+1)
			i += 2
		case c == '`':
			n := 0
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			fence := s[i : i+n]
			j := strings.Index(s[i+n:min(len(s), i+n+maxInline)], fence)
			if j < 0 {
				b.add(fence, off+i)
				i += n
				continue
			}
			b.add(s[i+n:i+n+j], off+i+n)
			i += n + j + n
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if n, ok := markdownLink(b, s, i+1, off, refs, true); ok {
				i = n
				continue
			}
			b.add("!", off+i)
			i++
		case c == '[':
			if n, ok := markdownLink(b, s, i, off, refs, false); ok {
				i = n
				continue
			}
			b.add("[", off+i)
			i++
		case c == '<':
			if n, ok := markdownAngle(b, s, i, off); ok {
				i = n
				continue
			}
			b.add("<", off+i)
			i++
		case c == '&':
			if n, text, ok := entityAt(s, i); ok {
				b.addAt(text, off+i)
				i = n
				continue
			}
			b.add("&", off+i)
			i++
		case c == '*' || c == '~':
			i++ // emphasis and strikethrough markers
		case c == '_':
			prevAlnum := i > 0 && isAlnum(s[i-1])
			nextAlnum := i+1 < len(s) && isAlnum(s[i+1])
			if prevAlnum && nextAlnum {
				b.add("_", off+i)
			}
			i++
		case c == '|':
			b.space(off + i)
			i++
		default:
			j := i + 1
			for j < len(s) && !strings.ContainsRune("\\`![<&*~_|", rune(s[j])) {
				j++
			}
			b.add(s[i:j], off+i)
			i = j
		}
	}
}

// markdownLink reads [text](url "title"), [text][ref] or [text] at s[i]
// and returns the index after it.
func markdownLink(b *builder, s string, i, off int, refs map[string]string, image bool) (int, bool) {
	close := matchBracket(s, i)
	if close < 0 {
		return 0, false
	}
	label := s[i+1 : close]
	var url string
	next := close + 1
	switch {
	case next < len(s) && s[next] == '(':
		end := strings.IndexByte(s[next:min(len(s), next+maxInline)], ')')
		if end < 0 {
			return 0, false
		}
		dest := strings.TrimSpace(s[next+1 : next+end])
		if f := strings.Fields(dest); len(f) > 0 {
			url = strings.Trim(f[0], "<>")
		}
		next += end + 1
	case next < len(s) && s[next] == '[':
		end := strings.IndexByte(s[next:], ']')
		if end < 0 {
			return 0, false
		}
		ref := asciiLower(strings.TrimSpace(s[next+1 : next+end]))
		if ref == "" {
			ref = asciiLower(strings.TrimSpace(label))
		}
		u, ok := refs[ref]
		if !ok {
			return 0, false
		}
		url = u
		next += end + 1
	default:
		u, ok := refs[asciiLower(strings.TrimSpace(label))]
		if !ok {
			return 0, false
		}
		url = u
	}
	src := off + i
	if image {
		src--
		b.links = append(b.links, Link{Kind: LinkImage, URL: url, Text: label, Start: -1, End: -1, Src: src})
		return next, true
	}
	start := b.pos()
	inlineMarkdown(b, label, off+i+1, refs)
	kind := LinkWeb
	if strings.HasPrefix(asciiLower(url), "mailto:") {
		kind, url = LinkEmail, url[len("mailto:"):]
	}
	b.links = append(b.links, Link{Kind: kind, URL: url, Text: string(b.text[start:b.pos()]), Start: start, End: b.pos(), Src: src})
	return next, true
}

// markdownAngle reads an autolink <https://…>, <name@host> or an inline
// HTML tag at s[i]. Tags are dropped except <a href>, whose target is
// recorded for the text up to </a>.
func markdownAngle(b *builder, s string, i, off int) (int, bool) {
	end := strings.IndexByte(s[i:min(len(s), i+maxInline)], '>')
	if end < 0 {
		return 0, false
	}
	inner := s[i+1 : i+end]
	next := i + end + 1
	lower := asciiLower(inner)
	switch {
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		start := b.pos()
		b.add(inner, off+i+1)
		b.links = append(b.links, Link{Kind: LinkWeb, URL: inner, Text: inner, Start: start, End: b.pos(), Src: off + i})
		return next, true
	case strings.HasPrefix(lower, "mailto:"):
		start := b.pos()
		b.add(inner[7:], off+i+8)
		b.links = append(b.links, Link{Kind: LinkEmail, URL: inner[7:], Text: inner[7:], Start: start, End: b.pos(), Src: off + i})
		return next, true
	case strings.Contains(inner, "@") && !strings.ContainsAny(inner, " \t"):
		start := b.pos()
		b.add(inner, off+i+1)
		b.links = append(b.links, Link{Kind: LinkEmail, URL: inner, Text: inner, Start: start, End: b.pos(), Src: off + i})
		return next, true
	case strings.HasPrefix(lower, "a ") || strings.HasPrefix(lower, "a\t"):
		href := attr(inner, "href")
		closeTag := strings.Index(asciiLower(s[next:min(len(s), next+maxInline)]), "</a>")
		if closeTag < 0 {
			return next, true
		}
		start := b.pos()
		inlineMarkdown(b, s[next:next+closeTag], off+next, nil)
		kind := LinkWeb
		if strings.HasPrefix(asciiLower(href), "mailto:") {
			kind, href = LinkEmail, href[7:]
		}
		b.links = append(b.links, Link{Kind: kind, URL: href, Text: string(b.text[start:b.pos()]), Start: start, End: b.pos(), Src: off + i})
		return next + closeTag + 4, true
	case lower == "br" || lower == "br/" || lower == "br /":
		b.space(off + i)
		return next, true
	case len(inner) > 0 && (isAlpha(inner[0]) || inner[0] == '/' || inner[0] == '!'):
		return next, true
	}
	return 0, false
}

// attr returns the value of attribute name in the inside of a tag.
func attr(tag, name string) string {
	lower := asciiLower(tag)
	i := strings.Index(lower, name+"=")
	if i < 0 {
		return ""
	}
	v := tag[i+len(name)+1:]
	if v == "" {
		return ""
	}
	if q := v[0]; q == '"' || q == '\'' {
		if j := strings.IndexByte(v[1:], q); j >= 0 {
			return html.UnescapeString(v[1 : j+1])
		}
		return html.UnescapeString(v[1:])
	}
	if j := strings.IndexAny(v, " \t>"); j >= 0 {
		v = v[:j]
	}
	return html.UnescapeString(v)
}

// maxInline bounds how far the inline parser looks for a closing bracket,
// parenthesis, backtick or tag, keeping it linear on malformed input.
const maxInline = 2048

func matchBracket(s string, i int) int {
	depth := 0
	for j := i; j < len(s) && j < i+maxInline; j++ {
		switch s[j] {
		case '\\':
			j++
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// entityAt decodes an HTML character reference at s[i] ("&amp;",
// "&#8217;") and returns the index after it.
func entityAt(s string, i int) (int, string, bool) {
	end := strings.IndexByte(s[i:min(len(s), i+34)], ';')
	if end < 2 {
		return 0, "", false
	}
	ref := s[i : i+end+1]
	text := html.UnescapeString(ref)
	if text == ref {
		return 0, "", false
	}
	return i + end + 1, text, true
}

// asciiLower lower-cases ASCII letters only, keeping byte offsets valid
// (strings.ToLower may change the length of invalid or special text).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }
