package breach

import "sort"

// ContentItem names a piece of content that a law requires in (or forbids
// from) a notice. The law files, the notice templates and the linter share
// this vocabulary.
type ContentItem string

// contentItems documents every known content item.
var contentItems = map[ContentItem]string{
	"description_of_incident":                 "A general description of what happened.",
	"date_of_breach":                          "The date, estimated date or date range of the breach.",
	"date_of_discovery":                       "The date the breach was discovered.",
	"date_of_notice":                          "The date of the notice.",
	"types_of_information":                    "The types of personal information involved.",
	"number_affected":                         "The number of people affected.",
	"steps_taken":                             "What the organisation has done to contain the breach and protect people.",
	"what_individuals_can_do":                 "Steps the person can take to protect themselves.",
	"contact_information":                     "How to reach the organisation (phone, address, web).",
	"toll_free_numbers":                       "Toll-free numbers and addresses of the major consumer reporting agencies.",
	"credit_bureau_contacts":                  "Contact details of the consumer reporting agencies.",
	"ftc_contact":                             "Contact details of the Federal Trade Commission.",
	"state_ag_contact":                        "Contact details of the state Attorney General.",
	"security_freeze_info":                    "How to place a security freeze, free of charge.",
	"fraud_alert_info":                        "How to place a fraud alert.",
	"police_report_right":                     "The right to obtain a police report.",
	"identity_protection_offer":               "The free identity-protection or credit-monitoring offer and how to enrol.",
	"credit_report_review":                    "Advice to review account statements and credit reports.",
	"notice_delayed_by_law_enforcement":       "Whether notice was delayed because of a law-enforcement investigation.",
	"nature_of_breach":                        "The nature of the breach or unauthorised acquisition or use.",
	"entity_name":                             "The name of the organisation responsible.",
	"dpo_contact":                             "The name and contact details of the data-protection officer or other contact point.",
	"likely_consequences":                     "The likely consequences of the breach.",
	"measures_taken_to_mitigate":              "Measures taken or proposed to address the breach and mitigate its effects.",
	"advice_to_reduce_harm":                   "Specific advice to the person to reduce the risk of harm.",
	"reference_number":                        "A reference the person can quote.",
	"california_headings":                     "The title \"Notice of Data Breach\" and the headings What Happened, What Information Was Involved, What We Are Doing, What You Can Do, For More Information.",
	"ca_state_specific_info":                  "California-specific information required by Cal. Civ. Code § 1798.82(d).",
	"federal_trade_commission_identity_theft": "The FTC identity theft website and hotline.",
	"password_change_advice":                  "A prompt to change the password and security questions of the account and of any account using the same credentials.",
	"reasons_for_delay":                       "Why the notice comes later than the law's period (GDPR Art. 33(1)), when it does.",
	"right_to_complain":                       "The person's right to complain to the data-protection authority or privacy regulator.",
	"regulator_notified":                      "A statement that the regulator has been told of the breach.",
	"unauthorized_recipient":                  "Who obtained the information (the unauthorised person or third party), as far as known.",
}

// Valid reports whether c is a known content item.
func (c ContentItem) Valid() bool {
	_, ok := contentItems[c]
	return ok
}

// Description returns what the content item means.
func (c ContentItem) Description() string { return contentItems[c] }

// ContentItems returns every known content item, sorted.
func ContentItems() []ContentItem {
	out := make([]ContentItem, 0, len(contentItems))
	for c := range contentItems {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
