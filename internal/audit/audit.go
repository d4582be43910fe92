// Package audit keeps Candor's append-only, hash-chained event log: who
// did what, when, to which incident. Each entry stores
// SHA-256(previous hash + the entry's canonical form), and the log's head
// (last sequence number and hash) is kept apart, so that Verify detects an
// entry that was changed, removed or inserted, and the newest entries
// being cut off.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/candor-dev/candor/internal/breach"
)

// Log writes events to an audit store.
type Log struct {
	Store breach.AuditStore
	// Now is the clock; the store's when nil.
	Now func() time.Time
}

// Record appends an event. detail is encoded as JSON (nil for none).
func (l *Log) Record(ctx context.Context, actor, action string, incidentID int64, subject string, detail any) (*breach.AuditEntry, error) {
	e := &breach.AuditEntry{Actor: actor, Action: action, IncidentID: incidentID, Subject: subject}
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return nil, fmt.Errorf("audit detail: %w", err)
		}
		e.Detail = b
	}
	if l.Now != nil {
		e.At = l.Now()
	}
	if err := l.Store.AppendAudit(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// Issue is one break in the chain.
type Issue struct {
	Seq int64  `json:"seq"`
	Msg string `json:"message"`
}

// Result is the outcome of verifying the log.
type Result struct {
	Entries int64   `json:"entries"`
	Head    string  `json:"head"`
	Issues  []Issue `json:"issues"`
}

// OK reports whether the chain is intact.
func (r *Result) OK() bool { return len(r.Issues) == 0 }

// pageSize is how many entries Verify reads at a time.
const pageSize = 5000

// Verify walks the whole log in order, recomputing every hash, and
// reports each entry whose hash does not match its content (modified),
// whose link to the previous entry is broken or whose sequence number
// skips (removed or inserted), and a head that does not match the last
// entry (the newest entries removed).
func Verify(ctx context.Context, s breach.AuditStore) (*Result, error) {
	res := &Result{Issues: []Issue{}}
	var (
		prevHash string
		prevSeq  int64
	)
	for {
		page, err := s.FindAudit(ctx, breach.AuditFilter{AfterSeq: prevSeq, Limit: pageSize})
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			if e.Seq != prevSeq+1 {
				res.Issues = append(res.Issues, Issue{e.Seq, fmt.Sprintf("entries %d to %d are missing", prevSeq+1, e.Seq-1)})
			}
			if e.PrevHash != prevHash {
				res.Issues = append(res.Issues, Issue{e.Seq, "the link to the previous entry is broken (an entry before it was changed, removed or inserted)"})
			}
			if got := e.ComputeHash(e.PrevHash); got != e.Hash {
				res.Issues = append(res.Issues, Issue{e.Seq, fmt.Sprintf("the entry was modified: its content hashes to %.12s…, the log says %.12s…", got, e.Hash)})
			}
			prevHash, prevSeq = e.Hash, e.Seq
			res.Entries++
		}
		if len(page) < pageSize {
			break
		}
	}
	headSeq, headHash, err := s.AuditHead(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case headSeq != prevSeq:
		res.Issues = append(res.Issues, Issue{headSeq, fmt.Sprintf("the log's head records entry %d but the last entry is %d (entries were removed from the end)", headSeq, prevSeq)})
	case headHash != prevHash:
		res.Issues = append(res.Issues, Issue{headSeq, "the last entry does not match the hash the log's head records"})
	}
	res.Head = prevHash
	return res, nil
}
