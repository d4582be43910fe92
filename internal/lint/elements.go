package lint

import (
	"regexp"

	"github.com/candor-dev/candor/internal/breach"
)

// elementPatterns are the ways a notice names each data element.
var elementPatterns = []struct {
	el breach.DataElement
	re *regexp.Regexp
}{
	{breach.ElementSSN, regexp.MustCompile(`(?i)\bsocial security (?:numbers?|nos?\.?)|\bSSNs?\b|\bsocial security\b`)},
	{breach.ElementDriversLicense, regexp.MustCompile(`(?i)\bdriver'?s'? licen[cs]es?(?: numbers?)?|\bdriving licen[cs]es?`)},
	{breach.ElementStateID, regexp.MustCompile(`(?i)\bstate (?:ID|identification)(?: card)?(?: numbers?)?|\bgovernment[- ]issued (?:ID|identification)`)},
	{breach.ElementPassport, regexp.MustCompile(`(?i)\bpassport(?: numbers?)?\b`)},
	{breach.ElementMilitaryID, regexp.MustCompile(`(?i)\bmilitary (?:ID|identification)(?: numbers?)?`)},
	{breach.ElementTaxID, regexp.MustCompile(`(?i)\b(?:taxpayer identification|tax ID|tax identification)(?: numbers?)?|\bITINs?\b`)},
	{breach.ElementAccountNumber, regexp.MustCompile(`(?i)\b(?:bank|financial|checking|savings|deposit) account(?: numbers?| information| details)?|\baccount numbers?\b|\brouting numbers?\b`)},
	{breach.ElementCardNumber, regexp.MustCompile(`(?i)\b(?:credit|debit|payment) card(?: numbers?| information| details)?|\bcard numbers?\b`)},
	{breach.ElementAccountAccessCode, regexp.MustCompile(`(?i)\b(?:PINs?|security codes?|access codes?|CVVs?|CVV2|card verification (?:codes?|values?))\b`)},
	{breach.ElementUsername, regexp.MustCompile(`(?i)\buser ?names?\b|\blogin names?\b|\blogin IDs?\b`)},
	{breach.ElementEmail, regexp.MustCompile(`(?i)\be-?mail addresses\b|\be-?mail address\b`)},
	{breach.ElementPassword, regexp.MustCompile(`(?i)\bpasswords?\b|\bpasscodes?\b`)},
	{breach.ElementSecurityQA, regexp.MustCompile(`(?i)\bsecurity questions?\b`)},
	{breach.ElementDOB, regexp.MustCompile(`(?i)\bdates? of birth\b|\bbirth ?dates?\b|\bbirthdays?\b`)},
	{breach.ElementMedical, regexp.MustCompile(`(?i)\bmedical (?:information|records?|history|conditions?)|\bdiagnos[ie]s\b|\btreatment information\b|\bhealth information\b|\bprescriptions?\b`)},
	{breach.ElementHealthInsurance, regexp.MustCompile(`(?i)\bhealth insurance\b|\binsurance (?:policy|member|subscriber|ID)\b|\bmember ID\b`)},
	{breach.ElementBiometric, regexp.MustCompile(`(?i)\bbiometric\w*|\bfingerprints?\b|\bface ?prints?\b|\bvoiceprints?\b|\bretina\b|\biris scans?\b`)},
	{breach.ElementGenetic, regexp.MustCompile(`(?i)\bgenetic\b|\bDNA\b`)},
	{breach.ElementMothersMaidenName, regexp.MustCompile(`(?i)\bmaiden names?\b`)},
	{breach.ElementAddress, regexp.MustCompile(`(?i)\b(?:home|postal|mailing|street|billing|shipping|physical) addresses?\b|\bnames?(?:,| and) addresses\b`)},
	{breach.ElementPhone, regexp.MustCompile(`(?i)\b(?:phone|telephone|mobile|cell) numbers?\b`)},
	{breach.ElementIPAddress, regexp.MustCompile(`(?i)\bIP address(?:es)?\b|\binternet protocol address`)},
	{breach.ElementPreciseGeolocation, regexp.MustCompile(`(?i)\bgeolocation\b|\b(?:precise )?location data\b`)},
	{breach.ElementEmployeeID, regexp.MustCompile(`(?i)\bemployee (?:ID|identification)(?: numbers?)?|\bemployee numbers?\b`)},
	{breach.ElementSignature, regexp.MustCompile(`(?i)\b(?:handwritten )?signatures?\b`)},
	{breach.ElementName, regexp.MustCompile(`(?i)\b(?:your |full |first |last |customer |account holder'?s? )?names?\b`)},
}

