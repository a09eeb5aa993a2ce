package legacyclient

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is an Observer that keeps every report.
type recorder struct {
	mu       sync.Mutex
	attempts []attemptReport
	waits    []time.Duration
}

type attemptReport struct {
	route  string
	status int
	retry  bool
}

func (r *recorder) Attempt(_ context.Context, route string, status int, _ time.Duration, retry bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts = append(r.attempts, attemptReport{route, status, retry})
}

func (r *recorder) RateWait(_ context.Context, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits = append(r.waits, d)
}

func TestRetryPolicy(t *testing.T) {
	get := func(ctx context.Context, c *Client) error { _, err := c.GetUser(ctx, 1); return err }
	put := func(ctx context.Context, c *Client) error {
		_, err := c.UpdateUser(ctx, 1, json.RawMessage(`{}`))
		return err
	}
	del := func(ctx context.Context, c *Client) error { return c.DeleteUser(ctx, 1) }
	add := func(ctx context.Context, c *Client) error { return c.AddMembers(ctx, 1, []int64{2}) }
	post := func(ctx context.Context, c *Client) error {
		_, err := c.CreateGroup(ctx, GroupInput{Name: "g"})
		return err
	}
	tests := []struct {
		name       string
		call       func(context.Context, *Client) error
		retries    int
		statuses   []int
		wantHits   int
		wantStatus int // 0: success
	}{
		{"GET 500 then 200", get, 3, []int{500, 200}, 2, 0},
		{"GET 502 503 504 then 200", get, 3, []int{502, 503, 504, 200}, 4, 0},
		{"GET 429 then 200", get, 3, []int{429, 200}, 2, 0},
		{"GET 500 bounded", get, 3, []int{500}, 4, 500},
		{"GET retries 0 means none", get, 0, []int{503}, 1, 503},
		{"PUT retries 0 means none", put, 0, []int{503, 200}, 1, 503},
		{"GET 400 not retried", get, 3, []int{400, 200}, 1, 400},
		{"GET 401 not retried", get, 3, []int{401, 200}, 1, 401},
		{"GET 404 not retried", get, 3, []int{404, 200}, 1, 404},
		{"GET 501 not retried", get, 3, []int{501, 200}, 1, 501},
		{"PUT 409 not retried", put, 3, []int{409, 200}, 1, 409},
		{"PUT 422 not retried", put, 3, []int{422, 200}, 1, 422},
		{"PUT 503 retried", put, 3, []int{503, 200}, 2, 0},
		{"DELETE 502 retried", del, 3, []int{502, 204}, 2, 0},
		{"POST members 503 retried (idempotent)", add, 3, []int{503, 204}, 2, 0},
		{"POST groups 429 retried (not processed)", post, 3, []int{429, 201}, 2, 0},
		{"POST groups 409 not retried", post, 3, []int{409, 201}, 1, 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			f, c := serve(t, script(`{"data":`+groupJSON+`}`, tt.statuses...), func(cfg *Config) {
				cfg.Retries = new(tt.retries)
				cfg.Observer = rec
			})
			err := tt.call(context.Background(), c)
			if got := len(f.requests()); got != tt.wantHits {
				t.Errorf("got %d requests, want %d", got, tt.wantHits)
			}
			var e *Error
			switch {
			case tt.wantStatus == 0 && err != nil:
				t.Errorf("got error %v, want nil", err)
			case tt.wantStatus != 0 && (!errors.As(err, &e) || e.Status != tt.wantStatus):
				t.Errorf("got error %v, want *Error with status %d", err, tt.wantStatus)
			}
			if got := len(rec.attempts); got != tt.wantHits {
				t.Fatalf("got %d attempts observed, want %d", got, tt.wantHits)
			}
			for i, a := range rec.attempts {
				if a.retry != (i > 0) || a.status != tt.statuses[min(i, len(tt.statuses)-1)] {
					t.Errorf("attempt %d: got %+v, want status %d, retry %v", i, a, tt.statuses[min(i, len(tt.statuses)-1)], i > 0)
				}
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	f, c := serve(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		if n == 0 {
			w.Header().Set("Retry-After", "1")
			answer(w, 429, `{"error":{"code":"rate_limited","message":"slow down"}}`)
			return
		}
		answer(w, 200, `{"data":`+userJSON+`}`)
	}, nil)
	start := time.Now()
	if _, err := c.GetUser(context.Background(), 1); err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	if got := time.Since(start); got < time.Second {
		t.Errorf("got %s between attempts, want >= 1s (Retry-After)", got)
	}
	if got := len(f.requests()); got != 2 {
		t.Errorf("got %d requests, want 2", got)
	}
}

// TestDeadlineStopsEarly: a wait that would pass the deadline is not
// started; the last answer comes back with its Retry-After at once.
func TestDeadlineStopsEarly(t *testing.T) {
	tests := []struct {
		name           string
		retryAfter     string
		waitMin        time.Duration
		wantRetryAfter time.Duration
	}{
		{"Retry-After past deadline", "5", time.Millisecond, 5 * time.Second},
		{"backoff past deadline", "", 2 * time.Second, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := serve(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				answer(w, 503, `{"error":{"code":"server_error","message":"busy"}}`)
			}, func(cfg *Config) { cfg.RetryWaitMin, cfg.RetryWaitMax = tt.waitMin, tt.waitMin })
			ctx := ctxTimeout(t, time.Second)
			_, err := c.GetUser(ctx, 1)
			var e *Error
			if !errors.As(err, &e) || e.Status != 503 || e.RetryAfter != tt.wantRetryAfter {
				t.Fatalf("got %v, want *Error 503 with RetryAfter %s", err, tt.wantRetryAfter)
			}
			if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("got context error %v / %v, want the call to stop before the deadline", ctx.Err(), err)
			}
			if got := len(f.requests()); got != 1 {
				t.Errorf("got %d requests, want 1", got)
			}
		})
	}
}

