package law_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

// validRule is a minimal valid rule file; the invalid snippets below each
// change one thing in it.
const validRule = `id: US-TX
name: Texas Identity Theft Enforcement and Protection Act
kind: state
jurisdictions: [US-TX]
reviewed: 2026-11-29
citations: ["Tex. Bus. & Com. Code § 521.053"]
sources:
  - url: https://statutes.capitol.texas.gov/Docs/BC/htm/BC.521.htm
    title: Texas Business and Commerce Code ch. 521
confidence: high
personal_information:
  with_name: [[ssn], [account_number, account_access_code]]
  without_name: [[email, password]]
encryption: {safe_harbor: true, key_compromise_voids: true}
individuals:
  required: true
  deadline: {amount: 60, unit: days, from: determination}
  text: "not later than the 60th day after determining the breach occurred"
notices:
  - audience: regulator
    recipient: Texas Attorney General
    threshold: ">=250"
    deadline: {amount: 30, unit: days, from: determination}
    text: "not later than the 30th day after determining the breach occurred"
content:
  required: [description_of_incident]
methods: [written]
`

func TestParseRuleValid(t *testing.T) {
	r, errs := law.ParseRule("us/tx.yaml", []byte(validRule))
	if errs != nil {
		t.Fatalf("valid rule rejected:\n%v", errs)
	}
	want := law.Threshold{Min: 250}
	if r.Notices[0].Threshold != want {
		t.Errorf("threshold = %+v, want %+v", r.Notices[0].Threshold, want)
	}
	if got, want := r.Reviewed.String(), "2026-11-29"; got != want {
		t.Errorf("reviewed = %s, want %s", got, want)
	}
	if got := r.Line("notices[0].threshold"); got != 22 {
		t.Errorf("line of notices[0].threshold = %d, want 22", got)
	}
	if r.Encryption.KeyCompromiseVoids == nil || !*r.Encryption.KeyCompromiseVoids {
		t.Errorf("key_compromise_voids = %v, want true", r.Encryption.KeyCompromiseVoids)
	}
	if r.PaperRecords != nil {
		t.Errorf("paper_records = %v, want nil (unknown)", *r.PaperRecords)
	}
}

