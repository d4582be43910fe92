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

	upserts sqlstore.UpsertBatches // import batches that met an existing key
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

// insertSQL returns the import statement for rows rows of one batch. The
// incident and batch IDs, the same for every row, are written into the
// statement as integer literals, and the four flags travel as one bit
// field, so that each row binds seven values instead of thirteen: binding
// is a large part of the driver's cost on this path.
func insertSQL(incidentID, batchID int64, rows int, upsert bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `INSERT INTO people (%s) SELECT %d, column1, column2, column3, column4, column5,
		column6 & 1, (column6 >> 1) & 1, (column6 >> 2) & 1, (column6 >> 3) & 1, column7, %d, %d FROM (VALUES `,
		sqlstore.PersonColumns, incidentID, batchID, batchID)
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?)")
	}
	// "WHERE true" resolves SQLite's parsing ambiguity between a join's ON
	// and the upsert's ON CONFLICT.
	b.WriteString(") WHERE true")
	if upsert {
		b.WriteString(sqlstore.UpsertConflict())
	}
	return b.String()
}

// rowValues appends one row's seven bound values.
func rowValues(dst []driver.NamedValue, r *breach.ImportRow) []driver.NamedValue {
	p := &r.Person
	var flags int64
	for i, f := range [...]bool{p.Minor, p.Deceased, p.NoContact, p.Address.Mailable()} {
		if f {
			flags |= 1 << i
		}
	}
	for _, v := range [...]driver.Value{r.Key, p.Email, string(p.Jurisdiction), sqlstore.PackContact(p), int64(p.Elements), flags, r.Hash} {
		dst = append(dst, driver.NamedValue{Ordinal: len(dst) + 1, Value: v})
	}
	return dst
}

// WriteImportChunk writes a chunk in one transaction with the batch
// checkpoint, with prepared multi-row statements run on the driver
// connection directly (database/sql's per-call locking and argument
// conversion cost as much as SQLite's own work here). Rows are first tried
// as plain inserts; a statement that meets an existing key is rolled back
// by SQLite alone and redone as an upsert, and the batch stays on upserts
// from then on. Rows of one chunk have distinct keys (the importer merged
// them), so one statement never touches a row twice.
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
	w := &chunkWriter{batch: batch, upsert: db.upserts.Has(batch.ID)}
	if err := conn.Raw(func(dc any) error { return w.write(ctx, dc, chunk.People) }); err != nil {
		return err
	}
	if w.upsert {
		db.upserts.Add(batch.ID)
	}
	if err := sqlstore.AdvanceBatch(ctx, tx, batch, chunk, w.inserted, w.upserted); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit import chunk: %w", err)
	}
	return nil
}

// stmtKind tells the prepared statements of a chunk apart.
type stmtKind struct {
	rows   int
	upsert bool
}

// chunkWriter writes one chunk's rows through a driver connection.
type chunkWriter struct {
	batch    *breach.ImportBatch
	upsert   bool // plain inserts met an existing key: upsert from now on
	inserted int64
	upserted bool
	stmts    map[stmtKind]driver.StmtExecContext
	named    []driver.NamedValue
}

func (w *chunkWriter) write(ctx context.Context, dc any, rows []breach.ImportRow) error {
	pc, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return fmt.Errorf("sqlite driver connection %T cannot prepare", dc)
	}
	w.stmts = map[stmtKind]driver.StmtExecContext{}
	defer func() {
		for _, st := range w.stmts {
			st.(driver.Stmt).Close()
		}
	}()
	for len(rows) > 0 {
		n := rowsPerInsert
		if len(rows) < n {
			n = 1
		}
		if err := w.exec(ctx, pc, rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// exec writes rows with one statement (or one per row when len is 1).
func (w *chunkWriter) exec(ctx context.Context, pc driver.ConnPrepareContext, rows []breach.ImportRow) error {
	if !w.upsert {
		err := w.run(ctx, pc, rows, false)
		if err == nil {
			w.inserted += int64(len(rows))
			return nil
		}
		if !strings.Contains(err.Error(), "UNIQUE constraint failed") {
			return err
		}
		w.upsert = true
	}
	w.upserted = true
	return w.run(ctx, pc, rows, true)
}

func (w *chunkWriter) run(ctx context.Context, pc driver.ConnPrepareContext, rows []breach.ImportRow, upsert bool) error {
	kind := stmtKind{rows: len(rows), upsert: upsert}
	st, ok := w.stmts[kind]
	if !ok {
		s, err := pc.PrepareContext(ctx, insertSQL(w.batch.IncidentID, w.batch.ID, len(rows), upsert))
		if err != nil {
			return fmt.Errorf("prepare import statement: %w", err)
		}
		if st, ok = s.(driver.StmtExecContext); !ok {
			s.Close()
			return fmt.Errorf("sqlite statement %T cannot execute with context", s)
		}
		w.stmts[kind] = st
	}
	w.named = w.named[:0]
	for i := range rows {
		w.named = rowValues(w.named, &rows[i])
	}
	if _, err := st.ExecContext(ctx, w.named); err != nil {
		return fmt.Errorf("import people near %q: %w", rows[0].Key, err)
	}
	return nil
}
