// Package sqlite implements Candor's stores on an embedded SQLite database
// (pure Go, modernc.org/sqlite) in WAL mode. The queries shared with
// PostgreSQL live in sqlstore; this package adds the connection set-up, the
// schema and the bulk-import path (prepared statements in large
// transactions).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open Candor database on SQLite. Its methods implement the
// breach store interfaces.
type DB struct {
	*sqlstore.Store
	path string
}

var (
	_ breach.OrganizationStore = (*DB)(nil)
	_ breach.IncidentStore     = (*DB)(nil)
	_ breach.PersonStore       = (*DB)(nil)
)

// Open opens (creating if needed) the SQLite database at path and runs the
// embedded migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, breach.Errorf(breach.EINVALID, "sqlite: empty database path")
	}
	q := url.Values{}
	// WAL with synchronous=NORMAL survives a killed process without losing
	// a committed transaction; only an OS crash can lose the last ones.
	for _, p := range []string{"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)", "foreign_keys(1)", "cache_size(-65536)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	sqldb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	sqldb.SetMaxOpenConns(4)
	sqldb.SetMaxIdleConns(4)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db := &DB{Store: sqlstore.New(sqldb, sqlstore.SQLite), path: path}
	sub, _ := fs.Sub(migrationFS, "migrations")
	if err := db.Migrate(ctx, sub); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.DB.Close() }

// Path returns the database file.
func (db *DB) Path() string { return db.path }

// rowsPerInsert is how many rows one INSERT statement carries: fewer,
// larger statements cut the per-statement cost of the driver.
const rowsPerInsert = 40

var (
	upsertOne  = upsertSQL(1)
	upsertMany = upsertSQL(rowsPerInsert)
)

func upsertSQL(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", sqlstore.PersonColumnCount), ",") + ")"
	return `INSERT INTO people (` + sqlstore.PersonColumns + `) VALUES ` +
		strings.TrimSuffix(strings.Repeat(one+",", rows), ",") + sqlstore.UpsertConflict()
}

// WriteImportChunk upserts a chunk with prepared multi-row statements inside
// one transaction, together with the batch checkpoint. Rows of one chunk
// have distinct keys (the importer merged them), so one statement never
// touches a row twice.
func (db *DB) WriteImportChunk(ctx context.Context, batch *breach.ImportBatch, chunk *breach.ImportChunk) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows := chunk.People
	if len(rows) >= rowsPerInsert {
		if err := execRows(ctx, tx, upsertMany, rowsPerInsert, batch, rows[:len(rows)/rowsPerInsert*rowsPerInsert]); err != nil {
			return err
		}
		rows = rows[len(rows)/rowsPerInsert*rowsPerInsert:]
	}
	if err := execRows(ctx, tx, upsertOne, 1, batch, rows); err != nil {
		return err
	}
	if err := sqlstore.AdvanceBatch(ctx, tx, batch, chunk); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit import chunk: %w", err)
	}
	return nil
}

// execRows runs query, which carries n rows, over rows (a multiple of n).
func execRows(ctx context.Context, tx *sqlstore.Tx, query string, n int, batch *breach.ImportBatch, rows []breach.ImportRow) error {
	if len(rows) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return fmt.Errorf("prepare upsert: %w", err)
	}
	defer stmt.Close()
	args := make([]any, 0, n*sqlstore.PersonColumnCount)
	for i := range rows {
		args = sqlstore.PersonArgs(args, batch.IncidentID, batch.ID, &rows[i])
		if len(args) == cap(args) {
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("upsert people near %q: %w", rows[i].Key, err)
			}
			args = args[:0]
		}
	}
	return nil
}
