package notice

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/spell"
)

// scope says when a placeholder's value is known.
type scope int

const (
	// scopeIncident values are the same in every notice of the incident; a
	// missing one is an error when the template is drafted.
	scopeIncident scope = iota
	// scopeGroup values depend on the recipient group (jurisdiction ×
	// elements); a block using a missing one is left out for that group.
	scopeGroup
	// scopePerson values differ per person and are filled in at render.
	scopePerson
)

// slot identifies a per-person value.
type slot uint8

const (
	slotNone slot = iota
	slotName
	slotFirstName
	slotLastName
	slotReference
	slotIDPCode
	slotOfferCode
)

// phDef defines one placeholder.
type phDef struct {
	scope scope
	// items are the content items the placeholder provides.
	items []breach.ContentItem
	// url marks values that are links.
	url  bool
	slot slot
	doc  string
	// value returns the value, or "" and the reason it is missing.
	value func(c *compileCtx) (string, string)
}

func items(s ...breach.ContentItem) []breach.ContentItem { return s }

// placeholders is the vocabulary of template placeholders.
var placeholders = map[string]phDef{
	"name":       {scope: scopePerson, slot: slotName, doc: "the person's full name, or \"<brand> customer\" when unknown"},
	"first_name": {scope: scopePerson, slot: slotFirstName, doc: "the person's first name, or the full salutation when unknown"},
	"last_name":  {scope: scopePerson, slot: slotLastName, doc: "the person's last name"},
	"reference": {scope: scopePerson, slot: slotReference, items: items("reference_number"),
		doc: "the person's reference code for the lookup page and support"},
	"idp_code": {scope: scopePerson, slot: slotIDPCode, items: items("identity_protection_offer"),
		doc: "the person's identity-protection enrolment code"},
	"offer_code": {scope: scopePerson, slot: slotOfferCode, doc: "the person's offer code"},

	"brand": {doc: "the organisation's everyday name", value: func(c *compileCtx) (string, string) { return c.f.brand(), "" }},
	"legal_name": {items: items("entity_name"), doc: "the organisation's legal name",
		value: func(c *compileCtx) (string, string) { return c.f.Org.LegalName, "" }},
	"domain": {doc: "the organisation's primary domain",
		value: func(c *compileCtx) (string, string) { return c.f.Org.PrimaryDomain, "" }},
	"site_url": {url: true, doc: "https:// and the primary domain",
		value: func(c *compileCtx) (string, string) { return c.f.siteURL(), "" }},
	"support_phone": {items: items("contact_information", "dpo_contact"), doc: "the support phone number",
		value: func(c *compileCtx) (string, string) {
			return c.f.Org.SupportPhone, need(c.f.Org.SupportPhone, "the organization has no support phone: run `candor org set --support-phone`")
		}},
	"support_hours": {doc: "when the support line is staffed",
		value: func(c *compileCtx) (string, string) {
			return c.f.Org.SupportHours, need(c.f.Org.SupportHours, "the organization has no support hours: run `candor org set --support-hours`")
		}},
	"support_email": {items: items("contact_information", "dpo_contact"), doc: "the support e-mail address",
		value: func(c *compileCtx) (string, string) {
			return c.f.Org.SupportEmail, need(c.f.Org.SupportEmail, "the organization has no support e-mail: run `candor org set --support-email`")
		}},
	"org_address": {doc: "the organisation's postal address on one line",
		value: func(c *compileCtx) (string, string) {
			a := c.f.orgAddress()
			return a, need(a, "the organization has no postal address: run `candor org set --address`")
		}},
	"incident_title": {doc: "the incident's title", value: func(c *compileCtx) (string, string) { return c.f.Incident.Title, "" }},
	"what_happened": {items: items("description_of_incident", "nature_of_breach"), doc: "the plain account of what happened (also unauthorized_recipient when it says who obtained the information: see recipient_known)",
		value: func(c *compileCtx) (string, string) {
			w := strings.TrimSpace(c.f.Incident.WhatHappened)
			return w, need(w, "the incident has no account of what happened: run `candor incident update --what-happened`")
		}},
	"discovered_date": {items: items("date_of_discovery"), doc: "the date the breach was discovered",
		value: func(c *compileCtx) (string, string) { return c.f.dateIn(c.lang, c.f.Incident.DiscoveredAt), "" }},
	"breach_dates": {items: items("date_of_breach"), doc: "when the breach happened: \"between … and …\", \"on …\"",
		value: func(c *compileCtx) (string, string) {
			d := c.f.breachDates(c.lang)
			return d, need(d, "the incident has no date of the breach: run `candor incident update --occurred-from … --occurred-to …`")
		}},
	"contained_date": {doc: "the date the breach was contained",
		value: func(c *compileCtx) (string, string) {
			if c.f.Incident.ContainedAt == nil {
				return "", "the incident has no containment date: run `candor incident update --contained`"
			}
			return c.f.dateIn(c.lang, *c.f.Incident.ContainedAt), ""
		}},
	"notice_date": {items: items("date_of_notice"), doc: "the date of the notice (the day it is rendered)",
		value: func(c *compileCtx) (string, string) {
			return c.lang.date(c.lang, c.now.In(c.f.Incident.Location())), ""
		}},
	"number_affected": {items: items("number_affected"), doc: "how many people the breach affected",
		value: func(c *compileCtx) (string, string) {
			if c.f.Stats == nil || c.f.Stats.Total == 0 {
				return "", "the incident has no affected people yet: import them first"
			}
			return formatCount(c.f.Stats.Total, c.lang.thousands), ""
		}},
	"signer_name": {doc: "the name of the person who signs the notice",
		value: func(c *compileCtx) (string, string) {
			return c.f.Settings.SignerName, need(c.f.Settings.SignerName, "no one signs the notice: run `candor notice settings --signer \"Name\" --signer-title \"Title\"`")
		}},
	"signer_title": {doc: "the signer's job title",
		value: func(c *compileCtx) (string, string) {
			return c.f.Settings.SignerTitle, need(c.f.Settings.SignerTitle, "the signer has no title: run `candor notice settings --signer-title`")
		}},
	"idp_provider": {doc: "the identity-protection provider", value: idp(func(p *breach.RemedyProgram, _ *compileCtx) string { return p.Provider })},
	"idp_months": {items: items("identity_protection_offer"), doc: "the months of identity protection offered",
		value: idp(func(p *breach.RemedyProgram, _ *compileCtx) string { return strconv.Itoa(p.Months) })},
	"idp_url": {url: true, items: items("identity_protection_offer"), doc: "where to enrol (on the organisation's domain)",
		value: idp(func(p *breach.RemedyProgram, _ *compileCtx) string { return p.URL })},
	"idp_deadline": {doc: "the enrol-by date", value: func(c *compileCtx) (string, string) {
		if c.f.IDP == nil || c.f.IDP.Deadline == "" {
			return "", "the identity-protection plan has no enrol-by date: run `candor remedy set --kind idp --deadline`"
		}
		return programDate(c, c.f.IDP.Deadline), ""
	}},
	"offer_description": {doc: "the loyalty gesture in plain words", value: offer(func(p *breach.RemedyProgram, _ *compileCtx) string { return p.Description })},
	"offer_url":         {url: true, doc: "where to redeem the offer", value: offer(func(p *breach.RemedyProgram, _ *compileCtx) string { return p.URL })},
	"offer_deadline": {doc: "the redeem-by date", value: func(c *compileCtx) (string, string) {
		if c.f.Offer == nil || c.f.Offer.Deadline == "" {
			return "", "the offer has no deadline: run `candor remedy set --kind offer --deadline`"
		}
		return programDate(c, c.f.Offer.Deadline), ""
	}},

	"elements_inline": {scope: scopeGroup, items: items("types_of_information"), doc: "the person's exposed elements in a sentence",
		value: func(c *compileCtx) (string, string) { return joinList(c.elementPhrases(), c.lang.and), "" }},
	"state_name": {scope: scopeGroup, doc: "the name of the person's state or country",
		value: func(c *compileCtx) (string, string) {
			return c.group.Jurisdiction.Name(), need(string(c.group.Jurisdiction), "unknown jurisdiction")
		}},
	"ag_name":    {scope: scopeGroup, items: items("state_ag_contact"), doc: "the state Attorney General's office", value: ag(func(a *agContact) string { return a.Name })},
	"ag_address": {scope: scopeGroup, items: items("state_ag_contact"), doc: "its postal address", value: ag(func(a *agContact) string { return a.Address })},
	"ag_phone":   {scope: scopeGroup, items: items("state_ag_contact"), doc: "its phone number", value: ag(func(a *agContact) string { return a.Phone })},
	"ag_url":     {scope: scopeGroup, url: true, items: items("state_ag_contact"), doc: "its website", value: ag(func(a *agContact) string { return a.URL })},
}

