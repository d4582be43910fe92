package notice

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

// Source is a template text to draft.
type Source struct {
	// Name is shown in errors, such as a file name.
	Name string
	Text string
}

// DefaultTemplate returns Candor's default template for a locale (en or
// es): humane, plain and complete, written to be copied and edited.
func DefaultTemplate(locale string) (string, error) {
	if !supportedLocale(locale) {
		return "", breach.Errorf(breach.EINVALID, "no default template for locale %q (en, es)", locale)
	}
	b, err := templateFS.ReadFile("templates/notice." + locale + ".md")
	if err != nil {
		return "", fmt.Errorf("default template %s: %w", locale, err)
	}
	return string(b), nil
}

// DefaultLocales are the languages of the default templates.
func DefaultLocales() []string { return []string{"en", "es"} }

// DefaultSources returns the default templates of every locale.
func DefaultSources() ([]Source, error) {
	var out []Source
	for _, l := range DefaultLocales() {
		text, err := DefaultTemplate(l)
		if err != nil {
			return nil, err
		}
		out = append(out, Source{Name: templateName(l), Text: text})
	}
	return out, nil
}

// Draft parses and checks the sources against the incident and every
// current recipient group, and stores them as the incident's templates
// (one per locale; each a new version). Any unknown placeholder, insert or
// condition, off-domain link, missing fact or section left empty is an
// EINVALID error listing every problem, and nothing is stored. Content the
// law requires for particular groups is reported by Check, not here.
func Draft(ctx context.Context, s Store, incidentID int64, sources []Source, by string, opts Options) ([]*breach.NoticeTemplate, error) {
	if len(sources) == 0 {
		return nil, breach.Errorf(breach.EINVALID, "draft: no template given")
	}
	f, err := LoadFacts(ctx, s, incidentID)
	if err != nil {
		return nil, err
	}
	lib, err := loadLibrary()
	if err != nil {
		return nil, err
	}
	reg := opts.Registry
	if reg == nil {
		if reg, err = law.Load(); err != nil {
			return nil, err
		}
	}
	now := clock(opts)()
	var (
		msgs   []string
		parsed []*Template
		seen   = map[string]string{}
	)
	for _, src := range sources {
		t, err := Parse(src.Name, src.Text)
		if err != nil {
			msgs = append(msgs, breach.ErrorMessage(err))
			continue
		}
		if prev, ok := seen[t.Locale]; ok {
			msgs = append(msgs, fmt.Sprintf("%s and %s are both in locale %s", prev, src.Name, t.Locale))
			continue
		}
		seen[t.Locale] = src.Name
		parsed = append(parsed, t)
		for _, p := range validate(t, f.Org) {
			msgs = append(msgs, p.String())
		}
	}
	if len(msgs) == 0 {
		for _, p := range draftProblems(parsed, f, lib, reg, now) {
			msgs = append(msgs, p.String())
		}
	}
	if len(msgs) > 0 {
		return nil, breach.Errorf(breach.EINVALID, "the notice cannot be drafted:\n  %s", strings.Join(dedupe(msgs), "\n  "))
	}
	var out []*breach.NoticeTemplate
	for _, t := range parsed {
		nt := &breach.NoticeTemplate{IncidentID: incidentID, Locale: t.Locale, Source: t.Source, DraftedBy: by}
		if err := s.SaveNoticeTemplate(ctx, nt); err != nil {
			return nil, err
		}
		out = append(out, nt)
	}
	return out, nil
}

