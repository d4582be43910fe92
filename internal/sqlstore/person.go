package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// PersonColumns are the people columns an import writes, in the order of
// PersonArgs.
const PersonColumns = `incident_id, pkey, email, jurisdiction, contact, elements, minor, deceased, no_contact,
	mailable, content_hash, first_batch, batch`

// PersonColumnCount is the number of PersonColumns.
const PersonColumnCount = 13

// PersonArgs appends the values of PersonColumns for one import row to dst[:0].
func PersonArgs(dst []any, incidentID, batchID int64, r *breach.ImportRow) []any {
	p := &r.Person
	return append(dst, incidentID, r.Key, p.Email, string(p.Jurisdiction), PackContact(p), int64(p.Elements),
		BoolInt(p.Minor), BoolInt(p.Deceased), BoolInt(p.NoContact), BoolInt(p.Address.Mailable()), r.Hash, batchID, batchID)
}

// contactSep separates the packed contact fields (ASCII unit separator,
// which the importer never lets into a field).
const contactSep = "\x1f"

// PackContact joins the fields stored in the contact column.
func PackContact(p *breach.Person) string {
	a := &p.Address
	fields := [...]string{p.ExternalID, p.FirstName, p.LastName, p.Phone, a.Line1, a.Line2, a.City, a.Region,
		a.PostalCode, a.Country, p.Locale}
	n := len(fields) - 1
	for _, f := range fields {
		n += len(f)
	}
	var b strings.Builder
	b.Grow(n)
	for i, f := range fields {
		if i > 0 {
			b.WriteString(contactSep)
		}
		if strings.Contains(f, contactSep) {
			f = strings.ReplaceAll(f, contactSep, " ")
		}
		b.WriteString(f)
	}
	return b.String()
}

// unpackContact is the inverse of PackContact.
func unpackContact(s string, p *breach.Person) {
	f := strings.Split(s, contactSep)
	for len(f) < 11 {
		f = append(f, "")
	}
	a := &p.Address
	p.ExternalID, p.FirstName, p.LastName, p.Phone = f[0], f[1], f[2], f[3]
	a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country, p.Locale = f[4], f[5], f[6], f[7], f[8], f[9], f[10]
}

// UpsertConflict returns the ON CONFLICT clause of the import upsert, shared
// by both backends. A row of the same batch seen again in a later chunk is
// merged: elements and flags united, the first row's contact details kept
// (rows inside one chunk are merged field by field by the importer). A row
// from an earlier batch is replaced and marked changed or unchanged by its
// content hash.
func UpsertConflict() string {
	return ` ON CONFLICT (incident_id, pkey) DO UPDATE SET
	email        = ` + keep("email") + `,
	jurisdiction = ` + keep("jurisdiction") + `,
	contact      = CASE WHEN people.batch = excluded.batch THEN people.contact ELSE excluded.contact END,
	elements     = CASE WHEN people.batch = excluded.batch THEN people.elements | excluded.elements ELSE excluded.elements END,
	minor        = CASE WHEN people.batch = excluded.batch AND people.minor = 1 THEN 1 ELSE excluded.minor END,
	deceased     = CASE WHEN people.batch = excluded.batch AND people.deceased = 1 THEN 1 ELSE excluded.deceased END,
	no_contact   = CASE WHEN people.batch = excluded.batch AND people.no_contact = 1 THEN 1 ELSE excluded.no_contact END,
	mailable     = CASE WHEN people.batch = excluded.batch THEN people.mailable ELSE excluded.mailable END,
	change       = CASE WHEN people.batch = excluded.batch THEN people.change
	                    WHEN people.content_hash = excluded.content_hash THEN 'u' ELSE 'c' END,
	dup_count    = CASE WHEN people.batch = excluded.batch THEN people.dup_count + 1 ELSE 0 END,
	content_hash = CASE WHEN people.batch = excluded.batch THEN people.content_hash ELSE excluded.content_hash END,
	batch        = excluded.batch`
}

// keep keeps the stored value of col when the row is merged within a batch
// and the stored value is not empty; otherwise the new value wins.
func keep(col string) string {
	return "CASE WHEN people.batch = excluded.batch AND people." + col + " <> '' THEN people." + col + " ELSE excluded." + col + " END"
}

