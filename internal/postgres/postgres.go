// Package postgres implements Candor's stores on PostgreSQL, for
// installations that outgrow one machine: several workers and web replicas
// share one database. Queries shared with SQLite live in sqlstore; this
// package adds the pgx connection pool, the schema and the bulk-import path
// (COPY into a staging table, then one upsert per chunk).
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open Candor database on PostgreSQL.
type DB struct {
	*sqlstore.Store
	pool *pgxpool.Pool

	upserts sqlstore.UpsertBatches // import batches that met an existing key
}

var (
	_ breach.OrganizationStore = (*DB)(nil)
	_ breach.IncidentStore     = (*DB)(nil)
	_ breach.PersonStore       = (*DB)(nil)
)

// Open connects to the database at url (postgres://…) and runs the
// embedded migrations.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, breach.Errorf(breach.EINVALID, "postgres: bad connection URL: %v", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect postgres %s: %w", cfg.ConnConfig.Host, err)
	}
	db := &DB{Store: sqlstore.New(stdlib.OpenDBFromPool(pool), sqlstore.Postgres), pool: pool}
	sub, _ := fs.Sub(migrationFS, "migrations")
	if err := db.Migrate(ctx, sub); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return db, nil
}

// Close closes the pool.
func (db *DB) Close() error {
	err := db.DB.Close()
	db.pool.Close()
	return err
}

// Pool returns the pgx pool for packages that need pgx features.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

var stageColumns = []string{"incident_id", "pkey", "email", "jurisdiction", "contact", "elements", "minor", "deceased",
	"no_contact", "mailable", "content_hash", "first_batch", "batch"}

const createStage = `CREATE TEMP TABLE IF NOT EXISTS import_stage (
	incident_id bigint, pkey text, email text, jurisdiction text, contact text, elements bigint, minor integer,
	deceased integer, no_contact integer, mailable integer, content_hash bigint, first_batch bigint, batch bigint) ON COMMIT DELETE ROWS`

var upsertFromStage = `INSERT INTO people (` + sqlstore.PersonColumns + `) SELECT ` + sqlstore.PersonColumns +
	` FROM import_stage` + sqlstore.UpsertConflict()

// WriteImportChunk writes a chunk in one transaction with the batch
// checkpoint. It first tries COPY straight into people, the fast path for
// people not yet known; when a key already exists (a re-import, or a
// duplicate across chunks) it rolls back to a savepoint and instead copies
// into a per-session staging table and upserts from there. After the first
// conflict a batch stays on the upsert path.
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
	copied := false
	if len(chunk.People) > 0 {
		if !db.upserts.Has(batch.ID) {
			if copied, err = copyDirect(ctx, tx, conn, batch, chunk); err != nil {
				return err
			}
			if !copied {
				db.upserts.Add(batch.ID)
			}
		}
		if !copied {
			if _, err := tx.ExecContext(ctx, createStage); err != nil {
				return fmt.Errorf("create import stage: %w", err)
			}
			if err := copyChunk(ctx, conn, "import_stage", batch, chunk); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, upsertFromStage); err != nil {
				return fmt.Errorf("upsert import chunk: %w", err)
			}
		}
	}
	var inserted int64
	if copied {
		inserted = int64(len(chunk.People))
	}
	if err := sqlstore.AdvanceBatch(ctx, tx, batch, chunk, inserted, len(chunk.People) > 0 && !copied); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit import chunk: %w", err)
	}
	return nil
}

// copyDirect copies the chunk straight into people under a savepoint. It
// reports false, with the savepoint rolled back, when a key already exists.
func copyDirect(ctx context.Context, tx *sqlstore.Tx, conn *sql.Conn, batch *breach.ImportBatch, chunk *breach.ImportChunk) (bool, error) {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT import_copy"); err != nil {
		return false, fmt.Errorf("savepoint: %w", err)
	}
	err := copyChunk(ctx, conn, "people", batch, chunk)
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT import_copy"); err != nil {
			return false, fmt.Errorf("release savepoint: %w", err)
		}
		return true, nil
	case errors.As(err, &pgErr) && pgErr.Code == "23505":
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT import_copy"); err != nil {
			return false, fmt.Errorf("rollback to savepoint: %w", err)
		}
		return false, nil
	default:
		return false, err
	}
}

// copyChunk runs COPY on the transaction's own connection.
func copyChunk(ctx context.Context, conn *sql.Conn, table string, batch *breach.ImportBatch, chunk *breach.ImportChunk) error {
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		i := 0
		var args []any
		src := pgx.CopyFromFunc(func() ([]any, error) {
			if i >= len(chunk.People) {
				return nil, nil
			}
			args = sqlstore.PersonArgs(args[:0], batch.IncidentID, batch.ID, &chunk.People[i])
			i++
			return args, nil
		})
		if _, err := pc.CopyFrom(ctx, pgx.Identifier{table}, stageColumns, src); err != nil {
			return fmt.Errorf("copy import chunk: %w", err)
		}
		return nil
	})
}
