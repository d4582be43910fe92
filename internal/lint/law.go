package lint

import (
	"fmt"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

// LawRequirements adapts one rule of the law engine: its content section
// (required items with their conditions, prohibited items, headings and
// title) and its identity-protection duty.
func LawRequirements(r *law.Rule) (Requirements, error) {
	req := Requirements{
		Jurisdiction:     r.ID,
		Headings:         r.Content.Headings,
		Title:            r.Content.Title,
		ProtectionMonths: r.IdentityProtection.Months,
	}
	if len(r.Citations) > 0 {
		req.Citation = r.Citations[0]
	}
	for _, c := range r.Content.Items {
		item := breach.ContentItem(c.Item)
		req.Required = append(req.Required, item)
		if len(c.When) > 0 {
			set, err := breach.ParseElementSet(strings.Join(c.When, ","))
			if err != nil {
				return req, fmt.Errorf("law rule %s content %s when: %w", r.ID, c.Item, err)
			}
			if req.When == nil {
				req.When = map[breach.ContentItem]breach.ElementSet{}
			}
			req.When[item] = set
		}
	}
	for _, c := range r.Content.Prohibited {
		req.Prohibited = append(req.Prohibited, breach.ContentItem(c))
	}
	if len(r.IdentityProtection.When) > 0 {
		set, err := breach.ParseElementSet(strings.Join(r.IdentityProtection.When, ","))
		if err != nil {
			return req, fmt.Errorf("law rule %s identity_protection.when: %w", r.ID, err)
		}
		req.ProtectionWhen = set
	}
	return req, req.Validate()
}
