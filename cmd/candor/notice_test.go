package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/sqlite"
)

const noticePeopleCSV = "Customer ID,First Name,Last Name,E-mail,Address,City,State,ZIP,Country,Data exposed\n" +
	"N-1,Ana,Garcia,ana@example.org,1 Main St,Austin,TX,78701,US,name;ssn\n" +
	"N-2,Bo,Lee,bo@example.org,2 Oak Ave,Boston,MA,02108,US,name;ssn\n" +
	"N-3,Cy,Roe,,3 Elm St,Hartford,CT,06103,US,name;ssn\n"

// TestNoticeWorkflow drives the notice commands end to end: strict
// drafting, a check that lists what the law needs, remedy codes, proofs,
// approval, rendering, a change that voids the approval, and the audit
// log that recorded it all.
func TestNoticeWorkflow(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			c := newCLI(t)
			if backend == "postgres" {
				c = newPostgresCLI(t)
			}
			testNoticeWorkflow(t, c)
		})
	}
}

func testNoticeWorkflow(t *testing.T, c *cli) {
	c.ok("org", "set", "--legal-name", "Acme Corp", "--brand", "Acme", "--domain", "acme.example", "--sender", "Acme <notices@acme.example>",
		"--support-phone", "1-800-555-0100", "--support-email", "privacy@acme.example", "--support-hours", "weekdays, 8 a.m. to 8 p.m. Eastern",
		"--address-line1", "1 Main St", "--city", "Portland", "--region", "ME", "--postal-code", "04101", "--country", "US")
	c.ok("incident", "create", "--title", "Backup exposed", "--discovered", "2026-11-02T09:00:00-05:00", "--tz", "America/New_York",
		"--occurred-from", "2026-10-12", "--occurred-to", "2026-10-30", "--elements", "name,ssn",
		"--what-happened", "A backup copy of our customer list was left open on the internet.")
	path := filepath.Join(c.dir, "people.csv")
	if err := os.WriteFile(path, []byte(noticePeopleCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	c.ok("import", "people", path, "--incident", "1")

	// Drafting refuses missing facts and unknown placeholders.
	if code, _, errOut := c.run("notice", "draft", "--incident", "1"); code != 1 || !strings.Contains(errOut, "no one signs the notice") {
		t.Fatalf("draft without a signer: exit %d, %s", code, errOut)
	}
	c.ok("notice", "settings", "--incident", "1", "--signer", "Dana Ruiz", "--signer-title", "Chief Executive Officer",
		"--step", "We closed the open backup the day we found it.", "--step", "An outside firm is checking all our systems.")
	tdir := filepath.Join(c.dir, "tpl")
	c.ok("notice", "template", "init", "--dir", tdir, "--locale", "en")
	tpl := filepath.Join(tdir, "notice.en.md")
	src, err := os.ReadFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(tdir, "bad.md")
	os.WriteFile(bad, []byte(strings.Replace(string(src), "{{support_phone}}", "{{suport_phone}}", 1)), 0o600)
	if code, _, errOut := c.run("notice", "draft", "--incident", "1", "--template", bad); code != 1 ||
		!strings.Contains(errOut, "unknown placeholder {{suport_phone}} (did you mean {{support_phone}}?)") {
		t.Fatalf("draft with a typo: exit %d, %s", code, errOut)
	}
	c.ok("notice", "draft", "--incident", "1", "--template", tpl, "--as", "Pat Writer")

	// Massachusetts and Connecticut require identity protection.
	code, out, _ := c.run("notice", "check", "--incident", "1")
	if code != 1 || !strings.Contains(out, "US-CT requires 24 months of free identity protection") || !strings.Contains(out, "US-MA") {
		t.Fatalf("check without identity protection: exit %d\n%s", code, out)
	}
	if code, _, errOut := c.run("notice", "approve", "--incident", "1", "--as", "Counsel"); code != 1 || !strings.Contains(errOut, "cannot be approved") {
		t.Fatalf("approve with problems: exit %d, %s", code, errOut)
	}
	c.ok("remedy", "set", "--incident", "1", "--kind", "idp", "--provider", "Guardly", "--months", "24",
		"--url", "https://acme.example/protect", "--deadline", "2027-03-31")
	codes := filepath.Join(c.dir, "codes.csv")
	os.WriteFile(codes, []byte("code\nGI-1\nGI-2\nGI-3\nGI-3\n"), 0o600)
	var imp map[string]int64
	c.okJSON(&imp, "remedy", "import-codes", "--incident", "1", "--kind", "idp", codes)
	if imp["added"] != 3 || imp["duplicates"] != 1 {
		t.Fatalf("import-codes: got %v", imp)
	}
	c.ok("remedy", "assign", "--incident", "1", "--kind", "idp")
	if out := c.ok("notice", "check", "--incident", "1", "--verbose"); !strings.Contains(out, "No problems") {
		t.Fatalf("check after remedies:\n%s", out)
	}

	proofs := filepath.Join(c.dir, "proofs")
	c.ok("notice", "proof", "--incident", "1", "--out", proofs)
	index, err := os.ReadFile(filepath.Join(proofs, "index.html"))
	if err != nil || !strings.Contains(string(index), "DRAFT: not approved") || !strings.Contains(string(index), "US-MA") {
		t.Fatalf("proof index: %v\n%.400s", err, index)
	}
	if code, _, errOut := c.run("notice", "render", "--incident", "1", "--out", filepath.Join(c.dir, "early")); code != 1 || !strings.Contains(errOut, "not been approved") {
		t.Fatalf("render before approval: exit %d, %s", code, errOut)
	}
	c.ok("notice", "approve", "--incident", "1", "--as", "Jordan Lee, General Counsel")
	preview := c.ok("notice", "preview", "--incident", "1", "--person", "N-2")
	if !strings.Contains(preview, "Dear Bo Lee,") || strings.Contains(preview, "left open on the internet") || strings.Contains(preview, "DRAFT") {
		t.Fatalf("Massachusetts preview:\n%s", preview)
	}

	emlDir := filepath.Join(c.dir, "eml-out")
	var sum map[string]any
	c.okJSON(&sum, "notice", "render", "--incident", "1", "--out", emlDir, "--format", "eml")
	if sum["rendered"] != 2.0 || sum["skipped"] != 1.0 {
		t.Fatalf("render eml: got %v", sum)
	}
	msg, err := os.ReadFile(filepath.Join(emlDir, "eml", "N-1.eml"))
	if err != nil || !strings.Contains(string(msg), "Reply-To: <privacy@acme.example>") || !strings.Contains(string(msg), "@acme.example>\r\n") {
		t.Fatalf("N-1.eml: %v\n%.600s", err, msg)
	}
	pdfDir := filepath.Join(c.dir, "print")
	c.ok("notice", "render", "--incident", "1", "--out", pdfDir, "--format", "pdf", "--postal-only")
	f, err := os.Open(filepath.Join(pdfDir, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 2 || rows[1][0] != "letters-0001.pdf" || rows[1][5] != "N-3" || rows[1][12] != "US" {
		t.Fatalf("manifest: %v %v", rows, err)
	}
	if st, err := os.Stat(filepath.Join(pdfDir, "letters-0001.pdf")); err != nil || st.Size() < 1000 {
		t.Fatalf("letters: %v", err)
	}

	// A change to the facts voids the approval.
	c.ok("incident", "update", "1", "--what-happened", "A backup copy of our customer list was exposed.")
	if code, _, errOut := c.run("notice", "render", "--incident", "1", "--out", emlDir); code != 1 || !strings.Contains(errOut, "no longer matches") {
		t.Fatalf("render after a change: exit %d, %s", code, errOut)
	}
	if out := c.ok("notice", "status", "--incident", "1"); !strings.Contains(out, "is void") {
		t.Fatalf("status after a change:\n%s", out)
	}

	list := c.ok("audit", "list", "--incident", "1")
	for _, want := range []string{"notice.draft", "remedy.import_codes", "remedy.assign_codes", "notice.approve", "Jordan Lee, General Counsel", "Pat Writer"} {
		if !strings.Contains(list, want) {
			t.Errorf("audit list lacks %q:\n%s", want, list)
		}
	}
	if out := c.ok("audit", "verify"); !strings.Contains(out, "intact") {
		t.Fatalf("audit verify:\n%s", out)
	}
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	c := newCLI(t)
	c.ok("incident", "create", "--title", "T", "--discovered", "2026-11-02T09:00:00Z")
	c.ok("notice", "settings", "--incident", "1", "--signer", "A")
	c.ok("notice", "settings", "--incident", "1", "--signer", "B")
	s, err := sqlite.Open(context.Background(), c.db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.Exec(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, errOut := c.run("audit", "verify")
	if code != 1 || !strings.Contains(out, "entry 1: the entry was modified") || !strings.Contains(errOut, "tampered") {
		t.Fatalf("verify after tampering: exit %d\n%s\n%s", code, out, errOut)
	}
}
