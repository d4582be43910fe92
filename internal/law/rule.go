// Package law holds Candor's breach-notification rules as data (one YAML
// file per regime, embedded in the binary) and the engine that turns the
// facts of an incident into obligations: whom to tell, by when, with what
// content, and why. The file format is documented in rules/SCHEMA.md.
package law

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/candor-dev/candor/internal/breach"
)

// Rule is one regime's breach-notification law, parsed from a rule file.
type Rule struct {
	// ID is "US-TX" for US states and territories and a snake_case name
	// such as "eu_gdpr" for other regimes.
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name" json:"name"`
	// Kind is state, federal, sector or country.
	Kind string `yaml:"kind" json:"kind"`
	// Jurisdictions are the ISO 3166 codes of the residents the rule
	// protects; "US" means any US resident.
	Jurisdictions []string `yaml:"jurisdictions" json:"jurisdictions"`
	// AppliesToSectors limits the rule to entities in one of these
	// sectors; empty means every entity.
	AppliesToSectors    []string            `yaml:"applies_to_sectors" json:"applies_to_sectors"`
	Reviewed            Date                `yaml:"reviewed" json:"reviewed"`
	Citations           []string            `yaml:"citations" json:"citations"`
	Sources             []Source            `yaml:"sources" json:"sources"`
	Confidence          string              `yaml:"confidence" json:"confidence"`
	PersonalInformation PersonalInformation `yaml:"personal_information" json:"personal_information"`
	// PaperRecords says whether paper records are covered; nil is unknown.
	PaperRecords        *bool              `yaml:"paper_records" json:"paper_records"`
	Encryption          Encryption         `yaml:"encryption" json:"encryption"`
	RiskOfHarm          RiskOfHarm         `yaml:"risk_of_harm" json:"risk_of_harm"`
	Individuals         Individuals        `yaml:"individuals" json:"individuals"`
	LawEnforcementDelay string             `yaml:"law_enforcement_delay" json:"law_enforcement_delay"`
	Notices             []Notice           `yaml:"notices" json:"notices"`
	Content             Content            `yaml:"content" json:"content"`
	IdentityProtection  IdentityProtection `yaml:"identity_protection" json:"identity_protection"`
	// Methods are the allowed notice methods: written, electronic,
	// telephone, substitute.
	Methods              []string `yaml:"methods" json:"methods"`
	ElectronicConditions string   `yaml:"electronic_conditions" json:"electronic_conditions,omitempty"`
	SubstituteNotice     string   `yaml:"substitute_notice" json:"substitute_notice,omitempty"`
	// Notes record disagreements between sources, uncertainty and the
	// interpretation chosen.
	Notes []string `yaml:"notes" json:"notes"`

	// File is where the rule was read from; lines maps field paths such as
	// "notices[0].threshold" to their line in File.
	File  string         `yaml:"-" json:"file"`
	lines map[string]int `yaml:"-" json:"-"`

	// Compiled from the fields above by compile.
	compiled              bool
	withName, withoutName []breach.ElementSet
	idWhen                breach.ElementSet
}

// compile turns element names into sets once the rule is valid.
func (r *Rule) compile() {
	if r.compiled {
		return
	}
	r.compiled = true
	sets := func(combos [][]string) []breach.ElementSet {
		out := make([]breach.ElementSet, 0, len(combos))
		for _, c := range combos {
			out = append(out, elementSet(c))
		}
		return out
	}
	r.withName = sets(r.PersonalInformation.WithName)
	r.withoutName = sets(r.PersonalInformation.WithoutName)
	r.idWhen = elementSet(r.IdentityProtection.When)
	if len(r.Content.Items) == 0 {
		// Built in Go with the plain list only.
		for _, it := range r.Content.Required {
			r.Content.Items = append(r.Content.Items, ContentRequirement{Item: it})
		}
	}
	r.Content.Required = make([]string, 0, len(r.Content.Items))
	for i := range r.Content.Items {
		it := &r.Content.Items[i]
		it.when = elementSet(it.When)
		r.Content.Required = append(r.Content.Required, it.Item)
	}
}

func elementSet(keys []string) breach.ElementSet {
	var s breach.ElementSet
	for _, k := range keys {
		if e, ok := elementKeys[k]; ok {
			s = s.Add(e)
		}
	}
	return s
}

