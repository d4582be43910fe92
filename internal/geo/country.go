package geo

import "strings"

// countryAliases maps other common spellings, native names and historic
// names (folded with fold) to alpha-2 codes. Official English names and the
// alpha-2 and alpha-3 codes are matched from the countries table.
var countryAliases = map[string]string{
	// United States.
	"united states of america": "US", "usa": "US", "u s a": "US", "us": "US", "u s": "US",
	"america": "US", "the united states": "US", "united states": "US", "estados unidos": "US",
	// United Kingdom and its nations.
	"uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
	"scotland": "GB", "wales": "GB", "northern ireland": "GB",
	"united kingdom of great britain and northern ireland": "GB",
	// Native and alternative names.
	"deutschland": "DE", "allemagne": "DE", "alemania": "DE", "germania": "DE",
	"federal republic of germany": "DE",
	"espana":                      "ES", "espagne": "ES", "spanien": "ES",
	"italia": "IT", "italie": "IT", "italien": "IT",
	"osterreich": "AT", "oesterreich": "AT", "autriche": "AT",
	"schweiz": "CH", "suisse": "CH", "svizzera": "CH", "swiss confederation": "CH",
	"nederland": "NL", "holland": "NL", "the netherlands": "NL", "pays bas": "NL", "niederlande": "NL",
	"belgie": "BE", "belgique": "BE", "belgien": "BE",
	"sverige": "SE", "norge": "NO", "danmark": "DK", "suomi": "FI", "island": "IS",
	"polska": "PL", "cesko": "CZ", "czech republic": "CZ", "slovensko": "SK",
	"magyarorszag": "HU", "hrvatska": "HR", "slovenija": "SI", "srbija": "RS",
	"romania": "RO", "bulgaria": "BG", "ellada": "GR", "hellas": "GR",
	"eire": "IE", "republic of ireland": "IE",
	"france metropolitaine": "FR", "republique francaise": "FR", "frankreich": "FR", "francia": "FR",
	"mexico": "MX", "estados unidos mexicanos": "MX",
	"brasil": "BR", "peru": "PE", "panama": "PA",
	"canada": "CA", "australia": "AU", "new zealand": "NZ", "aotearoa": "NZ",
	"nippon": "JP", "nihon": "JP",
	"prc": "CN", "peoples republic of china": "CN", "mainland china": "CN",
	"republic of china": "TW", "chinese taipei": "TW",
	"hong kong sar": "HK", "hong kong sar china": "HK", "macau": "MO", "macao sar china": "MO",
	"south korea": "KR", "korea": "KR", "republic of korea": "KR", "korea republic of": "KR", "korea south": "KR",
	"north korea": "KP", "dprk": "KP", "korea north": "KP", "democratic peoples republic of korea": "KP",
	"russia": "RU", "russian federation": "RU", "rossiya": "RU",
	"viet nam": "VN", "vietnam": "VN", "laos": "LA", "lao pdr": "LA",
	"iran": "IR", "islamic republic of iran": "IR", "syria": "SY", "syrian arab republic": "SY",
	"ivory coast": "CI", "cote divoire": "CI",
	"burma": "MM", "east timor": "TL", "timor leste": "TL",
	"swaziland": "SZ", "macedonia": "MK", "republic of north macedonia": "MK",
	"turkey": "TR", "turkiye": "TR", "cape verde": "CV",
	"drc": "CD", "dr congo": "CD", "congo kinshasa": "CD", "zaire": "CD",
	"congo brazzaville": "CG", "congo": "CG", "republic of congo": "CG",
	"vatican": "VA", "holy see": "VA", "holy see vatican city state": "VA",
	"moldova republic of": "MD", "republic of moldova": "MD",
	"tanzania united republic of": "TZ", "united republic of tanzania": "TZ",
	"bolivia plurinational state of": "BO", "venezuela bolivarian republic of": "VE",
	"micronesia federated states of": "FM", "federated states of micronesia": "FM",
	"palestine state of": "PS", "palestinian territories": "PS", "west bank": "PS", "gaza": "PS",
	"brunei darussalam": "BN", "the bahamas": "BS", "the gambia": "GM",
	"uae": "AE", "emirates": "AE", "ksa": "SA",
	"st kitts and nevis": "KN", "st lucia": "LC", "st vincent and the grenadines": "VC",
	"st barthelemy": "BL", "st martin": "MF", "st pierre and miquelon": "PM", "st helena": "SH",
	"curacao": "CW", "reunion": "RE", "aland": "AX", "aland islands": "AX", "sao tome and principe": "ST",
	"falkland islands malvinas": "FK", "us virgin islands": "VI", "virgin islands us": "VI",
	"virgin islands british": "VG", "bvi": "VG", "american samoa": "AS", "guam": "GU",
	"puerto rico": "PR", "northern mariana islands": "MP",
	"bosnia": "BA", "trinidad": "TT", "antigua": "AG", "kosovo": "XK",
}

