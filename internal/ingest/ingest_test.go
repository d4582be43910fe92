package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/candor-dev/candor/internal/breach"
)

func TestImportNormalises(t *testing.T) {
	db, inc := mustOpenDB(t)
	path := writeFile(t, "people.csv", `Customer ID,Full Name,E-mail,Mobile,Street Address,Apt,Town,State,ZIP Code,Country,Language,Data Exposed,Minor
 C1 ,"SMITH, JOHN",John.Smith@Example.COM,(512) 555-0100,  12  Main   St ,Apt 4,Austin,texas,78701,USA,Spanish,"name, ssn",no
C2,mary-anne o'neil,mary@example.org,,1 Rue de Rivoli,,Paris,,75001,France,fr-fr,name|email,yes
C3,Jean Tremblay,jean@example.ca,,1 Rue Sainte-Catherine,,Montréal,Québec,h3b 1a1,Canada,,dob,
C4,Ana Lopez Jr.,,,5 Calle Luna,,San Juan,,901,,en,name;dob,0
C5,Pat Kim,pat@example.com,,,,,,,,,name,N
`)
	res := mustImport(t, db, Options{IncidentID: inc, Path: path})
	if diff := cmp.Diff(breach.ImportCounts{Imported: 5}, counts(res)); diff != "" {
		t.Fatalf("counts (-want +got):\n%s", diff)
	}
	if res.Rows != 5 || res.Quarantine != "" {
		t.Errorf("got rows %d, quarantine %q; want 5, none", res.Rows, res.Quarantine)
	}
	got := allPeople(t, db, inc)
	for _, p := range got {
		p.ID, p.IncidentID, p.FirstBatchID, p.BatchID = 0, 0, 0, 0
	}
	want := []*breach.Person{
		{ExternalID: "C1", FirstName: "John", LastName: "Smith", Email: "john.smith@example.com", Phone: "(512) 555-0100",
			Address:      breach.Address{Line1: "12 Main St", Line2: "Apt 4", City: "Austin", Region: "TX", PostalCode: "78701", Country: "US"},
			Jurisdiction: "US-TX", Locale: "es", Elements: breach.NewElementSet(breach.ElementName, breach.ElementSSN)},
		{ExternalID: "C2", FirstName: "Mary-Anne", LastName: "O'Neil", Email: "mary@example.org",
			Address:      breach.Address{Line1: "1 Rue de Rivoli", City: "Paris", PostalCode: "75001", Country: "FR"},
			Jurisdiction: "FR", Locale: "fr-FR", Elements: breach.NewElementSet(breach.ElementName, breach.ElementEmail), Minor: true},
		{ExternalID: "C3", FirstName: "Jean", LastName: "Tremblay", Email: "jean@example.ca",
			Address:      breach.Address{Line1: "1 Rue Sainte-Catherine", City: "Montréal", Region: "QC", PostalCode: "H3B 1A1", Country: "CA"},
			Jurisdiction: "CA-QC", Elements: breach.NewElementSet(breach.ElementDOB)},
		{ExternalID: "C4", FirstName: "Ana", LastName: "Lopez Jr.",
			Address:      breach.Address{Line1: "5 Calle Luna", City: "San Juan", Region: "PR", PostalCode: "00901", Country: "US"},
			Jurisdiction: "US-PR", Locale: "en", Elements: breach.NewElementSet(breach.ElementName, breach.ElementDOB)},
		{ExternalID: "C5", FirstName: "Pat", LastName: "Kim", Email: "pat@example.com", Elements: breach.NewElementSet(breach.ElementName)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("people (-want +got):\n%s", diff)
	}
}

func TestImportRejectsBadRows(t *testing.T) {
	const header = "id,first_name,last_name,email,address,city,state,zip,country,elements,minor\n"
	const good = "G1,Ann,Lee,ann@example.com,1 Main St,Austin,TX,78701,US,name,no\n"
	tests := []struct {
		name     string
		row      string
		elements breach.ElementSet
		column   string
		reason   string // prefix of the quarantine reason
	}{
		{name: "invalid e-mail", row: "B1,Bob,Ray,bob@@example,1 Main St,Austin,TX,78701,US,name,no", column: "email", reason: reasonEmail},
		{name: "e-mail without dot in domain", row: "B1,Bob,Ray,bob@localhost,1 Main St,Austin,TX,78701,US,name,no", column: "email", reason: reasonEmail},
		{name: "unknown state", row: "B1,Bob,Ray,bob@example.com,1 Main St,Austin,Narnia,78701,US,name,no", column: "state", reason: reasonState},
		{name: "ZIP/state mismatch", row: "B1,Bob,Ray,bob@example.com,1 Main St,Austin,CA,78701,US,name,no", column: "zip", reason: reasonZIPState},
		{name: "invalid ZIP", row: "B1,Bob,Ray,bob@example.com,1 Main St,Austin,TX,7870X,US,name,no", column: "zip", reason: reasonZIP},
		{name: "unknown country", row: "B1,Bob,Ray,bob@example.com,1 Main St,Atlantis City,,12345,Atlantis,name,no", column: "country", reason: reasonCountry},
		{name: "no contact", row: "B1,Bob,Ray,,1 Main St,,TX,,US,name,no", reason: reasonNoContact},
		{name: "no identity", row: ",,,,1 Main St,Austin,TX,78701,US,name,no", reason: reasonNoIdentity},
		{name: "unknown data element", row: "B1,Bob,Ray,bob@example.com,1 Main St,Austin,TX,78701,US,name;shoe size,no", column: "elements", reason: reasonElement},
		{name: "no elements", row: "B1,Bob,Ray,bob@example.com,1 Main St,Austin,TX,78701,US,,no", column: "elements", reason: reasonNoElements},
		{name: "too many fields", row: "B1,Bob,Ray,bob@example.com,1 Main St,Austin,TX,78701,US,name,no,extra", reason: reasonFieldCount},
		{name: "too few fields", row: "B1,Bob,Ray,bob@example.com", reason: reasonFieldCount},
		{name: "invalid boolean", row: "B1,Bob,Ray,bob@example.com,1 Main St,Austin,TX,78701,US,name,maybe", column: "minor", reason: reasonBoolean},
		{name: "malformed quotes", row: `B1,Bob "the builder",Ray,bob@example.com,1 Main St,Austin,TX,78701,US,name,no`, reason: reasonMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, inc := mustOpenDB(t)
			path := writeFile(t, "people.csv", header+good+tt.row+"\n"+strings.Replace(good, "G1", "G2", 1))
			res := mustImport(t, db, Options{IncidentID: inc, Path: path, Elements: tt.elements})
			if diff := cmp.Diff(breach.ImportCounts{Imported: 2, Rejected: 1}, counts(res)); diff != "" {
				t.Fatalf("counts (-want +got):\n%s", diff)
			}
			if res.Quarantine != path+".quarantine.csv" {
				t.Fatalf("got quarantine %q, want %q", res.Quarantine, path+".quarantine.csv")
			}
			recs := readQuarantine(t, res.Quarantine)
			if len(recs) != 2 {
				t.Fatalf("got %d quarantine records, want header and 1: %q", len(recs), recs)
			}
			if diff := cmp.Diff([]string{"line", "column", "reason", "id", "first_name"}, recs[0][:5]); diff != "" {
				t.Errorf("quarantine header (-want +got):\n%s", diff)
			}
			q := recs[1]
			if q[0] != "3" || q[1] != tt.column || !strings.HasPrefix(q[2], tt.reason) {
				t.Errorf("got line %s, column %q, reason %q; want 3, %q, %q…", q[0], q[1], q[2], tt.column, tt.reason)
			}
			if tt.reason != reasonMalformed && (len(q) < 4 || q[3] != "B1" && tt.reason != reasonNoIdentity) {
				t.Errorf("quarantine row lacks the original fields: %q", q)
			}
		})
	}
}

