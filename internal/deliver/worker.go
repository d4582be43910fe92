package deliver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/candor-dev/candor/internal/breach"
)

// Worker sends the e-mail deliveries of active campaigns: it claims leased
// batches, renders each notice, and sends it over a pool of reused SMTP
// connections. Several workers (processes, machines) may share one
// PostgreSQL database; on SQLite run one worker process.
type Worker struct {
	store   Store
	notices Notices
	opts    Options
	from    string
	limit   *limiter
	journal *journal

	mu        sync.Mutex
	held      map[int64]struct{}
	campaigns map[int64]*campaignState
	// idle is signalled when the last held delivery is finished, so that
	// a draining dispatcher looks again at once.
	idle chan struct{}

	sent, deferred, failed, released, uncertain atomic.Int64
}

// campaignState is what a worker knows of one campaign.
type campaignState struct {
	campaign *breach.Campaign
	renderer Renderer
	err      error // the renderer could not be had: the campaign is paused
	errors   atomic.Int64
	paused   atomic.Bool
}

// Report counts what a worker did.
type Report struct {
	Sent     int64 `json:"sent"`
	Deferred int64 `json:"deferred"`
	Failed   int64 `json:"failed"`
	// Released counts deliveries handed back unsent (a paused campaign, a
	// lost lease, shutdown).
	Released int64 `json:"released"`
	// Uncertain counts connections lost after a message was handed over.
	Uncertain int64 `json:"uncertain"`
	// Paused lists the campaigns this worker paused, with the reason.
	Paused  []string      `json:"paused,omitempty"`
	Elapsed time.Duration `json:"elapsed_ns"`
}

// Counts returns what the worker has done so far; it is safe to call while
// the worker runs (for metrics).
func (w *Worker) Counts() Report {
	return Report{Sent: w.sent.Load(), Deferred: w.deferred.Load(), Failed: w.failed.Load(),
		Released: w.released.Load(), Uncertain: w.uncertain.Load()}
}

// NewWorker checks the options and the sender address and returns a
// worker; it does not connect yet.
func NewWorker(ctx context.Context, store Store, notices Notices, opts Options) (*Worker, error) {
	opts.setDefaults()
	if err := opts.SMTP.Validate(); err != nil {
		return nil, err
	}
	org, err := store.Organization(ctx)
	if err != nil {
		return nil, err
	}
	from, err := envelopeFrom(org, opts.From)
	if err != nil {
		return nil, err
	}
	if opts.SMTP.LocalName == "" {
		opts.SMTP.LocalName = org.PrimaryDomain
	}
	return &Worker{store: store, notices: notices, opts: opts, from: from,
		limit:   newLimiter(opts.RatePerSec, opts.RatePerDomain, opts.DomainRates),
		journal: newJournal(store, opts.Owner, opts.Logger), held: map[int64]struct{}{}, campaigns: map[int64]*campaignState{},
		idle: make(chan struct{}, 1)}, nil
}

// Run sends until ctx ends.
func (w *Worker) Run(ctx context.Context) (*Report, error) { return w.run(ctx, false) }

// Drain sends until no e-mail of an active campaign is left to send (queued,
// deferred, or in flight at another worker), waiting out retry times.
func (w *Worker) Drain(ctx context.Context) (*Report, error) { return w.run(ctx, true) }

func (w *Worker) run(ctx context.Context, drain bool) (*Report, error) {
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go w.journal.run()
	hbDone := make(chan struct{})
	go func() { defer close(hbDone); w.heartbeat(ctx) }()

	work := make(chan *breach.Delivery, w.opts.BatchSize)
	var senders sync.WaitGroup
	for i := 0; i < w.opts.Connections; i++ {
		senders.Add(1)
		go func() {
			defer senders.Done()
			w.sender(ctx, work)
		}()
	}
	err := w.dispatch(ctx, work, drain)
	close(work)
	senders.Wait()
	cancel()
	<-hbDone
	w.releaseHeld()
	w.journal.stop()
	rep := &Report{Sent: w.sent.Load(), Deferred: w.deferred.Load(), Failed: w.failed.Load(), Released: w.released.Load(),
		Uncertain: w.uncertain.Load(), Elapsed: time.Since(start)}
	w.mu.Lock()
	for _, cs := range w.campaigns {
		if cs.paused.Load() {
			rep.Paused = append(rep.Paused, fmt.Sprintf("%s (%d): %s", cs.campaign.Name, cs.campaign.ID, cs.campaign.StatusReason))
		}
	}
	w.mu.Unlock()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return rep, err
}

