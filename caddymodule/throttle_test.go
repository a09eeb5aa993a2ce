package caddymodule

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

const (
	authGoodToken = "auth-test-token-0123456789"
	authOldToken  = "auth-expired-token-0123456789"
)

// provisionCaddyfile provisions a handler from the body of a scim block, as
// Caddy does, outside a running configuration; its Cleanup runs when the
// test ends.
func provisionCaddyfile(t *testing.T, body string) *Handler {
	t.Helper()
	h := new(Handler)
	if err := h.UnmarshalCaddyfile(caddyfile.NewTestDispenser("scim {\n" + body + "\n}")); err != nil {
		t.Fatalf("UnmarshalCaddyfile: %v", err)
	}
	provisionHandler(t, h)
	return h
}

// provisionHandler provisions and validates h in a context of its own, cancelled
// (and h cleaned up) when the test ends.
func provisionHandler(t testing.TB, h *Handler) {
	t.Helper()
	ctx, cancel := caddy.NewContext(caddy.Context{Context: context.Background()})
	if err := h.Provision(ctx); err != nil {
		cancel()
		t.Fatalf("Provision: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := h.Cleanup(); err != nil {
			t.Errorf("Cleanup: %v", err)
		}
	})
	if err := h.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

// authAnswer is what the handler answered to one request.
type authAnswer struct {
	status     int
	body       string
	retryAfter string
	challenge  string
}

// serveFrom sends GET /ServiceProviderConfig (no Hector call) from a
// client address with an Authorization header (none if empty).
func serveFrom(t *testing.T, h *Handler, addr, auth string) authAnswer {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/scim/v2/ServiceProviderConfig", nil)
	r.RemoteAddr = addr + ":40000"
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	w := httptest.NewRecorder()
	next := caddyhttp.HandlerFunc(func(http.ResponseWriter, *http.Request) error {
		t.Fatal("the request went past the scim handler")
		return nil
	})
	if err := h.ServeHTTP(w, r, next); err != nil {
		t.Fatalf("ServeHTTP: %v", err)
	}
	body, _ := io.ReadAll(w.Result().Body)
	return authAnswer{w.Code, string(body), w.Header().Get("Retry-After"), w.Header().Get("WWW-Authenticate")}
}

func authHandler(t *testing.T, limit string) *Handler {
	t.Helper()
	return provisionCaddyfile(t, `
		token `+authGoodToken+`
		token `+authOldToken+` {
			expires 2020-01-01T00:00:00Z
		}
		legacy http://127.0.0.1:9/api/v1 {
			api_key k
		}
		auth_failure_limit `+limit)
}

// TestValidTokenServedPastFailureLimit: once an address is past its limit
// of failures, its wrong tokens get 429 with Retry-After, but a valid
// token from the same address is still served; other addresses are not
// affected.
func TestValidTokenServedPastFailureLimit(t *testing.T) {
	h := authHandler(t, "3 1m")
	const addr, other = "192.0.2.10", "192.0.2.11"
	for i := range 3 {
		if got := serveFrom(t, h, addr, "Bearer wrong-token-0123456789"); got.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i+1, got.status)
		}
	}
	for _, step := range []struct {
		name, addr, auth string
		want             int
	}{
		{"wrong token past the limit", addr, "Bearer wrong-token-0123456789", http.StatusTooManyRequests},
		{"no token past the limit", addr, "", http.StatusTooManyRequests},
		{"expired token past the limit", addr, "Bearer " + authOldToken, http.StatusTooManyRequests},
		{"valid token past the limit", addr, "Bearer " + authGoodToken, http.StatusOK},
		{"wrong token again", addr, "Bearer wrong-token-0123456789", http.StatusTooManyRequests},
		{"valid token again", addr, "Bearer " + authGoodToken, http.StatusOK},
		{"wrong token from another address", other, "Bearer wrong-token-0123456789", http.StatusUnauthorized},
	} {
		got := serveFrom(t, h, step.addr, step.auth)
		if got.status != step.want {
			t.Errorf("%s: got %d %s, want %d", step.name, got.status, got.body, step.want)
		}
		if got.status == http.StatusTooManyRequests && (got.retryAfter == "" || !strings.Contains(got.body, `"status":"429"`)) {
			t.Errorf("%s: got Retry-After %q and body %s, want a Retry-After and a SCIM error", step.name, got.retryAfter, got.body)
		}
	}
}

// TestExpiredTokenWordedAsUnknown: an expired token gets the very answer
// an unknown token gets, so that the holder of a leaked old token does
// not learn it was real; only the metrics and the warn line tell them
// apart.
func TestExpiredTokenWordedAsUnknown(t *testing.T) {
	h := authHandler(t, "100 1m")
	expired := serveFrom(t, h, "192.0.2.20", "Bearer "+authOldToken)
	unknown := serveFrom(t, h, "192.0.2.20", "Bearer unknown-token-0123456789")
	if expired.status != http.StatusUnauthorized {
		t.Errorf("expired token: got %d, want 401", expired.status)
	}
	if expired != unknown {
		t.Errorf("expired token: got %+v, want the answer to an unknown token, %+v", expired, unknown)
	}
	for reason, want := range map[string]float64{"expired": 1, "invalid": 1} {
		var m dto.Metric
		if err := h.metrics.authFailures.WithLabelValues("", reason).Write(&m); err != nil {
			t.Fatal(err)
		}
		if got := m.GetCounter().GetValue(); got != want {
			t.Errorf("auth failures %q: got %v, want %v", reason, got, want)
		}
	}
}

func TestClientAddr(t *testing.T) {
	tests := []struct {
		name     string
		remote   string
		clientIP any // the ClientIPVarKey variable; nil: none
		want     string
	}{
		{"Caddy's client IP", "10.0.0.1:5000", "203.0.113.7", "203.0.113.7"},
		{"outside a Caddy server", "10.0.0.1:5000", nil, "10.0.0.1"},
		{"empty client IP", "[2001:db8::1]:5000", "", "2001:db8::1"},
		{"remote address without a port", "10.0.0.2", nil, "10.0.0.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.remote
			if tt.clientIP != nil {
				r = r.WithContext(context.WithValue(r.Context(), caddyhttp.VarsCtxKey, map[string]any{caddyhttp.ClientIPVarKey: tt.clientIP}))
			}
			if got := clientAddr(r); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFailureLimiterRefills: the bucket of an address refills with time
// (injected clock), and Retry-After says when.
func TestFailureLimiterRefills(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f := newFailureLimiter(2, time.Minute, func() time.Time { return now })
	f.fail("a")
	f.fail("a")
	blocked, wait := f.blocked("a")
	if !blocked || wait <= 0 || wait > 30*time.Second {
		t.Fatalf("after 2 failures: got blocked %v for %s, want blocked for (0, 30s]", blocked, wait)
	}
	if blocked, _ := f.blocked("b"); blocked {
		t.Errorf("another address: got blocked, want not")
	}
	now = now.Add(wait)
	if blocked, _ := f.blocked("a"); blocked {
		t.Errorf("after %s: got blocked, want one more try", wait)
	}
}
