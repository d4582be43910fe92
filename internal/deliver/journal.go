package deliver

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/candor-dev/candor/internal/breach"
)

// journal writes a worker's state changes with group commit: every
// connection asks for its next delivery to be marked sending (and waits,
// because the mark must be durable before the message goes) and hands in
// its results (without waiting); one goroutine writes all that is pending
// in one transaction, over and over. Sixteen connections cost one
// transaction per round, not thirty-two.
type journal struct {
	store  breach.OutboxStore
	owner  string
	logger *slog.Logger

	mu      sync.Mutex
	results []breach.DeliveryResult
	asks    []ask
	wake    chan struct{}
	done    chan struct{}
	stopped bool
}

type ask struct {
	id    int64
	reply chan bool
}

func newJournal(store breach.OutboxStore, owner string, logger *slog.Logger) *journal {
	return &journal{store: store, owner: owner, logger: logger, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// markSending asks for id to be marked sending and reports whether it was:
// false when the worker no longer holds it, its campaign is not active, or
// the database could not be written.
func (j *journal) markSending(ctx context.Context, id int64) bool {
	select {
	case ok := <-j.askSending(id):
		return ok
	case <-ctx.Done():
		// The mark may still commit: the delivery then looks in flight and
		// is recovered after the lease, recorded as a possible duplicate.
		return false
	}
}

// askSending asks for id to be marked sending; the answer comes on the
// channel once the round that wrote it (or refused it) is over.
func (j *journal) askSending(id int64) <-chan bool {
	reply := make(chan bool, 1)
	j.mu.Lock()
	if j.stopped {
		j.mu.Unlock()
		reply <- false
		return reply
	}
	j.asks = append(j.asks, ask{id, reply})
	j.mu.Unlock()
	j.signal()
	return reply
}

// sync waits until the results recorded so far are written.
func (j *journal) sync(ctx context.Context) {
	j.markSending(ctx, 0)
}

// record queues a result for the next round.
func (j *journal) record(r breach.DeliveryResult) {
	j.mu.Lock()
	j.results = append(j.results, r)
	j.mu.Unlock()
	j.signal()
}

func (j *journal) signal() {
	select {
	case j.wake <- struct{}{}:
	default:
	}
}

// roundGap is the pause after a round that wrote something, to let the
// next gather more: the marks are asked for a message ahead, so the wait
// overlaps SMTP exchanges, and fewer, larger transactions cost less.
const roundGap = 500 * time.Microsecond

// run writes rounds until stop; then it writes what is left.
func (j *journal) run() {
	defer close(j.done)
	for {
		_, open := <-j.wake
		for j.round() {
			if open {
				time.Sleep(roundGap)
			}
		}
		if !open {
			return
		}
	}
}

// stop ends run after a final round; markSending fails from now on.
func (j *journal) stop() {
	j.mu.Lock()
	j.stopped = true
	j.mu.Unlock()
	close(j.wake)
	<-j.done
}

// round writes one transaction and reports whether it wrote anything. A
// failed write keeps the results for the next round (retrying a few times
// with a pause) and refuses the asks: a result is never dropped while the
// process lives, and nothing is sent that was not marked.
func (j *journal) round() bool {
	j.mu.Lock()
	results, asks := j.results, j.asks
	j.results, j.asks = nil, nil
	j.mu.Unlock()
	if len(results) == 0 && len(asks) == 0 {
		return false
	}
	ids := make([]int64, len(asks))
	for i, a := range asks {
		ids[i] = a.id
	}
	var (
		marked []int64
		err    error
	)
	for try := 0; try < 5; try++ {
		// Not the caller's context: results must be written even while
		// the worker shuts down.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		marked, err = j.store.UpdateDeliveries(ctx, j.owner, results, ids)
		cancel()
		if err == nil {
			break
		}
		j.logger.Error("record deliveries", "err", err, "results", len(results), "try", try+1)
		ids = nil // refuse the asks; keep trying the results
		time.Sleep(time.Duration(try+1) * 200 * time.Millisecond)
	}
	ok := make(map[int64]bool, len(marked))
	for _, id := range marked {
		ok[id] = true
	}
	for _, a := range asks {
		a.reply <- ok[a.id]
	}
	if err != nil {
		// Kept for the next round. Should the process end first, the
		// deliveries stay sending and are recovered after their lease as
		// possible duplicates: nothing is lost.
		j.mu.Lock()
		j.results = append(results, j.results...)
		j.mu.Unlock()
		return false
	}
	return true
}
