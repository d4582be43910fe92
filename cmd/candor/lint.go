package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
	"github.com/candor-dev/candor/internal/lint"
)

func init() { register(newLintCmd) }

// lintFlags are the options of `candor lint`.
type lintFlags struct {
	incidentID    int64
	orgFile       string
	jurisdictions []string
	format        string
	inputFormat   string
	minScore      int
	elements      string
	configFile    string
	disable       []string
	rulesDir      string
	listRules     bool
	listContent   bool
}

func newLintCmd(m *Main) *cobra.Command {
	var fl lintFlags
	cmd := &cobra.Command{
		Use:   "lint [FILE…]",
		Short: "Grade breach notices on empathy, transparency, remediation, protection, loyalty, clarity, safety and law",
		Long: `Lint grades breach notices — Markdown, HTML or plain text, "-" for standard
input — the way a breach coach would: is there a sincere, early apology; does it
say what happened, when, to which data and how many people; what is being done;
is identity protection offered with its terms; is there a gesture of goodwill;
is it plain (reading grade 8 or below, no jargon); are all links HTTPS and on
the organisation's own domains, with no look-alikes or shorteners; and, with
--jurisdiction, does it hold what each law requires and nothing it forbids.

Findings print like a compiler's — file:line:col: severity rule-id message —
with a suggestion, then a 0–100 score per principle and overall, with the rules
that cost points. --format json gives {"score":N,"principles":{…},"findings":[…]}
(an array for several files); --format sarif gives SARIF 2.1.0.

Links are checked against --org (a TOML or JSON file with primary_domain,
allowed_domains, brand, legal_name…), else the organisation in the database
when there is one, else the domain of the notice's own e-mail addresses.

Exit status: 0 when the notices pass; 1 when any finding is an error or a
score is below --min-score; 2 for a usage error. Candor gives legal
information, not legal advice.`,
		Example: `  # Lint a draft in your editor
  candor lint notice.md

  # A pasted notice, checked against your domains and California and Massachusetts law
  pbpaste | candor lint - --org org.toml --jurisdiction US-CA,US-MA

  # CI: SARIF for code scanning, fail below 85
  candor lint notices/*.md --format sarif --min-score 85 > lint.sarif

  # The drafted templates of an incident
  candor lint --incident 1

  # What the rules and the legal-content detectors look for
  candor lint --list-rules
  candor lint --list-content`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return m.runLint(cmd, args, &fl)
		},
	}
	f := cmd.Flags()
	f.Int64Var(&fl.incidentID, "incident", 0, "lint the drafted notice templates of incident `ID`")
	f.StringVar(&fl.orgFile, "org", "", "organisation `FILE` (TOML or JSON: primary_domain, allowed_domains, brand…) to check links against")
	f.StringSliceVar(&fl.jurisdictions, "jurisdiction", nil, "check the legal content required by these jurisdictions, e.g. US-CA,US-MA (law IDs as in `candor law list`)")
	f.StringVar(&fl.format, "format", "text", "output format: text, json or sarif (--json is json)")
	f.StringVar(&fl.inputFormat, "input-format", "", "read files as markdown, html or text (default: from the extension or content)")
	f.IntVar(&fl.minScore, "min-score", 0, "exit 1 when a notice's overall score is below `N`")
	f.StringVar(&fl.elements, "elements", "", "the data elements exposed, e.g. name,ssn (default: inferred from the notice)")
	f.StringVar(&fl.configFile, "lint-config", "", "rule settings `FILE` (TOML: max_grade, long_sentence_words, max_words, [rules] id = \"off\"|\"error\"|\"warning\"|\"suggestion\")")
	f.StringSliceVar(&fl.disable, "disable", nil, "turn off these rule IDs")
	f.StringVar(&fl.rulesDir, "rules", "", "read law rule files from `DIR` instead of the built-in rules")
	f.BoolVar(&fl.listRules, "list-rules", false, "print every rule with its principle, severity and documentation")
	f.BoolVar(&fl.listContent, "list-content", false, "print how each legal content item is detected")
	return cmd
}

// lintInput is one notice to lint.
type lintInput struct {
	name   string
	src    []byte
	format lint.Format
}