var (
	// exposureRe marks a sentence that says what data was involved.
	exposureRe = regexp.MustCompile(`(?i)\b(?:held|holds|involv\w*|includ\w*|expos\w*|access\w*|acquir\w*|affect\w*|st[oe]l\w*|copied|taken|took|viewed|contain\w*|compromis\w*|leak\w*|obtain\w*|download\w*|exfiltrat\w*|seen|visible|available|such as|consist\w*|lost|disclos\w*|impacted)\b`)
	// involvedHeadingRe names a section about the data involved.
	involvedHeadingRe = regexp.MustCompile(`(?i)\b(?:information|data|details)\b.*\b(?:involved|affected|exposed|accessed)\b|\bwhat (?:information|data)\b`)
	// sensitiveElements are those whose exposure calls for identity
	// protection: government numbers and financial data.
	sensitiveElements = breach.NewElementSet(breach.ElementSSN, breach.ElementDriversLicense, breach.ElementStateID,
		breach.ElementPassport, breach.ElementMilitaryID, breach.ElementTaxID, breach.ElementAccountNumber,
		breach.ElementCardNumber, breach.ElementMedical, breach.ElementHealthInsurance)
)

// findExposed works out which data elements the notice says were exposed:
// those it names in a sentence about the breach that does not deny it, or
// in a section headed "What Information Was Involved". Elements given in
// the options take precedence.
func (a *analysis) findExposed() {
	a.exposedAt = map[breach.DataElement]span{}
	if a.opts != nil && a.opts.Elements != 0 {
		a.exposed, a.given = a.opts.Elements, true
	}
	for i, s := range a.sents {
		text := a.sentence(i)
		sec := a.sectionOf(s.Block)
		inSection := sec != "" && involvedHeadingRe.MatchString(sec) && a.doc.Blocks[s.Block].Kind != Heading
		if !inSection && !exposureRe.MatchString(text) {
			continue
		}
		if safetyAdviceRe.MatchString(text) {
			continue // "change your password", "we will never ask for your SSN"
		}
		// A denial ("was not involved", "did not include") takes the whole
		// sentence back; any other negation ("but no card numbers") only
		// what follows it.
		limit := len(text)
		if m := negationRe.FindStringIndex(text); m != nil {
			if denialRe.MatchString(text) {
				continue
			}
			limit = m[0]
		}
		for _, p := range elementPatterns {
			m := p.re.FindStringIndex(text[:limit])
			if m == nil || notTheReadersRe.MatchString(text[max(0, m[0]-30):m[0]]) {
				continue
			}
			if _, seen := a.exposedAt[p.el]; !seen {
				a.exposedAt[p.el] = span{s.Start + m[0], s.Start + m[1]}
			}
			if !a.given {
				a.exposed = a.exposed.Add(p.el)
			}
		}
	}
}

// notTheReadersRe, matched against the words before a data element,
// marks data that belongs to someone else ("a stolen employee password").
var notTheReadersRe = regexp.MustCompile(`(?i)\b(?:employee|employees'|employee's|staff|admin\w*|vendor's|vendor|contractor's|contractor|worker's|our|its|their)\s+$`)

// denialRe marks a sentence that denies exposure outright.
var denialRe = regexp.MustCompile(`(?i)\b(?:was|were|is|are|has|have|had|did|does|do)\s*(?:not|n't)\b|\bnot (?:involved|affected|accessed|exposed|included|taken|impacted|compromised)\b|\bno (?:evidence|indication|sign)\b|\bnever\b`)

// safetyAdviceRe marks sentences that mention data only to advise on it.
var safetyAdviceRe = regexp.MustCompile(`(?i)\b(?:change|reset|update|choose|create|use a (?:new|different|unique)|never ask|will not ask|won't ask|do not share|don't share|never share|password manager|enrol\w*|activation)\b`)
