package law_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
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
				"US media prominent media outlets serving the State: required=false affected=501 -",
			},
			idp: 24,
		},
		{
			name: "fin-at-500-boundaries",
			want: []string{
				"US individuals Affected US residents: required=true affected=500 2027-01-14",
				"US-FL media prominent media outlets serving the State (Florida): required=true affected=500 target 2027-01-14",
				"US regulator Fixture Regulator: required=false affected=500 -",
			},
		},
		{
			name: "fin-media-per-state",
			want: []string{
				"US regulator Fixture Regulator: required=true affected=1320 2026-11-09",
				"US individuals Affected US residents: required=true affected=1320 2026-11-17",
				"US-NY media prominent media outlets serving the State (New York): required=true affected=500 target 2026-11-17",
				"US-TX media prominent media outlets serving the State (Texas): required=true affected=600 target 2026-11-17",
				"US media prominent media outlets serving the State: required=false affected=220 -",
			},
			idp: 24,
		},
		{
			name: "md-timing",
			want: []string{
				"US-MD regulator Fixture Attorney General: required=true affected=600 2026-12-17",
				"US-MD individuals Affected residents of Maryland: required=true affected=600 2026-12-17",
				"US-MD law_enforcement Fixture State Police: required=true affected=600 2026-12-17",
				"US-MD regulator Fixture Attorney General (sample copy): required=true affected=600 2027-01-01",
			},
		},
		{
			name: "md-government-no-harm",
			want: []string{
				"US-MD regulator Fixture Auditor: required=true affected=700 2026-11-05 !",
				"US-MD regulator Fixture Attorney General: required=true affected=700 2026-12-17",
				"US-MD individuals Affected residents of Maryland: required=true affected=700 2026-12-17",
				"US-MD law_enforcement Fixture State Police: required=true affected=700 2026-12-17",
				"US-MD regulator Fixture Attorney General (sample copy): required=true affected=700 2027-01-01",
				"US-MD regulator Fixture Attorney General (no-harm copy): required=true affected=700 2026-11-12 (conditional)",
			},
		},
		{
			name: "nj-targets",
			want: []string{
				"US-NJ consumer_reporting_agencies nationwide consumer reporting agencies: required=true affected=100 2026-11-12",
				"US-NJ law_enforcement Fixture State Police: required=true affected=100 target 2026-11-22",
				"US-NJ individuals Affected residents of New Jersey: required=true affected=100 target 2026-11-22",
				"US-NJ regulator Fixture Attorney General: required=true affected=100 target 2026-11-30",
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

// find returns the obligation of p to recipient, failing the test when
// there is none.
func find(tb testing.TB, p *law.Plan, recipient string) law.Obligation {
	tb.Helper()
	for _, o := range p.Obligations {
		if o.Recipient == recipient {
			return o
		}
	}
	tb.Fatalf("no obligation to %q", recipient)
	return law.Obligation{}
}

// TestAssessTimingRelativeToIndividuals checks notices dated from the
// notice to individuals: the date, the Timing, the citation and the words
// that say so.
func TestAssessTimingRelativeToIndividuals(t *testing.T) {
	reg := mustLoadFixtures(t)
	md := mustAssessFile(t, reg, "testdata/engine/md-timing.yaml")
	nj := mustAssessFile(t, reg, "testdata/engine/nj-targets.yaml")
	tests := []struct {
		name                  string
		plan                  *law.Plan
		recipient             string
		timing, citation, why string
		deadline, target      string
	}{
		{
			name: "before individuals, on their deadline", plan: md, recipient: "Fixture Attorney General",
			timing: law.TimingBeforeIndividuals, citation: "Fixture § 2(a) (before individuals)", deadline: "2026-12-17",
			why: "before the notice to individuals (send this first), so by 2026-12-17 at the latest, the individuals' deadline",
		},
		{
			name: "with individuals", plan: md, recipient: "Fixture State Police",
			timing: law.TimingWithIndividuals, citation: "Fixture § 1 (individuals)", deadline: "2026-12-17",
			why: "at the same time as the notice to individuals, so by 2026-12-17 at the latest, the individuals' deadline",
		},
		{
			name: "15 days after individuals", plan: md, recipient: "Fixture Attorney General (sample copy)",
			timing: law.TimingAfterIndividuals, citation: "Fixture § 2(f) (sample within 15 days)", deadline: "2027-01-01",
			why: "within 15 days of the notice to individuals: by 2027-01-01 if they are told on their last day (2026-12-17); sooner if they are told sooner",
		},
		{
			name: "before individuals who have only a target", plan: nj, recipient: "Fixture State Police",
			timing: law.TimingBeforeIndividuals, citation: "Fixture NJ § 1", target: "2026-11-22",
			why: "before the notice to individuals (send this first), which has no fixed deadline; recommended target 2026-11-22, the individuals' recommended target",
		},
		{
			name: "5 business days after a target skips Thanksgiving", plan: nj, recipient: "Fixture Attorney General",
			timing: law.TimingAfterIndividuals, citation: "Fixture NJ § 1", target: "2026-11-30",
			why: "recommended target 2026-11-30 (weekends and US federal holidays skipped), 5 business days after the individuals' recommended target (2026-11-22)",
		},
		{
			name: "with individuals, but the law's own deadline is earlier", plan: nj, recipient: "nationwide consumer reporting agencies",
			timing: law.TimingWithIndividuals, citation: "Fixture NJ § 1", deadline: "2026-11-12",
			why: "at the same time as the notice to individuals (the individuals' recommended target is 2026-11-22) and within 10 days of discovery (2026-11-02), by 2026-11-12",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := find(t, tt.plan, tt.recipient)
			if o.Timing != tt.timing {
				t.Errorf("timing = %q, want %q", o.Timing, tt.timing)
			}
			if o.Citation != tt.citation {
				t.Errorf("citation = %q, want %q", o.Citation, tt.citation)
			}
			if got := dateString(o.Deadline); got != tt.deadline {
				t.Errorf("deadline = %s, want %s", got, tt.deadline)
			}
			if got := dateString(o.Target); got != tt.target {
				t.Errorf("target = %s, want %s", got, tt.target)
			}
			if !strings.Contains(o.Why, tt.why) {
				t.Errorf("why = %q, want it to contain %q", o.Why, tt.why)
			}
		})
	}
	// A notice due before the individuals' is listed before theirs even on
	// the same date.
	for _, p := range []*law.Plan{md, nj} {
		before, indiv := -1, -1
		for i, o := range p.Obligations {
			switch {
			case o.Timing == law.TimingBeforeIndividuals:
				before = i
			case o.Audience == law.AudienceIndividuals:
				indiv = i
			}
		}
		if before < 0 || indiv < 0 || before > indiv {
			t.Errorf("notice before individuals at %d, individuals at %d: want it listed first\n%s", before, indiv, strings.Join(summary(p), "\n"))
		}
	}
}

func dateString(d *law.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// TestAssessNoticeSectors checks that a notice limited to some sectors is
// dropped, with a note, for other entities and due for those sectors.
func TestAssessNoticeSectors(t *testing.T) {
	reg := mustLoadFixtures(t)
	disc := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	pop := []breach.StatGroup{{Jurisdiction: "US-MD", Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN), Count: 10}}
	for _, tt := range []struct {
		sectors []string
		listed  bool
	}{
		{nil, false},
		{[]string{"financial_institution"}, false},
		{[]string{"financial_institution", "government"}, true},
	} {
		p, err := reg.Assess(law.Facts{Discovered: disc, HarmLikely: breach.Yes, Sectors: tt.sectors}, pop, disc)
		if err != nil {
			t.Fatal(err)
		}
		listed := false
		for _, o := range p.Obligations {
			listed = listed || o.Recipient == "Fixture Auditor"
		}
		noted := slices.Contains(p.Notes, "US-MD: the notice to the Fixture Auditor is owed only by government agencies; not listed (declare the sector if the entity is one).")
		if listed != tt.listed || noted == tt.listed {
			t.Errorf("sectors %v: listed=%v noted=%v, want listed=%v and a note only when not listed", tt.sectors, listed, noted, tt.listed)
		}
	}
}

// TestAssessNoHarmWithoutExemption checks a recorded no-harm determination
// under a law that allows no exemption: notices stay required, the why and
// the notes say the determination was not relied on, and a no-harm notice
// for a narrower exception appears only then, as conditional.
func TestAssessNoHarmWithoutExemption(t *testing.T) {
	reg := mustLoadFixtures(t)
	disc := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	pop := []breach.StatGroup{{Jurisdiction: "US-MD", Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN), Count: 600}}
	for _, harm := range []breach.Tristate{breach.No, breach.Yes, breach.Unknown} {
		p, err := reg.Assess(law.Facts{Discovered: disc, HarmLikely: harm}, pop, disc)
		if err != nil {
			t.Fatal(err)
		}
		indiv := find(t, p, "Affected residents of Maryland")
		if !indiv.Required {
			t.Errorf("harm %s: individuals not required", harm)
		}
		const ignored = "no-harm determination (harm_likely: false) not relied on"
		if got := strings.Contains(indiv.Why, ignored); got != (harm == breach.No) {
			t.Errorf("harm %s: why mentions the determination not relied on: %v\n%s", harm, got, indiv.Why)
		}
		note := slices.Contains(p.Notes, "A no-harm determination was recorded (harm_likely: false), but US-MD allows no risk-of-harm exemption: its notices are listed as required regardless.")
		if note != (harm == breach.No) {
			t.Errorf("harm %s: note = %v", harm, note)
		}
		copyListed := false
		for _, o := range p.Obligations {
			if o.Recipient == "Fixture Attorney General (no-harm copy)" {
				copyListed = true
				if !o.Required || !o.Conditional || o.Deadline == nil || o.Deadline.String() != "2026-11-12" {
					t.Errorf("no-harm copy: required=%v conditional=%v deadline=%v, want a conditional notice due 2026-11-12", o.Required, o.Conditional, o.Deadline)
				}
			}
		}
		if copyListed != (harm == breach.No) {
			t.Errorf("harm %s: no-harm copy listed = %v", harm, copyListed)
		}
	}
}

