package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/candor-dev/candor/internal/breach"
)

const batchColumns = `id, incident_id, file_name, file_sha256, complete, started_at, finished_at, rows_done,
	quarantine_bytes, imported, updated, unchanged, duplicates, rejected`

// BeginImport resumes the unfinished batch of the same incident and file,
// or creates a new one.
func (s *Store) BeginImport(ctx context.Context, b *breach.ImportBatch) (*breach.ImportBatch, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findIncidentByID(ctx, tx, b.IncidentID); err != nil {
		return nil, err
	}
	batches, err := findBatches(ctx, tx, `incident_id = ? AND file_sha256 = ? AND complete = 0`, b.IncidentID, b.FileSHA256)
	if err != nil {
		return nil, err
	}
	if len(batches) > 0 {
		return batches[len(batches)-1], nil
	}
	nb := &breach.ImportBatch{IncidentID: b.IncidentID, FileName: b.FileName, FileSHA256: b.FileSHA256, StartedAt: tx.Now}
	if err := tx.QueryRow(ctx, `INSERT INTO import_batches (incident_id, file_name, file_sha256, started_at) VALUES (?, ?, ?, ?) RETURNING id`,
		nb.IncidentID, nb.FileName, nb.FileSHA256, FormatTime(nb.StartedAt)).Scan(&nb.ID); err != nil {
		return nil, fmt.Errorf("insert import batch: %w", err)
	}
	return nb, tx.Commit()
}

// AdvanceBatch records a committed chunk's checkpoint and counters inside
// the chunk's transaction. inserted counts the rows the backend wrote as
// plain inserts; upserted says whether it had to merge into existing rows,
// in which case FinishImport counts the batch from the people table.
func AdvanceBatch(ctx context.Context, tx *Tx, batch *breach.ImportBatch, chunk *breach.ImportChunk, inserted int64, upserted bool) error {
	res, err := tx.Exec(ctx, `UPDATE import_batches SET rows_done = ?, quarantine_bytes = ?, duplicates = duplicates + ?,
		rejected = rejected + ?, imported = imported + ?, upserted = CASE WHEN ? = 1 THEN 1 ELSE upserted END
		WHERE id = ? AND complete = 0`,
		chunk.RowsDone, chunk.QuarantineBytes, chunk.Counts.Duplicates, chunk.Counts.Rejected, inserted, BoolInt(upserted), batch.ID)
	if err != nil {
		return fmt.Errorf("advance import batch %d: %w", batch.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return breach.Errorf(breach.ECONFLICT, "import batch %d is already complete", batch.ID)
	}
	batch.RowsDone, batch.QuarantineBytes = chunk.RowsDone, chunk.QuarantineBytes
	batch.Duplicates += chunk.Counts.Duplicates
	batch.Rejected += chunk.Counts.Rejected
	batch.Imported += inserted
	return nil
}

// FinishImport marks the batch complete with its final counts. When any
// chunk merged into existing rows, the counts come from the people table
// itself, so they are exact across resumed runs.
func (s *Store) FinishImport(ctx context.Context, batch *breach.ImportBatch) error {
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var (
		stored   breach.ImportBatch
		upserted int
	)
	if err := tx.QueryRow(ctx, `SELECT imported, duplicates, rejected, upserted FROM import_batches WHERE id = ?`, batch.ID).Scan(
		&stored.Imported, &stored.Duplicates, &stored.Rejected, &upserted); err != nil {
		return fmt.Errorf("read import batch %d: %w", batch.ID, err)
	}
	batch.ImportCounts = stored.ImportCounts
	if upserted != 0 {
		var imported, updated, unchanged, dups sql.NullInt64
		if err := tx.QueryRow(ctx, `SELECT
				SUM(CASE WHEN first_batch = ? THEN 1 ELSE 0 END),
				SUM(CASE WHEN first_batch <> ? AND change = 'c' THEN 1 ELSE 0 END),
				SUM(CASE WHEN first_batch <> ? AND change = 'u' THEN 1 ELSE 0 END),
				SUM(dup_count)
			FROM people WHERE incident_id = ? AND batch = ?`,
			batch.ID, batch.ID, batch.ID, batch.IncidentID, batch.ID).Scan(&imported, &updated, &unchanged, &dups); err != nil {
			return fmt.Errorf("count import batch %d: %w", batch.ID, err)
		}
		batch.Imported, batch.Updated, batch.Unchanged = imported.Int64, updated.Int64, unchanged.Int64
		batch.Duplicates += dups.Int64
	}
	now := tx.Now
	batch.Complete, batch.FinishedAt = true, &now
	if _, err := tx.Exec(ctx, `UPDATE import_batches SET complete = 1, finished_at = ?, imported = ?, updated = ?,
		unchanged = ?, duplicates = ? WHERE id = ?`, FormatTime(now), batch.Imported, batch.Updated, batch.Unchanged,
		batch.Duplicates, batch.ID); err != nil {
		return fmt.Errorf("finish import batch %d: %w", batch.ID, err)
	}
	return tx.Commit()
}

// FindImportBatches lists an incident's batches, oldest first.
func (s *Store) FindImportBatches(ctx context.Context, incidentID int64) ([]*breach.ImportBatch, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findBatches(ctx, tx, `incident_id = ?`, incidentID)
}

func findBatches(ctx context.Context, tx *Tx, where string, args ...any) ([]*breach.ImportBatch, error) {
	rows, err := tx.Query(ctx, `SELECT `+batchColumns+` FROM import_batches WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("query import batches: %w", err)
	}
	defer rows.Close()
	var out []*breach.ImportBatch
	for rows.Next() {
		var (
			b        breach.ImportBatch
			complete int
			started  string
			finished sql.NullString
		)
		if err := rows.Scan(&b.ID, &b.IncidentID, &b.FileName, &b.FileSHA256, &complete, &started, &finished, &b.RowsDone,
			&b.QuarantineBytes, &b.Imported, &b.Updated, &b.Unchanged, &b.Duplicates, &b.Rejected); err != nil {
			return nil, fmt.Errorf("scan import batch: %w", err)
		}
		b.Complete = complete != 0
		if b.StartedAt, err = parseTime(started); err != nil {
			return nil, err
		}
		if b.FinishedAt, err = parseTimePtr(finished); err != nil {
			return nil, err
		}
		out = append(out, &b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query import batches: %w", err)
	}
	return out, nil
}

// ErrNoRows reports whether err is database/sql's no-rows error.
func ErrNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// UpsertBatches remembers the import batches that met an existing key, so
// that a backend stops trying plain inserts for them. The zero value is
// ready to use and safe for concurrent use.
type UpsertBatches struct {
	mu  sync.Mutex
	ids map[int64]bool
}

// Has reports whether batchID met an existing key.
func (u *UpsertBatches) Has(batchID int64) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.ids[batchID]
}

// Add records that batchID met an existing key.
func (u *UpsertBatches) Add(batchID int64) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.ids == nil {
		u.ids = map[int64]bool{}
	}
	u.ids[batchID] = true
}
