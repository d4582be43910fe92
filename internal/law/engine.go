package law

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/severity"
)

// Disclaimer is shown once with every plan.
const Disclaimer = "Candor gives legal information, not legal advice. Laws change and their application depends on facts Candor may not know: have a lawyer review this plan before relying on it. Each rule shows the date it was last reviewed."

// SevenDayGoal is the company's own target: notify everyone within seven
// days of discovery, whatever the law allows.
const SevenDayGoal = 7

// Facts are what the engine needs to know about an incident.
type Facts struct {
	// Discovered is when the breach was discovered; its location is the
	// zone deadlines are counted in.
	Discovered time.Time
	// Sectors are the entity's regulatory sectors (see Sectors).
	Sectors        []string
	Encrypted      bool
	KeyCompromised bool
	// HarmLikely is the documented risk-of-harm determination; unknown is
	// read as likely.
	HarmLikely breach.Tristate
	// LawEnforcementDelay is set when an agency asked for notice to wait.
	LawEnforcementDelay bool
	// Paper is set when the breached records were on paper.
	Paper bool
	// Severity overrides the derived severity inputs.
	Severity severity.Overrides
	// Assumed lists facts the caller did not know and the protective
	// reading it took; they are repeated in the plan's notes.
	Assumed []string
}

// FactsFromIncident returns the facts of a stored incident, counted in its
// time zone, for an entity in the given sectors.
func FactsFromIncident(inc *breach.Incident, sectors []string) Facts {
	return Facts{
		Discovered:          inc.DiscoveredAt.In(inc.Location()),
		Sectors:             sectors,
		Encrypted:           inc.Encrypted,
		KeyCompromised:      inc.KeyCompromised,
		HarmLikely:          inc.HarmLikely,
		LawEnforcementDelay: inc.LawEnforcementDelay,
	}
}

// Plan is the engine's answer for one incident: every obligation with its
// deadline and reasons, the severity, and what was assumed.
type Plan struct {
	GeneratedAt time.Time `json:"generated_at"`
	Discovered  time.Time `json:"discovered"`
	// Affected is the number of people in the population.
	Affected    int64                `json:"affected"`
	Obligations []Obligation         `json:"obligations"`
	Severity    *severity.Assessment `json:"severity"`
	SevenDay    SevenDayTarget       `json:"seven_day_target"`
	// IdentityProtection is the longest free identity-protection period any
	// applicable law requires.
	IdentityProtection IdentityProtectionDuty `json:"identity_protection"`
	Notes              []string               `json:"notes"`
	// Rules lists every rule that was evaluated, with its reviewed date.
	Rules      []RuleSummary `json:"rules"`
	Disclaimer string        `json:"disclaimer"`
}

// SevenDayTarget is the company's goal of notifying within seven days of
// discovery, beside the legal deadlines.
type SevenDayTarget struct {
	Date Date   `json:"date"`
	Text string `json:"text"`
	// EarlierDeadlines counts the legal deadlines that fall before it.
	EarlierDeadlines int `json:"earlier_deadlines"`
}

// IdentityProtectionDuty is the free identity-protection the laws require.
type IdentityProtectionDuty struct {
	Months int `json:"months"`
	// Required lists each duty, such as "US-CT: 24 months for 312 people".
	Required []string `json:"required"`
}

// RuleSummary identifies a rule and when it was last reviewed.
type RuleSummary struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Reviewed   Date   `json:"reviewed"`
	Confidence string `json:"confidence"`
	Citation   string `json:"citation"`
}

// Obligation is one notice owed to one audience under one rule.
type Obligation struct {
	// Regime is the rule's id, such as "US-TX" or "eu_gdpr".
	Regime string `json:"regime"`
	// Jurisdiction is the code whose residents the notice concerns: "US-TX",
	// "DE", or "US" for federal rules.
	Jurisdiction string `json:"jurisdiction"`
	// Audience is individuals, regulator, consumer_reporting_agencies,
	// media, covered_entity, law_enforcement or other.
	Audience  string `json:"audience"`
	Recipient string `json:"recipient"`
	Required  bool   `json:"required"`
	// Affected is the number of people whose data trigger the rule.
	Affected int64 `json:"affected"`
	// Deadline is nil when the law sets no fixed period.
	Deadline *Date `json:"deadline"`
	// DeadlineText is the law's own words.
	DeadlineText string `json:"deadline_text"`
	Citation     string `json:"citation"`
	// Why gives the facts and the rule that produced the obligation.
	Why string `json:"why"`

	RegimeName string `json:"regime_name"`
	// DeadlineAt is the exact instant of an hours deadline.
	DeadlineAt *time.Time `json:"deadline_at,omitempty"`
	// Target is the recommended internal date when there is no fixed
	// deadline.
	Target *Date `json:"target,omitempty"`
	// EarlierThanTarget flags a legal deadline before the seven-day goal.
	EarlierThanTarget bool `json:"earlier_than_target"`
	// Timing ties the notice to the notice to individuals:
	// before_individuals, with_individuals or after_individuals (a period
	// counted from it); empty when it is not tied to it. The deadline or
	// target was then computed from the individuals' deadline or target.
	Timing string `json:"timing,omitempty"`
	// Conditional is set when the rule names a condition the engine cannot
	// check (Condition); the obligation is kept, to be safe.
	Conditional bool   `json:"conditional"`
	Condition   string `json:"condition,omitempty"`
	// ContentRequired and ContentProhibited are content items.
	ContentRequired          []string `json:"content_required,omitempty"`
	ContentProhibited        []string `json:"content_prohibited,omitempty"`
	IdentityProtectionMonths int      `json:"identity_protection_months,omitempty"`
	Methods                  []string `json:"methods,omitempty"`
	Form                     string   `json:"form,omitempty"`
	Contact                  string   `json:"contact,omitempty"`
	Reviewed                 Date     `json:"reviewed"`
	Confidence               string   `json:"confidence"`
}

