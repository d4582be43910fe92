package storetest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/candor-dev/candor/internal/breach"
)

// clockSetter is implemented by stores whose clock a test may move.
type clockSetter interface{ SetClock(func() time.Time) }

// testClock is a movable clock shared by a test and its store.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// outboxFixture is an incident with people and an approved campaign.
type outboxFixture struct {
	s        breach.OutboxStore
	clock    *testClock
	inc      *breach.Incident
	campaign *breach.Campaign
	people   map[string]*breach.Person
}

// OutboxPeople are the people of the outbox tests: external id → who they
// are. Each reason a person gets no e-mail is there once.
func OutboxPeople() []breach.ImportRow {
	addr := breach.Address{Line1: "1 Elm St", City: "Austin", Region: "TX", PostalCode: "78701", Country: "US"}
	mk := func(id, email string, a breach.Address, noContact, deceased bool) breach.ImportRow {
		r := Row(id, email, "US-TX", breach.ElementName, breach.ElementSSN)
		r.Person.Address, r.Person.NoContact, r.Person.Deceased = a, noContact, deceased
		return r
	}
	return []breach.ImportRow{
		mk("e1", "e1@mail.example", breach.Address{}, false, false),
		mk("e2", "e2@mail.example", addr, false, false),
		mk("e3", "e3@other.example", breach.Address{}, false, false),
		mk("l1", "", addr, false, false),
		mk("nc", "nc@mail.example", addr, true, false),
		mk("dead", "dead@mail.example", addr, false, true),
		mk("none", "", breach.Address{Line1: "PO Box 1"}, false, false),
	}
}

func newOutboxFixture(t *testing.T, st Store) *outboxFixture {
	t.Helper()
	s, ok := st.(breach.OutboxStore)
	if !ok {
		t.Fatalf("%T does not implement breach.OutboxStore", st)
	}
	cs, ok := st.(clockSetter)
	if !ok {
		t.Fatalf("%T has no SetClock", st)
	}
	clock := &testClock{now: time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC)}
	cs.SetClock(clock.Now)
	ctx := context.Background()
	inc := NewIncident()
	if err := st.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	b := mustBegin(t, st, inc.ID, "sha-outbox")
	rows := OutboxPeople()
	mustWrite(t, st, b, int64(len(rows)), breach.ImportCounts{}, rows...)
	if err := st.FinishImport(ctx, b); err != nil {
		t.Fatal(err)
	}
	f := &outboxFixture{s: s, clock: clock, inc: inc, people: map[string]*breach.Person{}}
	for _, r := range rows {
		p, err := st.FindPerson(ctx, inc.ID, r.Person.ExternalID)
		if err != nil {
			t.Fatal(err)
		}
		f.people[p.ExternalID] = p
	}
	c, err := s.CreateCampaign(ctx, &breach.Campaign{IncidentID: inc.ID, Name: breach.DefaultCampaign, Approval: "approval-1"})
	if err != nil {
		t.Fatal(err)
	}
	f.campaign = c
	return f
}

