package law_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

const issueScenario = `discovered: 2026-11-02T09:00:00-05:00
sectors: [retail]
encrypted: false
key_compromised: false
harm_likely: unknown        # true | false | unknown
populations:
  - {jurisdiction: US-TX, elements: [name, ssn], count: 312}
  - {jurisdiction: US-CA, elements: [email, password], count: 1200}
  - {jurisdiction: DE, elements: [name, email], count: 50}
`

func TestParseScenario(t *testing.T) {
	sc, err := law.ParseScenario("what-if.yaml", []byte(issueScenario))
	if err != nil {
		t.Fatal(err)
	}
	f := sc.Facts
	if got := f.Discovered.Format("2006-01-02T15:04:05-07:00"); got != "2026-11-02T09:00:00-05:00" {
		t.Errorf("discovered = %s", got)
	}
	if f.HarmLikely != breach.Unknown || f.Encrypted || f.KeyCompromised {
		t.Errorf("facts = %+v", f)
	}
	want := []breach.StatGroup{
		{Jurisdiction: "US-TX", Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN), Count: 312},
		{Jurisdiction: "US-CA", Elements: breach.NewElementSet(breach.ElementEmail, breach.ElementPassword), Count: 1200},
		{Jurisdiction: "DE", Elements: breach.NewElementSet(breach.ElementName, breach.ElementEmail), Count: 50},
	}
	if diff := cmp.Diff(want, sc.Population); diff != "" {
		t.Errorf("population (-want +got):\n%s", diff)
	}
}

func TestParseScenarioUnknownFacts(t *testing.T) {
	src := strings.Replace(strings.Replace(issueScenario, "encrypted: false", "encrypted: true", 1), "key_compromised: false", "key_compromised: unknown", 1)
	sc, err := law.ParseScenario("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !sc.Facts.Encrypted || !sc.Facts.KeyCompromised {
		t.Errorf("encrypted=%v key_compromised=%v, want both true (unknown key read as compromised)", sc.Facts.Encrypted, sc.Facts.KeyCompromised)
	}
	if len(sc.Facts.Assumed) != 1 || !strings.Contains(sc.Facts.Assumed[0], "assumes it was") {
		t.Errorf("assumed = %q", sc.Facts.Assumed)
	}
}

func TestParseScenarioInvalid(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{"unknown key", "sectors: [retail]", "sector: [retail]", `s.yaml:2: sector: unknown field (did you mean "sectors"?)`},
		{"bad time", "2026-11-02T09:00:00-05:00", "2026-11-02 9am", `s.yaml:1: discovered: "2026-11-02 9am" is not a time such as 2026-11-02T09:00:00-05:00`},
		{"bad tristate", "harm_likely: unknown", "harm_likely: perhaps", `s.yaml:5: harm_likely: "perhaps" is not true, false or unknown`},
		{"bad element", "[name, ssn]", "[name, shoe_size]", "s.yaml:7: populations[0].elements[1]: unknown data element \"shoe_size\" (see `candor elements` for the vocabulary)"},
		{"bad jurisdiction", "US-CA", "US-QQ", `s.yaml:8: populations[1].jurisdiction: jurisdiction "US-QQ": "QQ" is not a US state or territory`},
		{"zero count", "count: 50", "count: 0", `s.yaml:9: populations[2].count: must be a positive number of people, got 0`},
		{"count not a number", "count: 50", "count: fifty", `s.yaml:9: populations[2].count: expected a whole number, got "fifty"`},
		{"bad severity override", "sectors: [retail]", "sectors: [retail]\nseverity: {ei: 2}", `s.yaml:3: severity: ei 2 is not 0.25, 0.5, 0.75 or 1`},
		{"bad zone", "sectors: [retail]", "sectors: [retail]\ntime_zone: Mars/Olympus", `s.yaml:3: time_zone: "Mars/Olympus" is not an IANA time zone such as America/New_York`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := law.ParseScenario("s.yaml", []byte(strings.Replace(issueScenario, tt.old, tt.new, 1)))
			if breach.ErrorCode(err) != breach.EINVALID {
				t.Fatalf("error code = %q, want invalid (%v)", breach.ErrorCode(err), err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestRegistryLookup(t *testing.T) {
	reg := mustLoadFixtures(t)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"state id", "US-TX", []string{"US-TX"}},
		{"any case", "us-tx", []string{"US-TX"}},
		{"snake id", "EU_GDPR", []string{"eu_gdpr"}},
		{"country finds its regime", "de", []string{"eu_gdpr"}},
		{"unknown", "XX", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := reg.Lookup(tt.in)
			var got []string
			for _, r := range rules {
				got = append(got, r.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tt.want == nil && breach.ErrorCode(err) != breach.ENOTFOUND {
				t.Errorf("error = %v, want ENOTFOUND", err)
			}
		})
	}
	var got []string
	for _, r := range reg.ForJurisdiction("US-TX") {
		got = append(got, r.ID)
	}
	if diff := cmp.Diff([]string{"US-TX", "fixture_fin"}, got); diff != "" {
		t.Errorf("ForJurisdiction(US-TX) (-want +got):\n%s", diff)
	}
}
