package law_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

// summary is one obligation in a line: jurisdiction, audience, recipient,
// required, affected, deadline (or "target " date, or "-"), and "!" when it
// falls before the seven-day goal.
func summary(p *law.Plan) []string {
	var out []string
	for _, o := range p.Obligations {
		when := "-"
		switch {
		case o.Deadline != nil:
			when = o.Deadline.String()
		case o.Target != nil:
			when = "target " + o.Target.String()
		}
		flag := ""
		if o.EarlierThanTarget {
			flag = " !"
		}
		if o.Conditional {
			flag += " (conditional)"
		}
		out = append(out, fmt.Sprintf("%s %s %s: required=%v affected=%d %s%s", o.Jurisdiction, o.Audience, o.Recipient, o.Required, o.Affected, when, flag))
	}
	return out
}

// TestEngineDecisions states, by hand, what each fixture scenario must
// decide; the golden files hold the full output.
func TestEngineDecisions(t *testing.T) {
	reg := mustLoadFixtures(t)
	tests := []struct {
		name string
		want []string
		idp  int
	}{
		{
			name: "tx-ag-at-250",
			want: []string{
				"US-TX regulator Texas Attorney General: required=true affected=250 2026-12-02",
				"US-TX individuals Affected residents of Texas: required=true affected=250 2027-01-01",
				"US-TX consumer_reporting_agencies Nationwide consumer reporting agencies: required=false affected=250 -",
			},
		},
		{
			name: "tx-ag-below-250",
			want: []string{
				"US-TX individuals Affected residents of Texas: required=true affected=249 2027-01-01",
				"US-TX regulator Texas Attorney General: required=false affected=249 -",
				"US-TX consumer_reporting_agencies Nationwide consumer reporting agencies: required=false affected=249 -",
			},
		},
		{
			name: "tx-encrypted-key-safe",
			want: []string{"US-TX individuals Affected residents of Texas: required=false affected=400 -"},
		},
		{
			name: "tx-encrypted-key-lost",
			want: []string{
				"US-TX regulator Texas Attorney General: required=true affected=400 2026-12-02",
				"US-TX individuals Affected residents of Texas: required=true affected=400 2027-01-01",
				"US-TX consumer_reporting_agencies Nationwide consumer reporting agencies: required=false affected=400 -",
			},
		},
		{
			name: "tx-mixed-groups",
			want: []string{
				"US-TX regulator Texas Attorney General: required=true affected=260 2026-12-02",
				"US-TX individuals Affected residents of Texas: required=true affected=260 2027-01-01",
				"US-TX consumer_reporting_agencies Nationwide consumer reporting agencies: required=false affected=260 -",
			},
		},
		{
			name: "gdpr-72-hours",
			want: []string{
				"DE regulator Supervisory authority: required=true affected=50 2026-11-05 !",
				"FR regulator Supervisory authority: required=true affected=7 2026-11-05 !",
				"DE individuals Affected people in DE: required=true affected=50 target 2026-11-05",
				"FR individuals Affected people in FR: required=true affected=7 target 2026-11-05",
			},
		},
		{
			name: "gdpr-key-silent",
			want: []string{
				"IE regulator Supervisory authority: required=true affected=12 2026-11-05 !",
				"IE individuals Affected people in IE: required=true affected=12 target 2026-11-05",
			},
		},
		{
			name: "gdpr-no-risk",
			want: []string{"DE individuals Affected people in DE: required=false affected=3000 -"},
		},
		{
			name: "fin-business-days-thanksgiving",
			want: []string{
				"US regulator Fixture Regulator: required=true affected=501 2026-12-03",
				"US individuals Affected US residents: required=true affected=501 2026-12-10",
				"US media Prominent media outlets: required=true affected=501 target 2026-12-10 (conditional)",
			},
			idp: 24,
		},
		{
			name: "fin-at-500-boundaries",
			want: []string{
				"US individuals Affected US residents: required=true affected=500 2027-01-14",
				"US media Prominent media outlets: required=true affected=500 target 2027-01-14 (conditional)",
				"US regulator Fixture Regulator: required=false affected=500 -",
			},
		},
		{
			name: "fin-no-harm",
			want: []string{
				"US regulator Fixture Regulator: required=true affected=40 2026-12-02",
				"US individuals Affected US residents: required=false affected=40 -",
			},
		},
		{
			name: "fin-key-lost-harbour-kept",
			want: []string{"US individuals Affected US residents: required=false affected=40 -"},
		},
		{
			name: "not-in-sector",
			want: nil,
		},
		{
			name: "cross-border",
			want: []string{
				"DE regulator Supervisory authority: required=true affected=50 2026-11-05 !",
				"US-TX regulator Texas Attorney General: required=true affected=312 2026-12-02",
				"US-TX individuals Affected residents of Texas: required=true affected=312 2027-01-01",
				"DE individuals Affected people in DE: required=true affected=50 target 2026-11-05",
				"US-TX consumer_reporting_agencies Nationwide consumer reporting agencies: required=false affected=312 -",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustAssessFile(t, reg, filepath.Join("testdata", "engine", tt.name+".yaml"))
			if diff := cmp.Diff(tt.want, summary(p)); diff != "" {
				t.Errorf("obligations (-want +got):\n%s", diff)
			}
			if p.IdentityProtection.Months != tt.idp {
				t.Errorf("identity protection = %d months, want %d", p.IdentityProtection.Months, tt.idp)
			}
			if p.Disclaimer != law.Disclaimer {
				t.Errorf("disclaimer missing")
			}
			for _, o := range p.Obligations {
				if o.Why == "" || o.Citation == "" || o.Reviewed.IsZero() {
					t.Errorf("obligation without why, citation or reviewed date: %+v", o)
				}
			}
		})
	}
}

