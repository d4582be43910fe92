package law

import (
	"sort"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// Registry holds a validated set of rules and finds them by id or by the
// jurisdiction of the people they protect. It is read-only once built.
type Registry struct {
	rules []*Rule
	byID  map[string]*Rule
	// byJurisdiction maps each code a rule lists ("US", "US-TX", "DE") to
	// the rules listing it.
	byJurisdiction map[string][]*Rule
}

// NewRegistry indexes rules. Ids must be unique (case-insensitively); a
// duplicate is an EINVALID error.
func NewRegistry(rules []*Rule) (*Registry, error) {
	if errs := checkUnique(rules); len(errs) > 0 {
		return nil, &loadError{errs: errs}
	}
	reg := &Registry{
		rules:          append([]*Rule(nil), rules...),
		byID:           make(map[string]*Rule, len(rules)),
		byJurisdiction: make(map[string][]*Rule),
	}
	sort.Slice(reg.rules, func(i, j int) bool { return ruleLess(reg.rules[i], reg.rules[j]) })
	for _, r := range reg.rules {
		r.compile()
		reg.byID[strings.ToLower(r.ID)] = r
		for _, j := range r.Jurisdictions {
			reg.byJurisdiction[j] = append(reg.byJurisdiction[j], r)
		}
	}
	return reg, nil
}

// ruleLess orders US states first, then federal and sector rules, then
// other countries, each by id.
func ruleLess(a, b *Rule) bool {
	if ka, kb := kindRank(a.Kind), kindRank(b.Kind); ka != kb {
		return ka < kb
	}
	return a.ID < b.ID
}

func kindRank(kind string) int {
	switch kind {
	case KindState:
		return 0
	case KindFederal:
		return 1
	case KindSector:
		return 2
	default:
		return 3
	}
}

// Rules returns every rule: US states and territories, then federal and
// sector rules, then other countries.
func (reg *Registry) Rules() []*Rule { return append([]*Rule(nil), reg.rules...) }

// Rule returns the rule with the id (any case), or ENOTFOUND.
func (reg *Registry) Rule(id string) (*Rule, error) {
	if r, ok := reg.byID[strings.ToLower(strings.TrimSpace(id))]; ok {
		return r, nil
	}
	return nil, breach.Errorf(breach.ENOTFOUND, "no rule %q (see `candor law list`)", id)
}

// ForJurisdiction returns the rules that protect residents of j: those
// listing j itself or its country ("US" rules cover "US-TX"), in registry
// order.
func (reg *Registry) ForJurisdiction(j breach.Jurisdiction) []*Rule {
	var out []*Rule
	seen := make(map[*Rule]bool)
	for _, code := range []string{string(j), j.Country()} {
		for _, r := range reg.byJurisdiction[code] {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return ruleLess(out[a], out[b]) })
	return out
}

// Lookup finds rules by id ("US-CA", "eu_gdpr") or, failing that, by the
// jurisdiction they protect ("DE" finds eu_gdpr). ENOTFOUND when neither
// matches.
func (reg *Registry) Lookup(s string) ([]*Rule, error) {
	if r, err := reg.Rule(s); err == nil {
		return []*Rule{r}, nil
	}
	j := breach.Jurisdiction(strings.ToUpper(strings.TrimSpace(s)))
	if j.Validate() == nil {
		if rules := reg.ForJurisdiction(j); len(rules) > 0 {
			return rules, nil
		}
	}
	return nil, breach.Errorf(breach.ENOTFOUND, "no rule or jurisdiction %q (see `candor law list`)", s)
}

// match returns the code of r's jurisdictions that covers j, preferring the
// most specific ("US-NY" over "US"), or "".
func (r *Rule) match(j breach.Jurisdiction) string {
	best := ""
	for _, code := range r.Jurisdictions {
		if (string(j) == code || strings.HasPrefix(string(j), code+"-")) && len(code) > len(best) {
			best = code
		}
	}
	return best
}

// AppliesTo reports whether the rule covers an entity in the given
// sectors: rules with no applies_to_sectors cover everyone.
func (r *Rule) AppliesTo(sectors []string) bool {
	if len(r.AppliesToSectors) == 0 {
		return true
	}
	for _, s := range sectors {
		if contains(r.AppliesToSectors, s) {
			return true
		}
	}
	return false
}
