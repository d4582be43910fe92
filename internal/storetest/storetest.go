// Package storetest is the behavioural test suite that every Candor store
// backend must pass. The sqlite and postgres packages run it from their
// own tests with a function that opens a fresh, empty database.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
)

// Store is what a backend must provide.
type Store interface {
	breach.OrganizationStore
	breach.IncidentStore
	breach.PersonStore
}

// Opener returns a fresh, empty store for one test.
type Opener func(tb testing.TB) Store

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	t.Run("Organization", func(t *testing.T) { testOrganization(t, open(t)) })
	t.Run("Incident", func(t *testing.T) { testIncident(t, open(t)) })
	t.Run("IncidentStatus", func(t *testing.T) { testIncidentStatus(t, open(t)) })
	t.Run("ImportUpsert", func(t *testing.T) { testImportUpsert(t, open(t)) })
	t.Run("ImportResume", func(t *testing.T) { testImportResume(t, open(t)) })
	t.Run("PeopleQueries", func(t *testing.T) { testPeopleQueries(t, open(t)) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, open) })
	runNotice(t, open)
}

func testOrganization(t *testing.T, s Store) {
	ctx := context.Background()
	if _, err := s.Organization(ctx); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("Organization on empty store: got %v, want ENOTFOUND", err)
	}
	org := &breach.Organization{LegalName: "Acme Corp", Brand: "Acme", PrimaryDomain: "acme.example",
		AllowedDomains: []string{"acme-help.example"}, SupportPhone: "+1 800 555 0100", SupportHours: "Mon–Fri 8–8 ET",
		SenderAddress: "notices@acme.example", Address: breach.Address{Line1: "1 Main St", City: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}}
	if err := s.SetOrganization(ctx, org); err != nil {
		t.Fatal(err)
	}
	got, err := s.Organization(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(org, got); diff != "" {
		t.Fatalf("organization mismatch (-want +got):\n%s", diff)
	}
	org.Brand = "ACME"
	if err := s.SetOrganization(ctx, org); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Organization(ctx); got.Brand != "ACME" {
		t.Fatalf("brand after update: got %q, want ACME", got.Brand)
	}
	bad := &breach.Organization{LegalName: "X", PrimaryDomain: "x.example", SenderAddress: "alerts@x-security.example"}
	if err := s.SetOrganization(ctx, bad); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("sender off-domain: got %v, want EINVALID", err)
	}
}

// NewIncident returns a valid incident for tests.
func NewIncident() *breach.Incident {
	discovered := time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("EST", -5*3600))
	from := discovered.AddDate(0, 0, -20)
	return &breach.Incident{Title: "Customer database exposure", DiscoveredAt: discovered, OccurredFrom: &from,
		TimeZone: "America/New_York", WhatHappened: "An old backup was left readable.", SystemsAffected: []string{"crm"},
		Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN)}
}

func testIncident(t *testing.T, s Store) {
	ctx := context.Background()
	inc := NewIncident()
	if err := s.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	if inc.ID == 0 || inc.Status != breach.StatusOpen || inc.HarmLikely != breach.Unknown {
		t.Fatalf("created incident: got id=%d status=%s harm=%s", inc.ID, inc.Status, inc.HarmLikely)
	}
	got, err := s.FindIncidentByID(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(inc, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Fatalf("incident mismatch (-want +got):\n%s", diff)
	}
	if _, off := got.DiscoveredAt.Zone(); off != -5*3600 {
		t.Fatalf("discovered_at offset: got %d, want -18000 (the declared offset is kept)", off)
	}
	if _, err := s.FindIncidentByID(ctx, inc.ID+100); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("missing incident: got %v, want ENOTFOUND", err)
	}
	second := NewIncident()
	second.Title = "Second"
	if err := s.CreateIncident(ctx, second); err != nil {
		t.Fatal(err)
	}
	list, err := s.FindIncidents(ctx, breach.IncidentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != second.ID {
		t.Fatalf("FindIncidents: got %d incidents, first %v; want 2, newest first", len(list), list)
	}
	if err := s.CreateIncident(ctx, &breach.Incident{Title: ""}); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("invalid incident: got %v, want EINVALID", err)
	}
}

