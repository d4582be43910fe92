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
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
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
	"no_contact", "content_hash", "first_batch", "batch"}

const createStage = `CREATE TEMP TABLE IF NOT EXISTS import_stage (
	incident_id bigint, pkey text, email text, jurisdiction text, contact text, elements bigint, minor integer,
	deceased integer, no_contact integer, content_hash bigint, first_batch bigint, batch bigint) ON COMMIT DELETE ROWS`

var upsertFromStage = `INSERT INTO people (` + sqlstore.PersonColumns + `) SELECT ` + sqlstore.PersonColumns +
	` FROM import_stage` + sqlstore.UpsertConflict()

// WriteImportChunk copies the chunk into a per-session staging table with
// COPY and upserts it into people in the same transaction as the batch
// checkpoint.
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
	if len(chunk.People) > 0 {
		if _, err := tx.ExecContext(ctx, createStage); err != nil {
			return fmt.Errorf("create import stage: %w", err)
		}
		if err := copyChunk(ctx, conn, batch, chunk); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, upsertFromStage); err != nil {
			return fmt.Errorf("upsert import chunk: %w", err)
		}
	}
	if err := sqlstore.AdvanceBatch(ctx, tx, batch, chunk); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit import chunk: %w", err)
	}
	return nil
}

// copyChunk runs COPY on the transaction's own connection.
func copyChunk(ctx context.Context, conn *sql.Conn, batch *breach.ImportBatch, chunk *breach.ImportChunk) error {
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
		if _, err := pc.CopyFrom(ctx, pgx.Identifier{"import_stage"}, stageColumns, src); err != nil {
			return fmt.Errorf("copy import chunk: %w", err)
		}
		return nil
	})
}
