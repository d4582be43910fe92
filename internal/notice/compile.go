package notice

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/breach"
)

// run is a compiled inline: text with a style, or a per-person slot.
type run struct {
	text string
	bold bool
	href string
	slot slot
	brk  bool
}

// cblock is a compiled block of one variant.
type cblock struct {
	kind    nodeKind // nPara, nList or nHeading
	level   int
	section string
	runs    [][]run // one entry for paragraphs and headings, one per list item
	// dynamic blocks use per-person slots and are rendered per person;
	// static ones are rendered once, into txt and htm (quoted-printable).
	dynamic bool
	txt     []byte
	htm     []byte
}

// variant is a template compiled for one recipient group: everything but
// the per-person slots is decided.
type variant struct {
	key     variantKey
	lang    *lang
	subject string
	title   string
	blocks  []*cblock
	// provided lists the content items the variant carries.
	provided map[breach.ContentItem]bool
	// inserts lists the inserts used; omitted what was left out and why.
	inserts []string
	omitted []string
	// usesIDP and usesOffer say whether the per-person codes appear.
	usesIDP, usesOffer bool
	req                *lawReq
	problems           []Problem
	// Pre-built MIME pieces (see mime.go).
	mime *mimeParts
}

// variantKey identifies a variant.
type variantKey struct {
	j      breach.Jurisdiction
	e      breach.ElementSet
	locale string
}

// Problem is something that keeps a notice from being sent as drafted.
type Problem struct {
	// Kind is template (syntax, names, links, sections), fact (a fact the
	// template uses is missing), law (a law's content requirement is not
	// met for a group) or data (people without the codes they need).
	Kind string `json:"kind"`
	// Template and Line locate the problem in a template, when it has a
	// place there.
	Template string `json:"template,omitempty"`
	Line     int    `json:"line,omitempty"`
	Msg      string `json:"message"`
}

// Problem kinds.
const (
	kindTemplate = "template"
	kindFact     = "fact"
	kindLaw      = "law"
	kindData     = "data"
)

func (p Problem) String() string {
	if p.Template != "" && p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.Template, p.Line, p.Msg)
	}
	return p.Msg
}

// compileCtx is the state of compiling one template for one group.
type compileCtx struct {
	f     *Facts
	lang  *lang
	group breach.StatGroup
	req   *lawReq
	lib   map[string][]*node
	now   time.Time
	tpl   *Template
	v     *variant
	// filled counts the non-heading blocks of each section.
	filled  map[string]int
	section string
}

// compile builds the variant of t for group g under the law's
// requirements req.
func compile(t *Template, f *Facts, lib *library, g breach.StatGroup, req *lawReq, now time.Time) *variant {
	l := langFor(t.Locale)
	v := &variant{key: variantKey{g.Jurisdiction, g.Elements, t.Locale}, lang: l, provided: map[breach.ContentItem]bool{}, req: req}
	c := &compileCtx{f: f, lang: l, group: g, req: req, lib: lib.byLang[l.code], now: now, tpl: t, v: v, filled: map[string]int{}}
	v.subject = c.plain(t.Subject, "subject")
	v.title = c.plain(t.Title, "title")
	c.nodes(t.Blocks, nil)
	c.finish()
	return v
}

