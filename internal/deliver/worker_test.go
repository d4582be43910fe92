package deliver_test

import (
	"context"
	"fmt"
	"mime"
	"mime/multipart"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
	"github.com/candor-dev/candor/internal/deliver"
)

func TestSendEveryoneOnce(t *testing.T) {
	s, path := mustOpenSQLite(t)
	people := emails(300, "mail.example")
	people = append(people, person{id: "L1", addr: mailable}, person{id: "NONE"})
	f := newFixture(t, s, path, people)
	rec := &recorder{}
	sink := startRecorder(t, rec)
	rep := drain(t, f, deliver.Options{SMTP: smtpTo(sink), Connections: 4, BatchSize: 64})
	if rep.Sent != 300 || rep.Failed != 0 || rep.Deferred != 0 {
		t.Fatalf("report: got %+v, want 300 sent", rep)
	}
	counts := rec.counts()
	if len(counts) != 300 {
		t.Fatalf("recipients: got %d, want 300", len(counts))
	}
	for to, n := range counts {
		if n != 1 {
			t.Fatalf("%s got %d messages, want 1", to, n)
		}
	}
	want := map[breach.DeliveryState]int64{breach.DeliveryQueued: 1, breach.DeliverySent: 300}
	got := stats(t, f)
	for k, v := range got {
		if v == 0 {
			delete(got, k)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("states (-want +got):\n%s (the letter stays queued for print)", diff)
	}
	// What went out is what the ledger says: envelope, Message-ID, reply.
	byMsgID := map[string]*deliver.SinkMessage{}
	for _, m := range rec.all() {
		msg := parseMessage(t, m.Data)
		if m.From != "notices@acme.example" {
			t.Fatalf("envelope sender: got %q, want the organisation's own address", m.From)
		}
		mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/alternative" {
			t.Fatalf("content type: got %q, %v", mt, err)
		}
		mr := multipart.NewReader(msg.Body, params["boundary"])
		parts := 0
		for {
			if _, err := mr.NextPart(); err != nil {
				break
			}
			parts++
		}
		if parts != 2 {
			t.Fatalf("message %s: got %d parts, want text and HTML", msg.Header.Get("Message-Id"), parts)
		}
		byMsgID[msg.Header.Get("Message-Id")] = m
	}
	for _, d := range deliveries(t, f) {
		if d.Channel != breach.ChannelEmail {
			continue
		}
		m := byMsgID[d.MessageID]
		if m == nil || m.To[0] != d.Recipient {
			t.Fatalf("delivery %d (%s): no message with Message-ID %q to it", d.ID, d.Recipient, d.MessageID)
		}
		if !strings.HasPrefix(d.Reply, "250 ") || d.Attempts != 1 || d.Sends != 1 || d.SentAt == nil || len(d.BodySHA256) != 64 {
			t.Fatalf("delivery %d: got reply %q attempts %d sends %d sent %v sha %q", d.ID, d.Reply, d.Attempts, d.Sends, d.SentAt, d.BodySHA256)
		}
	}
}

func TestRateLimits(t *testing.T) {
	s, path := mustOpenSQLite(t)
	people := append(emails(30, "slow.example"), emails(30, "fast.example")...)
	for i := 30; i < 60; i++ {
		people[i].id = fmt.Sprintf("F%05d", i)
	}
	f := newFixture(t, s, path, people)
	rec := &recorder{}
	sink := startRecorder(t, rec)
	// 40 messages a second overall; slow.example 10 a second.
	drain(t, f, deliver.Options{SMTP: smtpTo(sink), Connections: 8, RatePerSec: 40, DomainRates: map[string]float64{"slow.example": 10}})
	var all, slow []time.Time
	for _, m := range rec.all() {
		all = append(all, m.At)
		if strings.HasSuffix(m.To[0], "@slow.example") {
			slow = append(slow, m.At)
		}
	}
	if len(all) != 60 || len(slow) != 30 {
		t.Fatalf("got %d messages (%d to slow.example), want 60 (30)", len(all), len(slow))
	}
	// A token bucket of rate r and burst b lets at most b + r·t messages
	// through in any window of t: check every window that starts at a
	// message. Arrival times are the server's, after the transaction.
	checkRate(t, "overall", all, 40, 4)
	checkRate(t, "slow.example", slow, 10, 1)
}

func checkRate(t *testing.T, what string, at []time.Time, rate float64, burst int) {
	t.Helper()
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	const slack = 15 * time.Millisecond // scheduling between the bucket and the server
	for i := range at {
		for j := i + 1; j < len(at); j++ {
			window := at[j].Sub(at[i]) + slack
			if allowed := float64(burst) + rate*window.Seconds(); float64(j-i+1) > allowed+1 {
				t.Fatalf("%s: %d messages in %v, more than a rate of %.0f/s with burst %d allows (%.1f)", what, j-i+1, window, rate, burst, allowed)
			}
		}
	}
	if span := at[len(at)-1].Sub(at[0]); span.Seconds() < (float64(len(at)-burst)/rate)*0.9 {
		t.Fatalf("%s: %d messages in %v: faster than %.0f/s", what, len(at), span, rate)
	}
}