// draftProblems compiles each template for the incident as a whole and
// for every recipient group, returning the template and fact problems.
func draftProblems(ts []*Template, f *Facts, lib *library, reg *law.Registry, now time.Time) []Problem {
	groups := []breach.StatGroup{{Elements: f.Incident.Elements}}
	if f.Stats != nil {
		groups = append(groups, f.Stats.Groups...)
	}
	var out []Problem
	for _, t := range ts {
		for _, g := range groups {
			req, err := requirements(reg, f, g, now)
			if err != nil {
				out = append(out, Problem{Kind: kindLaw, Msg: breach.ErrorMessage(err)})
				continue
			}
			v := compile(t, f, lib, g, req, now)
			for _, p := range v.problems {
				if p.Kind == kindTemplate || p.Kind == kindFact {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// Report is the result of checking an incident's drafted notices.
type Report struct {
	IncidentID int64          `json:"incident_id"`
	Templates  []TemplateInfo `json:"templates"`
	People     int64          `json:"people"`
	Groups     []GroupReport  `json:"groups"`
	// Problems are every problem found, each once.
	Problems []Problem `json:"problems"`
	// Digest is what an approval now would pin.
	Digest Digest `json:"digest"`
	// Approval is the latest approval, if any, and Approved whether it
	// still matches.
	Approval *breach.NoticeApproval `json:"approval,omitempty"`
	Approved bool                   `json:"approved"`
}

// TemplateInfo identifies a drafted template.
type TemplateInfo struct {
	Locale  string `json:"locale"`
	Version int    `json:"version"`
	SHA256  string `json:"sha256"`
}

// GroupReport is the check of one recipient group in one language.
type GroupReport struct {
	Jurisdiction breach.Jurisdiction `json:"jurisdiction"`
	Elements     breach.ElementSet   `json:"elements"`
	Locale       string              `json:"locale"`
	Count        int64               `json:"count"`
	// Regimes are the laws requiring notice to these people.
	Regimes    []string             `json:"regimes"`
	Required   []breach.ContentItem `json:"required"`
	Prohibited []breach.ContentItem `json:"prohibited"`
	Inserts    []string             `json:"inserts"`
	Omitted    []string             `json:"omitted"`
	Problems   []Problem            `json:"problems"`
	// IdentityProtectionMonths is the longest free plan a law requires.
	IdentityProtectionMonths int `json:"identity_protection_months,omitempty"`
}

// OK reports whether nothing keeps the notices from being approved.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Check runs every law's content requirements against every recipient
// group (jurisdiction × element set) in every drafted language, and lists
// what is missing; it also checks the facts every notice needs and that
// everyone has the codes the notice promises.
func Check(ctx context.Context, s Store, incidentID int64, opts Options) (*Report, error) {
	opts.Draft = true
	r, err := NewRenderer(ctx, s, incidentID, opts)
	if err != nil {
		return nil, err
	}
	rep := &Report{IncidentID: incidentID, Digest: r.digest, Groups: []GroupReport{}, Problems: []Problem{}}
	tpls, err := s.NoticeTemplates(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	for _, t := range tpls {
		rep.Templates = append(rep.Templates, TemplateInfo{Locale: t.Locale, Version: t.Version, SHA256: t.SHA256})
	}
	if a, err := s.LatestNoticeApproval(ctx, incidentID); err == nil {
		rep.Approval, rep.Approved = a, r.digest.mismatch(a) == ""
	} else if breach.ErrorCode(err) != breach.ENOTFOUND {
		return nil, err
	}
	seen := map[string]bool{}
	add := func(p Problem) {
		if k := p.String(); !seen[k] {
			seen[k] = true
			rep.Problems = append(rep.Problems, p)
		}
	}
	for _, msg := range r.facts.factProblems() {
		add(Problem{Kind: kindFact, Msg: msg})
	}
	for _, l := range r.locales {
		for _, p := range validate(r.templates[l], r.facts.Org) {
			add(p)
		}
	}
	if r.facts.Stats.Total == 0 {
		add(Problem{Kind: kindData, Msg: "the incident has no affected people: import them with `candor import people`"})
	}
	rep.People = r.facts.Stats.Total
	usesIDP, usesOffer := false, false
	for _, g := range r.facts.Stats.Groups {
		for _, l := range r.locales {
			v, err := r.variant(g.Jurisdiction, g.Elements, l)
			if err != nil {
				return nil, err
			}
			usesIDP, usesOffer = usesIDP || v.usesIDP, usesOffer || v.usesOffer
			gr := GroupReport{Jurisdiction: g.Jurisdiction, Elements: g.Elements, Locale: l, Count: g.Count,
				Regimes: nonNil(v.req.regimes), Required: sortedItems(v.req.required), Prohibited: sortedItems(v.req.prohibited),
				Inserts: nonNil(v.inserts), Omitted: nonNil(v.omitted), Problems: append([]Problem{}, v.problems...),
				IdentityProtectionMonths: v.req.idpMonths}
			rep.Groups = append(rep.Groups, gr)
			for _, p := range v.problems {
				add(p)
			}
		}
	}
	for _, k := range []struct {
		kind string
		used bool
	}{{breach.RemedyIDP, usesIDP}, {breach.RemedyOffer, usesOffer}} {
		if !k.used {
			continue
		}
		st, err := s.RemedyPoolStats(ctx, incidentID, k.kind)
		if err != nil {
			return nil, err
		}
		if st.PeopleWithout > 0 {
			add(Problem{Kind: kindData, Msg: fmt.Sprintf("%d people have no %s code (%d free in the pool): import codes and run `candor remedy assign --incident %d --kind %s`",
				st.PeopleWithout, k.kind, st.Total-st.Assigned, incidentID, k.kind)})
		}
	}
	return rep, nil
}

// Approve checks the incident's notices and, when nothing is missing,
// records that approver approved them: a hash of the templates, the
// incident facts and the rules version, written with an audit entry.
// EINVALID, approving nothing, when the check finds problems.
func Approve(ctx context.Context, s Store, incidentID int64, approver string, opts Options) (*breach.NoticeApproval, *Report, error) {
	if strings.TrimSpace(approver) == "" {
		return nil, nil, breach.Errorf(breach.EINVALID, "approve: say who approves (--as NAME)")
	}
	rep, err := Check(ctx, s, incidentID, opts)
	if err != nil {
		return nil, nil, err
	}
	if !rep.OK() {
		lines := make([]string, 0, len(rep.Problems))
		for i, p := range rep.Problems {
			if i == 20 {
				lines = append(lines, fmt.Sprintf("… and %d more (run `candor notice check --incident %d`)", len(rep.Problems)-20, incidentID))
				break
			}
			lines = append(lines, p.String())
		}
		return nil, rep, breach.Errorf(breach.EINVALID, "the notice cannot be approved: %d problems:\n  %s", len(rep.Problems), strings.Join(lines, "\n  "))
	}
	d := rep.Digest
	a := &breach.NoticeApproval{IncidentID: incidentID, ApprovedBy: strings.TrimSpace(approver), Hash: d.Hash,
		TemplateHash: d.TemplateHash, FactsHash: d.FactsHash, RulesVersion: d.RulesVersion}
	e := &breach.AuditEntry{Actor: a.ApprovedBy, Action: "notice.approve", IncidentID: incidentID, Subject: d.Hash,
		Detail: auditDetail(map[string]any{"template_hash": d.TemplateHash, "facts_hash": d.FactsHash,
			"rules_version": d.RulesVersion, "templates": rep.Templates, "people": rep.People, "variants": len(rep.Groups)})}
	if err := s.CreateNoticeApproval(ctx, a, e); err != nil {
		return nil, rep, err
	}
	rep.Approval, rep.Approved = a, true
	return a, rep, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// auditDetail encodes an audit entry's detail.
func auditDetail(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return b
}

// clock returns the options' clock, time.Now by default.
func clock(o Options) func() time.Time {
	if o.Now != nil {
		return o.Now
	}
	return time.Now
}

// CurrentApproval returns the incident's latest approval when it still
// matches the current templates, facts and rules: what delivery checks
// before it starts and again before each batch. ENOTFOUND when the notice
// is not drafted or not approved; ECONFLICT when something changed since
// the approval.
func CurrentApproval(ctx context.Context, s Store, incidentID int64) (*breach.NoticeApproval, error) {
	f, err := LoadFacts(ctx, s, incidentID)
	if err != nil {
		return nil, err
	}
	tpls, err := s.NoticeTemplates(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if len(tpls) == 0 {
		return nil, breach.Errorf(breach.ENOTFOUND, "incident %d has no drafted notice: run `candor notice draft --incident %d`", incidentID, incidentID)
	}
	lib, err := loadLibrary()
	if err != nil {
		return nil, err
	}
	d, err := computeDigest(tpls, lib, f)
	if err != nil {
		return nil, err
	}
	a, err := s.LatestNoticeApproval(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if why := d.mismatch(a); why != "" {
		return nil, breach.Errorf(breach.ECONFLICT, "incident %d: the approval by %s no longer matches: %s; review and run `candor notice approve` again", incidentID, a.ApprovedBy, why)
	}
	return a, nil
}
