package notice

import (
	"strings"
	"unicode/utf8"
)

// personVals are the per-person values of one notice.
type personVals struct {
	name, first, last, ref, idp, offer string
}

func (pv *personVals) get(s slot) string {
	switch s {
	case slotName:
		return pv.name
	case slotFirstName:
		return pv.first
	case slotLastName:
		return pv.last
	case slotReference:
		return pv.ref
	case slotIDPCode:
		return pv.idp
	case slotOfferCode:
		return pv.offer
	}
	return ""
}

const textWidth = 72

// appendText renders a block as plain text followed by a blank line.
func appendText(dst []byte, b *cblock, pv *personVals) []byte {
	switch b.kind {
	case nHeading:
		s := plainRuns(b.runs[0], pv)
		dst = append(dst, s...)
		dst = append(dst, '\n')
		if b.level == 2 {
			dst = append(dst, strings.Repeat("-", utf8.RuneCountInString(s))...)
			dst = append(dst, '\n')
		}
	case nPara:
		dst = wrap(dst, plainRuns(b.runs[0], pv), "", "")
	case nList:
		for _, it := range b.runs {
			dst = wrap(dst, plainRuns(it, pv), "  - ", "    ")
		}
	}
	return append(dst, '\n')
}

// plainRuns joins runs as plain text; hard breaks become newlines and
// links show their address after the label.
func plainRuns(rs []run, pv *personVals) string {
	var b strings.Builder
	for _, r := range rs {
		switch {
		case r.brk:
			b.WriteByte('\n')
		case r.slot != slotNone:
			b.WriteString(pv.get(r.slot))
		case r.href != "" && r.href != r.text:
			b.WriteString(r.text)
			b.WriteString(" (")
			b.WriteString(r.href)
			b.WriteByte(')')
		default:
			b.WriteString(r.text)
		}
	}
	return b.String()
}

// wrap appends s word-wrapped at textWidth, the first line prefixed by
// first and the others by rest. Newlines in s are kept.
func wrap(dst []byte, s, first, rest string) []byte {
	prefix := first
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			prefix = rest
		}
		dst = append(dst, prefix...)
		col := utf8.RuneCountInString(prefix)
		start := col
		for _, w := range strings.Fields(line) {
			n := utf8.RuneCountInString(w)
			if col > start && col+1+n > textWidth {
				dst = append(dst, '\n')
				dst = append(dst, rest...)
				col = utf8.RuneCountInString(rest)
				start = col
			} else if col > start {
				dst = append(dst, ' ')
				col++
			}
			dst = append(dst, w...)
			col += n
		}
		dst = append(dst, '\n')
		prefix = rest
	}
	return dst
}

// appendHTML renders a block as HTML, wrapped at spaces between words so
// that lines stay short.
func appendHTML(dst []byte, b *cblock, pv *personVals) []byte {
	start := len(dst)
	switch b.kind {
	case nHeading:
		if b.level == 2 {
			dst = append(dst, `<h2 style="font-size:19px;margin:28px 0 8px">`...)
			dst = htmlRuns(dst, b.runs[0], pv)
			dst = append(dst, "</h2>"...)
		} else {
			dst = append(dst, `<h3 style="font-size:16px;margin:20px 0 6px">`...)
			dst = htmlRuns(dst, b.runs[0], pv)
			dst = append(dst, "</h3>"...)
		}
	case nPara:
		dst = append(dst, "<p>"...)
		dst = htmlRuns(dst, b.runs[0], pv)
		dst = append(dst, "</p>"...)
	case nList:
		dst = append(dst, "<ul>"...)
		for _, it := range b.runs {
			dst = append(dst, "\n<li>"...)
			dst = htmlRuns(dst, it, pv)
			dst = append(dst, "</li>"...)
		}
		dst = append(dst, "\n</ul>"...)
	}
	dst = append(dst, '\n')
	breakLines(dst[start:])
	return dst
}

func htmlRuns(dst []byte, rs []run, pv *personVals) []byte {
	for _, r := range rs {
		if r.brk {
			dst = append(dst, "<br>\n"...)
			continue
		}
		text := r.text
		if r.slot != slotNone {
			text = pv.get(r.slot)
		}
		if r.bold {
			dst = append(dst, "<strong>"...)
		}
		if r.href != "" {
			dst = append(dst, `<a href="`...)
			dst = escapeHTML(dst, r.href)
			dst = append(dst, `">`...)
		}
		dst = escapeHTML(dst, text)
		if r.href != "" {
			dst = append(dst, "</a>"...)
		}
		if r.bold {
			dst = append(dst, "</strong>"...)
		}
	}
	return dst
}

// escapeHTML appends s with &, <, >, " and ' escaped.
func escapeHTML(dst []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		default:
			continue
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, esc...)
		last = i + 1
	}
	return append(dst, s[last:]...)
}

// breakLines turns spaces outside tags into newlines where a line would
// pass 76 bytes; HTML treats both alike.
func breakLines(b []byte) {
	const limit = 76
	lineStart, lastSpace, inTag := 0, -1, false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\n':
			lineStart, lastSpace = i+1, -1
			continue
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		case c == ' ' && !inTag:
			lastSpace = i
		}
		if i-lineStart >= limit && lastSpace > lineStart {
			b[lastSpace] = '\n'
			lineStart, lastSpace = lastSpace+1, -1
		}
	}
}
