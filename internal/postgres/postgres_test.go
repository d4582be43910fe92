package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/candor-dev/candor/internal/postgres"
	"github.com/candor-dev/candor/internal/storetest"
)

var schemaSeq atomic.Int64

// mustOpenDB opens a store in a fresh schema of the database named by
// CANDOR_TEST_POSTGRES, dropped when tb ends; it skips, saying so, when the
// variable is unset.
func mustOpenDB(tb testing.TB) *postgres.DB {
	tb.Helper()
	base := os.Getenv("CANDOR_TEST_POSTGRES")
	if base == "" {
		tb.Skip("PostgreSQL tests skipped: set CANDOR_TEST_POSTGRES=postgres://… (make test starts a throwaway server)")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("t_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, schemaSeq.Add(1))
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect %s: %v", base, err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		db.Close()
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) storetest.Store { return mustOpenDB(tb) })
}

func TestOpenBadURL(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=1")
	if err == nil || !strings.Contains(err.Error(), "connect postgres") {
		t.Fatalf("got %v, want a connect error", err)
	}
}

func BenchmarkImportChunks(b *testing.B) {
	storetest.BenchImportChunks(b, mustOpenDB(b), 10000)
}
