package ingest

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/postgres"
	"github.com/candor-dev/candor/internal/sqlite"
)

// mustOpenPostgres opens a fresh schema of the CANDOR_TEST_POSTGRES server
// with one incident, or skips the test, saying so, when it is unset.
func mustOpenPostgres(tb testing.TB) (*postgres.DB, int64) {
	tb.Helper()
	base := os.Getenv("CANDOR_TEST_POSTGRES")
	if base == "" {
		tb.Skip("PostgreSQL tests skipped: CANDOR_TEST_POSTGRES is not set")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("ingest_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if c, err := pgx.Connect(context.Background(), base); err == nil {
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
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	inc := &breach.Incident{Title: "Test incident", DiscoveredAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	if err := db.CreateIncident(ctx, inc); err != nil {
		tb.Fatal(err)
	}
	return db, inc.ID
}

// mustOpenDB opens a fresh SQLite database with one incident.
func mustOpenDB(tb testing.TB) (*sqlite.DB, int64) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "candor.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	inc := &breach.Incident{Title: "Test incident", DiscoveredAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	if err := db.CreateIncident(ctx, inc); err != nil {
		tb.Fatal(err)
	}
	return db, inc.ID
}

// writeFile writes content to a new file in a temp directory.
func writeFile(tb testing.TB, name, content string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// mustImport runs an import and fails the test on error.
func mustImport(tb testing.TB, db breach.ImportBatchStore, opts Options) *Result {
	tb.Helper()
	res, err := Import(context.Background(), db, opts)
	if err != nil {
		tb.Fatalf("import %s: %v", filepath.Base(opts.Path), err)
	}
	return res
}

// counts returns a result's counters in a comparable form.
func counts(r *Result) breach.ImportCounts {
	return breach.ImportCounts{Imported: r.Imported, Updated: r.Updated, Unchanged: r.Unchanged, Duplicates: r.Duplicates, Rejected: r.Rejected}
}

// allPeople returns every person of an incident, in ID order.
func allPeople(tb testing.TB, db breach.PersonStore, incidentID int64) []*breach.Person {
	tb.Helper()
	var out []*breach.Person
	var after int64
	for {
		page, err := db.FindPeople(context.Background(), breach.PersonFilter{IncidentID: incidentID, AfterID: after, Limit: 50000})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, page...)
		if len(page) < 50000 {
			return out
		}
		after = page[len(page)-1].ID
	}
}

// readQuarantine returns the quarantine file's records, header included.
func readQuarantine(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("read quarantine %s: %v", path, err)
	}
	return recs
}

var synthStates = []struct{ state, zip, city string }{
	{"TX", "78701", "Austin"}, {"CA", "94105", "San Francisco"}, {"NY", "10001", "New York"},
	{"FL", "33101", "Miami"}, {"MA", "02134", "Boston"}, {"WA", "98101", "Seattle"},
	{"IL", "60601", "Chicago"}, {"PR", "00901", "San Juan"}, {"DC", "20001", "Washington"},
}

// writeSynthetic writes an n-row CSV of people. Every rejectEvery-th row
// (when > 0) has an invalid e-mail; every dupEvery-th row (when > 0)
// repeats the external id of the row before it.
func writeSynthetic(tb testing.TB, path string, n, rejectEvery, dupEvery int) {
	tb.Helper()
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("customer_id,first_name,last_name,email,phone,address1,city,state,zip,country,elements\n")
	id := 0
	for i := 1; i <= n; i++ {
		if dupEvery == 0 || i%dupEvery != 0 {
			id++
		}
		s := synthStates[i%len(synthStates)]
		email := fmt.Sprintf("person%d@example.com", id)
		if rejectEvery > 0 && i%rejectEvery == 0 {
			email = "not-an-address"
		}
		elems := "name;ssn"
		if i%3 == 0 {
			elems = "name;email;password"
		}
		fmt.Fprintf(&b, "C%07d,FIRST%d,Last%d,%s,+1 512 555 %04d,%d Main St,%s,%s,%s,US,%s\n",
			id, id%997, id%991, email, i%10000, i%9000+1, s.city, s.state, s.zip, elems)
		if b.Len() > 1<<20 {
			if _, err := f.WriteString(b.String()); err != nil {
				tb.Fatal(err)
			}
			b.Reset()
		}
	}
	if _, err := f.WriteString(b.String()); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

type personBuf struct {
	p    breach.Person
	key  string
	hash int64
}

func readFileString(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
