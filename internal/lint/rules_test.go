package lint

import (
	"strings"
	"testing"

	"github.com/candor-dev/candor/internal/breach"
)

// testOrg is the organisation the tests and the corpus use.
func testOrg() *breach.Organization {
	return &breach.Organization{
		LegalName:     "Northwind Outfitters, Inc.",
		Brand:         "Northwind",
		PrimaryDomain: "northwindoutfitters.com",
		SupportPhone:  "1-800-555-0142",
	}
}

// ruleCase is one positive (fires) or negative (silent) case of a rule.
type ruleCase struct {
	rule  string
	name  string
	text  string
	opts  func(*Options)
	fires bool
}

func withOrg(o *Options) { o.Org = testOrg() }

func withCA(o *Options) {
	o.Org = testOrg()
	o.Requirements = []Requirements{{
		Jurisdiction: "US-CA", Citation: "Cal. Civ. Code § 1798.82",
		Required: []breach.ContentItem{"date_of_breach", "types_of_information"},
		Headings: californiaHeadings, Title: "Notice of Data Breach",
		ProtectionMonths: 12, ProtectionWhen: breach.NewElementSet(breach.ElementSSN),
	}}
}

func withMA(o *Options) {
	o.Org = testOrg()
	o.Requirements = []Requirements{{
		Jurisdiction:     "US-MA",
		Required:         []breach.ContentItem{"police_report_right"},
		Prohibited:       []breach.ContentItem{"number_affected"},
		ProtectionMonths: 18, ProtectionWhen: breach.NewElementSet(breach.ElementSSN),
	}}
}

