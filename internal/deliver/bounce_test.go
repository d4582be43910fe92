package deliver_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/deliver"
	"github.com/candor-dev/candor/internal/law"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		name string
		file string
		want *deliver.DSN
		err  error
	}{
		{"postfix user unknown", "postfix-550.eml", &deliver.DSN{
			MessageID: "<initial.42@acme.example>", ReportingMTA: "mx.acme.example",
			Date: time.Date(2026, 11, 9, 10, 2, 3, 0, time.FixedZone("EST", -5*3600)),
			Recipients: []deliver.DSNRecipient{{Recipient: "gone@mail.example", Action: "failed", Status: "5.1.1",
				Diagnostic: "smtp; 550 5.1.1 <gone@mail.example>: Recipient address rejected: User unknown", RemoteMTA: "mail.example"}},
		}, nil},
		{"exchange, a failure and a delay", "exchange-two.eml", &deliver.DSN{
			MessageID: "<initial.7@acme.example>", ReportingMTA: "outlook.example",
			Date: time.Date(2026, 11, 10, 8, 0, 0, 0, time.UTC),
			Recipients: []deliver.DSNRecipient{
				{Recipient: "full@outlook.example", Action: "failed", Status: "5.2.2", Diagnostic: "smtp;552 5.2.2 mailbox full"},
				{Recipient: "slow@outlook.example", Action: "delayed", Status: "4.4.7", Diagnostic: "smtp;451 4.4.7 message delayed"},
			},
		}, nil},
		{"auto-reply", "autoreply.eml", nil, deliver.ErrNotDSN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "dsn", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := deliver.ParseDSN(f)
			if !errors.Is(err, tt.err) {
				t.Fatalf("got error %v, want %v", err, tt.err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Fatalf("DSN (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadMbox(t *testing.T) {
	var mbox bytes.Buffer
	// Written by the sink's mbox writer, read back by ReadMessages: a body
	// line that starts with "From " survives the round trip.
	msgs := []string{"Subject: one\r\n\r\nFrom here on, the body.\r\n", "Subject: two\r\n\r\n>From quoted already\r\n"}
	for _, m := range msgs {
		if err := deliver.WriteMboxForTest(&mbox, "a@b.example", m); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	if err := deliver.ReadMessages(&mbox, func(msg []byte) error {
		got = append(got, string(msg))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"Subject: one\n\nFrom here on, the body.\n", "Subject: two\n\n>From quoted already\n"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("messages (-want +got):\n%s", diff)
	}
}

// dsnFor builds a bounce report about one delivered message.
func dsnFor(rcpt, msgID, action, status, diag string) string {
	return fmt.Sprintf("From MAILER-DAEMON Mon Nov  9 10:00:00 2026\n"+
		"From: MAILER-DAEMON@mx.example\nTo: notices@acme.example\nDate: Mon, 9 Nov 2026 10:00:00 +0000\n"+
		"Subject: Undelivered Mail\nMIME-Version: 1.0\n"+
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"XX\"\n\n"+
		"--XX\nContent-Type: text/plain\n\nFailed.\n\n"+
		"--XX\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n\n"+
		"Final-Recipient: rfc822; %s\nAction: %s\nStatus: %s\nDiagnostic-Code: smtp; %s\n\n"+
		"--XX\nContent-Type: text/rfc822-headers\n\nMessage-ID: %s\nSubject: Notice\n\n--XX--\n\n", rcpt, action, status, diag, msgID)
}

func TestBounceFallbackLettersAndProof(t *testing.T) {
	ctx := context.Background()
	s, path := mustOpenSQLite(t)
	f := newFixture(t, s, path, []person{
		{id: "A", email: "a@mail.example", addr: mailable},
		{id: "B", email: "b@mail.example", juris: "US-CA"},
		{id: "C", email: "c@mail.example", addr: mailable},
		{id: "D", addr: mailable},
	})
	sink := startRecorder(t, &recorder{})
	drain(t, f, deliver.Options{SMTP: smtpTo(sink)})
	msgID := map[string]string{}
	for _, d := range deliveries(t, f) {
		msgID[d.ExternalID] = d.MessageID
	}
	var mbox bytes.Buffer
	mbox.WriteString(dsnFor("a@mail.example", msgID["A"], "failed", "5.1.1", "550 5.1.1 user unknown"))
	mbox.WriteString(dsnFor("B@mail.example", "", "failed", "5.2.1", "550 5.2.1 mailbox disabled"))
	mbox.WriteString(dsnFor("c@mail.example", msgID["C"], "delayed", "4.4.7", "451 try later"))
	mbox.WriteString(dsnFor("stranger@mail.example", "<x@y>", "failed", "5.1.1", "550 unknown"))
	mbox.WriteString("From someone Mon Nov  9 10:00:00 2026\nFrom: pat@mail.example\nSubject: Out of office\n\nAway.\n\n")
	input := mbox.String()
	rep, err := deliver.ProcessBounces(ctx, s, f.inc.ID, strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	want := &deliver.BounceReport{Messages: 5, NotDSN: 1, Bounced: 2, Delayed: 1, Letters: 1, NoAddress: []string{"B"}, Unmatched: []string{"stranger@mail.example"}}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Fatalf("bounces (-want +got):\n%s", diff)
	}
	again, err := deliver.ProcessBounces(ctx, s, f.inc.ID, strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	if again.Bounced != 0 || again.Already != 2 || again.Letters != 0 {
		t.Fatalf("the same bounces again: got %+v, want nothing new", again)
	}
	if st := stats(t, f); st[breach.DeliveryBounced] != 2 || st[breach.DeliveryQueued] != 2 {
		t.Fatalf("states: got %v, want 2 bounced and 2 letters queued (A's fallback and D's)", st)
	}

	// B cannot be reached: the report gives California's deadline and the
	// substitute notice California allows.
	reg, err := law.Load()
	if err != nil {
		t.Fatal(err)
	}
	ur, err := deliver.Unreachable(ctx, s, reg, f.campaign, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if ur.Total != 1 || len(ur.Groups) != 1 || ur.Groups[0].Jurisdiction != "US-CA" || ur.Groups[0].People[0].ID != "B" {
		t.Fatalf("unreachable: got %+v, want B in US-CA", ur)
	}
	var ca *deliver.LawDeadline
	for i, l := range ur.Groups[0].Laws {
		if l.Regime == "US-CA" {
			ca = &ur.Groups[0].Laws[i]
		}
	}
	if ca == nil || ca.Substitute == "" || (ca.Deadline == nil && ca.Target == nil) || ur.Groups[0].Soonest == nil {
		t.Fatalf("California: got %+v, want its deadline or target and its substitute notice", ca)
	}

	// The letters print, the mail house mails them, the ledger shows it all.
	dir := t.TempDir()
	pr, err := deliver.PrintLetters(ctx, s, testNotices{}, f.campaign, deliver.PrintOptions{Dir: dir, BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Letters != 2 || len(pr.Batches) != 2 {
		t.Fatalf("print: got %+v, want 2 letters in 2 batches", pr)
	}
	var vendor strings.Builder
	vendor.WriteString("piece_id,mailed_on,status\n")
	for _, b := range pr.Batches {
		pdf, err := os.ReadFile(b.PDF)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("batch %s: not a PDF (%v)", b.PDF, err)
		}
		mf, err := os.Open(b.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(mf).ReadAll()
		mf.Close()
		if err != nil || len(rows) != 2 || rows[0][0] != "piece_id" {
			t.Fatalf("manifest %s: got %v, %v", b.Manifest, rows, err)
		}
		fmt.Fprintf(&vendor, "%s,2026-11-12,mailed\n", rows[1][0])
	}
	vendor.WriteString("L999999,2026-11-12,mailed\n")
	mr, err := deliver.MarkMailed(ctx, s, strings.NewReader(vendor.String()))
	if err != nil {
		t.Fatal(err)
	}
	if mr.Mailed != 2 || len(mr.Unknown) != 1 {
		t.Fatalf("mark mailed: got %+v", mr)
	}
	if st := stats(t, f); st[breach.DeliverySent] != 3 || st[breach.DeliveryQueued] != 0 {
		t.Fatalf("states after mailing: got %v, want C's e-mail and the 2 letters sent", st)
	}
	proof, err := deliver.PersonProof(ctx, s, f.inc.ID, "A")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range proof.Deliveries {
		kinds = append(kinds, fmt.Sprintf("%s:%s", e.Channel, e.State))
		for _, ev := range e.Events {
			kinds = append(kinds, ev.Kind)
		}
	}
	if diff := cmp.Diff([]string{"email:bounced", "bounced", "fallback", "letter:sent", "printed", "mailed"}, kinds); diff != "" {
		t.Fatalf("proof for A (-want +got):\n%s", diff)
	}
	var csvOut, jsonl bytes.Buffer
	if n, err := deliver.ExportLedger(ctx, s, f.inc.ID, "csv", &csvOut); err != nil || n != 5 {
		t.Fatalf("csv ledger: %d, %v; want 5 deliveries", n, err)
	}
	if n, err := deliver.ExportLedger(ctx, s, f.inc.ID, "jsonl", &jsonl); err != nil || n != 5 || strings.Count(jsonl.String(), "\n") != 5 {
		t.Fatalf("jsonl ledger: %d, %v", n, err)
	}
	rows, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil || len(rows) != 6 || len(rows[0]) != len(deliver.LedgerColumns) {
		t.Fatalf("csv ledger: %d rows, %v", len(rows), err)
	}
}
