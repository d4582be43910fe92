package law

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// Kinds of rule.
const (
	KindState   = "state"
	KindFederal = "federal"
	KindSector  = "sector"
	KindCountry = "country"
)

// Audiences of notices. AudienceIndividuals is used for the obligation to
// tell the affected people themselves.
const (
	AudienceIndividuals   = "individuals"
	AudienceRegulator     = "regulator"
	AudienceCRAs          = "consumer_reporting_agencies"
	AudienceMedia         = "media"
	AudienceCoveredEntity = "covered_entity"
	AudienceLawEnforce    = "law_enforcement"
	AudienceOther         = "other"
)

var (
	kinds       = []string{KindState, KindFederal, KindSector, KindCountry}
	confidences = []string{"high", "medium", "low"}
	units       = []string{UnitDays, UnitBusinessDays, UnitHours}
	fromEvents  = []string{FromDiscovery, FromDetermination, FromAwareness, FromNoticeFromVendor, FromIndividualNotice}
	timings     = []string{TimingBeforeIndividuals, TimingWithIndividuals}
	scopes      = []string{ScopeTotal, ScopeJurisdiction}
	audiences   = []string{AudienceRegulator, AudienceCRAs, AudienceMedia, AudienceCoveredEntity, AudienceLawEnforce, AudienceOther}
	methods     = []string{"written", "electronic", "telephone", "substitute"}
)

// Sectors lists the sectors a rule may be limited to (applies_to_sectors)
// and an entity may declare.
func Sectors() []string {
	return []string{
		"hipaa_covered_entity", "hipaa_business_associate", "financial_institution",
		"sec_registrant", "nydfs_licensee", "health_app_vendor", "government", "data_broker",
		"insurance_licensee", "card_merchant",
	}
}

// sectorNames are how a sector reads in explanations: the plural for "the
// law covers only …" and the singular with its article for "it does not
// apply to …".
var sectorNames = map[string][2]string{
	"hipaa_covered_entity":     {"HIPAA covered entities", "a HIPAA covered entity"},
	"hipaa_business_associate": {"HIPAA business associates", "a HIPAA business associate"},
	"financial_institution":    {"financial institutions", "a financial institution"},
	"sec_registrant":           {"SEC registrants", "an SEC registrant"},
	"nydfs_licensee":           {"entities regulated by the New York DFS", "an entity regulated by the New York DFS"},
	"health_app_vendor":        {"vendors of personal health records and health apps", "a vendor of personal health records or health apps"},
	"government":               {"government agencies", "a government agency"},
	"data_broker":              {"data brokers", "a data broker"},
	"insurance_licensee":       {"insurance licensees", "an insurance licensee"},
	"card_merchant":            {"card merchants", "a card merchant"},
}

// sectorsPlural names sectors for "covers only …": "data brokers and
// government agencies".
func sectorsPlural(sectors []string) string {
	names := make([]string, len(sectors))
	for i, s := range sectors {
		names[i] = strings.ReplaceAll(s, "_", " ")
		if n, ok := sectorNames[s]; ok {
			names[i] = n[0]
		}
	}
	return joinAnd(names, "and")
}

// entityDescription names an entity by its declared sectors for "it does
// not apply to …": "a retail entity", "a financial institution", "an
// entity with no declared sector".
func entityDescription(sectors []string) string {
	switch len(sectors) {
	case 0:
		return "an entity with no declared sector"
	case 1:
		if n, ok := sectorNames[sectors[0]]; ok {
			return n[1]
		}
		name := strings.ReplaceAll(sectors[0], "_", " ")
		if name != "" && strings.ContainsRune("aeiou", rune(name[0])) {
			return "an " + name + " entity"
		}
		return "a " + name + " entity"
	}
	return "an entity in the " + joinAnd(sectors, "and") + " sectors"
}

// joinAnd joins words as prose: "a", "a and b", "a, b and c".
func joinAnd(words []string, and string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + and + " " + words[len(words)-1]
}

var (
	snakeID = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	usID    = regexp.MustCompile(`^US-[A-Z]{2}$`)
)