func (m *Main) runLint(cmd *cobra.Command, args []string, fl *lintFlags) error {
	ctx := cmd.Context()
	if fl.listRules {
		return writeRuleList(m.Stdout, m.JSON)
	}
	if fl.listContent {
		return writeContentList(m.Stdout, m.JSON)
	}
	format := lint.OutputFormat(fl.format)
	if m.JSON && !cmd.Flags().Changed("format") {
		format = lint.OutputJSON
	}
	if _, ok := lint.ParseOutputFormat(string(format)); !ok {
		return usageError{fmt.Errorf("--format %q: want text, json or sarif", fl.format)}
	}
	var inFormat lint.Format
	switch strings.ToLower(fl.inputFormat) {
	case "":
	case "markdown", "md":
		inFormat = lint.FormatMarkdown
	case "html":
		inFormat = lint.FormatHTML
	case "text", "txt", "plain":
		inFormat = lint.FormatText
	default:
		return usageError{fmt.Errorf("--input-format %q: want markdown, html or text", fl.inputFormat)}
	}
	if fl.incidentID == 0 && len(args) == 0 {
		return usageError{fmt.Errorf("name the notices to lint (FILE…, - for standard input) or --incident ID")}
	}
	if fl.incidentID != 0 && len(args) > 0 {
		return usageError{fmt.Errorf("give files or --incident, not both")}
	}
	if fl.minScore < 0 || fl.minScore > 100 {
		return usageError{fmt.Errorf("--min-score %d: want 0–100", fl.minScore)}
	}

	opts := lint.Options{}
	cfg, err := lintConfig(fl)
	if err != nil {
		return err
	}
	opts.Config = cfg
	if fl.elements != "" {
		if opts.Elements, err = parseElementsFlag(fl.elements); err != nil {
			return err
		}
	}
	if len(fl.jurisdictions) > 0 {
		reg, err := loadRules(fl.rulesDir)
		if err != nil {
			return err
		}
		if opts.Requirements, err = lintRequirements(reg, fl.jurisdictions); err != nil {
			return err
		}
	}

	var inputs []lintInput
	if fl.incidentID != 0 {
		var elements breach.ElementSet
		inputs, elements, err = m.draftedNotices(ctx, fl.incidentID)
		if err != nil {
			return err
		}
		if opts.Elements == 0 {
			opts.Elements = elements
		}
	} else {
		for _, a := range args {
			in, err := m.readLintInput(a)
			if err != nil {
				return err
			}
			in.format = inFormat
			inputs = append(inputs, in)
		}
	}
	if opts.Org, err = m.lintOrg(ctx, fl.orgFile); err != nil {
		return err
	}

	l, err := lint.New(opts)
	if err != nil {
		return err
	}
	results := make([]*lint.Result, 0, len(inputs))
	for _, in := range inputs {
		results = append(results, l.LintSource(in.name, in.src, in.format))
	}
	if err := lint.Write(m.Stdout, format, results, l.Rules()); err != nil {
		return fmt.Errorf("write lint results: %w", err)
	}
	return lintVerdict(results, fl.minScore)
}

