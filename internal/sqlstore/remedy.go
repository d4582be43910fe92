package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// SetRemedyProgram stores the incident's programme of p.Kind.
func (s *Store) SetRemedyProgram(ctx context.Context, p *breach.RemedyProgram, actor string) error {
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findIncidentByID(ctx, tx, p.IncidentID); err != nil {
		return err
	}
	p.UpdatedAt = tx.Now
	if _, err := tx.Exec(ctx, `INSERT INTO remedy_programs (incident_id, kind, provider, months, description, url, deadline, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident_id, kind) DO UPDATE SET provider = excluded.provider,
		months = excluded.months, description = excluded.description, url = excluded.url, deadline = excluded.deadline,
		updated_at = excluded.updated_at`, p.IncidentID, p.Kind, p.Provider, p.Months, p.Description, p.URL, p.Deadline,
		FormatTime(p.UpdatedAt)); err != nil {
		return fmt.Errorf("store remedy program: %w", err)
	}
	if err := appendAudit(ctx, tx, &breach.AuditEntry{Actor: orCandor(actor), Action: "remedy.program", IncidentID: p.IncidentID,
		Subject: p.Kind, Detail: AuditDetail(p)}); err != nil {
		return err
	}
	return tx.Commit()
}

// RemedyPrograms returns the incident's programmes, idp before offer.
func (s *Store) RemedyPrograms(ctx context.Context, incidentID int64) ([]*breach.RemedyProgram, error) {
	rows, err := s.DB.QueryContext(ctx, s.Rebind(`SELECT incident_id, kind, provider, months, description, url, deadline,
		updated_at FROM remedy_programs WHERE incident_id = ? ORDER BY kind`), incidentID)
	if err != nil {
		return nil, fmt.Errorf("query remedy programs: %w", err)
	}
	defer rows.Close()
	out := []*breach.RemedyProgram{}
	for rows.Next() {
		var (
			p       breach.RemedyProgram
			updated string
		)
		if err := rows.Scan(&p.IncidentID, &p.Kind, &p.Provider, &p.Months, &p.Description, &p.URL, &p.Deadline, &updated); err != nil {
			return nil, fmt.Errorf("scan remedy program: %w", err)
		}
		if p.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, err
		}
		out = append(out, &p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query remedy programs: %w", err)
	}
	return out, nil
}

