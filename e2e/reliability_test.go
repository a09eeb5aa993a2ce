package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDeadline slows Hector to 2 s a call: a PATCH that needs two calls
// cannot finish within a 3 s deadline, answers 503 with Retry-After in
// time, and the IdP's retry (once Hector is fast again) completes it.
func TestDeadline(t *testing.T) {
	e := start(t, options{scim: "deadline 3s"})
	id := e.newUser("slow@contoso.com")
	e.sim.SetLatency(2 * time.Second)
	body := patch(`{"op":"Replace","path":"title","value":"Patient"}`)
	began := time.Now()
	r := e.do("PATCH", "/Users/"+id, body)
	took := time.Since(began)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Fatalf("slow Hector: got %d (Retry-After %q) %s, want 503 with Retry-After", r.status, r.header.Get("Retry-After"), r.body)
	}
	if took > 4*time.Second {
		t.Errorf("the request ran %v, past its 3 s deadline (plus 1 s of slack)", took)
	}
	e.sim.SetLatency(0)
	e.must(http.StatusOK, e.do("PATCH", "/Users/"+id, body))
	e.expectFields(id, map[string]string{"title": "Patient"})
}

// TestHectorDownThenBack: while Hector is unreachable every request
// answers 502 or 503, never 500, and nothing is half-applied when it
// returns.
func TestHectorDownThenBack(t *testing.T) {
	e := start(t, options{scim: guideRoles})
	uid := e.newUser("ada@contoso.com")
	gid := e.newGroup("hector_staff")
	before := string(e.hectorUser(uid).Raw)

	e.sim.SetDown(true)
	for _, req := range []struct{ method, path, body string }{
		{"GET", "/Users/" + uid, ""},
		{"GET", "/Users" + filterQuery(`userName eq "ada@contoso.com"`), ""},
		{"POST", "/Users", `{"userName":"bob@contoso.com"}`},
		{"PATCH", "/Users/" + uid, patch(`{"op":"Replace","path":"title","value":"X"}`)},
		{"PATCH", "/Groups/" + gid, patch(`{"op":"Add","path":"members","value":` + members(uid) + `}`)},
		{"DELETE", "/Users/" + uid, ""},
	} {
		var body any
		if req.body != "" {
			body = req.body
		}
		r := e.do(req.method, req.path, body)
		if r.status != http.StatusBadGateway && r.status != http.StatusServiceUnavailable {
			t.Errorf("%s %s with Hector down: got %d %s, want 502 or 503", req.method, req.path, r.status, r.body)
		}
		if r.status == http.StatusServiceUnavailable && r.header.Get("Retry-After") == "" {
			t.Errorf("%s %s: 503 without Retry-After", req.method, req.path)
		}
	}
	e.sim.SetDown(false)
	if after := string(e.hectorUser(uid).Raw); after != before {
		t.Errorf("a failed request changed the user:\nbefore %s\nafter  %s", before, after)
	}
	if len(e.sim.Users()) != 1 || len(e.sim.Members(mustInt(gid))) != 0 {
		t.Errorf("a failed request left something behind: %d users, members %v", len(e.sim.Users()), e.sim.Members(mustInt(gid)))
	}
	// The IdP's retries now complete.
	e.addMembers(gid, uid)
	e.expectFields(uid, map[string]string{"role": "staff"})
}