// validate checks the rule's meaning once it has parsed; every problem is
// placed at its field's line.
func (r *Rule) validate() FieldErrors {
	v := &validator{r: r}
	v.identity()
	v.personalInformation()
	if r.Confidence == "" {
		v.fail("confidence", "required: one of %s", strings.Join(confidences, ", "))
	} else if !contains(confidences, r.Confidence) {
		v.fail("confidence", "%q is not one of %s", r.Confidence, strings.Join(confidences, ", "))
	}
	if r.Encryption.KeyCompromiseVoids != nil && !r.Encryption.SafeHarbor && *r.Encryption.KeyCompromiseVoids {
		v.fail("encryption.key_compromise_voids", "set without a safe harbour (encryption.safe_harbor is false)")
	}
	v.deadline("individuals.deadline", r.Individuals.Deadline)
	if d := r.Individuals.Deadline; d != nil && d.From == FromIndividualNotice {
		v.fail("individuals.deadline.from", "individual_notice dates notices to others from the notice to individuals; the individuals' own deadline needs another event")
	}
	if strings.TrimSpace(r.Individuals.Text) == "" {
		v.fail("individuals.text", "required: the law's words for when individuals must be told (or why they need not be)")
	}
	if r.Individuals.TargetDays < 0 {
		v.fail("individuals.target_days", "%d is negative", r.Individuals.TargetDays)
	}
	if r.Individuals.Required && len(r.Methods) == 0 {
		v.fail("methods", "required when individuals.required is true")
	}
	for i, n := range r.Notices {
		v.notice(fmt.Sprintf("notices[%d]", i), n)
	}
	required := make([]string, len(r.Content.Items))
	for i, it := range r.Content.Items {
		required[i] = it.Item
		if it.When != nil && len(it.When) == 0 {
			v.fail(fmt.Sprintf("content.required[%d].when", i), "empty: write the item alone when it is always required")
		}
		v.elements(fmt.Sprintf("content.required[%d].when", i), it.When)
	}
	v.contentItems("content.required", required)
	v.contentItems("content.prohibited", r.Content.Prohibited)
	for i, c := range r.Content.Prohibited {
		if contains(required, c) {
			v.fail(fmt.Sprintf("content.prohibited[%d]", i), "%q is also required", c)
		}
	}
	if r.Content.MinFontPt < 0 {
		v.fail("content.min_font_pt", "%d is negative", r.Content.MinFontPt)
	}
	ip := r.IdentityProtection
	if ip.Months < 0 {
		v.fail("identity_protection.months", "%d is negative", ip.Months)
	}
	v.elements("identity_protection.when", ip.When)
	if ip.Months == 0 && len(ip.When) > 0 {
		v.fail("identity_protection.when", "set while identity_protection.months is 0")
	}
	v.oneOfEach("methods", r.Methods, methods)
	return v.errs
}

type validator struct {
	r    *Rule
	errs FieldErrors
}

func (v *validator) fail(field, format string, args ...any) {
	v.errs = append(v.errs, &FieldError{v.r.File, lineFor(v.r.lines, field), field, fmt.Sprintf(format, args...)})
}