// ImportRemedyCodes adds codes to the pool, skipping ones already there.
func (s *Store) ImportRemedyCodes(ctx context.Context, incidentID int64, kind string, codes []string, actor string) (int64, int64, error) {
	if !breach.ValidRemedyKind(kind) {
		return 0, 0, breach.Errorf(breach.EINVALID, "remedy: kind %q is not idp or offer", kind)
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	if _, err := findIncidentByID(ctx, tx, incidentID); err != nil {
		return 0, 0, err
	}
	stmt, err := tx.PrepareContext(ctx, s.Rebind(`INSERT INTO remedy_codes (incident_id, kind, code) VALUES (?, ?, ?)
		ON CONFLICT (incident_id, kind, code) DO NOTHING`))
	if err != nil {
		return 0, 0, fmt.Errorf("prepare code insert: %w", err)
	}
	defer stmt.Close()
	var added, dups int64
	for i, c := range codes {
		if err := validCode(c); err != nil {
			return 0, 0, breach.Errorf(breach.EINVALID, "remedy code %d: %s", i+1, breach.ErrorMessage(err))
		}
		res, err := stmt.ExecContext(ctx, incidentID, kind, c)
		if err != nil {
			return 0, 0, fmt.Errorf("insert remedy code: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			added++
		} else {
			dups++
		}
	}
	if err := appendAudit(ctx, tx, &breach.AuditEntry{Actor: orCandor(actor), Action: "remedy.import_codes", IncidentID: incidentID,
		Subject: kind, Detail: AuditDetail(map[string]int64{"added": added, "duplicates": dups})}); err != nil {
		return 0, 0, err
	}
	return added, dups, tx.Commit()
}

// validCode accepts 1–64 printable ASCII characters without spaces.
func validCode(c string) error {
	if c == "" || len(c) > 64 {
		return breach.Errorf(breach.EINVALID, "code must be 1 to 64 characters")
	}
	for i := 0; i < len(c); i++ {
		if c[i] <= ' ' || c[i] > '~' {
			return breach.Errorf(breach.EINVALID, "code %q has a character other than printable ASCII", c)
		}
	}
	return nil
}

const peopleWithoutCode = `FROM people p WHERE p.incident_id = ? AND NOT EXISTS (SELECT 1 FROM remedy_codes c
	WHERE c.incident_id = p.incident_id AND c.kind = ? AND c.person_id = p.id)`

// AssignRemedyCodes pairs the n-th person without a code with the n-th free
// code, in ID order, in one statement.
func (s *Store) AssignRemedyCodes(ctx context.Context, incidentID int64, kind string, actor string) (int64, error) {
	if !breach.ValidRemedyKind(kind) {
		return 0, breach.Errorf(breach.EINVALID, "remedy: kind %q is not idp or offer", kind)
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := findIncidentByID(ctx, tx, incidentID); err != nil {
		return 0, err
	}
	if s.Dialect == Postgres {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7270003, ?)`, int32(incidentID)); err != nil {
			return 0, fmt.Errorf("lock remedy pool: %w", err)
		}
	}
	var need, free int64
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) `+peopleWithoutCode, incidentID, kind).Scan(&need); err != nil {
		return 0, fmt.Errorf("count people without a code: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM remedy_codes WHERE incident_id = ? AND kind = ? AND person_id IS NULL`,
		incidentID, kind).Scan(&free); err != nil {
		return 0, fmt.Errorf("count free codes: %w", err)
	}
	if need == 0 {
		return 0, nil
	}
	if free < need {
		return 0, breach.Errorf(breach.ECONFLICT, "remedy: %d people need a %s code but only %d codes are free: import %d more with `candor remedy import-codes`",
			need, kind, free, need-free)
	}
	res, err := tx.Exec(ctx, `UPDATE remedy_codes SET person_id = x.pid, assigned_at = ? FROM (
		SELECT c.cid, w.pid FROM
			(SELECT id AS cid, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM remedy_codes
				WHERE incident_id = ? AND kind = ? AND person_id IS NULL) c
		JOIN (SELECT p.id AS pid, ROW_NUMBER() OVER (ORDER BY p.id) AS rn `+peopleWithoutCode+`) w ON c.rn = w.rn
	) x WHERE remedy_codes.id = x.cid`, FormatTime(tx.Now), incidentID, kind, incidentID, kind)
	if err != nil {
		return 0, fmt.Errorf("assign remedy codes: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := appendAudit(ctx, tx, &breach.AuditEntry{Actor: orCandor(actor), Action: "remedy.assign_codes", IncidentID: incidentID,
		Subject: kind, Detail: AuditDetail(map[string]int64{"assigned": n})}); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// RemedyCodes returns the codes assigned to the given people.
func (s *Store) RemedyCodes(ctx context.Context, incidentID int64, personIDs []int64) (map[int64]breach.RemedyCodes, error) {
	out := make(map[int64]breach.RemedyCodes, len(personIDs))
	const chunk = 500
	for start := 0; start < len(personIDs); start += chunk {
		ids := personIDs[start:min(start+chunk, len(personIDs))]
		args := make([]any, 0, len(ids)+3)
		args = append(args, incidentID, breach.RemedyIDP, breach.RemedyOffer)
		for _, id := range ids {
			args = append(args, id)
		}
		// Naming the kinds lets the (incident_id, kind, person_id) index
		// find each person's codes directly.
		q := `SELECT person_id, kind, code FROM remedy_codes WHERE incident_id = ? AND kind IN (?, ?) AND person_id IN (?` +
			strings.Repeat(",?", len(ids)-1) + `)`
		rows, err := s.DB.QueryContext(ctx, s.Rebind(q), args...)
		if err != nil {
			return nil, fmt.Errorf("query remedy codes: %w", err)
		}
		for rows.Next() {
			var (
				pid        int64
				kind, code string
			)
			if err := rows.Scan(&pid, &kind, &code); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan remedy code: %w", err)
			}
			c := out[pid]
			if kind == breach.RemedyIDP {
				c.IDP = code
			} else {
				c.Offer = code
			}
			out[pid] = c
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("query remedy codes: %w", err)
		}
	}
	return out, nil
}

// RemedyPoolStats counts the pool of kind and the people still without a
// code.
func (s *Store) RemedyPoolStats(ctx context.Context, incidentID int64, kind string) (*breach.RemedyPoolStats, error) {
	if !breach.ValidRemedyKind(kind) {
		return nil, breach.Errorf(breach.EINVALID, "remedy: kind %q is not idp or offer", kind)
	}
	st := &breach.RemedyPoolStats{Kind: kind}
	if err := s.DB.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*), COUNT(person_id) FROM remedy_codes WHERE incident_id = ? AND kind = ?`),
		incidentID, kind).Scan(&st.Total, &st.Assigned); err != nil {
		return nil, fmt.Errorf("count remedy codes: %w", err)
	}
	if err := s.DB.QueryRowContext(ctx, s.Rebind(`SELECT COUNT(*) `+peopleWithoutCode), incidentID, kind).Scan(&st.PeopleWithout); err != nil {
		return nil, fmt.Errorf("count people without a code: %w", err)
	}
	return st, nil
}

func orCandor(actor string) string {
	if strings.TrimSpace(actor) == "" {
		return "candor"
	}
	return actor
}
