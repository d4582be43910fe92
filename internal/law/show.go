package law

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteText describes the rule for a reader: what it covers, when it
// applies, whom to tell by when, and where its sources disagree.
func (r *Rule) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format+"\n", args...) }
	p("%s — %s", r.ID, r.Name)
	p("Kind: %s · protects residents of: %s · reviewed %s · confidence %s", r.Kind, strings.Join(r.Jurisdictions, ", "), r.Reviewed, r.Confidence)
	if len(r.AppliesToSectors) > 0 {
		p("Applies only to: %s", strings.Join(r.AppliesToSectors, ", "))
	}
	p("")
	p("Citations:")
	for _, c := range r.Citations {
		p("  - %s", c)
	}

	p("")
	p("Personal information (a breach of any of these triggers the law):")
	pi := r.PersonalInformation
	if pi.AnyPersonalData {
		p("  - any personal data")
	}
	for _, c := range pi.WithName {
		p("  - name + %s", strings.Join(c, " + "))
	}
	for _, c := range pi.WithoutName {
		p("  - %s (no name needed)", strings.Join(c, " + "))
	}
	if pi.Notes != "" {
		p("  Note: %s", pi.Notes)
	}
	p("Paper records: %s", yesNoUnknown(r.PaperRecords, "covered", "not covered (computerized data only)", "unclear (Candor treats them as covered)"))
	enc := "no encryption safe harbour"
	if r.Encryption.SafeHarbor {
		enc = "encrypted data are exempt; a compromised key " + yesNoUnknown(r.Encryption.KeyCompromiseVoids, "voids the exemption", "does not void the exemption", "— the law is silent (Candor treats the exemption as lost)")
	}
	p("Encryption: %s", enc)
	switch {
	case r.RiskOfHarm.Exemption:
		p("Risk of harm: notice may be skipped after a documented no-harm determination (%s)", orNone(r.RiskOfHarm.Documentation))
	default:
		p("Risk of harm: no exemption")
	}
	if r.RiskOfHarm.IndividualsOnlyIfHighRisk {
		p("Individuals are told only when the breach is likely to result in a high risk.")
	}

	p("")
	switch {
	case !r.Individuals.Required:
		p("Individuals: no duty to notify. %s", r.Individuals.Text)
	case r.Individuals.Deadline != nil:
		d := r.Individuals.Deadline
		p("Individuals: within %s of %s — %s", d.Period(), strings.ReplaceAll(d.From, "_", " "), r.Individuals.Text)
	default:
		p("Individuals: no fixed deadline (Candor's recommended target: %d days) — %s", r.Individuals.Target(), r.Individuals.Text)
	}
	if r.LawEnforcementDelay != "" {
		p("Law-enforcement delay: %s", r.LawEnforcementDelay)
	}
	for _, n := range r.Notices {
		when := "no fixed deadline"
		if n.Deadline != nil {
			from := strings.ReplaceAll(n.Deadline.From, "_", " ")
			if n.Deadline.From == FromIndividualNotice {
				from = "the notice to individuals"
			}
			when = fmt.Sprintf("within %s of %s", n.Deadline.Period(), from)
		}
		switch n.Timing {
		case TimingBeforeIndividuals:
			when = "before the notice to individuals" + strings.TrimPrefix(", "+when, ", no fixed deadline")
		case TimingWithIndividuals:
			when = "at the same time as the notice to individuals" + strings.TrimPrefix(", "+when, ", no fixed deadline")
		}
		threshold := n.Threshold.String()
		if n.ThresholdScope == ScopeJurisdiction {
			threshold += " residents of one State or jurisdiction"
		}
		p("%s: %s — threshold %s, %s", strings.ReplaceAll(n.Audience, "_", " "), n.Recipient, threshold, when)
		p("    %s", n.Text)
		if n.Citation != "" {
			p("    law: %s", n.Citation)
		}
		if len(n.Sectors) > 0 {
			p("    owed only by: %s", sectorsPlural(n.Sectors))
		}
		if n.OnlyIfNoHarmDetermination {
			p("    only when relying on a no-harm determination")
		}
		if n.Condition != "" {
			p("    only if: %s", n.Condition)
		}
		if n.Form != "" {
			p("    form: %s", n.Form)
		}
		if n.Contact != "" {
			p("    contact: %s", n.Contact)
		}
		if len(n.Content) > 0 {
			p("    must include: %s", strings.Join(n.Content, ", "))
		}
	}

	p("")
	if len(r.Content.Items) > 0 {
		items := make([]string, len(r.Content.Items))
		for i, it := range r.Content.Items {
			items[i] = it.Item
			if len(it.When) > 0 {
				items[i] += " (when " + strings.Join(it.When, " or ") + " exposed)"
			}
		}
		p("Notice must say: %s", strings.Join(items, ", "))
	}
	if len(r.Content.Prohibited) > 0 {
		p("Notice must NOT say: %s", strings.Join(r.Content.Prohibited, ", "))
	}
	if r.Content.Title != "" {
		p("Required title: %q", r.Content.Title)
	}
	if len(r.Content.Headings) > 0 {
		p("Required headings: %s", strings.Join(r.Content.Headings, " · "))
	}
	if r.Content.MinFontPt > 0 {
		p("Minimum font size: %d pt", r.Content.MinFontPt)
	}
	if ip := r.IdentityProtection; ip.Months > 0 {
		when := ""
		if len(ip.When) > 0 {
			when = " when " + strings.Join(ip.When, " or ") + " exposed"
		}
		p("Identity protection: %d months free%s. %s", ip.Months, when, ip.Text)
	}
	if len(r.Methods) > 0 {
		p("Methods: %s", strings.Join(r.Methods, ", "))
	}
	if r.ElectronicConditions != "" {
		p("Electronic notice: %s", r.ElectronicConditions)
	}
	if r.SubstituteNotice != "" {
		p("Substitute notice: %s", r.SubstituteNotice)
	}
	if len(r.Notes) > 0 {
		p("")
		p("Notes (disagreements between sources, interpretation chosen):")
		for _, n := range r.Notes {
			p("  - %s", n)
		}
	}
	p("")
	p("Sources:")
	for _, s := range r.Sources {
		p("  - %s %s", s.Title, s.URL)
	}
	return bw.Flush()
}

func yesNoUnknown(b *bool, yes, no, unknown string) string {
	switch {
	case b == nil:
		return unknown
	case *b:
		return yes
	}
	return no
}
