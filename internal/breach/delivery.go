package breach

import (
	"context"
	"strings"
	"time"
)

// Channel is how a notice reaches a person.
type Channel string

// Channels.
const (
	ChannelEmail  Channel = "email"
	ChannelLetter Channel = "letter"
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return c == ChannelEmail || c == ChannelLetter }

// ParseChannel parses "email" or "letter"; "" is the zero channel (any).
func ParseChannel(s string) (Channel, error) {
	c := Channel(strings.ToLower(strings.TrimSpace(s)))
	if c == "" || c.Valid() {
		return c, nil
	}
	return "", Errorf(EINVALID, "channel %q is not email or letter", s)
}

// DeliveryState is where one delivery is in its life.
//
//	queued → sending → sent
//	   ↑        ↓
//	deferred ←──┤ (4xx: retried after a backoff)
//	            ├→ failed (5xx, or too many attempts)
//	            └→ bounced (a DSN arrived after it was sent)
//	queued/deferred → cancelled
//
// A letter is sending from the moment it is printed into a batch for the
// mail house until the vendor's file says it was mailed (sent).
type DeliveryState string

// Delivery states.
const (
	DeliveryQueued    DeliveryState = "queued"
	DeliverySending   DeliveryState = "sending"
	DeliverySent      DeliveryState = "sent"
	DeliveryDeferred  DeliveryState = "deferred"
	DeliveryBounced   DeliveryState = "bounced"
	DeliveryFailed    DeliveryState = "failed"
	DeliveryCancelled DeliveryState = "cancelled"
)

// DeliveryStates lists every state in life order.
func DeliveryStates() []DeliveryState {
	return []DeliveryState{DeliveryQueued, DeliverySending, DeliverySent, DeliveryDeferred, DeliveryBounced,
		DeliveryFailed, DeliveryCancelled}
}

// Valid reports whether s is a known state.
func (s DeliveryState) Valid() bool {
	for _, v := range DeliveryStates() {
		if v == s {
			return true
		}
	}
	return false
}

// Final reports whether nothing more will be attempted in state s.
func (s DeliveryState) Final() bool {
	return s == DeliverySent || s == DeliveryBounced || s == DeliveryFailed || s == DeliveryCancelled
}

// CampaignStatus is whether a campaign's deliveries may be sent.
type CampaignStatus string

// Campaign statuses. Workers claim only from active campaigns; a paused one
// keeps its queue, a cancelled one has its unsent deliveries cancelled.
const (
	CampaignActive    CampaignStatus = "active"
	CampaignPaused    CampaignStatus = "paused"
	CampaignCancelled CampaignStatus = "cancelled"
)

// DefaultCampaign is the name of an incident's first notice campaign.
const DefaultCampaign = "initial"

