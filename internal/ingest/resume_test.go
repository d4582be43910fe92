package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/sqlite"
)

// referenceImport imports path into a fresh database in one uninterrupted
// run and returns the result, the people and the quarantine's content.
func referenceImport(t *testing.T, path string, chunk int) (*Result, []*breach.Person, string) {
	t.Helper()
	db, inc := mustOpenDB(t)
	q := filepath.Join(t.TempDir(), "ref.quarantine.csv")
	res := mustImport(t, db, Options{IncidentID: inc, Path: path, ChunkSize: chunk, QuarantinePath: q})
	data, err := os.ReadFile(q)
	if err != nil {
		t.Fatal(err)
	}
	return res, allPeople(t, db, inc), string(data)
}

// samePeople compares people without their database IDs and batches: by
// external ID, each person's content hash must match.
func samePeople(t *testing.T, want, got []*breach.Person) {
	t.Helper()
	if len(want) < 1000 {
		opt := cmpopts.IgnoreFields(breach.Person{}, "ID", "IncidentID", "FirstBatchID", "BatchID")
		sortOpt := cmpopts.SortSlices(func(a, b *breach.Person) bool { return a.ExternalID < b.ExternalID })
		if diff := cmp.Diff(want, got, opt, sortOpt); diff != "" {
			t.Errorf("people differ from an uninterrupted import (-want +got):\n%s", diff)
		}
		return
	}
	hashes := make(map[string]int64, len(want))
	for _, p := range want {
		hashes[p.ExternalID] = personHash(p)
	}
	if len(got) != len(want) {
		t.Errorf("got %d people, want %d", len(got), len(want))
	}
	bad := 0
	for _, p := range got {
		h, ok := hashes[p.ExternalID]
		if !ok || h != personHash(p) {
			if bad++; bad <= 5 {
				t.Errorf("person %q differs from an uninterrupted import: %+v", p.ExternalID, p)
			}
		}
		delete(hashes, p.ExternalID)
	}
	if len(hashes) > 0 {
		t.Errorf("%d people of an uninterrupted import are missing", len(hashes))
	}
}

