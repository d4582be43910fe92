package postgres

import (
	"context"
	"fmt"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/sqlstore"
)

var _ breach.OutboxStore = (*DB)(nil)

// ClaimDeliveries leases a batch of deliveries to req.Owner. Rows are
// selected FOR UPDATE SKIP LOCKED, so that many workers on many machines
// claim disjoint batches without waiting for each other; a row leased by a
// worker stays out of reach (its next_at is the lease's end) until that
// worker finishes it or dies and the lease runs out.
func (db *DB) ClaimDeliveries(ctx context.Context, req breach.ClaimRequest) ([]*breach.Delivery, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids, err := sqlstore.Claim(ctx, tx, req, "FOR UPDATE SKIP LOCKED")
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit claim: %w", err)
	}
	return db.ClaimedDeliveries(ctx, ids)
}
