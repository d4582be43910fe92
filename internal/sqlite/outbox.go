package sqlite

import (
	"context"
	"fmt"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/sqlstore"
)

var _ breach.OutboxStore = (*DB)(nil)

// ClaimDeliveries leases a batch of deliveries to req.Owner. SQLite has one
// writer at a time and every transaction here begins IMMEDIATE, so a claim
// holds the write lock from its first read: two claims never see the same
// row as free. Several workers are goroutines of one process (the pool).
func (db *DB) ClaimDeliveries(ctx context.Context, req breach.ClaimRequest) ([]*breach.Delivery, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids, err := sqlstore.Claim(ctx, tx, req, "")
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit claim: %w", err)
	}
	return db.ClaimedDeliveries(ctx, ids)
}