// TestParseRuleInvalid holds invalid snippets with their exact errors.
func TestParseRuleInvalid(t *testing.T) {
	tests := []struct {
		name     string
		old, new string    // replace old by new in validRule ("" old appends)
		new2     [2]string // a second replacement, when set
		want     []string
	}{
		{
			name: "unknown top-level key",
			new:  "colour: red\n",
			want: []string{`us/tx.yaml:28: colour: unknown field`},
		},
		{
			name: "misspelt nested key",
			old:  "  required: true\n", new: "  requird: true\n",
			want: []string{`us/tx.yaml:16: individuals.requird: unknown field (did you mean "required"?)`},
		},
		{
			name: "unicode threshold operator",
			old:  `threshold: ">=250"`, new: `threshold: "≥250"`,
			want: []string{`us/tx.yaml:22: notices[0].threshold: "≥250" is not a threshold such as ">=250", ">500" or "any"`},
		},
		{
			name: "threshold with a thousands separator",
			old:  `threshold: ">=250"`, new: `threshold: ">1,000"`,
			want: []string{`us/tx.yaml:22: notices[0].threshold: ">1,000" is not a threshold such as ">=250", ">500" or "any"`},
		},
		{
			name: "threshold missing",
			old:  "    threshold: \">=250\"\n", new: "",
			want: []string{`us/tx.yaml:20: notices[0].threshold: required: ">=250", ">500" or "any"`},
		},
		{
			name: "unknown data element",
			old:  "[[ssn], [account_number", new: "[[ssn], [acount_number",
			want: []string{`us/tx.yaml:12: personal_information.with_name[1][0]: "acount_number" is not a data element (see internal/breach/element.go) (did you mean "account_number"?)`},
		},
		{
			name: "name listed in a with_name combination",
			old:  "with_name: [[ssn]", new: "with_name: [[name, ssn]",
			want: []string{`us/tx.yaml:12: personal_information.with_name[0][0]: name is implied in with_name combinations: do not list it`},
		},
		{
			name: "empty combination",
			old:  "without_name: [[email, password]]", new: "without_name: [[]]",
			want: []string{`us/tx.yaml:13: personal_information.without_name[0]: empty combination`},
		},
		{
			name: "deadline unit",
			old:  "{amount: 60, unit: days", new: "{amount: 60, unit: weeks",
			want: []string{`us/tx.yaml:17: individuals.deadline.unit: "weeks" is not one of days, business_days, hours`},
		},
		{
			name: "deadline amount not a number",
			old:  "{amount: 60,", new: "{amount: sixty,",
			want: []string{`us/tx.yaml:17: individuals.deadline.amount: expected a whole number, got "sixty"`},
		},
		{
			name: "deadline from an unknown event",
			old:  "{amount: 30, unit: days, from: determination}", new: "{amount: 30, unit: days, from: consumer_notice}",
			want: []string{`us/tx.yaml:23: notices[0].deadline.from: "consumer_notice" is not one of discovery, determination, awareness, notice_from_vendor, individual_notice`},
		},
		{
			name: "deadline of zero days",
			old:  "{amount: 30,", new: "{amount: 0,",
			want: []string{`us/tx.yaml:23: notices[0].deadline.amount: must be a positive number, got 0`},
		},
		{
			name: "impossible reviewed date",
			old:  "reviewed: 2026-11-29", new: "reviewed: 2026-13-01",
			want: []string{`us/tx.yaml:5: reviewed: "2026-13-01" is not a date such as 2026-11-29`},
		},
		{
			name: "reviewed missing",
			old:  "reviewed: 2026-11-29\n", new: "",
			want: []string{`us/tx.yaml:1: reviewed: required: the date the file was last checked against its sources`},
		},
		{
			name: "unknown kind",
			old:  "kind: state", new: "kind: province",
			want: []string{`us/tx.yaml:3: kind: "province" is not one of state, federal, sector, country`},
		},
		{
			name: "state rule that does not list itself",
			old:  "jurisdictions: [US-TX]", new: "jurisdictions: [US-OK]",
			want: []string{`us/tx.yaml:4: jurisdictions: a state rule must list its own id US-TX`},
		},
		{
			name: "not a US state",
			old:  "jurisdictions: [US-TX]", new: "jurisdictions: [US-TX, US-XX]",
			want: []string{`us/tx.yaml:4: jurisdictions[1]: jurisdiction "US-XX": "XX" is not a US state or territory`},
		},
		{
			name: "scalar where a list belongs",
			old:  "jurisdictions: [US-TX]", new: "jurisdictions: US-TX",
			want: []string{`us/tx.yaml:4: jurisdictions: expected a list, got "US-TX"`},
		},
		{
			name: "snake_case id for a country rule",
			old:  "id: US-TX\nname: Texas Identity Theft Enforcement and Protection Act\nkind: state\njurisdictions: [US-TX]",
			new:  "id: EU-GDPR\nname: GDPR\nkind: country\njurisdictions: [DE]",
			want: []string{`us/tx.yaml:1: id: "EU-GDPR": a country rule's id is snake_case, such as eu_gdpr or us_hipaa`},
		},
		{
			name: "unknown sector",
			new:  "applies_to_sectors: [hospital]\n",
			want: []string{`us/tx.yaml:28: applies_to_sectors[0]: "hospital" is not one of hipaa_covered_entity, hipaa_business_associate, financial_institution, sec_registrant, nydfs_licensee, health_app_vendor, government, data_broker, insurance_licensee, card_merchant`},
		},
		{
			name: "unknown content item",
			old:  "required: [description_of_incident]", new: "required: [description_of_incident, what_hapened]",
			want: []string{`us/tx.yaml:26: content.required[1]: "what_hapened" is not a content item (see internal/breach/content.go)`},
		},
		{
			name: "content both required and prohibited",
			old:  "required: [description_of_incident]", new: "required: [description_of_incident, number_affected]\n  prohibited: [number_affected]",
			want: []string{`us/tx.yaml:27: content.prohibited[0]: "number_affected" is also required`},
		},
		{
			name: "unknown audience",
			old:  "audience: regulator", new: "audience: attorney_general",
			want: []string{`us/tx.yaml:20: notices[0].audience: "attorney_general" is not one of regulator, consumer_reporting_agencies, media, covered_entity, law_enforcement, other`},
		},
		{
			name: "source without a scheme",
			old:  "url: https://statutes", new: "url: statutes",
			want: []string{`us/tx.yaml:8: sources[0].url: "statutes.capitol.texas.gov/Docs/BC/htm/BC.521.htm" is not an http(s) URL`},
		},
		{
			name: "not a boolean",
			old:  "key_compromise_voids: true", new: "key_compromise_voids: maybe",
			want: []string{`us/tx.yaml:14: encryption.key_compromise_voids: expected true or false, got "maybe"`},
		},
		{
			name: "no-harm notice without a no-harm exemption",
			old:  "    text: \"not later than the 30th", new: "    only_if_no_harm_determination: true\n    text: \"not later than the 30th",
			want: []string{`us/tx.yaml:24: notices[0].only_if_no_harm_determination: true, but the rule has no general risk-of-harm exemption (risk_of_harm.exemption is false): say in condition which narrower no-harm exception the notice belongs to`},
		},
		{
			name: "unknown timing",
			old:  "    text: \"not later than the 30th", new: "    timing: first\n    text: \"not later than the 30th",
			want: []string{`us/tx.yaml:24: notices[0].timing: "first" is not one of before_individuals, with_individuals`},
		},
		{
			name: "timing and a deadline from the individual notice",
			old:  "{amount: 30, unit: days, from: determination}", new: "{amount: 15, unit: days, from: individual_notice}\n    timing: before_individuals",
			want: []string{`us/tx.yaml:24: notices[0].timing: before_individuals, but the deadline runs from individual_notice (after them): give one or the other`},
		},
		{
			name: "individuals' own deadline from the individual notice",
			old:  "{amount: 60, unit: days, from: determination}", new: "{amount: 60, unit: days, from: individual_notice}",
			want: []string{`us/tx.yaml:17: individuals.deadline.from: individual_notice dates notices to others from the notice to individuals; the individuals' own deadline needs another event`},
		},
		{
			name: "hours from the individual notice",
			old:  "{amount: 30, unit: days, from: determination}", new: "{amount: 24, unit: hours, from: individual_notice}",
			want: []string{`us/tx.yaml:23: notices[0].deadline.unit: hours cannot run from individual_notice, which the engine knows only as a date: use days or business_days`},
		},
		{
			name: "timing without a duty to notify individuals",
			old:  "  required: true\n", new: "  required: false\n",
			new2: [2]string{"    text: \"not later than the 30th", "    timing: with_individuals\n    text: \"not later than the 30th"},
			want: []string{`us/tx.yaml:24: notices[0].timing: dated from the notice to individuals, but the rule sets no duty to notify them (individuals.required is false)`},
		},
		{
			name: "recipient starting with a capitalised determiner",
			old:  "recipient: Texas Attorney General", new: "recipient: Each nationwide consumer reporting agency",
			want: []string{`us/tx.yaml:21: notices[0].recipient: "Each nationwide consumer reporting agency": write a noun phrase that reads inside a sentence ("notify the Texas Attorney General", "notify nationwide consumer reporting agencies"): the engine adds "the" before a capitalised name, and a phrase starting in lower case is used as written`},
		},
		{
			name: "unknown notice sector",
			old:  "    text: \"not later than the 30th", new: "    sectors: [hospital]\n    text: \"not later than the 30th",
			want: []string{`us/tx.yaml:24: notices[0].sectors[0]: "hospital" is not one of hipaa_covered_entity, hipaa_business_associate, financial_institution, sec_registrant, nydfs_licensee, health_app_vendor, government, data_broker, insurance_licensee, card_merchant`},
		},
		{
			name: "notice sector outside the rule's sectors",
			old:  "    text: \"not later than the 30th", new: "    sectors: [government]\n    text: \"not later than the 30th",
			new2: [2]string{"confidence: high", "confidence: high\napplies_to_sectors: [data_broker]"},
			want: []string{`us/tx.yaml:25: notices[0].sectors[0]: "government" is not in applies_to_sectors, so the notice could never be due`},
		},
		{
			name: "per-jurisdiction threshold in a state rule",
			old:  "    text: \"not later than the 30th", new: "    threshold_scope: jurisdiction\n    text: \"not later than the 30th",
			want: []string{`us/tx.yaml:24: notices[0].threshold_scope: jurisdiction has no effect: the rule lists no whole country (such as US) whose residents could be counted subdivision by subdivision`},
		},
		{
			name: "unknown threshold scope",
			old:  "    text: \"not later than the 30th", new: "    threshold_scope: state\n    text: \"not later than the 30th",
			want: []string{`us/tx.yaml:24: notices[0].threshold_scope: "state" is not one of total, jurisdiction`},
		},
		{
			name: "conditional content item with an unknown element",
			old:  "required: [description_of_incident]", new: "required: [description_of_incident, {item: toll_free_numbers, when: [ssn, sn]}]",
			want: []string{`us/tx.yaml:26: content.required[1].when[1]: "sn" is not a data element (see internal/breach/element.go) (did you mean "ssn"?)`},
		},
		{
			name: "conditional content item with an empty when",
			old:  "required: [description_of_incident]", new: "required: [description_of_incident, {item: toll_free_numbers, when: []}]",
			want: []string{`us/tx.yaml:26: content.required[1].when: empty: write the item alone when it is always required`},
		},
		{
			name: "conditional content item with a misspelt key",
			old:  "required: [description_of_incident]", new: "required: [description_of_incident, {item: toll_free_numbers, whn: [ssn]}]",
			want: []string{`us/tx.yaml:26: content.required[1]: unknown field "whn" (did you mean "when"?)`},
		},
		{
			name: "conditional content item without an item",
			old:  "required: [description_of_incident]", new: "required: [description_of_incident, {when: [ssn]}]",
			want: []string{`us/tx.yaml:26: content.required[1]: item: required, such as {item: toll_free_numbers, when: [ssn]}`},
		},
		{
			name: "content item listed plain and conditionally",
			old:  "required: [description_of_incident]", new: "required: [description_of_incident, {item: description_of_incident, when: [ssn]}]",
			want: []string{`us/tx.yaml:26: content.required[1]: "description_of_incident" is listed twice`},
		},
		{
			name: "key given twice",
			old:  "confidence: high", new: "confidence: high\nmethods: [pigeon]",
			want: []string{`us/tx.yaml:28: methods: field given twice (first at line 11)`},
		},
		{
			name: "several problems are all reported, in line order",
			old:  "confidence: high", new: "confidence: certain",
			new2: [2]string{"methods: [written]", "methods: [pigeon, written, written]"},
			want: []string{
				`us/tx.yaml:10: confidence: "certain" is not one of high, medium, low`,
				`us/tx.yaml:27: methods[0]: "pigeon" is not one of written, electronic, telephone, substitute`,
				`us/tx.yaml:27: methods[2]: "written" is listed twice`,
			},
		},
		{
			name: "YAML syntax error",
			old:  "jurisdictions: [US-TX]", new: "jurisdictions: [US-TX",
			want: []string{`us/tx.yaml:4: (file): YAML syntax: did not find expected ',' or ']'`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := validRule + tt.new
			if tt.old != "" {
				if !strings.Contains(validRule, tt.old) {
					t.Fatalf("snippet %q not in validRule", tt.old)
				}
				src = strings.Replace(validRule, tt.old, tt.new, 1)
			}
			if tt.new2[0] != "" {
				src = strings.Replace(src, tt.new2[0], tt.new2[1], 1)
			}
			r, errs := law.ParseRule("us/tx.yaml", []byte(src))
			if r != nil {
				t.Fatalf("invalid rule accepted")
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFSDuplicateIDs(t *testing.T) {
	fsys := fstest.MapFS{
		"rules/us/tx.yaml":    {Data: []byte(validRule)},
		"rules/us/texas.yaml": {Data: []byte(validRule)},
		"rules/us/bad.yaml":   {Data: []byte(strings.Replace(validRule, "kind: state", "kind: stat", 1))},
		"rules/README.md":     {Data: []byte("not a rule")},
	}
	_, err := law.LoadFS(fsys, "rules")
	if got := breach.ErrorCode(err); got != breach.EINVALID {
		t.Fatalf("error code = %q, want %q (err %v)", got, breach.EINVALID, err)
	}
	var got []string
	for _, e := range law.Problems(err) {
		got = append(got, e.Error())
	}
	want := []string{
		`rules/us/bad.yaml:3: kind: "stat" is not one of state, federal, sector, country`,
		`rules/us/tx.yaml:1: id: "US-TX" is already used by rules/us/texas.yaml`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if msg := breach.ErrorMessage(err); !strings.HasPrefix(msg, "2 problem(s) in rule files:\n") {
		t.Errorf("message = %q", msg)
	}
}

// TestRequiredContent checks both forms of content.required and the
// content returned for an element set.
func TestRequiredContent(t *testing.T) {
	src := strings.Replace(validRule, "required: [description_of_incident]", `required:
    - description_of_incident
    - {item: toll_free_numbers, when: [ssn, drivers_license]}
    - item: password_change_advice
      when: [password, security_qa]`, 1)
	r, errs := law.ParseRule("us/tx.yaml", []byte(src))
	if errs != nil {
		t.Fatalf("rule rejected:\n%v", errs)
	}
	// Callers that do not know the elements see every item, as before.
	if diff := cmp.Diff([]string{"description_of_incident", "toll_free_numbers", "password_change_advice"}, r.Content.Required); diff != "" {
		t.Errorf("Content.Required (-want +got):\n%s", diff)
	}
	set := func(es ...breach.DataElement) breach.ElementSet { return breach.NewElementSet(es...) }
	tests := []struct {
		name    string
		exposed breach.ElementSet
		want    []breach.ContentItem
	}{
		{"nothing conditional", set(breach.ElementName, breach.ElementDOB), []breach.ContentItem{"description_of_incident"}},
		{"ssn", set(breach.ElementName, breach.ElementSSN), []breach.ContentItem{"description_of_incident", "toll_free_numbers"}},
		{"credentials", set(breach.ElementEmail, breach.ElementPassword), []breach.ContentItem{"description_of_incident", "password_change_advice"}},
		{"both", set(breach.ElementDriversLicense, breach.ElementSecurityQA), []breach.ContentItem{"description_of_incident", "toll_free_numbers", "password_change_advice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, r.RequiredContent(tt.exposed)); diff != "" {
				t.Errorf("RequiredContent(%s) (-want +got):\n%s", tt.exposed, diff)
			}
		})
	}
	if got := r.Line("content.required[2].when"); got != 30 {
		t.Errorf("line of content.required[2].when = %d, want 30", got)
	}
}
