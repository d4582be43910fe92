package notice

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/law"
)

// Options adjust a Renderer.
type Options struct {
	// Now is the clock (Date headers, the notice date); time.Now when nil.
	Now func() time.Time
	// Registry is the law; the embedded rules when nil.
	Registry *law.Registry
	// Draft renders without a valid approval, for previews and proofs:
	// never for delivery.
	Draft bool
}

// Renderer renders an incident's approved notices, one per person: MIME
// e-mail (text and HTML) and PDF letters. Create one per incident (and
// process), then call Email or Letters from as many goroutines as needed.
type Renderer struct {
	store Store
	ctx   context.Context
	facts *Facts
	lib   *library
	reg   *law.Registry
	now   func() time.Time
	draft bool
	// mark stamps output as a draft: set for drafts without a matching
	// approval.
	mark     bool
	ref      *Referencer
	approval *breach.NoticeApproval
	digest   Digest

	templates map[string]*Template
	locales   []string
	from      string
	replyTo   string
	boundary  string
	msgTag    string

	mu       sync.RWMutex
	variants map[variantKey]*variant

	codesMu sync.Mutex
	codes   map[int64]breach.RemedyCodes

	date atomic.Pointer[dateStamp]
}

type dateStamp struct {
	unix int64
	s    string
}

// maxCachedCodes bounds the prefetched codes kept in memory.
const maxCachedCodes = 1 << 20

// NewRenderer prepares the rendering of an incident's notices. Unless
// opts.Draft is set, it verifies that the notices are approved and that
// the approval's hash still matches the templates, the incident facts and
// the rules: ECONFLICT when anything changed since (approve again), and
// ENOTFOUND when there is no approval. ctx is also used for the code
// lookups the renderer makes on its own (see Prefetch).
func NewRenderer(ctx context.Context, s Store, incidentID int64, opts Options) (*Renderer, error) {
	r := &Renderer{store: s, ctx: ctx, now: opts.Now, draft: opts.Draft, reg: opts.Registry,
		variants: map[variantKey]*variant{}, codes: map[int64]breach.RemedyCodes{}}
	if r.now == nil {
		r.now = time.Now
	}
	var err error
	if r.reg == nil {
		if r.reg, err = law.Load(); err != nil {
			return nil, err
		}
	}
	if r.lib, err = loadLibrary(); err != nil {
		return nil, err
	}
	if r.facts, err = LoadFacts(ctx, s, incidentID); err != nil {
		return nil, err
	}
	tpls, err := s.NoticeTemplates(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if len(tpls) == 0 {
		return nil, breach.Errorf(breach.ENOTFOUND, "incident %d has no drafted notice: run `candor notice draft --incident %d`", incidentID, incidentID)
	}
	r.templates = map[string]*Template{}
	for _, t := range tpls {
		pt, err := Parse(templateName(t.Locale), t.Source)
		if err != nil {
			return nil, err
		}
		r.templates[t.Locale] = pt
		r.locales = append(r.locales, t.Locale)
	}
	sort.Strings(r.locales)
	if r.digest, err = computeDigest(tpls, r.lib, r.facts); err != nil {
		return nil, err
	}
	a, err := s.LatestNoticeApproval(ctx, incidentID)
	switch {
	case r.draft && err == nil && r.digest.mismatch(a) == "":
		r.approval = a
	case r.draft && (err == nil || breach.ErrorCode(err) == breach.ENOTFOUND):
		r.mark = true
	case err != nil:
		return nil, err
	default:
		if why := r.digest.mismatch(a); why != "" {
			return nil, breach.Errorf(breach.ECONFLICT, "incident %d: the approval by %s on %s no longer matches: %s. Nothing was rendered; review and run `candor notice approve` again",
				incidentID, a.ApprovedBy, a.ApprovedAt.Format(time.DateOnly), why)
		}
		r.approval = a
	}
	if probs := r.facts.factProblems(); len(probs) > 0 && !r.draft {
		return nil, breach.Errorf(breach.EINVALID, "incident %d: %s", incidentID, strings.Join(probs, "; "))
	}
	r.from, r.replyTo = formatOrgAddress(r.facts.Org.SenderAddress), formatOrgAddress(r.facts.Org.SupportEmail)
	r.boundary = "=_candor_" + r.digest.Hash[:16]
	r.msgTag = r.digest.Hash[:10]
	settings := r.facts.Settings
	r.ref = NewReferencer(incidentID, settings.Secret)
	return r, nil
}

// formatOrgAddress re-formats an address header value, or returns it as
// given when it does not parse (validated elsewhere).
func formatOrgAddress(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return s
	}
	return a.String()
}

