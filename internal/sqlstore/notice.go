package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// SaveNoticeTemplate stores t as the next version of its locale's template.
func (s *Store) SaveNoticeTemplate(ctx context.Context, t *breach.NoticeTemplate) error {
	if strings.TrimSpace(t.Locale) == "" {
		return breach.Errorf(breach.EINVALID, "notice template: locale required")
	}
	if strings.TrimSpace(t.Source) == "" {
		return breach.Errorf(breach.EINVALID, "notice template: empty source")
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findIncidentByID(ctx, tx, t.IncidentID); err != nil {
		return err
	}
	var last int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM notice_templates WHERE incident_id = ? AND locale = ?`,
		t.IncidentID, t.Locale).Scan(&last); err != nil {
		return fmt.Errorf("read template version: %w", err)
	}
	t.Version, t.SHA256, t.DraftedAt = last+1, breach.SourceHash(t.Source), tx.Now
	if err := tx.QueryRow(ctx, `INSERT INTO notice_templates (incident_id, locale, version, source, sha256, drafted_by, drafted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, t.IncidentID, t.Locale, t.Version, t.Source, t.SHA256, t.DraftedBy,
		FormatTime(t.DraftedAt)).Scan(&t.ID); err != nil {
		return fmt.Errorf("insert notice template: %w", err)
	}
	actor := t.DraftedBy
	if actor == "" {
		actor = "candor"
	}
	if err := appendAudit(ctx, tx, &breach.AuditEntry{Actor: actor, Action: "notice.draft", IncidentID: t.IncidentID,
		Subject: fmt.Sprintf("template %s v%d", t.Locale, t.Version),
		Detail:  AuditDetail(map[string]any{"locale": t.Locale, "version": t.Version, "sha256": t.SHA256})}); err != nil {
		return err
	}
	return tx.Commit()
}

// NoticeTemplates returns the latest template of each locale.
func (s *Store) NoticeTemplates(ctx context.Context, incidentID int64) ([]*breach.NoticeTemplate, error) {
	rows, err := s.DB.QueryContext(ctx, s.Rebind(`SELECT t.id, t.incident_id, t.locale, t.version, t.source, t.sha256,
		t.drafted_by, t.drafted_at FROM notice_templates t
		WHERE t.incident_id = ? AND t.version = (SELECT MAX(version) FROM notice_templates m
			WHERE m.incident_id = t.incident_id AND m.locale = t.locale)
		ORDER BY t.locale`), incidentID)
	if err != nil {
		return nil, fmt.Errorf("query notice templates: %w", err)
	}
	defer rows.Close()
	out := []*breach.NoticeTemplate{}
	for rows.Next() {
		var (
			t       breach.NoticeTemplate
			drafted string
		)
		if err := rows.Scan(&t.ID, &t.IncidentID, &t.Locale, &t.Version, &t.Source, &t.SHA256, &t.DraftedBy, &drafted); err != nil {
			return nil, fmt.Errorf("scan notice template: %w", err)
		}
		if t.DraftedAt, err = parseTime(drafted); err != nil {
			return nil, err
		}
		out = append(out, &t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query notice templates: %w", err)
	}
	return out, nil
}

// NoticeSettings returns the incident's settings, creating them on first use.
func (s *Store) NoticeSettings(ctx context.Context, incidentID int64) (*breach.NoticeSettings, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ns, err := noticeSettings(ctx, tx, incidentID)
	if err != nil {
		return nil, err
	}
	return ns, tx.Commit()
}

func noticeSettings(ctx context.Context, tx *Tx, incidentID int64) (*breach.NoticeSettings, error) {
	var (
		ns            = breach.NoticeSettings{IncidentID: incidentID}
		steps, secret string
		updated       string
	)
	err := tx.QueryRow(ctx, `SELECT signer_name, signer_title, steps, secret, updated_at FROM notice_settings WHERE incident_id = ?`,
		incidentID).Scan(&ns.SignerName, &ns.SignerTitle, &steps, &secret, &updated)
	if ErrNoRows(err) {
		if _, err := findIncidentByID(ctx, tx, incidentID); err != nil {
			return nil, err
		}
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("notice secret: %w", err)
		}
		ns.Secret, ns.Steps, ns.UpdatedAt = key, []string{}, tx.Now
		if _, err := tx.Exec(ctx, `INSERT INTO notice_settings (incident_id, secret, updated_at) VALUES (?, ?, ?)`,
			incidentID, hex.EncodeToString(key), FormatTime(tx.Now)); err != nil {
			return nil, fmt.Errorf("create notice settings: %w", err)
		}
		return &ns, nil
	} else if err != nil {
		return nil, fmt.Errorf("read notice settings: %w", err)
	}
	if err := json.Unmarshal([]byte(steps), &ns.Steps); err != nil {
		return nil, fmt.Errorf("decode notice steps: %w", err)
	}
	if ns.Secret, err = hex.DecodeString(secret); err != nil {
		return nil, fmt.Errorf("decode notice secret: %w", err)
	}
	if ns.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &ns, nil
}

// SetNoticeSettings stores the signer and steps, keeping the secret.
func (s *Store) SetNoticeSettings(ctx context.Context, ns *breach.NoticeSettings) error {
	for _, st := range ns.Steps {
		if strings.TrimSpace(st) == "" {
			return breach.Errorf(breach.EINVALID, "notice settings: empty step")
		}
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	cur, err := noticeSettings(ctx, tx, ns.IncidentID)
	if err != nil {
		return err
	}
	steps, _ := json.Marshal(nonNil(ns.Steps))
	if _, err := tx.Exec(ctx, `UPDATE notice_settings SET signer_name = ?, signer_title = ?, steps = ?, updated_at = ?
		WHERE incident_id = ?`, ns.SignerName, ns.SignerTitle, string(steps), FormatTime(tx.Now), ns.IncidentID); err != nil {
		return fmt.Errorf("update notice settings: %w", err)
	}
	ns.Secret, ns.UpdatedAt = cur.Secret, tx.Now
	if err := appendAudit(ctx, tx, &breach.AuditEntry{Actor: "candor", Action: "notice.settings", IncidentID: ns.IncidentID,
		Detail: AuditDetail(map[string]any{"signer_name": ns.SignerName, "signer_title": ns.SignerTitle, "steps": nonNil(ns.Steps)})}); err != nil {
		return err
	}
	return tx.Commit()
}

// CreateNoticeApproval stores a and its audit entry in one transaction.
func (s *Store) CreateNoticeApproval(ctx context.Context, a *breach.NoticeApproval, e *breach.AuditEntry) error {
	if strings.TrimSpace(a.ApprovedBy) == "" {
		return breach.Errorf(breach.EINVALID, "approval: the approver's name is required")
	}
	if a.Hash == "" {
		return breach.Errorf(breach.EINVALID, "approval: hash required")
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findIncidentByID(ctx, tx, a.IncidentID); err != nil {
		return err
	}
	a.ApprovedAt = tx.Now
	if err := tx.QueryRow(ctx, `INSERT INTO notice_approvals (incident_id, approved_by, hash, template_hash, facts_hash,
		rules_version, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.IncidentID, a.ApprovedBy, a.Hash,
		a.TemplateHash, a.FactsHash, a.RulesVersion, FormatTime(a.ApprovedAt)).Scan(&a.ID); err != nil {
		return fmt.Errorf("insert notice approval: %w", err)
	}
	if e != nil {
		e.At = tx.Now
		if err := appendAudit(ctx, tx, e); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// LatestNoticeApproval returns the most recent approval or ENOTFOUND.
func (s *Store) LatestNoticeApproval(ctx context.Context, incidentID int64) (*breach.NoticeApproval, error) {
	var (
		a        breach.NoticeApproval
		approved string
	)
	err := s.DB.QueryRowContext(ctx, s.Rebind(`SELECT id, incident_id, approved_by, hash, template_hash, facts_hash,
		rules_version, approved_at FROM notice_approvals WHERE incident_id = ? ORDER BY id DESC LIMIT 1`), incidentID).Scan(
		&a.ID, &a.IncidentID, &a.ApprovedBy, &a.Hash, &a.TemplateHash, &a.FactsHash, &a.RulesVersion, &approved)
	if ErrNoRows(err) {
		return nil, breach.Errorf(breach.ENOTFOUND, "incident %d: the notice has not been approved (run `candor notice approve`)", incidentID)
	} else if err != nil {
		return nil, fmt.Errorf("read notice approval: %w", err)
	}
	if a.ApprovedAt, err = parseTime(approved); err != nil {
		return nil, err
	}
	return &a, nil
}

// NoticeSamples returns the lowest-ID person of each jurisdiction × element
// set.
func (s *Store) NoticeSamples(ctx context.Context, incidentID int64) ([]*breach.Person, error) {
	rows, err := s.DB.QueryContext(ctx, s.Rebind(personSelect+` WHERE id IN (SELECT MIN(id) FROM people
		WHERE incident_id = ? GROUP BY jurisdiction, elements) ORDER BY jurisdiction, elements, id`), incidentID)
	if err != nil {
		return nil, fmt.Errorf("query notice samples: %w", err)
	}
	defer rows.Close()
	out := []*breach.Person{}
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query notice samples: %w", err)
	}
	return out, nil
}
