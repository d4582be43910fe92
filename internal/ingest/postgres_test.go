package ingest

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestImportPostgres runs the import's resume and idempotence behaviour on
// PostgreSQL (COPY-based chunks), compared with the same file on SQLite.
func TestImportPostgres(t *testing.T) {
	db, inc := mustOpenPostgres(t)
	path := filepath.Join(t.TempDir(), "people.csv")
	writeSynthetic(t, path, 3000, 41, 13)
	const chunk = 200
	wantRes, wantPeople, wantQ := referenceImport(t, path, chunk)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	_, err := Import(ctx, db, Options{IncidentID: inc, Path: path, ChunkSize: chunk, Progress: func(done, total int64) {
		if calls++; calls == 5 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got error %v, want context.Canceled", err)
	}
	res := mustImport(t, db, Options{IncidentID: inc, Path: path, ChunkSize: chunk})
	if res.ResumedAt == 0 {
		t.Error("second run did not resume the cancelled batch")
	}
	if diff := cmp.Diff(counts(wantRes), counts(res)); diff != "" {
		t.Errorf("counts differ from SQLite (-want +got):\n%s", diff)
	}
	samePeople(t, wantPeople, allPeople(t, db, inc))
	gotQ := readFileString(t, res.Quarantine)
	if gotQ != wantQ {
		t.Errorf("quarantine differs from SQLite's: got %d bytes, want %d", len(gotQ), len(wantQ))
	}

	again := mustImport(t, db, Options{IncidentID: inc, Path: path, ChunkSize: chunk})
	want := counts(wantRes)
	want.Unchanged, want.Imported = want.Imported, 0
	if diff := cmp.Diff(want, counts(again)); diff != "" {
		t.Errorf("re-import counts (-want +got):\n%s", diff)
	}
}
