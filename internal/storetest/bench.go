package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/candor-dev/candor/internal/breach"
)

// BenchImportChunks measures the store's bulk upsert: b.N rows in chunks
// of chunkSize into a fresh incident, reporting rows/s.
func BenchImportChunks(b *testing.B, s Store, chunkSize int) {
	ctx := context.Background()
	inc := NewIncident()
	if err := s.CreateIncident(ctx, inc); err != nil {
		b.Fatal(err)
	}
	batch, err := s.BeginImport(ctx, &breach.ImportBatch{IncidentID: inc.ID, FileName: "bench.csv", FileSHA256: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	chunk := &breach.ImportChunk{People: make([]breach.ImportRow, 0, chunkSize)}
	elems := breach.NewElementSet(breach.ElementName, breach.ElementSSN, breach.ElementEmail)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := breach.Person{ExternalID: fmt.Sprintf("C-%d", i), FirstName: "Pat", LastName: "Doe", Email: fmt.Sprintf("c%d@mail.example", i),
			Address:      breach.Address{Line1: "1 Main St", City: "Austin", Region: "TX", PostalCode: "78701", Country: "US"},
			Jurisdiction: "US-TX", Locale: "en", Elements: elems}
		chunk.People = append(chunk.People, breach.ImportRow{Person: p, Key: p.Key(), Hash: int64(i)})
		if len(chunk.People) == chunkSize || i == b.N-1 {
			chunk.RowsDone = int64(i + 1)
			if err := s.WriteImportChunk(ctx, batch, chunk); err != nil {
				b.Fatal(err)
			}
			chunk.People = chunk.People[:0]
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