func templateName(locale string) string { return "notice." + locale + ".md" }

// Approval returns the approval the renderer verified (nil for drafts
// without a matching approval).
func (r *Renderer) Approval() *breach.NoticeApproval { return r.approval }

// Facts returns the facts the notices are built from.
func (r *Renderer) Facts() *Facts { return r.facts }

// Reference returns a person's reference code.
func (r *Renderer) Reference(p *breach.Person) string { return r.ref.Code(p.ID) }

// Referencer returns the incident's referencer.
func (r *Renderer) Referencer() *Referencer { return r.ref }

// localeFor picks the drafted template for a person: their language when
// it was drafted, else English, else the first drafted.
func (r *Renderer) localeFor(p *breach.Person) string {
	if l := baseLocale(p.Locale); l != "" {
		if _, ok := r.templates[l]; ok {
			return l
		}
	}
	if _, ok := r.templates["en"]; ok {
		return "en"
	}
	return r.locales[0]
}

// variant returns the compiled variant for a group and locale, compiling
// it on first use.
func (r *Renderer) variant(j breach.Jurisdiction, e breach.ElementSet, locale string) (*variant, error) {
	key := variantKey{j, e, locale}
	r.mu.RLock()
	v := r.variants[key]
	r.mu.RUnlock()
	if v != nil {
		return v, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if v := r.variants[key]; v != nil {
		return v, nil
	}
	g := breach.StatGroup{Jurisdiction: j, Elements: e}
	if r.facts.Stats != nil {
		for _, sg := range r.facts.Stats.Groups {
			if sg.Jurisdiction == j && sg.Elements == e {
				g.Count = sg.Count
			}
		}
	}
	req, err := requirements(r.reg, r.facts, g, r.now())
	if err != nil {
		return nil, err
	}
	v = compile(r.templates[locale], r.facts, r.lib, g, req, r.now())
	v.mime = buildMIME(v, r.from, r.replyTo, r.boundary)
	r.variants[key] = v
	return v, nil
}

// Prefetch loads the identity-protection and offer codes of people in one
// query, so that Email and Letters need none. Call it once per batch
// before rendering the batch; people not prefetched are looked up one by
// one.
func (r *Renderer) Prefetch(ctx context.Context, people []*breach.Person) error {
	if r.facts.IDP == nil && r.facts.Offer == nil {
		return nil
	}
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.ID
	}
	codes, err := r.store.RemedyCodes(ctx, r.facts.Incident.ID, ids)
	if err != nil {
		return err
	}
	r.codesMu.Lock()
	defer r.codesMu.Unlock()
	if len(r.codes)+len(ids) > maxCachedCodes {
		r.codes = make(map[int64]breach.RemedyCodes, len(ids))
	}
	for _, id := range ids {
		r.codes[id] = codes[id] // absent people are cached as having none
	}
	return nil
}

func (r *Renderer) codesFor(p *breach.Person) (breach.RemedyCodes, error) {
	r.codesMu.Lock()
	c, ok := r.codes[p.ID]
	r.codesMu.Unlock()
	if ok {
		return c, nil
	}
	m, err := r.store.RemedyCodes(r.ctx, r.facts.Incident.ID, []int64{p.ID})
	if err != nil {
		return c, err
	}
	return m[p.ID], nil
}