var ruleCases = []ruleCase{
	// Empathy
	{rule: "empathy-apology", name: "no apology", text: "We are writing to tell you about a breach.", fires: true},
	{rule: "empathy-apology", name: "we are sorry", text: "We are truly sorry that this happened to you.", fires: false},
	{rule: "empathy-apology", name: "regret for inconvenience is not an apology", text: "We regret any inconvenience this may cause.", fires: true},
	{rule: "empathy-apology-early", name: "late apology", text: strings.Repeat("This sentence tells you a plain fact about the breach. ", 20) + "We apologize for this breach.", fires: true},
	{rule: "empathy-apology-early", name: "early apology", text: "We are sorry. " + strings.Repeat("This sentence tells you a plain fact about the breach. ", 20), fires: false},
	{rule: "empathy-insincere-apology", name: "any inconvenience", text: "We apologize for any inconvenience this may cause.", fires: true},
	{rule: "empathy-insincere-apology", name: "sorry if", text: "We are sorry if you were worried.", fires: true},
	{rule: "empathy-insincere-apology", name: "plain apology", text: "We are sorry that your information was taken.", fires: false},
	{rule: "empathy-deflection", name: "sophisticated attack", text: "We were hit by a highly sophisticated cyberattack.", fires: true},
	{rule: "empathy-deflection", name: "vendor", text: "Our third-party vendor was breached last month.", fires: true},
	{rule: "empathy-deflection", name: "owning it", text: "A criminal broke into our system. This was our mistake.", fires: false},
	{rule: "empathy-responsibility", name: "none", text: "A criminal broke into our system.", fires: true},
	{rule: "empathy-responsibility", name: "our mistake", text: "This was our mistake, and we take full responsibility.", fires: false},
	{rule: "empathy-minimising", name: "abundance of caution", text: "Out of an abundance of caution, we are writing to you.", fires: true},
	{rule: "empathy-minimising", name: "no evidence without check", text: "There is no evidence of misuse.", fires: true},
	{rule: "empathy-minimising", name: "may have been", text: "Your data may have been accessed.", fires: true},
	{rule: "empathy-minimising", name: "privacy seriously", text: "We take your privacy very seriously.", fires: true},
	{rule: "empathy-minimising", name: "no evidence after a stated check", text: "We reviewed every login since May 1 and found no evidence that anyone used your account.", fires: false},
	{rule: "empathy-minimising", name: "plain facts", text: "A criminal copied your name and address on May 3, 2026.", fires: false},

	// Transparency
	{rule: "transparency-what-happened", name: "nothing about cause", text: "We are writing about your account. Please call us.", fires: true},
	{rule: "transparency-what-happened", name: "cause named", text: "A criminal stole a laptop holding your records.", fires: false},
	{rule: "transparency-date-occurred", name: "no date", text: "A criminal copied our customer list.", fires: true},
	{rule: "transparency-date-occurred", name: "only discovery date", text: "On May 10, 2026, we discovered that a criminal copied our customer list.", fires: true},
	{rule: "transparency-date-occurred", name: "range", text: "Between May 2 and May 9, 2026, a criminal copied our customer list.", fires: false},
	{rule: "transparency-date-discovered", name: "no discovery date", text: "Between May 2 and May 9, 2026, a criminal copied our customer list.", fires: true},
	{rule: "transparency-date-discovered", name: "discovery date", text: "We discovered the break-in on May 10, 2026.", fires: false},
	{rule: "transparency-data-named", name: "vague", text: "A criminal accessed some of your personal information.", fires: true},
	{rule: "transparency-data-named", name: "named", text: "A criminal accessed your name and Social Security number.", fires: false},
	{rule: "transparency-count", name: "no count", text: "A criminal copied our customer list.", fires: true},
	{rule: "transparency-count", name: "count", text: "A criminal copied the records of 12,400 customers.", fires: false},
	{rule: "transparency-passive", name: "agentless passive", text: "Your records were accessed last week.", fires: true},
	{rule: "transparency-passive", name: "passive with agent", text: "Your records were accessed by a criminal last week.", fires: false},
	{rule: "transparency-passive", name: "stative", text: "You were affected by the breach.", fires: false},
	{rule: "transparency-vague-quantity", name: "a number of", text: "A number of customers were told.", fires: true},
	{rule: "transparency-vague-quantity", name: "number given", text: "We told 2,300 customers.", fires: false},

	// Contact
	{rule: "contact-phone", name: "no phone", text: "Write to us with questions.", fires: true},
	{rule: "contact-phone", name: "phone", text: "Call us at 1-800-555-0142.", fires: false},
	{rule: "contact-hours", name: "no hours", text: "Call us at 1-800-555-0142.", fires: true},
	{rule: "contact-hours", name: "hours", text: "Call us at 1-800-555-0142, Monday to Friday, 8 a.m. to 8 p.m.", fires: false},
	{rule: "contact-official", name: "only an outside domain", text: "Visit https://help.example.net for help.", opts: withOrg, fires: true},
	{rule: "contact-official", name: "official domain", text: "Visit https://northwindoutfitters.com/help for help.", opts: withOrg, fires: false},
	{rule: "contact-official", name: "postal address", text: "Write to us at P.O. Box 4410, Portland, OR 97208.", opts: withOrg, fires: false},

	// Remediation
	{rule: "remediation-concrete", name: "nothing concrete", text: "We are enhancing our security.", fires: true},
	{rule: "remediation-concrete", name: "advice is not a measure", text: "We recommend you reset your password.", fires: true},
	{rule: "remediation-concrete", name: "concrete", text: "We reset every password and hired an outside firm.", fires: false},
	{rule: "remediation-detail", name: "one measure", text: "We reset every password.", fires: true},
	{rule: "remediation-detail", name: "two measures", text: "We reset every password. We hired an outside firm.", fires: false},
	{rule: "remediation-vague", name: "enhancing", text: "We are enhancing our security and taking appropriate steps.", fires: true},
	{rule: "remediation-vague", name: "vague with concrete", text: "We strengthened our security: we now require two-step sign-in.", fires: false},

	// Protection
	{rule: "protection-offer", name: "SSN without offer", text: "A criminal copied your Social Security number.", fires: true},
	{rule: "protection-offer", name: "SSN with offer", text: "A criminal copied your Social Security number. We are offering you free credit monitoring.", fires: false},
	{rule: "protection-offer", name: "email only", text: "A criminal copied your e-mail address.", fires: false},
	{rule: "protection-offer", name: "denied exposure", text: "Your Social Security number was not involved.", fires: false},
	{rule: "protection-offer", name: "given elements", text: "A criminal copied our files.", opts: func(o *Options) { o.Elements = breach.NewElementSet(breach.ElementCardNumber) }, fires: true},
	{rule: "protection-offer-terms", name: "bare offer", text: "We are offering you credit monitoring.", fires: true},
	{rule: "protection-offer-terms", name: "full terms", text: "We are offering you 24 months of credit monitoring, free of charge. Use activation code AB12. Enroll by September 30, 2026.", fires: false},
	{rule: "protection-months", name: "too short for MA", text: "A criminal copied your Social Security number. We are offering 12 months of free credit monitoring.", opts: withMA, fires: true},
	{rule: "protection-months", name: "long enough for MA", text: "A criminal copied your Social Security number. We are offering 24 months of free credit monitoring.", opts: withMA, fires: false},
	{rule: "protection-fraud-alert", name: "missing", text: "A criminal copied your Social Security number.", fires: true},
	{rule: "protection-fraud-alert", name: "present", text: "A criminal copied your Social Security number. You can place a fraud alert.", fires: false},
	{rule: "protection-security-freeze", name: "missing", text: "A criminal copied your bank account number.", fires: true},
	{rule: "protection-security-freeze", name: "present", text: "A criminal copied your bank account number. You can place a free security freeze.", fires: false},
	{rule: "protection-password", name: "no advice", text: "A criminal copied your username and password.", fires: true},
	{rule: "protection-password", name: "no reuse advice", text: "A criminal copied your username and password. Please change your password.", fires: true},
	{rule: "protection-password", name: "full advice", text: "A criminal copied your username and password. Please change your password, and change it on any other site where you used the same password.", fires: false},
	{rule: "protection-advice", name: "nothing to do", text: "A criminal copied our files.", fires: true},
	{rule: "protection-advice", name: "advice", text: "A criminal copied our files. We recommend that you review your statements.", fires: false},

	// Loyalty
	{rule: "loyalty-gesture", name: "none", text: "We are offering credit monitoring.", fires: true},
	{rule: "loyalty-gesture", name: "account credit", text: "As a thank-you, we added a $50 credit to your account.", fires: false},
	{rule: "loyalty-strings-attached", name: "release", text: "By enrolling, you agree to release all claims against us.", fires: true},
	{rule: "loyalty-strings-attached", name: "no strings", text: "Enrolling does not waive any of your rights.", fires: false},

	// Clarity
	{rule: "clarity-grade", name: "dense", text: "The unauthorized exfiltration of organizational information necessitated comprehensive investigative procedures incorporating sophisticated methodologies and considerable interdepartmental coordination.", fires: true},
	{rule: "clarity-grade", name: "plain", text: "A thief took our files. We are sorry. We fixed the lock. Call us if you need help.", fires: false},
	{rule: "clarity-long-sentence", name: "long", text: strings.TrimSpace(strings.Repeat("word ", 30)) + ".", fires: true},
	{rule: "clarity-long-sentence", name: "short", text: "A thief took our files.", fires: false},
	{rule: "clarity-jargon", name: "hashed with bcrypt", text: "Your password was hashed with bcrypt.", fires: true},
	{rule: "clarity-jargon", name: "threat actor", text: "A threat actor exfiltrated data.", fires: true},
	{rule: "clarity-jargon", name: "plain", text: "A criminal copied your scrambled password.", fires: false},
	{rule: "clarity-length", name: "too long", text: strings.Repeat("We are sorry this happened to you. ", 180), fires: true},
	{rule: "clarity-length", name: "short", text: "We are sorry this happened to you.", fires: false},

	// Safety
	{rule: "safety-https", name: "http", text: "Visit http://northwindoutfitters.com/help.", opts: withOrg, fires: true},
	{rule: "safety-https", name: "https", text: "Visit https://northwindoutfitters.com/help.", opts: withOrg, fires: false},
	{rule: "safety-https", name: "bare domain in print", text: "Type northwindoutfitters.com into your browser.", opts: withOrg, fires: false},
	{rule: "safety-domain", name: "other domain", text: "Visit https://example.net/help.", opts: withOrg, fires: true},
	{rule: "safety-domain", name: "inferred from the notice's e-mail", text: "Write to help@northwindoutfitters.com or visit https://example.net/help.", fires: true},
	{rule: "safety-domain", name: "official and trusted", text: "Visit https://northwindoutfitters.com/help or https://www.identitytheft.gov.", opts: withOrg, fires: false},
	{rule: "safety-lookalike", name: "brand plus words", text: "Visit https://northwind-security2026.com.", opts: withOrg, fires: true},
	{rule: "safety-lookalike", name: "typo", text: "Visit https://northwindoutfiters.com.", opts: withOrg, fires: true},
	{rule: "safety-lookalike", name: "other ending", text: "Visit https://northwindoutfitters.net.", opts: withOrg, fires: true},
	{rule: "safety-lookalike", name: "bureau look-alike", text: "Visit https://equifaxsecurity2017.com.", opts: withOrg, fires: true},
	{rule: "safety-lookalike", name: "real domains", text: "Visit https://northwindoutfitters.com and https://www.equifax.com.", opts: withOrg, fires: false},
	{rule: "safety-punycode", name: "punycode", text: "Visit https://xn--80ak6aa92e.com.", opts: withOrg, fires: true},
	{rule: "safety-punycode", name: "ascii", text: "Visit https://northwindoutfitters.com.", opts: withOrg, fires: false},
	{rule: "safety-shortener", name: "bit.ly", text: "Visit https://bit.ly/abc.", fires: true},
	{rule: "safety-shortener", name: "full address", text: "Visit https://northwindoutfitters.com/abc.", fires: false},
	{rule: "safety-link-mismatch", name: "mismatch", text: "Visit [northwindoutfitters.com/help](https://example.net/help).", fires: true},
	{rule: "safety-link-mismatch", name: "match", text: "Visit [northwindoutfitters.com/help](https://www.northwindoutfitters.com/help).", fires: false},
	{rule: "safety-link-mismatch", name: "words as link text", text: "Visit [our help page](https://northwindoutfitters.com/help).", fires: false},
	{rule: "safety-credential-request", name: "reply with SSN", text: "Please reply to this e-mail with your Social Security number.", fires: true},
	{rule: "safety-credential-request", name: "click to verify password", text: "Click the link below to verify your password.", fires: true},
	{rule: "safety-credential-request", name: "never ask", text: "We will never ask you to reply with your password or Social Security number.", fires: false},
	{rule: "safety-credential-request", name: "change password advice", text: "Please update your password on our site.", fires: false},
	{rule: "safety-genuine", name: "missing", text: "Call us with questions.", fires: true},
	{rule: "safety-genuine", name: "never ask", text: "We will never ask for your password by e-mail.", fires: false},

	// Legal
	{rule: "legal-required", name: "missing breach date", text: "A criminal copied your name.", opts: withCA, fires: true},
	{rule: "legal-required", name: "present", text: "Between May 2 and May 9, 2026, a criminal copied your name.", opts: withCA, fires: false},
	{rule: "legal-required", name: "no jurisdiction, no legal check", text: "Hello.", fires: false},
	{rule: "legal-prohibited", name: "number for MA", text: "A criminal copied the records of 1,200 customers.", opts: withMA, fires: true},
	{rule: "legal-prohibited", name: "no number for MA", text: "A criminal copied your records.", opts: withMA, fires: false},
	{rule: "legal-title", name: "missing title", text: "# Important notice\n\nA criminal copied your name.", opts: withCA, fires: true},
	{rule: "legal-title", name: "title", text: "# Notice of Data Breach\n\nA criminal copied your name.", opts: withCA, fires: false},
	{rule: "legal-headings", name: "missing", text: "# Notice of Data Breach\n\n## What Happened\n\nA criminal copied your name.", opts: withCA, fires: true},
	{rule: "legal-headings", name: "all present", text: "# Notice of Data Breach\n\n## What Happened\n\nx\n\n## What Information Was Involved\n\nx\n\n## What We Are Doing\n\nx\n\n## What You Can Do\n\nx\n\n## For More Information\n\nx", opts: withCA, fires: false},
}