func TestImportCancelledThenResumed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "people.csv")
	writeSynthetic(t, path, 5000, 37, 11)
	const chunk = 250
	wantRes, wantPeople, wantQ := referenceImport(t, path, chunk)

	db, inc := mustOpenDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	_, err := Import(ctx, db, Options{IncidentID: inc, Path: path, ChunkSize: chunk, Progress: func(done, total int64) {
		if calls++; calls == 6 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got error %v, want context.Canceled", err)
	}
	batches, err := db.FindImportBatches(context.Background(), inc)
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 1 || batches[0].Complete || batches[0].RowsDone == 0 || batches[0].RowsDone >= 5000 {
		t.Fatalf("after cancel: got batches %+v, want one incomplete batch part-way", batches)
	}
	res := mustImport(t, db, Options{IncidentID: inc, Path: path, ChunkSize: chunk})
	if res.ResumedAt != batches[0].RowsDone || res.Batch != batches[0].ID {
		t.Errorf("got resumed at %d in batch %d, want %d in batch %d", res.ResumedAt, res.Batch, batches[0].RowsDone, batches[0].ID)
	}
	if diff := cmp.Diff(counts(wantRes), counts(res)); diff != "" {
		t.Errorf("counts differ from an uninterrupted import (-want +got):\n%s", diff)
	}
	samePeople(t, wantPeople, allPeople(t, db, inc))
	gotQ, err := os.ReadFile(res.Quarantine)
	if err != nil {
		t.Fatal(err)
	}
	if string(gotQ) != wantQ {
		t.Errorf("quarantine differs from an uninterrupted import:\n got %d bytes\nwant %d bytes", len(gotQ), len(wantQ))
	}
}

func TestImportResumeRebuildsLostQuarantine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "people.csv")
	writeSynthetic(t, path, 2000, 13, 0)
	const chunk = 100
	wantRes, _, wantQ := referenceImport(t, path, chunk)

	db, inc := mustOpenDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	_, err := Import(ctx, db, Options{IncidentID: inc, Path: path, ChunkSize: chunk, Progress: func(done, total int64) {
		if calls++; calls == 8 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got error %v, want context.Canceled", err)
	}
	// The quarantine file disappears between the runs.
	if err := os.Remove(path + ".quarantine.csv"); err != nil {
		t.Fatal(err)
	}
	res := mustImport(t, db, Options{IncidentID: inc, Path: path, ChunkSize: chunk})
	if res.ResumedAt == 0 {
		t.Fatal("import did not resume")
	}
	if diff := cmp.Diff(counts(wantRes), counts(res)); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	gotQ, err := os.ReadFile(res.Quarantine)
	if err != nil {
		t.Fatal(err)
	}
	if string(gotQ) != wantQ {
		t.Errorf("rebuilt quarantine differs: got %d bytes, want %d", len(gotQ), len(wantQ))
	}
}

// TestImportKilledThenResumed runs an import in a child process (this test
// binary again), kills it with SIGKILL part-way, then runs the import again
// and checks that nothing is lost or doubled.
func TestImportKilledThenResumed(t *testing.T) {
	if os.Getenv("CANDOR_INGEST_CHILD") != "" {
		importChild()
		return
	}
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "people.csv")
	const rows, chunk = 100000, 1000
	writeSynthetic(t, path, rows, 101, 23)
	wantRes, wantPeople, wantQ := referenceImport(t, path, chunk)

	dbPath := filepath.Join(dir, "candor.db")
	db, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	inc := &breach.Incident{Title: "Killed import", DiscoveredAt: wantPeopleTime}
	if err := db.CreateIncident(context.Background(), inc); err != nil {
		t.Fatal(err)
	}
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestImportKilledThenResumed$")
	cmd.Env = append(os.Environ(), "CANDOR_INGEST_CHILD=1", "CANDOR_INGEST_DB="+dbPath, "CANDOR_INGEST_FILE="+path,
		fmt.Sprintf("CANDOR_INGEST_INCIDENT=%d", inc.ID), fmt.Sprintf("CANDOR_INGEST_CHUNK=%d", chunk))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	chunks := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "chunk ") {
			if chunks++; chunks == 10 {
				break
			}
		}
	}
	if chunks < 10 {
		cmd.Wait()
		t.Fatalf("child ended after %d chunks, before it could be killed", chunks)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	db, err = sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	batches, err := db.FindImportBatches(context.Background(), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 1 || batches[0].Complete || batches[0].RowsDone == 0 || batches[0].RowsDone >= rows {
		t.Fatalf("after kill: got batches %+v, want one incomplete batch part-way", batches)
	}
	t.Logf("killed after %d committed rows", batches[0].RowsDone)
	res := mustImport(t, db, Options{IncidentID: inc.ID, Path: path, ChunkSize: chunk})
	if res.ResumedAt != batches[0].RowsDone {
		t.Errorf("got resumed at %d, want %d", res.ResumedAt, batches[0].RowsDone)
	}
	if diff := cmp.Diff(counts(wantRes), counts(res)); diff != "" {
		t.Errorf("counts differ from an uninterrupted import (-want +got):\n%s", diff)
	}
	samePeople(t, wantPeople, allPeople(t, db, inc.ID))
	gotQ, err := os.ReadFile(res.Quarantine)
	if err != nil {
		t.Fatal(err)
	}
	if string(gotQ) != wantQ {
		t.Errorf("quarantine differs from an uninterrupted import: got %d bytes, want %d", len(gotQ), len(wantQ))
	}
}

var wantPeopleTime = mustTime("2026-11-02T09:00:00Z")

// importChild is the body of the child process: it imports slowly enough
// to be killed, printing a line per chunk.
func importChild() {
	var inc int64
	var chunk int
	fmt.Sscan(os.Getenv("CANDOR_INGEST_INCIDENT"), &inc)
	fmt.Sscan(os.Getenv("CANDOR_INGEST_CHUNK"), &chunk)
	db, err := sqlite.Open(context.Background(), os.Getenv("CANDOR_INGEST_DB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	n := 0
	_, err = Import(context.Background(), db, Options{IncidentID: inc, Path: os.Getenv("CANDOR_INGEST_FILE"), ChunkSize: chunk,
		Progress: func(done, total int64) {
			n++
			fmt.Printf("chunk %d %d/%d\n", n, done, total)
		}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	os.Exit(0)
}