// values gathers a person's values and checks their codes.
func (r *Renderer) values(p *breach.Person, v *variant) (*personVals, error) {
	pv := &personVals{first: p.FirstName, last: p.LastName, ref: r.ref.Code(p.ID)}
	pv.name = p.Name()
	if pv.name == "" {
		pv.name = fmt.Sprintf(v.lang.customer, r.facts.brand())
	}
	if pv.first == "" {
		pv.first = pv.name
	}
	if v.usesIDP || v.usesOffer {
		codes, err := r.codesFor(p)
		if err != nil {
			return nil, err
		}
		pv.idp, pv.offer = codes.IDP, codes.Offer
		if v.usesIDP && pv.idp == "" {
			return nil, breach.Errorf(breach.ECONFLICT, "person %s has no identity-protection code: run `candor remedy assign --kind idp`", personLabel(p))
		}
		if v.usesOffer && pv.offer == "" {
			return nil, breach.Errorf(breach.ECONFLICT, "person %s has no offer code: run `candor remedy assign --kind offer`", personLabel(p))
		}
	}
	return pv, nil
}

func personLabel(p *breach.Person) string {
	if p.ExternalID != "" {
		return p.ExternalID
	}
	return "#" + strconv.FormatInt(p.ID, 10)
}

// personVariant returns the person's compiled variant, refusing variants
// with problems unless drafting.
func (r *Renderer) personVariant(p *breach.Person) (*variant, error) {
	if p.IncidentID != 0 && p.IncidentID != r.facts.Incident.ID {
		return nil, breach.Errorf(breach.EINVALID, "person %s belongs to incident %d, not %d", personLabel(p), p.IncidentID, r.facts.Incident.ID)
	}
	v, err := r.variant(p.Jurisdiction, p.Elements, r.localeFor(p))
	if err != nil {
		return nil, err
	}
	if len(v.problems) > 0 && !r.draft {
		return nil, breach.Errorf(breach.EINVALID, "the notice for %s cannot be rendered: %s", groupLabel(breach.StatGroup{Jurisdiction: p.Jurisdiction, Elements: p.Elements}), v.problems[0])
	}
	return v, nil
}

// Email renders a person's notice as a MIME message (multipart/
// alternative: plain text and HTML, both quoted-printable, CRLF line
// ends), appending to buf[:0] so that a caller can reuse one buffer. It
// returns the message and its Message-ID (deterministic for the person and
// the approval, on the organisation's domain). EINVALID when the person
// has no e-mail address; ECONFLICT when a code they need is not assigned.
func (r *Renderer) Email(p *breach.Person, buf []byte) ([]byte, string, error) {
	if p.Email == "" {
		return buf, "", breach.Errorf(breach.EINVALID, "person %s has no e-mail address", personLabel(p))
	}
	if strings.ContainsAny(p.Email, "\r\n<>\"") || strings.ContainsAny(p.Name(), "\r\n") {
		return buf, "", breach.Errorf(breach.EINVALID, "person %s: e-mail address or name has characters not allowed in a header", personLabel(p))
	}
	v, err := r.personVariant(p)
	if err != nil {
		return buf, "", err
	}
	pv, err := r.values(p, v)
	if err != nil {
		return buf, "", err
	}
	mp := v.mime
	msgID := "<" + pv.ref + "." + r.msgTag + "@" + r.facts.Org.PrimaryDomain + ">"

	b := buf[:0]
	b = append(b, mp.head...)
	b = append(b, "To: "...)
	b = appendAddress(b, p.Name(), p.Email)
	b = append(b, "\r\nDate: "...)
	b = append(b, r.dateHeader()...)
	b = append(b, "\r\nMessage-ID: "...)
	b = append(b, msgID...)
	b = append(b, "\r\nX-Candor-Reference: "...)
	b = append(b, pv.ref...)
	b = append(b, "\r\n"...)
	b = append(b, mp.textStart...)
	var scratch [1024]byte
	for _, blk := range v.blocks {
		if !blk.dynamic {
			b = append(b, blk.txt...)
			continue
		}
		b = appendQP(b, appendText(scratch[:0], blk, pv))
	}
	if r.mark {
		b = appendQP(b, []byte("["+v.lang.draftMark+"]\n"))
	}
	b = append(b, mp.htmlStart...)
	for _, blk := range v.blocks {
		if !blk.dynamic {
			b = append(b, blk.htm...)
			continue
		}
		b = appendQP(b, appendHTML(scratch[:0], blk, pv))
	}
	b = append(b, mp.htmlEnd...)
	b = append(b, mp.end...)
	return b, msgID, nil
}

