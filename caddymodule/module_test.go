package caddymodule

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"

	"github.com/hector-scim/hector-scim/translate"
)

// jsonHandler is a handler as a JSON config gives it (no Caddyfile).
func jsonHandler(tenant, url string) *Handler {
	return &Handler{
		Tenant: tenant,
		Tokens: []Token{{Secret: "json-token-0123456789"}},
		Legacy: Legacy{URL: url, APIKey: "k"},
	}
}

// TestSharedAcrossProvisions: handlers of the same tenant and Hector URL,
// as the old and new configurations of a reload are, share one rate
// limiter and in-flight cap and one set of failure buckets, through the
// pool; another Hector URL or tenant has its own; once every user is
// cleaned up, the next one starts afresh.
func TestSharedAcrossProvisions(t *testing.T) {
	const url = "http://127.0.0.1:9/shared-test/api/v1"
	old := jsonHandler("acme", url)
	provisionHandler(t, old)
	reloaded := jsonHandler("acme", url+"/") // the same URL, written differently
	provisionHandler(t, reloaded)
	if old.limits != reloaded.limits {
		t.Errorf("same tenant and URL: got two limiters, want one shared")
	}
	if old.throttle != reloaded.throttle {
		t.Errorf("same tenant and URL: got two sets of failure buckets, want one shared")
	}
	for _, other := range []*Handler{jsonHandler("acme", "http://127.0.0.1:9/other/api/v1"), jsonHandler("globex", url)} {
		provisionHandler(t, other)
		if other.limits == old.limits || other.throttle == old.throttle {
			t.Errorf("tenant %q at %s: got the state of acme at %s, want its own", other.Tenant, other.Legacy.URL, url)
		}
	}
	slower := jsonHandler("acme", url)
	slower.Legacy.Rate = new(5.0)
	provisionHandler(t, slower)
	if slower.limits == old.limits {
		t.Errorf("another rate: got the old limiter, want a new one")
	}
	burstier := jsonHandler("acme", url)
	burstier.Legacy.Burst = 100
	provisionHandler(t, burstier)
	if burstier.limits == old.limits {
		t.Errorf("another burst: got the old limiter, want a new one")
	}

	// The old configuration goes: the new one keeps the state.
	if err := old.Cleanup(); err != nil {
		t.Fatal(err)
	}
	again := jsonHandler("acme", url)
	provisionHandler(t, again)
	if again.limits != reloaded.limits || again.throttle != reloaded.throttle {
		t.Errorf("after the old configuration's cleanup: got new state, want the state the new one holds")
	}
	// Every user goes: the state is freed.
	for _, h := range []*Handler{reloaded, again, slower, burstier} {
		if err := h.Cleanup(); err != nil {
			t.Fatal(err)
		}
	}
	fresh := jsonHandler("acme", url)
	provisionHandler(t, fresh)
	if fresh.limits == reloaded.limits || fresh.throttle == reloaded.throttle {
		t.Errorf("after every user's cleanup: got the old state, want fresh state")
	}
}

// TestProvisionRefusesReservedUserField: a JSON config (no Caddyfile, so
// no line) with a user_field on a field the bridge or Hector owns is
// refused at provision.
func TestProvisionRefusesReservedUserField(t *testing.T) {
	for _, field := range []string{"role", "status", "id", "groups", "created_at", "updated_at"} {
		t.Run(field, func(t *testing.T) {
			h := jsonHandler("", "http://127.0.0.1:9/api/v1")
			h.UserFields = []translate.Line{{Field: field, Sources: []string{"title"}}}
			ctx, cancel := caddy.NewContext(caddy.Context{Context: context.Background()})
			defer cancel()
			err := h.Provision(ctx)
			_ = h.Cleanup()
			if err == nil || !strings.Contains(err.Error(), `user_field may not target "`+field+`"`) {
				t.Fatalf("Provision: got error %v, want one refusing user_field %q", err, field)
			}
		})
	}
}

// TestRetriesEndToEnd: `retries 0` in the Caddyfile means one attempt and
// no retry; `retries 2` three attempts; no retries option, legacyclient's
// default.
func TestRetriesEndToEnd(t *testing.T) {
	tests := []struct {
		name     string
		option   string
		attempts int64
	}{
		{"retries 0", "retries 0", 1},
		{"retries 2", "retries 2", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int64
			hector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte(`{"error":{"code":"server_error","message":"down"}}`))
			}))
			defer hector.Close()
			h := provisionCaddyfile(t, `
				token `+authGoodToken+`
				legacy `+hector.URL+`/api/v1 {
					api_key k
					`+tt.option+`
				}`)
			r := httptest.NewRequest(http.MethodGet, "/scim/v2/Users/1", nil)
			r.Header.Set("Authorization", "Bearer "+authGoodToken)
			w := httptest.NewRecorder()
			if err := h.ServeHTTP(w, r, caddyhttp.HandlerFunc(func(http.ResponseWriter, *http.Request) error { return nil })); err != nil {
				t.Fatal(err)
			}
			if w.Code != http.StatusServiceUnavailable {
				t.Errorf("got %d %s, want 503", w.Code, w.Body)
			}
			if got := hits.Load(); got != tt.attempts {
				t.Errorf("got %d attempts at Hector, want %d", got, tt.attempts)
			}
		})
	}
}

// TestBurstEndToEnd: `burst` in the legacy block is the client-side
// limiter's bucket. At one call per 10 s, `burst 3` lets three calls go
// out at once and holds the fourth past the request's deadline; without
// it the bucket is the rate's one second's worth, at least one call.
func TestBurstEndToEnd(t *testing.T) {
	tests := []struct {
		name   string
		option string
		hits   int64
	}{
		{"burst 3", "burst 3", 3},
		{"no burst", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int64
			hector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"data":{"id":1,"username":"ada@example.com","status":"active","role":"user","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}}`))
			}))
			defer hector.Close()
			h := provisionCaddyfile(t, `
				token `+authGoodToken+`
				deadline 300ms
				legacy `+hector.URL+`/api/v1 {
					api_key k
					rate 0.1
					`+tt.option+`
				}`)
			codes := make([]int, 4)
			for i := range codes {
				r := httptest.NewRequest(http.MethodGet, "/scim/v2/Users/1", nil)
				r.Header.Set("Authorization", "Bearer "+authGoodToken)
				w := httptest.NewRecorder()
				if err := h.ServeHTTP(w, r, caddyhttp.HandlerFunc(func(http.ResponseWriter, *http.Request) error { return nil })); err != nil {
					t.Fatal(err)
				}
				codes[i] = w.Code
			}
			if got := hits.Load(); got != tt.hits {
				t.Errorf("got %d calls at Hector (answers %v), want %d", got, codes, tt.hits)
			}
			for i, c := range codes {
				if want := i < int(tt.hits); (c == http.StatusOK) != want {
					t.Errorf("request %d: got %d, want 200: %v", i+1, c, want)
				}
			}
		})
	}
}
