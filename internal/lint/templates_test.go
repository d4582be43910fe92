package lint_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/ingest"
	"github.com/candor-dev/candor/internal/law"
	"github.com/candor-dev/candor/internal/lint"
	"github.com/candor-dev/candor/internal/notice"
	"github.com/candor-dev/candor/internal/sqlite"
	"github.com/candor-dev/candor/internal/synth"
)

// TestDefaultTemplatesScore renders Candor's default notice templates for
// a synthetic population across many jurisdictions (the demo's notice
// step, with identity protection and a loyalty offer), then lints every
// English proof — text and HTML — against the laws that apply to its
// recipient group: each must score at least 90 with no error.
func TestDefaultTemplatesScore(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a demo incident")
	}
	ctx := context.Background()
	dir := t.TempDir()
	now := time.Date(2026, 11, 9, 15, 30, 0, 0, time.UTC)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "candor.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return now }
	org := &breach.Organization{
		LegalName: "Northwind Outfitters, Inc.", Brand: "Northwind", PrimaryDomain: "northwind.example",
		AllowedDomains: []string{"help.northwind.example"}, SupportPhone: "1-800-555-0199",
		SupportEmail: "privacy@northwind.example", SupportHours: "Monday to Saturday, 8 a.m. to 8 p.m. Eastern",
		SenderAddress: "Northwind Outfitters <notices@northwind.example>",
		Address:       breach.Address{Line1: "100 Harbor Way", City: "Portland", Region: "ME", PostalCode: "04101", Country: "US"},
	}
	if err := db.SetOrganization(ctx, org); err != nil {
		t.Fatal(err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	from, to := time.Date(2026, 10, 3, 0, 0, 0, 0, ny), time.Date(2026, 10, 29, 0, 0, 0, 0, ny)
	contained := time.Date(2026, 11, 1, 18, 0, 0, 0, ny)
	inc := &breach.Incident{
		Title: "Customer records exposed through a misconfigured backup", DiscoveredAt: time.Date(2026, 11, 1, 9, 0, 0, 0, ny),
		OccurredFrom: &from, OccurredTo: &to, ContainedAt: &contained, TimeZone: "America/New_York",
		WhatHappened: "A copy of our customer database was saved to a storage folder that we had set up wrongly, so that anyone with the link could open it. Someone outside Northwind downloaded the copy.",
		Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN, breach.ElementDOB, breach.ElementCardNumber,
			breach.ElementAccountAccessCode, breach.ElementEmail, breach.ElementPassword, breach.ElementDriversLicense),
		HarmLikely: breach.Unknown,
	}
	if err := db.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "people.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.WriteCSV(f, synth.Options{Rows: 400, Seed: 1, IDPrefix: "C-"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ingest.Import(ctx, db, ingest.Options{IncidentID: inc.ID, Path: csvPath}); err != nil {
		t.Fatal(err)
	}
	reg, err := law.Load()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := notice.DraftDemo(ctx, db, inc.ID, dir, notice.Options{Now: func() time.Time { return now }, Registry: reg})
	if err != nil {
		t.Fatalf("DraftDemo: %v", err)
	}
	if sum.Codes[breach.RemedyIDP] == 0 {
		t.Fatal("the demo assigned no identity-protection codes")
	}

	var index struct {
		Variants []struct {
			Jurisdiction string   `json:"jurisdiction"`
			Elements     []string `json:"elements"`
			Locale       string   `json:"locale"`
			Regimes      []string `json:"regimes"`
			Files        []string `json:"files"`
		} `json:"variants"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "proofs", "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &index); err != nil {
		t.Fatal(err)
	}
	linted := 0
	for _, v := range index.Variants {
		if v.Locale != "en" {
			continue // the linter's vocabulary is English
		}
		elements, err := breach.ParseElementSet(strings.Join(v.Elements, ","))
		if err != nil {
			t.Fatal(err)
		}
		opts := lint.Options{Org: org, Elements: elements}
		for _, id := range v.Regimes {
			r, err := reg.Rule(id)
			if err != nil {
				t.Fatal(err)
			}
			req, err := lint.LawRequirements(r)
			if err != nil {
				t.Fatal(err)
			}
			opts.Requirements = append(opts.Requirements, req)
		}
		l, err := lint.New(opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range v.Files {
			if !strings.HasSuffix(name, ".txt") && !strings.HasSuffix(name, ".html") {
				continue
			}
			src, err := os.ReadFile(filepath.Join(dir, "proofs", name))
			if err != nil {
				t.Fatal(err)
			}
			res := l.LintSource(name, src, "")
			linted++
			if res.Score < 90 || res.Errors() > 0 {
				var sb strings.Builder
				_ = lint.WriteText(&sb, []*lint.Result{res})
				for _, f := range res.Findings {
					if f.Severity == lint.SeverityError {
						sb.WriteString("excerpt: " + f.Excerpt + "\n")
					}
				}
				t.Errorf("%s (%s, regimes %v): score %d with %d errors, want ≥ 90 and none:\n%s", name, v.Jurisdiction, v.Regimes, res.Score, res.Errors(), sb.String())
			}
		}
	}
	if linted < 20 {
		t.Fatalf("linted only %d proofs", linted)
	}
}
