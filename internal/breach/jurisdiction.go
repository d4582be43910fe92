package breach

import (
	"strings"
)

// Jurisdiction is an ISO 3166 code: a country ("GB", "DE") or a subdivision
// ("US-TX", "US-DC", "US-PR", "CA-QC"). The empty value means unknown.
type Jurisdiction string

// Country returns the ISO 3166-1 alpha-2 part, such as "US".
func (j Jurisdiction) Country() string {
	s := string(j)
	if i := strings.IndexByte(s, '-'); i >= 0 {
		return s[:i]
	}
	return s
}

// Subdivision returns the part after the dash ("TX" for "US-TX"), or "".
func (j Jurisdiction) Subdivision() string {
	s := string(j)
	if i := strings.IndexByte(s, '-'); i >= 0 {
		return s[i+1:]
	}
	return ""
}

// IsUS reports whether j is one of the 54 US jurisdictions with a
// breach-notification law (50 states, DC, PR, GU, VI) or another US territory.
func (j Jurisdiction) IsUS() bool { return j.Country() == "US" }

// Validate checks the code's shape and, for US codes, that the state or
// territory exists.
func (j Jurisdiction) Validate() error {
	s := string(j)
	country, sub, hasSub := strings.Cut(s, "-")
	if len(country) != 2 || !isUpperAlpha(country) {
		return Errorf(EINVALID, "jurisdiction %q is not an ISO 3166 code such as US-TX or DE", s)
	}
	if !hasSub {
		return nil
	}
	if len(sub) < 1 || len(sub) > 3 || !isUpperAlnum(sub) {
		return Errorf(EINVALID, "jurisdiction %q is not an ISO 3166-2 code such as US-TX or CA-QC", s)
	}
	if country == "US" {
		if _, ok := usStateNames[sub]; !ok {
			return Errorf(EINVALID, "jurisdiction %q: %q is not a US state or territory", s, sub)
		}
	}
	return nil
}

// Name returns a readable name for US jurisdictions ("Texas") and the code
// itself otherwise.
func (j Jurisdiction) Name() string {
	if j.IsUS() {
		if n, ok := usStateNames[j.Subdivision()]; ok {
			return n
		}
	}
	return string(j)
}

// ParseJurisdiction upper-cases and validates s.
func ParseJurisdiction(s string) (Jurisdiction, error) {
	j := Jurisdiction(strings.ToUpper(strings.TrimSpace(s)))
	if err := j.Validate(); err != nil {
		return "", err
	}
	return j, nil
}

// USStates returns the two-letter codes of the 50 states, DC and the
// territories Candor knows, mapped to their names.
func USStates() map[string]string {
	out := make(map[string]string, len(usStateNames))
	for k, v := range usStateNames {
		out[k] = v
	}
	return out
}

var usStateNames = map[string]string{
	"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
	"CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
	"HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
	"KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
	"MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
	"MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
	"NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
	"OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
	"SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
	"VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
	"DC": "District of Columbia", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
	"AS": "American Samoa", "MP": "Northern Mariana Islands",
}

func isUpperAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
