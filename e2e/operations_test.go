package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// TestObservability checks, through the real binary: the SCIM fields of
// each request on Caddy's access log line (and no second line of ours),
// an audit line per change written to Hector (personal values left out at
// info level), the Prometheus metrics on Caddy's /metrics, and the
// start-up check of the configured roles against Hector's GET /roles.
func TestObservability(t *testing.T) {
	e := start(t, options{accessLog: true, scim: `tenant acme
			roles {
				admin hector_admins
				wizard hector_wizards
			}
			default_role user`})
	if !e.waitLog(`"configured role is not a Hector role; users cannot be given it","tenant":"acme","role":"wizard"`) {
		t.Errorf("no log error for the role Hector does not know:\n%s", e.logs())
	}

	id := e.must(http.StatusCreated, e.do("POST", "/Users", `{"userName":"ada@contoso.com","name":{"givenName":"Ada"}}`)).get("id").String()
	e.must(http.StatusOK, e.do("PATCH", "/Users/"+id, patch(`{"op":"Replace","path":"name.givenName","value":"Augusta"},{"op":"Replace","path":"active","value":"False"}`)))
	e.must(http.StatusNotFound, e.do("GET", "/Users/424242", nil))
	e.doAuth("GET", "/Users", nil, "Bearer wrong-token-0123456789")
	e.waitAccessLines(4)

	for _, want := range []struct {
		method, path string
		fields       map[string]string
	}{
		{"POST", "/Users", map[string]string{"status": "201", "tenant": "acme", "resource": "users", "operation": "POST", "scim_id": "", "hector_calls": "1", "outcome": "ok"}},
		{"PATCH", "/Users/" + id, map[string]string{"status": "200", "resource": "users", "operation": "PATCH", "scim_id": id, "hector_calls": "2", "outcome": "ok"}},
		{"GET", "/Users/424242", map[string]string{"status": "404", "resource": "users", "scim_id": "424242", "hector_calls": "1", "outcome": `User "424242" not found`}},
		{"GET", "/Users", map[string]string{"status": "401", "resource": "users", "hector_calls": "0", "outcome": "the bearer token is not valid"}},
	} {
		line := e.accessLine(want.method, want.path)
		if !line.Exists() {
			t.Errorf("%s %s: got no access log line", want.method, want.path)
			continue
		}
		for k, v := range want.fields {
			if got := line.Get(k).String(); got != v {
				t.Errorf("%s %s: access log %s: got %q, want %q (%s)", want.method, want.path, k, got, v, line.Raw)
			}
		}
	}
	logs := e.logs()
	if strings.Contains(logs, `"msg":"scim request"`) {
		t.Errorf("got a second log line per request (scim request), want the fields on the access line only")
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`"logger":"http.handlers.scim.audit","msg":"hector change","tenant":"acme","uuid":"[0-9a-f-]{36}","object":"user","action":"create","hector_id":"` + id + `",.*"users":\[` + id + `\]`),
		regexp.MustCompile(`"logger":"http.handlers.scim.audit","msg":"hector change","tenant":"acme","uuid":"[0-9a-f-]{36}","object":"user","action":"update","hector_id":"` + id + `","changes":\[\{"field":"first_name"\},\{"field":"status","before":"active","after":"disabled"\}\],"users":\[` + id + `\]`),
	} {
		if !want.MatchString(logs) {
			t.Errorf("no log line matches %s", want)
		}
	}
	if strings.Contains(logs, "Augusta") {
		t.Errorf("a personal value reached an info log line")
	}

	m := e.metrics()
	for _, want := range []string{
		`hector_scim_requests_total{method="POST",resource="users",status="201",tenant="acme"} 1`,
		`hector_scim_requests_total{method="GET",resource="users",status="404",tenant="acme"} 1`,
		`hector_scim_hector_calls_total{route="PUT /users/{id}",status="200",tenant="acme"} 1`,
		`hector_scim_hector_calls_total{route="GET /users/{id}",status="404",tenant="acme"} 1`,
		`hector_scim_auth_failures_total{reason="invalid",tenant="acme"} 1`,
		`hector_scim_request_duration_seconds_bucket{method="PATCH",resource="users",tenant="acme",le=`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(m, "scim_id") || strings.Contains(m, "user_id") || strings.Contains(m, Token) {
		t.Errorf("a metric label carries a user id or the token")
	}
}

