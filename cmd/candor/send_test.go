package main

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/deliver"
	"github.com/candor-dev/candor/internal/notice"
	"github.com/candor-dev/candor/internal/sqlite"
)

// approvedIncident fills the cli's database with an organisation, an
// incident, people, notice settings, remedy codes, and approved notices;
// it returns the incident ID.
func approvedIncident(t *testing.T, c *cli, people []breach.Person) int64 {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, c.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetOrganization(ctx, demoOrg()); err != nil {
		t.Fatal(err)
	}
	inc := demoIncident(time.Now())
	if err := db.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	batch, err := db.BeginImport(ctx, &breach.ImportBatch{IncidentID: inc.ID, FileName: "people.csv", FileSHA256: "send-test"})
	if err != nil {
		t.Fatal(err)
	}
	var rows []breach.ImportRow
	for _, p := range people {
		rows = append(rows, breach.ImportRow{Person: p, Key: p.Key(), Hash: int64(len(rows))})
	}
	if err := db.WriteImportChunk(ctx, batch, &breach.ImportChunk{People: rows, RowsDone: int64(len(rows))}); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishImport(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := db.SetNoticeSettings(ctx, &breach.NoticeSettings{IncidentID: inc.ID, SignerName: "Dana Ruiz", SignerTitle: "Chief Executive Officer",
		Steps: []string{"We closed access to the storage folder the same day we found the problem."}}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRemedyProgram(ctx, &breach.RemedyProgram{IncidentID: inc.ID, Kind: breach.RemedyIDP, Provider: "Guardly Identity",
		Months: 24, URL: "https://northwind.example/protect", Deadline: "2027-03-31"}, "test"); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for i := range people {
		codes = append(codes, fmt.Sprintf("GI-%04d", i+1))
	}
	if _, _, err := db.ImportRemedyCodes(ctx, inc.ID, breach.RemedyIDP, codes, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AssignRemedyCodes(ctx, inc.ID, breach.RemedyIDP, "test"); err != nil {
		t.Fatal(err)
	}
	src, err := notice.DefaultSources()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := notice.Draft(ctx, db, inc.ID, src, "Test Drafter", notice.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, rep, err := notice.Approve(ctx, db, inc.ID, "Test Counsel", notice.Options{}); err != nil {
		t.Fatalf("approve: %v (%+v)", err, rep)
	}
	return inc.ID
}

func sendPeople() []breach.Person {
	tx := breach.Address{Line1: "12 Oak Street", City: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}
	elems := breach.NewElementSet(breach.ElementName, breach.ElementSSN, breach.ElementDOB)
	var out []breach.Person
	for i := 0; i < 40; i++ {
		out = append(out, breach.Person{ExternalID: fmt.Sprintf("C-%03d", i), FirstName: "Maria", LastName: fmt.Sprintf("Garcia %d", i),
			Email: fmt.Sprintf("c%03d@mail.example", i), Address: tx, Jurisdiction: "US-TX", Locale: "en", Elements: elems})
	}
	out = append(out,
		breach.Person{ExternalID: "POST-1", FirstName: "Ray", LastName: "Costa", Address: tx, Jurisdiction: "US-TX", Locale: "en", Elements: elems},
		breach.Person{ExternalID: "NC-1", FirstName: "No", LastName: "Contact", Email: "nc@mail.example", Jurisdiction: "US-TX", NoContact: true, Elements: elems},
		breach.Person{ExternalID: "GONE-1", FirstName: "Kim", LastName: "Park", Email: "gone@mail.example", Jurisdiction: "US-CA", Locale: "en", Elements: elems})
	return out
}

func TestSendWorkerStatusProof(t *testing.T) {
	c := newCLI(t)
	id := approvedIncident(t, c, sendPeople())
	inc := strconv.FormatInt(id, 10)

	var dry deliver.EnqueueReport
	c.okJSON(&dry, "send", "--incident", inc, "--dry-run")
	if dry.Email != 41 || dry.Letter != 1 || dry.NoContact != 1 || !dry.DryRun || !strings.Contains(dry.Approval, "Test Counsel") {
		t.Fatalf("dry run: got %+v", dry)
	}
	var st deliver.Status
	if code, _, errOut := c.run("send", "status", "--incident", inc); code != 1 || !strings.Contains(errOut, "not found") {
		t.Fatalf("status before any send: exit %d %s", code, errOut)
	}
	var q deliver.EnqueueReport
	c.okJSON(&q, "send", "--incident", inc)
	if q.Email != 41 || q.Letter != 1 {
		t.Fatalf("send: got %+v", q)
	}
	c.okJSON(&q, "send", "--incident", inc)
	if q.Email != 0 || q.Already != 42 {
		t.Fatalf("send again: got %+v, want nothing new", q)
	}

	var mu sync.Mutex
	var got []*deliver.SinkMessage
	sink, err := deliver.StartSink(deliver.SinkOptions{
		Rcpt: func(to string) error {
			if to == "gone@mail.example" {
				return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
			}
			return nil
		},
		Message: func(m *deliver.SinkMessage) error {
			mu.Lock()
			got = append(got, m)
			mu.Unlock()
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	c.env["CANDOR_SMTP_HOST"], c.env["CANDOR_SMTP_PORT"], c.env["CANDOR_SMTP_TLS"] = sink.Host(), strconv.Itoa(sink.Port()), "none"
	var rep deliver.Report
	c.okJSON(&rep, "worker", "--once", "--incident", inc)
	if rep.Sent != 40 || rep.Failed != 1 {
		t.Fatalf("worker: got %+v, want 40 sent and 1 failed", rep)
	}
	for _, m := range got {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		if m.From != "notices@northwind.example" || !strings.Contains(msg.Header.Get("Content-Type"), "multipart/alternative") ||
			!strings.HasSuffix(msg.Header.Get("Message-Id"), "@northwind.example>") {
			t.Fatalf("message: envelope %q, headers %v", m.From, msg.Header)
		}
	}

	c.okJSON(&st, "send", "status", "--incident", inc)
	if st.States[breach.DeliverySent] != 40 || st.States[breach.DeliveryFailed] != 1 || st.States[breach.DeliveryQueued] != 1 || len(st.Duplicates) != 0 {
		t.Fatalf("status: got %+v", st)
	}
	out := c.ok("send", "status", "--incident", inc)
	if !strings.Contains(out, "Duplicates: none.") || !strings.Contains(out, "sent") {
		t.Fatalf("status text:\n%s", out)
	}
	raw := c.ok("send", "status", "--incident", inc, "--json")
	if !strings.Contains(raw, `"duplicates": []`) {
		t.Fatalf("status --json must carry a duplicates list:\n%s", raw)
	}

	proof := c.ok("proof", "--incident", inc, "--person", "C-007")
	if !strings.Contains(proof, "email") || !strings.Contains(proof, "c007@mail.example") || !strings.Contains(proof, "reply    250 ") ||
		!strings.Contains(proof, "sha256") {
		t.Fatalf("proof:\n%s", proof)
	}
	gone := c.ok("proof", "--incident", inc, "--person", "GONE-1")
	if !strings.Contains(gone, "failed") || !strings.Contains(gone, "550") {
		t.Fatalf("proof of the refused address:\n%s", gone)
	}
	ledger := filepath.Join(c.dir, "ledger.csv")
	c.ok("proof", "export", "--incident", inc, "--out", ledger)
	b, err := os.ReadFile(ledger)
	if err != nil || strings.Count(string(b), "\n") < 43 {
		t.Fatalf("ledger: %d lines, %v", strings.Count(string(b), "\n"), err)
	}

	// The letter prints with the real notice renderer.
	letters := filepath.Join(c.dir, "print")
	c.ok("send", "letters", "--incident", inc, "--out", letters)
	pdfs, _ := filepath.Glob(filepath.Join(letters, "*.pdf"))
	manifests, _ := filepath.Glob(filepath.Join(letters, "*.csv"))
	if len(pdfs) != 1 || len(manifests) != 1 {
		t.Fatalf("letters: got %v and %v", pdfs, manifests)
	}
	man, _ := os.ReadFile(manifests[0])
	lines := strings.Split(strings.TrimSpace(string(man)), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "POST-1") {
		t.Fatalf("manifest:\n%s", man)
	}
	vendor := filepath.Join(c.dir, "mailed.csv")
	os.WriteFile(vendor, []byte("piece_id,mailed_on\n"+strings.Split(lines[1], ",")[0]+",2026-11-12\n"), 0o600)
	if out := c.ok("send", "mark-mailed", vendor); !strings.Contains(out, "1 letters recorded as mailed") {
		t.Fatalf("mark-mailed: %s", out)
	}

	// GONE-1's e-mail failed and there is no postal address: unreachable.
	un := c.ok("send", "unreachable", "--incident", inc)
	if !strings.Contains(un, "US-CA: 1 people") || !strings.Contains(un, "GONE-1") || !strings.Contains(un, "substitute notice:") {
		t.Fatalf("unreachable:\n%s", un)
	}

	if out := c.ok("send", "pause", "--incident", inc); !strings.Contains(out, "paused") {
		t.Fatalf("pause: %s", out)
	}
	if out := c.ok("send", "resume", "--incident", inc); !strings.Contains(out, "active") {
		t.Fatalf("resume: %s", out)
	}
}

func TestSendNeedsApproval(t *testing.T) {
	c := newCLI(t)
	c.ok("org", "set", "--legal-name", "Acme", "--domain", "acme.example")
	c.ok("incident", "create", "--title", "T", "--discovered", "2026-11-02T09:00:00Z")
	code, _, errOut := c.run("send", "--incident", "1")
	if code != 1 || !strings.Contains(errOut, "approval") {
		t.Fatalf("send without approval: exit %d, %s", code, errOut)
	}
}