// lintVerdict turns the results into the exit status: 1 when any finding
// is an error or any score is below min.
func lintVerdict(results []*lint.Result, min int) error {
	var failed []string
	for _, r := range results {
		name := r.File
		if name == "-" || name == "" {
			name = "<stdin>"
		}
		switch {
		case r.Score < min:
			failed = append(failed, fmt.Sprintf("%s scores %d, below --min-score %d", name, r.Score, min))
		case r.Errors() > 0:
			failed = append(failed, fmt.Sprintf("%s has %d error%s", name, r.Errors(), map[bool]string{true: "", false: "s"}[r.Errors() == 1]))
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return exitCodeError{code: exitError, msg: strings.Join(failed, "; ")}
}

func (m *Main) readLintInput(name string) (lintInput, error) {
	if name == "-" {
		b, err := io.ReadAll(m.Stdin)
		if err != nil {
			return lintInput{}, fmt.Errorf("read standard input: %w", err)
		}
		return lintInput{name: "-", src: b}, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return lintInput{}, breach.Errorf(breach.EINVALID, "cannot read %s: %v", name, unwrapPathError(err))
	}
	return lintInput{name: name, src: b}, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func lintConfig(fl *lintFlags) (lint.Config, error) {
	var cfg lint.Config
	if fl.configFile != "" {
		b, err := os.ReadFile(fl.configFile)
		if err != nil {
			return cfg, breach.Errorf(breach.EINVALID, "cannot read %s: %v", fl.configFile, unwrapPathError(err))
		}
		if cfg, err = lint.ParseConfig(b); err != nil {
			return cfg, err
		}
	}
	for _, id := range fl.disable {
		id = strings.TrimSpace(id)
		if _, ok := lint.RuleByID(id); !ok {
			return cfg, usageError{fmt.Errorf("--disable: unknown rule %q (see candor lint --list-rules)", id)}
		}
		if cfg.Rules == nil {
			cfg.Rules = map[string]lint.Severity{}
		}
		cfg.Rules[id] = lint.SeverityOff
	}
	return cfg, nil
}

// lintOrg returns the organisation to check links against: the --org file,
// else the one stored in the database when a database exists (lint never
// creates one), else nil.
func (m *Main) lintOrg(ctx context.Context, file string) (*breach.Organization, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, breach.Errorf(breach.EINVALID, "cannot read %s: %v", file, unwrapPathError(err))
		}
		return parseOrgFile(file, b)
	}
	if !m.Config.IsPostgres() {
		if _, err := os.Stat(m.Config.DB); err != nil {
			return nil, nil
		}
	}
	s, err := m.Store(ctx)
	if err != nil {
		return nil, err
	}
	org, err := s.Organization(ctx)
	if breach.ErrorCode(err) == breach.ENOTFOUND {
		return nil, nil
	}
	return org, err
}

// parseOrgFile reads an organisation from TOML or JSON with the keys of
// `candor org show --json` (primary_domain, allowed_domains…).
func parseOrgFile(name string, b []byte) (*breach.Organization, error) {
	var raw map[string]any
	trimmed := bytes.TrimSpace(b)
	if strings.EqualFold(filepath.Ext(name), ".json") || bytes.HasPrefix(trimmed, []byte("{")) {
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, breach.Errorf(breach.EINVALID, "%s: %v", name, err)
		}
	} else if _, err := toml.Decode(string(b), &raw); err != nil {
		return nil, breach.Errorf(breach.EINVALID, "%s: %v", name, err)
	}
	known := map[string]bool{}
	for _, k := range []string{"legal_name", "brand", "primary_domain", "allowed_domains", "support_phone", "support_email", "support_hours", "address", "sender_address", "sectors"} {
		known[k] = true
	}
	for k := range raw {
		if !known[k] {
			return nil, breach.Errorf(breach.EINVALID, "%s: unknown key %q (keys are as in `candor org show --json`)", name, k)
		}
	}
	j, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("re-encode %s: %w", name, err)
	}
	var org breach.Organization
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&org); err != nil {
		return nil, breach.Errorf(breach.EINVALID, "%s: %v", name, err)
	}
	org.PrimaryDomain = strings.ToLower(strings.TrimSpace(org.PrimaryDomain))
	if err := org.Validate(); err != nil {
		return nil, breach.Errorf(breach.EINVALID, "%s: %s", name, breach.ErrorMessage(err))
	}
	return &org, nil
}

// lintRequirements turns law rules into the linter's plain requirements.
// Each code is a rule ID ("US-CA", "us_hipaa") or a jurisdiction whose
// own rules (those listing it exactly) are used.
func lintRequirements(reg *law.Registry, codes []string) ([]lint.Requirements, error) {
	var out []lint.Requirements
	seen := map[string]bool{}
	for _, code := range codes {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		rules, err := rulesFor(reg, code)
		if err != nil {
			return nil, err
		}
		for _, r := range rules {
			if seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			req, err := lint.LawRequirements(r)
			if err != nil {
				return nil, err
			}
			out = append(out, req)
		}
	}
	return out, nil
}

