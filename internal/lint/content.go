package lint

import (
	"regexp"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// ContentDetector decides whether a notice contains one content item of
// the law vocabulary (breach.ContentItem).
type ContentDetector struct {
	Item breach.ContentItem
	// How says in a sentence what the detector looks for.
	How    string
	detect func(a *analysis) (span, bool)
}

// ContentDetectors returns the detector of every content item, in the
// vocabulary's order.
func ContentDetectors() []ContentDetector {
	var out []ContentDetector
	for _, item := range breach.ContentItems() {
		if d, ok := contentDetectors[item]; ok {
			out = append(out, d)
		}
	}
	return out
}

// DetectContent reports whether doc contains item and, when it does, the
// line and column where it was found (the first line for items about the
// notice as a whole). The error is EINVALID for an unknown item.
func DetectContent(doc *Document, opts *Options, item breach.ContentItem) (found bool, line, column int, err error) {
	if _, ok := contentDetectors[item]; !ok {
		return false, 0, 0, breach.Errorf(breach.EINVALID, "no detector for content item %q", item)
	}
	if opts == nil {
		opts = &Options{}
	}
	a := analyse(doc, opts)
	d := a.detect(item)
	if !d.found {
		return false, 0, 0, nil
	}
	if !d.ok() {
		return true, 1, 1, nil
	}
	line, column = doc.Position(d.start)
	return true, line, column, nil
}

// detect runs (once) the detector of item.
func (a *analysis) detect(item breach.ContentItem) detection {
	if d, ok := a.content[item]; ok {
		return d
	}
	det, ok := contentDetectors[item]
	if !ok {
		return detection{}
	}
	sp, found := det.detect(a)
	d := detection{span: sp, found: found}
	a.content[item] = d
	return d
}

var (
	natureRe       = regexp.MustCompile(`(?i)\b(?:ransomware|phishing|malware|malicious (?:software|code|e-?mail)|virus|hack\w*|cyber ?attack\w*|attack\w*|criminals?|intru\w*|unauthori[sz]ed (?:access|person|party|parties|individual|user|third part(?:y|ies))|without (?:permission|authori[sz]ation)|gained access|broke into|stolen|stole|theft of|misconfigur\w*|mistakenly|in error|by mistake|accidentally|inadvertently|publicly (?:accessible|available)|open to the internet|skimm\w*|credential stuffing|impersonat\w*|exploit\w*|vulnerabilit\w*|compromised|copied|downloaded|someone (?:outside|who)|an outsider)\b`)
	whatHappenedRe = regexp.MustCompile(`(?i)^\s*what happened\b`)

	measuresHeadingRe = regexp.MustCompile(`(?i)\bwhat (?:we are|we're|we have been|we've been|we) (?:doing|done|did)\b|\bsteps we(?:'ve| have)? taken\b|\bour response\b`)
	adviceHeadingRe   = regexp.MustCompile(`(?i)\bwhat you can do\b|\bsteps you can take\b|\bhow to protect yourself\b|\bwhat you should do\b`)
	moreInfoHeadingRe = regexp.MustCompile(`(?i)\bfor more information\b|\bcontact us\b|\bquestions\b`)

	adviceRe = regexp.MustCompile(`(?i)\bwe (?:strongly )?(?:recommend|encourage|urge|suggest|advise)\b|\byou (?:can|should|may want to|might want to|could)\b[^.!?]{0,80}\b(?:review|monitor|change|reset|place|enrol\w*|sign up|watch|be alert|check|contact|request|freeze|report|call|visit|turn on|use)\b|\bplease (?:review|monitor|change|reset|enrol\w*|be alert|watch|check|call|consider|use|turn on)\b|^(?:review|monitor|change|reset|place|enrol\w*|sign up|watch|check|turn on|use|call|freeze|report|request)\b`)

	phoneRe    = regexp.MustCompile(`(?:\+?\b1[-. ]?)?\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b|\b1-8\d\d-[A-Z0-9]{3}-?[A-Z0-9]{4}\b|\+\d{1,3}(?:[ .-]?\d{2,4}){2,5}\b|\{\{[^}]*(?i:phone|tel)[^}]*\}\}`)
	tollFreeRe = regexp.MustCompile(`(?:\b1[-. ]?)?\(?\b8(?:00|33|44|55|66|77|88)\)?[-. ]?[\dA-Z]{3}[-. ]?[\dA-Z]{4}\b`)
	hoursRe    = regexp.MustCompile(`(?i)\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays|weekends|daily)\b|\b24/7\b|\b24 hours\b|\baround the clock\b|\{\{[^}]*hours[^}]*\}\}`)
	postalRe   = regexp.MustCompile(`(?i)\bP\.?\s?O\.? Box \d+|\b\d{1,6} (?:[A-Z0-9][\w.]* ){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Place|Pl|Court|Ct|Parkway|Pkwy|Square|Sq|Plaza|Circle|Highway|Hwy)\b\.?|\{\{[^}]*address[^}]*\}\}`)

	bureauRes = []*regexp.Regexp{
		regexp.MustCompile(`(?i)\bequifax\b`),
		regexp.MustCompile(`(?i)\bexperian\b`),
		regexp.MustCompile(`(?i)\btrans ?union\b`),
	}
	ftcRe            = regexp.MustCompile(`(?i)\bfederal trade commission\b|\bFTC\b`)
	ftcContactRe     = regexp.MustCompile(`(?i)\bftc\.gov\b|identitytheft\.gov|\b1-?877-?438-?4338\b|877-?ID-?THEFT|600 Pennsylvania`)
	ftcTheftRe       = regexp.MustCompile(`(?i)identitytheft\.gov|\b1-?877-?438-?4338\b|877-?ID-?THEFT`)
	agRe             = regexp.MustCompile(`(?i)\battorneys? general\b|\b(?:AG|OAG)'?s office\b|\bdepartment of justice\b`)
	freezeRe         = regexp.MustCompile(`(?i)\b(?:security|credit) freezes?\b|\bfreeze (?:your|a|the) credit\b`)
	fraudAlertRe     = regexp.MustCompile(`(?i)\bfraud alerts?\b`)
	policeRe         = regexp.MustCompile(`(?i)\b(?:file|obtain|get|request|right to|receive)\b[^.!?]{0,60}\bpolice report|\bpolice report\b[^.!?]{0,60}\b(?:file|obtain|right|request)`)
	offerRe          = regexp.MustCompile(`(?i)\b(?:credit monitoring|credit and identity monitoring|identity (?:theft )?(?:protection|monitoring|restoration|repair|defen[cs]e)|identity ?theft (?:insurance|protection|prevention)|dark web monitoring|fraud (?:protection|resolution) services?)\b`)
	offerVerbRe      = regexp.MustCompile(`(?i)\b(?:offer\w*|provid\w*|complimentary|free|no cost|no charge|enrol\w*|sign up|activat\w*|pay\w* for|paid for|covered|at our expense|give you|giving you|arranged)\b`)
	reviewRe         = regexp.MustCompile(`(?i)\b(?:review|check|monitor|look at|examine|watch)\b[^.!?]{0,60}\b(?:credit reports?|(?:account|bank|card|financial|credit card|benefit|insurance) statements?|statements|explanation of benefits)\b|annualcreditreport\.com`)
	lawDelayRe       = regexp.MustCompile(`(?i)\blaw[- ]enforcement\b|\bpolice\b|\bFBI\b`)
	delayRe          = regexp.MustCompile(`(?i)\b(?:delay\w*|postpon\w*|held|hold|wait\w*|asked us)\b`)
	entityRe         = regexp.MustCompile(`\b[A-Z][\w&'.-]*(?: [A-Z][\w&'.-]*)*,? (?:Inc\.?|LLC|Ltd\.?|Corp\.?|Corporation|Company|Co\.|Bank|Group|Hospital|University|Health|Insurance|Credit Union|Clinic|College|Foundation)\b|\{\{[^}]*(?i:org|company|brand|legal)[^}]*\}\}`)
	dpoRe            = regexp.MustCompile(`(?i)\b(?:data protection officer|DPO|(?:chief )?privacy officer|privacy office)\b`)
	consequenceRe    = regexp.MustCompile(`(?i)\b(?:could|might|may|can|risk\w*|likely|possible)\b`)
	harmRe           = regexp.MustCompile(`(?i)\b(?:identity theft|fraud\w*|phishing|scam\w*|impersonat\w*|misuse\w*|open (?:new )?(?:accounts|credit)|pretend\w* to be|trick\w*|take over|access your account)\b`)
	referenceRe      = regexp.MustCompile(`(?i)\b(?:reference|case|claim|incident|engagement|membership) (?:number|no\.?|code|ID)\b|\bref(?:erence)?\s*[:#]|\{\{[^}]*(?:reference|ref)[^}]*\}\}`)
	passwordChangeRe = regexp.MustCompile(`(?i)\b(?:change|reset|update|choose a new|create a new)\b[^.!?]{0,60}\bpasswords?\b|\bpasswords?\b[^.!?]{0,40}\b(?:change|reset)\b`)
	reuseRe          = regexp.MustCompile(`(?i)\bsame (?:password|credentials|login)\b|\bother (?:sites|websites|accounts|services|apps)\b|\banywhere else\b|\belsewhere\b|\bre-?us\w*\b`)
	noticeTitleRe    = regexp.MustCompile(`(?i)\bnotice of (?:a )?data (?:breach|security incident)\b`)
	dateLabelRe      = regexp.MustCompile(`(?i)^\s*date\s*:`)
)

// californiaHeadings are the headings Cal. Civ. Code § 1798.82(d)(1)
// requires, in order.
var californiaHeadings = []string{"What Happened", "What Information Was Involved", "What We Are Doing", "What You Can Do", "For More Information"}

var contentDetectors = map[breach.ContentItem]ContentDetector{}

func init() {
	for _, d := range []ContentDetector{
		{"description_of_incident", "a sentence saying how the breach came about (an attack, a mistake, a theft…) or a \"What Happened\" section with a full sentence", detectDescription},
		{"nature_of_breach", "words naming how the breach happened: attack, ransomware, phishing, unauthorised access, stolen, misconfigured, sent in error…", detectNature},
		{"date_of_breach", "a date (or template date field) in a sentence about when the breach occurred", detectBreachDate},
		{"date_of_discovery", "a date in a sentence about when the breach was discovered, learned of or detected", detectDiscoveryDate},
		{"date_of_notice", "a date, or a \"Date:\" line, among the first four blocks of the notice", detectNoticeDate},
		{"types_of_information", "data elements named in a sentence about what was involved, or in a \"What Information Was Involved\" section", detectTypes},
		{"number_affected", "a number of people (\"1,240 customers\", \"about 2 million people\")", simple(countRe)},
		{"steps_taken", "a concrete measure (\"we reset\", \"we rotated\", \"we hired\") or a \"What We Are Doing\" section", detectSteps},
		{"measures_taken_to_mitigate", "as steps_taken", detectSteps},
		{"what_individuals_can_do", "advice to the reader (\"we recommend\", \"you can…\", \"please review\") or a \"What You Can Do\" section", detectAdvice},
		{"advice_to_reduce_harm", "as what_individuals_can_do", detectAdvice},
		{"contact_information", "a phone number, e-mail address, web address or postal address", detectContact},
		{"toll_free_numbers", "a toll-free number in the same block as each of Equifax, Experian and TransUnion", detectTollFree},
		{"credit_bureau_contacts", "Equifax, Experian and TransUnion each named in a block with a phone number, web address or postal address", detectBureaus},
		{"ftc_contact", "the Federal Trade Commission with its web site, hotline or address", detectFTC},
		{"state_ag_contact", "the Attorney General named in a block with a phone number, web address or postal address", detectAG},
		{"security_freeze_info", "\"security freeze\" or \"credit freeze\"", simple(freezeRe)},
		{"fraud_alert_info", "\"fraud alert\"", simple(fraudAlertRe)},
		{"police_report_right", "filing or obtaining a police report", simple(policeRe)},
		{"identity_protection_offer", "credit or identity monitoring/protection in a sentence that offers or enrols (not one that denies it)", detectOffer},
		{"credit_report_review", "advice to review credit reports or account statements", simple(reviewRe)},
		{"notice_delayed_by_law_enforcement", "law[- ]enforcement named in a sentence about delay (whether or not notice was delayed)", detectLawDelay},
		{"entity_name", "the organisation's brand or legal name (with --org), else a company name (\"Example Inc.\")", detectEntity},
		{"dpo_contact", "a data protection officer or privacy officer, or else (as the \"other contact point\" GDPR allows) a phone number, e-mail or postal address", detectDPO},
		{"likely_consequences", "a sentence on what could happen (\"could be used for phishing\", \"risk of identity theft\")", detectConsequences},
		{"reference_number", "a reference, case or claim number", simple(referenceRe)},
		{"california_headings", "the title \"Notice of Data Breach\" and the five headings of Cal. Civ. Code § 1798.82(d)(1)", detectCAHeadings},
		{"ca_state_specific_info", "California's format: its title and headings, the date of the notice and a statement on law-enforcement delay", detectCASpecific},
		{"federal_trade_commission_identity_theft", "IdentityTheft.gov or the FTC hotline 1-877-438-4338", simple(ftcTheftRe)},
		{"password_change_advice", "advice to change the password and those of other accounts that share it", detectPasswordAdvice},
		{"reasons_for_delay", "a sentence saying the notice is late or delayed and why (\"because\", \"due to\"…), not one denying a delay", detectDelayReasons},
		{"right_to_complain", "the right to complain (\"you can complain\", \"right to lodge a complaint\") to a regulator, commissioner or data-protection authority in one sentence", detectComplaintRight},
		{"regulator_notified", "a sentence saying the regulator, commissioner or data-protection authority has been notified, told or informed (not that it will be)", detectRegulatorNotified},
		{"unauthorized_recipient", "a sentence saying who obtained, downloaded or accessed the information (\"someone outside Northwind\", \"a criminal group\"), or that it is not known who did", detectRecipient},
	} {
		contentDetectors[d.Item] = d
	}
}

func simple(re *regexp.Regexp) func(a *analysis) (span, bool) {
	return func(a *analysis) (span, bool) { return a.first(re) }
}

func detectNature(a *analysis) (span, bool) {
	for _, sp := range a.all(natureRe) {
		// Advice and warnings ("criminals may send fake e-mails", "report
		// identity theft") mention crime without describing the breach.
		if a.sentenceAt(sp.start) >= 0 && !a.sentenceHas(neverRe, sp.start) && !a.sentenceHas(safetyAdviceRe, sp.start) &&
			!a.sentenceHas(consequenceRe, sp.start) && !a.sentenceHas(reportRe, sp.start) {
			return sp, true
		}
	}
	return span{}, false
}

func detectDescription(a *analysis) (span, bool) {
	if sp, ok := detectNature(a); ok {
		return sp, true
	}
	if sec, ok := a.sectionSpan(whatHappenedRe); ok {
		for _, s := range a.sents {
			if s.Start >= sec.start && s.End <= sec.end && s.Words >= 8 && a.doc.Blocks[s.Block].Kind != Heading {
				return span{s.Start, s.End}, true
			}
		}
	}
	return span{}, false
}

// breachDates returns the dates that say when the breach occurred.
func breachDates(a *analysis) []span {
	var out []span
	for i := range a.sents {
		dates := a.sentenceDates(i)
		if len(dates) == 0 {
			continue
		}
		s := a.sentence(i)
		if !occurredRe.MatchString(s) {
			continue
		}
		if discoveredRe.MatchString(s) && len(dates) < 2 && !occurrenceDateRe.MatchString(s) {
			continue // the one date is when it was found
		}
		d := dates[0]
		if len(dates) > 1 && discoveredRe.MatchString(s) {
			d = dates[len(dates)-1]
		}
		out = append(out, span{a.sents[i].Start + d[0], a.sents[i].Start + d[1]})
	}
	return out
}

func detectBreachDate(a *analysis) (span, bool) {
	if ds := breachDates(a); len(ds) > 0 {
		return ds[0], true
	}
	return span{}, false
}

func detectDiscoveryDate(a *analysis) (span, bool) {
	for i := range a.sents {
		dates := a.sentenceDates(i)
		if len(dates) == 0 || !discoveredRe.MatchString(a.sentence(i)) {
			continue
		}
		return span{a.sents[i].Start + dates[0][0], a.sents[i].Start + dates[0][1]}, true
	}
	return span{}, false
}

func detectNoticeDate(a *analysis) (span, bool) {
	for i, b := range a.doc.Blocks {
		if i >= 4 {
			break
		}
		t := a.doc.BlockText(b)
		if m := dateRe.FindStringIndex(t); m != nil {
			w, _ := countWords(t)
			if w <= 8 || m[0] == 0 || dateLabelRe.MatchString(t) {
				return span{b.Start + m[0], b.Start + m[1]}, true
			}
		}
		if dateLabelRe.MatchString(t) {
			return span{b.Start, b.End}, true
		}
	}
	return span{}, false
}

func detectTypes(a *analysis) (span, bool) {
	var best span
	for _, sp := range a.exposedAt {
		if !best.ok() || sp.start < best.start {
			best = sp
		}
	}
	return best, best.ok()
}

// concreteRe finds specific remediation measures: actions done to named
// things, not "enhancing security".
var concreteRe = regexp.MustCompile(`(?i)\b(?:reset|rotated|revoked|disabled|patched|fixed|closed|removed|deleted|blocked|shut (?:down|off)|took [^.]{0,30}offline|taken offline|locked|unlocked|expired|invalidated|signed (?:everyone|all users|you) out|logged out|replaced|upgraded|updated (?:the|our) (?:software|server|system|firewall)|encrypt\w* (?:the|all|every)|now encrypt\w*|added (?:two-step|two-factor|multi-factor|a second)|(?:require|required|requiring|turned on|enabled) (?:two-step|two-factor|multi-factor|2fa|mfa|a second)|hired|engaged|retained|brought in|reported (?:it |this )?to (?:the )?(?:police|fbi|law[- ]enforcement)|notified (?:the )?(?:police|fbi|law[- ]enforcement|attorney general)|contacted (?:the )?(?:police|fbi|law[- ]enforcement)|retrain\w*|trained (?:our|all|every)|restricted|limited access|moved|isolated|contained|recovered|secured|changed (?:the|all|every)|stopped|ended|terminated|cut off|banned|suspended)\b`)

func detectSteps(a *analysis) (span, bool) {
	if sp, ok := a.first(concreteRe); ok {
		return sp, true
	}
	if sec, ok := a.sectionSpan(measuresHeadingRe); ok {
		for _, s := range a.sents {
			if s.Start > sec.start && s.End <= sec.end && a.doc.Blocks[s.Block].Kind != Heading {
				return span{s.Start, s.End}, true
			}
		}
	}
	return span{}, false
}

func detectAdvice(a *analysis) (span, bool) {
	for i := range a.sents {
		s := a.sentence(i)
		if m := adviceRe.FindStringIndex(s); m != nil {
			return span{a.sents[i].Start + m[0], a.sents[i].Start + m[1]}, true
		}
	}
	if sec, ok := a.sectionSpan(adviceHeadingRe); ok {
		for _, s := range a.sents {
			if s.Start > sec.start && s.End <= sec.end && a.doc.Blocks[s.Block].Kind != Heading {
				return span{s.Start, s.End}, true
			}
		}
	}
	return span{}, false
}

func detectContact(a *analysis) (span, bool) {
	if sp, ok := a.first(phoneRe); ok {
		return sp, true
	}
	for _, l := range a.doc.Links {
		if l.Kind != LinkImage && l.Start >= 0 && l.Host() != "" {
			return span{l.Start, l.End}, true
		}
	}
	return a.first(postalRe)
}

// blockMatching returns the first block matched by every one of res.
func (a *analysis) blockMatching(res ...*regexp.Regexp) (span, bool) {
	for _, b := range a.doc.Blocks {
		t := a.doc.BlockText(b)
		ok := true
		for _, re := range res {
			if !re.MatchString(t) {
				ok = false
				break
			}
		}
		if ok {
			return span{b.Start, b.End}, true
		}
	}
	return span{}, false
}

var anyContactRe = regexp.MustCompile(phoneRe.String() + `|` + bareDomainRe.String() + `|` + bareURLRe.String() + `|` + postalRe.String())

func detectTollFree(a *analysis) (span, bool) {
	var first span
	for _, re := range bureauRes {
		sp, ok := a.blockMatching(re, tollFreeRe)
		if !ok {
			return span{}, false
		}
		if !first.ok() {
			first = sp
		}
	}
	return first, true
}

func detectBureaus(a *analysis) (span, bool) {
	var first span
	for _, re := range bureauRes {
		sp, ok := a.blockMatching(re, anyContactRe)
		if !ok {
			return span{}, false
		}
		if !first.ok() {
			first = sp
		}
	}
	return first, true
}

func detectFTC(a *analysis) (span, bool) {
	if _, ok := a.first(ftcRe); !ok {
		if sp, ok := a.first(ftcTheftRe); ok {
			return sp, true
		}
		return span{}, false
	}
	return a.first(ftcContactRe)
}

func detectAG(a *analysis) (span, bool) { return a.blockMatching(agRe, anyContactRe) }

func detectOffer(a *analysis) (span, bool) {
	for _, sp := range a.all(offerRe) {
		if a.sentenceHas(offerVerbRe, sp.start) && !a.sentenceHas(offerDeniedRe, sp.start) {
			return sp, true
		}
	}
	return span{}, false
}

var reportRe = regexp.MustCompile(`(?i)\b(?:report|police|fake|pretend|trick|scam)\w*`)

var neverRe = regexp.MustCompile(`(?i)\bnever\b`)

// offerDeniedRe marks a sentence that mentions monitoring without offering
// it ("we are not offering credit monitoring").
var offerDeniedRe = regexp.MustCompile(`(?i)\b(?:not|no longer|cannot|can't|won't|will not|do not|don't|unable to)\s+(?:be\s+)?(?:offer\w*|provid\w*|pay\w*|cover\w*)`)

func detectLawDelay(a *analysis) (span, bool) {
	for _, i := range a.sentencesMatching(lawDelayRe, delayRe) {
		return span{a.sents[i].Start, a.sents[i].End}, true
	}
	return span{}, false
}

func detectEntity(a *analysis) (span, bool) {
	if a.opts != nil && a.opts.Org != nil {
		for _, n := range []string{a.opts.Org.Brand, a.opts.Org.LegalName} {
			if n = strings.TrimSpace(n); n == "" {
				continue
			}
			re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(n) + `\b`)
			if sp, ok := a.first(re); ok {
				return sp, true
			}
		}
	}
	return a.first(entityRe)
}

