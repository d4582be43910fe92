package notice

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/mail"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

// Store is what the notice package needs from a database.
type Store interface {
	breach.OrganizationStore
	breach.IncidentStore
	breach.PersonStore
	breach.NoticeStore
	breach.RemedyStore
	breach.AuditStore
}

// Facts is everything a notice is built from besides its template and the
// person: the organisation, the incident, the signer and measures, the
// remedy programmes and the affected population.
type Facts struct {
	Org      *breach.Organization
	Incident *breach.Incident
	Settings *breach.NoticeSettings
	// IDP and Offer are nil when the incident has no such programme.
	IDP   *breach.RemedyProgram
	Offer *breach.RemedyProgram
	// Stats is the population by jurisdiction × element set.
	Stats *breach.PersonStats
}

// LoadFacts reads the facts of an incident from the store.
func LoadFacts(ctx context.Context, s Store, incidentID int64) (*Facts, error) {
	inc, err := s.FindIncidentByID(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	org, err := s.Organization(ctx)
	if err != nil {
		return nil, err
	}
	settings, err := s.NoticeSettings(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	progs, err := s.RemedyPrograms(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	stats, err := s.PersonStats(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	f := &Facts{Org: org, Incident: inc, Settings: settings, Stats: stats}
	for _, p := range progs {
		switch p.Kind {
		case breach.RemedyIDP:
			f.IDP = p
		case breach.RemedyOffer:
			f.Offer = p
		}
	}
	return f, nil
}

// siteURL is the organisation's one official website.
func (f *Facts) siteURL() string { return "https://" + f.Org.PrimaryDomain }

// brand is the organisation's everyday name.
func (f *Facts) brand() string {
	if f.Org.Brand != "" {
		return f.Org.Brand
	}
	return f.Org.LegalName
}

// factProblems checks facts that every notice relies on, whatever the
// template says: a sender and a reply address on the organisation's own
// domains, and remedy links on them too.
func (f *Facts) factProblems() []string {
	var out []string
	o := f.Org
	if o.SenderAddress == "" {
		out = append(out, "the organization has no sender address: run `candor org set --sender \"Name <notices@"+o.PrimaryDomain+">\"`")
	} else if a, err := mail.ParseAddress(o.SenderAddress); err != nil || !o.OwnsAddress(a.Address) {
		out = append(out, fmt.Sprintf("the sender address %q is not on %s", o.SenderAddress, o.PrimaryDomain))
	}
	if o.SupportEmail == "" {
		out = append(out, "the organization has no support e-mail for Reply-To: run `candor org set --support-email`")
	} else if a, err := mail.ParseAddress(o.SupportEmail); err != nil || !o.OwnsAddress(a.Address) {
		out = append(out, fmt.Sprintf("the support e-mail %q is not on the organization's own domains: replies must reach you, not a third party", o.SupportEmail))
	}
	for _, p := range []*breach.RemedyProgram{f.IDP, f.Offer} {
		if p == nil {
			continue
		}
		u, err := url.Parse(p.URL)
		if err != nil || u.Scheme != "https" || !o.OwnsHost(u.Hostname()) {
			out = append(out, fmt.Sprintf("the %s link %s must be an https link on %s or an allowed domain: people are taught to trust only your own site",
				kindWord(p.Kind), p.URL, o.PrimaryDomain))
		}
	}
	return out
}

func kindWord(kind string) string {
	if kind == breach.RemedyIDP {
		return "identity-protection enrolment"
	}
	return "offer"
}

// snapshot is the part of the facts that an approval covers.
type snapshot struct {
	Incident struct {
		ID                  int64             `json:"id"`
		Title               string            `json:"title"`
		DiscoveredAt        time.Time         `json:"discovered_at"`
		OccurredFrom        *time.Time        `json:"occurred_from"`
		OccurredTo          *time.Time        `json:"occurred_to"`
		ContainedAt         *time.Time        `json:"contained_at"`
		TimeZone            string            `json:"time_zone"`
		WhatHappened        string            `json:"what_happened"`
		Cause               string            `json:"cause"`
		Elements            breach.ElementSet `json:"elements"`
		Encrypted           bool              `json:"encrypted"`
		KeyCompromised      bool              `json:"key_compromised"`
		HarmLikely          breach.Tristate   `json:"harm_likely"`
		LawEnforcementDelay bool              `json:"law_enforcement_delay"`
		LawEnforcementNote  string            `json:"law_enforcement_note"`
	} `json:"incident"`
	Org         *breach.Organization `json:"org"`
	SignerName  string               `json:"signer_name"`
	SignerTitle string               `json:"signer_title"`
	Steps       []string             `json:"steps"`
	Programs    []program            `json:"programs"`
	People      int64                `json:"people"`
	Groups      []string             `json:"groups"`
}

type program struct {
	Kind, Provider, Description, URL, Deadline string
	Months                                     int
}

// Hash returns the hex SHA-256 of the facts an approval covers. Status
// changes and timestamps do not count; every word a notice can show does,
// and so does the population (a new recipient group is a new variant).
func (f *Facts) Hash() string {
	var s snapshot
	inc := f.Incident
	si := &s.Incident
	si.ID, si.Title, si.DiscoveredAt, si.OccurredFrom, si.OccurredTo = inc.ID, inc.Title, inc.DiscoveredAt.UTC(), utcPtr(inc.OccurredFrom), utcPtr(inc.OccurredTo)
	si.ContainedAt, si.TimeZone, si.WhatHappened, si.Cause, si.Elements = utcPtr(inc.ContainedAt), inc.TimeZone, inc.WhatHappened, inc.Cause, inc.Elements
	si.Encrypted, si.KeyCompromised, si.HarmLikely = inc.Encrypted, inc.KeyCompromised, inc.HarmLikely
	si.LawEnforcementDelay, si.LawEnforcementNote = inc.LawEnforcementDelay, inc.LawEnforcementNote
	s.Org = f.Org
	if f.Settings != nil {
		s.SignerName, s.SignerTitle, s.Steps = f.Settings.SignerName, f.Settings.SignerTitle, f.Settings.Steps
	}
	for _, p := range []*breach.RemedyProgram{f.IDP, f.Offer} {
		if p != nil {
			s.Programs = append(s.Programs, program{p.Kind, p.Provider, p.Description, p.URL, p.Deadline, p.Months})
		}
	}
	if f.Stats != nil {
		s.People = f.Stats.Total
		for _, g := range f.Stats.Groups {
			s.Groups = append(s.Groups, string(g.Jurisdiction)+"|"+g.Elements.String())
		}
		sort.Strings(s.Groups)
	}
	b, _ := json.Marshal(&s)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// RulesVersion returns a digest of every embedded law rule file: a change
// to any rule voids approvals made under the old rules.
func RulesVersion() (string, error) {
	fsys := law.RulesFS()
	h := sha256.New()
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("rules version: %w", err)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return "", fmt.Errorf("rules version: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// dateIn formats t as a date in the incident's zone.
func (f *Facts) dateIn(l *lang, t time.Time) string {
	return l.date(l, t.In(f.Incident.Location()))
}

// breachDates phrases when the breach happened, or "" when unknown.
func (f *Facts) breachDates(l *lang) string {
	inc := f.Incident
	switch {
	case inc.OccurredFrom == nil:
		return ""
	case inc.OccurredTo == nil:
		return fmt.Sprintf(l.since, f.dateIn(l, *inc.OccurredFrom))
	}
	from, to := f.dateIn(l, *inc.OccurredFrom), f.dateIn(l, *inc.OccurredTo)
	if from == to {
		return fmt.Sprintf(l.on, from)
	}
	return fmt.Sprintf(l.between, from, to)
}

// orgAddress is the organisation's address on one line.
func (f *Facts) orgAddress() string {
	a := f.Org.Address
	var parts []string
	for _, s := range []string{a.Line1, a.Line2, a.City, strings.TrimSpace(a.Region + " " + a.PostalCode)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// parseDate parses a calendar date such as 2027-03-31.
func parseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }
