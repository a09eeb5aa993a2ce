package legacyclient

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRateLimit: with Rate 10 and Burst 1, requests reach the server at
// least 100ms apart, retries included, and the waits are reported to the
// Observer.
func TestRateLimit(t *testing.T) {
	const interval = 100 * time.Millisecond
	tests := []struct {
		name     string
		statuses []int
		calls    int
		wantHits int
	}{
		{"calls", []int{200}, 4, 4},
		{"retries too", []int{503, 503, 503, 200}, 1, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var arrivals []time.Time
			rec := &recorder{}
			f, c := serve(t, func(w http.ResponseWriter, r *http.Request, n int) {
				mu.Lock()
				arrivals = append(arrivals, time.Now())
				mu.Unlock()
				script(`{"data":`+userJSON+`}`, tt.statuses...)(w, r, n)
			}, func(cfg *Config) { cfg.Rate, cfg.Burst, cfg.Observer = 10, 1, rec })
			start := time.Now()
			for range tt.calls {
				if _, err := c.GetUser(context.Background(), 1); err != nil {
					t.Fatalf("got error %v, want nil", err)
				}
			}
			if got := len(f.requests()); got != tt.wantHits {
				t.Fatalf("got %d requests, want %d", got, tt.wantHits)
			}
			// The bucket is full at start: request i cannot leave before
			// start + i*interval (1ms of slack for rounding).
			for i, at := range arrivals {
				if got, want := at.Sub(start), time.Duration(i)*interval-time.Millisecond; got < want {
					t.Errorf("request %d: got it %s after the start, want >= %s", i, got, want)
				}
			}
			if len(rec.waits) == 0 {
				t.Errorf("got no rate wait observed, want some")
			}
			for _, d := range rec.waits {
				if d <= 0 || d > interval {
					t.Errorf("got a rate wait of %s observed, want within (0, %s]", d, interval)
				}
			}
		})
	}
}

// TestRateWaitPastDeadline: a wait that would pass the deadline fails at
// once with an error for which errors.Is(context.DeadlineExceeded) holds.
func TestRateWaitPastDeadline(t *testing.T) {
	f, c := serve(t, always(200, `{"data":`+userJSON+`}`), func(cfg *Config) { cfg.Rate, cfg.Burst = 0.1, 1 })
	if _, err := c.GetUser(context.Background(), 1); err != nil {
		t.Fatalf("first call: got %v, want nil", err)
	}
	ctx := ctxTimeout(t, time.Second)
	_, err := c.GetUser(ctx, 1)
	var e *Error
	if !asError(err, &e) || e.Status != 0 || !isDeadline(err) {
		t.Fatalf("got %v, want *Error unreachable wrapping context.DeadlineExceeded", err)
	}
	if ctx.Err() != nil {
		t.Errorf("got the deadline reached, want an early return")
	}
	if got := len(f.requests()); got != 1 {
		t.Errorf("got %d requests, want 1", got)
	}
}

// TestMaxInFlight: never more than MaxInFlight requests in the handler.
func TestMaxInFlight(t *testing.T) {
	const limit, calls = 3, 12
	var inFlight, peak atomic.Int64
	arrived := make(chan struct{})
	release := make(chan struct{})
	_, c := serve(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		arrived <- struct{}{}
		<-release
		inFlight.Add(-1)
		answer(w, 200, `{"data":`+userJSON+`}`)
	}, func(cfg *Config) { cfg.MaxInFlight = limit })
	var wg sync.WaitGroup
	for range calls {
		wg.Go(func() {
			if _, err := c.GetUser(context.Background(), 1); err != nil {
				t.Errorf("got error %v, want nil", err)
			}
		})
	}
	for range limit {
		<-arrived
	}
	for i := range calls {
		release <- struct{}{}
		if i+limit < calls {
			<-arrived
		}
	}
	wg.Wait()
	if got := peak.Load(); got != limit {
		t.Errorf("got a peak of %d requests in flight, want %d", got, limit)
	}
}

// TestObserverContext: the Observer gets the caller's context values.
func TestObserverContext(t *testing.T) {
	type key struct{}
	var got []any
	obs := observerFunc(func(ctx context.Context) { got = append(got, ctx.Value(key{})) })
	_, c := serve(t, script(`{"data":`+userJSON+`}`, 503, 200), func(cfg *Config) { cfg.Observer = obs })
	ctx := context.WithValue(context.Background(), key{}, "inbound-1")
	if _, err := c.GetUser(ctx, 1); err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	if len(got) != 2 || got[0] != "inbound-1" || got[1] != "inbound-1" {
		t.Errorf("got context values %v, want [inbound-1 inbound-1]", got)
	}
}

