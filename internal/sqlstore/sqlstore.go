// Package sqlstore holds the store logic that SQLite and PostgreSQL share
// through database/sql: queries written once with "?" placeholders and
// rebound for PostgreSQL, the migration runner and the import upsert. The
// sqlite and postgres packages wrap it with their own connection set-up,
// migrations and bulk-load primitive.
package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Dialect is the SQL flavour of a backend.
type Dialect int

// Dialects.
const (
	SQLite Dialect = iota
	Postgres
)

// Store implements the breach store interfaces on a database/sql handle.
type Store struct {
	DB      *sql.DB
	Dialect Dialect
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// New returns a Store on db.
func New(db *sql.DB, d Dialect) *Store {
	return &Store{DB: db, Dialect: d, Now: time.Now}
}

// Rebind rewrites "?" placeholders as "$1", "$2"… for PostgreSQL.
func (s *Store) Rebind(q string) string {
	if s.Dialect != Postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Tx is a transaction carrying the time it started, so every row it writes
// shares one "now".
type Tx struct {
	*sql.Tx
	store *Store
	Now   time.Time
}

// Begin starts a transaction.
func (s *Store) Begin(ctx context.Context) (*Tx, error) {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, store: s, Now: s.Now().UTC()}, nil
}

// BeginOn starts a transaction on a dedicated connection, for backends that
// must run driver-specific calls (COPY) inside it.
func (s *Store) BeginOn(ctx context.Context, conn *sql.Conn) (*Tx, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, store: s, Now: s.Now().UTC()}, nil
}

// Exec runs a statement written with "?" placeholders.
func (tx *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.ExecContext(ctx, tx.store.Rebind(q), args...)
}

// Query runs a query written with "?" placeholders.
func (tx *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.QueryContext(ctx, tx.store.Rebind(q), args...)
}

// QueryRow runs a one-row query written with "?" placeholders.
func (tx *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.QueryRowContext(ctx, tx.store.Rebind(q), args...)
}

// Migrate applies the *.sql files of fsys in name order, each in its own
// transaction, recording each by name in schema_migrations.
func (s *Store) Migrate(ctx context.Context, fsys fs.FS) error {
	if _, err := s.DB.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := s.migrateFile(ctx, fsys, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

func (s *Store) migrateFile(ctx context.Context, fsys fs.FS, name string) error {
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if s.Dialect == Postgres {
		// Serialise concurrent starters (several workers) on one lock.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7270001)`); err != nil {
			return err
		}
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, name, FormatTime(tx.Now)); err != nil {
		return err
	}
	return tx.Commit()
}

// FormatTime stores times as RFC 3339 text in both backends, keeping the
// offset the user gave (a discovery at 09:00-05:00 stays that).
func FormatTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

func formatTimePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return FormatTime(*t)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse stored time %q: %w", s, err)
	}
	return t, nil
}

func parseTimePtr(s sql.NullString) (*time.Time, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// BoolInt stores a bool as 0 or 1 in both backends.
func BoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
