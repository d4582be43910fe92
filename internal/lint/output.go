package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
)

// OutputFormat is how results are printed.
type OutputFormat string

// Output formats.
const (
	OutputText  OutputFormat = "text"
	OutputJSON  OutputFormat = "json"
	OutputSARIF OutputFormat = "sarif"
)

// ParseOutputFormat parses text, json or sarif.
func ParseOutputFormat(s string) (OutputFormat, bool) {
	switch f := OutputFormat(strings.ToLower(strings.TrimSpace(s))); f {
	case OutputText, OutputJSON, OutputSARIF:
		return f, true
	}
	return "", false
}

// Write prints results in the given format. rules are the rules that ran
// (for SARIF's rule table).
func Write(w io.Writer, format OutputFormat, results []*Result, rules []*Rule) error {
	switch format {
	case OutputJSON:
		return WriteJSON(w, results)
	case OutputSARIF:
		return WriteSARIF(w, results, rules)
	default:
		return WriteText(w, results)
	}
}

// WriteText prints findings the way compilers and Vale do —
// "file:line:col: severity rule-id message" with the suggestion indented
// below — then each notice's scores and the rules behind them.
func WriteText(w io.Writer, results []*Result) error {
	var b strings.Builder
	for i, r := range results {
		if i > 0 {
			b.WriteString("\n")
		}
		name := displayName(r.File)
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "%s:%d:%d: %s %s %s\n", name, f.Line, f.Column, f.Severity, f.Rule, f.Message)
			if f.Suggestion != "" {
				fmt.Fprintf(&b, "    suggestion: %s\n", f.Suggestion)
			}
		}
		if len(r.Findings) > 0 {
			b.WriteString("\n")
		}
		errs, warns, suggs := countSeverities(r.Findings)
		fmt.Fprintf(&b, "%s: score %d/100 (%d error%s, %d warning%s, %d suggestion%s)\n", name, r.Score,
			errs, plural(errs), warns, plural(warns), suggs, plural(suggs))
		unchecked := map[Principle]bool{}
		for _, p := range r.Unchecked {
			unchecked[p] = true
		}
		for _, p := range Principles() {
			if unchecked[p] {
				fmt.Fprintf(&b, "  %-13s   -  not checked (pass --jurisdiction)\n", p)
				continue
			}
			var why []string
			for _, d := range r.Explain {
				if d.Principle == p {
					why = append(why, fmt.Sprintf("%s -%d", d.Rule, d.Points))
				}
			}
			fmt.Fprintf(&b, "  %-13s %3d", p, r.Principles.Get(p))
			if len(why) > 0 {
				fmt.Fprintf(&b, "  %s", strings.Join(why, ", "))
			}
			b.WriteString("\n")
		}
		for _, c := range r.Caps {
			fmt.Fprintf(&b, "  overall capped at %d by %s\n", c.Cap, c.Rule)
		}
		fmt.Fprintf(&b, "  reading grade %.1f, %d words in %d sentences\n", r.Stats.Grade, r.Stats.Words, r.Stats.Sentences)
		if r.DomainsInferred && len(r.Domains) > 0 {
			fmt.Fprintf(&b, "  links checked against %s (guessed from the notice; pass --org to say)\n", strings.Join(r.Domains, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func countSeverities(fs []Finding) (errs, warns, suggs int) {
	for _, f := range fs {
		switch f.Severity {
		case SeverityError:
			errs++
		case SeverityWarning:
			warns++
		default:
			suggs++
		}
	}
	return
}

func displayName(name string) string {
	if name == "" || name == "-" {
		return "<stdin>"
	}
	return name
}

// WriteJSON prints one result as a JSON object — {"score":N,
// "principles":{…},"findings":[…],…} — or several as an array of them.
func WriteJSON(w io.Writer, results []*Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if len(results) == 1 {
		return enc.Encode(results[0])
	}
	if results == nil {
		results = []*Result{}
	}
	return enc.Encode(results)
}

// SARIF 2.1.0 types: only the properties Candor writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool       sarifTool       `json:"tool"`
		Artifacts  []sarifArtifact `json:"artifacts,omitempty"`
		Results    []sarifResult   `json:"results"`
		ColumnKind string          `json:"columnKind"`
		Properties map[string]any  `json:"properties,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string             `json:"id"`
		Name                 string             `json:"name,omitempty"`
		ShortDescription     sarifText          `json:"shortDescription"`
		FullDescription      sarifText          `json:"fullDescription"`
		Help                 sarifText          `json:"help"`
		DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
		Properties           map[string]any     `json:"properties,omitempty"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifArtifact struct {
		Location sarifArtifactLocation `json:"location"`
	}
	sarifArtifactLocation struct {
		URI   string `json:"uri"`
		Index *int   `json:"index,omitempty"`
	}
	sarifResult struct {
		RuleID     string          `json:"ruleId"`
		RuleIndex  int             `json:"ruleIndex"`
		Level      string          `json:"level"`
		Message    sarifText       `json:"message"`
		Locations  []sarifLocation `json:"locations"`
		Properties map[string]any  `json:"properties,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical `json:"physicalLocation"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           sarifRegion           `json:"region"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine,omitempty"`
		EndColumn   int `json:"endColumn,omitempty"`
	}
)

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s Severity) string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	default:
		return "note"
	}
}