func (f *outboxFixture) claim(t *testing.T, owner string, ch breach.Channel, limit int) []*breach.Delivery {
	t.Helper()
	ds, err := f.s.ClaimDeliveries(context.Background(), breach.ClaimRequest{Owner: owner, Channel: ch, Limit: limit, Lease: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func (f *outboxFixture) update(t *testing.T, owner string, results []breach.DeliveryResult, sending ...int64) []int64 {
	t.Helper()
	marked, err := f.s.UpdateDeliveries(context.Background(), owner, results, sending)
	if err != nil {
		t.Fatal(err)
	}
	return marked
}

func (f *outboxFixture) delivery(t *testing.T, id int64) *breach.Delivery {
	t.Helper()
	ds, err := f.s.FindDeliveries(context.Background(), breach.DeliveryFilter{CampaignID: f.campaign.ID, AfterID: id - 1, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].ID != id {
		t.Fatalf("delivery %d not found", id)
	}
	return ds[0]
}

func (f *outboxFixture) enqueue(t *testing.T, ch breach.Channel, dry bool) *breach.EnqueueResult {
	t.Helper()
	res, err := f.s.EnqueueDeliveries(context.Background(), breach.EnqueueRequest{CampaignID: f.campaign.ID, IncidentID: f.inc.ID, Channel: ch, DryRun: dry})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func externalIDs(ds []*breach.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.ExternalID)
	}
	sort.Strings(out)
	return out
}

func externalIDsOf(people []*breach.Person) []string {
	var out []string
	for _, p := range people {
		out = append(out, p.ExternalID)
	}
	sort.Strings(out)
	return out
}

func ids(ds []*breach.Delivery) []int64 {
	var out []int64
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

func testOutbox(t *testing.T, open Opener) {
	t.Run("Campaign", func(t *testing.T) { testCampaign(t, newOutboxFixture(t, open(t))) })
	t.Run("Enqueue", func(t *testing.T) { testEnqueue(t, newOutboxFixture(t, open(t))) })
	t.Run("Claim", func(t *testing.T) { testClaim(t, newOutboxFixture(t, open(t))) })
	t.Run("Results", func(t *testing.T) { testResults(t, newOutboxFixture(t, open(t))) })
	t.Run("InFlightRecovery", func(t *testing.T) { testInFlightRecovery(t, newOutboxFixture(t, open(t))) })
	t.Run("PauseCancel", func(t *testing.T) { testPauseCancel(t, newOutboxFixture(t, open(t))) })
	t.Run("BounceAndLetters", func(t *testing.T) { testBounceAndLetters(t, newOutboxFixture(t, open(t))) })
}

func testCampaign(t *testing.T, f *outboxFixture) {
	ctx := context.Background()
	if f.campaign.ID == 0 || f.campaign.Status != breach.CampaignActive {
		t.Fatalf("created campaign: got %+v", f.campaign)
	}
	tests := []struct {
		name string
		c    breach.Campaign
		code string
	}{
		{"no approval", breach.Campaign{IncidentID: f.inc.ID, Name: "update-1"}, breach.EINVALID},
		{"bad name", breach.Campaign{IncidentID: f.inc.ID, Name: "update 1", Approval: "a"}, breach.EINVALID},
		{"missing incident", breach.Campaign{IncidentID: f.inc.ID + 99, Name: "x", Approval: "a"}, breach.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c
			if _, err := f.s.CreateCampaign(ctx, &c); breach.ErrorCode(err) != tt.code {
				t.Fatalf("got %v, want code %s", err, tt.code)
			}
		})
	}
	again, err := f.s.CreateCampaign(ctx, &breach.Campaign{IncidentID: f.inc.ID, Name: breach.DefaultCampaign, Approval: "approval-2"})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != f.campaign.ID || again.Approval != "approval-2" {
		t.Fatalf("same name: got campaign %d approval %q, want %d with the new approval", again.ID, again.Approval, f.campaign.ID)
	}
	got, err := f.s.FindCampaign(ctx, f.inc.ID, breach.DefaultCampaign)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(again, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Fatalf("FindCampaign (-want +got):\n%s", diff)
	}
	if _, err := f.s.FindCampaign(ctx, f.inc.ID, "nope"); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("missing campaign: got %v, want ENOTFOUND", err)
	}
	list, err := f.s.FindCampaigns(ctx, f.inc.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("FindCampaigns: got %d, %v; want 1", len(list), err)
	}
}

func testEnqueue(t *testing.T, f *outboxFixture) {
	want := breach.EnqueueResult{Email: 3, Letter: 1, NoContact: 1, Deceased: 1, Unreachable: 1}
	if diff := cmp.Diff(want, *f.enqueue(t, "", true)); diff != "" {
		t.Fatalf("dry run (-want +got):\n%s", diff)
	}
	if n := len(f.claim(t, "w", breach.ChannelEmail, 100)); n != 0 {
		t.Fatalf("a dry run must not enqueue: claimed %d", n)
	}
	if diff := cmp.Diff(want, *f.enqueue(t, "", false)); diff != "" {
		t.Fatalf("enqueue (-want +got):\n%s", diff)
	}
	want = breach.EnqueueResult{Already: 4, NoContact: 1, Deceased: 1, Unreachable: 1}
	if diff := cmp.Diff(want, *f.enqueue(t, "", false)); diff != "" {
		t.Fatalf("second enqueue adds nothing (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, *f.enqueue(t, "", true)); diff != "" {
		t.Fatalf("dry run after enqueue (-want +got):\n%s", diff)
	}
	// Letters to everyone with a mailable address, e-mail or not.
	want = breach.EnqueueResult{Letter: 1, Already: 1, NoContact: 1, Deceased: 1, Unreachable: 3}
	if diff := cmp.Diff(want, *f.enqueue(t, breach.ChannelLetter, false)); diff != "" {
		t.Fatalf("letter enqueue (-want +got):\n%s", diff)
	}
	ds, err := f.s.FindDeliveries(context.Background(), breach.DeliveryFilter{CampaignID: f.campaign.ID, Channel: breach.ChannelLetter})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"e2", "l1"}, externalIDs(ds)); diff != "" {
		t.Fatalf("letters (-want +got):\n%s", diff)
	}
	for _, d := range ds {
		if d.State != breach.DeliveryQueued || d.Recipient != "Pat Doe "+d.ExternalID+", 1 Elm St, Austin TX 78701, US" {
			t.Fatalf("letter %s: got state %s recipient %q", d.ExternalID, d.State, d.Recipient)
		}
	}
	if _, err := f.s.EnqueueDeliveries(context.Background(), breach.EnqueueRequest{CampaignID: f.campaign.ID, IncidentID: f.inc.ID + 1}); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("campaign of another incident: got %v, want EINVALID", err)
	}
	err = f.s.AddDelivery(context.Background(), &breach.Delivery{CampaignID: f.campaign.ID, IncidentID: f.inc.ID, PersonID: f.people["l1"].ID, Channel: breach.ChannelLetter, Recipient: "x"})
	if breach.ErrorCode(err) != breach.ECONFLICT {
		t.Fatalf("second letter for one person: got %v, want ECONFLICT", err)
	}
}

