package deliver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/breach"
)

// BounceReport says what a batch of bounce messages did.
type BounceReport struct {
	Messages int `json:"messages"`
	// NotDSN counts messages that were not delivery status reports
	// (auto-replies, spam): they are left alone.
	NotDSN int `json:"not_dsn"`
	// Bounced counts e-mail deliveries newly marked bounced; Already those
	// that were bounced before (the same report read twice).
	Bounced int `json:"bounced"`
	Already int `json:"already"`
	// Delayed counts "delayed" reports, recorded in the ledger only.
	Delayed int `json:"delayed"`
	// Letters counts fallback letters queued for bounced people.
	Letters int `json:"letters"`
	// NoAddress lists the external ids (or e-mails) of bounced people with
	// no mailable postal address: see the unreachable report.
	NoAddress []string `json:"no_address"`
	// Unmatched lists recipients the reports name that match no delivery.
	Unmatched []string `json:"unmatched"`
}

// ProcessBounces reads bounce messages from r (one message or an mbox),
// marks the e-mails they report as failed bounced, and queues a printed
// letter for each bounced person with a mailable address, in the same
// campaign. incidentID limits matching to one incident (0: any).
func ProcessBounces(ctx context.Context, s Store, incidentID int64, r io.Reader) (*BounceReport, error) {
	rep := &BounceReport{NoAddress: []string{}, Unmatched: []string{}}
	err := ReadMessages(r, func(msg []byte) error {
		rep.Messages++
		dsn, err := ParseDSN(bytes.NewReader(msg))
		if errors.Is(err, ErrNotDSN) {
			rep.NotDSN++
			return nil
		} else if err != nil {
			rep.NotDSN++
			return nil
		}
		at := dsn.Date
		if at.IsZero() {
			at = time.Now()
		}
		for _, rc := range dsn.Recipients {
			if err := applyBounce(ctx, s, incidentID, dsn, rc, at, rep); err != nil {
				return err
			}
		}
		return nil
	})
	return rep, err
}

func applyBounce(ctx context.Context, s Store, incidentID int64, dsn *DSN, rc DSNRecipient, at time.Time, rep *BounceReport) error {
	d, err := findBounced(ctx, s, incidentID, dsn.MessageID, rc.Recipient)
	if err != nil {
		return err
	}
	if d == nil {
		rep.Unmatched = append(rep.Unmatched, rc.Recipient)
		return nil
	}
	detail := rc.Detail(dsn.ReportingMTA)
	switch rc.Action {
	case "failed":
	case "delayed":
		rep.Delayed++
		return s.AddDeliveryEvent(ctx, &breach.DeliveryEvent{DeliveryID: d.ID, At: at, Kind: breach.EventDelayed, State: d.State, Detail: detail})
	default:
		return nil
	}
	changed, err := s.MarkBounced(ctx, d.ID, at, detail)
	if err != nil {
		return err
	}
	if !changed {
		rep.Already++
		return nil
	}
	rep.Bounced++
	queued, who, err := Fallback(ctx, s, d)
	if err != nil {
		return err
	}
	if queued {
		rep.Letters++
	} else {
		rep.NoAddress = append(rep.NoAddress, who)
	}
	return nil
}

// findBounced finds the e-mail delivery a report is about: by the original
// Message-ID when the report carries it, else the latest e-mail to the
// recipient. It returns nil when none matches.
func findBounced(ctx context.Context, s Store, incidentID int64, messageID, rcpt string) (*breach.Delivery, error) {
	if messageID != "" {
		ds, err := s.FindDeliveries(ctx, breach.DeliveryFilter{IncidentID: incidentID, MessageID: messageID, Channel: breach.ChannelEmail, Limit: 10})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if strings.EqualFold(d.Recipient, rcpt) {
				return d, nil
			}
		}
	}
	var latest *breach.Delivery
	for _, addr := range uniq(rcpt, strings.ToLower(rcpt)) {
		ds, err := s.FindDeliveries(ctx, breach.DeliveryFilter{IncidentID: incidentID, Recipient: addr, Channel: breach.ChannelEmail, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if d.SentAt != nil || d.State == breach.DeliveryBounced {
				latest = d
			}
		}
	}
	return latest, nil
}

func uniq(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}

// Fallback queues a printed letter, in the same campaign, for the person of
// an e-mail delivery that bounced or failed, when the person has a
// mailable postal address and no letter yet. It reports whether a letter
// is (now or already) on its way, and names the person.
func Fallback(ctx context.Context, s Store, d *breach.Delivery) (bool, string, error) {
	p, err := personByID(ctx, s, d.IncidentID, d.PersonID)
	if err != nil {
		return false, "", err
	}
	who := p.ExternalID
	if who == "" {
		who = d.Recipient
	}
	if p.NoContact || p.Deceased || !p.Address.Mailable() {
		return false, who, nil
	}
	letter := &breach.Delivery{CampaignID: d.CampaignID, IncidentID: d.IncidentID, PersonID: p.ID, Channel: breach.ChannelLetter,
		Recipient: breach.LetterRecipient(p), FallbackOf: d.ID}
	err = s.AddDelivery(ctx, letter)
	if breach.ErrorCode(err) == breach.ECONFLICT {
		return true, who, nil
	} else if err != nil {
		return false, who, err
	}
	return true, who, s.AddDeliveryEvent(ctx, &breach.DeliveryEvent{DeliveryID: d.ID, Kind: breach.EventFallback, State: breach.DeliveryBounced,
		Detail: fmt.Sprintf("printed letter %d queued to %s", letter.ID, letter.Recipient)})
}

// personByID reads one person.
func personByID(ctx context.Context, s Store, incidentID, id int64) (*breach.Person, error) {
	people, err := s.FindPeople(ctx, breach.PersonFilter{IncidentID: incidentID, AfterID: id - 1, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(people) == 0 || people[0].ID != id {
		return nil, breach.Errorf(breach.ENOTFOUND, "person %d not found in incident %d", id, incidentID)
	}
	return people[0], nil
}