func (c *compileCtx) problem(kind string, line int, format string, args ...any) {
	c.v.problems = append(c.v.problems, Problem{Kind: kind, Template: c.tpl.Name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// plain renders inlines that may use only incident-scope placeholders.
func (c *compileCtx) plain(in []inline, what string) string {
	var b strings.Builder
	for _, x := range in {
		switch x.kind {
		case iText:
			b.WriteString(x.text)
		case iPlaceholder:
			def, ok := placeholders[x.text]
			if !ok || def.scope != scopeIncident {
				continue // reported by validate
			}
			val, why := def.value(c)
			if why != "" {
				c.problem(kindFact, x.line, "%s: {{%s}}: %s", what, x.text, why)
			}
			b.WriteString(val)
		}
	}
	return strings.TrimSpace(b.String())
}

// nodes compiles blocks; inInsert names the insert being expanded.
func (c *compileCtx) nodes(ns []*node, insert *insertUse) {
	for _, n := range ns {
		switch n.kind {
		case nIf:
			if c.evalCond(n.cond) != n.negate {
				c.nodes(n.then, insert)
			} else {
				c.nodes(n.alt, insert)
			}
		case nInsert:
			c.insert(n)
		case nHeading:
			if n.level == 2 {
				c.section = n.section
			}
			runs, _ := c.runs(n.inl, insert)
			c.emit(&cblock{kind: nHeading, level: n.level, section: n.section, runs: [][]run{runs}}, insert)
		case nElements:
			var item [][]run
			for _, p := range c.elementPhrases() {
				item = append(item, []run{{text: capitalize(p)}})
			}
			c.credit(blockPlaceholders[nElements].items, insert)
			c.emit(&cblock{kind: nList, runs: item}, insert)
		case nSteps:
			steps := c.f.Settings.Steps
			if len(steps) == 0 {
				c.problem(kindFact, n.line, "{{steps}}: no measures are recorded: run `candor notice settings --step \"…\"` once for each concrete step")
				continue
			}
			var item [][]run
			for _, s := range steps {
				item = append(item, c.autolink(s, false, nil))
			}
			c.credit(blockPlaceholders[nSteps].items, insert)
			c.emit(&cblock{kind: nList, runs: item}, insert)
		case nPara:
			if runs, ok := c.runs(n.inl, insert); ok {
				c.emit(&cblock{kind: nPara, runs: [][]run{runs}}, insert)
			}
		case nList:
			var kept [][]run
			for _, it := range n.items {
				if runs, ok := c.runs(it, insert); ok {
					kept = append(kept, runs)
				}
			}
			if len(kept) > 0 {
				c.emit(&cblock{kind: nList, runs: kept}, insert)
			}
		}
	}
}

// insertUse tracks one expansion of an insert.
type insertUse struct {
	name    string
	emitted int
	items   []breach.ContentItem
}

func (c *compileCtx) insert(n *node) {
	items := insertItems(n.name, c.group.Jurisdiction)
	if bad := c.prohibited(items); bad != "" {
		c.v.omitted = append(c.v.omitted, fmt.Sprintf("insert %s: %s", n.name, bad))
		return
	}
	use := &insertUse{name: n.name}
	c.nodes(c.lib[n.name], use)
	if use.emitted == 0 {
		c.v.omitted = append(c.v.omitted, fmt.Sprintf("insert %s: nothing applies to %s", n.name, orUnknown(string(c.group.Jurisdiction))))
		return
	}
	c.v.inserts = append(c.v.inserts, n.name)
	c.credit(items, nil)
	for _, it := range use.items {
		c.credit([]breach.ContentItem{it}, nil)
	}
}

func (c *compileCtx) emit(b *cblock, insert *insertUse) {
	if b.kind != nHeading && c.section != "" {
		c.filled[c.section]++
	}
	if insert != nil {
		insert.emitted++
	}
	for _, item := range b.runs {
		for _, r := range item {
			if r.slot != slotNone {
				b.dynamic = true
			}
			switch r.slot {
			case slotIDPCode:
				c.v.usesIDP = true
			case slotOfferCode:
				c.v.usesOffer = true
			}
		}
	}
	c.v.blocks = append(c.v.blocks, b)
}

// credit records content items as provided (by the insert being expanded
// when there is one, at its end).
func (c *compileCtx) credit(items []breach.ContentItem, insert *insertUse) {
	if insert != nil {
		insert.items = append(insert.items, items...)
		return
	}
	for _, it := range items {
		c.v.provided[it] = true
	}
}

// prohibited returns which law forbids any of items for this group, or "".
func (c *compileCtx) prohibited(items []breach.ContentItem) string {
	for _, it := range items {
		if by := c.req.prohibited[it]; len(by) > 0 {
			return fmt.Sprintf("left out: %s forbids %s in notices to its residents", strings.Join(by, ", "), it)
		}
	}
	return ""
}

// runs resolves one paragraph's inlines. ok is false when the paragraph
// must be left out for this group: it carries content a law forbids, or
// a group value it needs does not exist.
func (c *compileCtx) runs(in []inline, insert *insertUse) ([]run, bool) {
	var (
		out     []run
		credits []breach.ContentItem
		failed  bool
	)
	for _, x := range in {
		switch x.kind {
		case iBreak:
			out = append(out, run{brk: true})
		case iText:
			href := x.href
			if x.hrefPh != "" {
				def, ok := placeholders[x.hrefPh]
				if !ok {
					continue
				}
				val, why := def.value(c)
				if why != "" {
					if c.missing(x, def, why) {
						return nil, false
					}
					failed = true
					continue
				}
				href = val
			}
			if href != "" {
				out = append(out, run{text: x.text, bold: x.bold, href: href})
				continue
			}
			out = append(out, c.autolink(x.text, x.bold, nil)...)
		case iPlaceholder:
			def, ok := placeholders[x.text]
			if !ok {
				continue // reported by validate
			}
			if bad := c.prohibited(def.items); bad != "" {
				c.v.omitted = append(c.v.omitted, fmt.Sprintf("%s:%d: paragraph with {{%s}} %s", c.tpl.Name, x.line, x.text, bad))
				return nil, false
			}
			credits = append(credits, def.items...)
			if x.text == "what_happened" && c.f.recipientKnown() {
				credits = append(credits, "unauthorized_recipient")
			}
			if def.scope == scopePerson {
				out = append(out, run{slot: def.slot, bold: x.bold})
				continue
			}
			val, why := def.value(c)
			if why != "" {
				if c.missing(x, def, why) {
					return nil, false
				}
				failed = true
				continue
			}
			switch {
			case def.url || x.href != "":
				href := x.href
				if href == "" {
					href = val
				}
				out = append(out, run{text: val, bold: x.bold, href: href})
			default:
				out = append(out, c.autolink(val, x.bold, nil)...)
			}
		}
	}
	if failed {
		return nil, false
	}
	c.credit(credits, insert)
	return mergeRuns(out), true
}

// missing handles a placeholder without a value and reports whether the
// paragraph is simply left out (a group value that does not exist for this
// group); a missing incident fact is a problem instead.
func (c *compileCtx) missing(x inline, def phDef, why string) bool {
	if def.scope == scopeGroup {
		return true
	}
	c.problem(kindFact, x.line, "{{%s}}: %s", x.text, why)
	return false
}

// autolink splits text into runs, making https:// URLs links.
func (c *compileCtx) autolink(s string, bold bool, out []run) []run {
	for {
		i := strings.Index(s, "https://")
		if i < 0 {
			if s != "" {
				out = append(out, run{text: s, bold: bold})
			}
			return out
		}
		if i > 0 {
			out = append(out, run{text: s[:i], bold: bold})
		}
		end := i + strings.IndexAny(s[i:]+" ", " \t\n")
		u := strings.TrimRight(s[i:end], ".,;:!?)")
		out = append(out, run{text: u, bold: bold, href: u})
		s = s[i+len(u):]
	}
}

func mergeRuns(in []run) []run {
	var out []run
	for _, r := range in {
		if n := len(out); n > 0 && r.slot == slotNone && !r.brk && out[n-1].slot == slotNone && !out[n-1].brk &&
			out[n-1].bold == r.bold && out[n-1].href == "" && r.href == "" {
			out[n-1].text += r.text
			continue
		}
		out = append(out, r)
	}
	return out
}

// elementPhrases names the group's elements in plain words.
func (c *compileCtx) elementPhrases() []string {
	var out []string
	for _, info := range breach.Elements() {
		if c.group.Elements.Has(info.Element) {
			out = append(out, c.lang.elementPhrase(info.Element))
		}
	}
	return out
}

// finish checks sections and the law's requirements.
func (c *compileCtx) finish() {
	v := c.v
	for _, s := range sections {
		if c.filled[s.ID] == 0 {
			c.problem(kindTemplate, 0, "section %s is empty for %s", s.ID, groupLabel(c.group))
			continue
		}
		for _, it := range s.Items {
			v.provided[it] = true
		}
	}
	// Headings and title required by a law (California).
	var heads []string
	for _, b := range v.blocks {
		if b.kind == nHeading && b.level == 2 {
			heads = append(heads, strings.ToLower(runsText(b.runs[0])))
		}
	}
	headsOK := true
	for _, rh := range c.req.headings {
		if rh.title != "" && !strings.Contains(strings.ToLower(v.title), strings.ToLower(rh.title)) {
			headsOK = false
			c.problem(kindLaw, 0, "%s requires the title %q (the template's title is %q)", rh.regime, rh.title, v.title)
		}
		for _, h := range rh.headings {
			found := false
			for _, got := range heads {
				if strings.Contains(got, strings.ToLower(h)) {
					found = true
				}
			}
			if !found {
				headsOK = false
				c.problem(kindLaw, 0, "%s requires the heading %q", rh.regime, h)
			}
		}
	}
	if headsOK && len(c.req.headings) > 0 {
		v.provided["california_headings"] = true
	}
	for _, it := range sortedItems(c.req.required) {
		if by := c.req.prohibited[it]; len(by) > 0 {
			c.problem(kindLaw, 0, "%s: %s requires %s but %s forbids it", groupLabel(c.group), strings.Join(c.req.required[it], ", "), it, strings.Join(by, ", "))
			continue
		}
		if !v.provided[it] && it == "identity_protection_offer" && c.f.IDP == nil {
			c.problem(kindLaw, 0, "%s: %s requires an identity-protection offer: set up a plan with `candor remedy set --kind idp` (the default template offers it when one exists)",
				groupLabel(c.group), strings.Join(c.req.required[it], ", "))
			continue
		}
		if !v.provided[it] {
			c.problem(kindLaw, 0, "%s: %s requires %s (%s), which the %s template does not provide%s", groupLabel(c.group),
				strings.Join(c.req.required[it], ", "), it, it.Description(), c.tpl.Locale, hint(it))
		}
	}
	if c.req.idpMonths > 0 {
		switch {
		case c.f.IDP == nil:
			c.problem(kindLaw, 0, "%s: %s requires %d months of free identity protection: run `candor remedy set --kind idp`", groupLabel(c.group), c.req.idpRegime, c.req.idpMonths)
		case c.f.IDP.Months < c.req.idpMonths:
			c.problem(kindLaw, 0, "%s: %s requires %d months of free identity protection; the plan offers %d", groupLabel(c.group), c.req.idpRegime, c.req.idpMonths, c.f.IDP.Months)
		case !v.usesIDP:
			c.problem(kindLaw, 0, "%s: %s requires an identity-protection offer, but the %s template gives no {{idp_code}}", groupLabel(c.group), c.req.idpRegime, c.tpl.Locale)
		}
	}
}

// hint says which placeholder or insert provides an item.
func hint(it breach.ContentItem) string {
	var names []string
	for _, n := range sortedKeys(placeholders) {
		for _, x := range placeholders[n].items {
			if x == it {
				names = append(names, "{{"+n+"}}")
			}
		}
	}
	for k, def := range blockPlaceholders {
		for _, x := range def.items {
			if x == it {
				names = append(names, map[nodeKind]string{nElements: "{{elements}}", nSteps: "{{steps}}"}[k])
			}
		}
	}
	for _, n := range sortedKeys(inserts) {
		for _, x := range inserts[n].items {
			if x == it {
				names = append(names, "{{insert "+n+"}}")
			}
		}
	}
	if it == "ca_state_specific_info" {
		names = append(names, "{{insert state_ag}}")
	}
	if it == "california_headings" {
		return ": use the title and headings the law names"
	}
	if len(names) == 0 {
		return ""
	}
	return ": add " + strings.Join(names, " or ")
}

func runsText(rs []run) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.text)
	}
	return b.String()
}

