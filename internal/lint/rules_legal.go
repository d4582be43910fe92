package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// Requirements is what one jurisdiction's law says a notice to its
// residents must and must not contain. The CLI fills it from the law
// engine; the linter takes it as plain values.
type Requirements struct {
	// Jurisdiction is the regime's ID, such as "US-CA".
	Jurisdiction string
	// Citation is the statute, for messages ("Cal. Civ. Code § 1798.82").
	Citation string
	// Required and Prohibited are content items of breach.ContentItems.
	Required   []breach.ContentItem
	Prohibited []breach.ContentItem
	// When makes a required item conditional: it is required only when
	// one of these elements was exposed (toll-free bureau numbers when an
	// SSN was). Items not in When are required always.
	When map[breach.ContentItem]breach.ElementSet
	// Headings must each appear as a heading; Title as the title.
	Headings []string
	Title    string
	// ProtectionMonths is the minimum term of free identity protection the
	// law requires when any element of ProtectionWhen (or, when that is
	// empty, any data) was exposed; 0 when it requires none.
	ProtectionMonths int
	ProtectionWhen   breach.ElementSet
}

// Validate checks that every content item is known.
func (r Requirements) Validate() error {
	for _, list := range [][]breach.ContentItem{r.Required, r.Prohibited} {
		for _, c := range list {
			if !c.Valid() {
				return breach.Errorf(breach.EINVALID, "%s: unknown content item %q", r.Jurisdiction, c)
			}
		}
	}
	return nil
}

func (r Requirements) source() string {
	if r.Citation != "" {
		return fmt.Sprintf("%s (%s)", r.Jurisdiction, r.Citation)
	}
	return r.Jurisdiction
}

func legalRules() []*Rule {
	return []*Rule{
		{
			ID: "legal-required", Principle: Legal, Severity: SeverityError, Points: 15, Repeat: 10, MaxPoints: 100,
			Summary: "Include the content the law requires (with --jurisdiction).",
			Doc:     `For each jurisdiction given, every required content item (the law engine's content.required) must be detected in the notice. Each content item has a documented detector; run "candor lint --list-content" to see them. Items the law requires only for some data (Requirements.When) and the identity-protection offer (when the protection duty has a trigger) are required only when that data was exposed — as given by --elements or the incident, else as the notice states it.`,
			check: func(c *checker) {
				type need struct {
					item breach.ContentItem
					by   []string
				}
				var needs []*need
				index := map[breach.ContentItem]*need{}
				for _, r := range c.opts.Requirements {
					for _, item := range r.Required {
						if item == "california_headings" && (len(r.Headings) > 0 || r.Title != "") {
							continue // checked heading by heading below
						}
						if cond, ok := r.When[item]; ok && cond != 0 && !c.exposed.HasAny(cond) {
							continue // required only when one of these elements was exposed
						}
						if item == "identity_protection_offer" && r.ProtectionWhen != 0 && !c.exposed.HasAny(r.ProtectionWhen) {
							continue // required only when the triggering data was exposed
						}
						if c.detect(item).found {
							continue
						}
						n, ok := index[item]
						if !ok {
							n = &need{item: item}
							index[item] = n
							needs = append(needs, n)
						}
						n.by = append(n.by, r.source())
					}
				}
				for _, n := range needs {
					how := ""
					if d, ok := contentDetectors[n.item]; ok {
						how = "The linter looks for " + d.How + "."
					}
					c.whole(fmt.Sprintf("%s require%s %s (%s)", strings.Join(n.by, ", "), singular(len(n.by)), lowerFirst(strings.TrimSuffix(n.item.Description(), ".")), n.item), how)
				}
			},
		},
		{
			ID: "legal-prohibited", Principle: Legal, Severity: SeverityError, Points: 30, Repeat: 20, MaxPoints: 100,
			Summary: "Leave out what the law forbids (with --jurisdiction).",
			Doc:     `Some laws forbid content in the notice to individuals: Massachusetts forbids the nature of the breach and the number of residents affected. Send such residents a separate version.`,
			check: func(c *checker) {
				for _, r := range c.opts.Requirements {
					for _, item := range r.Prohibited {
						d := c.detect(item)
						if !d.found {
							continue
						}
						msg := fmt.Sprintf("%s forbids %s (%s) in the notice", r.source(), lowerFirst(strings.TrimSuffix(item.Description(), ".")), item)
						sugg := "Send residents of " + r.Jurisdiction + " a version without it."
						if d.ok() {
							c.report(d.start, d.end, msg, sugg)
						} else {
							c.whole(msg, sugg)
						}
					}
				}
			},
		},
		{
			ID: "legal-title", Principle: Legal, Severity: SeverityError, Points: 15, Repeat: 5, MaxPoints: 20,
			Summary: "Use the title the law prescribes (with --jurisdiction).",
			Doc:     `California requires the title "Notice of Data Breach". The title must appear as a heading or the first line.`,
			check: func(c *checker) {
				for _, r := range c.opts.Requirements {
					if r.Title == "" {
						continue
					}
					if _, ok := c.titlePresent(r.Title); !ok {
						c.whole(fmt.Sprintf("%s requires the title %q", r.source(), r.Title), fmt.Sprintf("Start the notice with the heading %q.", r.Title))
					}
				}
			},
		},
		{
			ID: "legal-headings", Principle: Legal, Severity: SeverityError, Points: 10, Repeat: 5, MaxPoints: 40,
			Summary: "Use the headings the law prescribes (with --jurisdiction).",
			Doc:     `California requires the headings What Happened, What Information Was Involved, What We Are Doing, What You Can Do and For More Information. A heading matches ignoring case and punctuation, as a heading line or as a paragraph opening "Heading:".`,
			check: func(c *checker) {
				missing := map[string][]string{}
				var order []string
				for _, r := range c.opts.Requirements {
					for _, h := range r.Headings {
						if _, ok := c.headingPresent(h); ok {
							continue
						}
						if _, ok := missing[h]; !ok {
							order = append(order, h)
						}
						missing[h] = append(missing[h], r.source())
					}
				}
				for _, h := range order {
					by := missing[h]
					sort.Strings(by)
					c.whole(fmt.Sprintf("%s require%s the heading %q", strings.Join(by, ", "), singular(len(by)), h), fmt.Sprintf("Add the heading %q.", h))
				}
			},
		},
	}
}

func singular(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	if len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' {
		return s // an acronym
	}
	return strings.ToLower(s[:1]) + s[1:]
}
