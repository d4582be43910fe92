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
	fromEvents  = []string{FromDiscovery, FromDetermination, FromAwareness, FromNoticeFromVendor}
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
	v.contentItems("content.required", r.Content.Required)
	v.contentItems("content.prohibited", r.Content.Prohibited)
	for i, c := range r.Content.Prohibited {
		if contains(r.Content.Required, c) {
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
	if n.OnlyIfNoHarmDetermination && !v.r.RiskOfHarm.Exemption {
		v.fail(field+".only_if_no_harm_determination", "true, but the rule has no risk-of-harm exemption (risk_of_harm.exemption is false)")
	}
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
