package geo

import (
	"fmt"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/breach"
)

func TestJurisdiction(t *testing.T) {
	tests := []struct {
		name    string
		addr    breach.Address
		want    breach.Jurisdiction
		wantErr string // substring of the error message; "" for success
	}{
		{name: "US state code", addr: breach.Address{Region: "TX", Country: "US"}, want: "US-TX"},
		{name: "US state name lower case", addr: breach.Address{Region: "texas", Country: "usa"}, want: "US-TX"},
		{name: "US state abbreviation with dots", addr: breach.Address{Region: "N. Dak.", Country: "United States"}, want: "US-ND"},
		{name: "DC by name", addr: breach.Address{Region: "District of Columbia", Country: "US"}, want: "US-DC"},
		{name: "empty country with US state", addr: breach.Address{Region: "California"}, want: "US-CA"},
		{name: "empty country and region, ZIP only", addr: breach.Address{PostalCode: "78701"}, want: "US-TX"},
		{name: "ZIP when state missing", addr: breach.Address{PostalCode: "10001-1234", Country: "US"}, want: "US-NY"},
		{name: "ZIP with lost leading zero", addr: breach.Address{PostalCode: "2134", Country: "US"}, want: "US-MA"},
		{name: "Puerto Rico ZIP", addr: breach.Address{PostalCode: "00901", Country: "US"}, want: "US-PR"},
		{name: "Virgin Islands ZIP", addr: breach.Address{PostalCode: "00802", Country: "US"}, want: "US-VI"},
		{name: "Guam ZIP", addr: breach.Address{PostalCode: "96910", Country: "US"}, want: "US-GU"},
		{name: "American Samoa ZIP", addr: breach.Address{PostalCode: "96799", Country: "US"}, want: "US-AS"},
		{name: "DC ZIP", addr: breach.Address{PostalCode: "20500", Country: "US"}, want: "US-DC"},
		{name: "El Paso ZIP", addr: breach.Address{PostalCode: "88510", Country: "US"}, want: "US-TX"},
		{name: "APO address has no state", addr: breach.Address{Region: "AE", PostalCode: "09021", Country: "US"}, want: "US"},
		{name: "FPO Pacific ZIP", addr: breach.Address{PostalCode: "96601", Country: "US"}, want: "US"},
		{name: "Puerto Rico as a country", addr: breach.Address{Country: "Puerto Rico"}, want: "US-PR"},
		{name: "Guam as alpha-3", addr: breach.Address{Country: "GUM"}, want: "US-GU"},
		{name: "US without state or ZIP", addr: breach.Address{Country: "US"}, want: "US"},
		{name: "Canada by province name", addr: breach.Address{Region: "Québec", Country: "Canada"}, want: "CA-QC"},
		{name: "Canada by postal code", addr: breach.Address{PostalCode: "M5V 3L9", Country: "CA"}, want: "CA-ON"},
		{name: "Canada Nunavut postal code", addr: breach.Address{PostalCode: "X0A 0H0", Country: "CA"}, want: "CA-NU"},
		{name: "Canada without region", addr: breach.Address{Country: "CAN"}, want: "CA"},
		{name: "Germany native name", addr: breach.Address{Region: "Bayern", Country: "Deutschland"}, want: "DE"},
		{name: "United Kingdom alias", addr: breach.Address{Country: "UK"}, want: "GB"},
		{name: "England", addr: breach.Address{Country: "England"}, want: "GB"},
		{name: "Australia is national", addr: breach.Address{Region: "NSW", Country: "Australia"}, want: "AU"},
		{name: "Ivory Coast accents", addr: breach.Address{Country: "Côte d’Ivoire"}, want: "CI"},
		{name: "unknown country", addr: breach.Address{Country: "Atlantis"}, wantErr: `country "Atlantis" is not a known country`},
		{name: "unknown US state", addr: breach.Address{Region: "Narnia", Country: "US"}, wantErr: `state "Narnia" is not a US state`},
		{name: "unknown Canadian province", addr: breach.Address{Region: "Texas", Country: "CA"}, wantErr: `region "Texas" is not a Canadian province`},
		{name: "unassigned ZIP prefix", addr: breach.Address{PostalCode: "00123", Country: "US"}, wantErr: "not assigned"},
		{name: "malformed ZIP", addr: breach.Address{PostalCode: "ABCDE", Country: "US"}, wantErr: "not a US ZIP code"},
		{name: "no country, foreign region", addr: breach.Address{Region: "Bavaria"}, wantErr: "has no country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Jurisdiction(tt.addr)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("got %q, want error containing %q", got, tt.wantErr)
				}
				if code := breach.ErrorCode(err); code != breach.EINVALID {
					t.Errorf("got code %q, want %q", code, breach.EINVALID)
				}
				if msg := breach.ErrorMessage(err); !strings.Contains(msg, tt.wantErr) {
					t.Errorf("got error %q, want it to contain %q", msg, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want %q", err, tt.want)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("derived jurisdiction %q does not validate: %v", got, err)
			}
		})
	}
}