func detectDPO(a *analysis) (span, bool) {
	if sp, ok := a.first(dpoRe); ok {
		return sp, true
	}
	if sp, ok := a.first(phoneRe); ok {
		return sp, true
	}
	for _, l := range a.doc.Links {
		if l.Kind == LinkEmail && l.Start >= 0 {
			return span{l.Start, l.End}, true
		}
	}
	return a.first(postalRe)
}

func detectConsequences(a *analysis) (span, bool) {
	for _, i := range a.sentencesMatching(consequenceRe, harmRe) {
		return span{a.sents[i].Start, a.sents[i].End}, true
	}
	return span{}, false
}

// headingPresent finds a heading (or a block opening with the words and a
// colon, question mark, full stop or dash, as in "What Happened? On June
// 3…") matching h, ignoring case,
// punctuation and spacing.
func (a *analysis) headingPresent(h string) (span, bool) {
	want := squeeze(h)
	for _, b := range a.doc.Blocks {
		t := a.doc.BlockText(b)
		if squeeze(t) == want {
			return span{b.Start, b.End}, true
		}
		if i := strings.IndexAny(t, ":?.—"); i > 0 && squeeze(t[:i]) == want {
			return span{b.Start, b.Start + i}, true
		}
	}
	return span{}, false
}

// titlePresent finds the title t in a heading or in the first block.
func (a *analysis) titlePresent(t string) (span, bool) {
	want := squeeze(t)
	for i, b := range a.doc.Blocks {
		if b.Kind != Heading && i > 0 {
			continue
		}
		if strings.Contains(squeeze(a.doc.BlockText(b)), want) {
			return span{b.Start, b.End}, true
		}
	}
	return span{}, false
}

