package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
	"github.com/candor-dev/candor/internal/severity"
)

func init() { register(newAssessCmd) }

// planSource says what to assess: a stored incident or a scenario file,
// plus sectors and severity overrides from flags.
type planSource struct {
	incidentID int64
	scenario   string
	sectors    []string
	rulesDir   string
	sev        severityFlags
}

func (src *planSource) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Int64Var(&src.incidentID, "incident", 0, "incident ID (see: candor incident list)")
	f.StringVar(&src.scenario, "scenario", "", "a hypothetical incident in YAML (format in candor assess --help)")
	f.StringSliceVar(&src.sectors, "sector", nil, "add a regulatory sector (repeatable): "+joinComma(law.Sectors()))
	f.StringVar(&src.rulesDir, "rules", "", "evaluate the rule files in `DIR` (us/, intl/, sector/) instead of the built-in rules")
}

// severityFlags override the derived ENISA inputs for a stored incident.
type severityFlags struct {
	dpc, ei, conf, integ, avail float64
	adjust                      int
	malicious                   bool
	reason                      string
}

func (s *severityFlags) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Float64Var(&s.dpc, "dpc", 0, "severity: set the data processing context (1–4)")
	f.IntVar(&s.adjust, "dpc-adjustment", 0, "severity: adjust the derived DPC for context (−3…+3)")
	f.Float64Var(&s.ei, "ei", 0, "severity: set the ease of identification (0.25, 0.5, 0.75, 1)")
	f.Float64Var(&s.conf, "confidentiality", 0, "severity: loss of confidentiality (0, 0.25, 0.5)")
	f.Float64Var(&s.integ, "integrity", 0, "severity: loss of integrity (0, 0.25, 0.5)")
	f.Float64Var(&s.avail, "availability", 0, "severity: loss of availability (0, 0.25, 0.5)")
	f.BoolVar(&s.malicious, "malicious", true, "severity: the breach was an intentional act")
	f.StringVar(&s.reason, "severity-reason", "", "severity: why the inputs were overridden")
}

// apply copies the flags that were given onto o.
func (s *severityFlags) apply(cmd *cobra.Command, o *severity.Overrides) {
	f := cmd.Flags()
	set := func(name string, v float64, dst **float64) {
		if f.Changed(name) {
			*dst = &v
		}
	}
	set("dpc", s.dpc, &o.DPC)
	set("ei", s.ei, &o.EI)
	set("confidentiality", s.conf, &o.Confidentiality)
	set("integrity", s.integ, &o.Integrity)
	set("availability", s.avail, &o.Availability)
	if f.Changed("dpc-adjustment") {
		a := s.adjust
		o.DPCAdjustment = &a
	}
	if f.Changed("malicious") {
		m := s.malicious
		o.Malicious = &m
	}
	if f.Changed("severity-reason") {
		o.Reason = s.reason
	}
}

