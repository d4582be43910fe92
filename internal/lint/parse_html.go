package lint

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// parseHTML reads an HTML notice (a whole page or a fragment) with the
// tokenizer of golang.org/x/net/html, tracking each token's source offset.
// Block elements start blocks; <a href> and <img src> become links; the
// content of head, script, style and template is skipped.
func parseHTML(b *builder, src []byte) {
	z := html.NewTokenizer(bytes.NewReader(src))
	off := 0
	skip := 0 // depth inside elements whose text is not prose
	type anchor struct {
		href  string
		start int
		src   int
	}
	var open []anchor
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		tokOff := off
		off += len(raw)
		switch tt {
		case html.TextToken:
			if skip > 0 {
				continue
			}
			htmlText(b, raw, tokOff)
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			var attrs map[string]string
			if hasAttr && tt != html.EndTagToken {
				attrs = map[string]string{}
				for {
					k, v, more := z.TagAttr()
					attrs[string(k)] = string(v)
					if !more {
						break
					}
				}
			}
			switch a {
			case atom.Head, atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Svg:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			case atom.Title:
				// The page title is shown in the tab, not the letter.
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			if skip > 0 {
				continue
			}
			if attrs != nil && (strings.Contains(strings.ReplaceAll(strings.ToLower(attrs["style"]), " ", ""), "display:none") || hasKey(attrs, "hidden")) && tt == html.StartTagToken {
				// Hidden text is not read by the person; skip to its end.
				skipHidden(z, a, &off)
				continue
			}
			switch a {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				if tt == html.StartTagToken {
					b.begin(Heading, int(name[1]-'0'))
				} else {
					b.end()
				}
			case atom.P, atom.Div, atom.Li, atom.Dd, atom.Dt, atom.Tr, atom.Td, atom.Th, atom.Table,
				atom.Ul, atom.Ol, atom.Dl, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Main,
				atom.Blockquote, atom.Pre, atom.Address, atom.Body, atom.Html, atom.Form, atom.Figure,
				atom.Figcaption, atom.Nav, atom.Aside, atom.Caption, atom.Center:
				b.end()
				if a == atom.Li && tt == html.StartTagToken {
					b.begin(ListItem, 0)
				}
			case atom.Br, atom.Hr:
				b.end()
			case atom.A:
				if tt == html.StartTagToken {
					open = append(open, anchor{href: attrs["href"], start: b.pos(), src: tokOff})
				} else if tt == html.EndTagToken && len(open) > 0 {
					an := open[len(open)-1]
					open = open[:len(open)-1]
					if an.href == "" || an.start > b.pos() {
						continue
					}
					kind, href := LinkWeb, strings.TrimSpace(an.href)
					if strings.HasPrefix(asciiLower(href), "mailto:") {
						kind, href = LinkEmail, href[7:]
					}
					if strings.HasPrefix(href, "#") {
						continue // a link within the page
					}
					start := an.start
					for start < b.pos() && b.text[start] == ' ' || start < b.pos() && b.text[start] == '\n' {
						start++
					}
					b.links = append(b.links, Link{Kind: kind, URL: href, Text: string(b.text[start:b.pos()]), Start: start, End: b.pos(), Src: an.src})
				}
			case atom.Img:
				if s := attrs["src"]; s != "" && !strings.HasPrefix(s, "data:") && !strings.HasPrefix(s, "cid:") {
					b.links = append(b.links, Link{Kind: LinkImage, URL: s, Text: attrs["alt"], Start: -1, End: -1, Src: tokOff})
				}
			default:
				// Inline elements (span, strong, em…) separate nothing.
			}
		}
	}
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// skipHidden consumes tokens up to the end tag matching a start tag of
// element a.
func skipHidden(z *html.Tokenizer, a atom.Atom, off *int) {
	depth := 1
	for depth > 0 {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		*off += len(z.Raw())
		name, _ := z.TagName()
		if atom.Lookup(name) != a {
			continue
		}
		switch tt {
		case html.StartTagToken:
			depth++
		case html.EndTagToken:
			depth--
		}
	}
}

// htmlText adds a raw text token, decoding entities while keeping each
// output byte mapped to its source offset.
func htmlText(b *builder, raw []byte, off int) {
	s := string(raw)
	i := 0
	for i < len(s) {
		j := strings.IndexByte(s[i:], '&')
		if j < 0 {
			b.add(s[i:], off+i)
			return
		}
		b.add(s[i:i+j], off+i)
		i += j
		if n, text, ok := entityAt(s, i); ok {
			b.addAt(text, off+i)
			i = n
			continue
		}
		b.add("&", off+i)
		i++
	}
}