type observerFunc func(ctx context.Context)

func (f observerFunc) Attempt(ctx context.Context, _ string, _ int, _ time.Duration, _ bool) { f(ctx) }
func (f observerFunc) RateWait(ctx context.Context, _ time.Duration)                         { f(ctx) }

// TestSharedLimits: two Clients given the same Limits keep under them
// together: never more than its MaxInFlight requests in flight across
// both, and one rate limit for both.
func TestSharedLimits(t *testing.T) {
	const limit, calls = 2, 8
	shared, err := NewLimits(0, 0, limit)
	if err != nil {
		t.Fatal(err)
	}
	var inFlight, peak atomic.Int64
	arrived := make(chan struct{})
	release := make(chan struct{})
	reply := func(w http.ResponseWriter, _ *http.Request, _ int) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		arrived <- struct{}{}
		<-release
		inFlight.Add(-1)
		answer(w, 200, `{"data":`+userJSON+`}`)
	}
	_, a := serve(t, reply, func(cfg *Config) { cfg.Limits = shared })
	_, b := serve(t, reply, func(cfg *Config) { cfg.Limits = shared })
	var wg sync.WaitGroup
	for i := range calls {
		c := a
		if i%2 == 1 {
			c = b
		}
		wg.Go(func() {
			if _, err := c.GetUser(context.Background(), 1); err != nil {
				t.Errorf("got error %v, want nil", err)
			}
		})
	}
	for range limit {
		<-arrived
	}
	for i := range calls {
		release <- struct{}{}
		if i+limit < calls {
			<-arrived
		}
	}
	wg.Wait()
	if got := peak.Load(); got != limit {
		t.Errorf("got a peak of %d requests in flight across both clients, want %d", got, limit)
	}
}

// TestSharedRate: the rate limit of shared Limits is spent by every
// Client using them.
func TestSharedRate(t *testing.T) {
	shared, err := NewLimits(0.1, 0, 0) // one request, then one per 10s
	if err != nil {
		t.Fatal(err)
	}
	_, a := serve(t, always(200, `{"data":`+userJSON+`}`), func(cfg *Config) { cfg.Limits = shared })
	_, b := serve(t, always(200, `{"data":`+userJSON+`}`), func(cfg *Config) { cfg.Limits = shared })
	if _, err := a.GetUser(context.Background(), 1); err != nil {
		t.Fatalf("first client: got %v, want nil", err)
	}
	if _, err := b.GetUser(ctxTimeout(t, time.Second), 1); !isDeadline(err) {
		t.Errorf("second client: got %v, want a wait past its deadline (the bucket is shared)", err)
	}
}

func TestNewLimits(t *testing.T) {
	tests := []struct {
		name         string
		rate         float64
		burst        int
		maxInFlight  int
		wantErr      string
		wantLimit    bool
		wantInFlight int
		wantBurst    int
		wantRate     float64
	}{
		{name: "defaults", wantInFlight: DefaultMaxInFlight},
		{name: "rate and cap", rate: 40, maxInFlight: 8, wantLimit: true, wantInFlight: 8, wantBurst: 40, wantRate: 40},
		{name: "slow rate", rate: 0.5, maxInFlight: 1, wantLimit: true, wantInFlight: 1, wantBurst: 1, wantRate: 0.5},
		{name: "burst of Hector's bucket", rate: 50, burst: 100, wantLimit: true, wantInFlight: DefaultMaxInFlight, wantBurst: 100, wantRate: 50},
		{name: "negative rate", rate: -1, wantErr: "rate"},
		{name: "negative burst", rate: 1, burst: -1, wantErr: "burst"},
		{name: "negative cap", maxInFlight: -1, wantErr: "max_in_flight"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := NewLimits(tt.rate, tt.burst, tt.maxInFlight)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got := l.MaxInFlight(); got != tt.wantInFlight {
				t.Errorf("MaxInFlight: got %d, want %d", got, tt.wantInFlight)
			}
			if (l.limiter != nil) != tt.wantLimit {
				t.Fatalf("limiter: got %v, want one: %v", l.limiter, tt.wantLimit)
			}
			if l.limiter != nil && (float64(l.limiter.Limit()) != tt.wantRate || l.limiter.Burst() != tt.wantBurst) {
				t.Errorf("limiter: got %v/s burst %d, want %v/s burst %d", l.limiter.Limit(), l.limiter.Burst(), tt.wantRate, tt.wantBurst)
			}
		})
	}
}