// blockPlaceholders are the placeholders that stand on their own line.
var blockPlaceholders = map[nodeKind]phDef{
	nElements: {scope: scopeGroup, items: items("types_of_information"), doc: "a list of the person's own exposed elements, in plain words"},
	nSteps:    {items: items("steps_taken", "measures_taken_to_mitigate"), doc: "a list of the measures taken (notice settings)"},
}

func need(v, why string) string {
	if strings.TrimSpace(v) == "" {
		return why
	}
	return ""
}

func idp(get func(*breach.RemedyProgram, *compileCtx) string) func(*compileCtx) (string, string) {
	return func(c *compileCtx) (string, string) {
		if c.f.IDP == nil {
			return "", "the incident has no identity-protection plan: run `candor remedy set --kind idp` (or wrap this in {{#if idp}})"
		}
		return get(c.f.IDP, c), ""
	}
}

func offer(get func(*breach.RemedyProgram, *compileCtx) string) func(*compileCtx) (string, string) {
	return func(c *compileCtx) (string, string) {
		if c.f.Offer == nil {
			return "", "the incident has no offer: run `candor remedy set --kind offer` (or wrap this in {{#if offer}})"
		}
		return get(c.f.Offer, c), ""
	}
}

func ag(get func(*agContact) string) func(*compileCtx) (string, string) {
	return func(c *compileCtx) (string, string) {
		a := agFor(c.group.Jurisdiction)
		if a == nil {
			return "", fmt.Sprintf("Candor has no Attorney General contact for %s", orUnknown(string(c.group.Jurisdiction)))
		}
		return get(a), ""
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown jurisdiction"
	}
	return s
}