// waitAccessLines waits (at most 10 s, by count) for n access log lines
// of SCIM requests: Caddy writes a request's line after its answer.
func (e *env) waitAccessLines(n int) {
	e.t.Helper()
	for range 100 {
		got := 0
		for _, l := range e.logLines("handled request") {
			if strings.HasPrefix(l.Get("request.uri").String(), "/scim/v2/") {
				got++
			}
		}
		if got >= n {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.t.Fatalf("got fewer than %d access log lines of SCIM requests:\n%s", n, e.logs())
}

// accessLine returns Caddy's access log line of the request with this
// method and path below the SCIM base path (the last one, if several).
func (e *env) accessLine(method, path string) gjson.Result {
	var found gjson.Result
	for _, l := range e.logLines("handled request") {
		if l.Get("request.method").String() == method && l.Get("request.uri").String() == "/scim/v2"+path {
			found = l
		}
	}
	return found
}

// TestAccessLogKeepsFiltersOut: a filter value (here an email) reaches no
// log line at info level, neither through the URI on Caddy's access line
// (the templates' log block deletes the filter parameter) nor through the
// error detail of a bad filter that quotes it; with log_personal_data,
// the access line carries the filter.
func TestAccessLogKeepsFiltersOut(t *testing.T) {
	const email = "grace@contoso.com"
	good := filterQuery(`userName eq "` + email + `"`)
	bad := filterQuery(`userName eq "grace\q@contoso.com"`) // an invalid escape, quoted in the error detail
	for _, personal := range []bool{false, true} {
		t.Run(fmt.Sprintf("log_personal_data %v", personal), func(t *testing.T) {
			o := options{accessLog: true}
			if personal {
				o.scim = "log_personal_data"
			}
			e := start(t, o)
			e.must(http.StatusOK, e.do("GET", "/Users"+good, nil))
			r := e.do("GET", "/Users"+bad, nil)
			if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "grace") {
				t.Fatalf("bad filter: got %d %s, want 400 quoting the value (else the test proves little)", r.status, r.body)
			}
			e.waitAccessLines(2)
			line := e.accessLine("GET", "/Users")
			if !line.Exists() {
				t.Fatalf("got no access line for GET /Users without its filter parameter:\n%s", e.logs())
			}
			if got := line.Get("outcome").String(); got != "invalidFilter" && !personal {
				t.Errorf("bad filter: got outcome %q, want the scimType alone", got)
			}
			leaks := strings.Contains(e.logs(), "grace")
			if !personal && leaks {
				for _, l := range strings.Split(e.logs(), "\n") {
					if strings.Contains(l, "grace") {
						t.Errorf("a filter value reached a log line: %s", l)
					}
				}
			}
			if personal {
				var filters []string
				for _, l := range e.logLines("handled request") {
					filters = append(filters, l.Get("filter").String())
				}
				if !slices.Contains(filters, `userName eq "`+email+`"`) {
					t.Errorf("with log_personal_data: got access-line filters %q, want the filter", filters)
				}
			}
		})
	}
}

// TestDryRun: with dry_run, reads reach Hector but writes do not; each
// write is logged as the exact Hector call it would have been, and the
// SCIM answers are what they would have been.
func TestDryRun(t *testing.T) {
	e := start(t, options{scim: guideRoles + "\n\t\t\tdry_run"})
	e.sim.SetRateLimit(0, 0)
	seedUsers(t, e, 1) // bulk0@contoso.com, straight into Hector
	e.sim.ResetStats()

	r := e.must(http.StatusOK, e.do("GET", "/Users"+filterQuery(`userName eq "bulk0@contoso.com"`), nil))
	id := r.get("Resources.0.id").String()
	if id == "" {
		t.Fatalf("reads must reach Hector in a dry run: got %s", r.body)
	}
	r = e.must(http.StatusCreated, e.do("POST", "/Users", `{"userName":"new@contoso.com","name":{"givenName":"New"}}`))
	if r.get("userName").String() != "new@contoso.com" || r.get("name.givenName").String() != "New" {
		t.Errorf("dry-run create: got %s, want the user it would have created", r.body)
	}
	r = e.must(http.StatusOK, e.do("PATCH", "/Users/"+id, patch(`{"op":"Replace","path":"title","value":"Dry"}`)))
	if r.get("title").String() != "Dry" {
		t.Errorf("dry-run PATCH: got %s, want the title it would have set", r.body)
	}
	e.must(http.StatusNoContent, e.do("DELETE", "/Users/"+id, nil))

	for _, route := range []string{"POST /users", "PUT /users/{id}", "DELETE /users/{id}"} {
		if n := e.calls()[route]; n != 0 {
			t.Errorf("%s reached Hector %d times in a dry run, want 0", route, n)
		}
	}
	if len(e.sim.Users()) != 1 {
		t.Errorf("got %d users in Hector, want the 1 seeded", len(e.sim.Users()))
	}
	e.expectFields(id, map[string]string{"title": "", "status": "active"})
	for _, want := range []string{
		`"msg":"dry run: hector write not sent","route":"POST /users","method":"POST","path":"/users","fields":["username","email","identifier","first_name","role","external_id"]}`,
		`"msg":"dry run: hector write not sent","route":"PUT /users/{id}","method":"PUT","path":"/users/` + id + `","fields":[`,
		`"dry_run":true`,
	} {
		if !e.waitLog(want) {
			t.Errorf("no log line contains %s", want)
		}
	}
	if strings.Contains(e.logs(), "new@contoso.com") {
		t.Errorf("a dry-run body (personal data) reached an info line without log_personal_data")
	}
}

// TestDryRunBodies: with log_personal_data, a dry-run line carries the
// exact body of the Hector call that was not sent.
func TestDryRunBodies(t *testing.T) {
	e := start(t, options{scim: "dry_run\n\t\t\tlog_personal_data"})
	e.must(http.StatusCreated, e.do("POST", "/Users", `{"userName":"new@contoso.com","name":{"givenName":"New"}}`))
	want := `"msg":"dry run: hector write not sent","route":"POST /users","method":"POST","path":"/users","fields":["username","email","identifier","first_name","external_id"],"body":"{\"username\":\"new@contoso.com\",\"email\":\"new@contoso.com\",\"identifier\":\"new@contoso.com\",\"first_name\":\"New\",\"external_id\":\"hector-scim:`
	if !e.waitLog(want) {
		t.Errorf("no log line contains %s", want)
	}
}
