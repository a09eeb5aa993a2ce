package hectorsim

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Injected faults answer 502 or 503 (Retry-After: 1) at about FaultRate,
// and do nothing.
func TestFaultRate(t *testing.T) {
	h := newHarness(t, Options{FaultRate: 0.25, Seed: 42})
	const n = 2000
	got := map[int]int{}
	for i := range n {
		r := h.do("POST", "/users", userBody(fmt.Sprint("u", i)))
		got[r.status]++
		switch r.status {
		case http.StatusServiceUnavailable:
			if ra := r.header.Get("Retry-After"); ra != "1" {
				t.Fatalf("got Retry-After %q on 503, want 1", ra)
			}
			h.wantErr(r, r.status, "server_error", "")
		case http.StatusBadGateway:
			h.wantErr(r, r.status, "server_error", "")
		}
	}
	faults := got[502] + got[503]
	if frac := float64(faults) / n; frac < 0.22 || frac > 0.28 {
		t.Errorf("got fault fraction %.3f (%v), want about 0.25", frac, got)
	}
	if got[502] == 0 || got[503] == 0 {
		t.Errorf("got %v, want both 502 and 503", got)
	}
	if users := len(h.sim.Users()); users != got[201] {
		t.Errorf("got %d users, want %d (faults create nothing)", users, got[201])
	}
	if st := h.sim.Stats(); st.Faults != int64(faults) || st.Requests != n || st.ByRoute["POST /users"] != n {
		t.Errorf("got stats %+v, want %d faults of %d requests", st, faults, n)
	}
}

// An ambiguous POST is applied, but the client sees a dropped connection or
// a 502.
func TestAmbiguousPost(t *testing.T) {
	h := newHarness(t, Options{AmbiguousPostRate: 1, Seed: 7})
	const n = 40
	dropped, bad := 0, 0
	for i := range n {
		req, _ := http.NewRequest("POST", h.ts.URL+"/users", strings.NewReader(userBody(fmt.Sprint("u", i))))
		req.Header.Set("X-Api-Key", testKey)
		res, err := h.ts.Client().Do(req)
		if err != nil {
			dropped++
			continue
		}
		res.Body.Close()
		if res.StatusCode != http.StatusBadGateway {
			t.Fatalf("got status %d, want 502 or a dropped connection", res.StatusCode)
		}
		bad++
	}
	if dropped == 0 || bad == 0 {
		t.Errorf("got %d dropped and %d 502, want both", dropped, bad)
	}
	if got := len(h.sim.Users()); got != n {
		t.Errorf("got %d users, want %d (every ambiguous POST is applied)", got, n)
	}
	if got := h.sim.Stats().Ambiguous; got != n {
		t.Errorf("got Stats.Ambiguous %d, want %d", got, n)
	}
	t.Run("groups too", func(t *testing.T) {
		before := h.sim.Stats().Ambiguous
		req, _ := http.NewRequest("POST", h.ts.URL+"/groups", strings.NewReader(`{"name":"g"}`))
		req.Header.Set("X-Api-Key", testKey)
		if res, err := h.ts.Client().Do(req); err == nil {
			res.Body.Close()
		}
		if len(h.sim.Groups()) != 1 || h.sim.Stats().Ambiguous != before+1 {
			t.Errorf("got groups %d, ambiguous %d, want 1 and %d", len(h.sim.Groups()), h.sim.Stats().Ambiguous, before+1)
		}
	})
	t.Run("failures and other methods are answered", func(t *testing.T) {
		h.wantErr(h.do("POST", "/users", userBody("u0")), http.StatusConflict, "conflict", "username")
		h.must(http.StatusOK, "PUT", "/users/1", userBody("u0"))
		h.must(http.StatusNoContent, "POST", "/groups/1/members", `{"user_ids":[1]}`)
	})
}

// SetDown closes every connection without an answer, until lifted.
func TestSetDown(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.SetDown(true)
	req, _ := http.NewRequest("GET", h.ts.URL+"/users", nil)
	req.Header.Set("X-Api-Key", testKey)
	if res, err := h.ts.Client().Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("got status %d while down, want a connection error", res.StatusCode)
	}
	if got := h.sim.Stats().Requests; got < 1 {
		t.Errorf("got %d requests counted, want at least 1", got)
	}
	h.sim.SetDown(false)
	h.must(http.StatusOK, "GET", "/users", "")
}

// The order is auth, rate limit, faults: a wrong key costs no token and
// sees no fault.
func TestCheckOrder(t *testing.T) {
	h := newHarness(t, Options{Rate: 1, Burst: 1, FaultRate: 1})
	steps := []struct {
		key  string
		want []int
	}{
		{"wrong", []int{401}},
		{testKey, []int{502, 503}},
		{testKey, []int{429}},
		{"", []int{401}},
	}
	for i, s := range steps {
		r := h.doKey(s.key, "GET", "/users", "")
		if r.status != s.want[0] && r.status != s.want[len(s.want)-1] {
			t.Errorf("step %d: got status %d, want %v", i, r.status, s.want)
		}
	}
	if st := h.sim.Stats(); st.Requests != 4 || st.Faults != 1 || st.RateLimited != 1 {
		t.Errorf("got %+v, want 4 requests, 1 fault, 1 rate limited", st)
	}
}

// Latency delays every admitted request, and gives up, unanswered and
// without effect, when the request's context ends.
func TestLatency(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.SetLatency(30 * time.Millisecond)
	start := time.Now()
	h.must(http.StatusOK, "GET", "/users", "")
	if got := time.Since(start); got < 30*time.Millisecond {
		t.Errorf("got %v, want at least 30ms", got)
	}
	h.sim.SetLatency(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, "POST", "/users", strings.NewReader(userBody("a")))
	req.Header.Set("X-Api-Key", testKey)
	rec := httptest.NewRecorder()
	h.sim.ServeHTTP(rec, req)
	if rec.Body.Len() != 0 || len(h.sim.Users()) != 0 {
		t.Errorf("got body %q and %d users, want no answer and no user", rec.Body, len(h.sim.Users()))
	}
}