// Assess evaluates every applicable rule for an incident's population,
// grouped by jurisdiction × element set (each group is evaluated once per
// rule, never per person). now stamps the plan. It returns EINVALID for
// facts or groups it cannot use.
func (reg *Registry) Assess(f Facts, population []breach.StatGroup, now time.Time) (*Plan, error) {
	if f.Discovered.IsZero() {
		return nil, breach.Errorf(breach.EINVALID, "assess: the discovery time is required")
	}
	switch f.HarmLikely {
	case breach.Unknown, breach.Yes, breach.No:
	case "":
		f.HarmLikely = breach.Unknown
	default:
		return nil, breach.Errorf(breach.EINVALID, "assess: harm_likely %q is not true, false or unknown", f.HarmLikely)
	}
	e := &evaluation{reg: reg, f: f, acc: make(map[accKey]*ruleJurisdiction)}
	var all breach.ElementSet
	plan := &Plan{GeneratedAt: now, Discovered: f.Discovered, Disclaimer: Disclaimer}
	for _, g := range population {
		if g.Count < 0 {
			return nil, breach.Errorf(breach.EINVALID, "assess: group %s %s has a negative count", g.Jurisdiction, g.Elements)
		}
		if g.Jurisdiction != "" {
			if err := g.Jurisdiction.Validate(); err != nil {
				return nil, err
			}
		}
		if g.Count == 0 {
			continue
		}
		plan.Affected += g.Count
		all = all.Union(g.Elements)
		e.group(g)
	}

	sev, err := severity.Assess(severity.Input{Elements: all, Encrypted: f.Encrypted, KeyCompromised: f.KeyCompromised, Individuals: plan.Affected}, f.Severity)
	if err != nil {
		return nil, err
	}
	plan.Severity = sev

	e.notes = append(e.notes, f.Assumed...)
	e.factNotes()
	for _, rj := range e.sorted() {
		e.obligations(rj)
	}
	e.unknownNotes()

	plan.Obligations = e.out
	sortObligations(plan.Obligations)
	target := DateOf(f.Discovered).AddDays(SevenDayGoal)
	plan.SevenDay.Date = target
	for i := range plan.Obligations {
		o := &plan.Obligations[i]
		if o.Required && o.Deadline != nil && o.Deadline.Before(target) {
			o.EarlierThanTarget = true
			plan.SevenDay.EarlierDeadlines++
		}
	}
	plan.SevenDay.Text = fmt.Sprintf("Our goal: notify everyone within %d days of discovery, by %s.", SevenDayGoal, target)
	switch n := plan.SevenDay.EarlierDeadlines; n {
	case 0:
		plan.SevenDay.Text += " No legal deadline falls earlier."
	case 1:
		plan.SevenDay.Text += " 1 legal deadline falls earlier: meet it first."
	default:
		plan.SevenDay.Text += fmt.Sprintf(" %d legal deadlines fall earlier: meet them first.", n)
	}
	plan.IdentityProtection = e.idp
	if plan.IdentityProtection.Required == nil {
		plan.IdentityProtection.Required = []string{}
	}
	plan.Notes = e.notes
	if plan.Notes == nil {
		plan.Notes = []string{}
	}
	plan.Rules = e.rules
	if plan.Obligations == nil {
		plan.Obligations = []Obligation{}
	}
	if plan.Rules == nil {
		plan.Rules = []RuleSummary{}
	}
	return plan, nil
}

type accKey struct {
	rule *Rule
	code string
}

// ruleJurisdiction collects the groups one rule covers in one jurisdiction.
type ruleJurisdiction struct {
	rule   *Rule
	code   string
	groups []groupResult
}

type status int

const (
	noMatch status = iota
	paperExcluded
	encryptionExempt
	triggered
)

type groupResult struct {
	g      breach.StatGroup
	status status
	// matched describes the combinations found: "[ssn]", "[email, password] (no name needed)".
	matched []string
}

type evaluation struct {
	reg   *Registry
	f     Facts
	acc   map[accKey]*ruleJurisdiction
	order []accKey
	out   []Obligation
	notes []string
	rules []RuleSummary
	idp   IdentityProtectionDuty

	unknownJurisdiction int64
	uncovered           map[breach.Jurisdiction]int64
	// outOfSector holds, by jurisdiction, the state and national rules that
	// cover it but not the entity's sectors (Georgia binds only data
	// brokers and government agencies).
	outOfSector map[breach.Jurisdiction][]*Rule
	// noHarmIgnored lists the rules that allow no risk-of-harm exemption
	// although a no-harm determination was recorded.
	noHarmIgnored []string
}

// group evaluates one population group against every rule covering its
// jurisdiction.
func (e *evaluation) group(g breach.StatGroup) {
	if g.Jurisdiction == "" {
		e.unknownJurisdiction += g.Count
		return
	}
	covered := false
	for _, r := range e.reg.ForJurisdiction(g.Jurisdiction) {
		code := r.match(g.Jurisdiction)
		if code == "" {
			continue
		}
		if !r.AppliesTo(e.f.Sectors) {
			if r.Kind == KindState || r.Kind == KindCountry {
				if e.outOfSector == nil {
					e.outOfSector = make(map[breach.Jurisdiction][]*Rule)
				}
				if !containsRule(e.outOfSector[g.Jurisdiction], r) {
					e.outOfSector[g.Jurisdiction] = append(e.outOfSector[g.Jurisdiction], r)
				}
			}
			continue
		}
		if r.Kind == KindState || r.Kind == KindCountry {
			covered = true
		}
		k := accKey{r, code}
		rj, ok := e.acc[k]
		if !ok {
			rj = &ruleJurisdiction{rule: r, code: code}
			e.acc[k] = rj
			e.order = append(e.order, k)
		}
		rj.groups = append(rj.groups, e.evaluate(r, g))
	}
	if !covered {
		if e.uncovered == nil {
			e.uncovered = make(map[breach.Jurisdiction]int64)
		}
		e.uncovered[g.Jurisdiction] += g.Count
	}
}

