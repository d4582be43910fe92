package notice_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
	"github.com/candor-dev/candor/internal/notice"
	"github.com/candor-dev/candor/internal/sqlite"
)

// fixedNow is the clock of every test: notices are dated, and Date headers
// stamped, with it.
var fixedNow = time.Date(2026, 11, 9, 15, 30, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// mustLaw loads the embedded law.
func mustLaw(tb testing.TB) *law.Registry {
	tb.Helper()
	reg, err := law.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return reg
}

// opts are the notice options of the fixture: its clock and law.
func (f *fixture) opts() notice.Options {
	return notice.Options{Now: clock, Registry: f.reg}
}

// fixture is an incident with people in several jurisdictions.
type fixture struct {
	reg      *law.Registry
	store    *sqlite.DB
	incident *breach.Incident
	people   map[string]*breach.Person
}

// person describes one affected person of the fixture.
type person struct {
	id, first, last, email, juris, locale string
	elems                                 []breach.DataElement
	addr                                  breach.Address
}

var fixturePeople = []person{
	{"TX-1", "Maria", "Garcia", "maria@example.org", "US-TX", "en", []breach.DataElement{breach.ElementName, breach.ElementSSN, breach.ElementDOB},
		breach.Address{Line1: "12 Oak Street", City: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}},
	{"TX-2", "José", "Núñez", "jose@example.org", "US-TX", "es", []breach.DataElement{breach.ElementName, breach.ElementSSN, breach.ElementDOB},
		breach.Address{Line1: "40 Elm Avenue", Line2: "Apt 3", City: "El Paso", Region: "TX", PostalCode: "79901", Country: "US"}},
	{"MA-1", "Sam", "Lee", "sam@example.org", "US-MA", "en", []breach.DataElement{breach.ElementName, breach.ElementSSN},
		breach.Address{Line1: "5 Beacon Street", City: "Boston", Region: "MA", PostalCode: "02108", Country: "US"}},
	{"CA-1", "Ana", "Silva", "ana@example.org", "US-CA", "en", []breach.DataElement{breach.ElementName, breach.ElementCardNumber, breach.ElementAccountAccessCode},
		breach.Address{Line1: "9 Pine Road", City: "Fresno", Region: "CA", PostalCode: "93701", Country: "US"}},
	{"NY-1", "Li", "Wong", "li@example.org", "US-NY", "en", []breach.DataElement{breach.ElementEmail, breach.ElementPassword},
		breach.Address{Line1: "77 Hudson Street", City: "Albany", Region: "NY", PostalCode: "12207", Country: "US"}},
	{"RI-1", "Ray", "Costa", "", "US-RI", "en", []breach.DataElement{breach.ElementName, breach.ElementDriversLicense},
		breach.Address{Line1: "3 Water Street", City: "Providence", Region: "RI", PostalCode: "02903", Country: "US"}},
	{"CT-1", "Kim", "Park", "kim@example.org", "US-CT", "en", []breach.DataElement{breach.ElementName, breach.ElementSSN},
		breach.Address{Line1: "8 Elm Street", City: "Hartford", Region: "CT", PostalCode: "06103", Country: "US"}},
	{"DE-1", "Jonas", "Weber", "jonas@example.de", "DE", "en", []breach.DataElement{breach.ElementName, breach.ElementEmail, breach.ElementPassword},
		breach.Address{Line1: "Hauptstraße 1", City: "Berlin", PostalCode: "10115", Country: "DE"}},
}

func testOrg() *breach.Organization {
	return &breach.Organization{
		LegalName: "Northwind Outfitters, Inc.", Brand: "Northwind", PrimaryDomain: "northwind.example",
		AllowedDomains: []string{"help.northwind.example"}, SupportPhone: "1-800-555-0199",
		SupportEmail: "privacy@northwind.example", SupportHours: "Monday to Saturday, 8 a.m. to 8 p.m. Eastern",
		SenderAddress: "Northwind Outfitters <notices@northwind.example>",
		Address:       breach.Address{Line1: "100 Harbor Way", City: "Portland", Region: "ME", PostalCode: "04101", Country: "US"},
		Sectors:       []string{"retail"},
	}
}

func testIncident() *breach.Incident {
	ny, _ := time.LoadLocation("America/New_York")
	from := time.Date(2026, 10, 3, 0, 0, 0, 0, ny)
	to := time.Date(2026, 10, 29, 0, 0, 0, 0, ny)
	contained := time.Date(2026, 11, 1, 18, 0, 0, 0, ny)
	return &breach.Incident{
		Title: "Customer records exposed through a misconfigured backup", DiscoveredAt: time.Date(2026, 11, 1, 9, 0, 0, 0, ny),
		OccurredFrom: &from, OccurredTo: &to, ContainedAt: &contained, TimeZone: "America/New_York",
		WhatHappened: "A copy of our customer database was saved to a storage folder that we had set up wrongly, so that anyone with the link could open it. Someone outside Northwind downloaded the copy.",
		Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN, breach.ElementDOB, breach.ElementCardNumber,
			breach.ElementAccountAccessCode, breach.ElementEmail, breach.ElementPassword, breach.ElementDriversLicense),
		HarmLikely: breach.Unknown,
	}
}

