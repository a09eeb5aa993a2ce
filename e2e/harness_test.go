// Package e2e runs the real hector-scim binary, built once per test run,
// with real Caddyfiles against the Hector simulator, on free 127.0.0.1
// ports, and replays what Entra ID and Okta send.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
)

// binary is the hector-scim binary built by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hector-scim-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "hector-scim")
	build := exec.Command("go", "build", "-o", binary, "./cmd/hector-scim")
	build.Dir = ".."
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building hector-scim:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Token is the bearer token every test Caddyfile accepts.
const Token = "e2e-token-0123456789abcdef"

// APIKey is the simulator's API key.
const APIKey = "e2e-hector-key"

// env is one running sidecar and the simulator behind it.
type env struct {
	t      *testing.T
	sim    *hectorsim.Server
	simURL string // the simulator's base URL
	port   int
	base   string // the SCIM base URL
	admin  string // the admin endpoint, when enabled
	*proc         // the process the tests talk to
	http   *http.Client
}

// options tune a test environment.
type options struct {
	sim       hectorsim.Options
	scim      string // extra lines inside the scim block
	debug     bool   // debug logging
	rate      string // the legacy client's rate; default 0 (no client-side limit)
	admin     bool   // enable the admin endpoint (for reloads)
	accessLog bool   // Caddy's access log, as the templates configure it
	servers   string // lines of the global servers options (trusted_proxies)
	// wrap, when set, puts a handler in front of the simulator (a Hector
	// that misbehaves in a given way).
	wrap func(sim http.Handler) http.Handler
}

// accessLog is the site's `log` block of the root Caddyfile template and
// the examples (caddymodule's TestExamplesAccessLog checks them): Caddy's
// access log, without the filter query parameter.
const accessLog = `log {
		format filter {
			request>uri query {
				delete filter
			}
		}
	}`

// start runs the simulator in-process and the binary with a Caddyfile whose
// scim block points at it.
func start(t *testing.T, o options) *env {
	t.Helper()
	e := newEnv(t, o)
	e.port = freePort(t)
	e.base = fmt.Sprintf("http://127.0.0.1:%d/scim/v2", e.port)
	e.proc = e.launch(sidecarCaddyfile(o, e.port, e.simURL, e.adminAddr(o)), e.port)
	return e
}

// newEnv starts the simulator.
func newEnv(t *testing.T, o options) *env {
	t.Helper()
	o.sim.APIKey = APIKey
	if o.sim.Roles == nil {
		o.sim.Roles = []string{"admin", "staff", "user", "auditor"}
	}
	sim, err := hectorsim.New(o.sim)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = sim
	if o.wrap != nil {
		h = o.wrap(sim)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, sim: sim, simURL: srv.URL, http: &http.Client{Timeout: 70 * time.Second}}
}

// adminAddr picks the admin endpoint's address when the test wants one.
func (e *env) adminAddr(o options) string {
	if !o.admin {
		return ""
	}
	if e.admin == "" {
		e.admin = fmt.Sprintf("127.0.0.1:%d", freePort(e.t))
	}
	return e.admin
}

// sidecarCaddyfile is the Caddyfile of one sidecar on port.
func sidecarCaddyfile(o options, port int, simURL, admin string) string {
	adminLine := "admin off"
	if admin != "" {
		adminLine = "admin " + admin
	}
	site, servers := "", ""
	if o.accessLog {
		site = accessLog
	}
	if o.servers != "" {
		servers = "servers {\n\t\t" + o.servers + "\n\t}"
	}
	return fmt.Sprintf(`{
	%s
	persist_config off
	default_bind 127.0.0.1
	%s
	%s
}
http://127.0.0.1:%d {
	%s
	handle /metrics {
		metrics
	}
	route /scim/v2/* {
		scim {
			token {env.E2E_SCIM_TOKEN}
			legacy %s {
				api_key {env.E2E_HECTOR_KEY}
				timeout 5s
				retries 3
				rate %s
			}
			%s
		}
	}
}
`, adminLine, logOption(o.debug), servers, port, site, simURL, rateOption(o.rate), o.scim)
}

// reload rewrites the Caddyfile with o and has the running process load
// it through its admin endpoint (`hector-scim reload`).
func (e *env) reload(o options) {
	e.t.Helper()
	if err := os.WriteFile(e.path, []byte(sidecarCaddyfile(o, e.port, e.simURL, e.admin)), 0o600); err != nil {
		e.t.Fatal(err)
	}
	reload := exec.Command(binary, "reload", "--config", e.path, "--adapter", "caddyfile", "--address", e.admin)
	reload.Env = append(os.Environ(), "E2E_SCIM_TOKEN="+Token, "E2E_HECTOR_KEY="+APIKey, "HOME="+e.t.TempDir())
	if out, err := reload.CombinedOutput(); err != nil {
		e.t.Fatalf("reload: %v\n%s", err, out)
	}
}

// logLines returns the process's JSON log lines whose message is msg, each
// decoded.
func (e *env) logLines(msg string) []gjson.Result {
	var out []gjson.Result
	for _, line := range strings.Split(e.logs(), "\n") {
		if l := gjson.Parse(line); l.Get("msg").String() == msg {
			out = append(out, l)
		}
	}
	return out
}

