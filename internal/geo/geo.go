// Package geo normalises the geographic parts of postal addresses (US
// states and territories, ZIP codes, Canadian provinces, Australian states,
// country names) and derives a person's breach-notification jurisdiction
// from their address. Its tables are read-only after package
// initialisation.
package geo

import (
	"github.com/candor-dev/candor/internal/breach"
)

// subdivisions lists the first-level subdivisions Candor resolves outside
// the United States, keyed by country, as ISO 3166-2 codes without the
// country prefix, with English and native names.
var subdivisions = map[string][]struct {
	code  string
	names []string
}{
	"CA": {
		{"AB", []string{"Alberta", "Alta"}},
		{"BC", []string{"British Columbia", "Colombie-Britannique", "B C"}},
		{"MB", []string{"Manitoba", "Man"}},
		{"NB", []string{"New Brunswick", "Nouveau-Brunswick", "N B"}},
		{"NL", []string{"Newfoundland and Labrador", "Newfoundland", "Terre-Neuve-et-Labrador", "NF", "NFLD", "Labrador"}},
		{"NS", []string{"Nova Scotia", "Nouvelle-Écosse", "N S"}},
		{"NT", []string{"Northwest Territories", "Territoires du Nord-Ouest", "NWT"}},
		{"NU", []string{"Nunavut"}},
		{"ON", []string{"Ontario", "Ont"}},
		{"PE", []string{"Prince Edward Island", "Île-du-Prince-Édouard", "PEI", "P E I"}},
		{"QC", []string{"Quebec", "Québec", "PQ", "Que"}},
		{"SK", []string{"Saskatchewan", "Sask"}},
		{"YT", []string{"Yukon", "Yukon Territory", "YK"}},
	},
	"AU": {
		{"NSW", []string{"New South Wales"}},
		{"VIC", []string{"Victoria"}},
		{"QLD", []string{"Queensland"}},
		{"SA", []string{"South Australia"}},
		{"WA", []string{"Western Australia"}},
		{"TAS", []string{"Tasmania"}},
		{"ACT", []string{"Australian Capital Territory"}},
		{"NT", []string{"Northern Territory"}},
	},
}

var subdivisionIndex = func() map[string]map[string]string {
	out := make(map[string]map[string]string, len(subdivisions))
	for country, subs := range subdivisions {
		m := make(map[string]string)
		for _, s := range subs {
			m[fold(s.code)] = s.code
			m[fold(country+"-"+s.code)] = s.code
			for _, n := range s.names {
				m[fold(n)] = s.code
			}
		}
		out[country] = m
	}
	return out
}()

// Subdivision returns the subdivision code, without the country prefix, of
// region within country: ("US", "Texas") → "TX", ("CA", "Québec") → "QC",
// ("AU", "new south wales") → "NSW". It reports false when the country has
// no subdivision table (only US, CA and AU do) or region is not in it.
func Subdivision(country, region string) (string, bool) {
	if country == "US" {
		return USState(region)
	}
	idx, ok := subdivisionIndex[country]
	if !ok {
		return "", false
	}
	c, ok := idx[fold(region)]
	return c, ok
}

// HasSubdivisions reports whether Subdivision knows the regions of country.
func HasSubdivisions(country string) bool {
	_, ok := subdivisionIndex[country]
	return ok || country == "US"
}

// CanadianProvince returns the province or territory of a Canadian postal
// code from its first letter (the forward sortation area's district). X is
// shared: X0A–X0C are Nunavut, the rest of X the Northwest Territories.
func CanadianProvince(postal string) (string, bool) {
	if postal == "" {
		return "", false
	}
	switch upper(postal[0]) {
	case 'A':
		return "NL", true
	case 'B':
		return "NS", true
	case 'C':
		return "PE", true
	case 'E':
		return "NB", true
	case 'G', 'H', 'J':
		return "QC", true
	case 'K', 'L', 'M', 'N', 'P':
		return "ON", true
	case 'R':
		return "MB", true
	case 'S':
		return "SK", true
	case 'T':
		return "AB", true
	case 'V':
		return "BC", true
	case 'X':
		if len(postal) >= 3 && postal[1] == '0' && (upper(postal[2]) == 'A' || upper(postal[2]) == 'B' || upper(postal[2]) == 'C') {
			return "NU", true
		}
		return "NT", true
	case 'Y':
		return "YT", true
	}
	return "", false
}

// Jurisdiction derives the breach-notification jurisdiction of an address:
// for the United States "US-" and the state or territory, taken from the
// region or, when that is empty, from the ZIP code; for Canada "CA-" and the
// province, from the region or the postal code's first letter; for any
// other country the country code. An empty country counts as the United
// States when the region is a US state or the ZIP code is a US ZIP. A
// military (APO/FPO) address is "US": it has no state. Fields may be
// normalised already or as typed ("Texas", "usa"). The error is EINVALID
// and says which part is wrong.
func Jurisdiction(addr breach.Address) (breach.Jurisdiction, error) {
	country := ""
	if addr.Country != "" {
		c, ok := Country(addr.Country)
		if !ok {
			return "", breach.Errorf(breach.EINVALID, "country %q is not a known country name or ISO 3166 code", addr.Country)
		}
		country = c
	}
	if country == "" {
		if addr.Region != "" {
			if _, ok := USState(addr.Region); ok {
				country = "US"
			}
		} else if z, ok := NormalizeZIP(addr.PostalCode); ok {
			if _, ok := ZIPState(z); ok {
				country = "US"
			}
		}
		if country == "" {
			return "", breach.Errorf(breach.EINVALID, "address has no country, and its region %q and postal code %q are not a US state or ZIP code", addr.Region, addr.PostalCode)
		}
	}
	switch country {
	case "US":
		return usJurisdiction(addr)
	case "CA":
		if addr.Region != "" {
			sub, ok := Subdivision("CA", addr.Region)
			if !ok {
				return "", breach.Errorf(breach.EINVALID, "region %q is not a Canadian province or territory", addr.Region)
			}
			return breach.Jurisdiction("CA-" + sub), nil
		}
		if sub, ok := CanadianProvince(addr.PostalCode); ok {
			return breach.Jurisdiction("CA-" + sub), nil
		}
		return "CA", nil
	case "PR", "GU", "VI", "AS", "MP":
		// US territories written as countries.
		return breach.Jurisdiction("US-" + country), nil
	}
	return breach.Jurisdiction(country), nil
}

func usJurisdiction(addr breach.Address) (breach.Jurisdiction, error) {
	state := ""
	if addr.Region != "" {
		s, ok := USState(addr.Region)
		if !ok {
			return "", breach.Errorf(breach.EINVALID, "state %q is not a US state or territory", addr.Region)
		}
		state = s
	} else if addr.PostalCode != "" {
		z, ok := NormalizeZIP(addr.PostalCode)
		if !ok {
			return "", breach.Errorf(breach.EINVALID, "ZIP code %q is not a US ZIP code", addr.PostalCode)
		}
		s, ok := ZIPState(z)
		if !ok {
			return "", breach.Errorf(breach.EINVALID, "ZIP code %q is not assigned to any US state or territory", addr.PostalCode)
		}
		state = s
	}
	if state == "" || IsMilitary(state) {
		return "US", nil
	}
	return breach.Jurisdiction("US-" + state), nil
}
