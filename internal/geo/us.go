package geo

// usStates lists the two-letter USPS codes of the 50 states, the District of
// Columbia and the inhabited territories, with their names and the other
// spellings people type (AP-style and old abbreviations).
var usStates = []struct {
	code, name string
	aliases    []string
}{
	{"AL", "Alabama", []string{"ala"}},
	{"AK", "Alaska", []string{"alas"}},
	{"AZ", "Arizona", []string{"ariz"}},
	{"AR", "Arkansas", []string{"ark"}},
	{"CA", "California", []string{"calif", "cal"}},
	{"CO", "Colorado", []string{"colo", "col"}},
	{"CT", "Connecticut", []string{"conn"}},
	{"DE", "Delaware", []string{"del"}},
	{"FL", "Florida", []string{"fla"}},
	{"GA", "Georgia", nil},
	{"HI", "Hawaii", []string{"hawai'i"}},
	{"ID", "Idaho", []string{"ida"}},
	{"IL", "Illinois", []string{"ill"}},
	{"IN", "Indiana", []string{"ind"}},
	{"IA", "Iowa", nil},
	{"KS", "Kansas", []string{"kans", "kan"}},
	{"KY", "Kentucky", []string{"ken", "kent"}},
	{"LA", "Louisiana", nil},
	{"ME", "Maine", nil},
	{"MD", "Maryland", nil},
	{"MA", "Massachusetts", []string{"mass"}},
	{"MI", "Michigan", []string{"mich"}},
	{"MN", "Minnesota", []string{"minn"}},
	{"MS", "Mississippi", []string{"miss"}},
	{"MO", "Missouri", nil},
	{"MT", "Montana", []string{"mont"}},
	{"NE", "Nebraska", []string{"nebr", "neb"}},
	{"NV", "Nevada", []string{"nev"}},
	{"NH", "New Hampshire", []string{"n h"}},
	{"NJ", "New Jersey", []string{"n j"}},
	{"NM", "New Mexico", []string{"n mex", "n m"}},
	{"NY", "New York", []string{"n y", "new york state"}},
	{"NC", "North Carolina", []string{"n c", "n carolina"}},
	{"ND", "North Dakota", []string{"n d", "n dak", "n dakota"}},
	{"OH", "Ohio", nil},
	{"OK", "Oklahoma", []string{"okla"}},
	{"OR", "Oregon", []string{"ore", "oreg"}},
	{"PA", "Pennsylvania", []string{"penn", "penna"}},
	{"RI", "Rhode Island", []string{"r i"}},
	{"SC", "South Carolina", []string{"s c", "s carolina"}},
	{"SD", "South Dakota", []string{"s d", "s dak", "s dakota"}},
	{"TN", "Tennessee", []string{"tenn"}},
	{"TX", "Texas", []string{"tex"}},
	{"UT", "Utah", nil},
	{"VT", "Vermont", nil},
	{"VA", "Virginia", nil},
	{"WA", "Washington", []string{"wash", "washington state"}},
	{"WV", "West Virginia", []string{"w va", "w virginia"}},
	{"WI", "Wisconsin", []string{"wis", "wisc"}},
	{"WY", "Wyoming", []string{"wyo"}},
	{"DC", "District of Columbia", []string{"d c", "washington dc", "washington d c", "dist of columbia"}},
	{"PR", "Puerto Rico", []string{"p r"}},
	{"GU", "Guam", nil},
	{"VI", "U.S. Virgin Islands", []string{"virgin islands", "us virgin islands", "united states virgin islands", "usvi", "v i"}},
	{"AS", "American Samoa", nil},
	{"MP", "Northern Mariana Islands", []string{"northern marianas", "cnmi", "commonwealth of the northern mariana islands"}},
	// Military post offices (APO/FPO/DPO): a postal "state" that is not a
	// jurisdiction.
	{"AA", "Armed Forces Americas", []string{"armed forces america"}},
	{"AE", "Armed Forces Europe", []string{"armed forces africa", "armed forces canada", "armed forces middle east"}},
	{"AP", "Armed Forces Pacific", nil},
}

var usStateIndex = func() map[string]string {
	m := make(map[string]string, 4*len(usStates))
	for _, s := range usStates {
		m[s.code] = s.code
		m[fold(s.code)] = s.code
		m[fold(s.name)] = s.code
		for _, a := range s.aliases {
			m[fold(a)] = s.code
		}
	}
	return m
}()

var usStateNames = func() map[string]string {
	m := make(map[string]string, len(usStates))
	for _, s := range usStates {
		m[s.code] = s.name
	}
	return m
}()

// USState returns the two-letter USPS code for s, which may be a code ("tx",
// "TX"), a name ("Texas", "district of columbia") or a common abbreviation
// ("Tex.", "N. Dak."). The military codes AA, AE and AP are accepted: see
// IsMilitary. It reports false for anything else.
func USState(s string) (string, bool) {
	if len(s) == 2 {
		var b [2]byte
		b[0], b[1] = upper(s[0]), upper(s[1])
		c, ok := usStateIndex[string(b[:])]
		return c, ok
	}
	k := fold(s)
	if k == "" {
		return "", false
	}
	c, ok := usStateIndex[k]
	return c, ok
}

// USStateName returns the name of a USPS state code, or "".
func USStateName(code string) string { return usStateNames[code] }

// IsMilitary reports whether a USPS state code is one of the military
// "states" AA, AE or AP, which carry mail to APO, FPO and DPO addresses and
// are not a jurisdiction.
func IsMilitary(code string) bool { return code == "AA" || code == "AE" || code == "AP" }
