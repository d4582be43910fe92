package notice_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/ingest"
	"github.com/candor-dev/candor/internal/notice"
	"github.com/candor-dev/candor/internal/sqlite"
	"github.com/candor-dev/candor/internal/synth"
)

// TestDraftDemo runs the demo's notice step on the demo's synthetic
// population (many US states and other countries): the default templates
// must satisfy every law that applies to every group, and get approved.
func TestDraftDemo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "candor.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = clock
	if err := db.SetOrganization(ctx, testOrg()); err != nil {
		t.Fatal(err)
	}
	inc := testIncident()
	if err := db.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "people.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.WriteCSV(f, synth.Options{Rows: 3000, Seed: 1, IDPrefix: "C-"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ingest.Import(ctx, db, ingest.Options{IncidentID: inc.ID, Path: csvPath}); err != nil {
		t.Fatal(err)
	}
	sum, err := notice.DraftDemo(ctx, db, inc.ID, dir, notice.Options{Now: clock, Registry: mustLaw(t)})
	if err != nil {
		t.Fatalf("DraftDemo: %v\nproblems: %v", err, sum)
	}
	stats, _ := db.PersonStats(ctx, inc.ID)
	if sum.Variants != 2*len(stats.Groups) {
		t.Fatalf("variants: got %d, want %d (every group in English and Spanish)", sum.Variants, 2*len(stats.Groups))
	}
	if sum.Approval == nil || sum.Approval.ApprovedBy != notice.DemoApprover {
		t.Fatalf("approval: got %+v", sum.Approval)
	}
	if sum.Codes[breach.RemedyIDP] != stats.Total {
		t.Fatalf("identity-protection codes assigned: got %d, want %d", sum.Codes[breach.RemedyIDP], stats.Total)
	}
	if _, err := os.Stat(filepath.Join(dir, "proofs", "index.html")); err != nil {
		t.Fatal(err)
	}
	if sum.Proofs.Variants != sum.Variants {
		t.Fatalf("proofs: got %d variants, want %d", sum.Proofs.Variants, sum.Variants)
	}
}
