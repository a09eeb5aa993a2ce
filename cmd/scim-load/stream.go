package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/tidwall/gjson"
)

// streamResult is the streaming check: one GET of the big group.
type streamResult struct {
	want, members int
	membersOK     bool // count, first and last member as seeded
	before, peak  mem  // sidecar memory before the request and at its peak
	samples       int
	elapsed       time.Duration
	calls         int64 // Hector calls the request made
}

// growth is how much the sidecar's RSS grew while serving the group.
func (s streamResult) growth() int64 { return max(0, s.peak.rss-s.before.rss) }

// streamCheck reads the big group through the sidecar, its body in full,
// sampling the sidecar's RSS every 10 ms meanwhile.
func streamCheck(ctx context.Context, w *world, srv *simServer, sc *sidecar) (streamResult, error) {
	r := streamResult{want: int(w.seed.nPool)}
	var err error
	if r.before, err = readMem(sc.pid); err != nil {
		return r, fmt.Errorf("streaming check: %w", err)
	}
	srv.sim.ResetStats()
	ms := sampleMem(sc.pid, 10*time.Millisecond)
	t0 := time.Now()
	b, err := w.scim.do(ctx, http.MethodGet, "/Groups/"+itoa(w.seed.bigGroup), nil, http.StatusOK, true)
	r.elapsed = time.Since(t0)
	r.peak, r.samples = ms.stop()
	r.calls = srv.sim.Stats().Requests
	if err != nil {
		return r, fmt.Errorf("streaming check: %w", err)
	}
	m := gjson.GetBytes(b, "members")
	r.members = int(m.Get("#").Int())
	first, last := m.Get("0.value").String(), m.Get(itoa(int64(r.members-1))+".value").String()
	r.membersOK = r.members == r.want && first == itoa(w.seed.firstPool) && last == itoa(w.seed.firstPool+w.seed.nPool-1)
	return r, nil
}

// fetchProfile asks the sidecar's admin endpoint for a CPU profile over d
// (whole seconds, at least one) and writes it to path; the channel gets
// the outcome.
func fetchProfile(ctx context.Context, admin string, d time.Duration, path string) <-chan error {
	done := make(chan error, 1)
	secs := max(1, int(d/time.Second))
	go func() {
		t := &target{base: "http://" + admin, client: newClient(1), header: http.Header{}}
		defer t.close()
		b, err := t.do(ctx, http.MethodGet, fmt.Sprintf("/debug/pprof/profile?seconds=%d", secs), nil, http.StatusOK, true)
		if err == nil {
			err = os.WriteFile(path, b, 0o644)
		}
		done <- err
	}()
	return done
}
