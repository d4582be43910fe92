package lint

import (
	"testing"

	"github.com/candor-dev/candor/internal/breach"
)

// contentCases hold, for every content item, text that contains it and
// text that does not.
var contentCases = []struct {
	item    breach.ContentItem
	text    string
	present bool
}{
	{"description_of_incident", "A criminal used a phishing e-mail to get into a payroll mailbox.", true},
	{"description_of_incident", "We are writing to you about your account.", false},
	{"nature_of_breach", "Ransomware encrypted our file server.", true},
	{"nature_of_breach", "We are writing to you about your account.", false},
	{"date_of_breach", "On or about March 3, 2026, someone accessed our network.", true},
	{"date_of_breach", "On March 10, 2026, we discovered the problem.", false},
	{"date_of_discovery", "On March 10, 2026, we discovered the problem.", true},
	{"date_of_discovery", "Someone accessed our network.", false},
	{"date_of_notice", "June 14, 2026\n\nDear Jane,\n\nWe write to you.", true},
	{"date_of_notice", "Dear Jane,\n\nWe write to you.", false},
	{"types_of_information", "The files held your name and driver's license number.", true},
	{"types_of_information", "The files held some of your personal information.", false},
	{"number_affected", "The breach affected 3,400 patients.", true},
	{"number_affected", "The breach affected some patients.", false},
	{"number_affected", "Two people must now approve any change.", false},
	{"number_affected", "About two million customers were affected.", true},
	{"steps_taken", "We disabled the account and rotated every key.", true},
	{"steps_taken", "We value your trust.", false},
	{"measures_taken_to_mitigate", "We blocked the attacker's address.", true},
	{"measures_taken_to_mitigate", "We value your trust.", false},
	{"what_individuals_can_do", "We recommend that you review your statements.", true},
	{"what_individuals_can_do", "We value your trust.", false},
	{"advice_to_reduce_harm", "You should change your password.", true},
	{"advice_to_reduce_harm", "We value your trust.", false},
	{"contact_information", "Call us at 1-800-555-0142.", true},
	{"contact_information", "We value your trust.", false},
	{"toll_free_numbers", "- Equifax: 1-800-685-1111\n- Experian: 1-888-397-3742\n- TransUnion: 1-888-909-8872", true},
	{"toll_free_numbers", "Contact Equifax, Experian or TransUnion.", false},
	{"credit_bureau_contacts", "- Equifax: equifax.com\n- Experian: experian.com\n- TransUnion: transunion.com", true},
	{"credit_bureau_contacts", "- Equifax: equifax.com\n- Experian: experian.com", false},
	{"ftc_contact", "Contact the Federal Trade Commission at www.ftc.gov or 1-877-438-4338.", true},
	{"ftc_contact", "Contact the Federal Trade Commission.", false},
	{"state_ag_contact", "You can reach the Maryland Attorney General at 1-888-743-0023.", true},
	{"state_ag_contact", "You can reach the Attorney General.", false},
	{"security_freeze_info", "You can place a security freeze for free.", true},
	{"security_freeze_info", "You can place a fraud alert.", false},
	{"fraud_alert_info", "You can place a fraud alert.", true},
	{"fraud_alert_info", "You can place a security freeze.", false},
	{"police_report_right", "You have the right to obtain a police report.", true},
	{"police_report_right", "We told the police.", false},
	{"identity_protection_offer", "We are offering you free credit monitoring.", true},
	{"identity_protection_offer", "We are not offering credit monitoring.", false},
	{"credit_report_review", "Please review your credit reports.", true},
	{"credit_report_review", "Please call us.", false},
	{"notice_delayed_by_law_enforcement", "Law enforcement asked us to delay this notice.", true},
	{"notice_delayed_by_law_enforcement", "We reported the crime to law enforcement.", false},
	{"entity_name", "Northwind Outfitters, Inc. is writing to you.", true},
	{"entity_name", "we are writing to you.", false},
	{"dpo_contact", "Write to our Data Protection Officer at dpo@northwindoutfitters.com.", true},
	{"dpo_contact", "Write to us.", false},
	{"likely_consequences", "Criminals could use this information for phishing.", true},
	{"likely_consequences", "Criminals copied this information.", false},
	{"reference_number", "Your reference number is NW-1234.", true},
	{"reference_number", "Call us.", false},
	{"california_headings", "# Notice of Data Breach\n\n## What Happened\n\nx\n\n## What Information Was Involved\n\nx\n\n## What We Are Doing\n\nx\n\n## What You Can Do\n\nx\n\n## For More Information\n\nx", true},
	{"california_headings", "# Notice of Data Breach\n\n## What Happened\n\nx", false},
	{"ca_state_specific_info", "# Notice of Data Breach\n\nJune 14, 2026\n\n## What Happened\n\nThis notice was not delayed by law enforcement.\n\n## What Information Was Involved\n\nx\n\n## What We Are Doing\n\nx\n\n## What You Can Do\n\nx\n\n## For More Information\n\nx", true},
	{"ca_state_specific_info", "# Notice of Data Breach\n\n## What Happened\n\nx\n\n## What Information Was Involved\n\nx\n\n## What We Are Doing\n\nx\n\n## What You Can Do\n\nx\n\n## For More Information\n\nx", false},
	{"federal_trade_commission_identity_theft", "Report identity theft at IdentityTheft.gov.", true},
	{"federal_trade_commission_identity_theft", "Report identity theft to the police.", false},
	{"password_change_advice", "Change your password, and change it anywhere else you used the same password.", true},
	{"password_change_advice", "Change your password.", false},
	{"reasons_for_delay", "This notice comes later than 72 hours because we first had to find out whose records were in the file.", true},
	{"reasons_for_delay", "The delay was due to a power cut at our data centre.", true},
	{"reasons_for_delay", "This notice was not delayed because of a law-enforcement investigation.", false},
	{"reasons_for_delay", "We are writing to you without delay.", false},
	{"right_to_complain", "You have the right to complain to the Privacy Commissioner at privacy.org.nz.", true},
	{"right_to_complain", "You can lodge a complaint with the data protection authority where you live.", true},
	{"right_to_complain", "If you are unhappy, you can complain to us at 1-800-555-0142.", false},
	{"right_to_complain", "We have notified the Privacy Commissioner.", false},
	{"regulator_notified", "We have notified the Office of the Privacy Commissioner of this breach.", true},
	{"regulator_notified", "We reported this to the Information Regulator on June 3.", true},
	{"regulator_notified", "We will notify the regulator next week.", false},
	{"regulator_notified", "You have the right to complain to the Privacy Commissioner.", false},
	{"unauthorized_recipient", "Someone outside Northwind downloaded the copy.", true},
	{"unauthorized_recipient", "We do not know who, if anyone, obtained your information.", true},
	{"unauthorized_recipient", "Your information was exposed on the internet.", false},
	{"unauthorized_recipient", "Criminals could use this information to trick you.", false},
}

