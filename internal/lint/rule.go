package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/candor-dev/candor/internal/breach"
)

// Principle is one of the qualities a notice is scored on.
type Principle string

// The principles, in the order reports list them.
const (
	Empathy      Principle = "empathy"
	Transparency Principle = "transparency"
	Remediation  Principle = "remediation"
	Protection   Principle = "protection"
	Loyalty      Principle = "loyalty"
	Clarity      Principle = "clarity"
	Safety       Principle = "safety"
	Legal        Principle = "legal"
)

// Principles returns every principle in report order.
func Principles() []Principle {
	return []Principle{Empathy, Transparency, Remediation, Protection, Loyalty, Clarity, Safety, Legal}
}

// principleWeight is each principle's share of the overall score. Safety
// weighs most: a notice that sends people to the wrong site harms them.
func principleWeight(p Principle) int {
	switch p {
	case Safety:
		return 20
	case Loyalty:
		return 5
	case Remediation:
		return 10
	default:
		return 15
	}
}

// Severity is how serious a finding is.
type Severity string

// Severities, from most to least serious. SeverityOff disables a rule.
const (
	SeverityError      Severity = "error"
	SeverityWarning    Severity = "warning"
	SeveritySuggestion Severity = "suggestion"
	SeverityOff        Severity = "off"
)

// ParseSeverity parses error, warning, suggestion or off (also "info" and
// "note" for suggestion, "none" and "disabled" for off).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return SeverityError, nil
	case "warning", "warn":
		return SeverityWarning, nil
	case "suggestion", "info", "note":
		return SeveritySuggestion, nil
	case "off", "none", "disabled", "false":
		return SeverityOff, nil
	}
	return "", breach.Errorf(breach.EINVALID, "severity %q is not error, warning, suggestion or off", s)
}

// Rule is one check of the linter.
type Rule struct {
	// ID is stable and names the rule in output and configuration:
	// "empathy-apology".
	ID        string
	Principle Principle
	// Severity is the default severity of the rule's findings.
	Severity Severity
	// Summary is one line: what the rule wants.
	Summary string
	// Doc explains why, and what the rule looks for.
	Doc string
	// Points is what the first finding of the rule costs its principle's
	// score, Repeat what each further finding costs, and MaxPoints caps
	// the total.
	Points, Repeat, MaxPoints int
	// Cap, when non-zero, caps the overall score of a notice with a
	// finding of this rule: some faults outweigh any amount of good prose.
	Cap int

	check func(c *checker)
}

// Cost returns what n findings of the rule cost its principle.
func (r *Rule) Cost(n int) int {
	if n <= 0 {
		return 0
	}
	cost := r.Points + (n-1)*r.Repeat
	if r.MaxPoints > 0 && cost > r.MaxPoints {
		cost = r.MaxPoints
	}
	return cost
}

// Rules returns every rule of the linter, sorted by principle then ID.
func Rules() []*Rule {
	var rs []*Rule
	rs = append(rs, empathyRules()...)
	rs = append(rs, transparencyRules()...)
	rs = append(rs, contactRules()...)
	rs = append(rs, remediationRules()...)
	rs = append(rs, protectionRules()...)
	rs = append(rs, loyaltyRules()...)
	rs = append(rs, clarityRules()...)
	rs = append(rs, safetyRules()...)
	rs = append(rs, legalRules()...)
	order := map[Principle]int{}
	for i, p := range Principles() {
		order[p] = i
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Principle != rs[j].Principle {
			return order[rs[i].Principle] < order[rs[j].Principle]
		}
		return rs[i].ID < rs[j].ID
	})
	return rs
}

// Finding is one problem found in a notice.
type Finding struct {
	Rule      string    `json:"rule"`
	Severity  Severity  `json:"severity"`
	Principle Principle `json:"principle"`
	Line      int       `json:"line"`
	Column    int       `json:"column"`
	EndLine   int       `json:"end_line"`
	EndColumn int       `json:"end_column"`
	Message   string    `json:"message"`
	// Suggestion says how to fix it.
	Suggestion string `json:"suggestion,omitempty"`
	// Excerpt is the text the finding is about, when it is about some.
	Excerpt string `json:"excerpt,omitempty"`

	start, end int // offsets in Document.Text; -1 for the whole notice
	weight     int // points this finding costs when the rule sets them itself
	srcOff     int // 1 + source offset, for findings with no text (images)
}

// checker is what a rule's check sees: the analysed notice and a way to
// report findings.
type checker struct {
	*analysis
	rule     *Rule
	findings []Finding
}

// report records a finding about Text[start:end]; start < 0 means the
// notice as a whole (reported at its first line).
func (c *checker) report(start, end int, msg, suggestion string, args ...any) {
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	f := Finding{Rule: c.rule.ID, Principle: c.rule.Principle, Message: msg, Suggestion: suggestion, start: start, end: end}
	if start >= 0 && end > start && end <= len(c.doc.Text) {
		f.Excerpt = truncate(c.doc.Text[start:end], 120)
	}
	c.findings = append(c.findings, f)
}

// reportWeighted records a finding that costs the given points (still
// capped by the rule's MaxPoints), for rules whose findings vary in weight.
func (c *checker) reportWeighted(start, end, points int, msg, suggestion string) {
	c.report(start, end, msg, suggestion)
	c.findings[len(c.findings)-1].weight = points
}

// whole reports a finding about the notice as a whole.
func (c *checker) whole(msg, suggestion string, args ...any) {
	c.report(-1, -1, msg, suggestion, args...)
}
