package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/ingest"
	"github.com/candor-dev/candor/internal/law"
	"github.com/candor-dev/candor/internal/notice"
	"github.com/candor-dev/candor/internal/synth"
)

func init() { register(newDemoCmd) }

// demoOrg is the fictional company of the demo. Its domains use the
// reserved .example top-level domain, so nothing can ever reach a real site.
func demoOrg() *breach.Organization {
	return &breach.Organization{
		LegalName: "Northwind Outfitters, Inc.", Brand: "Northwind", PrimaryDomain: "northwind.example",
		AllowedDomains: []string{"help.northwind.example"}, SupportPhone: "+1 (800) 555-0199",
		SupportEmail: "privacy@northwind.example", SupportHours: "Monday–Saturday, 8 a.m.–8 p.m. Eastern",
		SenderAddress: "Northwind Outfitters <notices@northwind.example>",
		Address:       breach.Address{Line1: "100 Harbor Way", City: "Portland", Region: "ME", PostalCode: "04101", Country: "US"},
		Sectors:       []string{"retail"},
	}
}

func demoIncident(now time.Time) *breach.Incident {
	loc, _ := time.LoadLocation("America/New_York")
	day := func(d int, h int) time.Time {
		t := now.In(loc).AddDate(0, 0, d)
		return time.Date(t.Year(), t.Month(), t.Day(), h, 0, 0, 0, loc)
	}
	from, to, contained := day(-30, 0), day(-4, 0), day(-1, 18)
	return &breach.Incident{
		Title:        "Customer records exposed through a misconfigured backup",
		DiscoveredAt: day(-2, 9), OccurredFrom: &from, OccurredTo: &to, ContainedAt: &contained,
		TimeZone: "America/New_York",
		WhatHappened: "A copy of our customer database was saved to a cloud storage folder that we had set up wrongly, " +
			"so that anyone with the link could open it. Someone outside Northwind downloaded the copy.",
		Cause:           "misconfigured cloud storage permissions",
		SystemsAffected: []string{"customer database backup", "cloud storage"},
		Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN, breach.ElementDOB, breach.ElementAddress,
			breach.ElementEmail, breach.ElementPhone, breach.ElementCardNumber, breach.ElementAccountAccessCode,
			breach.ElementUsername, breach.ElementPassword, breach.ElementDriversLicense, breach.ElementMedical,
			breach.ElementHealthInsurance),
		HarmLikely: breach.Unknown,
	}
}

func newDemoCmd(m *Main) *cobra.Command {
	var (
		people int
		seed   uint64
		dir    string
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a full demo incident on a fresh embedded SQLite database",
		Long: `Creates a fresh SQLite database with a fictional company, a breach incident and
synthetic affected people across many US states and other countries, imports them
through the real import path, and prints what it did and what to run next.

The demo never contacts anyone: its domains are under the reserved .example TLD.`,
		Example: `  candor demo
  candor demo --people 100000 --dir /tmp/candor-demo`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if m.Config.IsPostgres() {
				return usageError{fmt.Errorf("the demo makes its own SQLite database: leave out --db/CANDOR_DB, or use --dir")}
			}
			if people < 1 {
				return usageError{fmt.Errorf("--people must be at least 1")}
			}
			return runDemo(cmd.Context(), m, dir, people, seed)
		},
	}
	cmd.Flags().IntVar(&people, "people", 10000, "number of synthetic affected people")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed for the synthetic people")
	cmd.Flags().StringVar(&dir, "dir", "candor-demo", "directory for the demo database and files (recreated)")
	cmd.AddCommand(newDemoPeopleCSVCmd(m))
	return cmd
}