func detectCAHeadings(a *analysis) (span, bool) {
	first, ok := a.titlePresent("Notice of Data Breach")
	if !ok {
		return span{}, false
	}
	for _, h := range californiaHeadings {
		if _, ok := a.headingPresent(h); !ok {
			return span{}, false
		}
	}
	return first, true
}

func detectCASpecific(a *analysis) (span, bool) {
	sp, ok := detectCAHeadings(a)
	if !ok {
		return span{}, false
	}
	if !a.detect("date_of_notice").found || !a.detect("notice_delayed_by_law_enforcement").found {
		return span{}, false
	}
	return sp, true
}

func detectPasswordAdvice(a *analysis) (span, bool) {
	for _, i := range a.sentencesMatching(passwordChangeRe) {
		s := a.sentence(i)
		if reuseRe.MatchString(s) || reuseRe.MatchString(a.sentence(i+1)) || reuseRe.MatchString(a.sentence(i-1)) {
			return span{a.sents[i].Start, a.sents[i].End}, true
		}
	}
	return span{}, false
}

var (
	lateRe        = regexp.MustCompile(`(?i)\b(?:late|later than|delay(?:ed|ing)?|took (?:us )?(?:longer|more time)|could not (?:notify|write to|tell) (?:you |them )?(?:sooner|earlier))\b`)
	reasonRe      = regexp.MustCompile(`(?i)\b(?:because|since|due to|owing to|in order to|so that|the reasons?|reasons? (?:for|why))\b`)
	notLateRe     = regexp.MustCompile(`(?i)\b(?:not|never|no|without)\s+(?:\w+\s+)?(?:delay\w*|late)\b`)
	complainRe    = regexp.MustCompile(`(?i)\bcomplain\w*\b|\b(?:lodge|make|file|submit) a complaint\b`)
	complainRight = regexp.MustCompile(`(?i)\bright to\b|\byou (?:can|may|are entitled to|also have)\b|\bentitled to\b`)
	authorityRe   = regexp.MustCompile(`(?i)\b(?:(?:privacy|information) commissioner|commissioner|regulators?|supervisory authority|data[- ]protection (?:authority|board|commission|office)|privacy (?:authority|office of the)|information regulator|ANPD|ICO|OPC|OAIC|CAI|PDPC|PIPC|FDPIC|CNIL|AEPD)\b`)
	toldRe        = regexp.MustCompile(`(?i)\b(?:notified|told|informed|alerted|reported (?:this|the breach|it|the incident)?\s*to|have contacted|has been contacted)\b`)
	futureNotRe   = regexp.MustCompile(`(?i)\b(?:will|shall|plan to|intend to|not|yet to)\b`)
	recipientRe   = regexp.MustCompile(`(?i)\b(?:someone (?:outside|from outside)|an outsider|unauthori[sz]ed (?:person|party|parties|individual|user|third part(?:y|ies))|criminals?|criminal group|attackers?|hackers?|thie(?:f|ves)|ransomware (?:group|gang)|(?:former|current|an?) (?:employee|contractor|vendor|staff member)|third part(?:y|ies)|advertis(?:er|ers|ing (?:partners?|companies))|(?:do not|don't|did not) know who|unknown (?:person|party|individual|actor|attacker)s?)\b`)
	obtainedRe    = regexp.MustCompile(`(?i)\b(?:obtain\w*|got|gained|acquir\w*|download\w*|copied|took|stole|accessed|received|viewed|opened|shared (?:it |them )?with|sent (?:it |them )?to|disclosed (?:it |them )?to|holds?|has (?:it|them|your))\b`)
	speculativeRe = regexp.MustCompile(`(?i)\b(?:could|might|can)\b`)
)

func detectDelayReasons(a *analysis) (span, bool) {
	for _, i := range a.sentencesMatching(lateRe, reasonRe) {
		if !notLateRe.MatchString(a.sentence(i)) {
			return span{a.sents[i].Start, a.sents[i].End}, true
		}
	}
	return span{}, false
}

func detectComplaintRight(a *analysis) (span, bool) {
	for _, i := range a.sentencesMatching(complainRe, complainRight, authorityRe) {
		return span{a.sents[i].Start, a.sents[i].End}, true
	}
	return span{}, false
}

func detectRegulatorNotified(a *analysis) (span, bool) {
	for _, i := range a.sentencesMatching(toldRe, authorityRe) {
		if !futureNotRe.MatchString(a.sentence(i)) && !complainRe.MatchString(a.sentence(i)) {
			return span{a.sents[i].Start, a.sents[i].End}, true
		}
	}
	return span{}, false
}

func detectRecipient(a *analysis) (span, bool) {
	for _, i := range a.sentencesMatching(recipientRe, obtainedRe) {
		if !speculativeRe.MatchString(a.sentence(i)) {
			return span{a.sents[i].Start, a.sents[i].End}, true
		}
	}
	return span{}, false
}