// evaluate decides whether rule r is triggered for group g.
func (e *evaluation) evaluate(r *Rule, g breach.StatGroup) groupResult {
	res := groupResult{g: g}
	set := g.Elements
	switch {
	case r.PersonalInformation.AnyPersonalData && set != 0:
		res.matched = append(res.matched, "personal data")
	default:
		if set.Has(breach.ElementName) {
			for i, c := range r.withName {
				if set.HasAll(c) {
					res.matched = append(res.matched, "["+strings.Join(r.PersonalInformation.WithName[i], ", ")+"]")
				}
			}
		}
		for i, c := range r.withoutName {
			if set.HasAll(c) && !(set.Has(breach.ElementName) && containsSet(r.withName, c)) {
				res.matched = append(res.matched, "["+strings.Join(r.PersonalInformation.WithoutName[i], ", ")+"] (no name needed)")
			}
		}
	}
	switch {
	case len(res.matched) == 0:
		res.status = noMatch
	case e.f.Paper && r.PaperRecords != nil && !*r.PaperRecords:
		res.status = paperExcluded
	case e.encryptionExempt(r):
		res.status = encryptionExempt
	default:
		res.status = triggered
	}
	return res
}

// encryptionExempt reports whether the safe harbour applies: the data were
// encrypted and the key was safe, or the law keeps the harbour even when
// the key was compromised. A law silent on keys loses the harbour when the
// key was compromised (the protective reading).
func (e *evaluation) encryptionExempt(r *Rule) bool {
	if !e.f.Encrypted || !r.Encryption.SafeHarbor {
		return false
	}
	if !e.f.KeyCompromised {
		return true
	}
	voids := r.Encryption.KeyCompromiseVoids
	return voids != nil && !*voids
}

func (e *evaluation) sorted() []*ruleJurisdiction {
	keys := append([]accKey(nil), e.order...)
	sort.SliceStable(keys, func(i, j int) bool {
		if keys[i].rule != keys[j].rule {
			return ruleLess(keys[i].rule, keys[j].rule)
		}
		return keys[i].code < keys[j].code
	})
	out := make([]*ruleJurisdiction, len(keys))
	for i, k := range keys {
		out[i] = e.acc[k]
	}
	return out
}

// factNotes states once how unknown or special facts were read.
func (e *evaluation) factNotes() {
	f := e.f
	if f.HarmLikely == breach.Unknown {
		e.notes = append(e.notes, "Harm likelihood is unknown: Candor assumes harm is likely (the protective reading), so no law's risk-of-harm exemption is used. Record a documented determination to change this.")
	}
	e.notes = append(e.notes, fmt.Sprintf("Deadlines are counted in the zone of the discovery time (%s). Periods that run from \"determination\" or \"awareness\" are counted from discovery, the earliest possible date (protective reading).", zoneLabel(f.Discovered)))
	if f.LawEnforcementDelay {
		e.notes = append(e.notes, "A law-enforcement agency asked for a delay: dates are shown without the delay (protective). Where a law allows the delay, notice is due once the agency says it no longer impedes the investigation; keep the agency's request in writing.")
	}
	if f.Encrypted && f.KeyCompromised {
		e.notes = append(e.notes, "The data were encrypted but the key was compromised: encryption safe harbours are lost where the law says so, and where the law is silent (protective reading).")
	}
}

// lawName names a rule in prose: "Georgia's law" for a state, the rule's
// name otherwise.
func lawName(r *Rule, code string) string {
	if r.Kind == KindState && r.ID == code {
		return breach.Jurisdiction(code).Name() + "'s law"
	}
	return r.Name
}

func containsRule(rules []*Rule, r *Rule) bool {
	for _, x := range rules {
		if x == r {
			return true
		}
	}
	return false
}

func (e *evaluation) unknownNotes() {
	if len(e.noHarmIgnored) > 0 {
		e.notes = append(e.notes, fmt.Sprintf("A no-harm determination was recorded (harm_likely: false), but %s %s no risk-of-harm exemption: %s notices are listed as required regardless.",
			joinAnd(e.noHarmIgnored, "and"), plural(int64(len(e.noHarmIgnored)), "allows", "allow"), plural(int64(len(e.noHarmIgnored)), "its", "their")))
	}
	if e.unknownJurisdiction > 0 {
		e.notes = append(e.notes, fmt.Sprintf("%d %s no known jurisdiction and %s not evaluated: complete the addresses and assess again.", e.unknownJurisdiction, plural(e.unknownJurisdiction, "person has", "people have"), plural(e.unknownJurisdiction, "was", "were")))
	}
	var codes []string
	for j := range e.uncovered {
		codes = append(codes, string(j))
	}
	sort.Strings(codes)
	for _, c := range codes {
		n := e.uncovered[breach.Jurisdiction(c)]
		if rules := e.outOfSector[breach.Jurisdiction(c)]; len(rules) > 0 {
			for _, r := range rules {
				e.notes = append(e.notes, fmt.Sprintf("%s: %s covers only %s; it does not apply to %s, so the %d %s here %s owed no notice under it, and Candor has no other state or national rule for them. If the entity is in fact one of those, declare the sector and assess again.",
					c, lawName(r, c), sectorsPlural(r.AppliesToSectors), entityDescription(e.f.Sectors), n, plural(n, "person", "people"), plural(n, "is", "are")))
			}
			continue
		}
		if breach.Jurisdiction(c) == "US" {
			e.notes = append(e.notes, fmt.Sprintf("%d %s in the US %s no known state: only federal and sector rules were evaluated; find the state and assess again.", n, plural(n, "person", "people"), plural(n, "has", "have")))
			continue
		}
		e.notes = append(e.notes, fmt.Sprintf("%s: Candor has no state or national breach-notification rule for the %d %s here; check local law.", c, n, plural(n, "person", "people")))
	}
}