// Campaign is one round of notices for an incident ("initial", "update-1"):
// every affected person gets at most one delivery per channel in it.
type Campaign struct {
	ID         int64          `json:"id"`
	IncidentID int64          `json:"incident_id"`
	Name       string         `json:"name"`
	Status     CampaignStatus `json:"status"`
	// Approval identifies the notice approval the campaign was enqueued
	// under (its id and content hash).
	Approval string `json:"approval"`
	// StatusReason says why the campaign was last paused or cancelled.
	StatusReason string    `json:"status_reason,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate checks the campaign's fields.
func (c *Campaign) Validate() error {
	if c.IncidentID <= 0 {
		return Errorf(EINVALID, "campaign: incident required")
	}
	if !validCampaignName(c.Name) {
		return Errorf(EINVALID, "campaign: name %q must be 1–64 letters, digits, '-' or '_'", c.Name)
	}
	switch c.Status {
	case CampaignActive, CampaignPaused, CampaignCancelled:
	default:
		return Errorf(EINVALID, "campaign: status %q is not active, paused or cancelled", c.Status)
	}
	if strings.TrimSpace(c.Approval) == "" {
		return Errorf(EINVALID, "campaign %q: no notice approval; approve the notice before sending", c.Name)
	}
	return nil
}

func validCampaignName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Delivery is one notice to one person through one channel in one
// campaign, and everything that happened to it: the proof of notice.
type Delivery struct {
	ID         int64         `json:"id"`
	CampaignID int64         `json:"campaign_id"`
	IncidentID int64         `json:"incident_id"`
	PersonID   int64         `json:"person_id"`
	ExternalID string        `json:"external_id,omitempty"`
	Channel    Channel       `json:"channel"`
	State      DeliveryState `json:"state"`
	// Recipient is the e-mail address, or the one-line postal address, the
	// notice went to, as it stood when the delivery was queued.
	Recipient string `json:"recipient"`
	// Attempts counts the times sending started (SMTP transactions, or
	// letters printed).
	Attempts int `json:"attempts"`
	// Sends counts the times a server accepted the message. More than one
	// means the person got it more than once.
	Sends int `json:"sends"`
	// InFlightRecoveries counts the times the delivery was found in flight
	// after a worker died (or a connection dropped after the message was
	// handed over) and was sent again: each is a possible duplicate.
	InFlightRecoveries int `json:"in_flight_recoveries"`
	// Claims counts the times a worker leased the delivery.
	Claims int `json:"claims"`
	// MessageID is the Message-ID header of the e-mail; BodySHA256 the hash
	// of the exact bytes sent (or of the printed letter).
	MessageID  string `json:"message_id,omitempty"`
	BodySHA256 string `json:"body_sha256,omitempty"`
	// Reply is the server's last reply ("250 2.0.0 Ok: queued as …"), or a
	// bounce's status and diagnostic.
	Reply     string `json:"reply,omitempty"`
	LastError string `json:"last_error,omitempty"`
	// NextAttemptAt is when the delivery may next be claimed: the retry time
	// of a deferred delivery, or the end of a worker's lease.
	NextAttemptAt time.Time `json:"next_attempt_at"`
	// LeaseOwner is the worker holding the delivery, if any.
	LeaseOwner string `json:"lease_owner,omitempty"`
	// PrintBatch names the letter batch a letter was printed in.
	PrintBatch string `json:"print_batch,omitempty"`
	// FallbackOf is the e-mail delivery whose bounce queued this letter.
	FallbackOf int64      `json:"fallback_of,omitempty"`
	QueuedAt   time.Time  `json:"queued_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	SentAt     *time.Time `json:"sent_at,omitempty"`
	BouncedAt  *time.Time `json:"bounced_at,omitempty"`

	// Person is filled by claims, so a worker renders without another query.
	Person *Person `json:"-"`
}

// PossibleDuplicate reports whether the person may have received the
// notice more than once.
func (d *Delivery) PossibleDuplicate() bool { return d.Sends > 1 || d.InFlightRecoveries > 0 }