func testIncidentStatus(t *testing.T, s Store) {
	ctx := context.Background()
	inc := NewIncident()
	if err := s.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		status breach.Status
		code   string
	}{
		{"forward", breach.StatusAssessed, ""},
		{"skip ahead", breach.StatusMonitoring, ""},
		{"backwards", breach.StatusOpen, breach.EINVALID},
		{"unknown", breach.Status("lost"), breach.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.status
			got, err := s.UpdateIncident(ctx, inc.ID, breach.IncidentUpdate{Status: &st})
			if code := breach.ErrorCode(err); code != tt.code {
				t.Fatalf("got error code %q (%v), want %q", code, err, tt.code)
			}
			if err == nil && got.Status != st {
				t.Fatalf("got status %s, want %s", got.Status, st)
			}
		})
	}
	title := "Renamed"
	got, err := s.UpdateIncident(ctx, inc.ID, breach.IncidentUpdate{Title: &title})
	if err != nil || got.Title != title || got.Status != breach.StatusMonitoring {
		t.Fatalf("update title: got %+v, %v", got, err)
	}
}

// Row builds an import row for tests.
func Row(extID, email, juris string, elems ...breach.DataElement) breach.ImportRow {
	p := breach.Person{ExternalID: extID, FirstName: "Pat", LastName: "Doe " + extID, Email: email,
		Jurisdiction: breach.Jurisdiction(juris), Elements: breach.NewElementSet(elems...)}
	return breach.ImportRow{Person: p, Key: p.Key(), Hash: int64(len(extID)*31+len(email)) ^ int64(p.Elements)}
}

