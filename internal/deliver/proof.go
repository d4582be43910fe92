package deliver

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/candor-dev/candor/internal/breach"
)

// Proof is what was sent to one person: every delivery of every campaign,
// with its ledger.
type Proof struct {
	Person     *breach.Person `json:"person"`
	Deliveries []LedgerEntry  `json:"deliveries"`
}

// LedgerEntry is one delivery as counsel reads it.
type LedgerEntry struct {
	*breach.Delivery
	Campaign          string                  `json:"campaign"`
	PossibleDuplicate bool                    `json:"possible_duplicate"`
	Events            []*breach.DeliveryEvent `json:"events"`
}

// PersonProof returns the proof for the person with externalID.
func PersonProof(ctx context.Context, s Store, incidentID int64, externalID string) (*Proof, error) {
	p, err := s.FindPerson(ctx, incidentID, externalID)
	if err != nil {
		return nil, err
	}
	names, err := campaignNames(ctx, s, incidentID)
	if err != nil {
		return nil, err
	}
	ds, err := s.FindDeliveries(ctx, breach.DeliveryFilter{IncidentID: incidentID, PersonID: p.ID, Limit: 1000})
	if err != nil {
		return nil, err
	}
	entries, err := ledger(ctx, s, ds, names)
	if err != nil {
		return nil, err
	}
	return &Proof{Person: p, Deliveries: entries}, nil
}

func campaignNames(ctx context.Context, s Store, incidentID int64) (map[int64]string, error) {
	cs, err := s.FindCampaigns(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(cs))
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	return names, nil
}

func ledger(ctx context.Context, s Store, ds []*breach.Delivery, names map[int64]string) ([]LedgerEntry, error) {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	events, err := s.DeliveryEvents(ctx, ids)
	if err != nil {
		return nil, err
	}
	byDelivery := map[int64][]*breach.DeliveryEvent{}
	for _, e := range events {
		byDelivery[e.DeliveryID] = append(byDelivery[e.DeliveryID], e)
	}
	out := make([]LedgerEntry, len(ds))
	for i, d := range ds {
		ev := byDelivery[d.ID]
		if ev == nil {
			ev = []*breach.DeliveryEvent{}
		}
		out[i] = LedgerEntry{Delivery: d, Campaign: names[d.CampaignID], PossibleDuplicate: d.PossibleDuplicate(), Events: ev}
	}
	return out, nil
}

// LedgerColumns are the columns of the CSV ledger.
var LedgerColumns = []string{"delivery_id", "campaign", "channel", "external_id", "person_id", "recipient", "state", "attempts",
	"sends", "in_flight_recoveries", "possible_duplicate", "message_id", "body_sha256", "reply", "last_error", "queued_at",
	"sent_at", "bounced_at", "print_batch", "fallback_of", "events"}

// ExportLedger writes every delivery of the incident, in ID order, as CSV
// or JSONL (one LedgerEntry a line), a page at a time. It returns the
// number of deliveries written.
func ExportLedger(ctx context.Context, s Store, incidentID int64, format string, w io.Writer) (int, error) {
	if format != "csv" && format != "jsonl" {
		return 0, breach.Errorf(breach.EINVALID, "ledger format %q is not csv or jsonl", format)
	}
	if _, err := s.FindIncidentByID(ctx, incidentID); err != nil {
		return 0, err
	}
	names, err := campaignNames(ctx, s, incidentID)
	if err != nil {
		return 0, err
	}
	var cw *csv.Writer
	enc := json.NewEncoder(w)
	if format == "csv" {
		cw = csv.NewWriter(w)
		if err := cw.Write(LedgerColumns); err != nil {
			return 0, err
		}
	}
	n := 0
	for after := int64(0); ; {
		ds, err := s.FindDeliveries(ctx, breach.DeliveryFilter{IncidentID: incidentID, AfterID: after, Limit: 1000})
		if err != nil {
			return n, err
		}
		entries, err := ledger(ctx, s, ds, names)
		if err != nil {
			return n, err
		}
		for _, e := range entries {
			if cw != nil {
				err = cw.Write(csvRow(e))
			} else {
				err = enc.Encode(e)
			}
			if err != nil {
				return n, fmt.Errorf("write ledger: %w", err)
			}
			n++
		}
		if cw != nil {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return n, fmt.Errorf("write ledger: %w", err)
			}
		}
		if len(ds) < 1000 {
			return n, nil
		}
		after = ds[len(ds)-1].ID
	}
}

func csvRow(e LedgerEntry) []string {
	d := e.Delivery
	var ev []string
	for _, x := range e.Events {
		ev = append(ev, x.At.UTC().Format(time.RFC3339)+" "+x.Kind+": "+x.Detail)
	}
	fallback := ""
	if d.FallbackOf != 0 {
		fallback = strconv.FormatInt(d.FallbackOf, 10)
	}
	return []string{strconv.FormatInt(d.ID, 10), e.Campaign, string(d.Channel), d.ExternalID, strconv.FormatInt(d.PersonID, 10),
		d.Recipient, string(d.State), strconv.Itoa(d.Attempts), strconv.Itoa(d.Sends), strconv.Itoa(d.InFlightRecoveries),
		strconv.FormatBool(e.PossibleDuplicate), d.MessageID, d.BodySHA256, d.Reply, d.LastError, stamp(&d.QueuedAt),
		stamp(d.SentAt), stamp(d.BouncedAt), d.PrintBatch, fallback, strings.Join(ev, " | ")}
}

func stamp(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// Status is a campaign's progress, for `candor send status`.
type Status struct {
	IncidentID int64                                             `json:"incident_id"`
	Campaign   *breach.Campaign                                  `json:"campaign"`
	States     map[breach.DeliveryState]int64                    `json:"states"`
	Channels   map[breach.Channel]map[breach.DeliveryState]int64 `json:"channels"`
	Total      int64                                             `json:"total"`
	// Duplicates are the people who were, or may have been, sent the
	// notice more than once: a message accepted twice, or in flight when a
	// worker died (or its connection dropped) and sent again.
	Duplicates []Duplicate `json:"duplicates"`
}

// Duplicate is one person who may have received a notice twice.
type Duplicate struct {
	DeliveryID int64          `json:"delivery_id"`
	ExternalID string         `json:"external_id"`
	Recipient  string         `json:"recipient"`
	Channel    breach.Channel `json:"channel"`
	// Sends counts acceptances recorded; InFlightRecoveries the sends
	// whose outcome was unknown when they were repeated.
	Sends              int    `json:"sends"`
	InFlightRecoveries int    `json:"in_flight_recoveries"`
	MessageID          string `json:"message_id,omitempty"`
}

// CampaignStatus returns a campaign's counts and its possible duplicates.
func CampaignStatus(ctx context.Context, s Store, c *breach.Campaign) (*Status, error) {
	st, err := s.DeliveryStats(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := &Status{IncidentID: c.IncidentID, Campaign: c, States: st.States, Channels: st.Channels, Total: st.Total, Duplicates: []Duplicate{}}
	for after := int64(0); ; {
		ds, err := s.FindDeliveries(ctx, breach.DeliveryFilter{CampaignID: c.ID, PossibleDuplicates: true, AfterID: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out.Duplicates = append(out.Duplicates, Duplicate{DeliveryID: d.ID, ExternalID: d.ExternalID, Recipient: d.Recipient,
				Channel: d.Channel, Sends: d.Sends, InFlightRecoveries: d.InFlightRecoveries, MessageID: d.MessageID})
		}
		if len(ds) < 1000 {
			return out, nil
		}
		after = ds[len(ds)-1].ID
	}
}
