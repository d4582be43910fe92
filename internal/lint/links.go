package lint

import (
	"net/url"
	"regexp"
	"strings"
)

var (
	bareURLRe   = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>"'\[\]{}]+`)
	bareEmailRe = regexp.MustCompile(`\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b`)
	// bareDomainRe finds domains written without a scheme ("visit
	// Example-Help.com"). Only names ending in a common, lower-case
	// top-level domain count, so that a missing space after a full stop
	// ("data.It was") is not read as a domain.
	bareDomainRe = regexp.MustCompile(`\b(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:com|net|org|gov|edu|mil|info|biz|io|co|us|uk|ca|au|nz|ie|de|fr|eu|in|me|app|online|site|help|support|security|services|xyz|top|club|live|shop|store|tech|cloud|link|click|email|center|report|claims|ly|gl|gd|cc|to|ws|id|at|be|ch|nl|es|it|se|no|dk|fi|pl|pt|jp|kr|sg|hk|br|mx|za)\b(?:/[^\s<>"'\[\]{}]*)?`)
)

// findBareLinks adds the URLs, e-mail addresses and domains written in the
// running text that are not already the visible text of a marked-up link.
func findBareLinks(d *Document) {
	taken := make([]bool, len(d.Text))
	mark := func(s, e int) {
		for i := max(s, 0); i < e && i < len(taken); i++ {
			taken[i] = true
		}
	}
	for _, l := range d.Links {
		if l.Start >= 0 {
			mark(l.Start, l.End)
		}
	}
	covered := func(s, e int) bool {
		for i := s; i < e; i++ {
			if taken[i] {
				return true
			}
		}
		return false
	}
	add := func(kind LinkKind, s, e int) {
		for e > s && strings.IndexByte(".,;:!?)'\"", d.Text[e-1]) >= 0 {
			e--
		}
		if e <= s || covered(s, e) {
			return
		}
		text := d.Text[s:e]
		mark(s, e)
		d.Links = append(d.Links, Link{Kind: kind, URL: text, Text: text, Start: s, End: e, Src: int(d.offs[s]), Bare: true})
	}
	for _, m := range bareURLRe.FindAllStringIndex(d.Text, -1) {
		add(LinkWeb, m[0], m[1])
	}
	for _, m := range bareEmailRe.FindAllStringIndex(d.Text, -1) {
		add(LinkEmail, m[0], m[1])
	}
	for _, m := range bareDomainRe.FindAllStringIndex(d.Text, -1) {
		s := m[0]
		if s > 0 {
			if c := d.Text[s-1]; c == '@' || c == '.' || c == '/' || c == '-' || isAlnum(c) {
				continue
			}
		}
		add(LinkWeb, s, m[1])
	}
}

// Host returns the lower-case host name a link points to ("" when it has
// none, such as a relative link or a tel: link).
func (l Link) Host() string {
	if l.Kind == LinkEmail {
		_, host, ok := strings.Cut(l.URL, "@")
		if !ok {
			return ""
		}
		if i := strings.IndexAny(host, "?#"); i >= 0 {
			host = host[:i]
		}
		return strings.ToLower(strings.TrimSuffix(host, "."))
	}
	return hostOf(l.URL)
}

// Scheme returns the lower-case scheme of the link, "" for a bare domain
// or www. address, and "mailto" for e-mail addresses.
func (l Link) Scheme() string {
	if l.Kind == LinkEmail {
		return "mailto"
	}
	u := strings.TrimSpace(l.URL)
	i := strings.Index(u, ":")
	if i <= 0 {
		return ""
	}
	s := strings.ToLower(u[:i])
	for j := 0; j < len(s); j++ {
		if !(isAlnum(s[j]) || s[j] == '+' || s[j] == '-' || s[j] == '.') {
			return ""
		}
	}
	return s
}

func hostOf(raw string) string {
	raw = strings.TrimSpace(raw)
	lower := strings.ToLower(raw)
	switch {
	case strings.HasPrefix(lower, "http://"), strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "//"):
	case strings.HasPrefix(lower, "tel:"), strings.HasPrefix(lower, "sms:"), strings.HasPrefix(lower, "#"),
		strings.HasPrefix(lower, "/"), strings.HasPrefix(lower, "{{"):
		return ""
	case strings.Contains(lower, "://"):
		// Another scheme: ftp://, javascript: and so on.
	case strings.Contains(lower, ":") && !strings.Contains(lower[:strings.Index(lower, ":")], "."):
		return ""
	default:
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		// Fall back to cutting by hand: the host is what lies between the
		// scheme and the first slash.
		rest := raw
		if i := strings.Index(rest, "//"); i >= 0 {
			rest = rest[i+2:]
		}
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			rest = rest[:i]
		}
		if i := strings.LastIndex(rest, "@"); i >= 0 {
			rest = rest[i+1:]
		}
		if i := strings.LastIndex(rest, ":"); i >= 0 {
			rest = rest[:i]
		}
		return strings.ToLower(strings.TrimSuffix(rest, "."))
	}
	return strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
}
