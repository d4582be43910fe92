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
const PersonColumns = `incident_id, pkey, external_id, first_name, last_name, email, phone, line1, line2, city, region,
	postal_code, country, jurisdiction, locale, elements, minor, deceased, no_contact, content_hash, first_batch, batch`

// PersonArgs returns the values of PersonColumns for one import row.
func PersonArgs(dst []any, incidentID, batchID int64, r *breach.ImportRow) []any {
	p := &r.Person
	return append(dst[:0], incidentID, r.Key, p.ExternalID, p.FirstName, p.LastName, p.Email, p.Phone,
		p.Address.Line1, p.Address.Line2, p.Address.City, p.Address.Region, p.Address.PostalCode, p.Address.Country,
		string(p.Jurisdiction), p.Locale, int64(p.Elements), BoolInt(p.Minor), BoolInt(p.Deceased), BoolInt(p.NoContact),
		r.Hash, batchID, batchID)
}

// UpsertConflict returns the ON CONFLICT clause of the import upsert, shared
// by both backends. A row of the same batch seen again (in a later chunk) is
// merged: elements and flags united, empty fields filled. A row from an
// earlier batch is replaced and marked changed or unchanged by its hash.
func UpsertConflict() string {
	return ` ON CONFLICT (incident_id, pkey) DO UPDATE SET
	external_id  = ` + keep("external_id") + `,
	first_name   = ` + keep("first_name") + `,
	last_name    = ` + keep("last_name") + `,
	email        = ` + keep("email") + `,
	phone        = ` + keep("phone") + `,
	line1        = ` + keep("line1") + `,
	line2        = ` + keep("line2") + `,
	city         = ` + keep("city") + `,
	region       = ` + keep("region") + `,
	postal_code  = ` + keep("postal_code") + `,
	country      = ` + keep("country") + `,
	jurisdiction = ` + keep("jurisdiction") + `,
	locale       = ` + keep("locale") + `,
	elements     = CASE WHEN people.batch = excluded.batch THEN people.elements | excluded.elements ELSE excluded.elements END,
	minor        = CASE WHEN people.batch = excluded.batch AND people.minor = 1 THEN 1 ELSE excluded.minor END,
	deceased     = CASE WHEN people.batch = excluded.batch AND people.deceased = 1 THEN 1 ELSE excluded.deceased END,
	no_contact   = CASE WHEN people.batch = excluded.batch AND people.no_contact = 1 THEN 1 ELSE excluded.no_contact END,
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

const personSelect = `SELECT id, incident_id, external_id, first_name, last_name, email, phone, line1, line2, city, region,
	postal_code, country, jurisdiction, locale, elements, minor, deceased, no_contact, first_batch, batch FROM people`

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
	where, args := []string{"incident_id = ?"}, []any{filter.IncidentID}
	if filter.ExternalID != "" {
		where, args = append(where, "pkey = ?"), append(args, "id:"+filter.ExternalID)
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
		juris                      string
		elements                   int64
		minor, deceased, noContact int
	)
	if err := rows.Scan(&p.ID, &p.IncidentID, &p.ExternalID, &p.FirstName, &p.LastName, &p.Email, &p.Phone,
		&p.Address.Line1, &p.Address.Line2, &p.Address.City, &p.Address.Region, &p.Address.PostalCode, &p.Address.Country,
		&juris, &p.Locale, &elements, &minor, &deceased, &noContact, &p.FirstBatchID, &p.BatchID); err != nil {
		return nil, fmt.Errorf("scan person: %w", err)
	}
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
