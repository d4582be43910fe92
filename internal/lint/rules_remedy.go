package lint

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

var (
	weRe       = regexp.MustCompile(`(?i)\b(?:we|we've|we have|we're|we are|our (?:team|engineers|staff|company|security team)|I have|I've)\b`)
	vagueFixRe = regexp.MustCompile(`(?i)\benhanc\w* (?:our |its )?(?:security|safeguards|systems|protections|controls|defen[cs]es|processes)\b|\bstrengthen\w* (?:our |its )?(?:security|systems|safeguards|controls|defen[cs]es|protections)\b|\badditional (?:security )?(?:measures|safeguards|controls|steps|precautions)\b|\btak\w* (?:appropriate |necessary |additional |all )?(?:steps|measures|action)\b|\bappropriate (?:measures|steps|action|safeguards)\b|\bindustry[- ](?:standard|leading)\b|\breview\w* (?:our |its )?(?:policies|procedures|practices|processes)\b|\bcontinu\w* to (?:evaluate|enhance|improve|monitor|review|invest)\b|\b(?:bolster|fortify|harden)\w*\b|\brobust (?:security|safeguards|measures)\b|\bcommitted to (?:protecting|safeguarding)\b`)

	monthsRe   = regexp.MustCompile(`(?i)\b(\d+|one|two|three|six|twelve|eighteen|twenty-four|thirty-six)[ -]?(months?|years?)\b|\{\{[^}]*(?:month|year|term|duration)[^}]*\}\}`)
	freeRe     = regexp.MustCompile(`(?i)\b(?:free|no cost|no charge|at our expense|complimentary|we (?:will )?pay|we(?:'ve| have) paid|paid for by us|without charge|costs? you nothing)\b`)
	codeRe     = regexp.MustCompile(`(?i)\b(?:activation|enrol+ment|promo(?:tion)?|redemption|membership|access|engagement) (?:code|number)\b|\bcode\b|\{\{[^}]*code[^}]*\}\}`)
	deadlineRe = regexp.MustCompile(`(?i)\b(?:by|before|until|no later than|deadline|expires?|through|ends?)\b[^.!?]{0,30}?(?:` + dateRe.String()[4:] + `)|\{\{[^}]*(?:deadline|enrol+_?by|enrol+by|expir|until)[^}]*\}\}`)

	gestureRe = regexp.MustCompile(`(?i)\b(?:as a (?:small )?(?:thank[- ]you|gesture|token)|to thank you|goodwill|(?:an? )?(?:account )?credit (?:of|to|on)\b|\$\d+ (?:credit|gift|voucher|off)|gift cards?|vouchers?|coupons?|discount\w*|refund\w*|free (?:months?|years?|subscription|shipping|membership|service|upgrade)|(?:one|two|three|six|\d+) (?:free )?months? (?:of (?:service|membership|subscription) )?(?:free|at no charge|on us)|waiv\w* (?:your|the|all|any) (?:\w+ )?(?:fees?|charges?|subscription)|complimentary (?:months?|membership|subscription|upgrade|service|year)|on us)\b|\{\{[^}]*(?:gesture|loyalty|voucher|coupon|discount|gift|goodwill)[^}]*\}\}`)
	waiverRe  = regexp.MustCompile(`(?i)\b(?:waive|waiving|release|releasing|give up|giving up)\b[^.!?]{0,40}\b(?:claims?|rights?|right to sue|legal action|lawsuits?)\b|\bbinding arbitration\b|\bin exchange for (?:a |your )?(?:release|waiver)\b|\bby (?:enrolling|accepting|redeeming)\b[^.!?]{0,60}\b(?:agree|waive|release)\b`)
)

