package e2e

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestObservability checks, through the real binary: one log line per
// SCIM request with the Hector calls it made, an audit line per change
// written to Hector (personal values left out at info level), the
// Prometheus metrics on Caddy's /metrics, and the start-up check of the
// configured roles against Hector's GET /roles.
func TestObservability(t *testing.T) {
	e := start(t, options{scim: `tenant acme
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

	logs := e.logs()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`"logger":"http.handlers.scim","msg":"scim request","tenant":"acme","resource":"users","operation":"POST","scim_id":"","status":201,"hector_calls":1,`),
		regexp.MustCompile(`"msg":"scim request","tenant":"acme","resource":"users","operation":"PATCH","scim_id":"` + id + `","status":200,"hector_calls":2,.*"outcome":"ok"`),
		regexp.MustCompile(`"msg":"scim request","tenant":"acme","resource":"users","operation":"GET","scim_id":"424242","status":404,"hector_calls":1,.*"outcome":"User \\"424242\\" not found"`),
		regexp.MustCompile(`"logger":"http.handlers.scim.audit","msg":"hector change","tenant":"acme","object":"user","action":"create","hector_id":"` + id + `"`),
		regexp.MustCompile(`"logger":"http.handlers.scim.audit","msg":"hector change","tenant":"acme","object":"user","action":"update","hector_id":"` + id + `","changes":\[\{"field":"first_name"\},\{"field":"status","before":"active","after":"disabled"\}\]`),
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
		`"msg":"dry run: hector write not sent","route":"POST /users","method":"POST","path":"/users","body":"{\"username\":\"new@contoso.com\",\"email\":\"new@contoso.com\",\"identifier\":\"new@contoso.com\",\"first_name\":\"New\",\"role\":\"user\",\"external_id\":\"hector-scim:`,
		`"msg":"dry run: hector write not sent","route":"PUT /users/{id}","method":"PUT","path":"/users/` + id + `"`,
		`"dry_run":true`,
	} {
		if !strings.Contains(e.logs(), want) {
			t.Errorf("no log line contains %s", want)
		}
	}
}
