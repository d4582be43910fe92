package deliver_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/jackc/pgx/v5"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/deliver"
	"github.com/candor-dev/candor/internal/notice"
	"github.com/candor-dev/candor/internal/postgres"
	"github.com/candor-dev/candor/internal/sqlite"
)

// testStore is a store the tests can close.
type testStore interface {
	deliver.Store
	Close() error
}

// mustOpenSQLite opens a fresh database file in a temp dir; it returns the
// store and its path.
func mustOpenSQLite(tb testing.TB) (testStore, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "candor.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, path
}

var schemaSeq atomic.Int64

// postgresURL returns the URL of a fresh schema of the database named by
// CANDOR_TEST_POSTGRES, dropped when tb ends; it skips, saying so, when the
// variable is unset.
func postgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("CANDOR_TEST_POSTGRES")
	if base == "" {
		tb.Skip("PostgreSQL tests skipped: set CANDOR_TEST_POSTGRES=postgres://… (make test starts a throwaway server)")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("deliver_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, schemaSeq.Add(1))
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect %s: %v", base, err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func mustOpenPostgres(tb testing.TB) (testStore, string) {
	tb.Helper()
	u := postgresURL(tb)
	db, err := postgres.Open(context.Background(), u)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, u
}

// openStore opens the database at dsn (a path or a postgres URL).
func openStore(ctx context.Context, dsn string) (testStore, error) {
	if strings.HasPrefix(dsn, "postgres://") {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}

// testOrg is the organisation of every test.
func testOrg() *breach.Organization {
	return &breach.Organization{LegalName: "Acme Corp", Brand: "Acme", PrimaryDomain: "acme.example",
		SenderAddress: "Acme <notices@acme.example>", SupportPhone: "+1 800 555 0100",
		Address: breach.Address{Line1: "1 Main St", City: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}}
}

// person describes one test person.
type person struct {
	id, email string
	addr      breach.Address
	juris     string
}

var mailable = breach.Address{Line1: "5 Oak Ave", City: "Dallas", Region: "TX", PostalCode: "75201", Country: "US"}

// fixture is a database with an incident, its people and an approved,
// enqueued campaign.
type fixture struct {
	store    testStore
	dsn      string
	inc      *breach.Incident
	campaign *breach.Campaign
}

// newFixture fills s with the organisation, an incident, the people and a
// campaign, and enqueues it.
func newFixture(tb testing.TB, s testStore, dsn string, people []person) *fixture {
	tb.Helper()
	ctx := context.Background()
	if err := s.SetOrganization(ctx, testOrg()); err != nil {
		tb.Fatal(err)
	}
	discovered := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
	inc := &breach.Incident{Title: "Test breach", DiscoveredAt: discovered, WhatHappened: "A backup was exposed.",
		Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN)}
	if err := s.CreateIncident(ctx, inc); err != nil {
		tb.Fatal(err)
	}
	batch, err := s.BeginImport(ctx, &breach.ImportBatch{IncidentID: inc.ID, FileName: "people.csv", FileSHA256: "test"})
	if err != nil {
		tb.Fatal(err)
	}
	const chunk = 5000
	for start := 0; start < len(people); start += chunk {
		var rows []breach.ImportRow
		for _, p := range people[start:min(start+chunk, len(people))] {
			juris := p.juris
			if juris == "" {
				juris = "US-TX"
			}
			bp := breach.Person{ExternalID: p.id, FirstName: "Pat", LastName: "Doe-" + p.id, Email: p.email, Address: p.addr,
				Jurisdiction: breach.Jurisdiction(juris), Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN)}
			rows = append(rows, breach.ImportRow{Person: bp, Key: bp.Key(), Hash: int64(len(rows))})
		}
		if err := s.WriteImportChunk(ctx, batch, &breach.ImportChunk{People: rows, RowsDone: int64(start + len(rows))}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := s.FinishImport(ctx, batch); err != nil {
		tb.Fatal(err)
	}
	res, err := deliver.Enqueue(ctx, s, testNotices{}, deliver.EnqueueOptions{IncidentID: inc.ID})
	if err != nil {
		tb.Fatal(err)
	}
	return &fixture{store: s, dsn: dsn, inc: inc, campaign: res.Campaign}
}

// emails returns n people with e-mail addresses on domain.
func emails(n int, domain string) []person {
	out := make([]person, n)
	for i := range out {
		out[i] = person{id: fmt.Sprintf("P%05d", i), email: fmt.Sprintf("p%05d@%s", i, domain)}
	}
	return out
}

// testNotices approves everything and renders with testRenderer.
type testNotices struct{}

func (testNotices) Approval(ctx context.Context, incidentID int64) (string, error) {
	return fmt.Sprintf("test-approval-%d", incidentID), nil
}

func (testNotices) Renderer(ctx context.Context, c *breach.Campaign) (deliver.Renderer, error) {
	return testRenderer{campaign: c.Name}, nil
}

// testRenderer builds a real text+HTML MIME notice, with a Message-ID
// that is the same each time for a person and campaign.
type testRenderer struct{ campaign string }

func (r testRenderer) Email(p *breach.Person, buf []byte) ([]byte, string, error) {
	msgID := fmt.Sprintf("<%s.%d@acme.example>", r.campaign, p.ID)
	b := bytes.NewBuffer(buf[:0])
	mw := multipart.NewWriter(b)
	fmt.Fprintf(b, "From: Acme <notices@acme.example>\r\nTo: %s <%s>\r\nSubject: Notice of Data Breach\r\n"+
		"Date: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=%q\r\n\r\n",
		p.Name(), p.Email, time.Now().Format(time.RFC1123Z), msgID, mw.Boundary())
	for _, part := range []struct{ ctype, body string }{
		{"text/plain", fmt.Sprintf("Dear %s,\n\nWe are sorry: a copy of your name and Social Security number was exposed.\nReference %s.\n", p.FirstName, p.ExternalID)},
		{"text/html", fmt.Sprintf("<p>Dear %s,</p><p>We are sorry: a copy of your name and Social Security number was exposed.</p><p>Reference %s.</p>", p.FirstName, p.ExternalID)},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.ctype + "; charset=utf-8"}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, "", err
		}
		qw := quotedprintable.NewWriter(w)
		qw.Write([]byte(part.body))
		qw.Close()
	}
	mw.Close()
	return b.Bytes(), msgID, nil
}