func groupLabel(g breach.StatGroup) string {
	return orUnknown(string(g.Jurisdiction)) + " with " + g.Elements.String()
}

func sortedItems(m map[breach.ContentItem][]string) []breach.ContentItem {
	out := make([]breach.ContentItem, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// trustedHost reports whether a literal link in a template may point at
// host: the organisation's own domains, the credit bureaus, the FTC and
// government sites.
func trustedHost(org *breach.Organization, host string) bool {
	host = strings.ToLower(host)
	if org.OwnsHost(host) || strings.HasSuffix(host, ".gov") {
		return true
	}
	for _, d := range []string{"annualcreditreport.com", "equifax.com", "experian.com", "transunion.com", "identitytheft.gov"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// validate checks a template's names and links without regard to any
// group: unknown placeholders, inserts and conditions, person values in
// the subject, links off the organisation's domains, missing sections.
func validate(t *Template, org *breach.Organization) []Problem {
	var out []Problem
	add := func(line int, format string, args ...any) {
		out = append(out, Problem{Kind: kindTemplate, Template: t.Name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	known := sortedKeys(placeholders)
	checkInl := func(in []inline, headerOnly bool) {
		for _, x := range in {
			if x.kind == iPlaceholder {
				def, ok := placeholders[x.text]
				switch {
				case !ok:
					msg := fmt.Sprintf("unknown placeholder {{%s}}", x.text)
					if s := suggest(x.text, known); s != "" {
						msg += fmt.Sprintf(" (did you mean {{%s}}?)", s)
					}
					add(x.line, "%s", msg)
				case headerOnly && def.scope != scopeIncident:
					add(x.line, "{{%s}} differs per person or group and cannot be used in the subject or title", x.text)
				}
			}
			if x.hrefPh != "" {
				if def, ok := placeholders[x.hrefPh]; !ok || !def.url {
					add(x.line, "link target {{%s}} is not a link placeholder (site_url, idp_url, offer_url, ag_url)", x.hrefPh)
				}
			}
			targets := []string{x.href}
			if x.kind == iText {
				for _, w := range strings.Fields(x.text) {
					if strings.Contains(w, "://") || strings.HasPrefix(w, "www.") {
						targets = append(targets, strings.TrimRight(w, ".,;:!?)"))
					}
				}
			}
			for _, target := range targets {
				if target == "" {
					continue
				}
				u, err := url.Parse(target)
				switch {
				case err != nil || u.Scheme != "https" || u.Host == "":
					add(x.line, "link %q: links must start with https:// and name a host", target)
				case !trustedHost(org, u.Hostname()):
					add(x.line, "link %q is not on %s (or an allowed domain, a credit bureau or a .gov site): people must never be sent to a site they cannot verify", target, org.PrimaryDomain)
				}
			}
		}
	}
	checkInl(t.Subject, true)
	checkInl(t.Title, true)
	seen := map[string]int{}
	var walk func([]*node)
	walk = func(ns []*node) {
		for _, n := range ns {
			switch n.kind {
			case nIf:
				if msg := checkCond(n.cond); msg != "" {
					add(n.line, "%s", msg)
				}
				walk(n.then)
				walk(n.alt)
			case nInsert:
				if _, ok := inserts[n.name]; !ok {
					msg := fmt.Sprintf("unknown insert %q (inserts: %s)", n.name, strings.Join(sortedKeys(inserts), ", "))
					add(n.line, "%s", msg)
				}
			case nHeading:
				if n.section != "" {
					seen[n.section]++
					if seen[n.section] > 1 {
						add(n.line, "section {#%s} appears twice", n.section)
					}
				}
				checkInl(n.inl, false)
			case nPara:
				checkInl(n.inl, false)
			case nList:
				for _, it := range n.items {
					checkInl(it, false)
				}
			}
		}
	}
	walk(t.Blocks)
	for _, s := range sections {
		if seen[s.ID] == 0 {
			add(0, "the template has no %s section (## … {#%s}); every notice needs all five: %s", s.ID, s.ID, strings.Join(sectionIDs(), ", "))
		}
	}
	return out
}
