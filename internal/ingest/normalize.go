package ingest

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/geo"
)

// rowError is why a row goes to quarantine: the column at fault (-1 for the
// whole row) and a reason a person can act on.
type rowError struct {
	col    int
	reason string
}

// Reasons. Tests match on the prefix before any quoted value.
const (
	reasonFieldCount    = "wrong number of fields"
	reasonEmail         = "invalid e-mail address"
	reasonState         = "unknown state"
	reasonZIP           = "invalid ZIP code"
	reasonZIPState      = "ZIP/state mismatch"
	reasonCountry       = "unknown country"
	reasonNoContact     = "no contact: needs an e-mail address or a mailable postal address (street, city and ZIP)"
	reasonNoIdentity    = "no identity: needs an id, an e-mail address, or a name with a postal address"
	reasonElement       = "unknown data element"
	reasonNoElements    = "no data elements: the row lists none and no --elements was given"
	reasonBoolean       = "invalid boolean"
	reasonLocale        = "unknown language"
	reasonMalformed     = "malformed CSV"
	reasonJurisdiction  = "no jurisdiction"
	maxCachedElementSet = 4096
)

// normalizer turns records into people. It is used by one goroutine and
// reuses its caches across rows.
type normalizer struct {
	m         *mapping
	wholeFile breach.ElementSet
	// elementCache memoises parsed elements-column values, which repeat.
	elementCache map[string]breach.ElementSet
	sb           strings.Builder
}

func newNormalizer(m *mapping, wholeFile breach.ElementSet) *normalizer {
	return &normalizer{m: m, wholeFile: wholeFile, elementCache: make(map[string]breach.ElementSet)}
}

func (n *normalizer) value(rec []string, f field) string {
	i := n.m.byField[f]
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// person fills p from rec. It returns nil or the reason the row is
// rejected.
func (n *normalizer) person(rec []string, p *breach.Person) *rowError {
	*p = breach.Person{}
	m := n.m

	// Flags and elements.
	var err *rowError
	if p.Minor, err = n.flag(rec, fieldMinor); err != nil {
		return err
	}
	if p.Deceased, err = n.flag(rec, fieldDeceased); err != nil {
		return err
	}
	if p.NoContact, err = n.flag(rec, fieldNoContact); err != nil {
		return err
	}
	elems := n.wholeFile
	if v := n.value(rec, fieldElements); v != "" {
		set, ok := n.elementCache[v]
		if !ok {
			s, perr := breach.ParseElementSet(v)
			if perr != nil {
				return &rowError{m.byField[fieldElements], reasonElement + ": " + strings.TrimPrefix(breach.ErrorMessage(perr), "unknown data element ")}
			}
			set = s
			if len(n.elementCache) < maxCachedElementSet {
				n.elementCache[strings.Clone(v)] = set
			}
		}
		elems = elems.Union(set)
	}
	for i := range m.cols {
		c := &m.cols[i]
		if c.sensitive == nil && c.field != fieldFlag || i >= len(rec) {
			continue
		}
		if c.field != fieldNone && c.field != fieldFlag {
			continue
		}
		v, ok := parseBool(rec[i])
		if !ok {
			if c.sensitive == nil {
				return &rowError{i, reasonBoolean + " " + quote(rec[i]) + ": want yes/no, true/false or 1/0"}
			}
			continue // "-" in a sensitive column: nothing
		}
		if v {
			e := c.element
			if c.field != fieldFlag {
				e = c.sensitive.element
			}
			elems = elems.Add(e)
		}
	}
	p.Elements = elems

	// Identity.
	p.ExternalID = collapse(n.value(rec, fieldExternalID))
	p.FirstName = n.name(n.value(rec, fieldFirstName))
	p.LastName = n.name(n.value(rec, fieldLastName))
	if p.FirstName == "" && p.LastName == "" {
		if full := n.value(rec, fieldName); full != "" {
			first, last := splitName(collapse(full))
			p.FirstName, p.LastName = n.name(first), n.name(last)
		}
	}
	if v := n.value(rec, fieldEmail); v != "" {
		e, ok := normalizeEmail(v)
		if !ok {
			return &rowError{m.byField[fieldEmail], reasonEmail + " " + quote(v)}
		}
		p.Email = e
	}
	p.Phone = collapse(n.value(rec, fieldPhone))

	// Address.
	a := &p.Address
	a.Line1 = collapse(n.value(rec, fieldLine1))
	a.Line2 = collapse(n.value(rec, fieldLine2))
	a.City = collapse(n.value(rec, fieldCity))
	region := collapse(n.value(rec, fieldRegion))
	postal := collapse(n.value(rec, fieldPostal))
	if z4 := n.value(rec, fieldZIP4); z4 != "" && postal != "" && !strings.ContainsAny(postal, "- ") {
		postal += "-" + z4
	}
	if v := n.value(rec, fieldCountry); v != "" {
		c, ok := geo.Country(v)
		if !ok {
			return &rowError{m.byField[fieldCountry], reasonCountry + " " + quote(v)}
		}
		a.Country = c
	}
	if a.Country == "" && (region != "" || postal != "") {
		// No country: a US state or ZIP means the United States.
		if region != "" {
			if _, ok := geo.USState(region); ok {
				a.Country = "US"
			} else {
				return &rowError{m.byField[fieldRegion], reasonState + " " + quote(region) + " (and no country given)"}
			}
		} else if _, ok := geo.NormalizeZIP(postal); ok {
			a.Country = "US"
		}
	}
	switch a.Country {
	case "PR", "GU", "VI", "AS", "MP":
		// US territories written as countries are US addresses.
		if region == "" {
			region = a.Country
		}
		a.Country = "US"
	}
	switch {
	case a.Country == "US":
		if region != "" {
			s, ok := geo.USState(region)
			if !ok {
				return &rowError{m.byField[fieldRegion], reasonState + " " + quote(region)}
			}
			a.Region = s
		}
		if postal != "" {
			z, ok := geo.NormalizeZIP(postal)
			if !ok {
				return &rowError{m.byField[fieldPostal], reasonZIP + " " + quote(postal)}
			}
			a.PostalCode = z
			if a.Region == "" {
				if s, ok := geo.ZIPState(z); ok {
					a.Region = s
				}
			} else if !geo.ZIPMatchesState(z, a.Region) {
				zs, _ := geo.ZIPState(z)
				return &rowError{m.byField[fieldPostal], reasonZIPState + ": ZIP code " + z + " is in " + zs + ", not " + a.Region}
			}
		}
	case geo.HasSubdivisions(a.Country):
		if region != "" {
			s, ok := geo.Subdivision(a.Country, region)
			if !ok {
				return &rowError{m.byField[fieldRegion], reasonState + " " + quote(region) + " in " + a.Country}
			}
			a.Region = s
		}
		a.PostalCode = strings.ToUpper(postal)
		if a.Country == "CA" {
			a.PostalCode = canadianPostal(a.PostalCode)
		}
	default:
		a.Region = region
		a.PostalCode = strings.ToUpper(postal)
	}
	if a.Country != "" {
		j, err := geo.Jurisdiction(*a)
		if err != nil {
			return &rowError{m.byField[fieldCountry], reasonJurisdiction + ": " + breach.ErrorMessage(err)}
		}
		p.Jurisdiction = j
	}

	if v := n.value(rec, fieldLocale); v != "" {
		l, ok := normalizeLocale(v)
		if !ok {
			return &rowError{m.byField[fieldLocale], reasonLocale + " " + quote(v)}
		}
		p.Locale = l
	}

	if p.ExternalID == "" && p.Email == "" && (p.Name() == "" || a.Line1 == "") {
		return &rowError{-1, reasonNoIdentity}
	}
	if !p.Reachable() {
		return &rowError{-1, reasonNoContact}
	}
	if p.Elements == 0 {
		return &rowError{m.byField[fieldElements], reasonNoElements}
	}
	return nil
}

func (n *normalizer) flag(rec []string, f field) (bool, *rowError) {
	v := n.value(rec, f)
	if v == "" {
		return false, nil
	}
	b, ok := parseBool(v)
	if !ok {
		return false, &rowError{n.m.byField[f], reasonBoolean + " " + quote(v) + ": want yes/no, true/false or 1/0"}
	}
	return b, nil
}

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return `"` + s + `"`
}