// US reports whether the rule protects only US residents, so that US
// federal holidays are skipped in its business-day deadlines.
func (r *Rule) US() bool {
	for _, j := range r.Jurisdictions {
		if breach.Jurisdiction(j).Country() != "US" {
			return false
		}
	}
	return len(r.Jurisdictions) > 0
}

// Source is a document a rule was checked against.
type Source struct {
	URL   string `yaml:"url" json:"url"`
	Title string `yaml:"title" json:"title"`
}

// PersonalInformation defines which exposed data make a breach notifiable.
type PersonalInformation struct {
	// WithName combinations count only together with the person's name.
	WithName [][]string `yaml:"with_name" json:"with_name"`
	// WithoutName combinations count on their own (credentials and the like).
	WithoutName [][]string `yaml:"without_name" json:"without_name"`
	// AnyPersonalData is true for regimes covering any personal data.
	AnyPersonalData bool   `yaml:"any_personal_data" json:"any_personal_data"`
	Notes           string `yaml:"notes" json:"notes,omitempty"`
}

// Encryption is the rule's encryption safe harbour.
type Encryption struct {
	SafeHarbor bool `yaml:"safe_harbor" json:"safe_harbor"`
	// KeyCompromiseVoids is nil when the law is silent.
	KeyCompromiseVoids *bool `yaml:"key_compromise_voids" json:"key_compromise_voids"`
}

// RiskOfHarm is the rule's risk-of-harm exemption.
type RiskOfHarm struct {
	Exemption     bool   `yaml:"exemption" json:"exemption"`
	Documentation string `yaml:"documentation" json:"documentation,omitempty"`
	// IndividualsOnlyIfHighRisk is true where individuals are told only
	// when the breach is likely to result in a high risk (GDPR style).
	IndividualsOnlyIfHighRisk bool `yaml:"individuals_only_if_high_risk" json:"individuals_only_if_high_risk"`
}

// Individuals is the duty to notify the affected people.
type Individuals struct {
	Required bool `yaml:"required" json:"required"`
	// Deadline is nil when the law says only "without unreasonable delay".
	Deadline *Deadline `yaml:"deadline" json:"deadline"`
	Text     string    `yaml:"text" json:"text"`
	// TargetDays is the recommended internal target when there is no fixed
	// deadline; 0 means the default of 30.
	TargetDays int `yaml:"target_days" json:"target_days,omitempty"`
}

// DefaultTargetDays is the recommended internal target for notices the law
// wants "without unreasonable delay".
const DefaultTargetDays = 30

// Target returns the recommended internal target in days.
func (i Individuals) Target() int {
	if i.TargetDays > 0 {
		return i.TargetDays
	}
	return DefaultTargetDays
}

// Deadline is a fixed period counted from an event.
type Deadline struct {
	Amount int `yaml:"amount" json:"amount"`
	// Unit is days, business_days or hours.
	Unit string `yaml:"unit" json:"unit"`
	// From is discovery, determination, awareness or notice_from_vendor.
	From string `yaml:"from" json:"from"`
}

// Deadline units.
const (
	UnitDays         = "days"
	UnitBusinessDays = "business_days"
	UnitHours        = "hours"
)

// Events a deadline runs from.
const (
	FromDiscovery        = "discovery"
	FromDetermination    = "determination"
	FromAwareness        = "awareness"
	FromNoticeFromVendor = "notice_from_vendor"
	// FromIndividualNotice counts a notice's period from the notice to the
	// affected individuals (CA: the sample copy within 15 days after it).
	// Only notices to others may use it, in days or business days.
	FromIndividualNotice = "individual_notice"
)

// Timings of a notice relative to the notice to individuals.
const (
	// TimingBeforeIndividuals: the notice must be given before the
	// individuals are told (Maryland's Attorney General).
	TimingBeforeIndividuals = "before_individuals"
	// TimingWithIndividuals: at the same time as the individuals are told
	// (Montana, Nebraska, Pennsylvania).
	TimingWithIndividuals = "with_individuals"
	// TimingAfterIndividuals marks obligations dated from the individuals'
	// notice by a deadline with from: individual_notice. It is set on
	// obligations only, never written in rule files.
	TimingAfterIndividuals = "after_individuals"
)

