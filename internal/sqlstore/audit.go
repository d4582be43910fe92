package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/candor-dev/candor/internal/breach"
)

// AppendAudit appends e to the hash-chained audit log.
func (s *Store) AppendAudit(ctx context.Context, e *breach.AuditEntry) error {
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := appendAudit(ctx, tx, e); err != nil {
		return err
	}
	return tx.Commit()
}

// AuditDetail encodes v as an audit entry detail.
func AuditDetail(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	return b
}

// appendAudit chains e after the log's last entry inside tx. Writers are
// serialised: SQLite transactions take the write lock at BEGIN IMMEDIATE;
// PostgreSQL takes a transaction-scoped advisory lock.
func appendAudit(ctx context.Context, tx *Tx, e *breach.AuditEntry) error {
	if e.Actor == "" || e.Action == "" {
		return breach.Errorf(breach.EINVALID, "audit: actor and action required")
	}
	if tx.store.Dialect == Postgres {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7270002)`); err != nil {
			return fmt.Errorf("lock audit log: %w", err)
		}
	}
	seq, prev, err := auditHead(ctx, tx)
	if err != nil {
		return err
	}
	if e.At.IsZero() {
		e.At = tx.Now
	}
	e.At = e.At.UTC()
	if len(e.Detail) > 0 && !json.Valid(e.Detail) {
		return breach.Errorf(breach.EINVALID, "audit: detail is not JSON")
	}
	e.Seq, e.PrevHash = seq+1, prev
	e.Hash = e.ComputeHash(prev)
	if _, err := tx.Exec(ctx, `INSERT INTO audit_log (seq, at, actor, action, incident_id, subject, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, FormatTime(e.At), e.Actor, e.Action, e.IncidentID, e.Subject,
		string(e.Detail), e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, e.Seq, e.Hash); err != nil {
		return fmt.Errorf("advance audit head: %w", err)
	}
	return nil
}

func auditHead(ctx context.Context, tx *Tx) (int64, string, error) {
	var (
		seq  int64
		hash string
	)
	err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash)
	if ErrNoRows(err) {
		return 0, "", nil
	} else if err != nil {
		return 0, "", fmt.Errorf("read audit head: %w", err)
	}
	return seq, hash, nil
}

// AuditHead returns the recorded last entry of the log.
func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return 0, "", err
	}
	defer tx.Rollback()
	return auditHead(ctx, tx)
}

// FindAudit returns audit entries in Seq order.
func (s *Store) FindAudit(ctx context.Context, filter breach.AuditFilter) ([]*breach.AuditEntry, error) {
	q := `SELECT seq, at, actor, action, incident_id, subject, detail, prev_hash, hash FROM audit_log WHERE seq > ?`
	args := []any{filter.AfterSeq}
	if filter.IncidentID > 0 {
		q, args = q+` AND incident_id = ?`, append(args, filter.IncidentID)
	}
	q += ` ORDER BY seq`
	if filter.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, filter.Limit)
	}
	rows, err := s.DB.QueryContext(ctx, s.Rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("query audit log: %w", err)
	}
	defer rows.Close()
	out := []*breach.AuditEntry{}
	for rows.Next() {
		var (
			e      breach.AuditEntry
			at     string
			detail sql.NullString
		)
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.IncidentID, &e.Subject, &detail, &e.PrevHash, &e.Hash); err != nil {
			return nil, fmt.Errorf("scan audit entry: %w", err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		if detail.String != "" {
			e.Detail = json.RawMessage(detail.String)
		}
		out = append(out, &e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query audit log: %w", err)
	}
	return out, nil
}