func mustBegin(tb testing.TB, s Store, incID int64, sha string) *breach.ImportBatch {
	tb.Helper()
	b, err := s.BeginImport(context.Background(), &breach.ImportBatch{IncidentID: incID, FileName: "people.csv", FileSHA256: sha})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func mustWrite(tb testing.TB, s Store, b *breach.ImportBatch, rowsDone int64, counts breach.ImportCounts, rows ...breach.ImportRow) {
	tb.Helper()
	if err := s.WriteImportChunk(context.Background(), b, &breach.ImportChunk{People: rows, RowsDone: rowsDone, Counts: counts}); err != nil {
		tb.Fatal(err)
	}
}

func testImportUpsert(t *testing.T, s Store) {
	ctx := context.Background()
	inc := NewIncident()
	if err := s.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	if _, err := s.BeginImport(ctx, &breach.ImportBatch{IncidentID: inc.ID + 99, FileSHA256: "x"}); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("import into missing incident: got %v, want ENOTFOUND", err)
	}
	b1 := mustBegin(t, s, inc.ID, "sha-1")
	mustWrite(t, s, b1, 3, breach.ImportCounts{Rejected: 1},
		Row("1", "a@x.example", "US-TX", breach.ElementName, breach.ElementSSN),
		Row("2", "b@x.example", "US-CA", breach.ElementEmail, breach.ElementPassword))
	// A later chunk repeats person 1 with one more element: merged, a duplicate.
	mustWrite(t, s, b1, 5, breach.ImportCounts{Duplicates: 1},
		Row("1", "", "US-TX", breach.ElementDOB),
		Row("3", "c@x.example", "DE", breach.ElementName, breach.ElementEmail))
	if err := s.FinishImport(ctx, b1); err != nil {
		t.Fatal(err)
	}
	want := breach.ImportCounts{Imported: 3, Duplicates: 2, Rejected: 1}
	if diff := cmp.Diff(want, b1.ImportCounts); diff != "" {
		t.Fatalf("first import counts (-want +got):\n%s", diff)
	}
	p1, err := s.FindPerson(ctx, inc.ID, "1")
	if err != nil {
		t.Fatal(err)
	}
	if want := breach.NewElementSet(breach.ElementName, breach.ElementSSN, breach.ElementDOB); p1.Elements != want {
		t.Fatalf("merged elements: got %s, want %s", p1.Elements, want)
	}
	if p1.Email != "a@x.example" {
		t.Fatalf("merge must keep the first non-empty e-mail: got %q", p1.Email)
	}

	// Re-import: person 1 back to its original row (changed vs merged), 2 the same, 4 new.
	b2 := mustBegin(t, s, inc.ID, "sha-2")
	if b2.ID == b1.ID {
		t.Fatal("a new file must start a new batch")
	}
	r2 := Row("2", "b@x.example", "US-CA", breach.ElementEmail, breach.ElementPassword)
	r1 := Row("1", "a@x.example", "US-TX", breach.ElementName)
	r1.Hash++
	mustWrite(t, s, b2, 3, breach.ImportCounts{}, r1, r2, Row("4", "d@x.example", "US-NY", breach.ElementName, breach.ElementCardNumber))
	if err := s.FinishImport(ctx, b2); err != nil {
		t.Fatal(err)
	}
	want = breach.ImportCounts{Imported: 1, Updated: 1, Unchanged: 1}
	if diff := cmp.Diff(want, b2.ImportCounts); diff != "" {
		t.Fatalf("second import counts (-want +got):\n%s", diff)
	}
	added, err := s.FindPeople(ctx, breach.PersonFilter{IncidentID: inc.ID, AddedAfterBatch: b1.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 1 || added[0].ExternalID != "4" {
		t.Fatalf("people added after batch %d: got %v, want only person 4", b1.ID, added)
	}
	batches, err := s.FindImportBatches(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 2 || !batches[0].Complete || batches[1].Imported != 1 {
		t.Fatalf("batches: got %+v", batches)
	}
	if err := s.WriteImportChunk(ctx, b2, &breach.ImportChunk{RowsDone: 9}); breach.ErrorCode(err) != breach.ECONFLICT {
		t.Fatalf("write to a complete batch: got %v, want ECONFLICT", err)
	}
}

func testImportResume(t *testing.T, s Store) {
	ctx := context.Background()
	inc := NewIncident()
	if err := s.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	b := mustBegin(t, s, inc.ID, "sha-r")
	mustWrite(t, s, b, 2, breach.ImportCounts{}, Row("1", "", "US-TX", breach.ElementSSN), Row("2", "", "US-TX", breach.ElementSSN))
	// The process dies here. A new run of the same file resumes the batch.
	again := mustBegin(t, s, inc.ID, "sha-r")
	if again.ID != b.ID || again.RowsDone != 2 {
		t.Fatalf("resume: got batch %d at row %d, want batch %d at row 2", again.ID, again.RowsDone, b.ID)
	}
	mustWrite(t, s, again, 3, breach.ImportCounts{}, Row("3", "", "US-TX", breach.ElementSSN))
	if err := s.FinishImport(ctx, again); err != nil {
		t.Fatal(err)
	}
	if again.Imported != 3 || again.Duplicates != 0 {
		t.Fatalf("resumed import: got %+v, want 3 imported, no duplicates", again.ImportCounts)
	}
	// After completion the same file starts a fresh batch.
	if next := mustBegin(t, s, inc.ID, "sha-r"); next.ID == b.ID {
		t.Fatal("a completed batch must not be resumed")
	}
}

func testPeopleQueries(t *testing.T, s Store) {
	ctx := context.Background()
	inc := NewIncident()
	if err := s.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	b := mustBegin(t, s, inc.ID, "sha-q")
	var rows []breach.ImportRow
	for i := 0; i < 250; i++ {
		juris := []string{"US-TX", "US-CA", "GB"}[i%3]
		elems := []breach.DataElement{breach.ElementName, breach.ElementSSN}
		if i%2 == 1 {
			elems = []breach.DataElement{breach.ElementEmail, breach.ElementPassword}
		}
		rows = append(rows, Row(fmt.Sprint(i), fmt.Sprintf("P%d@Example.com", i), juris, elems...))
	}
	for i := range rows {
		rows[i].Person.Email = fmt.Sprintf("p%d@example.com", i)
	}
	mustWrite(t, s, b, 250, breach.ImportCounts{}, rows...)
	if err := s.FinishImport(ctx, b); err != nil {
		t.Fatal(err)
	}
	stats, err := s.PersonStats(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Total != 250 || len(stats.Groups) != 6 {
		t.Fatalf("stats: got total %d in %d groups, want 250 in 6", stats.Total, len(stats.Groups))
	}
	first := stats.Groups[0]
	if first.Jurisdiction != "GB" || first.Count != 42 {
		t.Fatalf("first group: got %+v, want GB with 42 (sorted by jurisdiction then elements)", first)
	}
	page1, err := s.FindPeople(ctx, breach.PersonFilter{IncidentID: inc.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	page2, err := s.FindPeople(ctx, breach.PersonFilter{IncidentID: inc.ID, Limit: 100, AfterID: page1[99].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page1) != 100 || len(page2) != 100 || page2[0].ID <= page1[99].ID {
		t.Fatalf("pagination: got %d then %d", len(page1), len(page2))
	}
	byMail, err := s.FindPeople(ctx, breach.PersonFilter{IncidentID: inc.ID, Email: "P7@example.com"})
	if err != nil || len(byMail) != 1 || byMail[0].ExternalID != "7" {
		t.Fatalf("find by e-mail: got %v, %v", byMail, err)
	}
	tx, err := s.FindPeople(ctx, breach.PersonFilter{IncidentID: inc.ID, Jurisdiction: "US-TX", Limit: 1000})
	if err != nil || len(tx) != 84 {
		t.Fatalf("find by jurisdiction: got %d, %v; want 84", len(tx), err)
	}
	if _, err := s.FindPerson(ctx, inc.ID, "nobody"); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("missing person: got %v, want ENOTFOUND", err)
	}
}