// Letters writes a small real PDF: one page per person with the address
// and a line of text.
func (r testRenderer) Letters(w io.Writer, people []*breach.Person) ([]notice.LetterInfo, error) {
	pdf := fpdf.New("P", "in", "Letter", "")
	var infos []notice.LetterInfo
	for i, p := range people {
		pdf.AddPage()
		pdf.SetFont("Helvetica", "", 11)
		pdf.MultiCell(0, 0.2, p.Name()+"\n"+p.Address.Line1+"\n"+p.Address.City+" "+p.Address.Region+" "+p.Address.PostalCode, "", "L", false)
		pdf.MultiCell(0, 0.2, "We are sorry: your data was exposed.", "", "L", false)
		infos = append(infos, notice.LetterInfo{PersonID: p.ID, ExternalID: p.ExternalID, Reference: "REF-" + p.ExternalID, FirstPage: i + 1, Pages: 1})
	}
	return infos, pdf.Output(w)
}

// recorder is a sink that keeps every message, by recipient, with its
// arrival time.
type recorder struct {
	mu   sync.Mutex
	msgs map[string][]*deliver.SinkMessage
	// delay holds each message this long before the reply, widening the
	// window in which a killed worker has a message in flight.
	delay time.Duration
	// rcpt, when set, may refuse a recipient.
	rcpt func(to string) error
}

func startRecorder(tb testing.TB, r *recorder) *deliver.Sink {
	tb.Helper()
	r.msgs = map[string][]*deliver.SinkMessage{}
	sink, err := deliver.StartSink(deliver.SinkOptions{Rcpt: r.rcpt, Message: func(m *deliver.SinkMessage) error {
		if r.delay > 0 {
			time.Sleep(r.delay)
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, to := range m.To {
			r.msgs[to] = append(r.msgs[to], m)
		}
		return nil
	}})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sink.Close() })
	return sink
}

// counts returns how many messages each recipient got.
func (r *recorder) counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for to, ms := range r.msgs {
		out[to] = len(ms)
	}
	return out
}

func (r *recorder) all() []*deliver.SinkMessage {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*deliver.SinkMessage
	for _, ms := range r.msgs {
		out = append(out, ms...)
	}
	return out
}

// smtpTo returns worker SMTP options for a sink.
func smtpTo(sink *deliver.Sink) deliver.SMTPOptions {
	return deliver.SMTPOptions{Host: sink.Host(), Port: sink.Port(), TLS: "none", Timeout: 10 * time.Second}
}

// drain runs a worker until the campaign has nothing left to send.
func drain(tb testing.TB, f *fixture, opts deliver.Options) *deliver.Report {
	tb.Helper()
	opts.CampaignID = f.campaign.ID
	w, err := deliver.NewWorker(context.Background(), f.store, testNotices{}, opts)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := w.Drain(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

// stats returns the campaign's counts by state.
func stats(tb testing.TB, f *fixture) map[breach.DeliveryState]int64 {
	tb.Helper()
	st, err := f.store.DeliveryStats(context.Background(), f.campaign.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return st.States
}

// deliveries returns every delivery of the campaign.
func deliveries(tb testing.TB, f *fixture) []*breach.Delivery {
	tb.Helper()
	var out []*breach.Delivery
	after := int64(0)
	for {
		ds, err := f.store.FindDeliveries(context.Background(), breach.DeliveryFilter{CampaignID: f.campaign.ID, AfterID: after, Limit: 1000})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, ds...)
		if len(ds) < 1000 {
			return out
		}
		after = ds[len(ds)-1].ID
	}
}

// parseMessage checks that data is a well-formed message and returns it.
func parseMessage(tb testing.TB, data []byte) *mail.Message {
	tb.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("received message does not parse: %v", err)
	}
	return m
}
