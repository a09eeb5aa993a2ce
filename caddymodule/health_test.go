package caddymodule

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
)

// serveHealth asks a health handler and returns its status and body.
func serveHealth(t *testing.T, hh *Health) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	if err := hh.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil), nil); err != nil {
		t.Fatalf("ServeHTTP: got error %v, want none", err)
	}
	return rec.Code, rec.Body.String()
}

// TestHealth: 503 until a scim handler is provisioned, 200 while one is,
// through a reload's overlap, and 503 again once every one is cleaned up;
// a Cleanup after a failed Provision changes nothing.
func TestHealth(t *testing.T) {
	set := &handlerSet{m: map[*Handler]struct{}{}}
	hh := &Health{set: set}
	old, next, failed := new(Handler), new(Handler), new(Handler)
	steps := []struct {
		name string
		do   func()
		want int
	}{
		{"nothing provisioned", func() {}, http.StatusServiceUnavailable},
		{"one provisioned", func() { set.add(old) }, http.StatusOK},
		{"cleanup after a failed provision", func() { set.remove(failed) }, http.StatusOK},
		{"reload: the new one provisioned", func() { set.add(next) }, http.StatusOK},
		{"reload: the old one cleaned up", func() { set.remove(old) }, http.StatusOK},
		{"marked twice, cleaned up once", func() { set.add(next); set.remove(next) }, http.StatusServiceUnavailable},
	}
	for _, s := range steps {
		s.do()
		code, body := serveHealth(t, hh)
		if code != s.want {
			t.Errorf("%s: got status %d (%q), want %d", s.name, code, body, s.want)
		}
	}
}

// TestHealthMarks: markProvisioned and markCleanedUp, which the scim
// handler's Provision and Cleanup call, feed the set a provisioned Health
// handler reads.
func TestHealthMarks(t *testing.T) {
	hh := new(Health)
	if err := hh.Provision(caddy.Context{}); err != nil {
		t.Fatal(err)
	}
	if hh.set != &provisioned {
		t.Fatal("Provision: got another set, want the process's")
	}
	h := new(Handler)
	contains := func() bool {
		provisioned.mu.Lock()
		defer provisioned.mu.Unlock()
		_, ok := provisioned.m[h]
		return ok
	}
	markProvisioned(h)
	if !contains() {
		t.Error("markProvisioned: got the handler absent, want it present")
	}
	if code, _ := serveHealth(t, hh); code != http.StatusOK {
		t.Errorf("with a handler marked: got status %d, want 200", code)
	}
	markCleanedUp(h)
	if contains() {
		t.Error("markCleanedUp: got the handler present, want it absent")
	}
}

// TestHealthCaddyfile: the scim_health directive adapts to the handler,
// ordered before respond, with a matcher; arguments and blocks are refused.
func TestHealthCaddyfile(t *testing.T) {
	body := "http://127.0.0.1:9090 {\n\trespond /other 404\n\tscim_health /healthz\n}\n"
	got := string(adaptCaddyfile(t, "Caddyfile", []byte(body)))
	for _, want := range []string{`"handler":"scim_health"`, `"path":["/healthz"]`} {
		if !strings.Contains(got, want) {
			t.Errorf("adapted: got %s, want it to contain %s", got, want)
		}
	}
	if h, r := strings.Index(got, `"scim_health"`), strings.Index(got, `"static_response"`); h < 0 || r < 0 || h > r {
		t.Errorf("adapted: got %s, want scim_health before respond", got)
	}

	for _, tt := range []struct{ name, directive, want string }{
		{"argument", "scim_health /healthz extra", "wrong argument count"},
		{"block", "scim_health {\n\t\tfoo\n\t}", "scim_health takes no block"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := "http://127.0.0.1:9090 {\n\t" + tt.directive + "\n}\n"
			_, _, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(body), map[string]any{"filename": "Caddyfile"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}

	t.Run("dispenser", func(t *testing.T) {
		hh := new(Health)
		if err := hh.UnmarshalCaddyfile(caddyfile.NewTestDispenser("scim_health")); err != nil {
			t.Errorf("got error %v, want none", err)
		}
	})
}