// countryIndex maps folded names, aliases and codes to alpha-2 codes.
var countryIndex = func() map[string]string {
	m := make(map[string]string, 3*len(countries)+len(countryAliases))
	for _, c := range countries {
		m[fold(c.alpha2)] = c.alpha2
		m[fold(c.alpha3)] = c.alpha2
		m[fold(c.name)] = c.alpha2
	}
	for k, v := range countryAliases {
		m[fold(k)] = v
	}
	return m
}()

// alpha2Known holds the valid alpha-2 codes, for the fast path.
var alpha2Known = func() map[string]string {
	m := make(map[string]string, len(countries))
	for _, c := range countries {
		m[c.alpha2] = c.alpha2
	}
	return m
}()

// countryNames maps alpha-2 codes to English names.
var countryNames = func() map[string]string {
	m := make(map[string]string, len(countries))
	for _, c := range countries {
		m[c.alpha2] = c.name
	}
	return m
}()

// Country returns the ISO 3166-1 alpha-2 code for s, which may be an alpha-2
// or alpha-3 code, an English name, a native name or a common alias, in any
// case and with or without accents and punctuation: "usa", "Deutschland",
// "Côte d'Ivoire", "UK" (→ "GB"). It reports false for an unknown or empty
// value.
func Country(s string) (string, bool) {
	if len(s) == 2 {
		var b [2]byte
		b[0], b[1] = upper(s[0]), upper(s[1])
		if c, ok := alpha2Known[string(b[:])]; ok {
			return c, true
		}
		if b == [2]byte{'U', 'K'} {
			return "GB", true
		}
		return "", false
	}
	k := fold(s)
	if k == "" {
		return "", false
	}
	c, ok := countryIndex[k]
	return c, ok
}

// CountryName returns the English short name of an alpha-2 code, or "" when
// the code is unknown.
func CountryName(alpha2 string) string { return countryNames[alpha2] }

// Countries returns the number of countries known, for documentation and
// tests.
func Countries() int { return len(countries) }

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// fold lower-cases s, replaces common Latin accented letters with their base
// letter, turns "&" into "and", drops apostrophes and dots, and reduces every run of punctuation and spaces to one space. It is meant
// for matching names, not for display.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r == '&':
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			space = true
			continue
		case r == '\'' || r == '’' || r == '`' || r == '.':
			// "Côte d'Ivoire" → "cote divoire", "St." → "st".
			continue
		default:
			if base, ok := accentBase(r); ok {
				r = base
				break
			}
			if b.Len() > 0 {
				space = true
			}
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// accentBase maps common accented Latin letters to their lower-case base.
func accentBase(r rune) (rune, bool) {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'À', 'Á', 'Â', 'Ã', 'Ä', 'Å':
		return 'a', true
	case 'ç', 'Ç':
		return 'c', true
	case 'è', 'é', 'ê', 'ë', 'È', 'É', 'Ê', 'Ë':
		return 'e', true
	case 'ì', 'í', 'î', 'ï', 'Ì', 'Í', 'Î', 'Ï':
		return 'i', true
	case 'ñ', 'Ñ':
		return 'n', true
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'Ò', 'Ó', 'Ô', 'Õ', 'Ö', 'Ø':
		return 'o', true
	case 'ù', 'ú', 'û', 'ü', 'Ù', 'Ú', 'Û', 'Ü':
		return 'u', true
	case 'ý', 'ÿ', 'Ý':
		return 'y', true
	case 'š', 'Š':
		return 's', true
	case 'ž', 'Ž':
		return 'z', true
	case 'č', 'Č':
		return 'c', true
	case 'ł', 'Ł':
		return 'l', true
	}
	return 0, false
}