func rulesFor(reg *law.Registry, code string) ([]*law.Rule, error) {
	if r, err := reg.Rule(code); err == nil {
		return []*law.Rule{r}, nil
	}
	j, err := breach.ParseJurisdiction(code)
	if err != nil {
		return nil, usageError{fmt.Errorf("--jurisdiction %q: %s", code, breach.ErrorMessage(err))}
	}
	var out []*law.Rule
	for _, r := range reg.ForJurisdiction(j) {
		for _, rj := range r.Jurisdictions {
			if rj == string(j) {
				out = append(out, r)
				break
			}
		}
	}
	if len(out) == 0 {
		return nil, usageError{fmt.Errorf("--jurisdiction %s: no such law (see `candor law list`)", code)}
	}
	return out, nil
}

// noticeTemplateSource is the part of a store that holds drafted notice
// templates (breach.NoticeStore).
type noticeTemplateSource interface {
	NoticeTemplates(ctx context.Context, incidentID int64) ([]*breach.NoticeTemplate, error)
}

// draftedNotices returns the current drafted template of each locale of
// the incident, and the data elements the incident exposed. ENOTFOUND when
// the incident does not exist or has no drafted templates.
func (m *Main) draftedNotices(ctx context.Context, id int64) ([]lintInput, breach.ElementSet, error) {
	if !m.Config.IsPostgres() {
		if _, err := os.Stat(m.Config.DB); err != nil {
			return nil, 0, breach.Errorf(breach.ENOTFOUND, "incident %d not found: there is no database at %s", id, m.Config.DB)
		}
	}
	s, err := m.Store(ctx)
	if err != nil {
		return nil, 0, err
	}
	inc, err := s.FindIncidentByID(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	var templates []*breach.NoticeTemplate
	if ts, ok := any(s).(noticeTemplateSource); ok {
		if templates, err = ts.NoticeTemplates(ctx, id); err != nil {
			return nil, 0, err
		}
	}
	if len(templates) == 0 {
		return nil, 0, breach.Errorf(breach.ENOTFOUND, "incident %d has no drafted notice templates to lint: draft them first, or lint a file", id)
	}
	var out []lintInput
	for _, t := range templates {
		name := fmt.Sprintf("incident-%d/%s/v%d.md", id, t.Locale, t.Version)
		if lang, _, _ := strings.Cut(strings.ToLower(t.Locale), "-"); lang != "en" {
			fmt.Fprintf(m.Stderr, "candor: skipping %s: the linter reads English only\n", name)
			continue
		}
		out = append(out, lintInput{name: name, src: []byte(t.Source), format: lint.FormatMarkdown})
	}
	if len(out) == 0 {
		return nil, 0, breach.Errorf(breach.ENOTFOUND, "incident %d has no English notice template to lint", id)
	}
	return out, inc.Elements, nil
}

// ruleDoc is one rule in `candor lint --list-rules --json`.
type ruleDoc struct {
	ID        string         `json:"id"`
	Principle lint.Principle `json:"principle"`
	Severity  lint.Severity  `json:"severity"`
	Points    int            `json:"points"`
	Cap       int            `json:"cap,omitempty"`
	Summary   string         `json:"summary"`
	Doc       string         `json:"doc"`
}

func writeRuleList(w io.Writer, asJSON bool) error {
	rules := lint.Rules()
	if asJSON {
		docs := make([]ruleDoc, 0, len(rules))
		for _, r := range rules {
			docs = append(docs, ruleDoc{r.ID, r.Principle, r.Severity, r.Points, r.Cap, r.Summary, r.Doc})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(docs)
	}
	var b strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&b, "%s  (%s, %s, -%d", r.ID, r.Principle, r.Severity, r.Points)
		if r.Cap > 0 {
			fmt.Fprintf(&b, ", caps score at %d", r.Cap)
		}
		fmt.Fprintf(&b, ")\n  %s\n  %s\n\n", r.Summary, r.Doc)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeContentList(w io.Writer, asJSON bool) error {
	ds := lint.ContentDetectors()
	if asJSON {
		type item struct {
			Item        breach.ContentItem `json:"item"`
			Description string             `json:"description"`
			Detects     string             `json:"detects"`
		}
		items := make([]item, 0, len(ds))
		for _, d := range ds {
			items = append(items, item{d.Item, d.Item.Description(), d.How})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(items)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ITEM\tDETECTED BY")
	for _, d := range ds {
		fmt.Fprintf(tw, "%s\t%s\n", d.Item, d.How)
	}
	return tw.Flush()
}