func TestImportRefusesSensitiveValues(t *testing.T) {
	tests := []struct {
		name   string
		csv    string
		want   string // error message prefix
		column string
	}{
		{
			name: "SSN column by name",
			csv:  "id,email,ssn,elements\n1,a@example.com,123456789,name\n",
			want: `column "ssn" (column 3) holds Social Security numbers; Candor stores which data elements leaked, never their values: remove the column and list the element with --elements ssn or in an elements column`,
		},
		{
			name: "SSN-shaped values in any column",
			csv:  "id,email,notes,elements\n1,a@example.com,none,name\n2,b@example.com,123-45-6789,name\n",
			want: `column "notes" (column 3) holds Social Security numbers`,
		},
		{
			name: "Luhn-valid card number",
			csv:  "id,email,reference,elements\n1,a@example.com,4111 1111 1111 1111,name\n",
			want: `column "reference" (column 3) holds payment card numbers`,
		},
		{
			name: "password column",
			csv:  "id,email,Password,elements\n1,a@example.com,hunter2,name\n",
			want: `column "Password" (column 3) holds passwords`,
		},
		{
			name: "PIN column",
			csv:  "id,email,pin,elements\n1,a@example.com,1234,name\n",
			want: `column "pin" (column 3) holds card security codes or PINs`,
		},
		{
			name: "card numbers as ids",
			csv: "id,email,elements\n4111111111111111,a@example.com,name\n4012888888881881,b@example.com,name\n5555555555554444,c@example.com,name\n" +
				"5105105105105100,d@example.com,name\n378282246310005,e@example.com,name\n",
			want: `column "id" (column 1) holds payment card numbers`,
		},
		{
			name: "SSN mapped to external id",
			csv:  "SSN,email,elements\n123456789,a@example.com,name\n",
			want: `column "SSN" (column 1) holds Social Security numbers`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, inc := mustOpenDB(t)
			path := writeFile(t, "people.csv", tt.csv)
			opts := Options{IncidentID: inc, Path: path}
			if strings.HasPrefix(tt.csv, "SSN") {
				opts.Map = map[string]string{"SSN": "external_id"}
			}
			_, err := Import(context.Background(), db, opts)
			if err == nil {
				t.Fatal("import succeeded, want a refusal")
			}
			if code := breach.ErrorCode(err); code != breach.EINVALID {
				t.Errorf("got code %q, want %q", code, breach.EINVALID)
			}
			if msg := breach.ErrorMessage(err); !strings.HasPrefix(msg, tt.want) {
				t.Errorf("got message\n%s\nwant prefix\n%s", msg, tt.want)
			}
			batches, err := db.FindImportBatches(context.Background(), inc)
			if err != nil {
				t.Fatal(err)
			}
			if len(batches) != 0 {
				t.Errorf("got %d batches, want none: nothing may be written", len(batches))
			}
			if _, err := os.Stat(path + ".quarantine.csv"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("quarantine file exists (err %v), want none", err)
			}
		})
	}
}