func TestContentDetectors(t *testing.T) {
	for _, tc := range contentCases {
		name := string(tc.item) + "/absent"
		if tc.present {
			name = string(tc.item) + "/present"
		}
		t.Run(name, func(t *testing.T) {
			doc := Parse("case.md", []byte(tc.text), FormatMarkdown)
			found, line, col, err := DetectContent(doc, &Options{Org: testOrg()}, tc.item)
			if err != nil {
				t.Fatal(err)
			}
			if found != tc.present {
				t.Errorf("found = %v, want %v", found, tc.present)
			}
			if found && (line < 1 || col < 1) {
				t.Errorf("position %d:%d", line, col)
			}
		})
	}
}

// TestEveryContentItemHasDetector fails when a content item is added to
// the vocabulary without a detector or without tests.
func TestEveryContentItemHasDetector(t *testing.T) {
	pos, neg := map[breach.ContentItem]bool{}, map[breach.ContentItem]bool{}
	for _, tc := range contentCases {
		if tc.present {
			pos[tc.item] = true
		} else {
			neg[tc.item] = true
		}
	}
	ds := ContentDetectors()
	if len(ds) != len(breach.ContentItems()) {
		t.Errorf("%d detectors for %d content items", len(ds), len(breach.ContentItems()))
	}
	for _, item := range breach.ContentItems() {
		if _, ok := contentDetectors[item]; !ok {
			t.Errorf("content item %s has no detector", item)
		}
		if !pos[item] || !neg[item] {
			t.Errorf("content item %s needs a present and an absent test case", item)
		}
	}
	if _, _, _, err := DetectContent(Parse("x", nil, FormatText), nil, "no_such_item"); breach.ErrorCode(err) != breach.EINVALID {
		t.Errorf("unknown item: err = %v, want EINVALID", err)
	}
}
