// Package sqlite implements Candor's stores on an embedded SQLite database
// (pure Go, modernc.org/sqlite) in WAL mode. The queries shared with
// PostgreSQL live in sqlstore; this package adds the connection set-up, the
// schema and the bulk-import path (prepared statements in large
// transactions).
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
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
// one transaction, together with the batch checkpoint. The statements run on
// the driver connection directly: database/sql's per-call work (locking,
// argument conversion) costs as much as SQLite's own on this path. Rows of
// one chunk have distinct keys (the importer merged them), so one statement
// never touches a row twice.
func (db *DB) WriteImportChunk(ctx context.Context, batch *breach.ImportBatch, chunk *breach.ImportChunk) error {
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("import chunk: %w", err)
	}
	defer conn.Close()
	tx, err := db.BeginOn(ctx, conn)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := conn.Raw(func(dc any) error { return upsertRows(ctx, dc, batch, chunk.People) }); err != nil {
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

// upsertRows writes rows through the driver connection dc.
func upsertRows(ctx context.Context, dc any, batch *breach.ImportBatch, rows []breach.ImportRow) error {
	pc, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return fmt.Errorf("sqlite driver connection %T cannot prepare", dc)
	}
	whole := len(rows) / rowsPerInsert * rowsPerInsert
	if err := execRows(ctx, pc, upsertMany, rowsPerInsert, batch, rows[:whole]); err != nil {
		return err
	}
	return execRows(ctx, pc, upsertOne, 1, batch, rows[whole:])
}

// execRows runs query, which carries n rows, over rows (a multiple of n).
func execRows(ctx context.Context, pc driver.ConnPrepareContext, query string, n int, batch *breach.ImportBatch, rows []breach.ImportRow) error {
	if len(rows) == 0 {
		return nil
	}
	st, err := pc.PrepareContext(ctx, query)
	if err != nil {
		return fmt.Errorf("prepare upsert: %w", err)
	}
	defer st.Close()
	exec, ok := st.(driver.StmtExecContext)
	if !ok {
		return fmt.Errorf("sqlite statement %T cannot execute with context", st)
	}
	args := make([]any, 0, sqlstore.PersonColumnCount)
	named := make([]driver.NamedValue, n*sqlstore.PersonColumnCount)
	for i := range named {
		named[i].Ordinal = i + 1
	}
	k := 0
	for i := range rows {
		args = sqlstore.PersonArgs(args[:0], batch.IncidentID, batch.ID, &rows[i])
		for _, v := range args {
			if b, ok := v.(int); ok {
				v = int64(b)
			}
			named[k].Value = v
			k++
		}
		if k == len(named) {
			if _, err := exec.ExecContext(ctx, named); err != nil {
				return fmt.Errorf("upsert people near %q: %w", rows[i].Key, err)
			}
			k = 0
		}
	}
	return nil
}