func TestImportSensitiveLateInFile(t *testing.T) {
	db, inc := mustOpenDB(t)
	var b strings.Builder
	b.WriteString("id,email,notes,elements\n")
	for i := range 25 {
		b.WriteString("P" + itoa(i) + ",p" + itoa(i) + "@example.com,,name\n")
	}
	b.WriteString("P25,p25@example.com,078-05-1120,name\n")
	path := writeFile(t, "late.csv", b.String())
	_, err := Import(context.Background(), db, Options{IncidentID: inc, Path: path, ChunkSize: 10})
	if err == nil || !strings.Contains(breach.ErrorMessage(err), `column "notes" (column 3) holds Social Security numbers`) {
		t.Fatalf("got error %v, want a refusal of column notes", err)
	}
	// The first two chunks were checked and may commit; the third, which
	// holds the value, must not.
	people := allPeople(t, db, inc)
	if len(people) > 20 {
		t.Errorf("got %d people, want at most the 20 of the chunks before the refused one", len(people))
	}
	for _, p := range people {
		if p.ExternalID >= "P20" && len(p.ExternalID) == 3 {
			t.Errorf("person %s of the refused chunk was committed", p.ExternalID)
		}
	}
}

func TestImportSensitiveFalsePositives(t *testing.T) {
	db, inc := mustOpenDB(t)
	path := writeFile(t, "ok.csv", `id,email,phone,zip,state,account ref,member since,SSN exposed,elements
1,a@example.com,+1 512 555 0100,78701-1234,TX,4111111111111112,2019-01-02,yes,name
2,b@example.com,512-555-0101,787011234,TX,1234567890123456,2020-03-04,no,name
3,c@example.com,4930123456789,10001,NY,9999 9999 9999 9999,,Y,name
4,d@example.com,(212) 555-0199,02134,MA,000-00-0000,,,name
5,e@example.com,4930123456780,02134,MA,,,,name
`)
	res := mustImport(t, db, Options{IncidentID: inc, Path: path})
	if diff := cmp.Diff(breach.ImportCounts{Imported: 5}, counts(res)); diff != "" {
		t.Fatalf("counts (-want +got):\n%s", diff)
	}
	// The yes/no "SSN exposed" column marks the element without holding a
	// number.
	p, err := db.FindPerson(context.Background(), inc, "1")
	if err != nil {
		t.Fatal(err)
	}
	if want := breach.NewElementSet(breach.ElementName, breach.ElementSSN); p.Elements != want {
		t.Errorf("person 1: got elements %v, want %v", p.Elements, want)
	}
	p, err = db.FindPerson(context.Background(), inc, "2")
	if err != nil {
		t.Fatal(err)
	}
	if want := breach.NewElementSet(breach.ElementName); p.Elements != want {
		t.Errorf("person 2: got elements %v, want %v", p.Elements, want)
	}
}