// WriteSARIF prints results as one SARIF 2.1.0 log with one run. Scores go
// in the run's properties; columns count Unicode code points.
func WriteSARIF(w io.Writer, results []*Result, rules []*Rule) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "candor-lint",
			InformationURI: "https://github.com/candor-dev/candor",
			Rules:          []sarifRule{},
		}},
		Results:    []sarifResult{},
		ColumnKind: "unicodeCodePoints",
	}
	index := map[string]int{}
	for i, r := range rules {
		index[r.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   r.ID,
			Name:                 sarifRuleName(r.ID),
			ShortDescription:     sarifText{r.Summary},
			FullDescription:      sarifText{r.Doc},
			Help:                 sarifText{r.Summary + " " + r.Doc},
			DefaultConfiguration: sarifConfiguration{Level: sarifLevel(r.Severity)},
			Properties:           map[string]any{"principle": string(r.Principle), "points": r.Points},
		})
	}
	var scores []map[string]any
	for ai, res := range results {
		uri := fileURI(res.File)
		ai := ai
		run.Artifacts = append(run.Artifacts, sarifArtifact{Location: sarifArtifactLocation{URI: uri}})
		for _, f := range res.Findings {
			ri, ok := index[f.Rule]
			if !ok {
				continue
			}
			text := f.Message
			if f.Suggestion != "" {
				text += ". " + f.Suggestion
			}
			props := map[string]any{"principle": string(f.Principle)}
			if f.Suggestion != "" {
				props["suggestion"] = f.Suggestion
			}
			run.Results = append(run.Results, sarifResult{
				RuleID:    f.Rule,
				RuleIndex: ri,
				Level:     sarifLevel(f.Severity),
				Message:   sarifText{text},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
					ArtifactLocation: sarifArtifactLocation{URI: uri, Index: &ai},
					Region:           sarifRegion{StartLine: f.Line, StartColumn: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn},
				}}},
				Properties: props,
			})
		}
		scores = append(scores, map[string]any{"file": uri, "score": res.Score, "principles": res.Principles, "explain": res.Explain})
	}
	if scores != nil {
		run.Properties = map[string]any{"scores": scores}
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifRuleName turns "empathy-apology" into "EmpathyApology".
func sarifRuleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// fileURI makes a relative URI reference of a file name.
func fileURI(name string) string {
	if name == "" || name == "-" {
		return "stdin"
	}
	return (&url.URL{Path: filepath.ToSlash(name)}).String()
}
