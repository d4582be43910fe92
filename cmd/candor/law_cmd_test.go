package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runLawCLI runs candor with args and a pinned clock, returning the exit
// code, stdout and stderr.
func runLawCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{
		Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(""), Config: DefaultConfig(),
		Getenv: func(k string) string {
			if k == "CANDOR_NOW" {
				return "2026-12-01T12:00:00Z"
			}
			return ""
		},
	}
	code := m.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func TestLawValidateEmbedded(t *testing.T) {
	code, out, errOut := runLawCLI(t, "law", "validate")
	if code != 0 || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestLawValidateDirReportsFileLine(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../internal/law/testdata/rules/us/tx.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "kind: state", "kind: stat", 1)
	if err := os.MkdirAll(filepath.Join(dir, "us"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "us", "tx.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runLawCLI(t, "law", "validate", dir)
	want := filepath.Join(dir, "us", "tx.yaml") + `:4: kind: "stat" is not one of state, federal, sector, country` + "\n"
	if code != 1 || out != want {
		t.Errorf("exit %d, stdout %q; want exit 1, stdout %q (stderr %q)", code, out, want, errOut)
	}
}

func TestLawShowJSON(t *testing.T) {
	code, out, errOut := runLawCLI(t, "law", "show", "us-tx", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		ID       string `json:"id"`
		Reviewed string `json:"reviewed"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.ID != "US-TX" || r.Reviewed == "" {
		t.Errorf("show --json = %+v (%v)", r, err)
	}
	code, out, _ = runLawCLI(t, "law", "show", "US-TX")
	if code != 0 || !strings.Contains(out, "not legal advice") || !strings.Contains(out, "Texas Attorney General") {
		t.Errorf("show text lacks the disclaimer or the Attorney General:\n%s", out)
	}
	if code, _, errOut := runLawCLI(t, "law", "show", "XX"); code != 1 || !strings.Contains(errOut, `no rule or jurisdiction "XX"`) {
		t.Errorf("unknown rule: exit %d, stderr %q", code, errOut)
	}
}

// TestAssessScenarioMatchesGolden runs the CLI on a golden scenario: its
// --json output must be the engine harness's golden file byte for byte.
func TestAssessScenarioMatchesGolden(t *testing.T) {
	const base = "../../internal/law/testdata/scenarios/x-issue-example"
	code, out, errOut := runLawCLI(t, "assess", "--scenario", base+".yaml", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want, err := os.ReadFile(base + ".golden.json")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("assess --json differs from %s.golden.json", base)
	}
	code, out, _ = runLawCLI(t, "assess", "--scenario", base+".yaml")
	if code != 0 || strings.Count(out, "not legal advice") != 1 || !strings.Contains(out, "EARLIER THAN OUR 7-DAY GOAL") {
		t.Errorf("text output: exit %d\n%s", code, out)
	}
}

func TestAssessUsage(t *testing.T) {
	if code, _, errOut := runLawCLI(t, "assess"); code != 2 || !strings.Contains(errOut, "exactly one of --incident ID or --scenario FILE") {
		t.Errorf("no source: exit %d, stderr %q", code, errOut)
	}
	bad := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(bad, []byte("discovered: yesterday\npopulations: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runLawCLI(t, "assess", "--scenario", bad)
	if code != 1 || !strings.Contains(errOut, bad+`:1: discovered: "yesterday" is not a time`) {
		t.Errorf("bad scenario: exit %d, stderr %q", code, errOut)
	}
}

func TestCalendarScenario(t *testing.T) {
	out := filepath.Join(t.TempDir(), "deadlines.ics")
	code, stdout, errOut := runLawCLI(t, "calendar", "--scenario", "../../internal/law/testdata/scenarios/x-issue-example.yaml", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	ics := string(b)
	if !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(ics, "END:VCALENDAR\r\n") ||
		!strings.Contains(ics, "DTSTART;VALUE=DATE:20261202\r\n") || !strings.Contains(ics, "DTSTAMP:20261201T120000Z\r\n") {
		t.Errorf("calendar:\n%s", ics)
	}
	if !strings.Contains(stdout, "Wrote "+out) {
		t.Errorf("stdout = %q", stdout)
	}
}

// TestAssessDemoIncident assesses the demo incident from its SQLite
// database: the wiring from store to engine.
func TestAssessDemoIncident(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a demo population")
	}
	dir := t.TempDir()
	if code, _, errOut := runLawCLI(t, "demo", "--dir", dir, "--people", "400"); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	db := filepath.Join(dir, "candor.db")
	code, out, errOut := runLawCLI(t, "--db", db, "assess", "--incident", "1", "--json")
	if code != 0 {
		t.Fatalf("assess: exit %d: %s", code, errOut)
	}
	var plan struct {
		Affected    int64 `json:"affected"`
		Obligations []struct {
			Regime   string  `json:"regime"`
			Required bool    `json:"required"`
			Deadline *string `json:"deadline"`
			Why      string  `json:"why"`
		} `json:"obligations"`
		Disclaimer string `json:"disclaimer"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatal(err)
	}
	if plan.Affected != 400 || plan.Disclaimer == "" {
		t.Errorf("affected = %d, disclaimer %q", plan.Affected, plan.Disclaimer)
	}
	required := 0
	for _, o := range plan.Obligations {
		if o.Required {
			required++
		}
		if o.Why == "" {
			t.Errorf("%s obligation without why", o.Regime)
		}
	}
	if required == 0 {
		t.Error("the demo incident (name + SSN and more, unencrypted) produced no required obligation")
	}
	if code, _, errOut := runLawCLI(t, "--db", db, "calendar", "--incident", "1", "--out", filepath.Join(dir, "d.ics")); code != 0 {
		t.Errorf("calendar: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runLawCLI(t, "--db", db, "assess", "--incident", "99"); code != 1 || errOut == "" {
		t.Errorf("missing incident: exit %d, stderr %q", code, errOut)
	}
}
