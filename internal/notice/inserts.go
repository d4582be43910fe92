package notice

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

//go:embed templates/*.md
var templateFS embed.FS

// insertDef documents an insert: a block Candor writes (and keeps up to
// date) that a template places with {{insert NAME}}.
type insertDef struct {
	items []breach.ContentItem
	doc   string
}

// inserts are the inserts templates may use.
var inserts = map[string]insertDef{
	"fraud_alert":     {items("fraud_alert_info"), "how to place a free fraud alert"},
	"security_freeze": {items("security_freeze_info"), "how to place a free security freeze"},
	"credit_reports":  {items("credit_report_review"), "review statements and get free credit reports"},
	"bureaus":         {items("credit_bureau_contacts", "toll_free_numbers"), "Equifax, Experian and TransUnion: toll-free numbers, sites and addresses"},
	"ftc":             {items("ftc_contact", "federal_trade_commission_identity_theft"), "the Federal Trade Commission and IdentityTheft.gov"},
	"police_report":   {items("police_report_right"), "the right to a police report"},
	"state_ag":        {items("state_ag_contact"), "the Attorney General of the person's state, where Candor has it (left out otherwise)"},
	"law_enforcement": {items("notice_delayed_by_law_enforcement"), "whether notice was delayed by a law-enforcement investigation"},
	"consequences":    {items("likely_consequences"), "what the exposure of the person's elements could lead to"},
	"password":        {items("password_change_advice"), "change the password and security questions, here and elsewhere"},
	"regulator":       {items("regulator_notified"), "that the privacy regulator has been told of the breach"},
	"complain":        {items("right_to_complain"), "the right to complain to us and to the data-protection authority"},
	"recipient":       {items("unauthorized_recipient"), "that it is not known who obtained the information (nothing when the account of what happened says who: recipient_known)"},
}

// insertItems returns the content items an insert provides for a group:
// the California Attorney General's paragraph is also the California
// state-specific information.
func insertItems(name string, j breach.Jurisdiction) []breach.ContentItem {
	out := inserts[name].items
	if name == "state_ag" && j == "US-CA" {
		out = append(append([]breach.ContentItem(nil), out...), "ca_state_specific_info")
	}
	return out
}

// library holds the parsed inserts of every language.
type library struct {
	byLang  map[string]map[string][]*node
	version string
}

// loadLibrary parses the embedded inserts. They are constant data: a
// parse error is a bug, caught by the package tests.
func loadLibrary() (*library, error) {
	lib := &library{byLang: map[string]map[string][]*node{}}
	h := sha256.New()
	for _, code := range []string{"en", "es"} {
		name := "templates/inserts." + code + ".md"
		b, err := templateFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("inserts: %w", err)
		}
		h.Write(b)
		m, err := parseInserts(name, string(b))
		if err != nil {
			return nil, err
		}
		for n := range inserts {
			if _, ok := m[n]; !ok {
				return nil, fmt.Errorf("inserts %s: %q missing", name, n)
			}
		}
		lib.byLang[code] = m
	}
	for _, j := range sortedKeys(agContacts) {
		a := agContacts[j]
		fmt.Fprintf(h, "%s|%s|%s|%s|%s|%s\n", j, a.Name, a.Address, a.Phone, a.URL, a.NameES)
	}
	lib.version = hex.EncodeToString(h.Sum(nil))
	return lib, nil
}

// parseInserts splits a file of "@insert NAME" sections and parses each.
func parseInserts(name, src string) (map[string][]*node, error) {
	lines := strings.Split(src, "\n")
	out := map[string][]*node{}
	p := &parser{name: name}
	cur, start := "", 0
	flush := func(end int) {
		if cur == "" {
			return
		}
		if _, ok := inserts[cur]; !ok {
			p.errorf(start, "unknown insert %q", cur)
		}
		out[cur] = p.blocks(lines[:end], start)
	}
	for i, l := range lines {
		if n, ok := strings.CutPrefix(l, "@insert "); ok {
			flush(i)
			cur, start = strings.TrimSpace(n), i+1
		}
	}
	flush(len(lines))
	if err := p.errs.asError("inserts " + name); err != nil {
		return nil, err
	}
	return out, nil
}

// agContact is a state Attorney General's consumer-protection contact.
type agContact struct {
	Name, Address, Phone, URL string
	// NameES is the office's name in Spanish notices, when different.
	NameES string
}

// agContacts are the Attorney General contacts of the states whose law
// asks notices to give them (and a few that recommend it). Reviewed
// 2026-11-29 against each office's website; check before relying on them.
var agContacts = map[string]*agContact{
	"US-CA": {Name: "California Attorney General, Privacy Enforcement", Address: "1300 I Street, Sacramento, CA 95814", Phone: "1-800-952-5225", URL: "https://oag.ca.gov/privacy"},
	"US-DC": {Name: "Office of the Attorney General for the District of Columbia, Office of Consumer Protection", Address: "400 6th Street NW, Washington, DC 20001", Phone: "1-202-442-9828", URL: "https://oag.dc.gov"},
	"US-IA": {Name: "Iowa Attorney General, Consumer Protection Division", Address: "1305 E. Walnut Street, Des Moines, IA 50319", Phone: "1-515-281-5926", URL: "https://www.iowaattorneygeneral.gov"},
	"US-KY": {Name: "Kentucky Office of the Attorney General", Address: "700 Capital Avenue, Suite 118, Frankfort, KY 40601", Phone: "1-502-696-5300", URL: "https://www.ag.ky.gov"},
	"US-MD": {Name: "Maryland Office of the Attorney General, Consumer Protection Division", Address: "200 St. Paul Place, Baltimore, MD 21202", Phone: "1-888-743-0023", URL: "https://www.marylandattorneygeneral.gov"},
	"US-NC": {Name: "North Carolina Attorney General, Consumer Protection Division", Address: "9001 Mail Service Center, Raleigh, NC 27699-9001", Phone: "1-877-566-7226", URL: "https://ncdoj.gov"},
	"US-NY": {Name: "New York Attorney General, Bureau of Internet and Technology", Address: "28 Liberty Street, New York, NY 10005", Phone: "1-800-771-7755", URL: "https://ag.ny.gov"},
	"US-OR": {Name: "Oregon Department of Justice, Consumer Protection", Address: "1162 Court Street NE, Salem, OR 97301-4096", Phone: "1-877-877-9392", URL: "https://www.doj.state.or.us"},
	"US-RI": {Name: "Rhode Island Office of the Attorney General, Consumer Protection Unit", Address: "150 South Main Street, Providence, RI 02903", Phone: "1-401-274-4400", URL: "https://riag.ri.gov"},
}

func agFor(j breach.Jurisdiction) *agContact { return agContacts[string(j)] }