func TestContextEnds(t *testing.T) {
	tests := []struct {
		name string
		want error
	}{
		{"deadline", context.DeadlineExceeded},
		{"cancel", context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arrived := make(chan struct{}, 1)
			_, c := serve(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				arrived <- struct{}{}
				<-r.Context().Done()
			}, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			if tt.want == context.Canceled {
				ctx, cancel = context.WithCancel(context.Background())
				defer cancel()
				go func() { <-arrived; cancel() }()
			}
			_, err := c.GetUser(ctx, 1)
			var e *Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.Status != 0 || e.Code != CodeUnreachable {
				t.Fatalf("got %v, want *Error unreachable with errors.Is(%v)", err, tt.want)
			}
		})
	}
}

func TestAttemptTimeout(t *testing.T) {
	tests := []struct {
		name     string
		hangs    int // the first hangs requests get no answer
		wantHits int
		wantErr  bool
	}{
		{"retried after one timeout", 1, 2, false},
		{"every attempt times out", 9, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := serve(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n < tt.hangs {
					<-r.Context().Done()
					return
				}
				answer(w, 200, `{"data":`+userJSON+`}`)
			}, func(cfg *Config) { cfg.Timeout, cfg.Retries = 300*time.Millisecond, new(1) })
			_, err := c.GetUser(context.Background(), 1)
			if got := len(f.requests()); got != tt.wantHits {
				t.Errorf("got %d requests, want %d", got, tt.wantHits)
			}
			var e *Error
			switch {
			case !tt.wantErr && err != nil:
				t.Fatalf("got error %v, want nil", err)
			case tt.wantErr && (!errors.As(err, &e) || e.Status != 0 || !strings.Contains(err.Error(), "attempt timed out")):
				t.Fatalf("got %v, want *Error unreachable, attempt timed out", err)
			}
		})
	}
}

func TestConnectionErrors(t *testing.T) {
	t.Run("dropped connection retried for GET", func(t *testing.T) {
		f, c := serve(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if n == 0 {
				dropConn(t, w)
				return
			}
			answer(w, 200, `{"data":`+userJSON+`}`)
		}, nil)
		if _, err := c.GetUser(context.Background(), 1); err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		if got := len(f.requests()); got != 2 {
			t.Errorf("got %d requests, want 2", got)
		}
	})
	t.Run("dial error retried, then unreachable", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		rec := &recorder{}
		c := newTestClient(t, "http://"+addr+"/api/v1", func(cfg *Config) { cfg.Retries, cfg.Observer = new(2), rec })
		_, err = c.CreateGroup(context.Background(), GroupInput{Name: "g"})
		var e *Error
		if !errors.As(err, &e) || e.Status != 0 || e.Code != CodeUnreachable || !isDialError(e) {
			t.Fatalf("got %v, want *Error unreachable from a dial error", err)
		}
		if got := len(rec.attempts); got != 3 {
			t.Errorf("got %d attempts, want 3 (a POST is retried on dial errors)", got)
		}
		if strings.Contains(err.Error(), testKey) {
			t.Errorf("got %q, want no API key", err)
		}
	})
}

// dropConn closes the connection without an answer.
func dropConn(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

func TestBackoff(t *testing.T) {
	c := &Client{cfg: settings{Config: Config{RetryWaitMin: 100 * time.Millisecond, RetryWaitMax: time.Second}}}
	tests := []struct {
		retry      int
		retryAfter time.Duration
		lo, hi     time.Duration
	}{
		{0, 0, 100 * time.Millisecond, 100 * time.Millisecond},
		{1, 0, 100 * time.Millisecond, 200 * time.Millisecond},
		{2, 0, 200 * time.Millisecond, 400 * time.Millisecond},
		{3, 0, 400 * time.Millisecond, 800 * time.Millisecond},
		{4, 0, 500 * time.Millisecond, time.Second},
		{60, 0, 500 * time.Millisecond, time.Second},
		{1, 7 * time.Second, 7 * time.Second, 7 * time.Second},
	}
	for _, tt := range tests {
		for range 50 {
			if got := c.backoff(tt.retry, tt.retryAfter); got < tt.lo || got > tt.hi {
				t.Fatalf("backoff(%d, %s): got %s, want within [%s, %s]", tt.retry, tt.retryAfter, got, tt.lo, tt.hi)
			}
		}
	}
}
