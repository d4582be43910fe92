package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/breach"
)

// FormatSortable writes t in a fixed-width UTC form that is still RFC 3339,
// so that stored times compare correctly as text (next_at).
func FormatSortable(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// placeholders returns "?,?,…" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

func int64Args(dst []any, ids []int64) []any {
	for _, id := range ids {
		dst = append(dst, id)
	}
	return dst
}

const campaignColumns = `id, incident_id, name, status, approval, status_reason, created_at, updated_at`

// CreateCampaign stores c, or records c's approval on the incident's
// existing campaign of that name and returns it.
func (s *Store) CreateCampaign(ctx context.Context, c *breach.Campaign) (*breach.Campaign, error) {
	if c.Status == "" {
		c.Status = breach.CampaignActive
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findIncidentByID(ctx, tx, c.IncidentID); err != nil {
		return nil, err
	}
	found, err := findCampaigns(ctx, tx, `incident_id = ? AND name = ?`, c.IncidentID, c.Name)
	if err != nil {
		return nil, err
	}
	if len(found) > 0 {
		old := found[0]
		if old.Status == breach.CampaignCancelled {
			return nil, breach.Errorf(breach.EINVALID, "campaign %q of incident %d was cancelled: start another (--campaign NAME)", c.Name, c.IncidentID)
		}
		if old.Approval != c.Approval {
			if _, err := tx.Exec(ctx, `UPDATE campaigns SET approval = ?, updated_at = ? WHERE id = ?`, c.Approval, FormatTime(tx.Now), old.ID); err != nil {
				return nil, fmt.Errorf("update campaign approval: %w", err)
			}
			old.Approval, old.UpdatedAt = c.Approval, tx.Now
		}
		return old, tx.Commit()
	}
	nc := *c
	nc.CreatedAt, nc.UpdatedAt = tx.Now, tx.Now
	if err := tx.QueryRow(ctx, `INSERT INTO campaigns (incident_id, name, status, approval, status_reason, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, nc.IncidentID, nc.Name, string(nc.Status), nc.Approval, nc.StatusReason,
		FormatTime(tx.Now), FormatTime(tx.Now)).Scan(&nc.ID); err != nil {
		return nil, fmt.Errorf("insert campaign: %w", err)
	}
	return &nc, tx.Commit()
}

// FindCampaign returns the incident's campaign by name, or ENOTFOUND.
func (s *Store) FindCampaign(ctx context.Context, incidentID int64, name string) (*breach.Campaign, error) {
	return s.findCampaign(ctx, fmt.Sprintf("campaign %q of incident %d", name, incidentID), `incident_id = ? AND name = ?`, incidentID, name)
}

// FindCampaignByID returns the campaign, or ENOTFOUND.
func (s *Store) FindCampaignByID(ctx context.Context, id int64) (*breach.Campaign, error) {
	return s.findCampaign(ctx, fmt.Sprintf("campaign %d", id), `id = ?`, id)
}

func (s *Store) findCampaign(ctx context.Context, what, where string, args ...any) (*breach.Campaign, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	found, err := findCampaigns(ctx, tx, where, args...)
	if err != nil {
		return nil, err
	} else if len(found) == 0 {
		return nil, breach.Errorf(breach.ENOTFOUND, "%s not found (see `candor send status`)", what)
	}
	return found[0], nil
}

// FindCampaigns returns the incident's campaigns, oldest first.
func (s *Store) FindCampaigns(ctx context.Context, incidentID int64) ([]*breach.Campaign, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findCampaigns(ctx, tx, `incident_id = ?`, incidentID)
}

func findCampaigns(ctx context.Context, tx *Tx, where string, args ...any) ([]*breach.Campaign, error) {
	rows, err := tx.Query(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("query campaigns: %w", err)
	}
	defer rows.Close()
	var out []*breach.Campaign
	for rows.Next() {
		var (
			c                breach.Campaign
			status           string
			created, updated string
		)
		if err := rows.Scan(&c.ID, &c.IncidentID, &c.Name, &status, &c.Approval, &c.StatusReason, &created, &updated); err != nil {
			return nil, fmt.Errorf("scan campaign: %w", err)
		}
		c.Status = breach.CampaignStatus(status)
		if c.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if c.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, err
		}
		out = append(out, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query campaigns: %w", err)
	}
	return out, nil
}

// SetCampaignStatus pauses, resumes or cancels a campaign.
func (s *Store) SetCampaignStatus(ctx context.Context, id int64, status breach.CampaignStatus, reason string) (*breach.Campaign, error) {
	switch status {
	case breach.CampaignActive, breach.CampaignPaused, breach.CampaignCancelled:
	default:
		return nil, breach.Errorf(breach.EINVALID, "campaign status %q is not active, paused or cancelled", status)
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	found, err := findCampaigns(ctx, tx, `id = ?`, id)
	if err != nil {
		return nil, err
	} else if len(found) == 0 {
		return nil, breach.Errorf(breach.ENOTFOUND, "campaign %d not found", id)
	}
	c := found[0]
	if c.Status == breach.CampaignCancelled && status != breach.CampaignCancelled {
		return nil, breach.Errorf(breach.EINVALID, "campaign %q was cancelled and cannot be %s", c.Name, status)
	}
	if _, err := tx.Exec(ctx, `UPDATE campaigns SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?`,
		string(status), reason, FormatTime(tx.Now), id); err != nil {
		return nil, fmt.Errorf("set campaign status: %w", err)
	}
	if status == breach.CampaignCancelled {
		if _, err := tx.Exec(ctx, `UPDATE deliveries SET state = 'cancelled', lease_owner = '', updated_at = ?
			WHERE campaign_id = ? AND state IN ('queued', 'deferred')`, FormatTime(tx.Now), id); err != nil {
			return nil, fmt.Errorf("cancel deliveries: %w", err)
		}
	}
	c.Status, c.StatusReason, c.UpdatedAt = status, reason, tx.Now
	return c, tx.Commit()
}

// The SQL forms of the channel choice. The e-mail address is a column, so
// e-mail deliveries are enqueued with INSERT … SELECT, millions at a time;
// postal addresses are packed in the contact column and a letter's
// mailability is decided in Go (breach.Address.Mailable), page by page.
const (
	sqlReachable = `p.no_contact = 0 AND p.deceased = 0`
	sqlHasEmail  = `p.email <> ''`
)

// enqueueChunk is the number of person ids an e-mail enqueue transaction
// spans; letterPage the number of letter candidates read at a time.
const (
	enqueueChunk = 50000
	letterPage   = 2000
)

// EnqueueDeliveries adds one delivery per reachable person without one on
// that channel in the campaign: e-mails in chunks of person ids, letters a
// page of candidates at a time.
func (s *Store) EnqueueDeliveries(ctx context.Context, req breach.EnqueueRequest) (*breach.EnqueueResult, error) {
	if req.Channel != "" && !req.Channel.Valid() {
		return nil, breach.Errorf(breach.EINVALID, "channel %q is not email or letter", req.Channel)
	}
	// A dry run for a campaign not created yet counts everyone as new.
	c := &breach.Campaign{IncidentID: req.IncidentID}
	if req.CampaignID != 0 || !req.DryRun {
		var err error
		if c, err = s.FindCampaignByID(ctx, req.CampaignID); err != nil {
			return nil, err
		}
	}
	if c.IncidentID != req.IncidentID {
		return nil, breach.Errorf(breach.EINVALID, "campaign %d belongs to incident %d, not %d", c.ID, c.IncidentID, req.IncidentID)
	}
	if c.Status == breach.CampaignCancelled {
		return nil, breach.Errorf(breach.EINVALID, "campaign %q was cancelled", c.Name)
	}
	emailCond := sqlHasEmail
	if req.Channel == breach.ChannelLetter {
		emailCond = `1 = 0`
	}
	var total, noContact, deceased, emailEligible, emailAlready sql.NullInt64
	q := `SELECT COUNT(*),
			SUM(CASE WHEN p.no_contact = 1 THEN 1 ELSE 0 END),
			SUM(CASE WHEN p.no_contact = 0 AND p.deceased = 1 THEN 1 ELSE 0 END),
			SUM(CASE WHEN ` + sqlReachable + ` AND ` + emailCond + ` THEN 1 ELSE 0 END)
		FROM people p WHERE p.incident_id = ?`
	if err := s.DB.QueryRowContext(ctx, s.Rebind(q), req.IncidentID).Scan(&total, &noContact, &deceased, &emailEligible); err != nil {
		return nil, fmt.Errorf("count people to enqueue: %w", err)
	}
	res := &breach.EnqueueResult{NoContact: noContact.Int64, Deceased: deceased.Int64}
	letters, err := s.enqueueLetters(ctx, c.ID, req)
	if err != nil {
		return nil, err
	}
	res.Letter, res.Already = letters.added, letters.already
	res.Unreachable = total.Int64 - noContact.Int64 - deceased.Int64 - emailEligible.Int64 - letters.eligible
	if req.DryRun {
		q := `SELECT COUNT(*) FROM deliveries d JOIN people p ON p.id = d.person_id
			WHERE d.campaign_id = ? AND d.channel = 'email' AND ` + sqlReachable + ` AND ` + emailCond
		if err := s.DB.QueryRowContext(ctx, s.Rebind(q), c.ID).Scan(&emailAlready); err != nil {
			return nil, fmt.Errorf("count enqueued: %w", err)
		}
		res.Email = emailEligible.Int64 - emailAlready.Int64
		res.Already += emailAlready.Int64
		return res, nil
	}
	if req.Channel != breach.ChannelLetter {
		var lo, hi sql.NullInt64
		if err := s.DB.QueryRowContext(ctx, s.Rebind(`SELECT MIN(id), MAX(id) FROM people WHERE incident_id = ?`), req.IncidentID).Scan(&lo, &hi); err != nil {
			return nil, fmt.Errorf("enqueue: %w", err)
		}
		for from := lo.Int64 - 1; lo.Valid && from < hi.Int64; from += enqueueChunk {
			n, err := s.enqueueEmails(ctx, c.ID, req.IncidentID, from, from+enqueueChunk)
			if err != nil {
				return nil, err
			}
			res.Email += n
		}
	}
	res.Already += emailEligible.Int64 - res.Email
	return res, nil
}

func (s *Store) enqueueEmails(ctx context.Context, campaignID, incidentID, from, to int64) (int64, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	now := FormatTime(tx.Now)
	r, err := tx.Exec(ctx, `INSERT INTO deliveries (campaign_id, incident_id, person_id, channel, state, recipient, next_at, queued_at, updated_at)
		SELECT ?, p.incident_id, p.id, 'email', 'queued', p.email, ?, ?, ?
		FROM people p WHERE p.incident_id = ? AND p.id > ? AND p.id <= ? AND `+sqlReachable+` AND `+sqlHasEmail+`
		ON CONFLICT (campaign_id, person_id, channel) DO NOTHING`,
		campaignID, FormatSortable(tx.Now), now, now, incidentID, from, to)
	if err != nil {
		return 0, fmt.Errorf("enqueue e-mail deliveries: %w", err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("enqueue e-mail deliveries: %w", err)
	}
	return n, tx.Commit()
}

type letterCounts struct{ eligible, added, already int64 }

// enqueueLetters reads the letter candidates a page at a time (people
// without e-mail, or everyone reachable when letters were asked for) and
// queues a letter for each mailable one without a letter yet.
func (s *Store) enqueueLetters(ctx context.Context, campaignID int64, req breach.EnqueueRequest) (letterCounts, error) {
	var counts letterCounts
	if req.Channel == breach.ChannelEmail {
		return counts, nil
	}
	cand := sqlReachable
	if req.Channel == "" {
		cand += ` AND p.email = ''`
	}
	q := s.Rebind(`SELECT p.id, p.email, p.contact, (SELECT COUNT(*) FROM deliveries d WHERE d.campaign_id = ? AND d.person_id = p.id AND d.channel = 'letter')
		FROM people p WHERE p.incident_id = ? AND ` + cand + ` AND p.id > ? ORDER BY p.id LIMIT ?`)
	type letter struct {
		personID  int64
		recipient string
	}
	after := int64(0)
	for {
		rows, err := s.DB.QueryContext(ctx, q, campaignID, req.IncidentID, after, letterPage)
		if err != nil {
			return counts, fmt.Errorf("read letter candidates: %w", err)
		}
		var page []letter
		n := 0
		for rows.Next() {
			var (
				p       breach.Person
				contact string
				has     int64
			)
			if err := rows.Scan(&p.ID, &p.Email, &contact, &has); err != nil {
				rows.Close()
				return counts, fmt.Errorf("read letter candidates: %w", err)
			}
			n++
			after = p.ID
			unpackContact(contact, &p)
			if !p.Address.Mailable() {
				continue
			}
			counts.eligible++
			if has > 0 {
				counts.already++
				continue
			}
			page = append(page, letter{p.ID, breach.LetterRecipient(&p)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return counts, fmt.Errorf("read letter candidates: %w", err)
		}
		if req.DryRun {
			counts.added += int64(len(page))
		} else if len(page) > 0 {
			tx, err := s.Begin(ctx)
			if err != nil {
				return counts, err
			}
			now := FormatTime(tx.Now)
			for len(page) > 0 {
				m := min(len(page), 100)
				vals := strings.Repeat("(?, ?, ?, 'letter', 'queued', ?, ?, ?, ?),", m)
				args := make([]any, 0, 7*m)
				for _, l := range page[:m] {
					args = append(args, campaignID, req.IncidentID, l.personID, l.recipient, FormatSortable(tx.Now), now, now)
				}
				r, err := tx.Exec(ctx, `INSERT INTO deliveries (campaign_id, incident_id, person_id, channel, state, recipient, next_at, queued_at, updated_at)
					VALUES `+strings.TrimSuffix(vals, ",")+` ON CONFLICT (campaign_id, person_id, channel) DO NOTHING`, args...)
				if err != nil {
					tx.Rollback()
					return counts, fmt.Errorf("enqueue letters: %w", err)
				}
				added, _ := r.RowsAffected()
				counts.added += added
				counts.already += int64(m) - added
				page = page[m:]
			}
			if err := tx.Commit(); err != nil {
				return counts, fmt.Errorf("enqueue letters: %w", err)
			}
		}
		if n < letterPage {
			return counts, nil
		}
	}
}

// AddDelivery adds one delivery; ECONFLICT when the person already has one
// on that channel in the campaign.
func (s *Store) AddDelivery(ctx context.Context, d *breach.Delivery) error {
	if !d.Channel.Valid() {
		return breach.Errorf(breach.EINVALID, "delivery: channel %q is not email or letter", d.Channel)
	}
	if d.State == "" {
		d.State = breach.DeliveryQueued
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.Query(ctx, `INSERT INTO deliveries (campaign_id, incident_id, person_id, channel, state, recipient, fallback_of, next_at, queued_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, person_id, channel) DO NOTHING RETURNING id`,
		d.CampaignID, d.IncidentID, d.PersonID, string(d.Channel), string(d.State), d.Recipient, d.FallbackOf,
		FormatSortable(tx.Now), FormatTime(tx.Now), FormatTime(tx.Now))
	if err != nil {
		return fmt.Errorf("insert delivery: %w", err)
	}
	inserted := rows.Next()
	if inserted {
		err = rows.Scan(&d.ID)
	}
	rows.Close()
	if err != nil {
		return fmt.Errorf("insert delivery: %w", err)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insert delivery: %w", err)
	}
	if !inserted {
		return breach.Errorf(breach.ECONFLICT, "person %d already has a %s delivery in campaign %d", d.PersonID, d.Channel, d.CampaignID)
	}
	d.QueuedAt, d.UpdatedAt, d.NextAttemptAt = tx.Now, tx.Now, tx.Now
	return tx.Commit()
}

// deliveryColumns are read by scanDelivery, from deliveries d joined with
// people p.
const deliveryColumns = `d.id, d.campaign_id, d.incident_id, d.person_id,
	CASE WHEN p.pkey LIKE 'id:%' THEN substr(p.pkey, 4) ELSE '' END, d.channel, d.state, d.recipient,
	d.attempts, d.sends, d.recoveries, d.claims, d.message_id, d.body_sha256, d.reply, d.last_error, d.next_at, d.lease_owner,
	d.print_batch, d.fallback_of, d.queued_at, d.updated_at, d.sent_at, d.bounced_at`

func scanDelivery(rows *sql.Rows, extra ...any) (*breach.Delivery, error) {
	var (
		d                        breach.Delivery
		channel, state           string
		next, queued, updated    string
		sent, bounced            sql.NullString
		attempts, sends, recover int64
		claims                   int64
	)
	dest := append([]any{&d.ID, &d.CampaignID, &d.IncidentID, &d.PersonID, &d.ExternalID, &channel, &state, &d.Recipient,
		&attempts, &sends, &recover, &claims, &d.MessageID, &d.BodySHA256, &d.Reply, &d.LastError, &next, &d.LeaseOwner,
		&d.PrintBatch, &d.FallbackOf, &queued, &updated, &sent, &bounced}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return nil, fmt.Errorf("scan delivery: %w", err)
	}
	d.Channel, d.State = breach.Channel(channel), breach.DeliveryState(state)
	d.Attempts, d.Sends, d.InFlightRecoveries, d.Claims = int(attempts), int(sends), int(recover), int(claims)
	var err error
	if d.NextAttemptAt, err = parseTime(next); err != nil {
		return nil, err
	}
	if d.QueuedAt, err = parseTime(queued); err != nil {
		return nil, err
	}
	if d.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	if d.SentAt, err = parseTimePtr(sent); err != nil {
		return nil, err
	}
	if d.BouncedAt, err = parseTimePtr(bounced); err != nil {
		return nil, err
	}
	return &d, nil
}

// FindDeliveries returns deliveries matching filter in ID order.
func (s *Store) FindDeliveries(ctx context.Context, f breach.DeliveryFilter) ([]*breach.Delivery, error) {
	where, args := []string{"1 = 1"}, []any{}
	add := func(cond string, arg any) { where, args = append(where, cond), append(args, arg) }
	if f.IncidentID > 0 {
		add("d.incident_id = ?", f.IncidentID)
	}
	if f.CampaignID > 0 {
		add("d.campaign_id = ?", f.CampaignID)
	}
	if f.PersonID > 0 {
		add("d.person_id = ?", f.PersonID)
	}
	if f.Channel != "" {
		add("d.channel = ?", string(f.Channel))
	}
	if f.State != "" {
		add("d.state = ?", string(f.State))
	}
	if f.MessageID != "" {
		add("d.message_id = ?", f.MessageID)
	}
	if f.Recipient != "" {
		add("d.recipient = ?", f.Recipient)
	}
	if f.PrintBatch != "" {
		add("d.print_batch = ?", f.PrintBatch)
	}
	if f.PossibleDuplicates {
		where = append(where, "(d.sends > 1 OR d.recoveries > 0)")
	}
	if f.AfterID > 0 {
		add("d.id > ?", f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryDeliveries(ctx, tx, `SELECT `+deliveryColumns+` FROM deliveries d JOIN people p ON p.id = d.person_id WHERE `+
		strings.Join(where, " AND ")+fmt.Sprintf(` ORDER BY d.id LIMIT %d`, limit), args...)
}

func queryDeliveries(ctx context.Context, tx *Tx, q string, args ...any) ([]*breach.Delivery, error) {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query deliveries: %w", err)
	}
	defer rows.Close()
	var out []*breach.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query deliveries: %w", err)
	}
	return out, nil
}

// DeliveryEvents returns the ledger entries of the deliveries.
func (s *Store) DeliveryEvents(ctx context.Context, ids []int64) ([]*breach.DeliveryEvent, error) {
	var out []*breach.DeliveryEvent
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		rows, err := s.DB.QueryContext(ctx, s.Rebind(`SELECT id, delivery_id, at, kind, state, detail FROM delivery_events
			WHERE delivery_id IN (`+placeholders(len(chunk))+`) ORDER BY delivery_id, id`), int64Args(nil, chunk)...)
		if err != nil {
			return nil, fmt.Errorf("query delivery events: %w", err)
		}
		for rows.Next() {
			var (
				e         breach.DeliveryEvent
				at, state string
			)
			if err := rows.Scan(&e.ID, &e.DeliveryID, &at, &e.Kind, &state, &e.Detail); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan delivery event: %w", err)
			}
			e.State = breach.DeliveryState(state)
			if e.At, err = parseTime(at); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, &e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("query delivery events: %w", err)
		}
	}
	return out, nil
}

// AddDeliveryEvent appends an entry to a delivery's ledger.
func (s *Store) AddDeliveryEvent(ctx context.Context, e *breach.DeliveryEvent) error {
	tx, err := s.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if e.At.IsZero() {
		e.At = tx.Now
	}
	if err := addEvent(ctx, tx, e); err != nil {
		return err
	}
	return tx.Commit()
}

func addEvent(ctx context.Context, tx *Tx, e *breach.DeliveryEvent) error {
	if err := tx.QueryRow(ctx, `INSERT INTO delivery_events (delivery_id, at, kind, state, detail) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		e.DeliveryID, FormatTime(e.At), e.Kind, string(e.State), e.Detail).Scan(&e.ID); err != nil {
		return fmt.Errorf("insert delivery event: %w", err)
	}
	return nil
}

// DeliveryStats counts a campaign's deliveries by channel and state.
func (s *Store) DeliveryStats(ctx context.Context, campaignID int64) (*breach.DeliveryStats, error) {
	rows, err := s.DB.QueryContext(ctx, s.Rebind(`SELECT channel, state, COUNT(*), SUM(CASE WHEN sends > 1 OR recoveries > 0 THEN 1 ELSE 0 END)
		FROM deliveries WHERE campaign_id = ? GROUP BY channel, state`), campaignID)
	if err != nil {
		return nil, fmt.Errorf("delivery stats: %w", err)
	}
	defer rows.Close()
	st := &breach.DeliveryStats{States: map[breach.DeliveryState]int64{}, Channels: map[breach.Channel]map[breach.DeliveryState]int64{}}
	for _, state := range breach.DeliveryStates() {
		st.States[state] = 0
	}
	for rows.Next() {
		var (
			channel, state string
			n              int64
			dups           sql.NullInt64
		)
		if err := rows.Scan(&channel, &state, &n, &dups); err != nil {
			return nil, fmt.Errorf("delivery stats: %w", err)
		}
		ch := breach.Channel(channel)
		if st.Channels[ch] == nil {
			st.Channels[ch] = map[breach.DeliveryState]int64{}
			for _, s := range breach.DeliveryStates() {
				st.Channels[ch][s] = 0
			}
		}
		st.Channels[ch][breach.DeliveryState(state)] += n
		st.States[breach.DeliveryState(state)] += n
		st.Total += n
		st.PossibleDuplicates += dups.Int64
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("delivery stats: %w", err)
	}
	return st, nil
}

// UnreachedPeople returns people of the campaign's incident with nothing on
// its way to them.
func (s *Store) UnreachedPeople(ctx context.Context, campaignID, afterID int64, limit int) ([]*breach.Person, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.DB.QueryContext(ctx, s.Rebind(personSelect+` p WHERE p.incident_id = (SELECT incident_id FROM campaigns WHERE id = ?)
		AND `+sqlReachable+` AND p.id > ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.campaign_id = ? AND d.person_id = p.id
		AND d.state IN ('queued', 'deferred', 'sending', 'sent')) ORDER BY p.id LIMIT ?`), campaignID, afterID, campaignID, limit)
	if err != nil {
		return nil, fmt.Errorf("query unreached people: %w", err)
	}
	defer rows.Close()
	var out []*breach.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query unreached people: %w", err)
	}
	return out, nil
}

// claimable repeats the condition of the partial claim index, which SQLite
// uses only when a query states it word for word.
const claimable = `state IN ('queued', 'deferred', 'sending')`

// Claim leases up to req.Limit deliveries to req.Owner inside tx: it first
// queues again the e-mails left sending past their lease (recording each as
// a possible duplicate), then picks due deferred deliveries (a quarter of
// the batch at most, so retries are not starved), then queued ones, each
// campaign in turn. lock is appended to the row selections: PostgreSQL
// passes "FOR UPDATE SKIP LOCKED" so that concurrent workers skip each
// other's rows; SQLite, whose write transactions are exclusive, passes "".
//
// It returns the ids leased; read them with ClaimedDeliveries after the
// commit, so that the write lock is not held for the read.
func Claim(ctx context.Context, tx *Tx, req breach.ClaimRequest, lock string) ([]int64, error) {
	if req.Owner == "" || req.Limit <= 0 || req.Lease <= 0 || !req.Channel.Valid() {
		return nil, breach.Errorf(breach.EINVALID, "claim: owner, channel, a positive limit and a lease are required")
	}
	now := FormatSortable(tx.Now)
	if req.Channel == breach.ChannelEmail {
		if err := recoverInFlight(ctx, tx, now, lock); err != nil {
			return nil, err
		}
	}
	campaigns, err := activeCampaigns(ctx, tx, req.CampaignID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, state := range []breach.DeliveryState{breach.DeliveryDeferred, breach.DeliveryQueued} {
		for _, cid := range campaigns {
			want := req.Limit - len(ids)
			if state == breach.DeliveryDeferred {
				want = max(1, req.Limit/4) - len(ids)
			}
			if want <= 0 {
				break
			}
			rows, err := tx.Query(ctx, `SELECT id FROM deliveries WHERE channel = ? AND state = ? AND campaign_id = ? AND next_at <= ?
				AND `+claimable+` ORDER BY next_at LIMIT ? `+lock, string(req.Channel), string(state), cid, now, want)
			if err != nil {
				return nil, fmt.Errorf("claim deliveries: %w", err)
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return nil, fmt.Errorf("claim deliveries: %w", err)
				}
				ids = append(ids, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, fmt.Errorf("claim deliveries: %w", err)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	args := append([]any{req.Owner, FormatSortable(tx.Now.Add(req.Lease)), FormatTime(tx.Now)}, int64Args(nil, ids)...)
	if _, err := tx.Exec(ctx, `UPDATE deliveries SET lease_owner = ?, next_at = ?, claims = claims + 1, updated_at = ?
		WHERE id IN (`+placeholders(len(ids))+`)`, args...); err != nil {
		return nil, fmt.Errorf("lease deliveries: %w", err)
	}
	return ids, nil
}

func activeCampaigns(ctx context.Context, tx *Tx, only int64) ([]int64, error) {
	q, args := `SELECT id FROM campaigns WHERE status = 'active'`, []any{}
	if only > 0 {
		q, args = q+` AND id = ?`, append(args, only)
	}
	rows, err := tx.Query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("active campaigns: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("active campaigns: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// recoverInFlight queues again the e-mails whose worker stopped while
// sending them. Each may have reached its recipient already, so each is
// counted and logged as a possible duplicate.
func recoverInFlight(ctx context.Context, tx *Tx, now, lock string) error {
	rows, err := tx.Query(ctx, `SELECT id, lease_owner FROM deliveries WHERE channel = 'email' AND state = 'sending' AND next_at <= ?
		AND `+claimable+` ORDER BY next_at LIMIT 1000 `+lock, now)
	if err != nil {
		return fmt.Errorf("find deliveries in flight: %w", err)
	}
	type lost struct {
		id    int64
		owner string
	}
	var found []lost
	for rows.Next() {
		var l lost
		if err := rows.Scan(&l.id, &l.owner); err != nil {
			rows.Close()
			return fmt.Errorf("find deliveries in flight: %w", err)
		}
		found = append(found, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find deliveries in flight: %w", err)
	}
	for _, l := range found {
		if _, err := tx.Exec(ctx, `UPDATE deliveries SET state = 'queued', recoveries = recoveries + 1, lease_owner = '', next_at = ?,
			updated_at = ? WHERE id = ? AND state = 'sending'`, now, FormatTime(tx.Now), l.id); err != nil {
			return fmt.Errorf("recover delivery %d: %w", l.id, err)
		}
		if err := addEvent(ctx, tx, &breach.DeliveryEvent{DeliveryID: l.id, At: tx.Now, Kind: breach.EventRecovered, State: breach.DeliveryQueued,
			Detail: fmt.Sprintf("was being sent by worker %s when its lease ran out; sending again: the person may receive it twice", l.owner)}); err != nil {
			return err
		}
	}
	return nil
}

// ClaimedDeliveries reads leased deliveries with their people, in ID order.
func (s *Store) ClaimedDeliveries(ctx context.Context, ids []int64) ([]*breach.Delivery, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.DB.QueryContext(ctx, s.Rebind(`SELECT `+deliveryColumns+`, `+personColumnsP+` FROM deliveries d JOIN people p ON p.id = d.person_id
		WHERE d.id IN (`+placeholders(len(ids))+`) ORDER BY d.id`), int64Args(nil, ids)...)
	if err != nil {
		return nil, fmt.Errorf("read claimed deliveries: %w", err)
	}
	defer rows.Close()
	out := make([]*breach.Delivery, 0, len(ids))
	for rows.Next() {
		var (
			p                          breach.Person
			juris, contact             string
			elements                   int64
			minor, deceased, noContact int
		)
		d, err := scanDelivery(rows, &p.ID, &p.IncidentID, &p.Email, &juris, &contact, &elements, &minor, &deceased,
			&noContact, &p.FirstBatchID, &p.BatchID)
		if err != nil {
			return nil, err
		}
		unpackContact(contact, &p)
		p.Jurisdiction, p.Elements = breach.Jurisdiction(juris), breach.ElementSet(elements)
		p.Minor, p.Deceased, p.NoContact = minor != 0, deceased != 0, noContact != 0
		d.Person = &p
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read claimed deliveries: %w", err)
	}
	return out, nil
}

const personColumnsP = `p.id, p.incident_id, p.email, p.jurisdiction, p.contact, p.elements, p.minor, p.deceased, p.no_contact,
	p.first_batch, p.batch`

// ExtendLease moves the lease of owner's deliveries among ids to until.
func (s *Store) ExtendLease(ctx context.Context, owner string, ids []int64, until time.Time) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		chunk := ids[:n]
		ids = ids[n:]
		tx, err := s.Begin(ctx)
		if err != nil {
			return err
		}
		args := append([]any{FormatSortable(until), owner}, int64Args(nil, chunk)...)
		_, err = tx.Exec(ctx, `UPDATE deliveries SET next_at = ? WHERE lease_owner = ? AND state IN ('queued', 'deferred', 'sending')
			AND id IN (`+placeholders(len(chunk))+`)`, args...)
		if err == nil {
			err = tx.Commit()
		}
		tx.Rollback()
		if err != nil {
			return fmt.Errorf("extend lease: %w", err)
		}
	}
	return nil
}

// UpdateDeliveries records results, then marks the deliveries in sending
// that owner still holds (of active campaigns) as being sent, in one
// transaction; it returns the ids marked.
func (s *Store) UpdateDeliveries(ctx context.Context, owner string, results []breach.DeliveryResult, sending []int64) ([]int64, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := RecordResults(ctx, tx, owner, results); err != nil {
		return nil, err
	}
	marked, err := MarkSending(ctx, tx, owner, sending)
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit delivery updates: %w", err)
	}
	return marked, nil
}

// MarkSending marks owner's deliveries among ids sending, inside tx, and
// returns the ids marked. The lease runs on: a worker that dies now leaves
// them sending, and the next claim after the lease finds them in flight.
func MarkSending(ctx context.Context, tx *Tx, owner string, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	now := FormatTime(tx.Now)
	args := append([]any{now, owner}, int64Args(nil, ids)...)
	res, err := tx.Exec(ctx, `UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ?
		WHERE lease_owner = ? AND state IN ('queued', 'deferred') AND id IN (`+placeholders(len(ids))+`)
		AND campaign_id IN (SELECT id FROM campaigns WHERE status = 'active')`, args...)
	if err != nil {
		return nil, fmt.Errorf("mark sending: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == int64(len(ids)) {
		return ids, nil // the usual case: every one marked, no read-back needed
	}
	// Some were not marked (a paused campaign, a lost lease): read back
	// which ones this transaction marked.
	rows, err := tx.Query(ctx, `SELECT id FROM deliveries WHERE lease_owner = ? AND state = 'sending' AND updated_at = ?
		AND id IN (`+placeholders(len(ids))+`)`, append([]any{owner, now}, int64Args(nil, ids)...)...)
	if err != nil {
		return nil, fmt.Errorf("mark sending: %w", err)
	}
	defer rows.Close()
	marked := make([]int64, 0, len(ids))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("mark sending: %w", err)
		}
		marked = append(marked, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mark sending: %w", err)
	}
	return marked, nil
}

// RecordResults applies send results inside tx. A sent result counts a
// transmission whoever holds the delivery; deferred and failed results
// change only deliveries not yet final and not taken over by another
// worker; a queued result releases a delivery owner holds but did not send.
func RecordResults(ctx context.Context, tx *Tx, owner string, results []breach.DeliveryResult) error {
	if len(results) == 0 {
		return nil
	}
	now := FormatTime(tx.Now)
	var other, release *sql.Stmt
	var sent []*breach.DeliveryResult
	defer func() {
		for _, st := range []*sql.Stmt{other, release} {
			if st != nil {
				st.Close()
			}
		}
	}()
	prepare := func(q string) (*sql.Stmt, error) {
		st, err := tx.PrepareContext(ctx, tx.store.Rebind(q))
		if err != nil {
			return nil, fmt.Errorf("prepare delivery update: %w", err)
		}
		return st, nil
	}
	var err error
	for i := range results {
		r := &results[i]
		switch r.State {
		case breach.DeliverySent:
			sent = append(sent, r)
		case breach.DeliveryQueued:
			// A release: the worker hands back a delivery it did not send.
			if release == nil {
				if release, err = prepare(`UPDATE deliveries SET state = CASE WHEN state = 'sending' THEN 'queued' ELSE state END,
					last_error = CASE WHEN ? <> '' THEN ? ELSE last_error END, next_at = ?, lease_owner = '', updated_at = ?
					WHERE id = ? AND lease_owner = ? AND state IN ('queued', 'deferred', 'sending')`); err != nil {
					return err
				}
			}
			if _, err := release.ExecContext(ctx, r.Error, r.Error, FormatSortable(tx.Now), now, r.ID, owner); err != nil {
				return fmt.Errorf("release delivery %d: %w", r.ID, err)
			}
		case breach.DeliveryDeferred, breach.DeliveryFailed:
			if other == nil {
				// Only a delivery still in our hands (or in no one's) changes.
				if other, err = prepare(`UPDATE deliveries SET state = ?, reply = ?, last_error = ?, next_at = ?, lease_owner = '',
					recoveries = recoveries + ?, message_id = CASE WHEN ? <> '' THEN ? ELSE message_id END, updated_at = ?
					WHERE id = ? AND state IN ('queued', 'deferred', 'sending') AND lease_owner IN (?, '')`); err != nil {
					return err
				}
			}
			next := r.NextAttemptAt
			if next.IsZero() {
				next = tx.Now
			}
			res, err := other.ExecContext(ctx, string(r.State), r.Reply, r.Error, FormatSortable(next), BoolInt(r.Uncertain),
				r.MessageID, r.MessageID, now, r.ID, owner)
			if err != nil {
				return fmt.Errorf("record delivery %d: %w", r.ID, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			if err := addEvent(ctx, tx, resultEvent(r, tx.Now)); err != nil {
				return err
			}
		default:
			return breach.Errorf(breach.EINVALID, "delivery %d: result state %q is not sent, deferred, failed or queued", r.ID, r.State)
		}
	}
	return recordSent(ctx, tx, sent)
}

// recordSent records accepted messages: on SQLite one prepared statement
// per row (cheap in process), on PostgreSQL up to 100 rows a statement (one
// round trip).
func recordSent(ctx context.Context, tx *Tx, sent []*breach.DeliveryResult) error {
	if len(sent) == 0 {
		return nil
	}
	now := FormatTime(tx.Now)
	const set = `state = 'sent', sends = sends + 1, last_error = '', lease_owner = '', sent_at = COALESCE(sent_at, ?), updated_at = ?`
	if tx.store.Dialect != Postgres {
		st, err := tx.PrepareContext(ctx, `UPDATE deliveries SET `+set+`, reply = ?, message_id = ?, body_sha256 = ? WHERE id = ?`)
		if err != nil {
			return fmt.Errorf("prepare sent update: %w", err)
		}
		defer st.Close()
		for _, r := range sent {
			if _, err := st.ExecContext(ctx, now, now, r.Reply, r.MessageID, r.BodySHA256, r.ID); err != nil {
				return fmt.Errorf("record sent delivery %d: %w", r.ID, err)
			}
		}
		return nil
	}
	for len(sent) > 0 {
		n := min(len(sent), 100)
		args := make([]any, 0, 2+4*n)
		args = append(args, now, now)
		for _, r := range sent[:n] {
			args = append(args, r.ID, r.Reply, r.MessageID, r.BodySHA256)
		}
		values := strings.Repeat("(CAST(? AS BIGINT), ?, ?, ?), ", n)
		if _, err := tx.Exec(ctx, `UPDATE deliveries SET `+set+`, reply = v.column2, message_id = v.column3, body_sha256 = v.column4
			FROM (VALUES `+strings.TrimSuffix(values, ", ")+`) AS v WHERE deliveries.id = v.column1`, args...); err != nil {
			return fmt.Errorf("record sent deliveries: %w", err)
		}
		sent = sent[n:]
	}
	return nil
}

func resultEvent(r *breach.DeliveryResult, now time.Time) *breach.DeliveryEvent {
	kind := string(r.State)
	detail := strings.TrimSpace(strings.Join([]string{r.Reply, r.Error}, " "))
	if r.Uncertain {
		kind = breach.EventUncertain
		detail += " (the connection failed after the message was handed over: it may have been delivered; sending again)"
	}
	return &breach.DeliveryEvent{DeliveryID: r.ID, At: now, Kind: kind, State: r.State, Detail: strings.TrimSpace(detail)}
}

// MarkBounced records a bounce of an e-mail delivery.
func (s *Store) MarkBounced(ctx context.Context, id int64, at time.Time, detail string) (bool, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.Exec(ctx, `UPDATE deliveries SET state = 'bounced', bounced_at = ?, reply = ?, lease_owner = '', updated_at = ?
		WHERE id = ? AND channel = 'email' AND state IN ('sent', 'sending', 'deferred', 'queued')`,
		FormatTime(at), detail, FormatTime(tx.Now), id)
	if err != nil {
		return false, fmt.Errorf("mark bounced: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var state string
		err := tx.QueryRow(ctx, `SELECT state FROM deliveries WHERE id = ? AND channel = 'email'`, id).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return false, breach.Errorf(breach.ENOTFOUND, "e-mail delivery %d not found", id)
		} else if err != nil {
			return false, fmt.Errorf("mark bounced: %w", err)
		}
		return false, nil
	}
	if err := addEvent(ctx, tx, &breach.DeliveryEvent{DeliveryID: id, At: at, Kind: breach.EventBounced, State: breach.DeliveryBounced, Detail: detail}); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// MarkPrinted moves letters owner holds into a print batch.
func (s *Store) MarkPrinted(ctx context.Context, owner, batch string, letters []breach.PrintedLetter) ([]int64, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var moved []int64
	for _, l := range letters {
		res, err := tx.Exec(ctx, `UPDATE deliveries SET state = 'sending', attempts = attempts + 1, print_batch = ?, body_sha256 = ?,
			lease_owner = '', next_at = ?, updated_at = ? WHERE id = ? AND channel = 'letter' AND lease_owner = ? AND state IN ('queued', 'deferred')`,
			batch, l.BodySHA256, FormatSortable(tx.Now), FormatTime(tx.Now), l.ID, owner)
		if err != nil {
			return nil, fmt.Errorf("mark printed: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		if err := addEvent(ctx, tx, &breach.DeliveryEvent{DeliveryID: l.ID, At: tx.Now, Kind: breach.EventPrinted, State: breach.DeliverySending,
			Detail: "printed in batch " + batch}); err != nil {
			return nil, err
		}
		moved = append(moved, l.ID)
	}
	return moved, tx.Commit()
}

// MarkMailed records the mailing date of a printed letter.
func (s *Store) MarkMailed(ctx context.Context, id int64, mailed time.Time, detail string) (bool, error) {
	tx, err := s.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var state, batch string
	err = tx.QueryRow(ctx, `SELECT state, print_batch FROM deliveries WHERE id = ? AND channel = 'letter'`, id).Scan(&state, &batch)
	if errors.Is(err, sql.ErrNoRows) || err == nil && batch == "" {
		return false, breach.Errorf(breach.ENOTFOUND, "letter %d not found among printed letters", id)
	} else if err != nil {
		return false, fmt.Errorf("mark mailed: %w", err)
	}
	if state != string(breach.DeliverySending) {
		return false, nil
	}
	reply := "mailed " + mailed.Format(time.DateOnly)
	if detail != "" {
		reply += " (" + detail + ")"
	}
	if _, err := tx.Exec(ctx, `UPDATE deliveries SET state = 'sent', sends = sends + 1, sent_at = ?, reply = ?, updated_at = ? WHERE id = ?`,
		FormatTime(mailed), reply, FormatTime(tx.Now), id); err != nil {
		return false, fmt.Errorf("mark mailed: %w", err)
	}
	if err := addEvent(ctx, tx, &breach.DeliveryEvent{DeliveryID: id, At: tx.Now, Kind: breach.EventMailed, State: breach.DeliverySent, Detail: reply}); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// SetClock replaces the store's clock; tests use it to move past leases
// and retry times.
func (s *Store) SetClock(now func() time.Time) { s.Now = now }
