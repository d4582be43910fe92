package lint

import (
	"math"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/candor-dev/candor/internal/breach"
)

// Options are what a lint run checks notices against.
type Options struct {
	// Org gives the official domains, brand and contacts; nil means
	// unknown (the linter then guesses the official domain from the
	// notice's own e-mail addresses).
	Org *breach.Organization
	// Requirements are the legal content rules of each jurisdiction the
	// notice goes to; empty means legal content is not checked.
	Requirements []Requirements
	// Elements are the data elements exposed, when known (from the
	// incident); zero means the linter infers them from the notice.
	Elements breach.ElementSet
	// Config tunes the rules.
	Config Config
}

// Config tunes the linter: rule severities and thresholds. The zero value
// is the default. It reads from TOML:
//
//	max_grade = 8
//	long_sentence_words = 25
//	max_words = 1000
//	[rules]
//	transparency-passive = "off"
//	empathy-apology = "error"
type Config struct {
	// Rules sets a rule's severity by ID, or turns it off.
	Rules map[string]Severity `toml:"rules" json:"rules,omitempty"`
	// MaxGrade is the Flesch–Kincaid target (default 8).
	MaxGrade float64 `toml:"max_grade" json:"max_grade,omitempty"`
	// LongSentenceWords is the sentence length limit (default 25).
	LongSentenceWords int `toml:"long_sentence_words" json:"long_sentence_words,omitempty"`
	// MaxWords is the notice length limit (default 1000).
	MaxWords int `toml:"max_words" json:"max_words,omitempty"`
}

func (c Config) maxGrade() float64 {
	if c.MaxGrade > 0 {
		return c.MaxGrade
	}
	return 8
}

func (c Config) longSentence() int {
	if c.LongSentenceWords > 0 {
		return c.LongSentenceWords
	}
	return 25
}

func (c Config) maxWords() int {
	if c.MaxWords > 0 {
		return c.MaxWords
	}
	return 1000
}

// ParseConfig reads a TOML configuration. Unknown keys and rule IDs are
// EINVALID errors naming them.
func ParseConfig(data []byte) (Config, error) {
	var raw struct {
		Rules             map[string]string `toml:"rules"`
		MaxGrade          float64           `toml:"max_grade"`
		LongSentenceWords int               `toml:"long_sentence_words"`
		MaxWords          int               `toml:"max_words"`
	}
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		return Config{}, breach.Errorf(breach.EINVALID, "lint config: %v", err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		return Config{}, breach.Errorf(breach.EINVALID, "lint config: unknown key %q", undec[0].String())
	}
	cfg := Config{MaxGrade: raw.MaxGrade, LongSentenceWords: raw.LongSentenceWords, MaxWords: raw.MaxWords}
	for id, s := range raw.Rules {
		sev, err := ParseSeverity(s)
		if err != nil {
			return Config{}, breach.Errorf(breach.EINVALID, "lint config: rule %s: %s", id, breach.ErrorMessage(err))
		}
		if cfg.Rules == nil {
			cfg.Rules = map[string]Severity{}
		}
		cfg.Rules[id] = sev
	}
	return cfg, cfg.Validate()
}

// Validate checks rule IDs and thresholds.
func (c Config) Validate() error {
	known := map[string]bool{}
	for _, r := range Rules() {
		known[r.ID] = true
	}
	for id, sev := range c.Rules {
		if !known[id] {
			return breach.Errorf(breach.EINVALID, "lint config: unknown rule %q (see candor lint --list-rules)", id)
		}
		if _, err := ParseSeverity(string(sev)); err != nil {
			return err
		}
	}
	if c.MaxGrade < 0 || c.LongSentenceWords < 0 || c.MaxWords < 0 {
		return breach.Errorf(breach.EINVALID, "lint config: thresholds must not be negative")
	}
	return nil
}

// Linter checks notices against a fixed set of options. It is safe for
// concurrent use.
type Linter struct {
	opts  Options
	rules []*Rule
}

