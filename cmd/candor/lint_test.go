package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/sqlite"
)

const corpusDir = "../../internal/lint/testdata/corpus"

// runLintCLI runs candor in dir (for the default ./candor.db) with stdin,
// returning the exit code, stdout and stderr.
func runLintCLI(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{
		Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(stdin), Config: DefaultConfig(),
		Getenv: func(string) string { return "" },
	}
	if dir != "" {
		args = append([]string{"--db", filepath.Join(dir, "candor.db")}, args...)
	}
	code := m.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

func writeOrgFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const orgTOML = `legal_name = "Northwind Outfitters, Inc."
brand = "Northwind"
primary_domain = "northwindoutfitters.com"
support_phone = "1-800-555-0142"
`

func TestLintExitCodes(t *testing.T) {
	dir := t.TempDir()
	org := writeOrgFile(t, "org.toml", orgTOML)
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		stdout   string // substring
		stderr   string // substring
		noStdout bool
	}{
		{"clean notice", []string{"lint", filepath.Join(corpusDir, "excellent.md"), "--org", org}, 0, "score 100/100", "", false},
		{"errors exit 1", []string{"lint", filepath.Join(corpusDir, "lookalike.html"), "--org", org}, 1, "safety-lookalike", "has 2 errors", false},
		{"below min score", []string{"lint", filepath.Join(corpusDir, "credential.md"), "--org", org, "--min-score", "90"}, 1, "score 80/100", "below --min-score 90", false},
		{"warnings alone pass", []string{"lint", filepath.Join(corpusDir, "credential.md"), "--org", org}, 0, "empathy-apology", "", false},
		{"disable", []string{"lint", filepath.Join(corpusDir, "lookalike.html"), "--org", org, "--disable", "safety-lookalike"}, 0, "score", "", false},
		{"no files", []string{"lint"}, 2, "", "name the notices to lint", true},
		{"bad format", []string{"lint", "x.md", "--format", "xml"}, 2, "", `--format "xml"`, true},
		{"bad min score", []string{"lint", "x.md", "--min-score", "101"}, 2, "", "--min-score 101", true},
		{"unknown rule", []string{"lint", "x.md", "--disable", "no-such"}, 2, "", `unknown rule "no-such"`, true},
		{"unknown jurisdiction", []string{"lint", "x.md", "--jurisdiction", "US-ZZ"}, 2, "", "US-ZZ", true},
		{"missing file", []string{"lint", filepath.Join(dir, "none.md")}, 1, "", "cannot read", true},
		{"files and incident", []string{"lint", "x.md", "--incident", "1"}, 2, "", "not both", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runLintCLI(t, dir, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out, tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, out)
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, errOut)
			}
			if tc.noStdout && out != "" {
				t.Errorf("unexpected stdout %q", out)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "candor.db")); err == nil {
		t.Error("lint created a database")
	}
}

