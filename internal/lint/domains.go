package lint

import (
	"fmt"
	"net"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// trustedDomains are third parties a notice may rightly send people to:
// the consumer reporting agencies and the FTC's sites. Any host under
// .gov or .mil is trusted too.
var trustedDomains = []string{
	"annualcreditreport.com", "equifax.com", "experian.com", "transunion.com",
	"identitytheft.gov", "ftc.gov",
}

// shorteners are URL-shortening services: a shortened link hides where it
// goes and teaches people to click links they cannot read.
var shorteners = map[string]bool{
	"bit.ly": true, "bitly.com": true, "tinyurl.com": true, "t.co": true, "goo.gl": true, "ow.ly": true,
	"is.gd": true, "v.gd": true, "buff.ly": true, "rebrand.ly": true, "cutt.ly": true, "shorturl.at": true,
	"tiny.cc": true, "lnkd.in": true, "rb.gy": true, "t.ly": true, "bl.ink": true, "short.io": true,
	"s.id": true, "qr.ae": true, "adf.ly": true, "bit.do": true, "mcaf.ee": true, "soo.gd": true,
	"tr.im": true, "x.co": true, "aka.ms": true, "amzn.to": true, "fb.me": true, "dlvr.it": true,
	"ift.tt": true, "trib.al": true, "po.st": true, "shorte.st": true, "clck.ru": true, "tiny.one": true,
	"shrtco.de": true, "surl.li": true, "urlz.fr": true, "zpr.io": true, "linktr.ee": true, "rebrandly.com": true,
	"tinyurl.is": true, "qrco.de": true, "s.yam.com": true, "u.to": true, "1url.com": true, "lc.chat": true,
}

// registrable returns the registrable domain of host (its eTLD+1, such as
// "example.co.uk"), or host itself when it has none.
func registrable(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if r, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return r
	}
	return host
}

// splitDomain splits a registrable domain into its name and public
// suffix: "example.co.uk" → "example", "co.uk".
func splitDomain(reg string) (name, suffix string) {
	suf, _ := publicsuffix.PublicSuffix(reg)
	if suf == "" || suf == reg {
		if i := strings.IndexByte(reg, '.'); i >= 0 {
			return reg[:i], reg[i+1:]
		}
		return reg, ""
	}
	return strings.TrimSuffix(strings.TrimSuffix(reg, suf), "."), suf
}

// isTrusted reports whether host belongs to a trusted third party.
func isTrusted(host string) bool {
	if strings.HasSuffix(host, ".gov") || strings.HasSuffix(host, ".mil") || strings.Contains(host, ".gov.") {
		return true
	}
	for _, d := range trustedDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// isShortener reports whether host is a URL shortener.
func isShortener(host string) bool {
	return shorteners[host] || shorteners[registrable(host)]
}

// findDomains sets the official domains and brand names to check links
// against: the organisation's when given, else guessed from the notice
// (the domain of its e-mail addresses, or its most linked domain).
func (a *analysis) findDomains() {
	if a.opts != nil && a.opts.Org != nil && a.opts.Org.PrimaryDomain != "" {
		for _, d := range a.opts.Org.Domains() {
			if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
				a.domains = append(a.domains, d)
			}
		}
		a.brands = brandTokens(a.domains, a.opts.Org.Brand, a.opts.Org.LegalName)
		return
	}
	count := map[string]int{}
	for _, l := range a.doc.Links {
		h := l.Host()
		if h == "" || isTrusted(h) || isShortener(h) || net.ParseIP(h) != nil {
			continue
		}
		w := 1
		if l.Kind == LinkEmail {
			w = 100 // the sender's own address is the best guess
		}
		count[registrable(h)] += w
	}
	best, n := "", 0
	for d, c := range count {
		if c > n || c == n && d < best {
			best, n = d, c
		}
	}
	if best != "" {
		a.domains, a.inferred = []string{best}, true
		a.brands = brandTokens(a.domains, "", "")
	}
}

// brandTokens returns the lower-case names that identify the organisation
// in a domain: each official domain's name and the brand and legal name
// squeezed of spaces and company suffixes. Names shorter than four letters
// are left out: they match too much.
func brandTokens(domains []string, brand, legal string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = squeeze(s)
		if len(s) >= 4 && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, d := range domains {
		name, _ := splitDomain(registrable(d))
		add(name)
	}
	for _, n := range []string{brand, legal} {
		words := strings.FieldsFunc(strings.ToLower(n), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		for len(words) > 0 {
			switch words[len(words)-1] {
			case "inc", "llc", "ltd", "corp", "corporation", "co", "company", "plc", "gmbh", "sa", "ag", "lp", "llp", "group", "holdings":
				words = words[:len(words)-1]
				continue
			}
			break
		}
		add(strings.Join(words, ""))
		if len(words) > 1 && len(words[0]) >= 5 {
			add(words[0])
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) || len(out[i]) == len(out[j]) && out[i] < out[j] })
	return out
}