// New returns a linter for opts. The error is EINVALID for an unknown rule
// ID or content item.
func New(opts Options) (*Linter, error) {
	if err := opts.Config.Validate(); err != nil {
		return nil, err
	}
	for _, r := range opts.Requirements {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	l := &Linter{opts: opts}
	for _, r := range Rules() {
		if sev, ok := opts.Config.Rules[r.ID]; ok {
			if sev == SeverityOff {
				continue
			}
			cp := *r
			cp.Severity = sev
			r = &cp
		}
		l.rules = append(l.rules, r)
	}
	return l, nil
}

// Rules returns the rules the linter runs, with configured severities.
func (l *Linter) Rules() []*Rule { return l.rules }

// Result is the verdict on one notice.
type Result struct {
	File string `json:"file,omitempty"`
	// Score is the overall score, 0–100.
	Score      int       `json:"score"`
	Principles Scores    `json:"principles"`
	Findings   []Finding `json:"findings"`
	// Explain lists, per principle, the rules that cost points.
	Explain []Deduction `json:"explain"`
	// Caps lists the findings that capped the overall score.
	Caps []ScoreCap `json:"caps,omitempty"`
	// Unchecked lists principles with no rules to run (legal without
	// --jurisdiction); they count as 100 and are left out of the overall
	// score.
	Unchecked []Principle `json:"unchecked,omitempty"`
	Stats     Stats       `json:"stats"`
	// Jurisdictions are the jurisdictions whose legal content was checked.
	Jurisdictions []string `json:"jurisdictions,omitempty"`
	// Domains are the official domains links were checked against;
	// DomainsInferred says they were guessed from the notice.
	Domains         []string `json:"domains,omitempty"`
	DomainsInferred bool     `json:"domains_inferred,omitempty"`
	// Exposed are the data elements the notice says were exposed (or
	// that were given).
	Exposed breach.ElementSet `json:"exposed"`
}

// Scores are the per-principle scores, 0–100.
type Scores struct {
	Empathy      int `json:"empathy"`
	Transparency int `json:"transparency"`
	Remediation  int `json:"remediation"`
	Protection   int `json:"protection"`
	Loyalty      int `json:"loyalty"`
	Clarity      int `json:"clarity"`
	Safety       int `json:"safety"`
	Legal        int `json:"legal"`
}

// Get returns the score of principle p.
func (s *Scores) Get(p Principle) int { return *s.field(p) }

func (s *Scores) field(p Principle) *int {
	switch p {
	case Empathy:
		return &s.Empathy
	case Transparency:
		return &s.Transparency
	case Remediation:
		return &s.Remediation
	case Protection:
		return &s.Protection
	case Loyalty:
		return &s.Loyalty
	case Clarity:
		return &s.Clarity
	case Safety:
		return &s.Safety
	default:
		return &s.Legal
	}
}

// Deduction is what one rule cost one principle.
type Deduction struct {
	Principle Principle `json:"principle"`
	Rule      string    `json:"rule"`
	Findings  int       `json:"findings"`
	Points    int       `json:"points"`
}

// ScoreCap records a rule that capped the overall score.
type ScoreCap struct {
	Rule string `json:"rule"`
	Cap  int    `json:"cap"`
}

// Stats are counts behind the clarity rules.
type Stats struct {
	Words     int     `json:"words"`
	Sentences int     `json:"sentences"`
	Syllables int     `json:"syllables"`
	Grade     float64 `json:"grade"`
}

// Errors counts findings of severity error.
func (r *Result) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			n++
		}
	}
	return n
}

