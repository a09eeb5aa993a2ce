package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
)

// guideGroups are the guide's role groups and groups that grant none.
var guideGroups = []string{"hector_admins", "hector_staff", "hector_users", "Hector Employees", "hector_places",
	"Engineering", "Sales", "Support", "Finance", "Legal"}

// startCluster runs n sidecars against one simulator and a Caddy
// reverse_proxy (the same binary) in front of them, round robin; the
// environment talks to the proxy.
func startCluster(t *testing.T, o options, n int) *env {
	t.Helper()
	e := newEnv(t, o)
	var upstreams []string
	for range n {
		port := freePort(t)
		e.launch(sidecarCaddyfile(o, port, e.simURL, ""), port)
		upstreams = append(upstreams, fmt.Sprintf("127.0.0.1:%d", port))
	}
	e.port = freePort(t)
	e.base = fmt.Sprintf("http://127.0.0.1:%d/scim/v2", e.port)
	e.proc = e.launch(fmt.Sprintf(`{
	admin off
	persist_config off
	default_bind 127.0.0.1
}
http://127.0.0.1:%d {
	reverse_proxy %s {
		lb_policy round_robin
	}
}
`, e.port, strings.Join(upstreams, " ")), e.port)
	return e
}

// TestReplicas: three sidecars behind one reverse_proxy, hit concurrently by
// an Entra-like client on distinct users and shared groups (role groups
// included), reach the end state one process would.
func TestReplicas(t *testing.T) {
	e := startCluster(t, options{scim: guideRoles}, 3)
	d := newDirectory(300, guideGroups)
	c := &idp{e: e, workers: 12}
	began := time.Now()
	ids := c.runConcurrentGroups(t, d, 10)
	t.Logf("3 replicas: %d SCIM requests (%d failed), %d Hector calls, %v", c.requests.Load(), c.failures.Load(), e.sim.Stats().Requests, time.Since(began).Round(time.Millisecond))
	verify(t, e, d, ids)
}

// TestEntraUnderFaults: Hector fails 20% of calls with 502/503, loses the
// answer of 20% of creates (the object is created), and rate-limits
// tightly; an Entra-like client that retries failed requests in later
// cycles provisions 1,000 users and 10 groups with memberships, role groups
// included. Hector ends with exactly the intended users, fields,
// memberships and roles. Hector also holds hand-made accounts: a
// protected break-glass admin and another the IdP does not provision
// (both end untouched), and twins of two users the IdP sends without
// externalId, made by hand while the IdP's first POST is lost: no create
// adopts them; the IdP matches them by userName later and takes them over
// by an update, audited as such.
func TestEntraUnderFaults(t *testing.T) {
	store, err := hectorsim.OpenStore("")
	if err != nil {
		t.Fatal(err)
	}
	admin, err := hectorsim.New(hectorsim.Options{APIKey: APIKey, Store: store}) // Hector's own UI: no faults
	if err != nil {
		t.Fatal(err)
	}
	d := newDirectory(1000, guideGroups)
	twins := map[string]*wantUser{}
	for _, i := range []int{100, 500, 700} {
		d.users[i].noExt = true
		if i != 700 {
			twins[d.users[i].userName] = &d.users[i]
		}
	}
	tw := &twinMaker{admin: admin, twins: twins, made: map[string]string{}}
	e := start(t, options{scim: guideRoles + "\n\t\t\tprotect breakglass@contoso.com", rate: "90", wrap: tw.wrap,
		sim: hectorsim.Options{Rate: 100, Burst: 50, FaultRate: 0.2, AmbiguousPostRate: 0.2, Seed: 42, Store: store}})
	d.handMade = map[string]string{}
	for _, body := range []string{
		`{"username":"breakglass@contoso.com","email":"it-emergency@contoso.com","identifier":"BG-1","role":"admin"}`,
		`{"username":"kiosk@contoso.com","email":"kiosk@contoso.com","identifier":"K-1"}`,
	} {
		raw := simCall(t, admin, "POST", "/users", body)
		d.handMade[gjson.Get(raw, "username").String()] = raw
	}
	c := &idp{e: e, workers: 8}
	began := time.Now()
	ids := c.runConcurrentGroups(t, d, 30)
	st := e.sim.Stats()
	t.Logf("faults: %d SCIM requests (%d failed and retried by the IdP), %d Hector calls (%d injected faults, %d ambiguous creates, %d rate-limited), %s, %v",
		c.requests.Load(), c.failures.Load(), st.Requests, st.Faults, st.Ambiguous, st.RateLimited, retriesMetric(e), time.Since(began).Round(time.Millisecond))
	e.sim.SetFaults(0, 0)
	verify(t, e, d, ids)
	actions := e.auditActions()
	for name, id := range tw.made {
		if hasAction(actions, "user create "+id) || !hasAction(actions, "user adopt "+id) {
			t.Errorf("hand-made twin %s (%s): got audit %v, want it adopted by an update, never created", name, id, filterActions(actions, id))
		}
	}
	if len(tw.made) != len(twins) {
		t.Errorf("made %d twins, want %d: the test proves less", len(tw.made), len(twins))
	}
}

// twinMaker is a Hector where, when the IdP first POSTs one of twins, an
// administrator creates the same account by hand (same username, email
// and identifier) just before, and the POST's answer is lost (502, the
// POST itself not applied).
type twinMaker struct {
	admin *hectorsim.Server
	twins map[string]*wantUser
	mu    sync.Mutex
	made  map[string]string // username → Hector id of the twin
}

func (tm *twinMaker) wrap(sim http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/users" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			name := gjson.GetBytes(body, "username").String()
			tm.mu.Lock()
			u, ok := tm.twins[name]
			_, made := tm.made[name]
			if ok && !made {
				raw := simCall(nil, tm.admin, "POST", "/users", fmt.Sprintf(`{"username":%q,"email":%q,"identifier":%q,"first_name":"Hand","last_name":"Made"}`, u.userName, u.email, u.empNo))
				tm.made[name] = gjson.Get(raw, "id").String()
			}
			tm.mu.Unlock()
			if ok && !made {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadGateway)
				w.Write([]byte(`{"error":{"code":"server_error","message":"bad gateway"}}`))
				return
			}
		}
		sim.ServeHTTP(w, r)
	})
}

// simCall makes one call on a simulator in process and returns the
// answer's data; t may be nil (then a failure panics).
func simCall(t *testing.T, sim http.Handler, method, path, body string) string {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("X-Api-Key", APIKey)
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	sim.ServeHTTP(w, r)
	if w.Code >= 300 {
		msg := fmt.Sprintf("%s %s by hand: got %d %s", method, path, w.Code, w.Body)
		if t == nil {
			panic(msg)
		}
		t.Fatal(msg)
	}
	return gjson.GetBytes(w.Body.Bytes(), "data").Raw
}

func filterActions(actions []string, id string) []string {
	var out []string
	for _, a := range actions {
		if strings.HasSuffix(a, " "+id) {
			out = append(out, a)
		}
	}
	return out
}

// retriesMetric sums the sidecar's retries counter.
func retriesMetric(e *env) string {
	total := 0.0
	for _, line := range strings.Split(e.metrics(), "\n") {
		if strings.HasPrefix(line, "hector_scim_hector_retries_total{") {
			var v float64
			fmt.Sscan(line[strings.LastIndexByte(line, ' ')+1:], &v)
			total += v
		}
	}
	return fmt.Sprintf("%.0f sidecar retries", total)
}