func newDemoPeopleCSVCmd(m *Main) *cobra.Command {
	var (
		rows int
		seed uint64
		out  string
	)
	cmd := &cobra.Command{
		Use:   "people-csv",
		Short: "Write a synthetic affected-people CSV (for trials and benchmarks)",
		Example: `  candor demo people-csv --rows 1000000 --out people.csv
  candor demo people-csv --rows 10 --out -`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := m.Stdout
			if out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return breach.Errorf(breach.EINVALID, "create %s: %v", out, err)
				}
				defer f.Close()
				w = f
			}
			bw := bufio.NewWriterSize(w, 1<<20)
			if err := synth.WriteCSV(bw, synth.Options{Rows: rows, Seed: seed, IDPrefix: "C-"}); err != nil {
				return err
			}
			return bw.Flush()
		},
	}
	cmd.Flags().IntVar(&rows, "rows", 10000, "number of rows")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed")
	cmd.Flags().StringVar(&out, "out", "-", "output file, - for stdout")
	return cmd
}

func runDemo(ctx context.Context, m *Main, dir string, people int, seed uint64) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("demo: clear %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("demo: create %s: %w", dir, err)
	}
	m.Config.DB = filepath.Join(dir, "candor.db")
	out := m.Stdout
	if m.JSON {
		out = io.Discard
	}
	step := func(format string, args ...any) { fmt.Fprintf(out, "• "+format+"\n", args...) }

	s, err := m.Store(ctx)
	if err != nil {
		return err
	}
	org := demoOrg()
	if err := s.SetOrganization(ctx, org); err != nil {
		return err
	}
	step("Organisation: %s (%s)", org.LegalName, org.PrimaryDomain)
	inc := demoIncident(time.Now())
	if err := s.CreateIncident(ctx, inc); err != nil {
		return err
	}
	step("Incident %d: %q, discovered %s", inc.ID, inc.Title, inc.DiscoveredAt.Format("Mon 2 Jan 2006 15:04 MST"))

	csvPath := filepath.Join(dir, "affected-people.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := synth.WriteCSV(f, synth.Options{Rows: people, Seed: seed, IDPrefix: "C-", BadEvery: 1000}); err != nil {
		f.Close()
		return fmt.Errorf("demo: write %s: %w", csvPath, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	step("Wrote %d synthetic customers to %s (one row in a thousand spoiled, as real lists are)", people, csvPath)

	res, err := ingest.Import(ctx, s, ingest.Options{IncidentID: inc.ID, Path: csvPath, Progress: progressWriter(m)})
	if err != nil {
		return err
	}
	step("Imported: %d new, %d updated, %d duplicates merged, %d rejected (quarantine: %s)",
		res.Imported, res.Updated, res.Duplicates, res.Rejected, orDash(res.Quarantine))

	stats, err := s.PersonStats(ctx, inc.ID)
	if err != nil {
		return err
	}
	byJuris := map[breach.Jurisdiction]int64{}
	for _, g := range stats.Groups {
		byJuris[g.Jurisdiction] += g.Count
	}
	type jc struct {
		j breach.Jurisdiction
		n int64
	}
	var top []jc
	for j, n := range byJuris {
		top = append(top, jc{j, n})
	}
	sort.Slice(top, func(a, b int) bool { return top[a].n > top[b].n || top[a].n == top[b].n && top[a].j < top[b].j })
	var parts []string
	for i := 0; i < len(top) && i < 8; i++ {
		parts = append(parts, fmt.Sprintf("%s %d", top[i].j, top[i].n))
	}
	step("%d people in %d jurisdictions and %d jurisdiction × element groups; largest: %s",
		stats.Total, len(byJuris), len(stats.Groups), strings.Join(parts, ", "))

	plan, err := demoAssess(ctx, m, s, inc, org, stats)
	if err != nil {
		return err
	}
	step("%s", planSummary(plan))

	drafted, err := notice.DraftDemo(ctx, s, inc.ID, dir, notice.Options{})
	if err != nil {
		return err
	}
	var codes []string
	for kind, n := range drafted.Codes {
		codes = append(codes, fmt.Sprintf("%d %s", n, kind))
	}
	sort.Strings(codes)
	step("Notices: default English and Spanish templates drafted and checked against every law for %d recipient variants; "+
		"approved by %s (hash %.12s…); codes assigned: %s", drafted.Variants, drafted.Approval.ApprovedBy, drafted.Approval.Hash,
		strings.Join(codes, ", "))
	if drafted.Proofs != nil {
		step("Proofs for legal review: %s", drafted.Proofs.Index)
	}

	sent, err := m.demoSend(ctx, s, inc.ID, dir)
	if err != nil {
		return err
	}
	step("Delivery:")
	printDemoSend(&indentWriter{w: out, prefix: "    "}, sent)

	if m.JSON {
		return m.printJSON(map[string]any{"db": m.Config.DB, "incident": inc.ID, "import": res, "people": stats.Total,
			"jurisdictions": len(byJuris), "groups": len(stats.Groups), "obligations": len(plan.Obligations),
			"severity": plan.Severity.Level, "seven_day_target": plan.SevenDay.Date, "notices": drafted, "delivery": sent})
	}
	fmt.Fprintf(out, "\nNext, try:\n")
	db := m.Config.DB
	for _, c := range []string{
		"candor --db %s incident show %d",
		"candor --db %s people stats --incident %d",
		"candor --db %s people show --incident %d --person C-100000",
		"candor --db %s assess --incident %d",
		"candor --db %s calendar --incident %d --out deadlines.ics",
		"candor --db %s notice preview --incident %d --person C-100000",
		"candor --db %s send status --incident %d",
		"candor --db %s proof --incident %d --person C-100000",
		"candor --db %[1]s audit verify",
	} {
		fmt.Fprintf(out, "  "+c+"\n", db, inc.ID)
	}
	return nil
}

// demoAssess runs the law engine on the demo incident and marks it assessed.
func demoAssess(ctx context.Context, m *Main, s Store, inc *breach.Incident, org *breach.Organization, stats *breach.PersonStats) (*law.Plan, error) {
	reg, err := law.Load()
	if err != nil {
		return nil, err
	}
	plan, err := reg.Assess(law.FactsFromIncident(inc, org.Sectors), stats.Groups, m.now())
	if err != nil {
		return nil, err
	}
	st := breach.StatusAssessed
	if _, err := s.UpdateIncident(ctx, inc.ID, breach.IncidentUpdate{Status: &st}); err != nil {
		return nil, err
	}
	return plan, nil
}

// planSummary says in one line what the law engine decided.
func planSummary(plan *law.Plan) string {
	var indiv, regulators, cras, other, earlier int
	var earliest *law.Date
	laws := map[string]bool{}
	for i := range plan.Obligations {
		o := &plan.Obligations[i]
		if !o.Required {
			continue
		}
		laws[o.Regime] = true
		switch o.Audience {
		case "individuals":
			indiv++
		case "regulator":
			regulators++
		case "consumer_reporting_agencies":
			cras++
		default:
			other++
		}
		if o.EarlierThanTarget {
			earlier++
		}
		if o.Deadline != nil && (earliest == nil || o.Deadline.Before(*earliest)) {
			earliest = o.Deadline
		}
	}
	first := "none fixed"
	if earliest != nil {
		first = earliest.String()
	}
	sev := ""
	if plan.Severity != nil {
		sev = fmt.Sprintf("; severity %s (ENISA SE %s)", plan.Severity.Level, plan.Severity.Formula)
	}
	return fmt.Sprintf("Assessed under %d laws: notify individuals in %d jurisdictions, %d regulators, %d credit-bureau and %d other notices; "+
		"earliest legal deadline %s; our seven-day goal %s (%d legal deadlines fall earlier)%s",
		len(laws), indiv, regulators, cras, other, first, plan.SevenDay.Date, earlier, sev)
}

// indentWriter prefixes every line written through it.
type indentWriter struct {
	w      io.Writer
	prefix string
	mid    bool
}

func (iw *indentWriter) Write(p []byte) (int, error) {
	for _, line := range bytes.SplitAfter(p, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if !iw.mid {
			if _, err := io.WriteString(iw.w, iw.prefix); err != nil {
				return 0, err
			}
		}
		if _, err := iw.w.Write(line); err != nil {
			return 0, err
		}
		iw.mid = line[len(line)-1] != '\n'
	}
	return len(p), nil
}