func remediationRules() []*Rule {
	return []*Rule{
		{
			ID: "remediation-concrete", Principle: Remediation, Severity: SeverityWarning, Points: 50, MaxPoints: 50,
			Summary: `Say concretely what you are doing ("we reset every password").`,
			Doc:     `"What we are doing" must name specific measures taken or under way: passwords reset, keys rotated, the system taken offline, two-step sign-in required, outside investigators hired, police told. The rule counts such actions in sentences about you.`,
			check: func(c *checker) {
				if len(concreteMeasures(c.analysis)) == 0 {
					c.whole("the notice names no concrete measure you have taken", `List what you did: "We took the server offline on May 10, reset all passwords and now require two-step sign-in."`)
				}
			},
		},
		{
			ID: "remediation-detail", Principle: Remediation, Severity: SeveritySuggestion, Points: 10, MaxPoints: 10,
			Summary: "Give more than one measure.",
			Doc:     `One measure rarely covers containment, investigation and prevention. The rule wants at least two.`,
			check: func(c *checker) {
				if m := concreteMeasures(c.analysis); len(m) == 1 {
					c.report(m[0].start, m[0].end, "only one concrete measure is named", "Say how you contained the breach, what you are investigating and what will prevent it happening again.")
				}
			},
		},
		{
			ID: "remediation-vague", Principle: Remediation, Severity: SeverityWarning, Points: 10, Repeat: 5, MaxPoints: 25,
			Summary: `No empty promises ("enhancing our security").`,
			Doc:     `"Enhancing our security", "additional safeguards", "taking appropriate steps" and "industry-standard" promise nothing checkable. Flagged only in sentences that name no concrete measure.`,
			check: func(c *checker) {
				for _, sp := range c.all(vagueFixRe) {
					if c.sentenceHas(concreteRe, sp.start) {
						continue
					}
					c.report(sp.start, sp.end, "vague remediation", `Name the measure: "we now require two-step sign-in for every employee".`)
				}
			},
		},
	}
}

// concreteMeasures returns the concrete measures named in sentences about
// the organisation (not advice to the reader).
func concreteMeasures(a *analysis) []span {
	if a.measuresDone {
		return a.measures
	}
	a.measuresDone = true
	var out []span
	for i := range a.sents {
		s := a.sentence(i)
		if !weRe.MatchString(s) || negated(s) && !strings.Contains(strings.ToLower(s), "no longer") {
			continue
		}
		for _, m := range concreteRe.FindAllStringIndex(s, -1) {
			if yourAdviceRe.MatchString(s[:m[0]]) {
				break // "we recommend you reset your password"
			}
			out = append(out, span{a.sents[i].Start + m[0], a.sents[i].Start + m[1]})
		}
	}
	a.measures = out
	return out
}

var yourAdviceRe = regexp.MustCompile(`(?i)\byou\b`)

