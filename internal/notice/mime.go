package notice

import (
	"strings"
	"unicode/utf8"
)

const hexUpper = "0123456789ABCDEF"

// qpSafe marks the bytes quoted-printable writes as themselves.
var qpSafe = func() (t [256]bool) {
	for c := '!'; c <= '~'; c++ {
		t[c] = c != '='
	}
	t[' '], t['\t'] = true, true
	return t
}()

// appendQP appends src encoded as quoted-printable (RFC 2045) with CRLF
// line ends: lines of at most 76 characters, soft breaks where needed,
// "=" and non-ASCII bytes as =XX, trailing blanks encoded.
func appendQP(dst []byte, src []byte) []byte {
	col := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '\n':
			dst = append(dst, '\r', '\n')
			col = 0
			continue
		case '\r':
			continue
		}
		enc := !qpSafe[c] || (c == ' ' || c == '\t') && (i+1 == len(src) || src[i+1] == '\n' || src[i+1] == '\r')
		n := 1
		if enc {
			n = 3
		}
		if col+n > 75 {
			dst = append(dst, '=', '\r', '\n')
			col = 0
		}
		if enc {
			dst = append(dst, '=', hexUpper[c>>4], hexUpper[c&15])
		} else {
			dst = append(dst, c)
		}
		col += n
	}
	return dst
}

// mimeParts are the pieces of a variant's messages that do not change
// from person to person, already encoded.
type mimeParts struct {
	// head holds From, Reply-To, Subject, MIME-Version, Content-Type…
	head []byte
	// textStart opens the text part and holds the title; htmlStart closes
	// the text part, opens the HTML part and holds the document head;
	// htmlEnd closes the document; end closes the message.
	textStart, htmlStart, htmlEnd, end []byte
}

// encodeHeader returns a header line, its value RFC 2047-encoded when it
// is not ASCII, folded to keep lines within 78 characters.
func encodeHeader(name, value string) string {
	ascii := true
	for i := 0; i < len(value); i++ {
		if value[i] >= 0x80 || value[i] < 0x20 {
			ascii = false
			break
		}
	}
	if ascii {
		return foldASCII(name+": "+value) + "\r\n"
	}
	return name + ": " + strings.Join(qWords(value, 78-len(name)-2), "\r\n ") + "\r\n"
}

// qWords Q-encodes s as UTF-8 encoded words of at most max characters,
// never splitting a character between words.
func qWords(s string, max int) []string {
	const pre, post = "=?utf-8?q?", "?="
	var (
		words []string
		cur   []byte
	)
	for _, r := range s {
		var enc []byte
		var tmp [4]byte
		for _, c := range tmp[:utf8.EncodeRune(tmp[:], r)] {
			switch {
			case c == ' ':
				enc = append(enc, '_')
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!*+-/", c) >= 0:
				enc = append(enc, c)
			default:
				enc = append(enc, '=', hexUpper[c>>4], hexUpper[c&15])
			}
		}
		if len(cur) > 0 && len(pre)+len(cur)+len(enc)+len(post) > max {
			words = append(words, pre+string(cur)+post)
			cur = cur[:0]
		}
		cur = append(cur, enc...)
	}
	if len(cur) > 0 {
		words = append(words, pre+string(cur)+post)
	}
	return words
}

// foldASCII folds a header line at spaces before 78 characters.
func foldASCII(line string) string {
	if len(line) <= 78 {
		return line
	}
	var b strings.Builder
	for len(line) > 78 {
		i := strings.LastIndexByte(line[:78], ' ')
		if i <= 0 {
			break
		}
		b.WriteString(line[:i])
		b.WriteString("\r\n")
		line = line[i:]
	}
	b.WriteString(line)
	return b.String()
}

// htmlHead is the start of every HTML notice: no images, no remote
// resources, no scripts, nothing that reports back when it is opened.
func htmlHead(lang, title string) []byte {
	var b []byte
	b = append(b, "<!DOCTYPE html>\n<html lang=\""...)
	b = append(b, lang...)
	b = append(b, "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"...)
	b = escapeHTML(b, title)
	b = append(b, "</title>\n</head>\n<body style=\"margin:0;padding:0;background:#ffffff\">\n"...)
	b = append(b, "<div style=\"max-width:640px;margin:0 auto;padding:24px;font-family:Arial,Helvetica,sans-serif;\nfont-size:16px;line-height:1.5;color:#1a1a1a\">\n<h1 style=\"font-size:24px;margin:0 0 20px\">"...)
	b = escapeHTML(b, title)
	b = append(b, "</h1>\n"...)
	return b
}

const htmlFoot = "</div>\n</body>\n</html>\n"

// buildMIME prepares the constant pieces of a variant's messages.
func buildMIME(v *variant, from, replyTo, boundary string) *mimeParts {
	var head strings.Builder
	head.WriteString("From: " + from + "\r\n")
	head.WriteString("Reply-To: " + replyTo + "\r\n")
	head.WriteString(encodeHeader("Subject", v.subject))
	head.WriteString("MIME-Version: 1.0\r\n")
	head.WriteString("Content-Language: " + v.lang.code + "\r\n")
	head.WriteString("Auto-Submitted: auto-generated\r\n")
	head.WriteString("Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n")
	mp := &mimeParts{head: []byte(head.String())}

	ts := []byte("\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	title := textTitle(v.title)
	mp.textStart = appendQP(ts, []byte(title))

	hs := []byte("\r\n--" + boundary + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	mp.htmlStart = appendQP(hs, htmlHead(v.lang.code, v.title))
	mp.htmlEnd = appendQP(nil, []byte(htmlFoot))
	mp.end = []byte("\r\n--" + boundary + "--\r\n")

	var none personVals
	for _, b := range v.blocks {
		if !b.dynamic {
			b.txt = appendQP(nil, appendText(nil, b, &none))
			b.htm = appendQP(nil, appendHTML(nil, b, &none))
		}
	}
	return mp
}

// textTitle is the title of the plain-text notice: upper case, then a
// blank line (an underline of "=" would be all escapes in quoted-printable).
func textTitle(title string) string { return strings.ToUpper(title) + "\n\n" }
