package breach

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// NoticeTemplate is one drafted version of an incident's notice in one
// language: Markdown with named placeholders, organised in the standard
// sections. The latest version per locale is the current draft.
type NoticeTemplate struct {
	ID         int64  `json:"id"`
	IncidentID int64  `json:"incident_id"`
	Locale     string `json:"locale"`
	Version    int    `json:"version"`
	// Source is the template text as drafted.
	Source string `json:"source"`
	// SHA256 is the hex digest of Source.
	SHA256    string    `json:"sha256"`
	DraftedBy string    `json:"drafted_by"`
	DraftedAt time.Time `json:"drafted_at"`
}

// SourceHash returns the hex SHA-256 of a template source.
func SourceHash(source string) string {
	sum := sha256.Sum256([]byte(source))
	return hex.EncodeToString(sum[:])
}

// NoticeSettings are the incident facts a notice needs beyond the
// incident record: who signs it and what the organisation is doing.
type NoticeSettings struct {
	IncidentID int64 `json:"incident_id"`
	// SignerName and SignerTitle name the person who signs the notice: a
	// real, accountable person, not "The Team".
	SignerName  string `json:"signer_name"`
	SignerTitle string `json:"signer_title"`
	// Steps are the concrete measures taken or under way, one sentence each.
	Steps []string `json:"steps"`
	// Secret keys the per-person reference codes; it is created on first
	// use and never shown.
	Secret    []byte    `json:"-"`
	UpdatedAt time.Time `json:"updated_at"`
}

// NoticeApproval records who approved an incident's notices and the hash
// of everything that determines their text. Rendering for delivery
// refuses when the hash no longer matches.
type NoticeApproval struct {
	ID         int64  `json:"id"`
	IncidentID int64  `json:"incident_id"`
	ApprovedBy string `json:"approved_by"`
	// Hash is the SHA-256 over the parts below.
	Hash string `json:"hash"`
	// TemplateHash covers the current template of every locale.
	TemplateHash string `json:"template_hash"`
	// FactsHash covers the incident, the organisation, the notice settings,
	// the remedy programmes and the recipient groups.
	FactsHash string `json:"facts_hash"`
	// RulesVersion is a digest of the embedded law rule files.
	RulesVersion string    `json:"rules_version"`
	ApprovedAt   time.Time `json:"approved_at"`
}

// Remedy kinds.
const (
	// RemedyIDP is a paid identity-protection plan with an enrolment code.
	RemedyIDP = "idp"
	// RemedyOffer is a loyalty gesture with a personal offer code.
	RemedyOffer = "offer"
)

// ValidRemedyKind reports whether kind is idp or offer.
func ValidRemedyKind(kind string) bool { return kind == RemedyIDP || kind == RemedyOffer }

// RemedyProgram describes what an incident offers the people affected: an
// identity-protection plan or a loyalty gesture.
type RemedyProgram struct {
	IncidentID int64  `json:"incident_id"`
	Kind       string `json:"kind"`
	// Provider names the identity-protection service ("Aura", "IDX").
	Provider string `json:"provider,omitempty"`
	// Months is the length of the identity-protection plan.
	Months int `json:"months,omitempty"`
	// Description is the offer in plain words ("a $25 store credit").
	Description string `json:"description,omitempty"`
	// URL is where to enrol or redeem; it must be on the organisation's
	// own domains.
	URL string `json:"url"`
	// Deadline is the enrol-by or redeem-by date (a calendar date).
	Deadline  string    `json:"deadline,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the programme's fields.
func (p *RemedyProgram) Validate() error {
	if !ValidRemedyKind(p.Kind) {
		return Errorf(EINVALID, "remedy: kind %q is not idp or offer", p.Kind)
	}
	if p.Kind == RemedyIDP {
		if strings.TrimSpace(p.Provider) == "" {
			return Errorf(EINVALID, "remedy: an identity-protection plan needs a provider")
		}
		if p.Months < 12 {
			return Errorf(EINVALID, "remedy: an identity-protection plan needs at least 12 months (got %d)", p.Months)
		}
	}
	if p.Kind == RemedyOffer && strings.TrimSpace(p.Description) == "" {
		return Errorf(EINVALID, "remedy: an offer needs a description")
	}
	if !strings.HasPrefix(p.URL, "https://") {
		return Errorf(EINVALID, "remedy: URL %q must start with https://", p.URL)
	}
	if p.Deadline != "" {
		if _, err := time.Parse(time.DateOnly, p.Deadline); err != nil {
			return Errorf(EINVALID, "remedy: deadline %q is not a date such as 2027-03-31", p.Deadline)
		}
	}
	return nil
}

// RemedyCodes are the codes assigned to one person.
type RemedyCodes struct {
	IDP   string `json:"idp,omitempty"`
	Offer string `json:"offer,omitempty"`
}

// RemedyPoolStats counts the codes of one kind for an incident.
type RemedyPoolStats struct {
	Kind     string `json:"kind"`
	Total    int64  `json:"total"`
	Assigned int64  `json:"assigned"`
	// Unassigned people are those of the incident without a code of this
	// kind.
	PeopleWithout int64 `json:"people_without"`
}

// AuditEntry is one event of the append-only, hash-chained audit log.
// Hash = SHA-256(PrevHash + the entry's canonical form).
type AuditEntry struct {
	// Seq numbers entries 1, 2, 3… without gaps; a gap means a deleted row.
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	IncidentID int64     `json:"incident_id,omitempty"`
	Subject    string    `json:"subject,omitempty"`
	// Detail is a JSON object with the event's facts.
	Detail   json.RawMessage `json:"detail,omitempty"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// Canonical returns the bytes the entry's hash covers: its fields in a
// fixed order, the time in UTC with nanoseconds and the detail exactly as
// stored.
func (e *AuditEntry) Canonical() []byte {
	var b []byte
	b = strconv.AppendInt(b, e.Seq, 10)
	b = append(b, '|')
	b = append(b, e.At.UTC().Format(time.RFC3339Nano)...)
	for _, s := range []string{e.Actor, e.Action, strconv.FormatInt(e.IncidentID, 10), e.Subject} {
		b = append(b, '|')
		b = strconv.AppendQuote(b, s)
	}
	b = append(b, '|')
	return append(b, e.Detail...)
}

// ComputeHash returns SHA-256(prev + canonical entry) in hex.
func (e *AuditEntry) ComputeHash(prev string) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write(e.Canonical())
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	IncidentID int64
	// AfterSeq selects entries with Seq > AfterSeq (keyset pagination).
	AfterSeq int64
	Limit    int
}