// Threshold scopes: what a notice's threshold counts.
const (
	// ScopeTotal counts every affected person the rule covers (the default).
	ScopeTotal = "total"
	// ScopeJurisdiction counts the residents of each state or subdivision
	// separately, for rules that cover a whole country (HIPAA's media notice:
	// more than 500 residents of one State).
	ScopeJurisdiction = "jurisdiction"
)

// Period describes the deadline in words: "30 days", "10 business days",
// "72 hours".
func (d Deadline) Period() string {
	unit := strings.ReplaceAll(d.Unit, "_", " ")
	if d.Amount == 1 {
		unit = strings.TrimSuffix(unit, "s")
	}
	return fmt.Sprintf("%d %s", d.Amount, unit)
}

// Notice is a notice to someone other than the affected people: a
// regulator, the consumer reporting agencies, the media…
type Notice struct {
	Audience  string    `yaml:"audience" json:"audience"`
	Recipient string    `yaml:"recipient" json:"recipient"`
	Threshold Threshold `yaml:"threshold" json:"threshold"`
	Deadline  *Deadline `yaml:"deadline" json:"deadline"`
	Text      string    `yaml:"text" json:"text"`
	Form      string    `yaml:"form" json:"form,omitempty"`
	Contact   string    `yaml:"contact" json:"contact,omitempty"`
	Content   []string  `yaml:"content" json:"content,omitempty"`
	// Condition is free text for conditions the engine cannot evaluate.
	Condition string `yaml:"condition" json:"condition,omitempty"`
	// OnlyIfNoHarmDetermination is true when the notice is due only when
	// the entity relies on the no-harm exemption. Where the rule has no
	// general exemption (risk_of_harm.exemption false) the notice stands for
	// a narrower exception that Condition describes, and is listed as
	// conditional whenever a no-harm determination is recorded.
	OnlyIfNoHarmDetermination bool `yaml:"only_if_no_harm_determination" json:"only_if_no_harm_determination"`
	// Timing places the notice relative to the notice to individuals:
	// before_individuals or with_individuals; empty when it is not tied to
	// it. The engine dates it from the individuals' deadline or target.
	Timing string `yaml:"timing" json:"timing,omitempty"`
	// Citation is the provision requiring this notice, shown instead of the
	// rule's first citation; empty means the rule's first citation.
	Citation string `yaml:"citation" json:"citation,omitempty"`
	// Sectors limits the notice to entities in one of these sectors (a
	// public-agency duty, a copy owed by HIPAA covered entities); empty
	// means every entity the rule applies to.
	Sectors []string `yaml:"sectors" json:"sectors,omitempty"`
	// ThresholdScope says what Threshold counts: total (every person the
	// rule covers, the default) or jurisdiction (the residents of each
	// state or subdivision separately, for rules that cover a country).
	ThresholdScope string `yaml:"threshold_scope" json:"threshold_scope,omitempty"`
}

// AppliesTo reports whether the notice is owed by an entity in the given
// sectors: notices with no sectors are owed by every entity.
func (n *Notice) AppliesTo(sectors []string) bool {
	if len(n.Sectors) == 0 {
		return true
	}
	for _, s := range sectors {
		if contains(n.Sectors, s) {
			return true
		}
	}
	return false
}

// CitationOr returns the notice's own citation, or def when it has none.
func (n *Notice) CitationOr(def string) string {
	if strings.TrimSpace(n.Citation) != "" {
		return n.Citation
	}
	return def
}

// Content is what a notice to individuals must and must not say.
type Content struct {
	// Items are the required content items as written in the file: each is
	// needed always, or only when one of its When elements was exposed.
	Items []ContentRequirement `yaml:"required" json:"required_items"`
	// Required lists every item of Items, whatever its condition, for
	// callers that do not know the exposed elements (filled when the rule is
	// parsed). Use Rule.RequiredContent to get the items for one element set.
	Required   []string `yaml:"-" json:"required"`
	Prohibited []string `yaml:"prohibited" json:"prohibited"`
	Headings   []string `yaml:"headings" json:"headings,omitempty"`
	Title      string   `yaml:"title" json:"title,omitempty"`
	MinFontPt  int      `yaml:"min_font_pt" json:"min_font_pt,omitempty"`
}