// parseBool reads yes/no, y/n, true/false, t/f, 1/0, x (yes), on/off; an
// empty value is false.
func parseBool(s string) (value, ok bool) {
	s = strings.TrimSpace(s)
	switch len(s) {
	case 0:
		return false, true
	case 1:
		switch s[0] {
		case 'y', 'Y', 't', 'T', '1', 'x', 'X':
			return true, true
		case 'n', 'N', 'f', 'F', '0':
			return false, true
		}
		return false, false
	}
	for _, t := range [...]string{"yes", "true", "on"} {
		if strings.EqualFold(s, t) {
			return true, true
		}
	}
	for _, f := range [...]string{"no", "false", "off"} {
		if strings.EqualFold(s, f) {
			return false, true
		}
	}
	return false, false
}

// collapse trims s and reduces inner runs of white space to one space,
// allocating only when it has to.
func collapse(s string) string {
	s = strings.TrimSpace(s)
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || c == ' ' && i > 0 && s[i-1] == ' ' || c >= utf8.RuneSelf {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) && !strings.Contains(s, "  ") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// name collapses spaces and title-cases a name typed all in capitals or
// all in lower case ("MARY-ANNE O'NEIL" → "Mary-Anne O'Neil"); mixed case is
// kept as written ("McDonald", "de la Cruz").
func (n *normalizer) name(s string) string {
	s = collapse(s)
	if s == "" {
		return s
	}
	hasUpper, hasLower := false, false
	for _, r := range s {
		if unicode.IsUpper(r) {
			hasUpper = true
		} else if unicode.IsLower(r) {
			hasLower = true
		}
	}
	if hasUpper && hasLower {
		return s
	}
	b := &n.sb
	b.Reset()
	b.Grow(len(s))
	start := true
	for _, r := range s {
		if start {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		start = r == ' ' || r == '-' || r == '\'' || r == '’' || r == '.'
	}
	return b.String()
}

// splitName splits a full name into first and last: "Last, First" or
// "First Middle Last" (a trailing Jr., Sr. or roman numeral stays with the
// last name).
func splitName(full string) (first, last string) {
	if l, f, ok := strings.Cut(full, ","); ok {
		f = strings.TrimSpace(f)
		if !isSuffix(f) {
			return f, strings.TrimSpace(l)
		}
	}
	i := strings.LastIndexByte(full, ' ')
	if i < 0 {
		return "", full
	}
	if isSuffix(full[i+1:]) {
		j := strings.LastIndexByte(full[:i], ' ')
		if j < 0 {
			return "", full
		}
		return full[:j], full[j+1:]
	}
	return full[:i], full[i+1:]
}

func isSuffix(s string) bool {
	switch strings.ToLower(strings.TrimRight(s, ".")) {
	case "jr", "sr", "ii", "iii", "iv", "v":
		return true
	}
	return false
}

// normalizeEmail lower-cases and checks an address: the common dot-atom
// form is checked inline, anything else ("Name <a@b.c>", quoted local parts)
// by net/mail. The domain must contain a dot.
func normalizeEmail(s string) (string, bool) {
	if simpleEmail(s) {
		return lowerASCII(s), true
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", false
	}
	at := strings.LastIndexByte(a.Address, '@')
	if at <= 0 || !validEmailDomain(a.Address[at+1:]) {
		return "", false
	}
	local, domain := a.Address[:at], strings.ToLower(a.Address[at+1:])
	if !dotAtom(local) {
		// net/mail unquotes a quoted local part: quote it again so the
		// address stays deliverable.
		local = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(local) + `"`
	}
	return strings.ToLower(local) + "@" + domain, true
}

// dotAtom reports whether s is an RFC 5322 dot-atom.
func dotAtom(s string) bool {
	prevDot := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if prevDot {
				return false
			}
			prevDot = true
			continue
		}
		prevDot = false
		if !isAtext(c) {
			return false
		}
	}
	return !prevDot
}

