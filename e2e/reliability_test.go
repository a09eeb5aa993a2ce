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
// 429 past the limit, even with a good token then, and the limit is per
// address: a client arriving through another address is not affected.
func TestAuthFailuresAreSlowedDown(t *testing.T) {
	e := start(t, options{scim: "auth_failure_limit 5 1m"})
	for i := range 5 {
		r := e.doAuth("GET", "/Users", nil, "Bearer guess-"+strconv.Itoa(i))
		if r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i+1, r.status)
		}
	}
	for _, auth := range []string{"Bearer guess-6", "Bearer " + Token} {
		r := e.doAuth("GET", "/Users", nil, auth)
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || r.get("status").String() != "429" {
			t.Errorf("past the limit: got %d %s (Retry-After %q), want 429 with Retry-After", r.status, r.body, r.header.Get("Retry-After"))
		}
	}
	// Another client address: 127.0.0.2 is loopback too.
	c := &http.Client{Transport: &http.Transport{DialContext: dialFrom("127.0.0.2")}}
	req, _ := http.NewRequest("GET", e.base+"/Users", nil)
	req.Header.Set("Authorization", "Bearer "+Token)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("another address: got %d, want 200", res.StatusCode)
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