// Lint checks one parsed notice.
func (l *Linter) Lint(doc *Document) *Result {
	a := analyse(doc, &l.opts)
	res := &Result{File: doc.Name, Findings: []Finding{}, Explain: []Deduction{}, Exposed: a.exposed, Domains: a.domains, DomainsInferred: a.inferred}
	for _, r := range l.opts.Requirements {
		res.Jurisdictions = append(res.Jurisdictions, r.Jurisdiction)
	}
	byRule := map[string][]Finding{}
	for _, r := range l.rules {
		c := &checker{analysis: a, rule: r}
		r.check(c)
		for i := range c.findings {
			f := &c.findings[i]
			f.Severity = r.Severity
			l.place(doc, f)
		}
		byRule[r.ID] = c.findings
		res.Findings = append(res.Findings, c.findings...)
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		fi, fj := res.Findings[i], res.Findings[j]
		if fi.Line != fj.Line {
			return fi.Line < fj.Line
		}
		return fi.Column < fj.Column
	})
	l.score(res, byRule)
	res.Stats = Stats{Words: a.words, Sentences: a.proseSent, Syllables: a.syllables, Grade: math.Round(a.grade()*10) / 10}
	return res
}

// place sets a finding's line and column from its text offsets.
func (l *Linter) place(doc *Document, f *Finding) {
	switch {
	case f.start >= 0:
		f.Line, f.Column = doc.Position(f.start)
		end := f.end - 1
		if end < f.start {
			end = f.start
		}
		f.EndLine, f.EndColumn = doc.Position(end)
		f.EndColumn++
	case f.srcOff > 0:
		f.Line, f.Column = doc.SourcePosition(f.srcOff - 1)
		f.EndLine, f.EndColumn = f.Line, f.Column+1
	default:
		f.Line, f.Column, f.EndLine, f.EndColumn = 1, 1, 1, 1
	}
}

// score computes the principle and overall scores and explains them.
// Each principle starts at 100 and loses what its rules' findings cost;
// the overall score is the weighted mean of the checked principles,
// capped by the most severe capping finding.
func (l *Linter) score(res *Result, byRule map[string][]Finding) {
	lost := map[Principle]int{}
	checked := map[Principle]bool{}
	for _, r := range l.rules {
		if r.Principle != Legal || len(l.opts.Requirements) > 0 {
			checked[r.Principle] = true
		}
		fs := byRule[r.ID]
		if len(fs) == 0 {
			continue
		}
		cost := r.Cost(len(fs))
		if weighted := sumWeights(fs); weighted > 0 {
			cost = weighted
			if r.MaxPoints > 0 && cost > r.MaxPoints {
				cost = r.MaxPoints
			}
		}
		lost[r.Principle] += cost
		res.Explain = append(res.Explain, Deduction{Principle: r.Principle, Rule: r.ID, Findings: len(fs), Points: cost})
		if r.Cap > 0 {
			res.Caps = append(res.Caps, ScoreCap{Rule: r.ID, Cap: r.Cap})
		}
	}
	total, weight := 0, 0
	for _, p := range Principles() {
		s := max(0, 100-lost[p])
		*res.Principles.field(p) = s
		if !checked[p] {
			res.Unchecked = append(res.Unchecked, p)
			continue
		}
		total += s * principleWeight(p)
		weight += principleWeight(p)
	}
	if weight > 0 {
		res.Score = int(math.Round(float64(total) / float64(weight)))
	} else {
		res.Score = 100
	}
	for _, c := range res.Caps {
		res.Score = min(res.Score, c.Cap)
	}
}

func sumWeights(fs []Finding) int {
	n := 0
	for _, f := range fs {
		n += f.weight
	}
	return n
}

// RuleByID returns the rule with the given ID.
func RuleByID(id string) (*Rule, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

// LintSource parses and lints a notice in one step.
func (l *Linter) LintSource(name string, src []byte, format Format) *Result {
	return l.Lint(Parse(name, src, format))
}

// String returns the principle's name.
func (p Principle) String() string { return string(p) }

// Title returns the principle's name capitalised, for reports.
func (p Principle) Title() string {
	if p == "" {
		return ""
	}
	return strings.ToUpper(string(p[:1])) + string(p[1:])
}