func TestNormalizeZIP(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"five digits", "78701", "78701", true},
		{"zip plus four", "78701-1234", "78701-1234", true},
		{"zip plus four with space", "78701 1234", "78701-1234", true},
		{"nine digits", "787011234", "78701-1234", true},
		{"lost leading zero", "2134", "02134", true},
		{"lost two zeros", "601", "00601", true},
		{"eight digits", "21341234", "02134-1234", true},
		{"lost zero with plus four", "2134-1234", "02134-1234", true},
		{"letters", "SW1A 1AA", "", false},
		{"too long", "1234567890", "", false},
		{"two digits", "12", "", false},
		{"bad plus four", "78701-12", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NormalizeZIP(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("NormalizeZIP(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestZIPState(t *testing.T) {
	tests := []struct {
		zip, want string
		ok        bool
	}{
		{"00501", "NY", true}, {"00601", "PR", true}, {"00701", "PR", true}, {"00802", "VI", true},
		{"00901", "PR", true}, {"01001", "MA", true}, {"02801", "RI", true}, {"03301", "NH", true},
		{"04101", "ME", true}, {"05401", "VT", true}, {"05501", "MA", true}, {"06101", "CT", true},
		{"07101", "NJ", true}, {"09001", "AE", true}, {"10001", "NY", true}, {"15001", "PA", true},
		{"19701", "DE", true}, {"20001", "DC", true}, {"20101", "VA", true}, {"20601", "MD", true},
		{"22201", "VA", true}, {"25301", "WV", true}, {"27601", "NC", true}, {"29201", "SC", true},
		{"30301", "GA", true}, {"32801", "FL", true}, {"34001", "AA", true}, {"34101", "FL", true},
		{"35201", "AL", true}, {"37201", "TN", true}, {"39201", "MS", true}, {"39901", "GA", true},
		{"40201", "KY", true}, {"43201", "OH", true}, {"46201", "IN", true}, {"48201", "MI", true},
		{"50301", "IA", true}, {"53201", "WI", true}, {"55401", "MN", true}, {"57101", "SD", true},
		{"58102", "ND", true}, {"59601", "MT", true}, {"60601", "IL", true}, {"63101", "MO", true},
		{"66101", "KS", true}, {"68101", "NE", true}, {"70112", "LA", true}, {"72201", "AR", true},
		{"73101", "OK", true}, {"73301", "TX", true}, {"75201", "TX", true}, {"80201", "CO", true},
		{"82001", "WY", true}, {"83701", "ID", true}, {"84101", "UT", true}, {"85001", "AZ", true},
		{"87101", "NM", true}, {"88501", "TX", true}, {"89101", "NV", true}, {"90001", "CA", true},
		{"96201", "AP", true}, {"96801", "HI", true}, {"96799", "AS", true}, {"96910", "GU", true},
		{"96950", "MP", true}, {"97201", "OR", true}, {"98101", "WA", true}, {"99501", "AK", true},
		{"00123", "", false}, {"96940", "", false}, {"123", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.zip, func(t *testing.T) {
			got, ok := ZIPState(tt.zip)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ZIPState(%q) = %q, %v; want %q, %v", tt.zip, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestZIPTableCoversEveryStateOnce(t *testing.T) {
	// Every state, DC and territory with its own ZIPs appears, and ranges
	// neither overlap nor leave gaps from 005 to 999.
	prev := 4
	for _, r := range zip3Ranges {
		if r.lo != prev+1 || r.hi < r.lo {
			t.Fatalf("range %03d–%03d %s: got start %03d, want %03d", r.lo, r.hi, r.state, r.lo, prev+1)
		}
		if _, ok := USState(r.state); !ok {
			t.Errorf("range %03d–%03d: %q is not a USPS code", r.lo, r.hi, r.state)
		}
		prev = r.hi
	}
	if prev != 999 {
		t.Errorf("ranges end at %03d, want 999", prev)
	}
	seen := map[string]bool{}
	for _, r := range zip3Ranges {
		seen[r.state] = true
	}
	for code := range breach.USStates() {
		if code == "AS" || code == "MP" {
			continue // five-digit exceptions
		}
		if !seen[code] {
			t.Errorf("no ZIP prefix for %s", code)
		}
	}
}

func TestZIPMatchesState(t *testing.T) {
	tests := []struct {
		name, zip, state string
		want             bool
	}{
		{"same state", "78701", "TX", true},
		{"clear mismatch", "78701", "CA", false},
		{"unknown ZIP is no mismatch", "00123", "TX", true},
		{"straddling ZIP", "42223", "TN", true},
		{"straddling ZIP home state", "42223", "KY", true},
		{"Guam prefix for Saipan", "96910", "MP", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ZIPMatchesState(tt.zip, tt.state); got != tt.want {
				t.Errorf("ZIPMatchesState(%q, %q) = %v, want %v", tt.zip, tt.state, got, tt.want)
			}
		})
	}
}

func TestUSState(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"TX", "TX", true}, {"tx", "TX", true}, {"Texas", "TX", true}, {"  TEXAS ", "TX", true},
		{"Tex.", "TX", true}, {"New York", "NY", true}, {"new-york", "NY", true}, {"N.Y.", "NY", true},
		{"District of Columbia", "DC", true}, {"Washington, D.C.", "DC", true}, {"Puerto Rico", "PR", true},
		{"U.S. Virgin Islands", "VI", true}, {"Guam", "GU", true}, {"Armed Forces Europe", "AE", true},
		{"Hawai'i", "HI", true}, {"XX", "", false}, {"Bavaria", "", false}, {"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := USState(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("USState(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
	// Every code the domain knows round-trips through its name.
	for code, name := range breach.USStates() {
		if got, ok := USState(name); !ok || got != code {
			t.Errorf("USState(%q) = %q, %v; want %q", name, got, ok, code)
		}
		if got, ok := USState(code); !ok || got != code {
			t.Errorf("USState(%q) = %q, %v; want %q", code, got, ok, code)
		}
	}
}

func TestCountry(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"US", "US", true}, {"us", "US", true}, {"USA", "US", true}, {"U.S.A.", "US", true},
		{"United States of America", "US", true}, {"GBR", "GB", true}, {"UK", "GB", true},
		{"Great Britain", "GB", true}, {"deutschland", "DE", true}, {"DEU", "DE", true},
		{"Germany", "DE", true}, {"España", "ES", true}, {"México", "MX", true},
		{"Österreich", "AT", true}, {"Bosnia & Herzegovina", "BA", true},
		{"Korea, Republic of", "KR", true}, {"Russian Federation", "RU", true},
		{"St. Lucia", "LC", true}, {"Türkiye", "TR", true}, {"Turkey", "TR", true},
		{"Curaçao", "CW", true}, {"Kosovo", "XK", true}, {"XX", "", false}, {"Atlantis", "", false},
		{"", "", false}, {"ZZZ", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := Country(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Country(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCountryTable(t *testing.T) {
	// 249 ISO 3166-1 countries plus XK.
	if got, want := Countries(), 250; got != want {
		t.Errorf("got %d countries, want %d", got, want)
	}
	seen2, seen3 := map[string]bool{}, map[string]bool{}
	for _, c := range countries {
		if seen2[c.alpha2] || seen3[c.alpha3] {
			t.Errorf("duplicate code %s/%s", c.alpha2, c.alpha3)
		}
		seen2[c.alpha2], seen3[c.alpha3] = true, true
		for _, in := range []string{c.alpha2, c.alpha3, c.name} {
			if got, ok := Country(in); !ok || got != c.alpha2 {
				t.Errorf("Country(%q) = %q, %v; want %q", in, got, ok, c.alpha2)
			}
		}
		if err := breach.Jurisdiction(c.alpha2).Validate(); err != nil {
			t.Errorf("%s: %v", c.alpha2, err)
		}
	}
	for alias, code := range countryAliases {
		if !seen2[code] {
			t.Errorf("alias %q names unknown code %q", alias, code)
		}
	}
}

func TestSubdivision(t *testing.T) {
	tests := []struct {
		country, region, want string
		ok                    bool
	}{
		{"CA", "QC", "QC", true}, {"CA", "Québec", "QC", true}, {"CA", "quebec", "QC", true},
		{"CA", "CA-ON", "ON", true}, {"CA", "British Columbia", "BC", true}, {"CA", "PEI", "PE", true},
		{"AU", "New South Wales", "NSW", true}, {"AU", "vic", "VIC", true}, {"AU", "NT", "NT", true},
		{"US", "Ohio", "OH", true}, {"CA", "Texas", "", false}, {"DE", "Bayern", "", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.country, tt.region), func(t *testing.T) {
			got, ok := Subdivision(tt.country, tt.region)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Subdivision(%q, %q) = %q, %v; want %q, %v", tt.country, tt.region, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func BenchmarkUSStateCode(b *testing.B) {
	for b.Loop() {
		USState("tx")
	}
}

func BenchmarkCountryName(b *testing.B) {
	for b.Loop() {
		Country("United States")
	}
}
