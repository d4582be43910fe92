package ingest

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkImport imports a generated 100,000-row CSV into a fresh SQLite
// database per iteration and reports rows per second.
func BenchmarkImport(b *testing.B) {
	const rows = 100000
	path := filepath.Join(b.TempDir(), "people.csv")
	writeSynthetic(b, path, rows, 0, 0)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		db, inc := mustOpenDB(b)
		b.StartTimer()
		res, err := Import(context.Background(), db, Options{IncidentID: inc, Path: path, ChunkSize: DefaultChunkSize})
		if err != nil {
			b.Fatal(err)
		}
		if res.Imported != rows {
			b.Fatalf("got %d imported, want %d", res.Imported, rows)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParseNormalise measures the importer's own work, without the
// store: reading, sensitive-value checks and normalisation.
func BenchmarkParseNormalise(b *testing.B) {
	const rows = 100000
	path := filepath.Join(b.TempDir(), "people.csv")
	writeSynthetic(b, path, rows, 0, 0)
	info, err := scanFile(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		src, err := openSource(path, "", info)
		if err != nil {
			b.Fatal(err)
		}
		m, err := resolveHeader(src.header(), nil)
		if err != nil {
			b.Fatal(err)
		}
		det, norm := newDetector(m), newNormalizer(m, 0)
		var p personBuf
		for {
			rec, _, err := src.next()
			if err != nil {
				break
			}
			if err := det.row(rec); err != nil {
				b.Fatal(err)
			}
			if rerr := norm.person(rec, &p.p); rerr != nil {
				b.Fatal(rerr.reason)
			}
			p.key = p.p.Key()
			p.hash = personHash(&p.p)
		}
		src.close()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkImportPostgres is BenchmarkImport on CANDOR_TEST_POSTGRES.
func BenchmarkImportPostgres(b *testing.B) {
	const rows = 100000
	path := filepath.Join(b.TempDir(), "people.csv")
	writeSynthetic(b, path, rows, 0, 0)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		db, inc := mustOpenPostgres(b)
		b.StartTimer()
		res, err := Import(context.Background(), db, Options{IncidentID: inc, Path: path})
		if err != nil {
			b.Fatal(err)
		}
		if res.Imported != rows {
			b.Fatalf("got %d imported, want %d", res.Imported, rows)
		}
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
