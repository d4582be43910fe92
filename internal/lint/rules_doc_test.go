package lint

import (
	"fmt"
	"strings"
	"testing"
)

// TestRulesDoc keeps RULES.md, the reference of every rule and content
// detector, in step with the code (go test -update rewrites it).
func TestRulesDoc(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Notice linter rules\n\n")
	b.WriteString("Generated from the code by `go test ./internal/lint -update`; `candor lint --list-rules` prints the same.\n\n")
	b.WriteString("Each principle scores 100 minus what its rules' findings cost (the first finding costs *points*, each further one *repeat*, up to *max*). ")
	b.WriteString("The overall score is the weighted mean of the principles (safety 20, empathy, transparency, protection, clarity and legal 15 each, remediation 10, loyalty 5; legal only with `--jurisdiction`), ")
	b.WriteString("capped by the most severe *cap* among the findings. Contact rules count towards transparency. ")
	b.WriteString("Severities and thresholds are configurable (`--lint-config`, `--disable`).\n\n")
	current := Principle("")
	for _, r := range Rules() {
		if r.Principle != current {
			current = r.Principle
			fmt.Fprintf(&b, "## %s\n\n", current.Title())
		}
		fmt.Fprintf(&b, "### %s\n\n%s\n\n%s\n\n", r.ID, r.Summary, r.Doc)
		fmt.Fprintf(&b, "Default severity **%s**; points %d", r.Severity, r.Points)
		if r.Repeat > 0 {
			fmt.Fprintf(&b, ", repeat %d", r.Repeat)
		}
		if r.MaxPoints > 0 {
			fmt.Fprintf(&b, ", max %d", r.MaxPoints)
		}
		if r.Cap > 0 {
			fmt.Fprintf(&b, "; caps the overall score at %d", r.Cap)
		}
		b.WriteString(".\n\n")
	}
	b.WriteString("## Legal content detectors\n\n")
	b.WriteString("With `--jurisdiction`, each content item a law requires or forbids is looked for as follows.\n\n")
	b.WriteString("| item | detected by |\n| --- | --- |\n")
	for _, d := range ContentDetectors() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", d.Item, strings.ReplaceAll(d.How, "|", "\\|"))
	}
	golden(t, "RULES.md", []byte(b.String()))
}
