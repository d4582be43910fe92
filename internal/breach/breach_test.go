package breach_test

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/breach"
)

func TestParseElementSet(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{name: "keys", in: "name,ssn", want: "name+ssn"},
		{name: "aliases and spacing", in: " Social Security Number ; Date-of-Birth | e-mail ", want: "ssn+email+dob"},
		{name: "vocabulary order", in: "password+email+username", want: "username+email+password"},
		{name: "empty", in: "", want: "-"},
		{name: "unknown", in: "name,shoe_size", err: `unknown data element "shoe_size"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := breach.ParseElementSet(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(breach.ErrorMessage(err), tt.err) || breach.ErrorCode(err) != breach.EINVALID {
					t.Fatalf("got %v, want EINVALID %q", err, tt.err)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Fatalf("got %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestVocabularyIsStable(t *testing.T) {
	// The bit positions are stored: a reorder would corrupt every database.
	want := []string{"name", "ssn", "drivers_license", "state_id", "passport", "military_id", "tax_id", "account_number",
		"card_number", "account_access_code", "username", "email", "password", "security_qa", "dob", "medical",
		"health_insurance", "biometric", "genetic", "mothers_maiden_name", "address", "phone", "ip_address",
		"precise_geolocation", "employee_id"}
	els := breach.Elements()
	for i, k := range want {
		if els[i].Key != k || int(els[i].Element) != i {
			t.Fatalf("element %d: got %q (%d), want %q", i, els[i].Key, els[i].Element, k)
		}
	}
	for _, e := range els {
		if e.Plain == "" || e.Label == "" || e.Description == "" || e.Spanish == "" {
			t.Errorf("element %s lacks documentation: %+v", e.Key, e)
		}
	}
}

func TestElementSetJSON(t *testing.T) {
	s := breach.NewElementSet(breach.ElementSSN, breach.ElementName)
	b, err := json.Marshal(s)
	if err != nil || string(b) != `["name","ssn"]` {
		t.Fatalf("got %s, %v", b, err)
	}
	var back breach.ElementSet
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Fatalf("round trip: got %s, %v", back, err)
	}
	if !s.HasAll(breach.NewElementSet(breach.ElementSSN)) || s.HasAny(breach.NewElementSet(breach.ElementEmail)) {
		t.Fatal("HasAll/HasAny wrong")
	}
}

func TestJurisdiction(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "us-tx", want: "US-TX"},
		{in: "US-DC", want: "US-DC"},
		{in: "US-PR", want: "US-PR"},
		{in: "GB", want: "GB"},
		{in: "CA-QC", want: "CA-QC"},
		{in: "US-XX", err: "not a US state or territory"},
		{in: "USA", err: "not an ISO 3166 code"},
		{in: "DE-", err: "not an ISO 3166-2 code"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := breach.ParseJurisdiction(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %q, %v; want error %q", got, err, tt.err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if n := breach.Jurisdiction("US-TX").Name(); n != "Texas" {
		t.Fatalf("name: got %q", n)
	}
}

func TestStatusMovesForwardOnly(t *testing.T) {
	tests := []struct {
		from, to breach.Status
		ok       bool
	}{
		{breach.StatusOpen, breach.StatusAssessed, true},
		{breach.StatusAssessed, breach.StatusClosed, true},
		{breach.StatusNotifying, breach.StatusNotifying, true},
		{breach.StatusMonitoring, breach.StatusNotifying, false},
		{breach.StatusOpen, breach.Status("done"), false},
	}
	for _, tt := range tests {
		if got := tt.from.CanMoveTo(tt.to); got != tt.ok {
			t.Errorf("%s → %s: got %t, want %t", tt.from, tt.to, got, tt.ok)
		}
	}
}

func TestIncidentValidate(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	later := now.Add(time.Hour)
	tests := []struct {
		name string
		inc  breach.Incident
		err  string
	}{
		{"ok", breach.Incident{Title: "T", DiscoveredAt: now, Status: breach.StatusOpen, HarmLikely: breach.Unknown}, ""},
		{"no title", breach.Incident{DiscoveredAt: now, Status: breach.StatusOpen, HarmLikely: breach.Unknown}, "title required"},
		{"occurred after discovery", breach.Incident{Title: "T", DiscoveredAt: now, OccurredFrom: &later, Status: breach.StatusOpen, HarmLikely: breach.Unknown}, "occurred_from is after discovered_at"},
		{"bad zone", breach.Incident{Title: "T", DiscoveredAt: now, TimeZone: "Mars/Olympus", Status: breach.StatusOpen, HarmLikely: breach.Unknown}, "unknown time zone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.inc.Validate()
			if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("got %v, want %q", err, tt.err)
			}
		})
	}
}

func TestOrganizationOwnsHost(t *testing.T) {
	org := &breach.Organization{LegalName: "Acme", PrimaryDomain: "acme.example", AllowedDomains: []string{"acme-help.example"}}
	for host, want := range map[string]bool{
		"acme.example": true, "www.acme.example": true, "ACME-HELP.EXAMPLE.": true,
		"acme.example.evil.example": false, "notacme.example": false, "acme-security.example": false,
	} {
		if got := org.OwnsHost(host); got != want {
			t.Errorf("OwnsHost(%q): got %t, want %t", host, got, want)
		}
	}
}

func TestErrors(t *testing.T) {
	err := breach.Errorf(breach.ENOTFOUND, "incident %d not found", 4)
	if breach.ErrorCode(err) != breach.ENOTFOUND || breach.ErrorMessage(err) != "incident 4 not found" {
		t.Fatalf("got %q %q", breach.ErrorCode(err), breach.ErrorMessage(err))
	}
	if breach.ErrorMessage(os.ErrClosed) != "Internal error." || breach.ErrorCode(os.ErrClosed) != breach.EINTERNAL {
		t.Fatal("infrastructure errors must show as internal")
	}
}

// TestDomainImportsNoInfrastructure keeps the domain free of storage, HTTP
// and mail packages.
func TestDomainImportsNoInfrastructure(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	banned := []string{"database/sql", "net/http", "net/smtp", "net/mail/", "github.com/jackc", "modernc.org", "github.com/candor-dev/candor/internal/"}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			for _, b := range banned {
				if strings.HasPrefix(path, b) {
					t.Errorf("%s imports %s", f, path)
				}
			}
		}
	}
}
