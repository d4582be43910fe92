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
			want: []string{`us/tx.yaml:23: notices[0].deadline.from: "consumer_notice" is not one of discovery, determination, awareness, notice_from_vendor`},
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
			want: []string{`us/tx.yaml:24: notices[0].only_if_no_harm_determination: true, but the rule has no risk-of-harm exemption (risk_of_harm.exemption is false)`},
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
