package geo

// zip3Ranges assigns the first three digits of a ZIP code to the USPS state
// code of the area it serves (USPS National 5-Digit ZIP Code and Post Office
// Directory, sectional centre facilities). Ranges are inclusive. Prefixes
// that USPS has not assigned inside a state's block are listed with that
// state, since only that state could ever receive them; 000–004 are
// unassigned. Military post offices map to AA, AE or AP.
var zip3Ranges = []struct {
	lo, hi int
	state  string
}{
	{5, 5, "NY"}, // Holtsville IRS
	{6, 7, "PR"},
	{8, 8, "VI"},
	{9, 9, "PR"},
	{10, 27, "MA"},
	{28, 29, "RI"},
	{30, 38, "NH"},
	{39, 49, "ME"},
	{50, 54, "VT"},
	{55, 55, "MA"}, // Andover IRS
	{56, 59, "VT"},
	{60, 69, "CT"},
	{70, 89, "NJ"},
	{90, 99, "AE"},
	{100, 149, "NY"},
	{150, 196, "PA"},
	{197, 199, "DE"},
	{200, 200, "DC"},
	{201, 201, "VA"}, // Dulles
	{202, 205, "DC"},
	{206, 219, "MD"},
	{220, 246, "VA"},
	{247, 269, "WV"},
	{270, 289, "NC"},
	{290, 299, "SC"},
	{300, 319, "GA"},
	{320, 339, "FL"},
	{340, 340, "AA"},
	{341, 349, "FL"},
	{350, 369, "AL"},
	{370, 385, "TN"},
	{386, 397, "MS"},
	{398, 399, "GA"},
	{400, 429, "KY"},
	{430, 459, "OH"},
	{460, 479, "IN"},
	{480, 499, "MI"},
	{500, 529, "IA"},
	{530, 549, "WI"},
	{550, 567, "MN"},
	{568, 569, "DC"}, // parcel return service
	{570, 577, "SD"},
	{578, 579, "SD"},
	{580, 588, "ND"},
	{589, 599, "MT"},
	{600, 629, "IL"},
	{630, 658, "MO"},
	{659, 659, "MO"},
	{660, 679, "KS"},
	{680, 693, "NE"},
	{694, 699, "NE"},
	{700, 714, "LA"},
	{715, 729, "AR"},
	{730, 732, "OK"},
	{733, 733, "TX"}, // Austin IRS
	{734, 749, "OK"},
	{750, 799, "TX"},
	{800, 816, "CO"},
	{817, 819, "CO"},
	{820, 831, "WY"},
	{832, 838, "ID"},
	{839, 839, "ID"},
	{840, 847, "UT"},
	{848, 849, "UT"},
	{850, 865, "AZ"},
	{866, 869, "AZ"},
	{870, 884, "NM"},
	{885, 885, "TX"}, // El Paso
	{886, 888, "NM"},
	{889, 899, "NV"},
	{900, 961, "CA"},
	{962, 966, "AP"},
	{967, 968, "HI"},
	{969, 969, "GU"},
	{970, 979, "OR"},
	{980, 994, "WA"},
	{995, 999, "AK"},
}

// zip5Exceptions are five-digit ZIP codes whose state differs from their
// prefix's. An empty state marks the Freely Associated States (Palau,
// Micronesia, the Marshall Islands), which use US ZIP codes but are
// countries of their own.
var zip5Exceptions = map[string]string{
	"96799": "AS",                               // American Samoa (prefix 967 is Hawaii)
	"96950": "MP", "96951": "MP", "96952": "MP", // Northern Mariana Islands
	"96939": "", "96940": "", // Palau
	"96941": "", "96942": "", "96943": "", "96944": "", // Micronesia
	"96960": "", "96970": "", // Marshall Islands
}

// zip5MultiState lists ZIP codes whose delivery area straddles a state
// line, with the other state they serve, so that such an address is not
// flagged as a mismatch.
var zip5MultiState = map[string]string{
	"42223": "TN", // Fort Campbell, KY and TN
	"73949": "TX", // Texhoma, OK and TX
	"81137": "NM", // Ignacio, CO and NM
	"84536": "AZ", // Monument Valley, UT and AZ
	"86514": "UT", // Teec Nos Pos, AZ and UT
	"86515": "NM", // Window Rock, AZ and NM
	"89010": "CA", // Dyer, NV and CA
	"97635": "CA", // New Pine Creek, OR and CA
	"71749": "LA", // Junction City, AR and LA
	"59221": "ND", // Fairview, MT and ND
}

var zip3State = func() [1000]string {
	var t [1000]string
	for _, r := range zip3Ranges {
		for i := r.lo; i <= r.hi; i++ {
			t[i] = r.state
		}
	}
	return t
}()

// NormalizeZIP returns a US ZIP code in the form "12345" or "12345-6789".
// It accepts "123456789", "12345 6789" and, because spreadsheets drop leading
// zeros, four- and three-digit ZIPs ("2134" → "02134") and eight-digit
// ZIP+4s. It reports false when s is not a ZIP code.
func NormalizeZIP(s string) (string, bool) {
	var d [9]byte
	n := 0
	sep := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(d) {
				return "", false
			}
			d[n] = c
			n++
		case (c == '-' || c == ' ') && sep < 0 && n > 0:
			sep = n
		default:
			return "", false
		}
	}
	if sep >= 0 {
		// "12345-6789", or with lost zeros "2134-5678".
		if n-sep != 4 || sep < 3 || sep > 5 {
			return "", false
		}
		pad := 5 - sep
		return zipString(d[:n], pad, true), true
	}
	switch n {
	case 5:
		if len(s) == 5 {
			return s, true
		}
		return string(d[:5]), true
	case 3, 4:
		return zipString(d[:n], 5-n, false), true
	case 9:
		return zipString(d[:n], 0, true), true
	case 8:
		return zipString(d[:n], 1, true), true
	}
	return "", false
}

func zipString(digits []byte, pad int, plus4 bool) string {
	var b [10]byte
	n := 0
	for range pad {
		b[n] = '0'
		n++
	}
	main := len(digits)
	if plus4 {
		main -= 4
	}
	n += copy(b[n:], digits[:main])
	if plus4 {
		b[n] = '-'
		n++
		n += copy(b[n:], digits[main:])
	}
	return string(b[:n])
}

// ZIPState returns the USPS state code served by a normalised ZIP code (see
// NormalizeZIP), including the territories and the military codes AA, AE
// and AP. It reports false for an unassigned prefix or a malformed ZIP.
func ZIPState(zip string) (string, bool) {
	if len(zip) < 5 {
		return "", false
	}
	if s, ok := zip5Exceptions[zip[:5]]; ok {
		return s, s != ""
	}
	p := 0
	for i := 0; i < 3; i++ {
		c := zip[i]
		if c < '0' || c > '9' {
			return "", false
		}
		p = p*10 + int(c-'0')
	}
	s := zip3State[p]
	return s, s != ""
}

// ZIPMatchesState reports whether a normalised ZIP code can belong to a
// state code: true when the ZIP's state is that state, when the ZIP is
// unknown (no clear mismatch), or when the ZIP straddles that state line.
func ZIPMatchesState(zip, state string) bool {
	zs, ok := ZIPState(zip)
	if !ok || zs == state {
		return true
	}
	if len(zip) >= 5 && zip5MultiState[zip[:5]] == state {
		return true
	}
	// Prefix 969 serves both Guam and the Northern Mariana Islands.
	return zs == "GU" && state == "MP"
}