func (v *validator) identity() {
	r := v.r
	switch {
	case r.ID == "":
		v.fail("id", "required")
	case r.Kind == KindState && !usID.MatchString(r.ID):
		v.fail("id", "%q: a state rule's id is US-XX, such as US-TX", r.ID)
	case r.Kind == KindState:
		if err := breach.Jurisdiction(r.ID).Validate(); err != nil {
			v.fail("id", "%s", breach.ErrorMessage(err))
		}
	case contains(kinds, r.Kind) && !snakeID.MatchString(r.ID):
		v.fail("id", "%q: a %s rule's id is snake_case, such as eu_gdpr or us_hipaa", r.ID, r.Kind)
	}
	if strings.TrimSpace(r.Name) == "" {
		v.fail("name", "required")
	}
	if r.Kind == "" {
		v.fail("kind", "required: one of %s", strings.Join(kinds, ", "))
	} else if !contains(kinds, r.Kind) {
		v.fail("kind", "%q is not one of %s", r.Kind, strings.Join(kinds, ", "))
	}
	if len(r.Jurisdictions) == 0 {
		v.fail("jurisdictions", "required: the ISO 3166 codes of the residents the rule protects")
	}
	for i, j := range r.Jurisdictions {
		f := fmt.Sprintf("jurisdictions[%d]", i)
		if err := breach.Jurisdiction(j).Validate(); err != nil {
			v.fail(f, "%s", breach.ErrorMessage(err))
		}
		if contains(r.Jurisdictions[:i], j) {
			v.fail(f, "%q is listed twice", j)
		}
	}
	if r.Kind == KindState && r.ID != "" && !contains(r.Jurisdictions, r.ID) {
		v.fail("jurisdictions", "a state rule must list its own id %s", r.ID)
	}
	v.oneOfEach("applies_to_sectors", r.AppliesToSectors, Sectors())
	if r.Reviewed.IsZero() {
		v.fail("reviewed", "required: the date the file was last checked against its sources")
	}
	if len(r.Citations) == 0 {
		v.fail("citations", "required: at least one statute section")
	}
	for i, c := range r.Citations {
		if strings.TrimSpace(c) == "" {
			v.fail(fmt.Sprintf("citations[%d]", i), "empty citation")
		}
	}
	if len(r.Sources) == 0 {
		v.fail("sources", "required: at least one source with a url")
	}
	for i, s := range r.Sources {
		f := fmt.Sprintf("sources[%d]", i)
		u, err := url.Parse(s.URL)
		switch {
		case s.URL == "":
			v.fail(f+".url", "required")
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			v.fail(f+".url", "%q is not an http(s) URL", s.URL)
		}
	}
}

func (v *validator) personalInformation() {
	pi := v.r.PersonalInformation
	if !pi.AnyPersonalData && len(pi.WithName) == 0 && len(pi.WithoutName) == 0 {
		v.fail("personal_information", "no combination: give with_name or without_name combinations, or any_personal_data: true")
	}
	for i, combo := range pi.WithName {
		f := fmt.Sprintf("personal_information.with_name[%d]", i)
		v.combination(f, combo)
		for j, e := range combo {
			if e == breach.ElementName.String() {
				v.fail(fmt.Sprintf("%s[%d]", f, j), "name is implied in with_name combinations: do not list it")
			}
		}
	}
	for i, combo := range pi.WithoutName {
		v.combination(fmt.Sprintf("personal_information.without_name[%d]", i), combo)
	}
}

func (v *validator) combination(field string, combo []string) {
	if len(combo) == 0 {
		v.fail(field, "empty combination")
		return
	}
	v.elements(field, combo)
}

func (v *validator) elements(field string, es []string) {
	for i, e := range es {
		f := fmt.Sprintf("%s[%d]", field, i)
		if _, ok := elementKeys[e]; !ok {
			v.fail(f, "%q is not a data element (see internal/breach/element.go)%s", e, suggest(e, sortedKeys(elementKeys)))
		}
		if contains(es[:i], e) {
			v.fail(f, "%q is listed twice", e)
		}
	}
}

func (v *validator) contentItems(field string, items []string) {
	for i, c := range items {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !breach.ContentItem(c).Valid() {
			known := make(map[string]bool)
			for _, k := range breach.ContentItems() {
				known[string(k)] = true
			}
			v.fail(f, "%q is not a content item (see internal/breach/content.go)%s", c, suggest(c, sortedKeys(known)))
		}
		if contains(items[:i], c) {
			v.fail(f, "%q is listed twice", c)
		}
	}
}

func (v *validator) deadline(field string, d *Deadline) {
	if d == nil {
		return
	}
	if d.Amount <= 0 {
		v.fail(field+".amount", "must be a positive number, got %d", d.Amount)
	}
	if !contains(units, d.Unit) {
		v.fail(field+".unit", "%q is not one of %s", d.Unit, strings.Join(units, ", "))
	}
	if !contains(fromEvents, d.From) {
		v.fail(field+".from", "%q is not one of %s", d.From, strings.Join(fromEvents, ", "))
	}
}

