package caddymodule

import (
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"golang.org/x/time/rate"
)

// Defaults of the authentication-failure limit: 10 failures a minute per
// client address.
const (
	DefaultAuthFailures      = 10
	DefaultAuthFailureWindow = time.Minute
	maxThrottled             = 10000
)

// failureLimiter slows down repeated authentication failures from one
// client address: past the limit, a wrong token from that address gets 429
// with Retry-After instead of 401 until the bucket refills. A valid token
// is served whatever its address's failures (Entra sends from addresses
// shared by every tenant, and behind a load balancer without
// trusted_proxies every client is one address). Other addresses are not
// affected. One failureLimiter is shared by the handlers of a tenant and
// Hector URL, across reloads.
type failureLimiter struct {
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	limit   rate.Limit
	burst   int
	now     func() time.Time
}

func newFailureLimiter(failures int, window time.Duration, now func() time.Time) *failureLimiter {
	return &failureLimiter{
		buckets: map[string]*rate.Limiter{},
		limit:   rate.Limit(float64(failures) / window.Seconds()),
		burst:   failures,
		now:     now,
	}
}

// blocked reports whether addr has used up its failures, and when it may
// try again.
func (f *failureLimiter) blocked(addr string) (bool, time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.buckets[addr]
	if b == nil {
		return false, 0
	}
	tokens := b.TokensAt(f.now())
	if tokens >= 1 {
		return false, 0
	}
	return true, time.Duration((1 - tokens) / float64(f.limit) * float64(time.Second))
}

// fail records a failure from addr.
func (f *failureLimiter) fail(addr string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.buckets[addr]
	if b == nil {
		if len(f.buckets) >= maxThrottled {
			f.prune()
		}
		b = rate.NewLimiter(f.limit, f.burst)
		f.buckets[addr] = b
	}
	b.AllowN(f.now(), 1)
}

// prune forgets the addresses whose bucket is full again.
func (f *failureLimiter) prune() {
	now := f.now()
	for addr, b := range f.buckets {
		if b.TokensAt(now) >= float64(f.burst) {
			delete(f.buckets, addr)
		}
	}
}

// sharedThrottle returns the failure buckets of the tenant and Hector URL,
// kept across reloads.
func (h *Handler) sharedThrottle(url string) (*failureLimiter, error) {
	window := time.Duration(h.AuthFailureWindow)
	k := failuresKey{tenant: h.Tenant, url: url, failures: h.AuthFailures, window: window}
	return loadShared(h, k, func() (*failureLimiter, error) {
		return newFailureLimiter(h.AuthFailures, window, time.Now), nil
	})
}

// clientAddr is the client's IP as Caddy's server determined it
// (caddyhttp.ClientIPVarKey): the connection's address, or, from a trusted
// proxy (trusted_proxies), the address its client IP headers give: the
// left-most by default, which the client can forge, or the right-most
// untrusted one with trusted_proxies_strict. Outside a Caddy server (no
// such variable), it is the connection's address.
func clientAddr(r *http.Request) string {
	if ip, ok := caddyhttp.GetVar(r.Context(), caddyhttp.ClientIPVarKey).(string); ok && ip != "" {
		return ip
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