// ContentRequirement is one required content item of a notice to
// individuals. In a rule file it is written as the item's key alone
// ("toll_free_numbers"), or as {item: toll_free_numbers, when: [ssn,
// drivers_license]} when the law requires it only if one of those elements
// was exposed.
type ContentRequirement struct {
	Item string `yaml:"item" json:"item"`
	// When lists the elements of which at least one must have been exposed
	// for the item to be required; empty means always.
	When []string `yaml:"when" json:"when,omitempty"`

	when breach.ElementSet
}

// UnmarshalYAML reads a content item key or an {item, when} mapping.
func (c *ContentRequirement) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" || strings.TrimSpace(n.Value) == "" {
			return fmt.Errorf("expected a content item or {item: …, when: […]}, got nothing")
		}
		*c = ContentRequirement{Item: n.Value}
		return nil
	case yaml.MappingNode:
		var out ContentRequirement
		seen := make(map[string]bool)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if seen[k.Value] {
				return fmt.Errorf("%q given twice", k.Value)
			}
			seen[k.Value] = true
			switch k.Value {
			case "item":
				if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
					return fmt.Errorf("item: expected a content item key")
				}
				out.Item = v.Value
			case "when":
				if v.Kind != yaml.SequenceNode {
					return fmt.Errorf("when: expected a list of data elements")
				}
				out.When = make([]string, 0, len(v.Content))
				for _, e := range v.Content {
					if e.Kind != yaml.ScalarNode {
						return fmt.Errorf("when: expected a list of data elements")
					}
					out.When = append(out.When, e.Value)
				}
			default:
				return fmt.Errorf("unknown field %q%s", k.Value, suggest(k.Value, []string{"item", "when"}))
			}
		}
		if out.Item == "" {
			return fmt.Errorf("item: required, such as {item: toll_free_numbers, when: [ssn]}")
		}
		*c = out
		return nil
	}
	return fmt.Errorf("expected a content item or {item: …, when: […]}, got %s", describe(n))
}

// MarshalYAML writes an unconditional item as its key alone.
func (c ContentRequirement) MarshalYAML() (any, error) {
	if len(c.When) == 0 {
		return c.Item, nil
	}
	return struct {
		Item string   `yaml:"item"`
		When []string `yaml:"when,flow"`
	}{c.Item, c.When}, nil
}

// RequiredFor reports whether the item is required when the elements in
// exposed were exposed.
func (c ContentRequirement) RequiredFor(exposed breach.ElementSet) bool {
	if len(c.When) == 0 {
		return true
	}
	set := c.when
	if set == 0 {
		set = elementSet(c.When)
	}
	return exposed.HasAny(set)
}

// RequiredFor returns the required content items for a notice to people
// whose exposed elements are exposed, in file order: the unconditional
// items and those whose when-elements include one that was exposed.
func (c Content) RequiredFor(exposed breach.ElementSet) []breach.ContentItem {
	out := []breach.ContentItem{}
	if len(c.Items) == 0 {
		for _, it := range c.Required {
			out = append(out, breach.ContentItem(it))
		}
		return out
	}
	for _, it := range c.Items {
		if it.RequiredFor(exposed) {
			out = append(out, breach.ContentItem(it.Item))
		}
	}
	return out
}

// RequiredContent returns the content items a notice to individuals must
// carry under the rule for people whose exposed elements are exposed: the
// items the law always requires and those it requires only when one of
// their elements was exposed (California's credit-bureau numbers when an
// SSN or driver's licence number was exposed). The notice package calls it
// once per group of people with the same element set.
func (r *Rule) RequiredContent(exposed breach.ElementSet) []breach.ContentItem {
	return r.Content.RequiredFor(exposed)
}

// IdentityProtection is a duty to offer free identity-theft prevention or
// credit monitoring.
type IdentityProtection struct {
	Months int `yaml:"months" json:"months"`
	// When lists the elements that trigger the duty; empty means always
	// (when Months > 0).
	When []string `yaml:"when" json:"when"`
	Text string   `yaml:"text" json:"text,omitempty"`
}

