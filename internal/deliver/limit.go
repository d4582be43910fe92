package deliver

import (
	"context"
	"math"
	"strings"
	"sync"

	"golang.org/x/time/rate"
)

// limiter paces a worker's messages with token buckets: one for all
// messages and one per recipient domain, so that a large mailbox provider
// is not flooded (they throttle or block senders that burst).
type limiter struct {
	all *rate.Limiter

	mu        sync.Mutex
	perDomain float64
	overrides map[string]float64
	domains   map[string]*rate.Limiter
}

// newLimiter returns a limiter of perSec messages a second overall and
// perDomain a second to each recipient domain, with overrides by domain.
// Zero or less means no limit.
func newLimiter(perSec, perDomain float64, overrides map[string]float64) *limiter {
	l := &limiter{all: bucket(perSec), perDomain: perDomain, overrides: map[string]float64{}, domains: map[string]*rate.Limiter{}}
	for d, r := range overrides {
		l.overrides[strings.ToLower(d)] = r
	}
	return l
}

// bucket returns a token bucket of r a second whose burst is a tenth of a
// second's worth (at least one), so the pace stays smooth.
func bucket(r float64) *rate.Limiter {
	if r <= 0 {
		return rate.NewLimiter(rate.Inf, 1)
	}
	return rate.NewLimiter(rate.Limit(r), max(1, int(math.Ceil(r/10))))
}

// wait blocks until a message to domain may go.
func (l *limiter) wait(ctx context.Context, domain string) error {
	if err := l.all.Wait(ctx); err != nil {
		return err
	}
	d := l.domain(domain)
	if d == nil {
		return nil
	}
	return d.Wait(ctx)
}

func (l *limiter) domain(domain string) *rate.Limiter {
	domain = strings.ToLower(domain)
	r, ok := l.overrides[domain]
	if !ok {
		r = l.perDomain
	}
	if r <= 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.domains[domain]
	if b == nil {
		b = bucket(r)
		l.domains[domain] = b
	}
	return b
}

// domainOf returns the lower-cased domain of an e-mail address.
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}