// simpleEmail reports whether s is local@domain with a dot-atom local part
// (RFC 5322 atext) and a host name of letters, digits and hyphens with at
// least one dot: a subset of what net/mail accepts.
func simpleEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at > 64 || at == len(s)-1 {
		return false
	}
	return dotAtom(s[:at]) && validEmailDomain(s[at+1:])
}

func validEmailDomain(d string) bool {
	if len(d) < 3 || len(d) > 253 || strings.IndexByte(d, '.') < 0 {
		return false
	}
	labelLen := 0
	for i := 0; i < len(d); i++ {
		c := d[i]
		switch {
		case c == '.':
			if labelLen == 0 || d[i-1] == '-' {
				return false
			}
			labelLen = 0
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			labelLen++
		case c == '-':
			if labelLen == 0 {
				return false
			}
			labelLen++
		default:
			return false
		}
		if labelLen > 63 {
			return false
		}
	}
	return labelLen > 0 && d[len(d)-1] != '-'
}

func isAtext(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// canadianPostal formats "k1a0b1" as "K1A 0B1" when it has that shape.
func canadianPostal(s string) string {
	t := strings.ReplaceAll(s, " ", "")
	if len(t) == 6 {
		return t[:3] + " " + t[3:]
	}
	return s
}

var languageNames = map[string]string{
	"english": "en", "spanish": "es", "espanol": "es", "español": "es", "castellano": "es",
	"french": "fr", "francais": "fr", "français": "fr", "german": "de", "deutsch": "de",
	"italian": "it", "italiano": "it", "portuguese": "pt", "portugues": "pt", "português": "pt",
	"chinese": "zh", "mandarin": "zh", "cantonese": "yue", "vietnamese": "vi", "korean": "ko",
	"japanese": "ja", "russian": "ru", "arabic": "ar", "tagalog": "tl", "filipino": "fil",
	"polish": "pl", "dutch": "nl", "hindi": "hi", "haitian creole": "ht", "greek": "el",
}

// normalizeLocale accepts a BCP 47 tag ("en", "es-US", "pt_BR") or an
// English or native language name ("Spanish", "Español").
func normalizeLocale(s string) (string, bool) {
	if l, ok := languageNames[strings.ToLower(s)]; ok {
		return l, true
	}
	// "English (US)" → "english".
	if i := strings.IndexAny(s, " ("); i > 0 {
		if l, ok := languageNames[strings.ToLower(s[:i])]; ok {
			return l, true
		}
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 || len(parts) > 3 {
		return "", false
	}
	for i, p := range parts {
		if len(p) < 2 || len(p) > 8 || (i == 0 && len(p) > 3) {
			return "", false
		}
		for j := 0; j < len(p); j++ {
			c := p[j]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
				return "", false
			}
		}
	}
	out := strings.ToLower(parts[0])
	for _, p := range parts[1:] {
		if len(p) == 2 {
			out += "-" + strings.ToUpper(p)
		} else {
			out += "-" + p
		}
	}
	return out, true
}