// TestAuthFailuresAreSlowedDown: repeated bad tokens from one address get
// 429 past the limit, but a valid token from that address is still
// served; the limit is per address: a client arriving through another
// address is not affected. An expired token gets the very answer an
// unknown one gets.
func TestAuthFailuresAreSlowedDown(t *testing.T) {
	const expired = "expired-e2e-token-0123456789"
	e := start(t, options{scim: "auth_failure_limit 5 1m\n\t\t\ttoken " + expired + " {\n\t\t\t\texpires 2020-01-01T00:00:00Z\n\t\t\t}"})
	unknown := e.doAuth("GET", "/Users", nil, "Bearer unknown-0123456789")
	old := e.doAuth("GET", "/Users", nil, "Bearer "+expired)
	if old.status != http.StatusUnauthorized || string(old.body) != string(unknown.body) ||
		old.header.Get("WWW-Authenticate") != unknown.header.Get("WWW-Authenticate") {
		t.Errorf("expired token: got %d %s (%q), want the answer to an unknown token: %d %s (%q)",
			old.status, old.body, old.header.Get("WWW-Authenticate"), unknown.status, unknown.body, unknown.header.Get("WWW-Authenticate"))
	}
	for i := range 3 {
		r := e.doAuth("GET", "/Users", nil, "Bearer guess-"+strconv.Itoa(i))
		if r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i+3, r.status)
		}
	}
	for _, step := range []struct {
		auth string
		want int
	}{
		{"Bearer guess-6", http.StatusTooManyRequests},
		{"Bearer " + Token, http.StatusOK},
		{"Bearer " + expired, http.StatusTooManyRequests},
		{"Bearer " + Token, http.StatusOK},
	} {
		r := e.doAuth("GET", "/Users", nil, step.auth)
		if r.status != step.want {
			t.Errorf("past the limit, %.12s…: got %d %s, want %d", step.auth, r.status, r.body, step.want)
		}
		if r.status == http.StatusTooManyRequests && (r.header.Get("Retry-After") == "" || r.get("status").String() != "429") {
			t.Errorf("past the limit: got %s (Retry-After %q), want a SCIM error with Retry-After", r.body, r.header.Get("Retry-After"))
		}
	}
	// Another client address: 127.0.0.2 is loopback too.
	c := &http.Client{Transport: &http.Transport{DialContext: dialFrom("127.0.0.2")}}
	req, _ := http.NewRequest("GET", e.base+"/Users", nil)
	req.Header.Set("Authorization", "Bearer guess-7")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("another address: got %d, want 401", res.StatusCode)
	}
	m := e.metrics()
	for _, want := range []string{
		`hector_scim_auth_failures_total{reason="expired",tenant=""} 1`,
		`hector_scim_auth_failures_total{reason="invalid",tenant=""} 5`,
		`hector_scim_auth_failures_total{reason="throttled",tenant=""} 2`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestForgedForwardedFor: behind a trusted proxy, with
// trusted_proxies_strict (as the deployment examples set it), the failure
// limit applies to the address the proxy saw, the right-most
// X-Forwarded-For entry: a client that forges a left-most entry cannot
// steer the limit onto another address, nor escape it.
func TestForgedForwardedFor(t *testing.T) {
	e := start(t, options{
		scim:    "auth_failure_limit 3 1m",
		servers: "trusted_proxies static 127.0.0.1/32\n\t\ttrusted_proxies_strict",
	})
	const attacker, victim = "203.0.113.9", "198.51.100.7"
	// What the proxy (127.0.0.1) forwards: the client's own header, with
	// the address it saw appended.
	via := func(xff, auth string) int {
		req, _ := http.NewRequest("GET", e.base+"/Users", nil)
		req.Header.Set("X-Forwarded-For", xff)
		req.Header.Set("Authorization", auth)
		res, err := e.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := range 4 {
		// The attacker claims to be the victim, each time a new address too.
		forged := victim + ", 10.9.9." + strconv.Itoa(i) + ", " + attacker
		want := http.StatusUnauthorized
		if i == 3 {
			want = http.StatusTooManyRequests
		}
		if got := via(forged, "Bearer guess-"+strconv.Itoa(i)); got != want {
			t.Errorf("attacker's try %d: got %d, want %d", i+1, got, want)
		}
	}
	if got := via(victim, "Bearer typo-0123456789"); got != http.StatusUnauthorized {
		t.Errorf("the victim's own wrong token: got %d, want 401: the attacker's failures must not count against it", got)
	}
	if got := via(victim, "Bearer "+Token); got != http.StatusOK {
		t.Errorf("the victim's token: got %d, want 200", got)
	}
	if got := via(attacker, "Bearer "+Token); got != http.StatusOK {
		t.Errorf("a valid token from the address past its limit: got %d, want 200", got)
	}
}

// TestNoSecretInLogs runs a full provisioning flow with debug logging and
// checks that no log line holds the bearer token or the API key.
func TestNoSecretInLogs(t *testing.T) {
	e := start(t, options{scim: guideRoles, debug: true})
	uid := e.newUser("ada@contoso.com")
	gid := e.newGroup("hector_staff")
	e.addMembers(gid, uid)
	e.must(http.StatusOK, e.do("PATCH", "/Users/"+uid, patch(`{"op":"Replace","path":"active","value":"False"}`)))
	e.must(http.StatusOK, e.do("GET", "/Users"+filterQuery(`userName eq "ada@contoso.com"`), nil))
	e.must(http.StatusNoContent, e.do("DELETE", "/Groups/"+gid, nil))
	e.doAuth("GET", "/Users", nil, "Bearer "+Token+"x")
	logs := e.logs()
	if !strings.Contains(logs, `"level":"debug"`) {
		t.Fatal("no debug line was logged; the test proves nothing")
	}
	for _, secret := range []string{Token, APIKey} {
		if strings.Contains(logs, secret) {
			for _, line := range strings.Split(logs, "\n") {
				if strings.Contains(line, secret) {
					t.Errorf("a log line holds a secret: %s", line)
				}
			}
		}
	}
}
