package deliver

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

// UnreachableReport lists the people of a campaign whom nothing is on its
// way to, by jurisdiction, with each law's deadline for notifying them and
// the substitute notice it allows instead.
type UnreachableReport struct {
	IncidentID int64  `json:"incident_id"`
	Campaign   string `json:"campaign"`
	Total      int    `json:"total"`
	// Groups are the unreached people by jurisdiction, the soonest
	// deadline first.
	Groups     []UnreachableGroup `json:"groups"`
	Disclaimer string             `json:"disclaimer"`
}

// UnreachableGroup is the unreached people of one jurisdiction.
type UnreachableGroup struct {
	Jurisdiction breach.Jurisdiction `json:"jurisdiction"`
	Count        int                 `json:"count"`
	// People are external ids (or e-mail addresses) with why they are
	// unreached.
	People []UnreachedPerson `json:"people"`
	// Laws are the notice-to-individuals obligations that cover them.
	Laws []LawDeadline `json:"laws"`
	// Soonest is the earliest deadline (or target) among Laws.
	Soonest *law.Date `json:"soonest,omitempty"`
}

// UnreachedPerson is one person nothing reaches.
type UnreachedPerson struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// LawDeadline is one law's duty to notify, and its way out when the people
// cannot be reached.
type LawDeadline struct {
	Regime   string `json:"regime"`
	Name     string `json:"name"`
	Citation string `json:"citation"`
	// Deadline is the legal deadline, nil when the law says "without
	// unreasonable delay"; Target is then the recommended date.
	Deadline     *law.Date `json:"deadline,omitempty"`
	Target       *law.Date `json:"target,omitempty"`
	DeadlineText string    `json:"deadline_text"`
	// DaysLeft counts days from today to the deadline or target
	// (negative when past).
	DaysLeft int `json:"days_left"`
	// Substitute is the substitute notice the law allows (conditions and
	// means), "" when it provides none.
	Substitute string   `json:"substitute,omitempty"`
	Methods    []string `json:"methods,omitempty"`
}

// Unreachable builds the report for a campaign. now dates "days left".
func Unreachable(ctx context.Context, s Store, reg *law.Registry, c *breach.Campaign, now time.Time) (*UnreachableReport, error) {
	inc, err := s.FindIncidentByID(ctx, c.IncidentID)
	if err != nil {
		return nil, err
	}
	var sectors []string
	if org, err := s.Organization(ctx); err == nil {
		sectors = org.Sectors
	}
	rep := &UnreachableReport{IncidentID: c.IncidentID, Campaign: c.Name, Groups: []UnreachableGroup{}, Disclaimer: law.Disclaimer}
	byJuris := map[breach.Jurisdiction]*UnreachableGroup{}
	// The people and their groups (jurisdiction × elements) for the engine.
	counts := map[breach.StatGroup]int64{}
	after := int64(0)
	for {
		people, err := s.UnreachedPeople(ctx, c.ID, after, 1000)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			g := byJuris[p.Jurisdiction]
			if g == nil {
				g = &UnreachableGroup{Jurisdiction: p.Jurisdiction, People: []UnreachedPerson{}, Laws: []LawDeadline{}}
				byJuris[p.Jurisdiction] = g
			}
			g.Count++
			g.People = append(g.People, UnreachedPerson{ID: personLabel(p), Reason: unreachedReason(p)})
			counts[breach.StatGroup{Jurisdiction: p.Jurisdiction, Elements: p.Elements}]++
			rep.Total++
			after = p.ID
		}
		if len(people) < 1000 {
			break
		}
	}
	if rep.Total == 0 {
		return rep, nil
	}
	var population []breach.StatGroup
	for g, n := range counts {
		g.Count = n
		population = append(population, g)
	}
	sort.Slice(population, func(i, j int) bool {
		a, b := population[i], population[j]
		return a.Jurisdiction < b.Jurisdiction || a.Jurisdiction == b.Jurisdiction && a.Elements < b.Elements
	})
	plan, err := reg.Assess(law.FactsFromIncident(inc, sectors), population, now)
	if err != nil {
		return nil, err
	}
	today := law.DateOf(now.In(inc.Location()))
	for _, o := range plan.Obligations {
		if o.Audience != "individuals" || !o.Required {
			continue
		}
		ld := LawDeadline{Regime: o.Regime, Name: o.RegimeName, Citation: o.Citation, Deadline: o.Deadline, Target: o.Target,
			DeadlineText: o.DeadlineText, Methods: o.Methods}
		if r, err := reg.Rule(o.Regime); err == nil {
			ld.Substitute = r.SubstituteNotice
		}
		if due := ld.due(); due != nil {
			ld.DaysLeft = today.DaysUntil(*due)
		}
		for j, g := range byJuris {
			if covers(o.Jurisdiction, j) {
				g.Laws = append(g.Laws, ld)
				if due := ld.due(); due != nil && (g.Soonest == nil || due.Before(*g.Soonest)) {
					d := *due
					g.Soonest = &d
				}
			}
		}
	}
	for _, g := range byJuris {
		rep.Groups = append(rep.Groups, *g)
	}
	sort.Slice(rep.Groups, func(i, j int) bool {
		a, b := rep.Groups[i], rep.Groups[j]
		switch {
		case a.Soonest != nil && b.Soonest != nil && *a.Soonest != *b.Soonest:
			return a.Soonest.Before(*b.Soonest)
		case (a.Soonest == nil) != (b.Soonest == nil):
			return a.Soonest != nil
		}
		return a.Jurisdiction < b.Jurisdiction
	})
	return rep, nil
}

func (ld LawDeadline) due() *law.Date {
	if ld.Deadline != nil {
		return ld.Deadline
	}
	return ld.Target
}

// covers reports whether an obligation's jurisdiction ("US", "US-TX", "DE")
// covers a person's.
func covers(code string, j breach.Jurisdiction) bool {
	return code == string(j) || strings.HasPrefix(string(j), code+"-")
}

func personLabel(p *breach.Person) string {
	switch {
	case p.ExternalID != "":
		return p.ExternalID
	case p.Email != "":
		return p.Email
	}
	return p.Name()
}

func unreachedReason(p *breach.Person) string {
	switch {
	case p.Email != "" && p.Address.Mailable():
		return "e-mail and letter both failed or not queued"
	case p.Email != "":
		return "e-mail bounced or failed; no mailable postal address"
	case p.Address.Mailable():
		return "no e-mail; letter failed or not queued"
	}
	return "no e-mail and no mailable postal address"
}