// TestAssessOutOfSectorRule checks the note for people whose only state
// law binds other sectors.
func TestAssessOutOfSectorRule(t *testing.T) {
	reg := mustLoadFixtures(t)
	disc := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	pop := []breach.StatGroup{{Jurisdiction: "US-GA", Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN), Count: 1}}
	tests := []struct {
		sectors []string
		want    string
	}{
		{[]string{"retail"}, "US-GA: Georgia's law covers only data brokers and government agencies; it does not apply to a retail entity, so the 1 person here is owed no notice under it"},
		{nil, "it does not apply to an entity with no declared sector, so"},
		{[]string{"financial_institution"}, "it does not apply to a financial institution, so"},
		{[]string{"insurance_licensee", "retail"}, "it does not apply to an entity in the insurance_licensee and retail sectors, so"},
	}
	for _, tt := range tests {
		p, err := reg.Assess(law.Facts{Discovered: disc, Sectors: tt.sectors}, pop, disc)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range p.Notes {
			found = found || strings.Contains(n, tt.want)
		}
		if !found || len(p.Obligations) != 0 {
			t.Errorf("sectors %v: want no obligations and a note containing %q; notes:\n%s", tt.sectors, tt.want, strings.Join(p.Notes, "\n"))
		}
	}
	p, err := reg.Assess(law.Facts{Discovered: disc, Sectors: []string{"data_broker"}}, pop, disc)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Obligations) == 0 {
		t.Errorf("data broker: the Georgia-like rule must apply")
	}
}