func TestImportIdempotent(t *testing.T) {
	db, inc := mustOpenDB(t)
	path := filepath.Join(t.TempDir(), "people.csv")
	writeSynthetic(t, path, 1000, 97, 50)
	first := mustImport(t, db, Options{IncidentID: inc, Path: path, ChunkSize: 128})
	// 1000 rows: 10 rejected (every 97th), 20 repeats (every 50th) of
	// which row 50·k is never also a rejected row.
	want := breach.ImportCounts{Imported: 970, Duplicates: 20, Rejected: 10}
	if diff := cmp.Diff(want, counts(first)); diff != "" {
		t.Fatalf("first import counts (-want +got):\n%s", diff)
	}
	q1, err := os.ReadFile(first.Quarantine)
	if err != nil {
		t.Fatal(err)
	}
	second := mustImport(t, db, Options{IncidentID: inc, Path: path, ChunkSize: 128})
	want = breach.ImportCounts{Unchanged: 970, Duplicates: 20, Rejected: 10}
	if diff := cmp.Diff(want, counts(second)); diff != "" {
		t.Errorf("second import counts (-want +got):\n%s", diff)
	}
	if second.Batch == first.Batch {
		t.Errorf("second import reused batch %d, want a new batch", first.Batch)
	}
	q2, err := os.ReadFile(second.Quarantine)
	if err != nil {
		t.Fatal(err)
	}
	if string(q1) != string(q2) {
		t.Errorf("quarantine differs between runs")
	}
	if n := len(allPeople(t, db, inc)); n != 970 {
		t.Errorf("got %d people, want 970", n)
	}
	// A changed row counts as updated, the rest unchanged.
	data, _ := os.ReadFile(path)
	changed := strings.Replace(string(data), "person1@example.com", "person1@example.net", 1)
	if err := os.WriteFile(path, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	third := mustImport(t, db, Options{IncidentID: inc, Path: path, ChunkSize: 128})
	want = breach.ImportCounts{Updated: 1, Unchanged: 969, Duplicates: 20, Rejected: 10}
	if diff := cmp.Diff(want, counts(third)); diff != "" {
		t.Errorf("third import counts (-want +got):\n%s", diff)
	}
}

func TestImportMergesDuplicates(t *testing.T) {
	db, inc := mustOpenDB(t)
	path := writeFile(t, "dups.csv", `id,email,name,address,city,state,zip,elements
,ann@example.com,Ann Lee,,,,,name
1,bob@example.com,Bob Ray,1 Main St,Austin,TX,78701,name
,ANN@example.com,,2 Oak Ave,Dallas,TX,75201,ssn
1,bob@example.com,,,,,,email
`)
	res := mustImport(t, db, Options{IncidentID: inc, Path: path, ChunkSize: 3})
	// Rows 1 and 3 merge inside the first chunk (same e-mail), row 4 into
	// row 2 across chunks (same id).
	if diff := cmp.Diff(breach.ImportCounts{Imported: 2, Duplicates: 2}, counts(res)); diff != "" {
		t.Fatalf("counts (-want +got):\n%s", diff)
	}
	people := allPeople(t, db, inc)
	if len(people) != 2 {
		t.Fatalf("got %d people, want 2", len(people))
	}
	byEmail := map[string]*breach.Person{}
	for _, p := range people {
		byEmail[p.Email] = p
	}
	ann := byEmail["ann@example.com"]
	if ann == nil || ann.Elements != breach.NewElementSet(breach.ElementName, breach.ElementSSN) || ann.Address.City != "Dallas" || ann.Jurisdiction != "US-TX" {
		t.Errorf("Ann merged wrongly: %+v", ann)
	}
	bob := byEmail["bob@example.com"]
	if bob == nil || bob.Elements != breach.NewElementSet(breach.ElementName, breach.ElementEmail) || bob.Address.City != "Austin" {
		t.Errorf("Bob merged wrongly: %+v", bob)
	}
}

func TestImportJurisdictions(t *testing.T) {
	db, inc := mustOpenDB(t)
	path := writeFile(t, "j.csv", `id,email,state,zip,country
1,a@example.com,TX,,
2,b@example.com,,10001,
3,b3@example.com,,2134,US
4,c@example.com,District of Columbia,,United States
5,d@example.com,,00802,
6,e@example.com,,96910,USA
7,f@example.com,AE,09021,US
8,g@example.com,Ontario,,CAN
9,h@example.com,,,Deutschland
10,i@example.com,,,Puerto Rico
11,j@example.com,,,
12,k@example.com,,V6B 1A1,Canada
`)
	res := mustImport(t, db, Options{IncidentID: inc, Path: path, Elements: breach.NewElementSet(breach.ElementName)})
	if res.Imported != 12 {
		t.Fatalf("got %d imported, want 12 (%+v)", res.Imported, res)
	}
	got := map[string]breach.Jurisdiction{}
	for _, p := range allPeople(t, db, inc) {
		got[p.ExternalID] = p.Jurisdiction
	}
	want := map[string]breach.Jurisdiction{
		"1": "US-TX", "2": "US-NY", "3": "US-MA", "4": "US-DC", "5": "US-VI", "6": "US-GU", "7": "US",
		"8": "CA-ON", "9": "DE", "10": "US-PR", "11": "", "12": "CA-BC",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("jurisdictions (-want +got):\n%s", diff)
	}
}

func TestImportEncodingsAndDelimiters(t *testing.T) {
	latin1 := "id;nom;e-mail;ville;pays;elements\n1;Fran\xe7ois M\xfcller;f@example.fr;Z\xfcrich;Schweiz;name\n"
	utf16 := func(s string) string {
		b := []byte{0xFF, 0xFE}
		for _, r := range s {
			b = append(b, byte(r), byte(r>>8))
		}
		return string(b)
	}
	tests := []struct {
		name, content string
		mapping       map[string]string
		wantName      string
		wantCity      string
	}{
		{name: "Latin-1 with semicolons", content: latin1, mapping: map[string]string{"nom": "name", "ville": "city", "pays": "country"}, wantName: "François Müller", wantCity: "Zürich"},
		{name: "UTF-8 BOM with tabs", content: "\xEF\xBB\xBFid\tname\temail\tcity\telements\n1\tZoë Ãlvarez\tz@example.com\tGenève\tname\n", wantName: "Zoë Ãlvarez", wantCity: "Genève"},
		{name: "UTF-16 with BOM", content: utf16("id,name,email,city,elements\r\n1,Łukasz Żak,l@example.pl,Kraków,name\r\n"), wantName: "Łukasz Żak", wantCity: "Kraków"},
		{name: "quoted fields with embedded delimiter and newline", content: "id,name,email,city,elements\n1,\"Doe, Jane\",j@example.com,\"New\nYork\",\"name,ssn\"\n", wantName: "Jane Doe", wantCity: "New York"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, inc := mustOpenDB(t)
			path := writeFile(t, "people.csv", tt.content)
			res := mustImport(t, db, Options{IncidentID: inc, Path: path, Map: tt.mapping})
			if res.Imported != 1 || res.Rejected != 0 {
				t.Fatalf("got %+v, want 1 imported", res)
			}
			p, err := db.FindPerson(context.Background(), inc, "1")
			if err != nil {
				t.Fatal(err)
			}
			if p.Name() != tt.wantName || p.Address.City != tt.wantCity {
				t.Errorf("got name %q city %q, want %q %q", p.Name(), p.Address.City, tt.wantName, tt.wantCity)
			}
		})
	}
}