// obligations turns one rule's groups in one jurisdiction into obligations.
func (e *evaluation) obligations(rj *ruleJurisdiction) {
	r, f := rj.rule, e.f
	e.rules = appendRule(e.rules, r)
	var hit, enc, paper, none int64
	var hitGroups, noneGroups []groupResult
	for _, gr := range rj.groups {
		switch gr.status {
		case triggered:
			hit += gr.g.Count
			hitGroups = append(hitGroups, gr)
		case encryptionExempt:
			enc += gr.g.Count
		case paperExcluded:
			paper += gr.g.Count
		default:
			none += gr.g.Count
			noneGroups = append(noneGroups, gr)
		}
	}
	noun := residentNoun(rj.code)
	if none > 0 {
		var sets []string
		for _, gr := range noneGroups {
			sets = append(sets, humanSet(gr.g.Elements))
		}
		e.notes = append(e.notes, fmt.Sprintf("%s: %d %s with %s: not personal information under %s; no notice under this law.", ruleAt(r, rj.code), none, plural(none, singular(noun), noun), strings.Join(dedupe(sets), "; "), r.Citations[0]))
	}
	if paper > 0 {
		e.notes = append(e.notes, fmt.Sprintf("%s: %d %s: the records were on paper and this law covers computerized data only.", ruleAt(r, rj.code), paper, plural(paper, singular(noun), noun)))
	}
	if hit == 0 {
		if enc > 0 && r.Individuals.Required {
			o := e.base(r, rj.code, AudienceIndividuals, affectedLabel(rj.code))
			o.Required = false
			o.Affected = enc
			o.DeadlineText = r.Individuals.Text
			o.Why = fmt.Sprintf("%d %s: %s → encryption safe harbour; no notice required", enc, plural(enc, singular(noun), noun), e.harbourReason())
			e.out = append(e.out, o)
		}
		return
	}

	match := describeMatches(hitGroups)
	var extra []string
	if enc > 0 {
		extra = append(extra, fmt.Sprintf("%d more %s excluded: %s", enc, plural(enc, singular(noun), noun), e.harbourReason()))
	}
	extra = append(extra, e.encryptionWhy(r)...)
	if f.Paper && r.PaperRecords == nil {
		extra = append(extra, "records on paper and the law is unclear on paper → treated as covered (protective)")
	}
	harmExempt := r.RiskOfHarm.Exemption && f.HarmLikely == breach.No
	highRiskOnly := r.RiskOfHarm.IndividualsOnlyIfHighRisk
	if r.RiskOfHarm.Exemption && f.HarmLikely == breach.Unknown {
		extra = append(extra, "harm unknown → assumed likely, no-harm exemption not used (protective)")
	}
	noHarmIgnored := ""
	if f.HarmLikely == breach.No && !r.RiskOfHarm.Exemption && !highRiskOnly {
		noHarmIgnored = "no-harm determination (harm_likely: false) not relied on: this law allows no risk-of-harm exemption"
		if hasNoHarmNotices(r) {
			noHarmIgnored = "no-harm determination (harm_likely: false) not relied on: this law has no general risk-of-harm exemption (see the notice for its narrower no-harm exception)"
		}
		extra = append(extra, noHarmIgnored)
		if !contains(e.noHarmIgnored, r.ID) {
			e.noHarmIgnored = append(e.noHarmIgnored, r.ID)
		}
	}
	if f.LawEnforcementDelay {
		if r.LawEnforcementDelay != "" {
			extra = append(extra, "law-enforcement delay allowed by this law but not applied to the date (protective)")
		} else {
			extra = append(extra, "this law provides no law-enforcement delay")
		}
	}
	suffix := ""
	if len(extra) > 0 {
		suffix = "; " + strings.Join(extra, "; ")
	}
	// The no-harm notice itself needs no word that the determination was
	// not relied on.
	noHarmSuffix := strings.Replace(suffix, "; "+noHarmIgnored, "", 1)

	// Individuals.
	var indiv *dueDate
	if !r.Individuals.Required {
		o := e.base(r, rj.code, AudienceIndividuals, affectedLabel(rj.code))
		o.Affected = hit
		o.DeadlineText = r.Individuals.Text
		o.Why = fmt.Sprintf("%s; this law sets no duty to notify individuals (see deadline_text); other laws may", match)
		e.out = append(e.out, o)
	} else {
		o := e.base(r, rj.code, AudienceIndividuals, affectedLabel(rj.code))
		o.Affected = hit
		o.DeadlineText = r.Individuals.Text
		var exposed breach.ElementSet
		for _, gr := range hitGroups {
			exposed = exposed.Union(gr.g.Elements)
		}
		content := r.RequiredContent(exposed)
		o.ContentRequired = make([]string, len(content))
		for i, c := range content {
			o.ContentRequired[i] = string(c)
		}
		o.ContentProhibited = r.Content.Prohibited
		o.Methods = r.Methods
		count := fmt.Sprintf("%d %s", hit, plural(hit, singular(noun), noun))
		switch {
		case harmExempt:
			o.Required = false
			o.Why = fmt.Sprintf("%s; %s; documented no-harm determination (harm_likely: false) → no notice to individuals required%s; keep: %s%s", match, count, noOtherNotices(r), orNone(r.RiskOfHarm.Documentation), suffix)
		case highRiskOnly && f.HarmLikely == breach.No:
			o.Required = false
			o.Why = fmt.Sprintf("%s; %s; no high risk (harm_likely: false) → individuals need not be told; keep: %s%s", match, count, orNone(r.RiskOfHarm.Documentation), suffix)
		default:
			o.Required = true
			risk := ""
			if highRiskOnly {
				if f.HarmLikely == breach.Unknown {
					risk = "; high risk assumed (protective)"
				} else {
					risk = "; high risk determined"
				}
			}
			due, phrase := e.due(r, r.Individuals.Deadline, nil)
			o.setDue(due)
			indiv = &due
			o.Why = fmt.Sprintf("%s; %s%s → notify them %s%s%s", match, count, risk, phrase, conditionalContent(r, exposed), suffix)
			e.identityProtection(r, rj, hitGroups, &o)
		}
		e.out = append(e.out, o)
	}

	// Everyone else.
	for i := range r.Notices {
		n := &r.Notices[i]
		lead := match
		switch {
		case n.OnlyIfNoHarmDetermination && f.HarmLikely != breach.No:
			continue // no determination was made
		case n.OnlyIfNoHarmDetermination && harmExempt:
			lead = "no-harm determination relied on"
		case n.OnlyIfNoHarmDetermination:
			lead = "no-harm determination recorded (harm_likely: false)"
		case harmExempt:
			continue // the exemption excuses every other notice
		}
		if !n.AppliesTo(f.Sectors) {
			e.notes = append(e.notes, fmt.Sprintf("%s: the notice to %s is owed only by %s; not listed (declare the sector if the entity is one).", ruleAt(r, rj.code), theRecipient(n.Recipient), sectorsPlural(n.Sectors)))
			continue
		}
		sfx := suffix
		if n.OnlyIfNoHarmDetermination && noHarmIgnored != "" {
			sfx = noHarmSuffix
		}
		if n.ThresholdScope == ScopeJurisdiction && breach.Jurisdiction(rj.code).Subdivision() == "" {
			e.scopedNotice(r, rj.code, n, hitGroups, match, lead, indiv, sfx)
			continue
		}
		e.out = append(e.out, e.notice(r, rj.code, n, hit, plural(hit, singular(noun), noun), match, lead, indiv, sfx))
	}
}

