package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/candor-dev/candor/internal/breach"
)

// Organization returns the stored organisation or ENOTFOUND.
func (s *Store) Organization(ctx context.Context) (*breach.Organization, error) {
	var data string
	err := s.DB.QueryRowContext(ctx, `SELECT data FROM organization WHERE id = 1`).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, breach.Errorf(breach.ENOTFOUND, "no organization set: run `candor org set`")
	} else if err != nil {
		return nil, fmt.Errorf("read organization: %w", err)
	}
	var org breach.Organization
	if err := json.Unmarshal([]byte(data), &org); err != nil {
		return nil, fmt.Errorf("decode organization: %w", err)
	}
	return &org, nil
}

// SetOrganization validates and stores org.
func (s *Store) SetOrganization(ctx context.Context, org *breach.Organization) error {
	if err := org.Validate(); err != nil {
		return err
	}
	data, err := json.Marshal(org)
	if err != nil {
		return fmt.Errorf("encode organization: %w", err)
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `INSERT INTO organization (id, data, updated_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`, string(data), FormatTime(tx.Now)); err != nil {
		return fmt.Errorf("store organization: %w", err)
	}
	return tx.Commit()
}