func testClaim(t *testing.T, f *outboxFixture) {
	f.enqueue(t, "", false)
	a := f.claim(t, "worker-a", breach.ChannelEmail, 2)
	b := f.claim(t, "worker-b", breach.ChannelEmail, 10)
	if len(a) != 2 || len(b) != 1 {
		t.Fatalf("claims: got %d and %d, want 2 and 1 (3 e-mails)", len(a), len(b))
	}
	all := append(externalIDs(a), externalIDs(b)...)
	sort.Strings(all)
	if diff := cmp.Diff([]string{"e1", "e2", "e3"}, all); diff != "" {
		t.Fatalf("claimed people (-want +got):\n%s", diff)
	}
	for _, d := range append(a, b...) {
		if d.Person == nil || d.Person.Email != d.Recipient || d.Claims != 1 {
			t.Fatalf("claimed delivery %d: person %+v, recipient %q, claims %d", d.ID, d.Person, d.Recipient, d.Claims)
		}
	}
	if n := len(f.claim(t, "worker-c", breach.ChannelEmail, 10)); n != 0 {
		t.Fatalf("everything is leased: claimed %d more", n)
	}
	if got := f.claim(t, "worker-c", breach.ChannelLetter, 10); len(got) != 1 || got[0].ExternalID != "l1" {
		t.Fatalf("letter claim: got %v, want l1", externalIDs(got))
	}
	// Worker a keeps its lease; worker b's runs out and c takes its row.
	if err := f.s.ExtendLease(context.Background(), "worker-a", ids(a), f.clock.Now().Add(3*time.Minute)); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(2 * time.Minute)
	c := f.claim(t, "worker-c", breach.ChannelEmail, 10)
	if len(c) != 1 || c[0].ID != b[0].ID || c[0].Claims != 2 {
		t.Fatalf("after b's lease: got %v, want b's delivery claimed a second time", externalIDs(c))
	}
	if marked := f.update(t, "worker-b", nil, b[0].ID); len(marked) != 0 {
		t.Fatalf("a worker that lost its lease must not send: marked %v", marked)
	}
	if marked := f.update(t, "worker-c", nil, c[0].ID); len(marked) != 1 {
		t.Fatalf("lease holder: marked %v, want [%d]", marked, c[0].ID)
	}
}