// TestRecipientPhrase checks how recipients read inside a sentence.
func TestRecipientPhrase(t *testing.T) {
	tests := []struct {
		name string
		o    law.Obligation
		want string
	}{
		{"capitalised name takes the", law.Obligation{Audience: law.AudienceRegulator, Recipient: "Texas Attorney General"}, "the Texas Attorney General"},
		{"lower-case phrase as written", law.Obligation{Audience: law.AudienceCRAs, Recipient: "nationwide consumer reporting agencies"}, "nationwide consumer reporting agencies"},
		{"lower-case phrase with its article", law.Obligation{Audience: law.AudienceRegulator, Recipient: "the competent supervisory authority"}, "the competent supervisory authority"},
		{"individuals", law.Obligation{Audience: law.AudienceIndividuals, Recipient: "Affected residents of Texas"}, "affected residents of Texas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.RecipientPhrase(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAssessPerStateThresholdUnknownState checks a per-state threshold
// when some people have no known state: they might all live in the largest
// state below the threshold, so the notice is listed as conditional.
func TestAssessPerStateThresholdUnknownState(t *testing.T) {
	reg := mustLoadFixtures(t)
	disc := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	acct := breach.NewElementSet(breach.ElementName, breach.ElementAccountNumber)
	tests := []struct {
		name      string
		unknown   int64
		want      []string
		wantInWhy string
	}{
		{
			name: "could reach it", unknown: 250,
			want: []string{
				"US media prominent media outlets serving the State: required=true affected=550 target 2026-11-17 (conditional)",
				"US media prominent media outlets serving the State: required=false affected=300 -",
			},
			wantInWhy: "550 people at most in one State or jurisdiction (250 with no known State or jurisdiction + 300 residents of Texas) ≥ 500",
		},
		{
			name: "cannot reach it", unknown: 150,
			want: []string{
				"US media prominent media outlets serving the State: required=false affected=450 -",
			},
			wantInWhy: "150 people with no known State or jurisdiction counted toward none",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pop := []breach.StatGroup{
				{Jurisdiction: "US-TX", Elements: acct, Count: 300},
				{Jurisdiction: "US", Elements: acct, Count: tt.unknown},
			}
			p, err := reg.Assess(law.Facts{Discovered: disc, HarmLikely: breach.Yes, Sectors: []string{"financial_institution"}}, pop, disc)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			found := false
			for i, line := range summary(p) {
				if p.Obligations[i].Audience == law.AudienceMedia {
					got = append(got, line)
					found = found || strings.Contains(p.Obligations[i].Why, tt.wantInWhy)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("media obligations (-want +got):\n%s", diff)
			}
			if !found {
				t.Errorf("no media obligation explains %q", tt.wantInWhy)
			}
		})
	}
}