// notice builds the obligation of notice n for count people of code, named
// noun. match explains a threshold that is not met; lead opens the
// explanation of a notice that is due (the matched combinations, or the
// no-harm determination).
func (e *evaluation) notice(r *Rule, code string, n *Notice, count int64, noun, match, lead string, indiv *dueDate, suffix string) Obligation {
	o := e.base(r, code, n.Audience, n.Recipient)
	o.Citation = n.CitationOr(o.Citation)
	o.Affected = count
	o.DeadlineText = n.Text
	o.ContentRequired = n.Content
	o.Form, o.Contact = n.Form, n.Contact
	cmp := n.Threshold.Compare(count, noun)
	if !n.Threshold.Met(count) {
		o.Required = false
		first := match
		if n.OnlyIfNoHarmDetermination {
			first = lead
		}
		o.Why = fmt.Sprintf("%s; %s → no notice to %s required", first, cmp, theRecipient(n.Recipient))
		return o
	}
	o.Required = true
	due, phrase, timing := e.noticeDue(r, n, indiv)
	o.setDue(due)
	o.Timing = timing
	cond := ""
	if n.Condition != "" {
		o.Conditional, o.Condition = true, n.Condition
		cond = "; condition: " + n.Condition
	}
	sector := ""
	if len(n.Sectors) > 0 {
		sector = "; owed by " + sectorsPlural(n.Sectors) + " (sector declared)"
	}
	o.Why = fmt.Sprintf("%s; %s%s → notify %s %s%s%s", lead, cmp, sector, theRecipient(o.Recipient), phrase, cond, suffix)
	return o
}

