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
		if !r.AppliesTo(e.f.Sectors) {
			continue
		}
		code := r.match(g.Jurisdiction)
		if code == "" {
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

func (e *evaluation) unknownNotes() {
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
	if r.RiskOfHarm.Exemption && f.HarmLikely == breach.Unknown {
		extra = append(extra, "harm unknown → assumed likely, no-harm exemption not used (protective)")
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

	// Individuals.
	var indivDue *Date
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
		o.ContentRequired = r.Content.Required
		o.ContentProhibited = r.Content.Prohibited
		o.Methods = r.Methods
		count := fmt.Sprintf("%d %s", hit, plural(hit, singular(noun), noun))
		highRiskOnly := r.RiskOfHarm.IndividualsOnlyIfHighRisk
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
			indivDue = o.Deadline
			o.Why = fmt.Sprintf("%s; %s%s → notify them %s%s", match, count, risk, phrase, suffix)
			e.identityProtection(r, rj, hitGroups, &o)
		}
		e.out = append(e.out, o)
	}

	// Everyone else.
	for _, n := range r.Notices {
		if n.OnlyIfNoHarmDetermination != harmExempt {
			continue
		}
		o := e.base(r, rj.code, n.Audience, n.Recipient)
		o.Affected = hit
		o.DeadlineText = n.Text
		o.ContentRequired = n.Content
		o.Form, o.Contact = n.Form, n.Contact
		cmp := n.Threshold.Compare(hit, plural(hit, singular(noun), noun))
		if !n.Threshold.Met(hit) {
			o.Required = false
			o.Why = fmt.Sprintf("%s; %s → no notice to %s required", match, cmp, theRecipient(n.Recipient))
			e.out = append(e.out, o)
			continue
		}
		o.Required = true
		due, phrase := e.due(r, n.Deadline, indivDue)
		o.setDue(due)
		cond := ""
		if n.Condition != "" {
			o.Conditional, o.Condition = true, n.Condition
			cond = "; condition: " + n.Condition
		}
		why := "no-harm determination relied on"
		if !harmExempt {
			why = match
		}
		o.Why = fmt.Sprintf("%s; %s → notify %s %s%s%s", why, cmp, theRecipient(n.Recipient), phrase, cond, suffix)
		e.out = append(e.out, o)
	}
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

// theRecipient puts a recipient into a sentence: "the Texas Attorney
// General", "each nationwide consumer reporting agency", "prominent media
// outlets".
func theRecipient(r string) string {
	first, _, _ := strings.Cut(r, " ")
	switch first {
	case "The", "Each", "Every", "All", "Any":
		return strings.ToLower(first) + r[len(first):]
	}
	if r != "" && r[0] >= 'a' && r[0] <= 'z' {
		return r
	}
	return "the " + r
}