func newAssessCmd(m *Main) *cobra.Command {
	var src planSource
	cmd := &cobra.Command{
		Use:   "assess",
		Short: "Decide whom to tell, by when and why, under every applicable breach law",
		Long: `Evaluates every applicable breach-notification law for an incident's affected
people, grouped by jurisdiction × exposed-element set (each group once), and
prints each obligation — regulator, individuals, credit bureaus, media — with
its deadline, the law it comes from and the facts that triggered it. Also the
ENISA severity score, the identity-protection months required, and our own
goal of notifying everyone within seven days of discovery.

Unknown facts take the reading that protects people, and the output says so.

--scenario FILE assesses a hypothetical incident, so counsel can ask "what
if?" without importing anyone:

  discovered: 2026-11-02T09:00:00-05:00
  time_zone: America/Chicago        # optional IANA zone for deadlines
  sectors: [retail]
  encrypted: false                  # true | false | unknown
  key_compromised: false            # true | false | unknown
  harm_likely: unknown              # true | false | unknown
  law_enforcement_delay: false      # optional
  paper: false                      # optional
  severity: {malicious: false}      # optional ENISA overrides: dpc, dpc_adjustment,
                                    # ei, confidentiality, integrity, availability,
                                    # malicious, reason
  populations:
    - {jurisdiction: US-TX, elements: [name, ssn], count: 312}
    - {jurisdiction: US-CA, elements: [email, password], count: 1200}
    - {jurisdiction: DE, elements: [name, email], count: 50}

Candor gives legal information, not legal advice.`,
		Example: `  candor assess --incident 1
  candor assess --incident 1 --sector hipaa_covered_entity --json
  candor assess --scenario what-if.yaml
  candor assess --incident 1 --ei 0.5 --severity-reason "very common names"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			plan, title, err := m.assessPlan(cmd, &src)
			if err != nil {
				return err
			}
			if m.JSON {
				return plan.WriteJSON(m.Stdout)
			}
			fmt.Fprintf(m.Stdout, "%s\n\n", title)
			return plan.WriteText(m.Stdout)
		},
	}
	src.flags(cmd)
	src.sev.flags(cmd)
	return cmd
}

// assessPlan runs the law engine on the incident or scenario src names.
// It returns the plan and a title line.
func (m *Main) assessPlan(cmd *cobra.Command, src *planSource) (*law.Plan, string, error) {
	ctx := cmd.Context()
	byIncident, byScenario := cmd.Flags().Changed("incident"), src.scenario != ""
	if byIncident == byScenario {
		return nil, "", usageError{fmt.Errorf("give exactly one of --incident ID or --scenario FILE")}
	}
	reg, err := loadRules(src.rulesDir)
	if err != nil {
		return nil, "", err
	}
	var (
		facts law.Facts
		pop   []breach.StatGroup
		title string
	)
	if byScenario {
		b, err := os.ReadFile(src.scenario)
		if err != nil {
			return nil, "", breach.Errorf(breach.EINVALID, "read scenario: %v", err)
		}
		sc, err := law.ParseScenario(src.scenario, b)
		if err != nil {
			return nil, "", err
		}
		facts, pop = sc.Facts, sc.Population
		title = "Scenario " + src.scenario
	} else {
		facts, pop, title, err = m.incidentFacts(ctx, src.incidentID)
		if err != nil {
			return nil, "", err
		}
	}
	facts.Sectors = appendNew(facts.Sectors, src.sectors...)
	src.sev.apply(cmd, &facts.Severity)
	plan, err := reg.Assess(facts, pop, m.now())
	if err != nil {
		return nil, "", err
	}
	return plan, title, nil
}

// incidentFacts reads an incident, its population by jurisdiction ×
// element set, and the organisation's sectors.
func (m *Main) incidentFacts(ctx context.Context, id int64) (law.Facts, []breach.StatGroup, string, error) {
	s, err := m.Store(ctx)
	if err != nil {
		return law.Facts{}, nil, "", err
	}
	inc, err := s.FindIncidentByID(ctx, id)
	if err != nil {
		return law.Facts{}, nil, "", err
	}
	stats, err := s.PersonStats(ctx, id)
	if err != nil {
		return law.Facts{}, nil, "", err
	}
	var sectors []string
	org, err := s.Organization(ctx)
	switch {
	case err == nil:
		sectors = org.Sectors
	case breach.ErrorCode(err) != breach.ENOTFOUND:
		return law.Facts{}, nil, "", err
	}
	facts := law.FactsFromIncident(inc, sectors)
	if org == nil {
		facts.Assumed = append(facts.Assumed, "No organisation is set, so no sector rules (HIPAA, GLBA, SEC, NYDFS…) were considered: set it with `candor org set --sector …` or pass --sector.")
	}
	if len(stats.Groups) == 0 {
		facts.Assumed = append(facts.Assumed, fmt.Sprintf("Incident %d has no affected people yet: import them first (`candor import people`).", id))
	}
	return facts, stats.Groups, fmt.Sprintf("Incident %d: %s", inc.ID, inc.Title), nil
}

// loadRules loads the built-in rules, or those in dir.
func loadRules(dir string) (*law.Registry, error) {
	if dir == "" {
		return law.Load()
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, breach.Errorf(breach.EINVALID, "rules directory: %v", err)
	}
	return law.LoadFS(os.DirFS(dir), ".")
}

// now is the time stamped on plans and calendars; CANDOR_NOW (RFC 3339)
// pins it for reproducible output.
func (m *Main) now() time.Time {
	if s := m.Getenv("CANDOR_NOW"); s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t
		}
	}
	return time.Now()
}

func appendNew(list []string, more ...string) []string {
	out := append([]string(nil), list...)
	for _, s := range more {
		found := false
		for _, x := range out {
			if x == s {
				found = true
				break
			}
		}
		if !found {
			out = append(out, s)
		}
	}
	return out
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