// dispatch claims batches and feeds the senders, keeping the queue between
// half and fully stocked, until ctx ends or (when draining) no work is
// left.
func (w *Worker) dispatch(ctx context.Context, work chan<- *breach.Delivery, drain bool) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		want := w.opts.BatchSize - len(work)
		if want < w.opts.BatchSize/2 {
			if !sleep(ctx, 5*time.Millisecond) {
				return ctx.Err()
			}
			continue
		}
		ds, err := w.store.ClaimDeliveries(ctx, breach.ClaimRequest{Owner: w.opts.Owner, Channel: breach.ChannelEmail,
			Limit: want, Lease: w.opts.Lease, CampaignID: w.opts.CampaignID})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			w.opts.Logger.Error("claim deliveries", "err", err)
			if !sleep(ctx, w.opts.Poll) {
				return ctx.Err()
			}
			continue
		}
		if len(ds) == 0 {
			if drain && w.heldCount() == 0 {
				w.journal.sync(ctx)
				pending, err := w.pending(ctx)
				if err != nil {
					return err
				}
				if !pending {
					return nil
				}
			}
			t := time.NewTimer(w.poll(drain))
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-w.idle:
			case <-t.C:
			}
			t.Stop()
			continue
		}
		w.mu.Lock()
		for _, d := range ds {
			w.held[d.ID] = struct{}{}
		}
		w.mu.Unlock()
		w.prefetch(ctx, ds)
		for _, d := range ds {
			work <- d
		}
	}
}

// prefetch lets each campaign's renderer load what the batch needs at once.
func (w *Worker) prefetch(ctx context.Context, ds []*breach.Delivery) {
	byCampaign := map[int64][]*breach.Person{}
	for _, d := range ds {
		if d.Person != nil {
			byCampaign[d.CampaignID] = append(byCampaign[d.CampaignID], d.Person)
		}
	}
	for id, people := range byCampaign {
		cs := w.campaign(ctx, id)
		if pf, ok := cs.renderer.(prefetcher); ok && cs.err == nil {
			if err := pf.Prefetch(ctx, people); err != nil {
				w.opts.Logger.Warn("prefetch", "campaign", id, "err", err)
			}
		}
	}
}

// poll is the idle wait; a draining worker looks more often so that short
// retry times in tests and demos are not stretched.
func (w *Worker) poll(drain bool) time.Duration {
	if drain {
		return min(w.opts.Poll, max(w.opts.RetryBase/4, 10*time.Millisecond))
	}
	return w.opts.Poll
}

// pending reports whether any active campaign still has e-mail to send.
func (w *Worker) pending(ctx context.Context) (bool, error) {
	var ids []int64
	if w.opts.CampaignID > 0 {
		ids = []int64{w.opts.CampaignID}
	} else {
		w.mu.Lock()
		for id := range w.campaigns {
			ids = append(ids, id)
		}
		w.mu.Unlock()
	}
	for _, id := range ids {
		c, err := w.store.FindCampaignByID(ctx, id)
		if err != nil {
			return false, err
		}
		if c.Status != breach.CampaignActive {
			continue
		}
		st, err := w.store.DeliveryStats(ctx, id)
		if err != nil {
			return false, err
		}
		em := st.Channels[breach.ChannelEmail]
		if em[breach.DeliveryQueued]+em[breach.DeliveryDeferred]+em[breach.DeliverySending] > 0 {
			return true, nil
		}
	}
	return false, nil
}

// heartbeat renews the lease of held deliveries every third of the lease.
func (w *Worker) heartbeat(ctx context.Context) {
	t := time.NewTicker(w.opts.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		w.mu.Lock()
		ids := make([]int64, 0, len(w.held))
		for id := range w.held {
			ids = append(ids, id)
		}
		w.mu.Unlock()
		if err := w.store.ExtendLease(ctx, w.opts.Owner, ids, time.Now().Add(w.opts.Lease)); err != nil && ctx.Err() == nil {
			w.opts.Logger.Error("renew leases", "err", err, "deliveries", len(ids))
		}
	}
}

func (w *Worker) heldCount() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.held)
}

func (w *Worker) finish(id int64) {
	w.mu.Lock()
	delete(w.held, id)
	empty := len(w.held) == 0
	w.mu.Unlock()
	if empty {
		select {
		case w.idle <- struct{}{}:
		default:
		}
	}
}

// releaseHeld hands back what was claimed but never started.
func (w *Worker) releaseHeld() {
	w.mu.Lock()
	ids := make([]int64, 0, len(w.held))
	for id := range w.held {
		ids = append(ids, id)
	}
	w.held = map[int64]struct{}{}
	w.mu.Unlock()
	for _, id := range ids {
		w.release(id, "")
	}
}

func (w *Worker) release(id int64, why string) {
	w.released.Add(1)
	w.journal.record(breach.DeliveryResult{ID: id, State: breach.DeliveryQueued, Error: why})
}

