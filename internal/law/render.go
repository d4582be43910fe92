package law

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes the plan as indented JSON (the `candor assess --json`
// output), without HTML escaping so that thresholds read ">500".
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// WriteText writes the plan as a readable report: obligations grouped by
// deadline, then those with no fixed deadline, conditional ones, and those
// not required, each with its reason; then severity, notes and the rules'
// reviewed dates. The disclaimer comes once, first.
func (p *Plan) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, Disclaimer)
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "Discovered %s (%s) · %d %s affected · %d %s (%d required)\n",
		zoneLabel(p.Discovered), p.Discovered.Format("Mon"), p.Affected, plural(p.Affected, "person", "people"),
		len(p.Obligations), plural(int64(len(p.Obligations)), "obligation", "obligations"), p.required())
	fmt.Fprintln(bw, p.SevenDay.Text)
	if s := p.Severity; s != nil {
		fmt.Fprintf(bw, "Severity: %s (%s, %s)\n", strings.ToUpper(string(s.Level)), s.Formula, s.Method)
	}

	start := DateOf(p.Discovered)
	section := -1
	var current *Date
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	for i := range p.Obligations {
		o := &p.Obligations[i]
		sec := o.Section()
		if sec != section || (sec == 0 && *o.Deadline != *current) {
			tw.Flush()
			section, current = sec, o.Deadline
			fmt.Fprintln(bw)
			switch sec {
			case 0:
				head := fmt.Sprintf("BY %s (%s, %d days after discovery)", o.Deadline, o.Deadline.Weekday().String()[:3], start.DaysUntil(*o.Deadline))
				if o.Deadline.Before(p.SevenDay.Date) {
					head += " · EARLIER THAN OUR 7-DAY GOAL"
				}
				fmt.Fprintln(bw, head)
			case 1:
				fmt.Fprintln(bw, "NO FIXED DEADLINE (\"without unreasonable delay\"): recommended targets")
			case 2:
				fmt.Fprintln(bw, "CONDITIONAL: due only if the stated condition holds (check it)")
			case 3:
				fmt.Fprintln(bw, "NOT REQUIRED, and why")
			}
		}
		when := ""
		switch {
		case o.DeadlineAt != nil:
			when = o.DeadlineAt.Format("2006-01-02 15:04 -07:00")
		case o.Deadline != nil:
			when = o.Deadline.String()
		case o.Target != nil:
			when = "target " + o.Target.String()
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%s\n", o.Jurisdiction, o.Audience, o.Recipient, o.Affected, when, o.Regime)
		tw.Flush()
		fmt.Fprintf(bw, "      why: %s\n", o.Why)
		fmt.Fprintf(bw, "      law: %s (reviewed %s, confidence %s)\n", o.Citation, o.Reviewed, o.Confidence)
		if o.Condition != "" {
			fmt.Fprintf(bw, "      only if: %s\n", o.Condition)
		}
		if o.Required && o.Audience == AudienceIndividuals {
			if len(o.Methods) > 0 {
				fmt.Fprintf(bw, "      methods: %s\n", strings.Join(o.Methods, ", "))
			}
			if len(o.ContentRequired) > 0 {
				fmt.Fprintf(bw, "      must say: %s\n", strings.Join(o.ContentRequired, ", "))
			}
			if len(o.ContentProhibited) > 0 {
				fmt.Fprintf(bw, "      must NOT say: %s\n", strings.Join(o.ContentProhibited, ", "))
			}
		}
	}
	tw.Flush()
	if len(p.Obligations) == 0 {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "No obligations: no rule Candor knows is triggered by these facts (see the notes).")
	}

	if len(p.IdentityProtection.Required) > 0 {
		fmt.Fprintln(bw)
		fmt.Fprintf(bw, "IDENTITY PROTECTION: offer at least %d months free\n", p.IdentityProtection.Months)
		for _, s := range p.IdentityProtection.Required {
			fmt.Fprintf(bw, "  - %s\n", s)
		}
	}
	if s := p.Severity; s != nil {
		fmt.Fprintln(bw)
		fmt.Fprintf(bw, "SEVERITY: %s, SE = %s\n", s.Level, s.Formula)
		fmt.Fprintf(bw, "  %s\n", s.Meaning)
		fmt.Fprintf(bw, "  DPC %s%s: %s\n", num(s.DPC.Value), overridden(s.DPC.Overridden), s.DPC.Why)
		fmt.Fprintf(bw, "  EI  %s%s: %s\n", num(s.EI.Value), overridden(s.EI.Overridden), s.EI.Why)
		fmt.Fprintf(bw, "  CB  %s: confidentiality %s%s (%s); integrity %s%s (%s); availability %s%s (%s); malicious %s%s (%s)\n",
			num(s.CB.Total),
			num(s.CB.Confidentiality.Value), overridden(s.CB.Confidentiality.Overridden), s.CB.Confidentiality.Why,
			num(s.CB.Integrity.Value), overridden(s.CB.Integrity.Overridden), s.CB.Integrity.Why,
			num(s.CB.Availability.Value), overridden(s.CB.Availability.Overridden), s.CB.Availability.Why,
			num(s.CB.Malicious.Value), overridden(s.CB.Malicious.Overridden), s.CB.Malicious.Why)
		for _, n := range s.Notes {
			fmt.Fprintf(bw, "  - %s\n", n)
		}
	}
	if len(p.Notes) > 0 {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "NOTES")
		for _, n := range p.Notes {
			fmt.Fprintf(bw, "  - %s\n", n)
		}
	}
	if len(p.Rules) > 0 {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "RULES EVALUATED")
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  ID\tREVIEWED\tCONFIDENCE\tNAME")
		for _, r := range p.Rules {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.ID, r.Reviewed, r.Confidence, r.Name)
		}
		tw.Flush()
	}
	return bw.Flush()
}

func (p *Plan) required() int {
	n := 0
	for _, o := range p.Obligations {
		if o.Required {
			n++
		}
	}
	return n
}

func overridden(b bool) string {
	if b {
		return " (overridden)"
	}
	return ""
}

func num(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}