const personSelect = `SELECT id, incident_id, email, jurisdiction, contact, elements, minor, deceased, no_contact,
	first_batch, batch FROM people`

// FindPerson returns the person with externalID in incidentID, or ENOTFOUND.
func (s *Store) FindPerson(ctx context.Context, incidentID int64, externalID string) (*breach.Person, error) {
	people, err := s.FindPeople(ctx, breach.PersonFilter{IncidentID: incidentID, ExternalID: externalID, Limit: 1})
	if err != nil {
		return nil, err
	} else if len(people) == 0 {
		return nil, breach.Errorf(breach.ENOTFOUND, "person %q not found in incident %d", externalID, incidentID)
	}
	return people[0], nil
}

// FindPeople returns people matching filter in ID order.
func (s *Store) FindPeople(ctx context.Context, filter breach.PersonFilter) ([]*breach.Person, error) {
	// Without a key to look up, "+incident_id" keeps the planner off the
	// (incident_id, pkey) index so that pages are read in id order from the
	// primary key instead of sorting the whole incident for every page.
	where, args := []string{"+incident_id = ?"}, []any{filter.IncidentID}
	if filter.ExternalID != "" {
		where, args = []string{"incident_id = ?", "pkey = ?"}, append(args, "id:"+filter.ExternalID)
	}
	if filter.Email != "" {
		where, args = append(where, "email = ?"), append(args, strings.ToLower(strings.TrimSpace(filter.Email)))
	}
	if filter.Jurisdiction != "" {
		where, args = append(where, "jurisdiction = ?"), append(args, string(filter.Jurisdiction))
	}
	if filter.AddedAfterBatch > 0 {
		where, args = append(where, "first_batch > ?"), append(args, filter.AddedAfterBatch)
	}
	if filter.AfterID > 0 {
		where, args = append(where, "id > ?"), append(args, filter.AfterID)
	}
	limit := filter.Limit
	if limit <= 0 {
		limit = 100
	}
	q := s.Rebind(personSelect + ` WHERE ` + strings.Join(where, " AND ") + fmt.Sprintf(` ORDER BY id LIMIT %d`, limit))
	rows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query people: %w", err)
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
		return nil, fmt.Errorf("query people: %w", err)
	}
	return out, nil
}

func scanPerson(rows *sql.Rows) (*breach.Person, error) {
	var (
		p                          breach.Person
		juris, contact             string
		elements                   int64
		minor, deceased, noContact int
	)
	if err := rows.Scan(&p.ID, &p.IncidentID, &p.Email, &juris, &contact, &elements, &minor, &deceased, &noContact,
		&p.FirstBatchID, &p.BatchID); err != nil {
		return nil, fmt.Errorf("scan person: %w", err)
	}
	unpackContact(contact, &p)
	p.Jurisdiction, p.Elements = breach.Jurisdiction(juris), breach.ElementSet(elements)
	p.Minor, p.Deceased, p.NoContact = minor != 0, deceased != 0, noContact != 0
	return &p, nil
}

// PersonStats counts the incident's people by jurisdiction × element set.
func (s *Store) PersonStats(ctx context.Context, incidentID int64) (*breach.PersonStats, error) {
	rows, err := s.DB.QueryContext(ctx, s.Rebind(`SELECT jurisdiction, elements, COUNT(*) FROM people
		WHERE incident_id = ? GROUP BY jurisdiction, elements ORDER BY jurisdiction, elements`), incidentID)
	if err != nil {
		return nil, fmt.Errorf("person stats: %w", err)
	}
	defer rows.Close()
	stats := &breach.PersonStats{Groups: []breach.StatGroup{}}
	for rows.Next() {
		var (
			g        breach.StatGroup
			juris    string
			elements int64
		)
		if err := rows.Scan(&juris, &elements, &g.Count); err != nil {
			return nil, fmt.Errorf("person stats: %w", err)
		}
		g.Jurisdiction, g.Elements = breach.Jurisdiction(juris), breach.ElementSet(elements)
		stats.Total += g.Count
		stats.Groups = append(stats.Groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("person stats: %w", err)
	}
	return stats, nil
}