// NoticeStore keeps notice templates, settings and approvals.
type NoticeStore interface {
	// SaveNoticeTemplate stores t as the next version of its incident's
	// template in t.Locale, setting ID, Version, SHA256 and DraftedAt, and
	// appends an audit entry. ENOTFOUND when the incident does not exist.
	SaveNoticeTemplate(ctx context.Context, t *NoticeTemplate) error
	// NoticeTemplates returns the current (latest) template of each locale,
	// sorted by locale; an empty slice when none was drafted.
	NoticeTemplates(ctx context.Context, incidentID int64) ([]*NoticeTemplate, error)
	// NoticeSettings returns the incident's notice settings, creating them
	// (with a fresh reference secret) on first use. ENOTFOUND when the
	// incident does not exist.
	NoticeSettings(ctx context.Context, incidentID int64) (*NoticeSettings, error)
	// SetNoticeSettings stores the signer and steps (the secret is kept).
	SetNoticeSettings(ctx context.Context, s *NoticeSettings) error
	// CreateNoticeApproval stores a, setting ID and ApprovedAt, and appends
	// the audit entry e in the same transaction.
	CreateNoticeApproval(ctx context.Context, a *NoticeApproval, e *AuditEntry) error
	// LatestNoticeApproval returns the incident's most recent approval, or
	// ENOTFOUND when there is none.
	LatestNoticeApproval(ctx context.Context, incidentID int64) (*NoticeApproval, error)
	// NoticeSamples returns one person (the lowest ID) of each
	// jurisdiction × element set of the incident, for proofs.
	NoticeSamples(ctx context.Context, incidentID int64) ([]*Person, error)
}

// RemedyStore keeps identity-protection and offer programmes and their
// code pools.
type RemedyStore interface {
	// SetRemedyProgram validates and stores p, replacing the incident's
	// programme of the same kind, and appends an audit entry. ENOTFOUND
	// when the incident does not exist.
	SetRemedyProgram(ctx context.Context, p *RemedyProgram, actor string) error
	// RemedyPrograms returns the incident's programmes, idp before offer.
	RemedyPrograms(ctx context.Context, incidentID int64) ([]*RemedyProgram, error)
	// ImportRemedyCodes adds codes to the incident's pool of kind; codes
	// already in the pool are counted as duplicates and skipped. It appends
	// an audit entry.
	ImportRemedyCodes(ctx context.Context, incidentID int64, kind string, codes []string, actor string) (added, duplicates int64, err error)
	// AssignRemedyCodes gives one free code of kind to every person of the
	// incident who has none, in person ID order, and returns how many were
	// assigned. ECONFLICT, assigning nothing, when the pool is too small.
	AssignRemedyCodes(ctx context.Context, incidentID int64, kind string, actor string) (int64, error)
	// RemedyCodes returns the codes assigned to the given people; people
	// without codes are absent from the map.
	RemedyCodes(ctx context.Context, incidentID int64, personIDs []int64) (map[int64]RemedyCodes, error)
	// RemedyPoolStats counts the pool of kind.
	RemedyPoolStats(ctx context.Context, incidentID int64, kind string) (*RemedyPoolStats, error)
}

// AuditStore keeps the append-only, hash-chained audit log.
type AuditStore interface {
	// AppendAudit sets e's Seq, At (when zero), PrevHash and Hash and
	// stores it after the last entry, serialised with other writers.
	AppendAudit(ctx context.Context, e *AuditEntry) error
	// FindAudit returns entries matching filter in Seq order, at most
	// filter.Limit (no limit when 0).
	FindAudit(ctx context.Context, filter AuditFilter) ([]*AuditEntry, error)
	// AuditHead returns the sequence number and hash the log records as its
	// last entry (0 and "" for an empty log), kept apart from the entries
	// so that deleting the newest rows is detected too.
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
}
