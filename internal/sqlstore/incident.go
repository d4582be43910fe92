package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

const incidentColumns = `id, title, status, discovered_at, occurred_from, occurred_to, contained_at, time_zone,
	what_happened, cause, systems_affected, elements, encrypted, key_compromised, harm_likely, le_delay, le_note,
	created_at, updated_at`

// CreateIncident validates and stores inc, setting its ID and timestamps.
func (s *Store) CreateIncident(ctx context.Context, inc *breach.Incident) error {
	if inc.Status == "" {
		inc.Status = breach.StatusOpen
	}
	if inc.HarmLikely == "" {
		inc.HarmLikely = breach.Unknown
	}
	if err := inc.Validate(); err != nil {
		return err
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	inc.CreatedAt, inc.UpdatedAt = tx.Now, tx.Now
	systems, _ := json.Marshal(nonNil(inc.SystemsAffected))
	err = tx.QueryRow(ctx, `INSERT INTO incidents (title, status, discovered_at, occurred_from, occurred_to, contained_at,
		time_zone, what_happened, cause, systems_affected, elements, encrypted, key_compromised, harm_likely, le_delay,
		le_note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
		inc.Title, string(inc.Status), FormatTime(inc.DiscoveredAt), formatTimePtr(inc.OccurredFrom), formatTimePtr(inc.OccurredTo),
		formatTimePtr(inc.ContainedAt), inc.TimeZone, inc.WhatHappened, inc.Cause, string(systems), int64(inc.Elements),
		BoolInt(inc.Encrypted), BoolInt(inc.KeyCompromised), string(inc.HarmLikely), BoolInt(inc.LawEnforcementDelay),
		inc.LawEnforcementNote, FormatTime(tx.Now), FormatTime(tx.Now)).Scan(&inc.ID)
	if err != nil {
		return fmt.Errorf("insert incident: %w", err)
	}
	return tx.Commit()
}

// FindIncidentByID returns the incident or ENOTFOUND.
func (s *Store) FindIncidentByID(ctx context.Context, id int64) (*breach.Incident, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findIncidentByID(ctx, tx, id)
}

func findIncidentByID(ctx context.Context, tx *Tx, id int64) (*breach.Incident, error) {
	incs, err := findIncidents(ctx, tx, breach.IncidentFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(incs) == 0 {
		return nil, breach.Errorf(breach.ENOTFOUND, "incident %d not found", id)
	}
	return incs[0], nil
}

// FindIncidents returns incidents matching filter, newest first.
func (s *Store) FindIncidents(ctx context.Context, filter breach.IncidentFilter) ([]*breach.Incident, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findIncidents(ctx, tx, filter)
}

func findIncidents(ctx context.Context, tx *Tx, filter breach.IncidentFilter) ([]*breach.Incident, error) {
	where, args := []string{"1 = 1"}, []any{}
	if filter.ID != nil {
		where, args = append(where, "id = ?"), append(args, *filter.ID)
	}
	if filter.Status != nil {
		where, args = append(where, "status = ?"), append(args, string(*filter.Status))
	}
	q := `SELECT ` + incidentColumns + ` FROM incidents WHERE ` + strings.Join(where, " AND ") + ` ORDER BY id DESC`
	if filter.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", filter.Limit)
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query incidents: %w", err)
	}
	defer rows.Close()
	var out []*breach.Incident
	for rows.Next() {
		inc, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query incidents: %w", err)
	}
	return out, nil
}

func scanIncident(rows *sql.Rows) (*breach.Incident, error) {
	var (
		inc                                breach.Incident
		status, discovered, systems, harm  string
		created, updated                   string
		occFrom, occTo, contained          sql.NullString
		elements                           int64
		encrypted, keyCompromised, leDelay int
	)
	if err := rows.Scan(&inc.ID, &inc.Title, &status, &discovered, &occFrom, &occTo, &contained, &inc.TimeZone,
		&inc.WhatHappened, &inc.Cause, &systems, &elements, &encrypted, &keyCompromised, &harm, &leDelay,
		&inc.LawEnforcementNote, &created, &updated); err != nil {
		return nil, fmt.Errorf("scan incident: %w", err)
	}
	inc.Status, inc.HarmLikely, inc.Elements = breach.Status(status), breach.Tristate(harm), breach.ElementSet(elements)
	inc.Encrypted, inc.KeyCompromised, inc.LawEnforcementDelay = encrypted != 0, keyCompromised != 0, leDelay != 0
	var err error
	if inc.DiscoveredAt, err = parseTime(discovered); err != nil {
		return nil, err
	}
	if inc.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if inc.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	if inc.OccurredFrom, err = parseTimePtr(occFrom); err != nil {
		return nil, err
	}
	if inc.OccurredTo, err = parseTimePtr(occTo); err != nil {
		return nil, err
	}
	if inc.ContainedAt, err = parseTimePtr(contained); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(systems), &inc.SystemsAffected); err != nil {
		return nil, fmt.Errorf("decode systems_affected: %w", err)
	}
	return &inc, nil
}

// UpdateIncident applies upd to the incident.
func (s *Store) UpdateIncident(ctx context.Context, id int64, upd breach.IncidentUpdate) (*breach.Incident, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	inc, err := findIncidentByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := upd.Apply(inc); err != nil {
		return nil, err
	}
	inc.UpdatedAt = tx.Now
	systems, _ := json.Marshal(nonNil(inc.SystemsAffected))
	if _, err := tx.Exec(ctx, `UPDATE incidents SET title = ?, status = ?, discovered_at = ?, occurred_from = ?,
		occurred_to = ?, contained_at = ?, time_zone = ?, what_happened = ?, cause = ?, systems_affected = ?, elements = ?,
		encrypted = ?, key_compromised = ?, harm_likely = ?, le_delay = ?, le_note = ?, updated_at = ? WHERE id = ?`,
		inc.Title, string(inc.Status), FormatTime(inc.DiscoveredAt), formatTimePtr(inc.OccurredFrom), formatTimePtr(inc.OccurredTo),
		formatTimePtr(inc.ContainedAt), inc.TimeZone, inc.WhatHappened, inc.Cause, string(systems), int64(inc.Elements),
		BoolInt(inc.Encrypted), BoolInt(inc.KeyCompromised), string(inc.HarmLikely), BoolInt(inc.LawEnforcementDelay),
		inc.LawEnforcementNote, FormatTime(tx.Now), id); err != nil {
		return nil, fmt.Errorf("update incident %d: %w", id, err)
	}
	return inc, tx.Commit()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