func TestLintStdinJSON(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(corpusDir, "poor.txt"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runLintCLI(t, t.TempDir(), string(src), "lint", "-", "--json")
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var res struct {
		Score      int            `json:"score"`
		Principles map[string]int `json:"principles"`
		Findings   []struct {
			Rule, Severity, Message, Suggestion string
			Line, Column                        int
		} `json:"findings"`
		DomainsInferred bool     `json:"domains_inferred"`
		Domains         []string `json:"domains"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Score > 30 || len(res.Principles) != 8 || len(res.Findings) == 0 {
		t.Errorf("score %d, %d principles, %d findings", res.Score, len(res.Principles), len(res.Findings))
	}
	// Without --org or a database, the official domain comes from the
	// notice's own e-mail address.
	if !res.DomainsInferred || len(res.Domains) != 1 || res.Domains[0] != "northwindoutfitters.com" {
		t.Errorf("domains %v (inferred %v)", res.Domains, res.DomainsInferred)
	}
}

func TestLintSARIFAndSeveralFiles(t *testing.T) {
	files := []string{filepath.Join(corpusDir, "excellent.md"), filepath.Join(corpusDir, "typical.txt")}
	code, out, errOut := runLintCLI(t, t.TempDir(), "", append([]string{"lint", "--format", "sarif"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results   []json.RawMessage `json:"results"`
			Artifacts []json.RawMessage `json:"artifacts"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Artifacts) != 2 || len(log.Runs[0].Results) == 0 {
		t.Errorf("SARIF: version %s, %d runs", log.Version, len(log.Runs))
	}
	code, out, _ = runLintCLI(t, t.TempDir(), "", append([]string{"lint", "--format", "json"}, files...)...)
	var arr []map[string]any
	if err := json.Unmarshal([]byte(out), &arr); err != nil || len(arr) != 2 || code != 0 {
		t.Errorf("two files as JSON: exit %d, %v, %d results", code, err, len(arr))
	}
}

func TestLintJurisdictionFromLaw(t *testing.T) {
	org := writeOrgFile(t, "org.json", `{"legal_name":"Northwind Outfitters, Inc.","brand":"Northwind","primary_domain":"northwindoutfitters.com"}`)
	code, out, errOut := runLintCLI(t, t.TempDir(), "", "lint", filepath.Join(corpusDir, "california.html"), "--org", org, "--jurisdiction", "US-CA")
	if code != 0 || !strings.Contains(out, "legal         100") {
		t.Errorf("california.html under US-CA: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runLintCLI(t, t.TempDir(), "", "lint", filepath.Join(corpusDir, "california.html"), "--org", org, "--jurisdiction", "us-ma")
	if code != 1 || !strings.Contains(out, "legal-prohibited US-MA") {
		t.Errorf("california.html under US-MA: exit %d\n%s", code, out)
	}
	code, out, _ = runLintCLI(t, t.TempDir(), "", "lint", filepath.Join(corpusDir, "credential.md"), "--org", org, "--jurisdiction", "US-CA")
	for _, want := range []string{`legal-title US-CA`, `legal-headings US-CA`, `"What Happened"`} {
		if !strings.Contains(out, want) {
			t.Errorf("credential.md under US-CA lacks %q (exit %d):\n%s", want, code, out)
		}
	}
}

func TestLintOrgFile(t *testing.T) {
	for _, tc := range []struct {
		name, file, body, err string
	}{
		{"toml", "org.toml", orgTOML, ""},
		{"json", "org.json", `{"legal_name":"N","primary_domain":"n.example","allowed_domains":["help.n.example"]}`, ""},
		{"unknown key", "org.toml", orgTOML + "domain = \"x.com\"\n", `unknown key "domain"`},
		{"invalid", "org.toml", `legal_name = "N"` + "\nprimary_domain = \"not a domain\"\n", "primary domain"},
		{"syntax", "org.json", `{"legal_name":`, "org.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			org, err := parseOrgFile(tc.file, []byte(tc.body))
			if tc.err == "" {
				if err != nil || org.PrimaryDomain == "" {
					t.Fatalf("org %+v, err %v", org, err)
				}
				return
			}
			if breach.ErrorCode(err) != breach.EINVALID || !strings.Contains(breach.ErrorMessage(err), tc.err) {
				t.Errorf("err = %v, want EINVALID mentioning %q", err, tc.err)
			}
		})
	}
}

func TestLintIncident(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runLintCLI(t, dir, "", "lint", "--incident", "7")
	if code != 1 || !strings.Contains(errOut, "incident 7 not found") {
		t.Errorf("no database: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "candor.db")); err == nil {
		t.Error("lint --incident created a database")
	}

	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "candor.db"))
	if err != nil {
		t.Fatal(err)
	}
	org := &breach.Organization{LegalName: "Northwind Outfitters, Inc.", Brand: "Northwind", PrimaryDomain: "northwindoutfitters.com"}
	if err := db.SetOrganization(ctx, org); err != nil {
		t.Fatal(err)
	}
	inc := &breach.Incident{Title: "Test", DiscoveredAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN), HarmLikely: breach.Unknown}
	if err := db.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runLintCLI(t, dir, "", "lint", "--incident", "1")
	if code != 1 || !strings.Contains(errOut, "no drafted notice templates") {
		t.Errorf("no drafts: exit %d, stderr %q", code, errOut)
	}
	src, err := os.ReadFile(filepath.Join(corpusDir, "excellent.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveNoticeTemplate(ctx, &breach.NoticeTemplate{IncidentID: inc.ID, Locale: "en", Source: string(src), DraftedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// The organisation comes from the database; the exposed elements from
	// the incident.
	code, out, errOut := runLintCLI(t, dir, "", "lint", "--incident", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		File            string   `json:"file"`
		Score           int      `json:"score"`
		Domains         []string `json:"domains"`
		DomainsInferred bool     `json:"domains_inferred"`
		Exposed         []string `json:"exposed"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.File != "incident-1/en/v1.md" || res.Score < 90 || res.DomainsInferred || len(res.Domains) != 1 || strings.Join(res.Exposed, ",") != "name,ssn" {
		t.Errorf("result %+v", res)
	}
}

func TestLintListings(t *testing.T) {
	code, out, _ := runLintCLI(t, t.TempDir(), "", "lint", "--list-rules")
	if code != 0 || !strings.Contains(out, "safety-lookalike  (safety, error") {
		t.Errorf("--list-rules: exit %d\n%s", code, out)
	}
	code, out, _ = runLintCLI(t, t.TempDir(), "", "lint", "--list-content", "--json")
	var items []map[string]string
	if err := json.Unmarshal([]byte(out), &items); err != nil || code != 0 || len(items) != len(breach.ContentItems()) {
		t.Errorf("--list-content --json: exit %d, %v, %d items", code, err, len(items))
	}
}
