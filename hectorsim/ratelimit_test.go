package hectorsim

import (
	"net/http"
	"testing"
	"time"
)

// Past the burst a key gets 429 rate_limited with Retry-After; each key has
// its own bucket; tokens come back with time.
func TestRateLimit(t *testing.T) {
	h := newHarness(t, Options{Rate: 2, Burst: 3, APIKeys: []string{"other"}})
	for i := range 3 {
		h.must(http.StatusOK, "GET", "/users", "")
		_ = i
	}
	r := h.do("GET", "/users", "")
	h.wantErr(r, http.StatusTooManyRequests, "rate_limited", "")
	if got := r.header.Get("Retry-After"); got != "1" {
		t.Errorf("got Retry-After %q, want 1", got)
	}
	if got := h.doKey("other", "GET", "/users", ""); got.status != http.StatusOK {
		t.Errorf("got status %d for another key, want 200 (own bucket)", got.status)
	}
	h.clock.Advance(500 * time.Millisecond)
	h.must(http.StatusOK, "GET", "/users", "")
	h.wantErr(h.do("GET", "/users", ""), http.StatusTooManyRequests, "rate_limited", "")
	if got := h.sim.Stats().RateLimited; got != 2 {
		t.Errorf("got Stats.RateLimited %d, want 2", got)
	}
}

// Retry-After is the whole seconds until a token is back, at least 1.
func TestRateLimitRetryAfter(t *testing.T) {
	tests := []struct {
		rate float64
		want string
	}{
		{0.1, "10"},
		{0.4, "3"},
		{100, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			h := newHarness(t, Options{Rate: tt.rate, Burst: 1})
			h.must(http.StatusOK, "GET", "/roles", "")
			if got := h.do("GET", "/roles", "").header.Get("Retry-After"); got != tt.want {
				t.Errorf("got Retry-After %q, want %q", got, tt.want)
			}
		})
	}
}

// Rate 0 is no limit; Burst 0 with a rate is DefaultBurst; SetRateLimit
// changes both.
func TestRateLimitDefaults(t *testing.T) {
	h := newHarness(t, Options{})
	for range 300 {
		h.must(http.StatusOK, "GET", "/roles", "")
	}
	h.sim.SetRateLimit(1, 0)
	for range DefaultBurst {
		h.must(http.StatusOK, "GET", "/roles", "")
	}
	h.wantErr(h.do("GET", "/roles", ""), http.StatusTooManyRequests, "rate_limited", "")
	h.sim.SetRateLimit(0, 0)
	h.must(http.StatusOK, "GET", "/roles", "")
}
