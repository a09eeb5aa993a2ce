package hectorsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const testKey = "test-key"

// t0 is the start of every fake clock.
var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeClock is an injectable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// harness is a simulator behind a real loopback HTTP server.
type harness struct {
	t     *testing.T
	sim   *Server
	ts    *httptest.Server
	clock *fakeClock
	key   string
}

// newHarness starts a simulator with opts (APIKey and Now defaulted).
func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	clock := newClock()
	if opts.APIKey == "" {
		opts.APIKey = testKey
	}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	sim, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(sim)
	t.Cleanup(func() {
		ts.Close()
		if err := sim.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &harness{t: t, sim: sim, ts: ts, clock: clock, key: opts.APIKey}
}

// resp is one answer.
type resp struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request with the harness key; body "" sends none.
func (h *harness) do(method, path, body string) resp {
	h.t.Helper()
	return h.doKey(h.key, method, path, body)
}

func (h *harness) doKey(key, method, path, body string) resp {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.ts.URL+path, rd)
	if err != nil {
		h.t.Fatalf("new request: %v", err)
	}
	if key != "" {
		req.Header.Set("X-Api-Key", key)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := h.ts.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// must sends a request and fails unless the status is want.
func (h *harness) must(want int, method, path, body string) resp {
	h.t.Helper()
	r := h.do(method, path, body)
	if r.status != want {
		h.t.Fatalf("%s %s: got status %d, want %d; body %s", method, path, r.status, want, r.body)
	}
	return r
}

// obj decodes r's body as a JSON object.
func (r resp) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(r.body))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return m
}

// data returns the object under "data".
func (r resp) data(t *testing.T) map[string]any {
	t.Helper()
	d, ok := r.obj(t)["data"].(map[string]any)
	if !ok {
		t.Fatalf("got body %s, want {\"data\":{...}}", r.body)
	}
	return d
}

// list returns the items under "data" and the "meta" object.
func (r resp) list(t *testing.T) ([]any, map[string]any) {
	t.Helper()
	m := r.obj(t)
	items, ok1 := m["data"].([]any)
	meta, ok2 := m["meta"].(map[string]any)
	if !ok1 || !ok2 {
		t.Fatalf("got body %s, want a list with meta", r.body)
	}
	return items, meta
}

// apiErr returns the error code and fields of an error body.
func (r resp) apiErr(t *testing.T) (string, map[string]any) {
	t.Helper()
	e, ok := r.obj(t)["error"].(map[string]any)
	if !ok {
		t.Fatalf("got body %s, want an error body", r.body)
	}
	code, _ := e["code"].(string)
	fields, _ := e["fields"].(map[string]any)
	return code, fields
}

// wantErr checks status, error code and, when field is set, that fields
// names it.
func (h *harness) wantErr(r resp, status int, code, field string) {
	h.t.Helper()
	if r.status != status {
		h.t.Fatalf("got status %d, want %d; body %s", r.status, status, r.body)
	}
	gotCode, fields := r.apiErr(h.t)
	if gotCode != code {
		h.t.Errorf("got code %q, want %q", gotCode, code)
	}
	if field != "" && fields[field] == nil {
		h.t.Errorf("got fields %v, want %q named", fields, field)
	}
}

// id reads an integer field of a decoded object.
func id(t *testing.T, m map[string]any, key string) int64 {
	t.Helper()
	n, ok := m[key].(json.Number)
	if !ok {
		t.Fatalf("got %s = %#v, want an integer", key, m[key])
	}
	v, err := n.Int64()
	if err != nil {
		t.Fatalf("got %s = %s, want an integer", key, n)
	}
	return v
}

// userBody is a POST /users body with the required fields from name.
func userBody(name string) string {
	return `{"username":"` + name + `","email":"` + name + `@example.com","identifier":"E-` + name + `"}`
}

// createUser creates a user and returns its id.
func (h *harness) createUser(name string) int64 {
	h.t.Helper()
	return id(h.t, h.must(http.StatusCreated, "POST", "/users", userBody(name)).data(h.t), "id")
}

// createGroup creates a group and returns its id.
func (h *harness) createGroup(name string) int64 {
	h.t.Helper()
	return id(h.t, h.must(http.StatusCreated, "POST", "/groups", `{"name":"`+name+`"}`).data(h.t), "id")
}

// getUser returns GET /users/{id}'s data.
func (h *harness) getUser(uid int64) map[string]any {
	h.t.Helper()
	return h.must(http.StatusOK, "GET", "/users/"+itoa(uid), "").data(h.t)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