func TestAssessWhy(t *testing.T) {
	reg := mustLoadFixtures(t)
	p := mustAssessFile(t, reg, "testdata/engine/cross-border.yaml")
	want := "name + ssn matched [ssn]; 312 residents ≥ 250 → notify the Texas Attorney General within 30 days of determination (taken as discovery 2026-11-02), by 2026-12-02"
	for _, o := range p.Obligations {
		if o.Recipient == "Texas Attorney General" {
			if o.Why != want {
				t.Errorf("why = %q, want %q", o.Why, want)
			}
			return
		}
	}
	t.Fatal("no Texas Attorney General obligation")
}

func TestAssessSevenDayTarget(t *testing.T) {
	reg := mustLoadFixtures(t)
	p := mustAssessFile(t, reg, "testdata/engine/gdpr-72-hours.yaml")
	if got, want := p.SevenDay.Date.String(), "2026-11-09"; got != want {
		t.Errorf("seven-day target = %s, want %s", got, want)
	}
	if p.SevenDay.EarlierDeadlines != 2 {
		t.Errorf("earlier deadlines = %d, want 2", p.SevenDay.EarlierDeadlines)
	}
}

func TestAssessInvalid(t *testing.T) {
	reg := mustLoadFixtures(t)
	disc := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	tx := breach.Jurisdiction("US-TX")
	ssn := breach.NewElementSet(breach.ElementName, breach.ElementSSN)
	tests := []struct {
		name  string
		facts law.Facts
		pop   []breach.StatGroup
		want  string
	}{
		{"no discovery time", law.Facts{}, nil, "assess: the discovery time is required"},
		{"bad harm", law.Facts{Discovered: disc, HarmLikely: "maybe"}, nil, `assess: harm_likely "maybe" is not true, false or unknown`},
		{"negative count", law.Facts{Discovered: disc}, []breach.StatGroup{{Jurisdiction: tx, Elements: ssn, Count: -1}}, "assess: group US-TX name+ssn has a negative count"},
		{"bad jurisdiction", law.Facts{Discovered: disc}, []breach.StatGroup{{Jurisdiction: "US-ZZ", Elements: ssn, Count: 1}}, `jurisdiction "US-ZZ": "ZZ" is not a US state or territory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := reg.Assess(tt.facts, tt.pop, disc)
			if breach.ErrorCode(err) != breach.EINVALID || breach.ErrorMessage(err) != tt.want {
				t.Errorf("got %v, want EINVALID %q", err, tt.want)
			}
		})
	}
}

// TestAssessLargeGroups checks that counts, not people, are evaluated: a
// population of 150 million in two groups assesses at once.
func TestAssessLargeGroups(t *testing.T) {
	reg := mustLoadFixtures(t)
	disc := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	pop := []breach.StatGroup{
		{Jurisdiction: "US-TX", Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN), Count: 100_000_000},
		{Jurisdiction: "US-TX", Elements: breach.NewElementSet(breach.ElementName, breach.ElementDriversLicense), Count: 50_000_000},
	}
	p, err := reg.Assess(law.Facts{Discovered: disc, HarmLikely: breach.Yes}, pop, disc)
	if err != nil {
		t.Fatal(err)
	}
	if p.Affected != 150_000_000 {
		t.Errorf("affected = %d, want 150000000", p.Affected)
	}
	for _, o := range p.Obligations {
		if !o.Required || o.Affected != 150_000_000 {
			t.Errorf("%s %s: required=%v affected=%d, want required for 150000000", o.Audience, o.Recipient, o.Required, o.Affected)
		}
	}
}
