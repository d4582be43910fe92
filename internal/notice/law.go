package notice

import (
	"sort"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

// lawReq is what the laws that apply to one recipient group require of
// the notice to individuals.
type lawReq struct {
	// required and prohibited map content items to the regimes asking.
	required   map[breach.ContentItem][]string
	prohibited map[breach.ContentItem][]string
	// regimes are the rules requiring notice to the group's people.
	regimes  []string
	headings []ruleHeadings
	// idpMonths is the longest free identity protection a rule requires
	// for this group, and idpRegime the rule.
	idpMonths int
	idpRegime string
	minFontPt int
}

type ruleHeadings struct {
	regime   string
	title    string
	headings []string
}

// requirements evaluates the law for one group: each group is assessed
// on its own, so the notice of a Texan with an SSN carries what Texas and
// the federal rules ask for that set of elements, and nothing else.
func requirements(reg *law.Registry, f *Facts, g breach.StatGroup, now time.Time) (*lawReq, error) {
	req := &lawReq{required: map[breach.ContentItem][]string{}, prohibited: map[breach.ContentItem][]string{}}
	if g.Jurisdiction == "" || reg == nil {
		return req, nil
	}
	count := g.Count
	if count == 0 {
		count = 1
	}
	plan, err := reg.Assess(law.FactsFromIncident(f.Incident, f.Org.Sectors), []breach.StatGroup{{Jurisdiction: g.Jurisdiction, Elements: g.Elements, Count: count}}, now)
	if err != nil {
		return nil, err
	}
	for _, o := range plan.Obligations {
		if o.Audience != law.AudienceIndividuals || !o.Required {
			continue
		}
		req.regimes = append(req.regimes, o.Regime)
		for _, it := range o.ContentRequired {
			req.required[breach.ContentItem(it)] = appendOnce(req.required[breach.ContentItem(it)], o.Regime)
		}
		for _, it := range o.ContentProhibited {
			req.prohibited[breach.ContentItem(it)] = appendOnce(req.prohibited[breach.ContentItem(it)], o.Regime)
		}
		if o.IdentityProtectionMonths > req.idpMonths {
			req.idpMonths, req.idpRegime = o.IdentityProtectionMonths, o.Regime
		}
		if r, err := reg.Rule(o.Regime); err == nil {
			if r.Content.Title != "" || len(r.Content.Headings) > 0 {
				req.headings = append(req.headings, ruleHeadings{regime: r.ID, title: r.Content.Title, headings: r.Content.Headings})
			}
			if r.Content.MinFontPt > req.minFontPt {
				req.minFontPt = r.Content.MinFontPt
			}
		}
	}
	sort.Strings(req.regimes)
	return req, nil
}

func appendOnce(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}