// newFixture builds the fixture: organisation, incident, people, notice
// settings, an identity-protection plan and an offer with codes assigned.
func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "candor.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	db.Now = clock
	if err := db.SetOrganization(ctx, testOrg()); err != nil {
		tb.Fatal(err)
	}
	inc := testIncident()
	if err := db.CreateIncident(ctx, inc); err != nil {
		tb.Fatal(err)
	}
	batch, err := db.BeginImport(ctx, &breach.ImportBatch{IncidentID: inc.ID, FileName: "people.csv", FileSHA256: "fixture"})
	if err != nil {
		tb.Fatal(err)
	}
	var rows []breach.ImportRow
	for _, fp := range fixturePeople {
		p := breach.Person{ExternalID: fp.id, FirstName: fp.first, LastName: fp.last, Email: fp.email,
			Jurisdiction: breach.Jurisdiction(fp.juris), Locale: fp.locale, Elements: breach.NewElementSet(fp.elems...), Address: fp.addr}
		rows = append(rows, breach.ImportRow{Person: p, Key: p.Key(), Hash: int64(len(rows))})
	}
	if err := db.WriteImportChunk(ctx, batch, &breach.ImportChunk{People: rows, RowsDone: int64(len(rows))}); err != nil {
		tb.Fatal(err)
	}
	if err := db.FinishImport(ctx, batch); err != nil {
		tb.Fatal(err)
	}
	if err := db.SetNoticeSettings(ctx, &breach.NoticeSettings{IncidentID: inc.ID, SignerName: "Dana Ruiz", SignerTitle: "Chief Executive Officer",
		Steps: []string{"We closed access to the storage folder the same day we found the problem.",
			"We now check every storage setting each day, and an outside security firm is reviewing our systems.",
			"We reported the breach to law enforcement and to the regulators who must be told."}}); err != nil {
		tb.Fatal(err)
	}
	if err := db.SetRemedyProgram(ctx, &breach.RemedyProgram{IncidentID: inc.ID, Kind: breach.RemedyIDP, Provider: "Guardly Identity",
		Months: 24, URL: "https://northwind.example/protect", Deadline: "2027-03-31"}, "test"); err != nil {
		tb.Fatal(err)
	}
	if err := db.SetRemedyProgram(ctx, &breach.RemedyProgram{IncidentID: inc.ID, Kind: breach.RemedyOffer,
		Description: "a $25 credit toward your next order", URL: "https://northwind.example/thanks", Deadline: "2027-06-30"}, "test"); err != nil {
		tb.Fatal(err)
	}
	for _, kind := range []string{breach.RemedyIDP, breach.RemedyOffer} {
		var codes []string
		for i := range fixturePeople {
			codes = append(codes, fmt.Sprintf("%s-%04d", map[string]string{"idp": "GI", "offer": "THX"}[kind], i+1))
		}
		if _, _, err := db.ImportRemedyCodes(ctx, inc.ID, kind, codes, "test"); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.AssignRemedyCodes(ctx, inc.ID, kind, "test"); err != nil {
			tb.Fatal(err)
		}
	}
	// A fixed reference secret keeps reference codes, and so the golden
	// files, the same from run to run.
	if _, err := db.NoticeSettings(ctx, inc.ID); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.DB.Exec(`UPDATE notice_settings SET secret = ? WHERE incident_id = ?`,
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", inc.ID); err != nil {
		tb.Fatal(err)
	}
	f := &fixture{reg: mustLaw(tb), store: db, incident: inc, people: map[string]*breach.Person{}}
	for _, fp := range fixturePeople {
		p, err := db.FindPerson(ctx, inc.ID, fp.id)
		if err != nil {
			tb.Fatal(err)
		}
		f.people[fp.id] = p
	}
	return f
}

// draftDefaults drafts the default templates.
func (f *fixture) draftDefaults(tb testing.TB) {
	tb.Helper()
	src, err := notice.DefaultSources()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := notice.Draft(context.Background(), f.store, f.incident.ID, src, "Test Drafter", f.opts()); err != nil {
		tb.Fatal(err)
	}
}

// approve drafts the defaults and approves them.
func (f *fixture) approve(tb testing.TB) *notice.Renderer {
	tb.Helper()
	f.draftDefaults(tb)
	if _, _, err := notice.Approve(context.Background(), f.store, f.incident.ID, "Test Counsel", f.opts()); err != nil {
		tb.Fatal(err)
	}
	r, err := notice.NewRenderer(context.Background(), f.store, f.incident.ID, f.opts())
	if err != nil {
		tb.Fatal(err)
	}
	return r
}