func protectionRules() []*Rule {
	return []*Rule{
		{
			ID: "protection-offer", Principle: Protection, Severity: SeverityError, Points: 50, MaxPoints: 50,
			Summary: "Offer free identity protection when government IDs or financial data are exposed.",
			Doc:     `When Social Security, driver's licence, passport, tax ID, account or card numbers, or medical or health-insurance data were exposed, offer credit monitoring and identity restoration at your expense. Several states require it.`,
			check: func(c *checker) {
				s := c.exposed & sensitiveElements
				if s == 0 || c.detect("identity_protection_offer").found {
					return
				}
				c.whole(fmt.Sprintf("%s exposed but no identity protection is offered", elementList(s)), "Offer at least 24 months of free credit monitoring and identity restoration, with an enrolment code and deadline.")
			},
		},
		{
			ID: "protection-offer-terms", Principle: Protection, Severity: SeverityWarning, Points: 8, Repeat: 8, MaxPoints: 32,
			Summary: "State the offer's length, that it is free, the enrolment code and the deadline.",
			Doc:     `An offer people cannot act on is not an offer. Near the offer, the rule looks for a length ("24 months"), a statement that it is free, an enrolment code and an enrolment deadline.`,
			check: func(c *checker) {
				d := c.detect("identity_protection_offer")
				if !d.found {
					return
				}
				scope := c.around(d.start)
				if _, ok := c.inSpan(monthsRe, scope); !ok {
					c.report(d.start, d.end, "the offer does not say how long it lasts", `Say "for 24 months".`)
				}
				if _, ok := c.inSpan(freeRe, scope); !ok {
					c.report(d.start, d.end, "the offer does not say it is free", `Say "at no cost to you: we pay for it".`)
				}
				if _, ok := c.inSpan(codeRe, scope); !ok {
					c.report(d.start, d.end, "the offer gives no enrolment code", "Print the person's activation code next to the offer.")
				}
				if _, ok := c.inSpan(deadlineRe, scope); !ok {
					c.report(d.start, d.end, "the offer gives no enrolment deadline", `Say "Enrol by August 31, 2026".`)
				}
			},
		},
		{
			ID: "protection-months", Principle: Protection, Severity: SeverityError, Points: 30, MaxPoints: 30,
			Summary: "Offer at least the months of protection the law requires.",
			Doc:     `With --jurisdiction, states that require identity protection (such as Connecticut's 24 months or Massachusetts' 18) set a minimum term when the triggering data was exposed.`,
			check: func(c *checker) {
				d := c.detect("identity_protection_offer")
				for _, r := range c.opts.Requirements {
					if r.ProtectionMonths <= 0 || r.ProtectionWhen != 0 && !c.exposed.HasAny(r.ProtectionWhen) {
						continue
					}
					if !d.found {
						c.whole(fmt.Sprintf("%s requires %d months of free identity protection", r.Jurisdiction, r.ProtectionMonths), fmt.Sprintf("Offer at least %d months.", r.ProtectionMonths))
						continue
					}
					if got := offeredMonths(c.analysis, c.around(d.start)); got > 0 && got < r.ProtectionMonths {
						c.report(d.start, d.end, fmt.Sprintf("%d months offered; %s requires at least %d", got, r.Jurisdiction, r.ProtectionMonths), fmt.Sprintf("Offer at least %d months.", r.ProtectionMonths))
					}
				}
			},
		},
		{
			ID: "protection-fraud-alert", Principle: Protection, Severity: SeverityWarning, Points: 10, MaxPoints: 10,
			Summary: "Explain fraud alerts when sensitive data is exposed.",
			Doc:     `A fraud alert tells lenders to verify identity before opening credit. Explain it when government IDs or financial data were exposed.`,
			check: func(c *checker) {
				if c.exposed&sensitiveElements != 0 && !c.detect("fraud_alert_info").found {
					c.whole("the notice does not explain how to place a fraud alert", "Explain that one call to Equifax, Experian or TransUnion places a free fraud alert with all three.")
				}
			},
		},
		{
			ID: "protection-security-freeze", Principle: Protection, Severity: SeverityWarning, Points: 10, MaxPoints: 10,
			Summary: "Explain security freezes when sensitive data is exposed.",
			Doc:     `A security (credit) freeze blocks new credit in the person's name and is free. Explain how to place one with each bureau.`,
			check: func(c *checker) {
				if c.exposed&sensitiveElements != 0 && !c.detect("security_freeze_info").found {
					c.whole("the notice does not explain security freezes", "Explain how to place a free security freeze with each of the three bureaus.")
				}
			},
		},
		{
			ID: "protection-password", Principle: Protection, Severity: SeverityWarning, Points: 15, Repeat: 5, MaxPoints: 20,
			Summary: "Tell people to change exposed passwords, and reused ones.",
			Doc:     `When passwords or security answers were exposed, tell people to change them, and to change them anywhere else they used the same one.`,
			check: func(c *checker) {
				if !c.exposed.Has(breach.ElementPassword) && !c.exposed.Has(breach.ElementSecurityQA) {
					return
				}
				sp, ok := c.first(passwordChangeRe)
				if !ok {
					c.whole("passwords were exposed but the notice does not tell people to change them", "Tell people to change their password, and any other account's password that was the same.")
					return
				}
				if !c.detect("password_change_advice").found {
					c.report(sp.start, sp.end, "the notice does not mention other accounts that use the same password", `Add "If you used the same password anywhere else, change it there too."`)
				}
			},
		},
		{
			ID: "protection-advice", Principle: Protection, Severity: SeverityWarning, Points: 20, MaxPoints: 20,
			Summary: "Tell people what they can do.",
			Doc:     `Every notice should give concrete steps: review statements, watch for phishing, change passwords, place a freeze.`,
			check: func(c *checker) {
				if !c.detect("what_individuals_can_do").found {
					c.whole("the notice gives readers nothing to do", `Add "What You Can Do" with concrete steps.`)
				}
			},
		},
	}
}