func programDate(c *compileCtx, d string) string {
	t, err := parseDate(d)
	if err != nil {
		return d
	}
	return c.lang.date(c.lang, t)
}

// condDoc documents the conditions of {{#if}} and {{#unless}}.
var condDoc = map[string]string{
	"idp":                "the incident has an identity-protection plan",
	"idp_deadline":       "the plan has an enrol-by date",
	"offer":              "the incident has an offer",
	"offer_deadline":     "the offer has a deadline",
	"contained":          "the incident has a containment date",
	"delayed":            "a law-enforcement agency asked for notice to be delayed",
	"recipient_known":    "the incident's account of what happened says who obtained the information (\"someone outside Northwind\", \"a criminal group\")",
	"us":                 "the person lives in the United States",
	"element:KEY|KEY":    "any of these elements of the person was exposed",
	"required:ITEM|ITEM": "a law that applies to the person requires any of these content items",
	"jurisdiction:CODE":  "the person's jurisdiction is CODE or within it (US, US-CA)",
}

// checkCond reports whether a condition is well formed.
func checkCond(cond string) string {
	kind, arg, hasArg := strings.Cut(cond, ":")
	switch kind {
	case "idp", "idp_deadline", "offer", "offer_deadline", "contained", "delayed", "recipient_known", "us":
		if hasArg {
			return fmt.Sprintf("condition %q takes no argument", kind)
		}
		return ""
	case "element":
		for _, k := range strings.Split(arg, "|") {
			if _, err := breach.ParseElement(k); err != nil || k == "" {
				return fmt.Sprintf("condition %q: %q is not a data element (see `candor elements`)", cond, k)
			}
		}
		return ""
	case "required":
		for _, k := range strings.Split(arg, "|") {
			if !breach.ContentItem(k).Valid() {
				return fmt.Sprintf("condition %q: %q is not a content item", cond, k)
			}
		}
		return ""
	case "jurisdiction":
		for _, k := range strings.Split(arg, "|") {
			if err := breach.Jurisdiction(k).Validate(); err != nil {
				return fmt.Sprintf("condition %q: %q is not a jurisdiction such as US-CA", cond, k)
			}
		}
		return ""
	}
	return fmt.Sprintf("unknown condition %q (conditions: %s)", cond, strings.Join(sortedKeys(condDoc), ", "))
}

