package breach

import (
	"strings"
)

// Person is one individual affected by an incident. Candor keeps what it
// needs to reach and notify them and which data elements of theirs were
// exposed, never the exposed values themselves.
type Person struct {
	ID         int64   `json:"id"`
	IncidentID int64   `json:"incident_id"`
	ExternalID string  `json:"external_id,omitempty"`
	FirstName  string  `json:"first_name,omitempty"`
	LastName   string  `json:"last_name,omitempty"`
	Email      string  `json:"email,omitempty"`
	Phone      string  `json:"phone,omitempty"`
	Address    Address `json:"address"`
	// Jurisdiction is derived from the address: "US-TX", "DE", "CA-QC".
	Jurisdiction Jurisdiction `json:"jurisdiction"`
	// Locale is a BCP 47 tag for the notice language, such as "en" or "es".
	Locale    string     `json:"locale,omitempty"`
	Elements  ElementSet `json:"elements"`
	Minor     bool       `json:"minor,omitempty"`
	Deceased  bool       `json:"deceased,omitempty"`
	NoContact bool       `json:"no_contact,omitempty"`
	// FirstBatchID is the import that added the person; BatchID the import
	// that last saw them. Later work compares FirstBatchID with the batch at
	// the time of the first notice to find people added since.
	FirstBatchID int64 `json:"first_batch_id"`
	BatchID      int64 `json:"batch_id"`
}

// Name returns the person's full name, or "" when unknown.
func (p *Person) Name() string {
	return strings.TrimSpace(p.FirstName + " " + p.LastName)
}

// Key returns the identity used to merge duplicates: the external id when
// there is one, else the normalised e-mail, else the name and address.
func (p *Person) Key() string {
	switch {
	case p.ExternalID != "":
		return "id:" + p.ExternalID
	case p.Email != "":
		return "email:" + strings.ToLower(p.Email)
	default:
		return "addr:" + strings.ToLower(p.Name()+"|"+p.Address.Line1+"|"+p.Address.PostalCode+"|"+p.Address.Country)
	}
}

// Reachable reports whether the person can be sent a notice by e-mail or
// post.
func (p *Person) Reachable() bool {
	return p.Email != "" || p.Address.Mailable()
}

// Validate checks what every stored person must have.
func (p *Person) Validate() error {
	if p.ExternalID == "" && p.Email == "" && (p.Name() == "" || p.Address.Line1 == "") {
		return Errorf(EINVALID, "person: needs an external id, an e-mail address, or a name with a postal address")
	}
	if p.Elements == 0 {
		return Errorf(EINVALID, "person: no exposed data elements")
	}
	if !p.Elements.Valid() {
		return Errorf(EINVALID, "person: unknown data elements")
	}
	if p.Jurisdiction != "" {
		if err := p.Jurisdiction.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// PersonFilter selects people of one incident.
type PersonFilter struct {
	IncidentID   int64
	ExternalID   string
	Email        string
	Jurisdiction Jurisdiction
	// AddedAfterBatch selects people first imported after that batch.
	AddedAfterBatch int64
	AfterID         int64 // keyset pagination: people with ID > AfterID
	Limit           int
}

// StatGroup counts the people of one jurisdiction with one exact set of
// exposed elements: the unit the law engine evaluates.
type StatGroup struct {
	Jurisdiction Jurisdiction `json:"jurisdiction"`
	Elements     ElementSet   `json:"elements"`
	Count        int64        `json:"count"`
}

// PersonStats summarises an incident's affected population.
type PersonStats struct {
	Total  int64       `json:"total"`
	Groups []StatGroup `json:"groups"`
}
