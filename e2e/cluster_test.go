package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

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
// memberships and roles.
func TestEntraUnderFaults(t *testing.T) {
	e := start(t, options{scim: guideRoles, rate: "90", sim: hectorsim.Options{Rate: 100, Burst: 50, FaultRate: 0.2, AmbiguousPostRate: 0.2, Seed: 42}})
	d := newDirectory(1000, guideGroups)
	c := &idp{e: e, workers: 8}
	began := time.Now()
	ids := c.runConcurrentGroups(t, d, 30)
	st := e.sim.Stats()
	t.Logf("faults: %d SCIM requests (%d failed and retried by the IdP), %d Hector calls (%d injected faults, %d ambiguous creates, %d rate-limited), %s, %v",
		c.requests.Load(), c.failures.Load(), st.Requests, st.Faults, st.Ambiguous, st.RateLimited, retriesMetric(e), time.Since(began).Round(time.Millisecond))
	e.sim.SetFaults(0, 0)
	verify(t, e, d, ids)
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