func squeeze(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// official reports whether host is one of the official domains or a
// subdomain of one.
func (a *analysis) official(host string) bool {
	for _, d := range a.domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// lookalike explains why host imitates one of the official or trusted
// domains, or returns "" when it does not. host must not itself be
// official or trusted.
func lookalike(host string, officials, brands []string) string {
	uni := host
	if strings.Contains(host, "xn--") {
		if u, err := idna.ToUnicode(host); err == nil {
			uni = u
		}
	}
	reg := registrable(host)
	name, suffix := splitDomain(reg)
	uname := name
	if u, err := idna.ToUnicode(name); err == nil {
		uname = u
	}
	targets := make([]string, 0, len(officials)+len(trustedDomains))
	targets = append(targets, officials...)
	targets = append(targets, trustedDomains...)
	for _, t := range targets {
		treg := registrable(t)
		tname, tsuffix := splitDomain(treg)
		if len(tname) < 3 {
			continue
		}
		switch {
		case name == tname && suffix != tsuffix:
			return fmt.Sprintf("it has the name of %s on another ending (.%s instead of .%s)", treg, suffix, tsuffix)
		case uname != name && skeleton(uname) == skeleton(tname):
			return fmt.Sprintf("it spells %s with look-alike letters from another alphabet (%s)", treg, uni)
		case mixedScript(uname):
			return fmt.Sprintf("it mixes letters of different alphabets (%s), a trick to imitate a real name", uni)
		case name != tname && skeleton(name) == skeleton(tname):
			return fmt.Sprintf("it swaps look-alike characters in %s", treg)
		}
		if d := damerauLevenshtein(name, tname); d > 0 && d <= typoDistance(tname) {
			return fmt.Sprintf("it is %d character%s away from %s", d, plural(d), treg)
		}
	}
	// A brand name with extra words ("brand-security2017.com",
	// "brandbreach.com") or a brand name as a subdomain of another site
	// ("brand.com.account-check.net").
	for _, b := range append(append([]string{}, brands...), trustedBrands()...) {
		if name == b {
			continue
		}
		if strings.Contains(squeeze(name), b) {
			return fmt.Sprintf("it adds words to the name %q, as look-alike sites do", b)
		}
		sub := strings.TrimSuffix(strings.TrimSuffix(host, reg), ".")
		if sub != "" && strings.Contains(squeeze(sub), b) {
			return fmt.Sprintf("it puts the name %q in front of another site (%s)", b, reg)
		}
	}
	return ""
}

func trustedBrands() []string {
	var out []string
	for _, d := range trustedDomains {
		name, _ := splitDomain(d)
		if len(name) >= 6 {
			out = append(out, name)
		}
	}
	return out
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// typoDistance is the edit distance under which a name reads as a typo of
// a name of length len(t).
func typoDistance(t string) int {
	switch n := len([]rune(t)); {
	case n <= 4:
		return 0
	case n <= 8:
		return 1
	default:
		return 2
	}
}

// damerauLevenshtein returns the optimal-string-alignment edit distance
// between a and b: insertions, deletions, substitutions and swaps of two
// adjacent characters each cost one.
func damerauLevenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n, m := len(ra), len(rb)
	if n == 0 {
		return m
	}
	if m == 0 {
		return n
	}
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[n][m]
}

// skeleton maps a name to a canonical form in which characters that look
// alike are the same: Cyrillic and Greek look-alikes become Latin, digits
// become the letters they resemble, "rn" becomes "m" and "vv" "w", and
// "i" and "l" (hard to tell apart in many fonts) become one.
func skeleton(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if c, ok := confusables[r]; ok {
			r = c
		}
		b.WriteRune(r)
	}
	out := b.String()
	out = strings.NewReplacer("rn", "m", "vv", "w", "cl", "d", "-", "").Replace(out)
	return out
}

// confusables maps characters to the Latin letter they resemble.
var confusables = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c',
	'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'l', 'ї': 'l', 'ј': 'j', 'ԁ': 'd', 'ӏ': 'l', 'ԛ': 'q',
	'ԝ': 'w', 'һ': 'h', 'ɡ': 'g', 'ь': 'b', 'п': 'n',
	// Greek
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'l', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
	'υ': 'u', 'χ': 'x', 'ω': 'w', 'μ': 'u',
	// Latin look-alikes and digits
	'ı': 'l', 'ł': 'l', 'ǀ': 'l', 'í': 'l', 'ì': 'l', 'ï': 'l', 'i': 'l', '1': 'l', '|': 'l', '!': 'l',
	'0': 'o', 'ó': 'o', 'ò': 'o', 'ö': 'o', 'ø': 'o', '3': 'e', 'é': 'e', 'è': 'e', 'ë': 'e',
	'4': 'a', 'á': 'a', 'à': 'a', 'ä': 'a', 'å': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g',
	'ü': 'u', 'ú': 'u', 'ù': 'u', 'ç': 'c', 'ñ': 'n', 'ý': 'y', 'ÿ': 'y',
}

// mixedScript reports whether the letters of s come from more than one
// script (Latin with Cyrillic, say).
func mixedScript(s string) bool {
	var latin, cyrillic, greek, other bool
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r):
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic = true
		case unicode.Is(unicode.Greek, r):
			greek = true
		default:
			other = true
		}
	}
	n := 0
	for _, b := range []bool{latin, cyrillic, greek, other} {
		if b {
			n++
		}
	}
	return n > 1
}