func testResults(t *testing.T, f *outboxFixture) {
	f.enqueue(t, breach.ChannelEmail, false)
	ds := f.claim(t, "w", breach.ChannelEmail, 10)
	if len(ds) != 3 {
		t.Fatalf("claimed %d, want 3", len(ds))
	}
	if marked := f.update(t, "w", nil, ids(ds)...); len(marked) != 3 {
		t.Fatalf("marked %v, want all 3", marked)
	}
	retry := f.clock.Now().Add(10 * time.Minute)
	f.update(t, "w", []breach.DeliveryResult{
		{ID: ds[0].ID, State: breach.DeliverySent, Reply: "250 2.0.0 Ok: queued as A1", MessageID: "<m1@acme.example>", BodySHA256: "h1"},
		{ID: ds[1].ID, State: breach.DeliveryDeferred, Reply: "451 4.7.1 try again later", NextAttemptAt: retry},
		{ID: ds[2].ID, State: breach.DeliveryFailed, Reply: "550 5.1.1 no such user"},
	})
	sent, deferred, failed := f.delivery(t, ds[0].ID), f.delivery(t, ds[1].ID), f.delivery(t, ds[2].ID)
	if sent.State != breach.DeliverySent || sent.Sends != 1 || sent.Attempts != 1 || sent.SentAt == nil ||
		sent.MessageID != "<m1@acme.example>" || sent.Reply != "250 2.0.0 Ok: queued as A1" || sent.LeaseOwner != "" || sent.PossibleDuplicate() {
		t.Fatalf("sent delivery: got %+v", sent)
	}
	if deferred.State != breach.DeliveryDeferred || !deferred.NextAttemptAt.Equal(retry) || deferred.Reply != "451 4.7.1 try again later" {
		t.Fatalf("deferred delivery: got %+v", deferred)
	}
	if failed.State != breach.DeliveryFailed || failed.Reply != "550 5.1.1 no such user" {
		t.Fatalf("failed delivery: got %+v", failed)
	}
	if n := len(f.claim(t, "w", breach.ChannelEmail, 10)); n != 0 {
		t.Fatalf("deferred before its retry time: claimed %d", n)
	}
	f.clock.Add(11 * time.Minute)
	again := f.claim(t, "w2", breach.ChannelEmail, 10)
	if len(again) != 1 || again[0].ID != deferred.ID {
		t.Fatalf("after the retry time: got %v, want the deferred delivery", externalIDs(again))
	}
	f.update(t, "w2", nil, again[0].ID)
	f.update(t, "w2", []breach.DeliveryResult{{ID: again[0].ID, State: breach.DeliverySent, Reply: "250 ok"}})
	if d := f.delivery(t, deferred.ID); d.State != breach.DeliverySent || d.Attempts != 2 || d.Sends != 1 {
		t.Fatalf("retried delivery: got state %s attempts %d sends %d, want sent 2 1", d.State, d.Attempts, d.Sends)
	}
	// Releasing claimed rows puts them back at once.
	if err := f.s.AddDelivery(context.Background(), &breach.Delivery{CampaignID: f.campaign.ID, IncidentID: f.inc.ID,
		PersonID: f.people["l1"].ID, Channel: breach.ChannelEmail, Recipient: "late@mail.example"}); err != nil {
		t.Fatal(err)
	}
	late := f.claim(t, "w3", breach.ChannelEmail, 10)
	f.update(t, "w3", []breach.DeliveryResult{{ID: late[0].ID, State: breach.DeliveryQueued}})
	if back := f.claim(t, "w4", breach.ChannelEmail, 10); len(back) != 1 || back[0].ID != late[0].ID {
		t.Fatalf("released delivery: got %v", externalIDs(back))
	}
	events, err := f.s.DeliveryEvents(context.Background(), []int64{deferred.ID, failed.ID})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, fmt.Sprintf("%d:%s", e.DeliveryID, e.Kind))
	}
	if diff := cmp.Diff([]string{fmt.Sprintf("%d:deferred", deferred.ID), fmt.Sprintf("%d:failed", failed.ID)}, kinds); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
	st, err := f.s.DeliveryStats(context.Background(), f.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.States[breach.DeliverySent] != 2 || st.States[breach.DeliveryFailed] != 1 || st.States[breach.DeliveryQueued] != 1 ||
		st.Total != 4 || st.Channels[breach.ChannelEmail][breach.DeliverySent] != 2 || st.PossibleDuplicates != 0 {
		t.Fatalf("stats: got %+v", st)
	}
}

