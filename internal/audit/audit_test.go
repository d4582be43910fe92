package audit_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/candor-dev/candor/internal/audit"
	"github.com/candor-dev/candor/internal/sqlite"
)

func mustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "candor.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// seed appends five entries.
func seed(tb testing.TB, db *sqlite.DB) {
	tb.Helper()
	start := time.Date(2026, 11, 9, 12, 0, 0, 0, time.UTC)
	n := 0
	log := &audit.Log{Store: db, Now: func() time.Time { n++; return start.Add(time.Duration(n) * time.Minute) }}
	for i, action := range []string{"notice.draft", "remedy.import_codes", "notice.approve", "deliver.start", "deliver.finish"} {
		if _, err := log.Record(context.Background(), "pat", action, 1, "subject", map[string]int{"i": i}); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		tamper string
		want   []string // substrings of the issues, in order
	}{
		{"intact", "", nil},
		{"modified actor", `UPDATE audit_log SET actor = 'mallory' WHERE seq = 3`, []string{"entry was modified"}},
		{"modified detail", `UPDATE audit_log SET detail = '{"i":9}' WHERE seq = 2`, []string{"entry was modified"}},
		{"deleted row", `DELETE FROM audit_log WHERE seq = 2`, []string{"entries 2 to 2 are missing", "link to the previous entry is broken"}},
		{"deleted newest", `DELETE FROM audit_log WHERE seq = 5`, []string{"entries were removed from the end"}},
		{"rehashed row", `UPDATE audit_log SET hash = 'x' WHERE seq = 4`, []string{"entry was modified", "link to the previous entry is broken"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			seed(t, db)
			if tt.tamper != "" {
				if _, err := db.DB.Exec(tt.tamper); err != nil {
					t.Fatal(err)
				}
			}
			res, err := audit.Verify(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Issues) != len(tt.want) {
				t.Fatalf("got %d issues %+v, want %d", len(res.Issues), res.Issues, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(res.Issues[i].Msg, w) {
					t.Errorf("issue %d: got %q, want it to say %q", i, res.Issues[i].Msg, w)
				}
			}
			if tt.tamper == "" && (res.Entries != 5 || !res.OK()) {
				t.Fatalf("intact log: got %+v", res)
			}
		})
	}
}

func TestRecordAfterVerify(t *testing.T) {
	db := mustOpenDB(t)
	seed(t, db)
	log := &audit.Log{Store: db}
	e, err := log.Record(context.Background(), "lee", "notice.approve", 1, "h", nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.Seq != 6 {
		t.Fatalf("seq: got %d, want 6", e.Seq)
	}
	res, err := audit.Verify(context.Background(), db)
	if err != nil || !res.OK() || res.Head != e.Hash {
		t.Fatalf("verify: got %+v, %v; want intact with head %s", res, err, e.Hash)
	}
}