func TestRules(t *testing.T) {
	for _, tc := range ruleCases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			opts := Options{}
			if tc.opts != nil {
				tc.opts(&opts)
			}
			l, err := New(opts)
			if err != nil {
				t.Fatal(err)
			}
			res := l.LintSource("case.md", []byte(tc.text), FormatMarkdown)
			var got []Finding
			for _, f := range res.Findings {
				if f.Rule == tc.rule {
					got = append(got, f)
				}
			}
			if fired := len(got) > 0; fired != tc.fires {
				t.Errorf("%s fired = %v, want %v; findings: %+v", tc.rule, fired, tc.fires, got)
			}
		})
	}
}

// TestEveryRuleHasCases makes sure no rule goes untested: each needs a
// case where it fires and one where it stays silent.
func TestEveryRuleHasCases(t *testing.T) {
	pos, neg := map[string]bool{}, map[string]bool{}
	for _, tc := range ruleCases {
		if _, ok := RuleByID(tc.rule); !ok {
			t.Errorf("case %q names unknown rule %s", tc.name, tc.rule)
		}
		if tc.fires {
			pos[tc.rule] = true
		} else {
			neg[tc.rule] = true
		}
	}
	for _, r := range Rules() {
		if !pos[r.ID] {
			t.Errorf("rule %s has no case where it fires", r.ID)
		}
		if !neg[r.ID] {
			t.Errorf("rule %s has no case where it stays silent", r.ID)
		}
	}
}

func TestRulesDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule ID %s", r.ID)
		}
		seen[r.ID] = true
		if r.Summary == "" || r.Doc == "" {
			t.Errorf("rule %s: summary and doc required", r.ID)
		}
		if r.Points <= 0 {
			t.Errorf("rule %s: points must be positive", r.ID)
		}
		if !strings.HasPrefix(r.ID, string(r.Principle)+"-") && !strings.HasPrefix(r.ID, "contact-") {
			t.Errorf("rule %s: ID should start with its principle %s", r.ID, r.Principle)
		}
		if _, err := ParseSeverity(string(r.Severity)); err != nil || r.Severity == SeverityOff {
			t.Errorf("rule %s: bad default severity %q", r.ID, r.Severity)
		}
	}
}