// scopedNotice evaluates a notice whose threshold counts the residents of
// each state or subdivision separately (HIPAA's media notice: more than 500
// residents of a State): one obligation for each subdivision over the
// threshold, and one, not required, for the rest.
func (e *evaluation) scopedNotice(r *Rule, code string, n *Notice, groups []groupResult, match, lead string, indiv *dueDate, suffix string) {
	counts := make(map[string]int64)
	byCode := make(map[string][]groupResult)
	var codes []string
	for _, gr := range groups {
		j := string(gr.g.Jurisdiction)
		if _, ok := counts[j]; !ok {
			codes = append(codes, j)
		}
		counts[j] += gr.g.Count
		byCode[j] = append(byCode[j], gr)
	}
	sort.Strings(codes)
	var (
		short         []string
		rest, noPlace int64
		residing      = residingIn
	)
	for _, c := range codes {
		j, cnt := breach.Jurisdiction(c), counts[c]
		if c == code {
			noPlace += cnt
			continue
		}
		if !n.Threshold.Met(cnt) {
			short = append(short, n.Threshold.Compare(cnt, residing(cnt, j)))
			rest += cnt
			continue
		}
		local := *n
		local.Recipient = fmt.Sprintf("%s (%s)", n.Recipient, j.Name())
		localMatch, localLead := describeMatches(byCode[c]), lead
		if lead == match {
			localLead = localMatch
		}
		o := e.notice(r, c, &local, cnt, residing(cnt, j), localMatch, localLead, indiv, suffix)
		e.out = append(e.out, o)
	}
	// People with no known subdivision might all live in one: when they
	// could reach the threshold there (with the largest group below it),
	// the notice is listed as conditional (protective reading).
	var largest int64
	largestAt := ""
	for _, c := range codes {
		if c != code && !n.Threshold.Met(counts[c]) && counts[c] > largest {
			largest, largestAt = counts[c], c
		}
	}
	if noPlace > 0 && n.Threshold.Met(noPlace+largest) {
		local := *n
		local.Condition = fmt.Sprintf("only if the threshold (%s) is reached in one %s once the %d %s with no known %s are placed; find where they live", n.Threshold, subdivisionWord(code), noPlace, plural(noPlace, "person", "people"), subdivisionWord(code))
		if n.Condition != "" {
			local.Condition += "; " + n.Condition
		}
		noun := fmt.Sprintf("people with no known %s", subdivisionWord(code))
		if largest > 0 {
			noun = fmt.Sprintf("people at most in one %s (%d with no known %s + %d %s)", subdivisionWord(code), noPlace, subdivisionWord(code), largest, residingIn(largest, breach.Jurisdiction(largestAt)))
		}
		e.out = append(e.out, e.notice(r, code, &local, noPlace+largest, noun, match, lead, indiv, suffix))
		noPlace = 0
	}
	if len(short) == 0 && noPlace == 0 {
		return
	}
	o := e.base(r, code, n.Audience, n.Recipient)
	o.Citation = n.CitationOr(o.Citation)
	o.Affected = rest + noPlace
	o.DeadlineText = n.Text
	o.ContentRequired = n.Content
	o.Form, o.Contact = n.Form, n.Contact
	var parts []string
	if len(short) > 0 {
		parts = append(parts, fmt.Sprintf("counted per %s: %s → no notice to %s required for %s", subdivisionWord(code), strings.Join(short, "; "), theRecipient(n.Recipient), plural(int64(len(short)), "it", "them")))
	}
	if noPlace > 0 {
		parts = append(parts, fmt.Sprintf("%d %s with no known %s counted toward none (find where they live and assess again)", noPlace, plural(noPlace, "person", "people"), subdivisionWord(code)))
	}
	o.Why = match + "; " + strings.Join(parts, "; ")
	e.out = append(e.out, o)
}

// residingIn names n residents of j: "400 residents of Texas" without the
// number.
func residingIn(n int64, j breach.Jurisdiction) string {
	return plural(n, "resident", "residents") + " of " + j.Name()
}

// subdivisionWord names the parts of a country in explanations.
func subdivisionWord(country string) string {
	if country == "US" {
		return "State or jurisdiction"
	}
	return "subdivision"
}

// hasNoHarmNotices reports whether r lists a notice due only after a
// no-harm determination.
func hasNoHarmNotices(r *Rule) bool {
	for _, n := range r.Notices {
		if n.OnlyIfNoHarmDetermination {
			return true
		}
	}
	return false
}

// conditionalContent explains the content items required because of the
// elements exposed: "; must also say toll_free_numbers (ssn exposed)".
func conditionalContent(r *Rule, exposed breach.ElementSet) string {
	var parts []string
	for _, it := range r.Content.Items {
		if len(it.When) == 0 || !it.RequiredFor(exposed) {
			continue
		}
		var why []string
		for _, k := range it.When {
			if e, ok := elementKeys[k]; ok && exposed.Has(e) {
				why = append(why, k)
			}
		}
		parts = append(parts, fmt.Sprintf("%s (%s exposed)", it.Item, strings.Join(why, ", ")))
	}
	if len(parts) == 0 {
		return ""
	}
	return "; the notice must also say " + strings.Join(parts, ", ")
}

// harbourReason says why encrypted data are exempt.
func (e *evaluation) harbourReason() string {
	if e.f.KeyCompromised {
		return "data encrypted; the key was compromised but this law keeps the safe harbour"
	}
	return "data encrypted and the key not compromised"
}

// ruleAt names a rule in one jurisdiction for notes: "US-TX", or
// "eu_gdpr in DE".
func ruleAt(r *Rule, code string) string {
	if r.ID == code {
		return code
	}
	return r.ID + " in " + code
}

// zoneLabel shows a time with its offset and, when known, its zone name.
func zoneLabel(t time.Time) string {
	s := t.Format("2006-01-02 15:04 -07:00")
	if name := t.Location().String(); name != "" && name != "UTC" && name != "Local" {
		s += " " + name
	}
	return s
}

func (e *evaluation) encryptionWhy(r *Rule) []string {
	f := e.f
	if !f.Encrypted {
		return nil
	}
	switch {
	case !r.Encryption.SafeHarbor:
		return []string{"encrypted, but this law has no encryption safe harbour"}
	case f.KeyCompromised && r.Encryption.KeyCompromiseVoids == nil:
		return []string{"encrypted but the key was compromised; the law is silent on keys → safe harbour treated as lost (protective)"}
	case f.KeyCompromised && *r.Encryption.KeyCompromiseVoids:
		return []string{"encrypted but the key was compromised → safe harbour lost"}
	}
	return nil
}

// identityProtection records a free identity-protection duty on o.
func (e *evaluation) identityProtection(r *Rule, rj *ruleJurisdiction, groups []groupResult, o *Obligation) {
	ip := r.IdentityProtection
	if ip.Months <= 0 {
		return
	}
	var n int64
	for _, gr := range groups {
		if len(ip.When) == 0 || gr.g.Elements.HasAny(r.idWhen) {
			n += gr.g.Count
		}
	}
	if n == 0 {
		return
	}
	o.IdentityProtectionMonths = ip.Months
	trigger := ""
	if len(ip.When) > 0 {
		trigger = " whose " + strings.Join(ip.When, " or ") + " was exposed"
	}
	o.Why += fmt.Sprintf("; identity protection: %d months free for the %d%s", ip.Months, n, trigger)
	if ip.Months > e.idp.Months {
		e.idp.Months = ip.Months
	}
	e.idp.Required = append(e.idp.Required, fmt.Sprintf("%s (%s): %d months for %d %s%s", r.ID, rj.code, ip.Months, n, plural(n, "person", "people"), trigger))
}

