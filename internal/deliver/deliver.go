// Package deliver sends notices and keeps the proof: an outbox of one
// delivery per person, channel and campaign; workers that claim deliveries
// in leased batches and send them over pooled SMTP connections with rate
// limits, retries and a brake on consecutive errors; bounce (DSN)
// processing with a fallback to printed letters; print batches for a mail
// house; and the ledger that shows what went to whom, when and how.
//
// Crash safety rests on three writes per message. A worker leases a batch
// (the lease is the row's next_at, so a dead worker's rows come back by
// themselves), marks a delivery sending in a committed transaction before
// the message's DATA, and records the server's reply after it. A delivery
// found still sending after its lease ran out was in flight when its worker
// died: it is sent again and recorded as a possible duplicate.
package deliver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/mail"
	"os"
	"time"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/notice"
)

// Store is what the delivery code needs from the database.
type Store interface {
	breach.OutboxStore
	breach.OrganizationStore
	breach.IncidentStore
	breach.PersonStore
}

// Renderer renders the notices of an approved campaign, one per person.
// internal/notice's Renderer is the real one.
type Renderer interface {
	// Email appends to buf[:0] the person's notice as a complete MIME
	// message (headers and body, CRLF line ends) addressed to their e-mail
	// address, and returns it with its Message-ID.
	Email(p *breach.Person, buf []byte) (msg []byte, messageID string, err error)
	// Letters writes one print-ready PDF holding a letter for each person,
	// in order, each starting on a new page, and says where each is.
	Letters(w io.Writer, people []*breach.Person) ([]notice.LetterInfo, error)
}

// prefetcher is a Renderer that can load what a batch of people needs in
// one query before they are rendered.
type prefetcher interface {
	Prefetch(ctx context.Context, people []*breach.Person) error
}

// Notices is where the approved notices come from.
type Notices interface {
	// Approval returns the reference (id and hash) of the incident's valid
	// notice approval; EFORBIDDEN or EINVALID when there is none, or when
	// the notice or its facts changed since it was approved.
	Approval(ctx context.Context, incidentID int64) (string, error)
	// Renderer returns the renderer of the campaign's approved notice,
	// checking the approval again.
	Renderer(ctx context.Context, c *breach.Campaign) (Renderer, error)
}

// Options configure a worker.
type Options struct {
	SMTP SMTPOptions
	// From is the envelope sender (MAIL FROM), where bounces go; it must
	// be on the organisation's own domain. Default: the organisation's
	// sender address.
	From string
	// Connections is the number of SMTP connections (and sending
	// goroutines). Default 8.
	Connections int
	// BatchSize is the number of deliveries claimed at a time. Default 500.
	BatchSize int
	// Lease is how long a claim holds without renewal; a live worker
	// renews it every third of it. Default 2 minutes.
	Lease time.Duration
	// RatePerSec limits messages a second from this worker; RatePerDomain
	// messages a second to each recipient domain, DomainRates overriding
	// it by domain. Zero means no limit.
	RatePerSec    float64
	RatePerDomain float64
	DomainRates   map[string]float64
	// MaxConsecutiveErrors pauses a campaign after that many failed sends
	// in a row, instead of burning through the list. Default 25.
	MaxConsecutiveErrors int
	// RetryBase is the wait before the first retry of a 4xx; it doubles
	// for each attempt up to RetryMax. Defaults 1 minute and 1 hour.
	RetryBase time.Duration
	RetryMax  time.Duration
	// MaxAttempts fails a delivery after that many 4xx. Default 8.
	MaxAttempts int
	// Poll is how often an idle worker looks for work. Default 1 second.
	Poll time.Duration
	// CampaignID limits the worker to one campaign.
	CampaignID int64
	// Owner names the worker in leases. Default host:pid:random.
	Owner  string
	Logger *slog.Logger
}

func (o *Options) setDefaults() {
	if o.Connections <= 0 {
		o.Connections = 8
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 500
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.MaxConsecutiveErrors <= 0 {
		o.MaxConsecutiveErrors = 25
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Minute
	}
	if o.RetryMax <= 0 {
		o.RetryMax = time.Hour
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.Owner == "" {
		o.Owner = DefaultOwner()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// DefaultOwner names this process: host, pid and a random part, so that a
// restarted process never takes over a dead one's leases by name.
func DefaultOwner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d:%04x", host, os.Getpid(), rand.IntN(1<<16))
}

// backoff is the wait before attempt n+1 after n failed attempts.
func (o *Options) backoff(attempts int) time.Duration {
	d := o.RetryBase
	for i := 1; i < attempts && d < o.RetryMax; i++ {
		d *= 2
	}
	return min(d, o.RetryMax)
}

// envelopeFrom returns the envelope sender, checked to be on the
// organisation's own domain.
func envelopeFrom(org *breach.Organization, from string) (string, error) {
	if from == "" {
		from = org.SenderAddress
	}
	if from == "" {
		return "", breach.Errorf(breach.EINVALID, "no sender address: set the organisation's sender address (candor org set --sender) or smtp.from")
	}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return "", breach.Errorf(breach.EINVALID, "sender %q is not an e-mail address", from)
	}
	if !org.OwnsAddress(a.Address) {
		return "", breach.Errorf(breach.EINVALID, "sender %s is not on %s: notices go out from the organisation's own domain", a.Address, org.PrimaryDomain)
	}
	return a.Address, nil
}
