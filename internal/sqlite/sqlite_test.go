package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/candor-dev/candor/internal/sqlite"
	"github.com/candor-dev/candor/internal/storetest"
)

// mustOpenDB opens a fresh database in a temp dir, closed when tb ends.
func mustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "candor.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) storetest.Store { return mustOpenDB(tb) })
}

func TestReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "candor.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	inc := storetest.NewIncident()
	if err := db.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = sqlite.Open(ctx, path) // migrations must not re-run
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.FindIncidentByID(ctx, inc.ID); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkImportChunks(b *testing.B) {
	storetest.BenchImportChunks(b, mustOpenDB(b), 10000)
}