// due computes a deadline, or for "without unreasonable delay" a
// recommended target: with the individuals' deadline when the rule has
// one, else the rule's target days after discovery. It returns the result
// and a phrase for the explanation.
func (e *evaluation) due(r *Rule, d *Deadline, indiv *Date) (dueDate, string) {
	disc := e.f.Discovered
	start := DateOf(disc)
	if d == nil {
		if indiv != nil {
			return dueDate{target: indiv}, fmt.Sprintf("with no fixed deadline (see deadline_text); recommended target %s, with the notice to individuals", indiv)
		}
		t := start.AddDays(r.Individuals.Target())
		return dueDate{target: &t}, fmt.Sprintf("without a fixed deadline (see deadline_text); recommended target %s, %d days after discovery", t, r.Individuals.Target())
	}
	us := r.US()
	date, at := d.Due(disc, us)
	var from string
	switch d.From {
	case FromDiscovery:
		from = "of discovery (" + start.String() + ")"
	case FromNoticeFromVendor:
		from = "of notice from the vendor (taken as discovery " + start.String() + ")"
	default:
		from = "of " + d.From + " (taken as discovery " + start.String() + ")"
	}
	if at != nil {
		from = strings.Replace(from, start.String(), disc.Format("2006-01-02 15:04 -07:00"), 1)
	}
	phrase := fmt.Sprintf("within %s %s, by %s", d.Period(), from, date)
	switch {
	case at != nil:
		phrase += at.Format(" 15:04 -07:00")
	case d.Unit == UnitBusinessDays && us:
		phrase += " (weekends and US federal holidays skipped)"
	case d.Unit == UnitBusinessDays:
		phrase += " (weekends skipped; local holidays not skipped, the protective reading)"
	}
	return dueDate{deadline: &date, at: at}, phrase
}

// noticeDue dates a notice to others: from the notice to individuals when
// the notice is tied to it (timing, or a deadline from individual_notice),
// else as due does. indiv is the individuals' due date, nil when they need
// not be told. It returns the date, a phrase for the explanation and the
// obligation's Timing.
func (e *evaluation) noticeDue(r *Rule, n *Notice, indiv *dueDate) (dueDate, string, string) {
	d := n.Deadline
	switch {
	case n.Timing != "":
		due, phrase := e.timedDue(r, n, indiv)
		return due, phrase, n.Timing
	case d != nil && d.From == FromIndividualNotice:
		due, phrase := e.afterIndividualsDue(r, d, indiv)
		return due, phrase, TimingAfterIndividuals
	}
	var indivDeadline *Date
	if indiv != nil {
		indivDeadline = indiv.deadline
	}
	due, phrase := e.due(r, d, indivDeadline)
	return due, phrase, ""
}

// timedDue dates a notice due before or at the same time as the notice to
// individuals: by the individuals' deadline (or on their recommended
// target), unless the notice's own deadline comes earlier.
func (e *evaluation) timedDue(r *Rule, n *Notice, indiv *dueDate) (dueDate, string) {
	word := "at the same time as the notice to individuals"
	if n.Timing == TimingBeforeIndividuals {
		word = "before the notice to individuals (send this first)"
	}
	if indiv == nil {
		due, phrase := e.due(r, n.Deadline, nil)
		return due, "(due " + word + ", but individuals need not be told here, so it is dated on its own) " + phrase
	}
	var own *dueDate
	ownPhrase := ""
	if n.Deadline != nil {
		d, p := e.due(r, n.Deadline, nil)
		own, ownPhrase = &d, p
	}
	if indiv.deadline != nil {
		rel := *indiv.deadline
		if own != nil && own.deadline.Before(rel) {
			return *own, word + " and " + ownPhrase
		}
		phrase := fmt.Sprintf("%s, so by %s at the latest, the individuals' deadline", word, rel)
		if own != nil {
			phrase += " (this law's own limit is not earlier)"
		}
		return dueDate{deadline: &rel}, phrase
	}
	rel := *indiv.target
	if own != nil {
		return *own, fmt.Sprintf("%s (the individuals' recommended target is %s) and %s", word, rel, ownPhrase)
	}
	return dueDate{target: &rel}, fmt.Sprintf("%s, which has no fixed deadline; recommended target %s, the individuals' recommended target", word, rel)
}

// afterIndividualsDue dates a notice due a period after the notice to
// individuals (California's sample copy within 15 days of it): from the
// individuals' deadline, the latest they may be told, or from their
// recommended target.
func (e *evaluation) afterIndividualsDue(r *Rule, d *Deadline, indiv *dueDate) (dueDate, string) {
	if indiv == nil {
		t := DateOf(e.f.Discovered).AddDays(r.Individuals.Target())
		return dueDate{target: &t}, fmt.Sprintf("within %s of the notice to individuals, but individuals need not be told here; recommended target %s, %d days after discovery", d.Period(), t, r.Individuals.Target())
	}
	from := indiv.deadline
	if from == nil {
		from = indiv.target
	}
	var date Date
	skip := ""
	switch d.Unit {
	case UnitBusinessDays:
		date = AddBusinessDays(*from, d.Amount, r.US())
		skip = " (weekends skipped; local holidays not skipped, the protective reading)"
		if r.US() {
			skip = " (weekends and US federal holidays skipped)"
		}
	default:
		date = from.AddDays(d.Amount)
	}
	if indiv.deadline != nil {
		return dueDate{deadline: &date}, fmt.Sprintf("within %s of the notice to individuals: by %s%s if they are told on their last day (%s); sooner if they are told sooner", d.Period(), date, skip, *from)
	}
	return dueDate{target: &date}, fmt.Sprintf("within %s of the notice to individuals, which has no fixed deadline; recommended target %s%s, %s after the individuals' recommended target (%s)", d.Period(), date, skip, d.Period(), *from)
}