// campaign returns the worker's state of a campaign, fetching its
// renderer on first use. A campaign whose notice approval no longer holds
// is paused with the reason.
func (w *Worker) campaign(ctx context.Context, id int64) *campaignState {
	w.mu.Lock()
	defer w.mu.Unlock()
	if cs, ok := w.campaigns[id]; ok {
		return cs
	}
	cs := &campaignState{}
	w.campaigns[id] = cs
	cs.campaign, cs.err = w.store.FindCampaignByID(ctx, id)
	if cs.err == nil {
		cs.renderer, cs.err = w.notices.Renderer(ctx, cs.campaign)
		if cs.err != nil {
			w.pauseLocked(ctx, cs, "the notice approval does not hold: "+breach.ErrorMessage(cs.err))
		}
	}
	return cs
}

func (w *Worker) pause(ctx context.Context, cs *campaignState, reason string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pauseLocked(ctx, cs, reason)
}

func (w *Worker) pauseLocked(ctx context.Context, cs *campaignState, reason string) {
	if cs.paused.Swap(true) {
		return
	}
	c, err := w.store.SetCampaignStatus(context.WithoutCancel(ctx), cs.campaign.ID, breach.CampaignPaused, reason)
	if err != nil {
		w.opts.Logger.Error("pause campaign", "campaign", cs.campaign.ID, "err", err)
		return
	}
	cs.campaign = c
	w.opts.Logger.Warn("campaign paused", "campaign", c.Name, "id", c.ID, "reason", reason)
}

// markAhead is how many messages a connection keeps ready (rendered, their
// sending mark asked for) behind the one on the wire, so that the database
// round trips overlap the SMTP exchanges instead of adding to them.
const markAhead = 2

// sender owns one SMTP connection and sends what it is handed, keeping
// markAhead messages ready. At a crash a connection thus has at most
// markAhead+1 deliveries marked sending, and each is recorded as a possible
// duplicate.
func (w *Worker) sender(ctx context.Context, work <-chan *breach.Delivery) {
	var c *conn
	defer func() {
		if c != nil {
			c.close()
		}
	}()
	dialWait := time.Duration(0)
	var bufs [markAhead + 1][]byte
	for i := range bufs {
		bufs[i] = make([]byte, 0, 16<<10)
	}
	var ready []*outgoing // oldest first
	open := true
	for {
		for open && len(ready) <= markAhead {
			var d *breach.Delivery
			var ok bool
			if len(ready) == 0 {
				d, ok = <-work
			} else {
				select {
				case d, ok = <-work:
				default:
					ok, d = true, nil
				}
			}
			if !ok {
				open = false
				break
			}
			if d == nil {
				break // nothing queued now: send what is ready
			}
			if o := w.prepare(ctx, d, freeBuf(&bufs, ready)); o != nil {
				ready = append(ready, o)
			}
		}
		if len(ready) == 0 {
			if !open {
				return
			}
			continue
		}
		cur := ready[0]
		ready = ready[1:]
		var ok bool
		c, ok = w.transmit(ctx, c, cur)
		if ok {
			dialWait = 0
		} else if c == nil {
			// No connection: wait before dialling again, longer each time.
			dialWait = min(max(2*dialWait, 100*time.Millisecond), 30*time.Second)
			sleep(ctx, dialWait)
		}
	}
}

// freeBuf returns a buffer no ready message uses.
func freeBuf(bufs *[markAhead + 1][]byte, ready []*outgoing) *[]byte {
	for i := range bufs {
		used := false
		for _, o := range ready {
			if o.buf == &bufs[i] {
				used = true
			}
		}
		if !used {
			return &bufs[i]
		}
	}
	panic("deliver: no free render buffer")
}

// outgoing is a rendered message whose sending mark has been asked for.
type outgoing struct {
	d     *breach.Delivery
	cs    *campaignState
	msg   []byte
	msgID string
	buf   *[]byte
	mark  <-chan bool
}

// prepare checks and renders a delivery into buf and asks for its sending
// mark; it returns nil when the delivery was settled (failed or released)
// instead.
func (w *Worker) prepare(ctx context.Context, d *breach.Delivery, buf *[]byte) (o *outgoing) {
	defer func() {
		if o == nil {
			w.finish(d.ID)
		}
	}()
	if ctx.Err() != nil {
		w.release(d.ID, "")
		return nil
	}
	cs := w.campaign(ctx, d.CampaignID)
	if cs.err != nil || cs.paused.Load() {
		w.release(d.ID, "")
		return nil
	}
	p := d.Person
	if p == nil || !strings.EqualFold(p.Email, d.Recipient) {
		// The address changed since the delivery was queued: do not guess.
		w.fail(d, "", "the person's e-mail address changed after the notice was queued; enqueue again")
		return nil
	}
	if !validAddress(d.Recipient) {
		w.fail(d, "", fmt.Sprintf("%q is not a deliverable e-mail address", d.Recipient))
		return nil
	}
	msg, msgID, err := cs.renderer.Email(p, *buf)
	*buf = msg
	if err != nil {
		w.fail(d, "", "render: "+breach.ErrorMessage(err))
		return nil
	}
	return &outgoing{d: d, cs: cs, msg: msg, msgID: msgID, buf: buf, mark: w.journal.askSending(d.ID)}
}