// Line returns the line of the field at path (such as
// "notices[0].threshold") in the rule's file, or 0 when unknown.
func (r *Rule) Line(path string) int { return r.lines[path] }

// Date is a calendar date with no time of day or zone, such as 2026-12-02.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date such as 2026-11-29", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.Time(time.UTC).AddDate(0, 0, n)) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time(time.UTC).Weekday() }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	return d.Time(time.UTC).Compare(o.Time(time.UTC))
}

// DaysUntil returns the number of calendar days from d to o.
func (d Date) DaysUntil(o Date) int {
	return int(o.Time(time.UTC).Sub(d.Time(time.UTC)).Hours() / 24)
}

// String formats d as 2006-01-02.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText formats d as 2006-01-02.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses 2006-01-02.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalYAML parses a date scalar; YAML timestamps are read as written.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("expected a date such as 2026-11-29")
	}
	return d.UnmarshalText([]byte(n.Value))
}

// MarshalYAML writes the date as 2006-01-02.
func (d Date) MarshalYAML() (any, error) { return d.String(), nil }

// Threshold is a minimum number of affected people for a notice, kept with
// the source's exact operator: ">=250" (at least 250), ">500" (more than
// 500) or "any".
type Threshold struct {
	Any    bool
	Min    int64
	Strict bool
}

// ParseThreshold parses ">=N", ">N" or "any".
func ParseThreshold(s string) (Threshold, error) {
	bad := fmt.Errorf("%q is not a threshold such as \">=250\", \">500\" or \"any\"", s)
	switch {
	case s == "any":
		return Threshold{Any: true}, nil
	case strings.HasPrefix(s, ">="):
		n, err := parseCount(s[2:])
		if err != nil || n == 0 {
			return Threshold{}, bad // ">=0" would need notice with nobody affected: write "any"
		}
		return Threshold{Min: n}, nil
	case strings.HasPrefix(s, ">"):
		n, err := parseCount(s[1:])
		if err != nil {
			return Threshold{}, bad
		}
		return Threshold{Min: n, Strict: true}, nil
	}
	return Threshold{}, bad
}

func parseCount(s string) (int64, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("not a count")
	}
	return strconv.ParseInt(s, 10, 64)
}

// IsZero reports whether the threshold is unset.
func (t Threshold) IsZero() bool { return t == Threshold{} }

// Met reports whether n affected people reach the threshold. "any" needs at
// least one.
func (t Threshold) Met(n int64) bool {
	switch {
	case t.Any:
		return n > 0
	case t.Strict:
		return n > t.Min
	default:
		return n >= t.Min
	}
}

// String returns the threshold as written in rule files: ">=250", ">500",
// "any".
func (t Threshold) String() string {
	switch {
	case t.IsZero():
		return ""
	case t.Any:
		return "any"
	case t.Strict:
		return fmt.Sprintf(">%d", t.Min)
	default:
		return fmt.Sprintf(">=%d", t.Min)
	}
}

// Compare describes how n people (counted as noun, such as "residents")
// relate to the threshold for an explanation: "312 residents ≥ 250",
// "500 residents, not more than 500", "3 residents (any number)".
func (t Threshold) Compare(n int64, noun string) string {
	switch {
	case t.Any:
		return fmt.Sprintf("%d %s (any number)", n, noun)
	case t.Strict && n > t.Min:
		return fmt.Sprintf("%d %s > %d", n, noun, t.Min)
	case t.Strict:
		return fmt.Sprintf("%d %s, not more than %d", n, noun, t.Min)
	case n >= t.Min:
		return fmt.Sprintf("%d %s ≥ %d", n, noun, t.Min)
	default:
		return fmt.Sprintf("%d %s < %d", n, noun, t.Min)
	}
}

// MarshalText returns the threshold as written in rule files.
func (t Threshold) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText parses a threshold.
func (t *Threshold) UnmarshalText(b []byte) error {
	v, err := ParseThreshold(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// UnmarshalYAML parses a threshold scalar.
func (t *Threshold) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("expected a threshold such as \">=250\", \">500\" or \"any\"")
	}
	return t.UnmarshalText([]byte(n.Value))
}

// MarshalYAML writes the threshold as a string.
func (t Threshold) MarshalYAML() (any, error) { return t.String(), nil }
