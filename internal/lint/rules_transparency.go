package lint

import (
	"regexp"
	"strings"
)

var (
	vagueDataRe = regexp.MustCompile(`(?i)\b(?:personal(?:ly identifiable)? information|personal data|certain (?:personal )?(?:information|data)|sensitive (?:information|data)|some (?:of your )?(?:information|data)|your (?:information|data)|customer (?:information|data))\b`)
	passiveRe   = regexp.MustCompile(`(?i)\b(?:was|were|has been|have been|had been|is being|are being|being|been|be|got|gets|get)\s+(?:\w+ly\s+)?(\w+ed|stolen|taken|seen|known|given|shown|done|made|found|sent|held|kept|lost|broken|written|hidden|struck|hit|put|left|led|told|sold|shut|mistaken|undertaken)\b`)
	// statives are participles that describe a state rather than hide
	// an actor ("were affected", "is located").
	statives = map[string]bool{
		"affected": true, "involved": true, "impacted": true, "required": true, "needed": true, "encouraged": true,
		"advised": true, "located": true, "based": true, "concerned": true, "interested": true, "pleased": true,
		"committed": true, "dedicated": true, "related": true, "limited": true, "named": true, "called": true,
		"entitled": true, "prepared": true, "supposed": true, "scheduled": true, "qualified": true,
		"authorized": true, "authorised": true, "allowed": true, "permitted": true, "designed": true, "expected": true,
		"used": true, "associated": true, "provided": true, "offered": true, "asked": true, "invited": true,
		"sorry": true, "closed": true, "signed": true, "enrolled": true, "covered": true, "included": true,
		"listed": true, "stored": true, "saved": true, "kept": true, "held": true, "left": true, "known": true,
		"worried": true, "tired": true, "excited": true, "disappointed": true, "alarmed": true, "upset": true,
		"contained": true, "resolved": true, "delayed": true, "mailed": true, "sent": true, "addressed": true,
		"charged": true, "billed": true, "reimbursed": true, "protected": true, "encrypted": true, "fixed": true,
	}
	byRe            = regexp.MustCompile(`(?i)\bby\b`)
	vagueQuantityRe = regexp.MustCompile(`(?i)\b(?:a (?:small |limited |certain |large |significant )?number of|a (?:small )?subset of|a (?:small )?portion of|some (?:of (?:our|your|the) )?(?:customers|users|people|individuals|accounts|members|patients|records|files|employees)|certain (?:customers|users|people|individuals|accounts|records|files)|a handful of|numerous|various (?:customers|users|people|individuals|accounts|records|systems))\b`)
)

