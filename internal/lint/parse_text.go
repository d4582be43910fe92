package lint

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// parseText reads a plain-text notice. Blank lines separate paragraphs;
// lines starting with -, *, • or "1." are list items; a short line with no
// closing punctuation that stands alone or opens a paragraph ("What
// Happened", "WHAT YOU CAN DO") is a heading.
func parseText(b *builder, src []byte) {
	s := string(src)
	type line struct {
		text string
		off  int
	}
	var para []line
	flush := func() {
		for i, l := range para {
			t := strings.TrimSpace(l.text)
			start := l.off + strings.Index(l.text, t)
			switch {
			case len(para) > 1 && i == 0 && isTextHeading(t) && titleCase(t):
				b.begin(Heading, 2)
				b.add(strings.TrimSuffix(t, ":"), start)
				b.end()
			case len(para) == 1 && isTextHeading(t):
				b.begin(Heading, 2)
				b.add(strings.TrimSuffix(t, ":"), start)
				b.end()
			case textListMarker(t) > 0:
				n := textListMarker(t)
				b.begin(ListItem, 0)
				b.add(t[n:], start+n)
			default:
				if !b.open || (i == 0) {
					b.begin(Paragraph, 0)
				} else {
					b.space(start)
				}
				b.add(t, start)
			}
		}
		b.end()
		para = para[:0]
	}
	for off := 0; off < len(s); {
		end := strings.IndexByte(s[off:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += off
		}
		l := line{strings.TrimRight(s[off:end], "\r"), off}
		off = end + 1
		if strings.TrimSpace(l.text) == "" {
			flush()
			continue
		}
		if isTextRule(strings.TrimSpace(l.text)) {
			continue // a Setext underline or a divider
		}
		para = append(para, l)
	}
	flush()
}

// isTextHeading reports whether a line looks like a heading: at most eight
// words, no sentence punctuation at the end (a colon is allowed), and
// starting with a letter.
func isTextHeading(t string) bool {
	if t == "" || len(t) > 80 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	if !unicode.IsLetter(r) || !unicode.IsUpper(r) {
		return false
	}
	if strings.ContainsAny(t[len(t)-1:], ".!?,;\"')") {
		return false
	}
	words := strings.Fields(t)
	if len(words) > 8 {
		return false
	}
	for _, w := range words {
		if strings.Contains(w, "@") || strings.Contains(w, "://") {
			return false
		}
	}
	return true
}

// titleCase reports whether the significant words of t are capitalised,
// as in "What Information Was Involved" or "WHAT HAPPENED".
func titleCase(t string) bool {
	for _, w := range strings.Fields(strings.TrimSuffix(t, ":")) {
		switch strings.ToLower(w) {
		case "a", "an", "the", "of", "to", "for", "and", "or", "in", "on", "we", "you", "is", "are", "was", "were", "can", "do":
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

func textListMarker(t string) int {
	if strings.HasPrefix(t, "• ") {
		return len("• ")
	}
	return listMarker(t)
}

// isTextRule reports whether a line is a row of -, =, _, * or ~ (an
// underline or divider).
func isTextRule(t string) bool {
	if len(t) < 3 {
		return false
	}
	return strings.Trim(t, string(t[0])) == "" && strings.ContainsRune("-=_*~", rune(t[0]))
}