// proc is one running hector-scim process.
type proc struct {
	cmd   *exec.Cmd
	path  string // its Caddyfile
	log   *bytes.Buffer
	logMu sync.Mutex
}

// launch writes a Caddyfile and runs the binary with it, until the test
// ends; it returns once the process listens on port.
func (e *env) launch(caddyfile string, port int) *proc {
	t := e.t
	t.Helper()
	dir := t.TempDir()
	p := &proc{path: filepath.Join(dir, "Caddyfile"), log: &bytes.Buffer{}}
	if err := os.WriteFile(p.path, []byte(caddyfile), 0o600); err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(binary, "run", "--config", p.path, "--adapter", "caddyfile")
	p.cmd.Stdout, p.cmd.Stderr = p.logw(), p.logw()
	p.cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir,
		"E2E_SCIM_TOKEN="+Token, "E2E_HECTOR_KEY="+APIKey)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		_, _ = p.cmd.Process.Wait()
		if t.Failed() {
			t.Logf("hector-scim output (%s):\n%s", p.path, p.logs())
		}
	})
	p.waitReady(t, port)
	return p
}

func rateOption(rate string) string {
	if rate == "" {
		return "0"
	}
	return rate
}

func logOption(debug bool) string {
	if debug {
		return "debug"
	}
	return ""
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitReady polls until the process listens on port (at most 30 s, by
// count).
func (p *proc) waitReady(t *testing.T, port int) {
	t.Helper()
	for range 300 {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 100*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if p.cmd.ProcessState != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("hector-scim did not start:\n%s", p.logs())
}

// resp is a SCIM answer.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) get(path string) gjson.Result { return gjson.GetBytes(r.body, path) }

// do sends a SCIM request with the test token; body may be a string, []byte
// or nil.
func (e *env) do(method, path string, body any) resp {
	e.t.Helper()
	return e.doAuth(method, path, body, "Bearer "+Token)
}

func (e *env) doAuth(method, path string, body any, auth string) resp {
	e.t.Helper()
	r, err := e.send(method, path, body, auth)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// tryDo sends a request and reports a transport failure as status 0,
// without failing the test.
func (e *env) tryDo(method, path string, body any) resp {
	r, err := e.send(method, path, body, "Bearer "+Token)
	if err != nil {
		r.body = []byte(err.Error())
	}
	return r
}

func (e *env) send(method, path string, body any, auth string) (resp, error) {
	var rd io.Reader
	switch b := body.(type) {
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		return resp{}, err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	if method == http.MethodPut || method == http.MethodPatch || method == http.MethodDelete {
		// These SCIM requests are idempotent through hector-scim: the header
		// lets Go's transport replay one that met a keep-alive connection
		// the server was closing (as during a reload), as GETs are.
		req.Header.Set("Idempotency-Key", "e2e")
	}
	res, err := e.http.Do(req)
	if err != nil {
		return resp{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return resp{}, err
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}, nil
}

// must checks the status of an answer and returns it.
func (e *env) must(want int, r resp) resp {
	e.t.Helper()
	if r.status != want {
		e.t.Fatalf("got status %d, want %d; body: %s", r.status, want, r.body)
	}
	if r.status != http.StatusNoContent && !strings.HasPrefix(r.header.Get("Content-Type"), "application/scim+json") {
		e.t.Fatalf("got Content-Type %q, want application/scim+json", r.header.Get("Content-Type"))
	}
	return r
}

// hectorUser reads a user straight from the simulator's state.
func (e *env) hectorUser(id string) gjson.Result {
	e.t.Helper()
	var n int64
	fmt.Sscan(id, &n)
	raw, ok := e.sim.User(n)
	if !ok {
		e.t.Fatalf("Hector has no user %s", id)
	}
	return gjson.ParseBytes(raw)
}

// expectFields checks Hector user fields.
func (e *env) expectFields(id string, want map[string]string) {
	e.t.Helper()
	u := e.hectorUser(id)
	for k, v := range want {
		if got := u.Get(k).String(); got != v {
			e.t.Errorf("Hector user %s: got %s %q, want %q", id, k, got, v)
		}
	}
}

// calls returns the simulator's calls by route since the last reset.
func (e *env) calls() map[string]int64 { return e.sim.Stats().ByRoute }

func jsonBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func gjsonBody(res *http.Response) string {
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// logw is the process's output writer; logs reads it safely.
func (p *proc) logw() io.Writer { return lockedWriter{p} }

type lockedWriter struct{ p *proc }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.p.logMu.Lock()
	defer w.p.logMu.Unlock()
	return w.p.log.Write(b)
}

func (p *proc) logs() string {
	p.logMu.Lock()
	defer p.logMu.Unlock()
	return p.log.String()
}

// waitLog waits (at most 10 s, by count) for a log line containing s.
func (e *env) waitLog(s string) bool {
	for range 100 {
		if strings.Contains(e.logs(), s) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// metrics reads the sidecar's Prometheus metrics.
func (e *env) metrics() string {
	e.t.Helper()
	res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", e.port))
	if err != nil {
		e.t.Fatal(err)
	}
	return gjsonBody(res)
}

// dialFrom dials from a given local loopback address.
func dialFrom(ip string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return d.DialContext
}