func (v *validator) notice(field string, n Notice) {
	if !contains(audiences, n.Audience) {
		v.fail(field+".audience", "%q is not one of %s", n.Audience, strings.Join(audiences, ", "))
	}
	if strings.TrimSpace(n.Recipient) == "" {
		v.fail(field+".recipient", "required, such as \"Texas Attorney General\"")
	}
	if n.Threshold.IsZero() {
		v.fail(field+".threshold", "required: \">=250\", \">500\" or \"any\"")
	}
	v.deadline(field+".deadline", n.Deadline)
	if strings.TrimSpace(n.Text) == "" {
		v.fail(field+".text", "required: the law's words for when this notice is due")
	}
	v.contentItems(field+".content", n.Content)
	r := v.r
	if n.OnlyIfNoHarmDetermination && !r.RiskOfHarm.Exemption && strings.TrimSpace(n.Condition) == "" {
		v.fail(field+".only_if_no_harm_determination", "true, but the rule has no general risk-of-harm exemption (risk_of_harm.exemption is false): say in condition which narrower no-harm exception the notice belongs to")
	}
	if n.Citation != "" && strings.TrimSpace(n.Citation) == "" {
		v.fail(field+".citation", "empty citation")
	}
	if first, _, _ := strings.Cut(n.Recipient, " "); contains([]string{"The", "Each", "Every", "All", "Any", "A", "An"}, first) {
		v.fail(field+".recipient", "%q: write a noun phrase that reads inside a sentence (\"notify the Texas Attorney General\", \"notify nationwide consumer reporting agencies\"): the engine adds \"the\" before a capitalised name, and a phrase starting in lower case is used as written", n.Recipient)
	}

	// Timing relative to the notice to individuals.
	fromIndiv := n.Deadline != nil && n.Deadline.From == FromIndividualNotice
	switch {
	case n.Timing != "" && !contains(timings, n.Timing):
		v.fail(field+".timing", "%q is not one of %s", n.Timing, strings.Join(timings, ", "))
	case n.Timing != "" && fromIndiv:
		v.fail(field+".timing", "%s, but the deadline runs from individual_notice (after them): give one or the other", n.Timing)
	}
	if n.Timing != "" || fromIndiv {
		what := field + ".timing"
		if fromIndiv {
			what = field + ".deadline.from"
		}
		switch {
		case !r.Individuals.Required:
			v.fail(what, "dated from the notice to individuals, but the rule sets no duty to notify them (individuals.required is false)")
		case n.OnlyIfNoHarmDetermination:
			v.fail(what, "dated from the notice to individuals, but the notice is due only after a no-harm determination, when individuals are not told")
		}
	}
	if fromIndiv && n.Deadline.Unit == UnitHours {
		v.fail(field+".deadline.unit", "hours cannot run from individual_notice, which the engine knows only as a date: use days or business_days")
	}

	// Sectors.
	v.oneOfEach(field+".sectors", n.Sectors, Sectors())
	if len(r.AppliesToSectors) > 0 {
		for i, s := range n.Sectors {
			if contains(Sectors(), s) && !contains(r.AppliesToSectors, s) {
				v.fail(fmt.Sprintf("%s.sectors[%d]", field, i), "%q is not in applies_to_sectors, so the notice could never be due", s)
			}
		}
	}

	// Threshold scope.
	switch {
	case n.ThresholdScope == "":
	case !contains(scopes, n.ThresholdScope):
		v.fail(field+".threshold_scope", "%q is not one of %s", n.ThresholdScope, strings.Join(scopes, ", "))
	case n.ThresholdScope == ScopeJurisdiction && !r.coversWholeCountry():
		v.fail(field+".threshold_scope", "jurisdiction has no effect: the rule lists no whole country (such as US) whose residents could be counted subdivision by subdivision")
	}
}

// coversWholeCountry reports whether the rule lists a country code without
// a subdivision ("US"), so that its people may live in several
// subdivisions.
func (r *Rule) coversWholeCountry() bool {
	for _, j := range r.Jurisdictions {
		if breach.Jurisdiction(j).Subdivision() == "" {
			return true
		}
	}
	return false
}

func (v *validator) oneOfEach(field string, got, allowed []string) {
	for i, s := range got {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !contains(allowed, s) {
			v.fail(f, "%q is not one of %s", s, strings.Join(allowed, ", "))
		}
		if contains(got[:i], s) {
			v.fail(f, "%q is listed twice", s)
		}
	}
}

var elementKeys = func() map[string]breach.DataElement {
	m := make(map[string]breach.DataElement)
	for _, info := range breach.Elements() {
		m[info.Key] = info.Element
	}
	return m
}()

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