// evalCond evaluates a well-formed condition for a group.
func (c *compileCtx) evalCond(cond string) bool {
	kind, arg, _ := strings.Cut(cond, ":")
	f := c.f
	switch kind {
	case "idp":
		return f.IDP != nil
	case "idp_deadline":
		return f.IDP != nil && f.IDP.Deadline != ""
	case "offer":
		return f.Offer != nil
	case "offer_deadline":
		return f.Offer != nil && f.Offer.Deadline != ""
	case "contained":
		return f.Incident.ContainedAt != nil
	case "delayed":
		return f.Incident.LawEnforcementDelay
	case "recipient_known":
		return f.recipientKnown()
	case "us":
		return c.group.Jurisdiction.Country() == "US"
	case "element":
		for _, k := range strings.Split(arg, "|") {
			if e, err := breach.ParseElement(k); err == nil && c.group.Elements.Has(e) {
				return true
			}
		}
	case "required":
		for _, k := range strings.Split(arg, "|") {
			if len(c.req.required[breach.ContentItem(k)]) > 0 {
				return true
			}
		}
	case "jurisdiction":
		j := string(c.group.Jurisdiction)
		for _, k := range strings.Split(arg, "|") {
			if j == k || strings.HasPrefix(j, k+"-") {
				return true
			}
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// suggest returns the known name closest to an unknown one, or "".
func suggest(name string, known []string) string {
	return spell.Closest(name, known, 3)
}

// VocabItem documents one placeholder, insert or condition.
type VocabItem struct {
	Name  string   `json:"name"`
	Scope string   `json:"scope,omitempty"`
	Items []string `json:"content_items,omitempty"`
	Doc   string   `json:"doc"`
}

// Reference is the template vocabulary.
type Reference struct {
	Placeholders []VocabItem `json:"placeholders"`
	Inserts      []VocabItem `json:"inserts"`
	Conditions   []VocabItem `json:"conditions"`
	Sections     []string    `json:"sections"`
}

// Vocabulary documents what templates may use.
func Vocabulary() *Reference {
	ref := &Reference{Sections: sectionIDs()}
	scopes := map[scope]string{scopeIncident: "incident", scopeGroup: "group", scopePerson: "person"}
	strs := func(its []breach.ContentItem) []string {
		out := make([]string, len(its))
		for i, it := range its {
			out[i] = string(it)
		}
		return out
	}
	for _, n := range sortedKeys(placeholders) {
		d := placeholders[n]
		ref.Placeholders = append(ref.Placeholders, VocabItem{Name: "{{" + n + "}}", Scope: scopes[d.scope], Items: strs(d.items), Doc: d.doc})
	}
	for _, k := range []nodeKind{nElements, nSteps} {
		d := blockPlaceholders[k]
		name := map[nodeKind]string{nElements: "{{elements}}", nSteps: "{{steps}}"}[k]
		ref.Placeholders = append(ref.Placeholders, VocabItem{Name: name, Scope: scopes[d.scope], Items: strs(d.items), Doc: d.doc + " (on its own line)"})
	}
	for _, n := range sortedKeys(inserts) {
		ref.Inserts = append(ref.Inserts, VocabItem{Name: "{{insert " + n + "}}", Items: strs(inserts[n].items), Doc: inserts[n].doc})
	}
	for _, n := range sortedKeys(condDoc) {
		ref.Conditions = append(ref.Conditions, VocabItem{Name: "{{#if " + n + "}}", Doc: condDoc[n]})
	}
	return ref
}

// recipientRe finds, in an account of what happened, who obtained the
// information: the words the linter's unauthorized_recipient detector
// accepts for the person or party.
var recipientRe = regexp.MustCompile(`(?i)\b(?:someone (?:outside|from outside)|an outsider|unauthori[sz]ed (?:person|party|parties|individual|user|third part(?:y|ies))|criminals?|criminal group|attackers?|hackers?|thie(?:f|ves)|ransomware (?:group|gang)|(?:former|current|an?) (?:employee|contractor|vendor|staff member)|third part(?:y|ies)|advertis(?:er|ers|ing (?:partners?|companies)))\b`)

// recipientKnown reports whether the incident's account of what happened
// says who obtained the information.
func (f *Facts) recipientKnown() bool {
	return recipientRe.MatchString(f.Incident.WhatHappened)
}