// around returns the part of the notice that belongs with Text offset off:
// its section when the notice has headings, else its block and the three
// after it.
func (a *analysis) around(off int) span {
	bi := a.doc.BlockAt(off)
	if bi < 0 {
		return span{0, len(a.doc.Text)}
	}
	b := a.doc.Blocks[bi]
	if b.Section >= 0 {
		h := a.doc.Blocks[b.Section]
		end := len(a.doc.Text)
		for _, nb := range a.doc.Blocks[b.Section+1:] {
			if nb.Kind == Heading && nb.Level <= h.Level {
				end = nb.Start
				break
			}
		}
		return span{h.Start, end}
	}
	last := min(bi+3, len(a.doc.Blocks)-1)
	return span{b.Start, a.doc.Blocks[last].End}
}

// offeredMonths returns the length of the offer in months found in sp, or
// 0 when none is stated as a number.
func offeredMonths(a *analysis, sp span) int {
	m := monthsRe.FindStringSubmatch(a.doc.Text[sp.start:sp.end])
	if m == nil || m[1] == "" {
		return 0
	}
	words := map[string]int{"one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12, "eighteen": 18, "twenty-four": 24, "thirty-six": 36}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		n = words[strings.ToLower(m[1])]
	}
	if strings.HasPrefix(strings.ToLower(m[2]), "year") {
		n *= 12
	}
	return n
}

// elementList names the elements of s in plain words ("Social Security
// number and driver's license").
func elementList(s breach.ElementSet) string {
	var names []string
	for _, e := range s.Elements() {
		names = append(names, strings.TrimPrefix(e.Info().Label, ""))
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func loyaltyRules() []*Rule {
	return []*Rule{
		{
			ID: "loyalty-gesture", Principle: Loyalty, Severity: SeverityWarning, Points: 70, MaxPoints: 70,
			Summary: "Offer a gesture of goodwill.",
			Doc:     `Beyond what the law requires, a gesture — a credit on the account, a free month, a refund of fees — shows that you value the relationship. Credit monitoring does not count: it protects, it does not thank.`,
			check: func(c *checker) {
				if _, ok := c.first(gestureRe); !ok {
					c.whole("the notice offers no gesture of goodwill", `Offer something of value: "We have added a $25 credit to your account."`)
				}
			},
		},
		{
			ID: "loyalty-strings-attached", Principle: Loyalty, Severity: SeverityError, Points: 60, MaxPoints: 60, Cap: 60,
			Summary: "Never make an offer conditional on waiving rights.",
			Doc:     `Asking people to release claims or accept arbitration in exchange for monitoring or a gesture turns an apology into a settlement. Massachusetts forbids requiring such a waiver.`,
			check: func(c *checker) {
				for _, sp := range c.all(waiverRe) {
					if c.sentenceHas(negationRe, sp.start) {
						continue
					}
					c.report(sp.start, sp.end, "the offer asks people to give up rights", "Remove the condition: the offer must be unconditional.")
				}
			},
		},
	}
}