// appendAddress appends a "Name" <addr> header value, RFC 2047-encoding
// a name that is not plain ASCII.
func appendAddress(b []byte, name, addr string) []byte {
	if name == "" {
		return append(b, addr...)
	}
	plain := true
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, "\" <"...)
		b = append(b, addr...)
		return append(b, '>')
	}
	return append(b, (&mail.Address{Name: name, Address: addr}).String()...)
}

// dateHeader formats the clock's time as an RFC 5322 date, once a second.
func (r *Renderer) dateHeader() string {
	t := r.now()
	sec := t.Unix()
	if d := r.date.Load(); d != nil && d.unix == sec {
		return d.s
	}
	d := &dateStamp{unix: sec, s: t.Format(time.RFC1123Z)}
	r.date.Store(d)
	return d.s
}

// Text renders a person's notice as plain text (what the text part of the
// e-mail holds, decoded).
func (r *Renderer) Text(p *breach.Person) ([]byte, error) {
	v, err := r.personVariant(p)
	if err != nil {
		return nil, err
	}
	pv, err := r.values(p, v)
	if err != nil {
		return nil, err
	}
	b := []byte(textTitle(v.title))
	if r.mark {
		b = append(b, "["+v.lang.draftMark+"]\n\n"...)
	}
	for _, blk := range v.blocks {
		b = appendText(b, blk, pv)
	}
	return b, nil
}

// HTML renders a person's notice as an HTML document (the HTML part of the
// e-mail, decoded).
func (r *Renderer) HTML(p *breach.Person) ([]byte, error) {
	v, err := r.personVariant(p)
	if err != nil {
		return nil, err
	}
	pv, err := r.values(p, v)
	if err != nil {
		return nil, err
	}
	b := htmlHead(v.lang.code, v.title)
	if r.mark {
		b = append(b, "<p><strong>["+v.lang.draftMark+"]</strong></p>\n"...)
	}
	for _, blk := range v.blocks {
		b = appendHTML(b, blk, pv)
	}
	return append(b, htmlFoot...), nil
}

// Subject returns the subject line of a person's notice.
func (r *Renderer) Subject(p *breach.Person) (string, error) {
	v, err := r.personVariant(p)
	if err != nil {
		return "", err
	}
	return v.subject, nil
}

// Digest is the hash an approval pins, with its parts.
type Digest struct {
	Hash         string
	TemplateHash string
	FactsHash    string
	RulesVersion string
}

// computeDigest hashes the current templates (with Candor's inserts), the
// facts and the rules.
func computeDigest(tpls []*breach.NoticeTemplate, lib *library, f *Facts) (Digest, error) {
	var d Digest
	rv, err := RulesVersion()
	if err != nil {
		return d, err
	}
	h := sha256.New()
	sorted := append([]*breach.NoticeTemplate(nil), tpls...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Locale < sorted[j].Locale })
	for _, t := range sorted {
		fmt.Fprintf(h, "%s\x00%s\x00", t.Locale, breach.SourceHash(t.Source))
	}
	fmt.Fprintf(h, "inserts\x00%s", lib.version)
	d.TemplateHash = hex.EncodeToString(h.Sum(nil))
	d.FactsHash = f.Hash()
	d.RulesVersion = rv
	all := sha256.Sum256([]byte(d.TemplateHash + "|" + d.FactsHash + "|" + d.RulesVersion))
	d.Hash = hex.EncodeToString(all[:])
	return d, nil
}

// mismatch explains how an approval differs from the digest, or "".
func (d Digest) mismatch(a *breach.NoticeApproval) string {
	if a.Hash == d.Hash {
		return ""
	}
	var why []string
	if a.TemplateHash != d.TemplateHash {
		why = append(why, "the template changed")
	}
	if a.FactsHash != d.FactsHash {
		why = append(why, "the incident facts, organisation, remedies or recipients changed")
	}
	if a.RulesVersion != d.RulesVersion {
		why = append(why, "the law rules changed")
	}
	if len(why) == 0 {
		why = append(why, "the hash differs")
	}
	return strings.Join(why, "; ")
}