func TestImportXLSX(t *testing.T) {
	db, inc := mustOpenDB(t)
	path := filepath.Join(t.TempDir(), "people.xlsx")
	f := excelize.NewFile()
	sheet := "Affected"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Member ID", "First Name", "Last Name", "Email", "Street", "City", "State", "Zip", "Exposed"},
		{1001, "ANA", "GARCIA", "ana@example.com", "1 Main St", "Boston", "MA", 2134, "name, ssn"},
		{},
		{1002, "Li", "Wei", "bad-address", "", "", "", "", "name"},
		{1003, "Sam", "Poe", "", "9 Elm St", "Austin", "", "78701", "dob"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	res := mustImport(t, db, Options{IncidentID: inc, Path: path})
	if diff := cmp.Diff(breach.ImportCounts{Imported: 2, Rejected: 1}, counts(res)); diff != "" {
		t.Fatalf("counts (-want +got):\n%s", diff)
	}
	p, err := db.FindPerson(context.Background(), inc, "1001")
	if err != nil {
		t.Fatal(err)
	}
	want := breach.Address{Line1: "1 Main St", City: "Boston", Region: "MA", PostalCode: "02134", Country: "US"}
	if diff := cmp.Diff(want, p.Address); diff != "" || p.Name() != "Ana Garcia" || p.Jurisdiction != "US-MA" {
		t.Errorf("person 1001: name %q, jurisdiction %q, address (-want +got):\n%s", p.Name(), p.Jurisdiction, diff)
	}
	p, err = db.FindPerson(context.Background(), inc, "1003")
	if err != nil {
		t.Fatal(err)
	}
	if p.Jurisdiction != "US-TX" || p.Address.Region != "TX" {
		t.Errorf("person 1003: got jurisdiction %q region %q, want US-TX from the ZIP", p.Jurisdiction, p.Address.Region)
	}
	recs := readQuarantine(t, res.Quarantine)
	if len(recs) != 2 || recs[1][0] != "4" || recs[1][1] != "Email" || !strings.HasPrefix(recs[1][2], reasonEmail) {
		t.Errorf("quarantine: got %q, want row 4, column Email, invalid e-mail", recs)
	}

	// A named sheet that does not exist is an error naming the sheets.
	_, err = Import(context.Background(), db, Options{IncidentID: inc, Path: path, Sheet: "Nope"})
	if msg := breach.ErrorMessage(err); !strings.Contains(msg, `no sheet "Nope"`) || !strings.Contains(msg, `"Affected"`) {
		t.Errorf("got %v, want an error naming the missing and the existing sheets", err)
	}
}

func TestImportFileErrors(t *testing.T) {
	db, inc := mustOpenDB(t)
	tests := []struct {
		name, content string
		opts          Options
		code, want    string
	}{
		{name: "empty file", content: "", code: breach.EINVALID, want: "is empty"},
		{name: "no identity column", content: "foo,bar\n1,2\n", code: breach.EINVALID, want: "no column identifies a person"},
		{name: "no contact column", content: "id,name,elements\n1,Ann,name\n", code: breach.EINVALID, want: "no column holds an e-mail or postal address"},
		{name: "no elements anywhere", content: "id,email\n1,a@example.com\n", code: breach.EINVALID, want: "no elements column and no --elements"},
		{name: "map to a missing column", content: "id,email,elements\n", opts: Options{Map: map[string]string{"Cust": "external_id"}}, code: breach.EINVALID, want: `the file has no column "Cust"`},
		{name: "map to an unknown field", content: "id,email,elements\n", opts: Options{Map: map[string]string{"id": "shoe"}}, code: breach.EINVALID, want: `unknown field "shoe"`},
		{name: "unknown incident", content: "id,email,elements\n1,a@example.com,name\n", opts: Options{IncidentID: 999}, code: breach.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Path = writeFile(t, "f.csv", tt.content)
			if opts.IncidentID == 0 {
				opts.IncidentID = inc
			}
			_, err := Import(context.Background(), db, opts)
			if code := breach.ErrorCode(err); code != tt.code {
				t.Fatalf("got code %q (%v), want %q", code, err, tt.code)
			}
			if msg := breach.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("got %q, want it to contain %q", msg, tt.want)
			}
		})
	}
	_, err := Import(context.Background(), db, Options{IncidentID: inc, Path: filepath.Join(t.TempDir(), "missing.csv")})
	if code := breach.ErrorCode(err); code != breach.ENOTFOUND {
		t.Errorf("missing file: got code %q (%v), want %q", code, err, breach.ENOTFOUND)
	}
}

func TestImportMapOption(t *testing.T) {
	db, inc := mustOpenDB(t)
	path := writeFile(t, "m.csv", "Cust #,Contact,Where,Leaked SSN?,elements\nA1,a@example.com,GB,Y,name\n")
	res := mustImport(t, db, Options{IncidentID: inc, Path: path, Map: map[string]string{
		"cust #": "external_id", "Contact": "email", "3": "country", "Leaked SSN?": "flag:ssn",
	}})
	if res.Imported != 1 {
		t.Fatalf("got %+v, want 1 imported", res)
	}
	p, err := db.FindPerson(context.Background(), inc, "A1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Email != "a@example.com" || p.Jurisdiction != "GB" || p.Elements != breach.NewElementSet(breach.ElementName, breach.ElementSSN) {
		t.Errorf("got %+v", p)
	}
	if diff := cmp.Diff([]string{}, res.Ignored); diff != "" {
		t.Errorf("ignored columns (-want +got):\n%s", diff)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