type dueDate struct {
	deadline, target *Date
	at               *time.Time
}

func (o *Obligation) setDue(d dueDate) {
	o.Deadline, o.Target, o.DeadlineAt = d.deadline, d.target, d.at
}

func (e *evaluation) base(r *Rule, code, audience, recipient string) Obligation {
	return Obligation{
		Regime:       r.ID,
		RegimeName:   r.Name,
		Jurisdiction: code,
		Audience:     audience,
		Recipient:    recipient,
		Citation:     r.Citations[0],
		Reviewed:     r.Reviewed,
		Confidence:   r.Confidence,
	}
}

func appendRule(rules []RuleSummary, r *Rule) []RuleSummary {
	for _, s := range rules {
		if s.ID == r.ID {
			return rules
		}
	}
	return append(rules, RuleSummary{ID: r.ID, Name: r.Name, Reviewed: r.Reviewed, Confidence: r.Confidence, Citation: r.Citations[0]})
}

func noOtherNotices(r *Rule) string {
	for _, n := range r.Notices {
		if n.OnlyIfNoHarmDetermination {
			return " (the no-harm notices below are due)"
		}
	}
	return ""
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "a written record of the determination"
	}
	return s
}

// describeMatches explains which combinations each group matched:
// "name + ssn matched [ssn]".
func describeMatches(groups []groupResult) string {
	parts := make([]string, 0, len(groups))
	for _, gr := range groups {
		p := humanSet(gr.g.Elements) + " matched " + strings.Join(gr.matched, ", ")
		if gr.matched[0] == "personal data" {
			p = humanSet(gr.g.Elements) + ": personal data"
		}
		if len(groups) > 1 {
			p += fmt.Sprintf(" (%d)", gr.g.Count)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

func humanSet(s breach.ElementSet) string { return strings.Join(s.Keys(), " + ") }

// affectedLabel names the affected people of a jurisdiction as the
// recipient of their notices.
func affectedLabel(code string) string {
	j := breach.Jurisdiction(code)
	switch {
	case code == "US":
		return "Affected US residents"
	case j.IsUS():
		return "Affected residents of " + j.Name()
	}
	return "Affected people in " + code
}

func residentNoun(code string) string {
	if breach.Jurisdiction(code).IsUS() {
		return "residents"
	}
	return "people"
}

func singular(noun string) string {
	if noun == "people" {
		return "person"
	}
	return strings.TrimSuffix(noun, "s")
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func dedupe(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// audienceRank orders audiences within a jurisdiction.
func audienceRank(a string) int {
	for i, x := range []string{AudienceIndividuals, AudienceRegulator, AudienceCRAs, AudienceMedia, AudienceCoveredEntity, AudienceLawEnforce, AudienceOther} {
		if a == x {
			return i
		}
	}
	return 99
}

// Section groups obligations for display: those with a fixed deadline,
// those without, conditional ones and those not required.
func (o *Obligation) Section() int {
	switch {
	case !o.Required:
		return 3
	case o.Conditional:
		return 2
	case o.Deadline == nil:
		return 1
	}
	return 0
}

// When returns the deadline or, failing that, the recommended target.
func (o *Obligation) When() *Date {
	if o.Deadline != nil {
		return o.Deadline
	}
	return o.Target
}

func sortObligations(os []Obligation) {
	sort.SliceStable(os, func(i, j int) bool {
		a, b := &os[i], &os[j]
		if sa, sb := a.Section(), b.Section(); sa != sb {
			return sa < sb
		}
		wa, wb := a.When(), b.When()
		switch {
		case wa != nil && wb == nil:
			return true
		case wa == nil && wb != nil:
			return false
		case wa != nil && wb != nil && *wa != *wb:
			return wa.Before(*wb)
		}
		if a.DeadlineAt != nil && b.DeadlineAt != nil && !a.DeadlineAt.Equal(*b.DeadlineAt) {
			return a.DeadlineAt.Before(*b.DeadlineAt)
		}
		if a.Jurisdiction != b.Jurisdiction {
			return a.Jurisdiction < b.Jurisdiction
		}
		// A notice that must precede the individuals' comes before theirs.
		if ba, bb := a.Timing == TimingBeforeIndividuals, b.Timing == TimingBeforeIndividuals; ba != bb {
			return ba
		}
		if ra, rb := audienceRank(a.Audience), audienceRank(b.Audience); ra != rb {
			return ra < rb
		}
		if a.Regime != b.Regime {
			return a.Regime < b.Regime
		}
		return a.Recipient < b.Recipient
	})
}

func containsSet(sets []breach.ElementSet, s breach.ElementSet) bool {
	for _, x := range sets {
		if x == s {
			return true
		}
	}
	return false
}

// theRecipient puts a recipient into a sentence: a capitalised name takes
// "the" ("the Texas Attorney General"); a phrase starting in lower case is
// used as written ("nationwide consumer reporting agencies", "the
// competent supervisory authority"). Rule files may not start a recipient
// with a capitalised determiner ("Each …"), which would read wrongly here.
func theRecipient(r string) string {
	if r == "" || r[0] >= 'a' && r[0] <= 'z' {
		return r
	}
	return "the " + r
}

// RecipientPhrase returns the obligation's recipient as it reads inside a
// sentence, after "notify": "the Texas Attorney General", "nationwide
// consumer reporting agencies".
func (o *Obligation) RecipientPhrase() string {
	if o.Audience == AudienceIndividuals && o.Recipient != "" {
		// "Affected residents of Texas" → "affected residents of Texas".
		return strings.ToLower(o.Recipient[:1]) + o.Recipient[1:]
	}
	return theRecipient(o.Recipient)
}