func TestRetryOn4xx(t *testing.T) {
	s, path := mustOpenSQLite(t)
	f := newFixture(t, s, path, emails(20, "mail.example"))
	var mu sync.Mutex
	refused := map[string]int{}
	rec := &recorder{rcpt: func(to string) error {
		mu.Lock()
		defer mu.Unlock()
		// Greylisting: each of the first five recipients is refused twice.
		if to < "p00005@" && refused[to] < 2 {
			refused[to]++
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted, try again"}
		}
		return nil
	}}
	sink := startRecorder(t, rec)
	rep := drain(t, f, deliver.Options{SMTP: smtpTo(sink), Connections: 2, RetryBase: 20 * time.Millisecond, MaxConsecutiveErrors: 100})
	if rep.Sent != 20 || rep.Deferred != 10 || rep.Failed != 0 {
		t.Fatalf("report: got %+v, want 20 sent after 10 deferrals", rep)
	}
	for to, n := range rec.counts() {
		if n != 1 {
			t.Fatalf("%s got %d messages, want 1", to, n)
		}
	}
	var retried []int64
	for _, d := range deliveries(t, f) {
		if d.State != breach.DeliverySent {
			t.Fatalf("delivery %d: got %s, want sent", d.ID, d.State)
		}
		if d.Attempts == 3 {
			retried = append(retried, d.ID)
		} else if d.Attempts != 1 {
			t.Fatalf("delivery %d: %d attempts, want 1 or 3", d.ID, d.Attempts)
		}
	}
	if len(retried) != 5 {
		t.Fatalf("got %d deliveries sent on the third attempt, want 5", len(retried))
	}
	events, err := f.store.DeliveryEvents(context.Background(), retried)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 10 {
		t.Fatalf("got %d ledger events, want 2 deferrals for each of 5", len(events))
	}
	for _, e := range events {
		if e.Kind != breach.EventDeferred || !strings.Contains(e.Detail, "451 4.7.1 greylisted") {
			t.Fatalf("event: got %+v, want a deferral with the server's reply", e)
		}
	}
}

func TestPermanentFailureOn5xx(t *testing.T) {
	s, path := mustOpenSQLite(t)
	people := emails(10, "mail.example")
	people[3].addr = mailable
	f := newFixture(t, s, path, people)
	rec := &recorder{rcpt: func(to string) error {
		if to == "p00003@mail.example" || to == "p00007@mail.example" {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	}}
	sink := startRecorder(t, rec)
	rep := drain(t, f, deliver.Options{SMTP: smtpTo(sink), Connections: 2})
	if rep.Sent != 8 || rep.Failed != 2 || rep.Deferred != 0 {
		t.Fatalf("report: got %+v, want 8 sent and 2 failed", rep)
	}
	for _, d := range deliveries(t, f) {
		failed := d.Recipient == "p00003@mail.example" || d.Recipient == "p00007@mail.example"
		if failed && (d.State != breach.DeliveryFailed || d.Attempts != 1 || d.Reply != "550 5.1.1 no such user") {
			t.Fatalf("refused delivery: got %s after %d attempts, reply %q", d.State, d.Attempts, d.Reply)
		}
		if !failed && d.State != breach.DeliverySent {
			t.Fatalf("delivery %d: got %s, want sent", d.ID, d.State)
		}
	}
}

func TestConsecutiveErrorsPauseThenResume(t *testing.T) {
	s, path := mustOpenSQLite(t)
	f := newFixture(t, s, path, emails(40, "mail.example"))
	var mu sync.Mutex
	down := true
	rec := &recorder{rcpt: func(to string) error {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "sending blocked for this account"}
		}
		return nil
	}}
	sink := startRecorder(t, rec)
	opts := deliver.Options{SMTP: smtpTo(sink), Connections: 1, MaxConsecutiveErrors: 5}
	rep := drain(t, f, opts)
	if rep.Failed != 5 || rep.Sent != 0 || len(rep.Paused) != 1 {
		t.Fatalf("report: got %+v, want 5 failures, then the campaign paused", rep)
	}
	c, err := f.store.FindCampaignByID(context.Background(), f.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != breach.CampaignPaused || !strings.Contains(c.StatusReason, "5 consecutive send errors") {
		t.Fatalf("campaign: got %s (%q), want paused with the reason", c.Status, c.StatusReason)
	}
	if st := stats(t, f); st[breach.DeliveryQueued] != 35 || st[breach.DeliveryFailed] != 5 {
		t.Fatalf("states: got %v, want 35 still queued (the list is not burned)", st)
	}
	// A paused campaign sends nothing.
	if rep := drain(t, f, opts); rep.Sent+rep.Failed != 0 {
		t.Fatalf("paused: got %+v, want nothing sent", rep)
	}
	mu.Lock()
	down = false
	mu.Unlock()
	if _, err := f.store.SetCampaignStatus(context.Background(), f.campaign.ID, breach.CampaignActive, ""); err != nil {
		t.Fatal(err)
	}
	rep = drain(t, f, opts)
	if rep.Sent != 35 || len(rep.Paused) != 0 {
		t.Fatalf("resumed: got %+v, want the 35 queued sent", rep)
	}
	if n := len(rec.counts()); n != 35 {
		t.Fatalf("recipients: got %d, want 35", n)
	}
}