// LetterRecipient is the person's name and postal address on one line, as
// letter deliveries record it: "Pat Doe, 1 Elm St, Austin TX 78701, US".
func LetterRecipient(p *Person) string {
	a := p.Address
	parts := []string{p.Name(), a.Line1, a.Line2, a.City + " " + a.Region + " " + a.PostalCode, a.Country}
	out := make([]string, 0, len(parts))
	for _, s := range parts {
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

// DeliveryEvent is one entry of a delivery's ledger beyond its current
// state: a deferral with the server's reply, a recovery after a crash, a
// bounce, a mailing date.
type DeliveryEvent struct {
	ID         int64         `json:"id"`
	DeliveryID int64         `json:"delivery_id"`
	At         time.Time     `json:"at"`
	Kind       string        `json:"kind"`
	State      DeliveryState `json:"state"`
	Detail     string        `json:"detail"`
}

// Delivery event kinds.
const (
	EventQueued    = "queued"
	EventDeferred  = "deferred"
	EventFailed    = "failed"
	EventRecovered = "recovered"
	EventUncertain = "uncertain"
	EventBounced   = "bounced"
	EventDelayed   = "delayed"
	EventPrinted   = "printed"
	EventMailed    = "mailed"
	EventCancelled = "cancelled"
	EventFallback  = "fallback"
)

// ClaimRequest asks for a batch of deliveries to send.
type ClaimRequest struct {
	// Owner names the worker (host, process and a random part).
	Owner   string
	Channel Channel
	Limit   int
	// Lease is how long the claim holds: a worker that dies releases its
	// deliveries when it ends.
	Lease time.Duration
	// CampaignID limits the claim to one campaign when set.
	CampaignID int64
}

// DeliveryResult is the outcome of one send attempt, recorded by a worker.
type DeliveryResult struct {
	ID    int64
	State DeliveryState // sent, deferred, failed, or queued to release
	// Reply is the server's reply; Error what went wrong.
	Reply      string
	Error      string
	MessageID  string
	BodySHA256 string
	// NextAttemptAt is when a deferred delivery may be tried again.
	NextAttemptAt time.Time
	// Uncertain is set when the connection failed after the message was
	// handed to the server, so it may have been delivered already.
	Uncertain bool
}

// PrintedLetter is one letter rendered into a print batch.
type PrintedLetter struct {
	ID int64
	// BodySHA256 is the hash of the letter's rendered text.
	BodySHA256 string
}

// DeliveryFilter selects deliveries.
type DeliveryFilter struct {
	IncidentID int64
	CampaignID int64
	PersonID   int64
	Channel    Channel
	State      DeliveryState
	MessageID  string
	Recipient  string
	PrintBatch string
	// PossibleDuplicates selects deliveries sent more than once or
	// recovered in flight.
	PossibleDuplicates bool
	AfterID            int64 // keyset pagination
	Limit              int   // default 100
}

// DeliveryStats counts a campaign's deliveries.
type DeliveryStats struct {
	// States counts deliveries per state, every state present.
	States map[DeliveryState]int64 `json:"states"`
	// Channels counts deliveries per channel and state.
	Channels map[Channel]map[DeliveryState]int64 `json:"channels"`
	Total    int64                               `json:"total"`
	// PossibleDuplicates counts deliveries that may have reached their
	// person more than once.
	PossibleDuplicates int64 `json:"possible_duplicates"`
}

// EnqueueRequest asks for one delivery per reachable person of an
// incident.
type EnqueueRequest struct {
	CampaignID int64
	IncidentID int64
	// Channel restricts the deliveries to one channel; "" chooses e-mail
	// when the person has an address, else a letter when the postal address
	// is mailable.
	Channel Channel
	// DryRun counts without writing.
	DryRun bool
}

// EnqueueResult counts what an enqueue did (or would do).
type EnqueueResult struct {
	Email  int64 `json:"email"`
	Letter int64 `json:"letter"`
	// Already counts people who already had a delivery on that channel in
	// the campaign (a re-run adds nothing).
	Already int64 `json:"already"`
	// Skipped counts people not enqueued, by reason: no_contact, deceased,
	// unreachable (no usable address for the channel).
	NoContact   int64 `json:"no_contact"`
	Deceased    int64 `json:"deceased"`
	Unreachable int64 `json:"unreachable"`
}

// OutboxStore keeps campaigns and their deliveries, and hands deliveries
// to workers in leased batches.
type OutboxStore interface {
	// CreateCampaign validates and stores c. When the incident already has
	// a campaign of that name it records c's approval on it and returns it
	// (EINVALID when that campaign was cancelled). ENOTFOUND when the
	// incident does not exist.
	CreateCampaign(ctx context.Context, c *Campaign) (*Campaign, error)
	// FindCampaign returns the incident's campaign by name, or ENOTFOUND.
	FindCampaign(ctx context.Context, incidentID int64, name string) (*Campaign, error)
	// FindCampaignByID returns the campaign, or ENOTFOUND.
	FindCampaignByID(ctx context.Context, id int64) (*Campaign, error)
	// FindCampaigns returns the incident's campaigns, oldest first.
	FindCampaigns(ctx context.Context, incidentID int64) ([]*Campaign, error)
	// SetCampaignStatus pauses, resumes or cancels a campaign; cancelling
	// also cancels its queued and deferred deliveries. EINVALID for a
	// cancelled campaign, ENOTFOUND for a missing one.
	SetCampaignStatus(ctx context.Context, id int64, status CampaignStatus, reason string) (*Campaign, error)

	// EnqueueDeliveries adds one delivery per reachable person of the
	// request's incident who has none on that channel in the campaign,
	// skipping people flagged no-contact or deceased. It streams in
	// chunks, so it runs in constant memory and may be re-run.
	EnqueueDeliveries(ctx context.Context, req EnqueueRequest) (*EnqueueResult, error)
	// AddDelivery adds one delivery (a fallback letter); ECONFLICT when the
	// person already has one on that channel in the campaign.
	AddDelivery(ctx context.Context, d *Delivery) error

	// ClaimDeliveries leases up to req.Limit claimable deliveries (queued
	// or deferred and due, of active campaigns) to req.Owner, with their
	// people. Deliveries left sending by a worker whose lease ran out were
	// in flight when it died: they are queued again first, each recorded
	// as a possible duplicate. No delivery is leased to two workers at once.
	ClaimDeliveries(ctx context.Context, req ClaimRequest) ([]*Delivery, error)
	// ExtendLease moves the lease of owner's deliveries among ids to until.
	ExtendLease(ctx context.Context, owner string, ids []int64, until time.Time) error
	// UpdateDeliveries records results and then marks the deliveries in
	// sending as being sent, in one transaction (a worker's group commit).
	// A delivery is marked only while owner holds it and its campaign is
	// active; the ids marked are returned. Results are recorded whoever
	// holds the delivery: a message the server accepted was sent.
	UpdateDeliveries(ctx context.Context, owner string, results []DeliveryResult, sending []int64) ([]int64, error)

	// FindDeliveries returns deliveries matching filter in ID order.
	FindDeliveries(ctx context.Context, filter DeliveryFilter) ([]*Delivery, error)
	// DeliveryEvents returns the ledger entries of the deliveries, by
	// delivery then time.
	DeliveryEvents(ctx context.Context, deliveryIDs []int64) ([]*DeliveryEvent, error)
	// DeliveryStats counts a campaign's deliveries by channel and state.
	DeliveryStats(ctx context.Context, campaignID int64) (*DeliveryStats, error)
	// UnreachedPeople returns, in ID order after afterID, the people of the
	// campaign's incident (neither no-contact nor deceased) who have no
	// delivery in the campaign that is queued, deferred, being sent or
	// sent: nothing is on its way to them.
	UnreachedPeople(ctx context.Context, campaignID, afterID int64, limit int) ([]*Person, error)

	// MarkBounced records a bounce of a sent (or sending) e-mail delivery:
	// state bounced with the DSN's status and diagnostic. Returns whether
	// the delivery changed (false when it was already bounced).
	MarkBounced(ctx context.Context, id int64, at time.Time, detail string) (bool, error)
	// AddDeliveryEvent appends an entry to a delivery's ledger.
	AddDeliveryEvent(ctx context.Context, e *DeliveryEvent) error
	// MarkPrinted moves letters owner holds into print batch, state
	// sending (handed to the mail house); it returns the ids moved.
	MarkPrinted(ctx context.Context, owner, batch string, letters []PrintedLetter) ([]int64, error)
	// MarkMailed records the mailing date of a printed letter: state sent.
	// It returns false when the letter was already recorded as mailed, and
	// ENOTFOUND when the delivery is not a printed letter.
	MarkMailed(ctx context.Context, id int64, mailed time.Time, detail string) (bool, error)
}
