package hectorsim

import (
	"context"
	"crypto/subtle"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// newLimiter returns the token bucket of one API key; rate 0 is unlimited.
func newLimiter(r float64, burst int) *rate.Limiter {
	if r == 0 {
		return rate.NewLimiter(rate.Inf, 0)
	}
	return rate.NewLimiter(rate.Limit(r), burst)
}

// authenticate returns the bucket of the request's API key, or false when
// the key is missing or wrong. Every key is compared in constant time.
func (s *Server) authenticate(r *http.Request) (*rate.Limiter, bool) {
	got := []byte(r.Header.Get("X-Api-Key"))
	lims := *s.limiters.Load()
	var found *rate.Limiter
	for i, k := range s.keys {
		if subtle.ConstantTimeCompare(got, []byte(k)) == 1 {
			found = lims[i]
		}
	}
	return found, found != nil && len(got) > 0
}

// allow takes a token from lim at now, or returns the whole seconds (at
// least 1) until one is available.
func allow(lim *rate.Limiter, now time.Time) (retryAfter int, ok bool) {
	if lim.AllowN(now, 1) {
		return 0, true
	}
	wait := 1.0
	if l := float64(lim.Limit()); l > 0 {
		wait = (1 - lim.TokensAt(now)) / l
	}
	return max(1, int(math.Ceil(wait))), false
}

// faults is the fault-injection state; rng is not goroutine-safe.
type faults struct {
	mu        sync.Mutex
	rng       *rand.Rand
	faultRate float64
	ambigRate float64
}

func newFaults(seed int64, faultRate, ambigRate float64) *faults {
	return &faults{rng: rand.New(rand.NewPCG(uint64(seed), uint64(seed)>>1|1)), faultRate: faultRate, ambigRate: ambigRate}
}

// fault returns 502 or 503 for a request picked to fail, else 0.
func (f *faults) fault() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.faultRate == 0 || f.rng.Float64() >= f.faultRate {
		return 0
	}
	if f.rng.IntN(2) == 0 {
		return http.StatusBadGateway
	}
	return http.StatusServiceUnavailable
}

// ambiguous returns whether a create is picked to lose its answer, and
// whether the loss is a dropped connection (else a 502).
func (f *faults) ambiguous() (lost, drop bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ambigRate == 0 || f.rng.Float64() >= f.ambigRate {
		return false, false
	}
	return true, f.rng.IntN(2) == 0
}

func (f *faults) set(faultRate, ambigRate float64) {
	f.mu.Lock()
	f.faultRate, f.ambigRate = faultRate, ambigRate
	f.mu.Unlock()
}

// wait sleeps d unless ctx ends first; it reports whether d elapsed.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// dropConnection closes the client connection without an answer: hijacked
// and closed where possible, else aborted with http.ErrAbortHandler, which
// net/http (and Caddy) recover by resetting the connection or stream.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