func testInFlightRecovery(t *testing.T, f *outboxFixture) {
	ctx := context.Background()
	f.enqueue(t, breach.ChannelEmail, false)
	ds := f.claim(t, "dies", breach.ChannelEmail, 10)
	// The worker marks two sending, sends nothing more and dies.
	f.update(t, "dies", nil, ds[0].ID, ds[1].ID)
	if n := len(f.claim(t, "next", breach.ChannelEmail, 10)); n != 0 {
		t.Fatalf("within the lease: claimed %d", n)
	}
	f.clock.Add(2 * time.Minute)
	got := f.claim(t, "next", breach.ChannelEmail, 10)
	if len(got) != 3 {
		t.Fatalf("after the lease: claimed %d, want 3", len(got))
	}
	f.update(t, "next", nil, ids(got)...)
	var results []breach.DeliveryResult
	for _, d := range got {
		results = append(results, breach.DeliveryResult{ID: d.ID, State: breach.DeliverySent, Reply: "250 ok"})
	}
	f.update(t, "next", results)
	dups, err := f.s.FindDeliveries(ctx, breach.DeliveryFilter{CampaignID: f.campaign.ID, PossibleDuplicates: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{ds[0].ID, ds[1].ID}, ids(dups)); diff != "" {
		t.Fatalf("possible duplicates (-want +got):\n%s", diff)
	}
	for _, d := range dups {
		if d.InFlightRecoveries != 1 || d.Sends != 1 || d.Attempts != 2 || d.State != breach.DeliverySent {
			t.Fatalf("recovered delivery: got %+v", d)
		}
	}
	events, err := f.s.DeliveryEvents(ctx, ids(dups))
	if err != nil || len(events) != 2 || events[0].Kind != breach.EventRecovered {
		t.Fatalf("recovery events: got %v, %v", events, err)
	}
	st, err := f.s.DeliveryStats(ctx, f.campaign.ID)
	if err != nil || st.PossibleDuplicates != 2 {
		t.Fatalf("stats duplicates: got %+v, %v; want 2", st, err)
	}
	// A second acceptance of a message is a known duplicate.
	f.update(t, "late", []breach.DeliveryResult{{ID: ds[2].ID, State: breach.DeliverySent, Reply: "250 ok"}})
	if d := f.delivery(t, ds[2].ID); d.Sends != 2 || !d.PossibleDuplicate() {
		t.Fatalf("sent twice: got sends %d", d.Sends)
	}
	// A connection lost after the message was handed over is recorded too.
	late := &breach.Delivery{CampaignID: f.campaign.ID, IncidentID: f.inc.ID, PersonID: f.people["l1"].ID, Channel: breach.ChannelEmail, Recipient: "l1@mail.example"}
	if err := f.s.AddDelivery(ctx, late); err != nil {
		t.Fatal(err)
	}
	f.claim(t, "w", breach.ChannelEmail, 10)
	f.update(t, "w", nil, late.ID)
	f.update(t, "w", []breach.DeliveryResult{{ID: late.ID, State: breach.DeliveryDeferred, Error: "read tcp: connection reset", Uncertain: true, NextAttemptAt: f.clock.Now()}})
	if d := f.delivery(t, late.ID); d.State != breach.DeliveryDeferred || d.InFlightRecoveries != 1 || d.LastError != "read tcp: connection reset" {
		t.Fatalf("uncertain deferral: got %+v", d)
	}
	if events, err := f.s.DeliveryEvents(ctx, []int64{late.ID}); err != nil || len(events) != 1 || events[0].Kind != breach.EventUncertain {
		t.Fatalf("uncertain event: got %v, %v", events, err)
	}
}

func testPauseCancel(t *testing.T, f *outboxFixture) {
	ctx := context.Background()
	f.enqueue(t, "", false)
	ds := f.claim(t, "w", breach.ChannelEmail, 1)
	if _, err := f.s.SetCampaignStatus(ctx, f.campaign.ID, breach.CampaignPaused, "too many errors"); err != nil {
		t.Fatal(err)
	}
	if marked := f.update(t, "w", nil, ds[0].ID); len(marked) != 0 {
		t.Fatalf("paused campaign: marked %v for sending", marked)
	}
	if n := len(f.claim(t, "w", breach.ChannelEmail, 10)); n != 0 {
		t.Fatalf("paused campaign: claimed %d", n)
	}
	c, err := f.s.SetCampaignStatus(ctx, f.campaign.ID, breach.CampaignActive, "")
	if err != nil || c.Status != breach.CampaignActive {
		t.Fatalf("resume: got %+v, %v", c, err)
	}
	if n := len(f.claim(t, "w", breach.ChannelEmail, 10)); n != 2 {
		t.Fatalf("resumed: claimed %d, want the 2 unleased", n)
	}
	if _, err := f.s.SetCampaignStatus(ctx, f.campaign.ID, breach.CampaignCancelled, "wrong letter"); err != nil {
		t.Fatal(err)
	}
	st, err := f.s.DeliveryStats(ctx, f.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.States[breach.DeliveryCancelled] != 4 {
		t.Fatalf("cancel: got states %v, want 4 cancelled", st.States)
	}
	if _, err := f.s.SetCampaignStatus(ctx, f.campaign.ID, breach.CampaignActive, ""); breach.ErrorCode(err) != breach.EINVALID {
		t.Fatalf("resume cancelled: got %v, want EINVALID", err)
	}
	if _, err := f.s.SetCampaignStatus(ctx, f.campaign.ID+50, breach.CampaignPaused, ""); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("missing campaign: got %v, want ENOTFOUND", err)
	}
}

func testBounceAndLetters(t *testing.T, f *outboxFixture) {
	ctx := context.Background()
	f.enqueue(t, "", false)
	ds := f.claim(t, "w", breach.ChannelEmail, 10)
	f.update(t, "w", nil, ids(ds)...)
	f.update(t, "w", []breach.DeliveryResult{{ID: ds[0].ID, State: breach.DeliverySent}, {ID: ds[2].ID, State: breach.DeliverySent},
		{ID: ds[1].ID, State: breach.DeliverySent, Reply: "250 ok", MessageID: "<b@acme.example>"}})
	byMsg, err := f.s.FindDeliveries(ctx, breach.DeliveryFilter{MessageID: "<b@acme.example>"})
	if err != nil || len(byMsg) != 1 || byMsg[0].ID != ds[1].ID {
		t.Fatalf("find by Message-ID: got %v, %v", byMsg, err)
	}
	at := f.clock.Now().Add(time.Hour)
	changed, err := f.s.MarkBounced(ctx, ds[1].ID, at, "5.1.1 smtp; 550 no such user")
	if err != nil || !changed {
		t.Fatalf("bounce: got %v, %v", changed, err)
	}
	if changed, err := f.s.MarkBounced(ctx, ds[1].ID, at, "again"); err != nil || changed {
		t.Fatalf("second bounce: got %v, %v; want no change", changed, err)
	}
	d := f.delivery(t, ds[1].ID)
	if d.State != breach.DeliveryBounced || d.BouncedAt == nil || !d.BouncedAt.Equal(at) || d.Reply != "5.1.1 smtp; 550 no such user" {
		t.Fatalf("bounced delivery: got %+v", d)
	}
	if unreached, err := f.s.UnreachedPeople(ctx, f.campaign.ID, 0, 10); err != nil || !cmp.Equal([]string{"e2", "none"}, externalIDsOf(unreached)) {
		t.Fatalf("unreached after the bounce: got %v, %v; want e2 and none", externalIDsOf(unreached), err)
	}
	fallback := &breach.Delivery{CampaignID: f.campaign.ID, IncidentID: f.inc.ID, PersonID: d.PersonID, Channel: breach.ChannelLetter,
		Recipient: "Pat Doe e2, 1 Elm St", FallbackOf: d.ID}
	if err := f.s.AddDelivery(ctx, fallback); err != nil || fallback.ID == 0 {
		t.Fatalf("fallback letter: %v", err)
	}
	letters := f.claim(t, "printer", breach.ChannelLetter, 10)
	if len(letters) != 2 {
		t.Fatalf("letters: claimed %d, want 2 (l1 and the fallback)", len(letters))
	}
	moved, err := f.s.MarkPrinted(ctx, "printer", "batch-0001", []breach.PrintedLetter{{ID: letters[0].ID, BodySHA256: "x"}, {ID: letters[1].ID, BodySHA256: "y"}})
	if err != nil || len(moved) != 2 {
		t.Fatalf("printed: got %v, %v", moved, err)
	}
	inBatch, err := f.s.FindDeliveries(ctx, breach.DeliveryFilter{PrintBatch: "batch-0001"})
	if err != nil || len(inBatch) != 2 || inBatch[0].State != breach.DeliverySending {
		t.Fatalf("print batch: got %v, %v", inBatch, err)
	}
	// Printed letters are not in flight e-mails: a later claim leaves them.
	f.clock.Add(time.Hour)
	if n := len(f.claim(t, "w", breach.ChannelEmail, 10)); n != 0 {
		t.Fatalf("claim after printing: got %d", n)
	}
	mailed := time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC)
	if changed, err := f.s.MarkMailed(ctx, letters[0].ID, mailed, "vendor file mail.csv"); err != nil || !changed {
		t.Fatalf("mailed: %v, %v", changed, err)
	}
	if changed, err := f.s.MarkMailed(ctx, letters[0].ID, mailed, ""); err != nil || changed {
		t.Fatalf("mailed twice: %v, %v; want no change", changed, err)
	}
	if _, err := f.s.MarkMailed(ctx, ds[0].ID, mailed, ""); breach.ErrorCode(err) != breach.ENOTFOUND {
		t.Fatalf("mark an e-mail mailed: got %v, want ENOTFOUND", err)
	}
	unreached, err := f.s.UnreachedPeople(ctx, f.campaign.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"none"}, externalIDsOf(unreached)); diff != "" {
		t.Fatalf("unreached people (-want +got):\n%s", diff)
	}
	l := f.delivery(t, letters[0].ID)
	if l.State != breach.DeliverySent || l.SentAt == nil || !l.SentAt.Equal(mailed) || l.Reply != "mailed 2026-11-09 (vendor file mail.csv)" {
		t.Fatalf("mailed letter: got %+v", l)
	}
	events, err := f.s.DeliveryEvents(ctx, []int64{letters[0].ID})
	if err != nil || len(events) != 2 || events[0].Kind != breach.EventPrinted || events[1].Kind != breach.EventMailed {
		t.Fatalf("letter events: got %v, %v", events, err)
	}
}
