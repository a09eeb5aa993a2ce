package simcaddy

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
)

// provision provisions h with a fresh Caddy context.
func provision(t *testing.T, h *Handler) error {
	t.Helper()
	ctx, cancel := caddy.NewContext(caddy.Context{Context: context.Background()})
	t.Cleanup(func() { cancel() })
	return h.Provision(ctx)
}

// call sends one request through the Caddy handler and returns the status.
func call(t *testing.T, h *Handler, key, method, path, body string) int {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("X-Api-Key", key)
	rec := httptest.NewRecorder()
	if err := h.ServeHTTP(rec, req, nil); err != nil {
		t.Fatalf("ServeHTTP: %v", err)
	}
	return rec.Code
}

func TestProvisionPlaceholders(t *testing.T) {
	t.Setenv("HECTOR_SIM_TEST_KEY", "s3cret")
	h := &Handler{APIKey: "{env.HECTOR_SIM_TEST_KEY}"}
	if err := provision(t, h); err != nil {
		t.Fatalf("Provision: %v", err)
	}
	defer h.Cleanup()
	if got := call(t, h, "s3cret", "GET", "/roles", ""); got != http.StatusOK {
		t.Errorf("got %d with the expanded key, want 200", got)
	}
	if got := call(t, h, "{env.HECTOR_SIM_TEST_KEY}", "GET", "/roles", ""); got != http.StatusUnauthorized {
		t.Errorf("got %d with the raw placeholder, want 401", got)
	}
}

func TestProvisionErrors(t *testing.T) {
	tests := []struct {
		name string
		h    Handler
		want string
	}{
		{"no key", Handler{}, "api_key is required"},
		{"unset variable", Handler{APIKey: "{env.HECTOR_SIM_UNSET_VARIABLE}"}, "api_key"},
		{"negative rate", Handler{APIKey: "k", Rate: ptr(-1.0)}, "rate"},
		{"fault rate", Handler{APIKey: "k", FaultRate: 1.5}, "fault_rate"},
		{"ambiguous rate", Handler{APIKey: "k", AmbiguousPostRate: -1}, "ambiguous_post_rate"},
		{"default role", Handler{APIKey: "k", Roles: []string{"a"}, DefaultRole: "b"}, "default role"},
		{"corrupt data file", Handler{APIKey: "k", DataFile: corruptFile(t)}, "data_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.h
			err := provision(t, &h)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
			if err := h.Cleanup(); err != nil {
				t.Errorf("Cleanup after a failed Provision: %v", err)
			}
		})
	}
}

func corruptFile(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A reload provisions the new handler while the old one still serves:
// both share the data file's store, and the last Cleanup flushes it.
func TestReloadSharesStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sim.json")
	old := &Handler{APIKey: "k", DataFile: path}
	if err := provision(t, old); err != nil {
		t.Fatal(err)
	}
	if got := call(t, old, "k", "POST", "/users", `{"username":"a","email":"a@x","identifier":"A"}`); got != http.StatusCreated {
		t.Fatalf("got %d, want 201", got)
	}
	next := &Handler{APIKey: "k2", DataFile: path, FaultRate: 0}
	if err := provision(t, next); err != nil {
		t.Fatal(err)
	}
	if got := call(t, old, "k", "POST", "/groups", `{"name":"late write"}`); got != http.StatusCreated {
		t.Fatalf("got %d, want 201 from the old instance", got)
	}
	if err := old.Cleanup(); err != nil {
		t.Fatal(err)
	}
	if got := call(t, next, "k2", "GET", "/users/1", ""); got != http.StatusOK {
		t.Errorf("got %d for the user through the new instance, want 200", got)
	}
	if got := call(t, next, "k2", "GET", "/groups/1", ""); got != http.StatusOK {
		t.Errorf("got %d for the old instance's late write, want 200", got)
	}
	if err := next.Cleanup(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "late write") {
		t.Errorf("got data file %q (%v), want the late write flushed", b, err)
	}
}