// transmit takes a prepared message through pacing, its sending mark, the
// SMTP transaction and its result. It returns the connection to reuse (nil
// when there is none) and whether a connection was working.
func (w *Worker) transmit(ctx context.Context, c *conn, o *outgoing) (*conn, bool) {
	d, cs, msg, msgID := o.d, o.cs, o.msg, o.msgID
	defer w.finish(d.ID)
	// Until the mark is known the delivery may be sending: a release puts
	// it back either way, as it did not go.
	if err := w.limit.wait(ctx, domainOf(d.Recipient)); err != nil {
		<-o.mark
		w.release(d.ID, "")
		return c, true
	}
	var err error
	if c != nil && w.opts.SMTP.MaxPerConnection > 0 && c.sent >= w.opts.SMTP.MaxPerConnection {
		c.close()
		c = nil
	}
	if c == nil {
		if c, err = dial(ctx, w.opts.SMTP); err != nil {
			<-o.mark
			w.opts.Logger.Error("smtp connect", "err", err)
			w.release(d.ID, err.Error())
			w.countError(ctx, cs, err.Error())
			return nil, false
		}
	}
	if !<-o.mark || cs.paused.Load() {
		w.release(d.ID, "")
		return c, true
	}
	sum := sha256.Sum256(msg)
	res := breach.DeliveryResult{ID: d.ID, MessageID: msgID, BodySHA256: hex.EncodeToString(sum[:])}
	reply, err := c.send(w.from, d.Recipient, msg)
	var se *SendError
	if errors.As(err, &se) && se.Broken() && !se.HandedOver && c.sent > 0 {
		// A reused connection the server had dropped (idle timeout): the
		// message did not go, so it goes on a fresh one, still marked.
		c.close()
		if c, err = dial(ctx, w.opts.SMTP); err != nil {
			c = nil
			err = &SendError{Stage: "connect", Err: err}
		} else {
			reply, err = c.send(w.from, d.Recipient, msg)
		}
	}
	if err == nil {
		res.State, res.Reply = breach.DeliverySent, reply
		w.journal.record(res)
		w.sent.Add(1)
		cs.errors.Store(0)
		return c, true
	}
	if !errors.As(err, &se) {
		se = &SendError{Stage: "send", Err: err}
	}
	res.Reply, res.Error = se.Reply(), se.Error()
	attempts := d.Attempts + 1
	switch {
	case se.Permanent() && se.Stage != "mail":
		// The server refused this recipient or this message for good.
		res.State = breach.DeliveryFailed
		w.failed.Add(1)
	case attempts >= w.opts.MaxAttempts && !se.HandedOver:
		res.State = breach.DeliveryFailed
		res.Error = fmt.Sprintf("gave up after %d attempts: %s", attempts, se.Error())
		w.failed.Add(1)
	default:
		// 4xx, a refused sender, or a broken connection: try again later.
		res.State, res.Uncertain = breach.DeliveryDeferred, se.HandedOver
		res.NextAttemptAt = time.Now().Add(w.opts.backoff(attempts))
		if se.Broken() && !se.HandedOver {
			res.NextAttemptAt = time.Now()
		}
		w.deferred.Add(1)
		if se.HandedOver {
			w.uncertain.Add(1)
		}
	}
	w.journal.record(res)
	w.countError(ctx, cs, se.Error())
	if se.Broken() {
		if c != nil {
			c.close()
		}
		return nil, true
	}
	return c, true
}

func (w *Worker) fail(d *breach.Delivery, reply, why string) {
	w.failed.Add(1)
	w.journal.record(breach.DeliveryResult{ID: d.ID, State: breach.DeliveryFailed, Reply: reply, Error: why})
}

// countError counts a failed send against the campaign and pauses it at
// the cap.
func (w *Worker) countError(ctx context.Context, cs *campaignState, last string) {
	if n := cs.errors.Add(1); n >= int64(w.opts.MaxConsecutiveErrors) {
		w.pause(ctx, cs, fmt.Sprintf("%d consecutive send errors, the last: %s; fix the cause, then `candor send resume`", n, last))
	}
}

// validAddress rejects what must never reach an SMTP command line.
func validAddress(a string) bool {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 || len(a) > 254 {
		return false
	}
	return !strings.ContainsAny(a, "<>\r\n \t\"(),:;[]\\")
}

// sleep waits d or until ctx ends; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