func TestPauseStopsAWorkerMidCampaign(t *testing.T) {
	s, path := mustOpenSQLite(t)
	f := newFixture(t, s, path, emails(200, "mail.example"))
	ctx := context.Background()
	var once sync.Once
	rec := &recorder{}
	rec.rcpt = func(to string) error {
		if to == "p00020@mail.example" {
			once.Do(func() {
				if _, err := f.store.SetCampaignStatus(ctx, f.campaign.ID, breach.CampaignPaused, "counsel asked to hold"); err != nil {
					t.Error(err)
				}
			})
		}
		return nil
	}
	sink := startRecorder(t, rec)
	opts := deliver.Options{SMTP: smtpTo(sink), Connections: 1, BatchSize: 50}
	rep := drain(t, f, opts)
	// The message in flight when the pause came completes, and those the
	// connection had marked ahead of it (at most 2); no other starts.
	if rep.Sent < 21 || rep.Sent > 23 || rep.Sent+rep.Released != 50 {
		t.Fatalf("report: got %+v, want 21 to 23 sent and the rest of the batch of 50 released", rep)
	}
	sent := rep.Sent
	if st := stats(t, f); st[breach.DeliverySent] != sent || st[breach.DeliveryQueued] != 200-sent {
		t.Fatalf("states: got %v", st)
	}
	for _, d := range deliveries(t, f) {
		if d.State == breach.DeliveryQueued && d.LeaseOwner != "" {
			t.Fatalf("delivery %d is still leased to %s after the worker stopped", d.ID, d.LeaseOwner)
		}
	}
	if _, err := f.store.SetCampaignStatus(ctx, f.campaign.ID, breach.CampaignActive, ""); err != nil {
		t.Fatal(err)
	}
	if rep := drain(t, f, opts); rep.Sent != 200-sent {
		t.Fatalf("resumed: got %+v, want %d sent", rep, 200-sent)
	}
	for to, n := range rec.counts() {
		if n != 1 {
			t.Fatalf("%s got %d messages, want 1", to, n)
		}
	}
}

func TestNothingWithoutApproval(t *testing.T) {
	s, path := mustOpenSQLite(t)
	f := newFixture(t, s, path, emails(3, "mail.example"))
	_, err := deliver.Enqueue(context.Background(), s, refusingNotices{}, deliver.EnqueueOptions{IncidentID: f.inc.ID, Campaign: "update-1"})
	if breach.ErrorCode(err) != breach.EFORBIDDEN {
		t.Fatalf("enqueue without approval: got %v, want EFORBIDDEN", err)
	}
	if _, err := s.FindCampaign(context.Background(), f.inc.ID, "update-1"); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("campaign created without approval: %v", err)
	}
	// An approval that stopped holding after enqueue pauses the campaign.
	rec := &recorder{}
	sink := startRecorder(t, rec)
	w, err := deliver.NewWorker(context.Background(), s, refusingNotices{}, deliver.Options{SMTP: smtpTo(sink), CampaignID: f.campaign.ID})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := w.Drain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 0 || len(rec.counts()) != 0 || len(rep.Paused) != 1 {
		t.Fatalf("worker without approval: got %+v", rep)
	}
	c, _ := s.FindCampaignByID(context.Background(), f.campaign.ID)
	if c.Status != breach.CampaignPaused || !strings.Contains(c.StatusReason, "approval") {
		t.Fatalf("campaign: got %s %q", c.Status, c.StatusReason)
	}
}

type refusingNotices struct{}

var errNotApproved = breach.Errorf(breach.EFORBIDDEN, "the notice is not approved")

func (refusingNotices) Approval(context.Context, int64) (string, error) { return "", errNotApproved }
func (refusingNotices) Renderer(context.Context, *breach.Campaign) (deliver.Renderer, error) {
	return nil, errNotApproved
}

func TestSenderOnOwnDomain(t *testing.T) {
	s, path := mustOpenSQLite(t)
	newFixture(t, s, path, emails(1, "mail.example"))
	_, err := deliver.NewWorker(context.Background(), s, testNotices{}, deliver.Options{
		SMTP: deliver.SMTPOptions{Host: "127.0.0.1", Port: 25, TLS: "none"}, From: "notices@acme-security.example"})
	if breach.ErrorCode(err) != breach.EINVALID || !strings.Contains(err.Error(), "own domain") {
		t.Fatalf("look-alike sender: got %v, want EINVALID", err)
	}
}
