package ingest

import (
	"bufio"
	"net/mail"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
)

func TestResolveHeader(t *testing.T) {
	tests := []struct {
		name     string
		header   []string
		explicit map[string]string
		want     map[string]field // header → field; unlisted columns are ignored
		wantErr  string
	}{
		{
			name:   "common names",
			header: []string{"Customer ID", "Given Name", "Surname", "E-Mail Address", "Mobile", "Address Line 1", "Address 2", "Town", "State/Province", "Postal Code", "Country", "Preferred Language", "Data Elements", "Is Minor", "Deceased", "Do Not Contact", "Notes"},
			want: map[string]field{"Customer ID": fieldExternalID, "Given Name": fieldFirstName, "Surname": fieldLastName,
				"E-Mail Address": fieldEmail, "Mobile": fieldPhone, "Address Line 1": fieldLine1, "Address 2": fieldLine2,
				"Town": fieldCity, "State/Province": fieldRegion, "Postal Code": fieldPostal, "Country": fieldCountry,
				"Preferred Language": fieldLocale, "Data Elements": fieldElements, "Is Minor": fieldMinor,
				"Deceased": fieldDeceased, "Do Not Contact": fieldNoContact},
		},
		{
			name:   "short names",
			header: []string{"id", "name", "email", "phone", "street", "city", "st", "zip", "zip4", "exposed", "no_contact"},
			want: map[string]field{"id": fieldExternalID, "name": fieldName, "email": fieldEmail, "phone": fieldPhone,
				"street": fieldLine1, "city": fieldCity, "st": fieldRegion, "zip": fieldPostal, "zip4": fieldZIP4,
				"exposed": fieldElements, "no_contact": fieldNoContact},
		},
		{
			name:   "first column wins for a field",
			header: []string{"email", "e-mail", "id"},
			want:   map[string]field{"email": fieldEmail, "id": fieldExternalID},
		},
		{
			name:     "explicit map displaces an alias",
			header:   []string{"email", "Work Mail", "Member #"},
			explicit: map[string]string{"work mail": "email", "Member #": "id"},
			want:     map[string]field{"Work Mail": fieldEmail, "Member #": fieldExternalID},
		},
		{
			name:     "explicit map by column number and ignore",
			header:   []string{"a", "b", "email"},
			explicit: map[string]string{"1": "external_id", "email": "ignore"},
			want:     map[string]field{"a": fieldExternalID},
		},
		{
			name:     "two explicit columns for one field",
			header:   []string{"a", "b"},
			explicit: map[string]string{"a": "email", "b": "email"},
			wantErr:  `columns "a" and "b" both map to email`,
		},
		{
			name:     "flag with an unknown element",
			header:   []string{"a"},
			explicit: map[string]string{"a": "flag:shoe"},
			wantErr:  `unknown data element "shoe"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := resolveHeader(tt.header, tt.explicit)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(breach.ErrorMessage(err), tt.wantErr) {
					t.Fatalf("got error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]field{}
			for _, c := range m.cols {
				if c.field != fieldNone {
					got[c.header] = c.field
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mapping (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSensitiveColumn(t *testing.T) {
	tests := []struct {
		header string
		want   *sensitiveKind
	}{
		{"SSN", kindSSN}, {"Social Security Number", kindSSN}, {"ssn_last4", kindSSN}, {"SIN", kindSSN},
		{"Credit Card Number", kindCard}, {"card_no", kindCard}, {"PAN", kindCard},
		{"CVV", kindCode}, {"PIN", kindCode}, {"Password", kindPassword}, {"pwd", kindPassword},
		{"Secret", kindPassword}, {"Security Answer", kindSecQA}, {"IBAN", kindBank},
		{"Driver's License Number", kindLicense}, {"Passport No", kindPassport}, {"TIN", kindTaxID},
		{"Pin Code", nil}, {"email", nil}, {"Customer ID", nil}, {"Passenger", nil}, {"Cardholder name", nil},
		{"Business", nil}, {"Spinner", nil},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := sensitiveColumn(tt.header); got != tt.want {
				t.Errorf("sensitiveColumn(%q) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

func TestSensitiveValues(t *testing.T) {
	tests := []struct {
		v         string
		ssn, card bool
	}{
		{"123-45-6789", true, false},
		{"078-05-1120", true, false},
		{"000-12-3456", false, false}, // no 000 area
		{"666-12-3456", false, false},
		{"912-34-5678", false, false}, // ITIN range, not SSN shape here
		{"123-00-4567", false, false},
		{"123-45-0000", false, false},
		{"512-555-0100", false, false}, // phone
		{"78701-1234", false, false},   // ZIP+4
		{"4111111111111111", false, true},
		{"4111 1111 1111 1111", false, true},
		{"4111-1111-1111-1111", false, true},
		{"378282246310005", false, true}, // Amex, 15 digits
		{"4111111111111112", false, false},
		{"1234567890123452", false, false}, // Luhn-valid but no card network starts with 1
		{"4111  1111 1111 1111", false, false},
		{"+4930123456789", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.v, func(t *testing.T) {
			if got := looksLikeSSN(tt.v); got != tt.ssn {
				t.Errorf("looksLikeSSN(%q) = %v, want %v", tt.v, got, tt.ssn)
			}
			if got := isCard(tt.v); got != tt.card {
				t.Errorf("isCard(%q) = %v, want %v", tt.v, got, tt.card)
			}
		})
	}
}

func TestNames(t *testing.T) {
	n := &normalizer{}
	tests := []struct{ in, want string }{
		{"JOHN", "John"}, {"mary-anne", "Mary-Anne"}, {"O'NEIL", "O'Neil"}, {"McDonald", "McDonald"},
		{"de la Cruz", "de la Cruz"}, {"  VAN  DER   BERG ", "Van Der Berg"}, {"van der berg", "Van Der Berg"}, {"van der BERG", "van der BERG"}, {"ÉMILIE", "Émilie"},
		{"josé", "José"}, {"", ""}, {"J.R.", "J.R."},
	}
	for _, tt := range tests {
		if got := n.name(tt.in); got != tt.want {
			t.Errorf("name(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	splits := []struct{ in, first, last string }{
		{"John Smith", "John", "Smith"}, {"Smith, John", "John", "Smith"}, {"Mary Ann Lee", "Mary Ann", "Lee"},
		{"Martin Luther King Jr.", "Martin Luther", "King Jr."}, {"Cher", "", "Cher"}, {"Doe, Jr.", "", "Doe, Jr."},
	}
	for _, tt := range splits {
		if f, l := splitName(tt.in); f != tt.first || l != tt.last {
			t.Errorf("splitName(%q) = %q, %q; want %q, %q", tt.in, f, l, tt.first, tt.last)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"John.Smith@Example.COM", "john.smith@example.com", true},
		{"a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk", true},
		{"John Smith <john@example.com>", "john@example.com", true},
		{`"odd local"@example.com`, `"odd local"@example.com`, true},
		{"no-at-sign", "", false},
		{"two@@example.com", "", false},
		{"user@localhost", "", false},
		{"user@exa mple.com", "", false},
		{".lead@example.com", "", false},
		{"double..dot@example.com", "", false},
		{"user@-bad.com", "", false},
		{"user@example.com.", "", false},
		{"user@", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := normalizeEmail(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("normalizeEmail(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// The inline e-mail check accepts only what net/mail accepts.
func FuzzSimpleEmail(f *testing.F) {
	for _, s := range []string{"a@b.co", "x.y+z@example.com", "a..b@c.d", "@x.y", "a@b", "é@x.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if simpleEmail(s) {
			if _, err := mail.ParseAddress(s); err != nil {
				t.Errorf("simpleEmail(%q) = true, but net/mail rejects it: %v", s, err)
			}
		}
	})
}

func TestParseBoolAndLocale(t *testing.T) {
	for in, want := range map[string]bool{"yes": true, "Y": true, "TRUE": true, "1": true, "x": true, "on": true,
		"no": false, "n": false, "False": false, "0": false, "": false, "off": false} {
		if got, ok := parseBool(in); !ok || got != want {
			t.Errorf("parseBool(%q) = %v, %v; want %v, true", in, got, ok, want)
		}
	}
	for _, in := range []string{"maybe", "2", "si"} {
		if _, ok := parseBool(in); ok {
			t.Errorf("parseBool(%q) accepted, want rejected", in)
		}
	}
	for in, want := range map[string]string{"en": "en", "es-us": "es-US", "pt_BR": "pt-BR", "Spanish": "es",
		"Español": "es", "English (US)": "en", "zh-Hant": "zh-Hant"} {
		if got, ok := normalizeLocale(in); !ok || got != want {
			t.Errorf("normalizeLocale(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"Klingon!", "e", "english-speaking-person-x"} {
		if got, ok := normalizeLocale(in); ok {
			t.Errorf("normalizeLocale(%q) = %q, want rejected", in, got)
		}
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		header string
		want   rune
	}{
		{"a,b,c\n", ','}, {"a;b;c\n", ';'}, {"a\tb\tc\n", '\t'}, {`"x;y",b,c` + "\n", ','},
		{"a;b,c;d\n", ';'}, {"single\n", ','},
	}
	for _, tt := range tests {
		if got := sniffDelimiter(bufio.NewReader(strings.NewReader(tt.header))); got != tt.want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestPersonHash(t *testing.T) {
	base := breach.Person{ExternalID: "1", FirstName: "A", Email: "a@example.com", Elements: breach.NewElementSet(breach.ElementName)}
	same := base
	if personHash(&base) != personHash(&same) {
		t.Error("equal people hash differently")
	}
	variants := []func(p *breach.Person){
		func(p *breach.Person) { p.FirstName = "B" },
		func(p *breach.Person) { p.Elements = p.Elements.Add(breach.ElementSSN) },
		func(p *breach.Person) { p.Minor = true },
		func(p *breach.Person) { p.Address.City = "X" },
		// Moving text between fields changes the hash.
		func(p *breach.Person) { p.FirstName, p.LastName = "", "A" },
	}
	for i, v := range variants {
		p := base
		v(&p)
		if personHash(&p) == personHash(&base) {
			t.Errorf("variant %d: hash unchanged", i)
		}
	}
}