func transparencyRules() []*Rule {
	return []*Rule{
		{
			ID: "transparency-what-happened", Principle: Transparency, Severity: SeverityWarning, Points: 25, MaxPoints: 25,
			Summary: "Say what happened.",
			Doc:     `People need a plain account of how the breach came about: an attack, a mistake, a lost device. The rule looks for words naming the cause, or a "What Happened" section with a full sentence.`,
			check: func(c *checker) {
				if !c.detect("description_of_incident").found {
					c.whole("the notice does not say what happened", `Add a "What Happened" paragraph: who did what, to which system, and how it was stopped.`)
				}
			},
		},
		{
			ID: "transparency-date-occurred", Principle: Transparency, Severity: SeverityWarning, Points: 15, MaxPoints: 15,
			Summary: "Give the date (or dates) the breach happened.",
			Doc:     `A date or date range in a sentence about the breach itself ("between May 2 and May 9, 2026"). Many laws require it.`,
			check: func(c *checker) {
				if !c.detect("date_of_breach").found {
					c.whole("the notice does not say when the breach happened", `Give the date or range: "Between May 2 and May 9, 2026, someone copied …"; if unknown, say so.`)
				}
			},
		},
		{
			ID: "transparency-date-discovered", Principle: Transparency, Severity: SeverityWarning, Points: 15, MaxPoints: 15,
			Summary: "Give the date you discovered the breach.",
			Doc:     `A date in a sentence about discovering, learning of or detecting the breach. It lets people judge how promptly you told them.`,
			check: func(c *checker) {
				if !c.detect("date_of_discovery").found {
					c.whole("the notice does not say when you discovered the breach", `Add "We discovered this on May 10, 2026."`)
				}
			},
		},
		{
			ID: "transparency-data-named", Principle: Transparency, Severity: SeverityWarning, Points: 25, MaxPoints: 25,
			Summary: "Name the data involved specifically.",
			Doc:     `"Personal information" tells people nothing about their risk. Name each kind: name, Social Security number, card number, password… The rule looks for named data elements in a sentence about the breach or a "What Information Was Involved" section.`,
			check: func(c *checker) {
				if c.detect("types_of_information").found {
					return
				}
				if sp, ok := c.first(vagueDataRe); ok {
					c.report(sp.start, sp.end, "the notice names no specific data, only %q", `List each kind of data: "your name, address and Social Security number".`, c.doc.Text[sp.start:sp.end])
					return
				}
				c.whole("the notice does not say which data was involved", `Add "What Information Was Involved" and list each kind of data.`)
			},
		},
		{
			ID: "transparency-count", Principle: Transparency, Severity: SeveritySuggestion, Points: 10, MaxPoints: 10,
			Summary: "Say how many people were affected, when known.",
			Doc:     `A number ("about 12,400 customers") gives scale. Leave it out only where a law forbids it (Massachusetts) — use --jurisdiction to check that.`,
			check: func(c *checker) {
				if !c.detect("number_affected").found {
					c.whole("the notice does not say how many people were affected", `Add the number when known: "about 12,400 customers".`)
				}
			},
		},
		{
			ID: "transparency-passive", Principle: Transparency, Severity: SeveritySuggestion, Points: 3, Repeat: 2, MaxPoints: 15,
			Summary: "Name who did it; avoid passive voice that hides the actor.",
			Doc:     `"Data was accessed" hides who accessed it. Say "a criminal accessed" or "our employee sent". Passive sentences with "by …" and participles that describe a state ("were affected") are not flagged.`,
			check: func(c *checker) {
				for _, m := range passiveRe.FindAllStringSubmatchIndex(c.doc.Text, -1) {
					part := strings.ToLower(c.doc.Text[m[2]:m[3]])
					if statives[part] {
						continue
					}
					i := c.sentenceAt(m[0])
					if i < 0 || c.doc.Blocks[c.sents[i].Block].Kind == Heading {
						continue
					}
					if c.byAfter(m[1]) {
						continue
					}
					c.report(m[0], m[1], "passive voice hides who did this", `Say who did it, in active voice: "we …", "a criminal …", "our vendor …".`)
				}
			},
		},
		{
			ID: "transparency-vague-quantity", Principle: Transparency, Severity: SeveritySuggestion, Points: 5, Repeat: 3, MaxPoints: 15,
			Summary: "Use numbers, not vague quantities.",
			Doc:     `"A number of customers", "a subset of accounts", "certain records" hide scale. Give the number or a range.`,
			check: func(c *checker) {
				for _, sp := range c.all(vagueQuantityRe) {
					c.report(sp.start, sp.end, "vague quantity", `Give a number or range: "about 2,300 customers".`)
				}
			},
		},
	}
}

func contactRules() []*Rule {
	return []*Rule{
		{
			ID: "contact-phone", Principle: Transparency, Severity: SeverityWarning, Points: 15, MaxPoints: 15,
			Summary: "Give a phone number people can call.",
			Doc:     `Many people affected by a breach will want to talk to someone. Give a dedicated (toll-free) number.`,
			check: func(c *checker) {
				if _, ok := c.first(phoneRe); !ok {
					c.whole("the notice gives no phone number", `Add a dedicated, toll-free number: "Call us at 1-800-555-0134".`)
				}
			},
		},
		{
			ID: "contact-hours", Principle: Transparency, Severity: SeveritySuggestion, Points: 5, MaxPoints: 5,
			Summary: "Say when the phone line is open.",
			Doc:     `A number without hours sends people to a closed line. Give days, hours and time zone.`,
			check: func(c *checker) {
				sp, ok := c.first(phoneRe)
				if !ok {
					return
				}
				if _, ok := c.first(hoursRe); !ok {
					c.report(sp.start, sp.end, "the phone number has no opening hours", `Add "Monday to Friday, 8 a.m. to 8 p.m. Eastern Time".`)
				}
			},
		},
		{
			ID: "contact-official", Principle: Transparency, Severity: SeverityWarning, Points: 10, MaxPoints: 10,
			Summary: "Give a postal address or a web or e-mail contact on your official domain.",
			Doc:     `People should be able to reach you through a channel they can verify: your own web site or e-mail domain, or your postal address.`,
			check: func(c *checker) {
				if _, ok := c.first(postalRe); ok {
					return
				}
				for _, l := range c.doc.Links {
					h := l.Host()
					if h == "" || l.Kind == LinkImage {
						continue
					}
					if len(c.domains) == 0 || c.official(h) {
						return
					}
				}
				if len(c.domains) == 0 {
					c.whole("the notice gives no postal address, web site or e-mail address", "Add your postal address and a page on your own web site.")
					return
				}
				c.whole("the notice gives no postal address and no web or e-mail contact on "+strings.Join(c.domains, ", "), "Link to a page on your own domain, such as https://"+c.domains[0]+"/security-notice.")
			},
		},
	}
}
