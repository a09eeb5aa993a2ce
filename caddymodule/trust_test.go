package caddymodule

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
)

// trustEnv is the scim handler, provisioned from a Caddyfile with extra
// lines, in front of an in-memory simulator (issue #11: trust boundaries).
type trustEnv struct {
	sim  *hectorsim.Server
	scim *httptest.Server
}

func newTrustEnv(t *testing.T, extra string) *trustEnv {
	t.Helper()
	sim, err := hectorsim.New(hectorsim.Options{APIKey: hostileAPIKey, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	legacy := httptest.NewServer(sim)
	t.Cleanup(legacy.Close)
	h := new(Handler)
	d := caddyfile.NewTestDispenser(`scim {
		token ` + hostileToken + `
		legacy ` + legacy.URL + ` {
			api_key ` + hostileAPIKey + `
			retries 0
			rate 0
		}
		` + extra + `
	}`)
	if err := h.UnmarshalCaddyfile(d); err != nil {
		t.Fatalf("UnmarshalCaddyfile: %v", err)
	}
	provisionHandler(t, h)
	next := caddyhttp.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error { return nil })
	scim := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _ = h.ServeHTTP(w, r, next) }))
	t.Cleanup(scim.Close)
	return &trustEnv{sim: sim, scim: scim}
}

// do sends a SCIM request and returns the status and the body.
func (e *trustEnv) do(t *testing.T, method, path, body string) (int, gjson.Result) {
	t.Helper()
	r, _ := http.NewRequest(method, e.scim.URL+hostileBase+path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+hostileToken)
	if body != "" {
		r.Header.Set("Content-Type", MediaType)
	}
	resp, err := e.scim.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, gjson.ParseBytes(b)
}

func (e *trustEnv) must(t *testing.T, want int, method, path, body string) gjson.Result {
	t.Helper()
	status, res := e.do(t, method, path, body)
	if status != want {
		t.Fatalf("%s %s: got %d %s, want %d", method, path, status, res.Raw, want)
	}
	return res
}

// hector makes a change in Hector by hand, as an administrator would.
func (e *trustEnv) hector(t *testing.T, method, path, body string) gjson.Result {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("X-Api-Key", hostileAPIKey)
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	e.sim.ServeHTTP(w, r)
	if w.Code >= 300 {
		t.Fatalf("%s %s by hand: got %d %s", method, path, w.Code, w.Body)
	}
	return gjson.GetBytes(w.Body.Bytes(), "data")
}

func (e *trustEnv) user(t *testing.T, id string) gjson.Result {
	t.Helper()
	var n int64
	fmt.Sscan(id, &n)
	raw, _ := e.sim.User(n)
	return gjson.ParseBytes(raw)
}

func filterPath(resource, f string) string {
	return "/" + resource + "?filter=" + url.QueryEscape(f)
}

func addMember(uid string) string {
	return `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"value":"` + uid + `"}]}]}`
}

// TestProtectDirective: accounts named by `protect` do not exist to SCIM,
// whatever the request.
func TestProtectDirective(t *testing.T) {
	e := newTrustEnv(t, "protect breakglass@acme.example\nprotect Second@Acme.Example")
	bg := e.hector(t, "POST", "/users", `{"username":"BreakGlass@acme.example","email":"bg@acme.example","identifier":"BG","role":"admin"}`).Get("id").String()
	ada := e.must(t, http.StatusCreated, "POST", "/Users", `{"userName":"ada@acme.example","externalId":"ada"}`).Get("id").String()
	gid := e.hector(t, "POST", "/groups", `{"name":"hector_admins"}`).Get("id").String()
	e.hector(t, "POST", "/groups/"+gid+"/members", `{"user_ids":[`+bg+`]}`)

	for _, req := range []struct{ method, path, body string }{
		{"GET", "/Users/" + bg, ""},
		{"PUT", "/Users/" + bg, `{"userName":"BreakGlass@acme.example","active":false}`},
		{"PATCH", "/Users/" + bg, `{"Operations":[{"op":"replace","path":"active","value":false}]}`},
		{"DELETE", "/Users/" + bg, ""},
	} {
		if status, res := e.do(t, req.method, req.path, req.body); status != http.StatusNotFound {
			t.Errorf("%s %s: got %d %s, want 404", req.method, req.path, status, res.Raw)
		}
	}
	for _, f := range []string{`userName eq "breakglass@acme.example"`, `userName sw "b"`, `active eq true`, `id eq "` + bg + `"`} {
		res := e.must(t, http.StatusOK, "GET", filterPath("Users", f), "")
		if res.Get("totalResults").Int() != int64(strings.Count(f, "active")) || strings.Contains(res.Raw, "BreakGlass") {
			t.Errorf("filter %s: got %s, want the protected account absent", f, res.Raw)
		}
	}
	res := e.must(t, http.StatusOK, "GET", "/Users?startIndex=1&count=1", "")
	if res.Get("totalResults").Int() != 1 || res.Get("Resources.0.id").String() != ada {
		t.Errorf("list: got %s, want only ada, counted once", res.Raw)
	}
	status, res := e.do(t, "POST", "/Users", `{"userName":"breakglass@ACME.example"}`)
	if status != http.StatusConflict || res.Get("scimType").String() != "uniqueness" {
		t.Errorf("colliding create: got %d %s, want 409 uniqueness", status, res.Raw)
	}
	status, res = e.do(t, "PATCH", "/Groups/"+gid, addMember(bg))
	if status != http.StatusBadRequest || res.Get("scimType").String() != "invalidValue" {
		t.Errorf("as a member: got %d %s, want 400 invalidValue", status, res.Raw)
	}
	res = e.must(t, http.StatusOK, "GET", "/Groups/"+gid, "")
	if res.Get("members.#").Int() != 0 {
		t.Errorf("group members: got %s, want the protected account left out", res.Get("members").Raw)
	}
	if r := e.must(t, http.StatusOK, "GET", filterPath("Groups", `members eq "`+bg+`"`), ""); r.Get("totalResults").Int() != 0 {
		t.Errorf("members eq the protected account: got %s", r.Raw)
	}
	// Okta's PUT of the group: the protected member stays, untouched.
	e.must(t, http.StatusOK, "PUT", "/Groups/"+gid, `{"displayName":"hector_admins","members":[{"value":"`+ada+`"}]}`)
	if got := e.sim.Members(mustID(gid)); len(got) != 2 {
		t.Errorf("after a group PUT: got members %v, want the protected account kept", got)
	}
	u := e.user(t, bg)
	if u.Get("role").String() != "admin" || u.Get("status").String() != "active" || u.Get("external_id").String() != "" {
		t.Errorf("the protected account changed: %s", u.Raw)
	}
}

func mustID(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

// TestRoleGroupByIDDirective: `admin "id:<externalId>;…"` binds the admin
// role to the IdP's group id, whatever the group's display name; a
// look-alike name (ſ is not s) grants nothing and is not found for the
// real group.
func TestRoleGroupByIDDirective(t *testing.T) {
	e := newTrustEnv(t, `roles {
			admin "id:6f1c2a9e-0d44-4c8e-9a51-2b7d3e8f0c11;hector_admins"
			staff hector_staff
		}
		default_role user`)
	ada := e.must(t, http.StatusCreated, "POST", "/Users", `{"userName":"ada@acme.example","externalId":"ada"}`).Get("id").String()
	bob := e.must(t, http.StatusCreated, "POST", "/Users", `{"userName":"bob@acme.example","externalId":"bob"}`).Get("id").String()
	byID := e.must(t, http.StatusCreated, "POST", "/Groups", `{"displayName":"Tenant Admins","externalId":"6f1c2a9e-0d44-4c8e-9a51-2b7d3e8f0c11"}`).Get("id").String()
	e.must(t, http.StatusCreated, "POST", "/Groups", `{"displayName":"hector_admins","externalId":"real"}`)
	lookAlike := e.must(t, http.StatusCreated, "POST", "/Groups", `{"displayName":"hector_adminſ","externalId":"fake"}`).Get("id").String()
	e.must(t, http.StatusNoContent, "PATCH", "/Groups/"+byID, addMember(ada))
	e.must(t, http.StatusNoContent, "PATCH", "/Groups/"+lookAlike, addMember(bob))
	if got := e.user(t, ada).Get("role").String(); got != "admin" {
		t.Errorf("member of the id-bound group: got role %q, want admin", got)
	}
	if got := e.user(t, bob).Get("role").String(); got != "user" {
		t.Errorf("member of the look-alike: got role %q, want user", got)
	}
	res := e.must(t, http.StatusOK, "GET", filterPath("Groups", `displayName eq "hector_adminſ"`), "")
	if res.Get("totalResults").Int() != 1 || res.Get("Resources.0.id").String() != lookAlike {
		t.Errorf("look-alike filter: got %s, want only the look-alike", res.Raw)
	}
}

// TestEqEmptyThroughHandler: eq "" never returns every record.
func TestEqEmptyThroughHandler(t *testing.T) {
	e := newTrustEnv(t, "")
	e.must(t, http.StatusCreated, "POST", "/Users", `{"userName":"ada@acme.example","title":"Engineer"}`)
	e.must(t, http.StatusCreated, "POST", "/Groups", `{"displayName":"Engineering"}`)
	for _, tt := range []struct{ resource, filter string }{
		{"Users", `userName eq ""`},
		{"Users", `emails[type eq "work"].value eq ""`},
		{"Users", `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq ""`},
		{"Users", `title eq ""`},
		{"Groups", `displayName eq ""`},
	} {
		res := e.must(t, http.StatusOK, "GET", filterPath(tt.resource, tt.filter), "")
		if res.Get("totalResults").Int() != 0 {
			t.Errorf("%s %s: got %s, want nothing", tt.resource, tt.filter, res.Raw)
		}
	}
}

func TestProtectAndRoleIDCaddyfile(t *testing.T) {
	for _, tt := range []struct {
		name, input string
		want        Handler
	}{
		{"protect, repeatable, several a line", "scim {\n protect bg@x.example\n protect a@x b@x\n}", Handler{Protect: []string{"bg@x.example", "a@x", "b@x"}}},
		{"a role group by id", "scim {\n roles {\n  admin \"id:6f1c;hector_admins\"\n }\n}", Handler{Roles: []Role{{Name: "admin", Groups: []string{"id:6f1c", "hector_admins"}}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var h Handler
			if err := h.UnmarshalCaddyfile(caddyfile.NewTestDispenser(tt.input)); err != nil {
				t.Fatal(err)
			}
			h.at = ""
			if !reflect.DeepEqual(h, tt.want) {
				t.Errorf("got %+v, want %+v", h, tt.want)
			}
		})
	}
	for _, tt := range []struct{ name, input, want string }{
		{"protect without a username", "scim {\n protect\n}", "wrong argument count|at Testfile:2"},
		{"protect twice the same", "scim {\n protect bg@x\n protect BG@x\n}", `protect: "BG@x" given twice|at Testfile:3`},
		{"an empty id", "scim {\n roles {\n  admin \"id:;hector_admins\"\n }\n}", `role "admin": "id:" names no group|at Testfile:3`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var h Handler
			err := h.UnmarshalCaddyfile(caddyfile.NewTestDispenser(tt.input))
			for _, want := range strings.Split(tt.want, "|") {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("got %v, want an error with %q", err, want)
				}
			}
		})
	}
}

// TestProtectPlaceholders: a protected username may come from the
// environment; one that expands to nothing fails the load, since it would
// leave the account unprotected.
func TestProtectPlaceholders(t *testing.T) {
	t.Setenv("HECTOR_SCIM_TEST_BREAKGLASS", "bg@acme.example")
	h := Handler{Protect: []string{"{env.HECTOR_SCIM_TEST_BREAKGLASS}", "ops@acme.example"}}
	got, err := h.protectList(caddy.NewReplacer())
	if err != nil || !reflect.DeepEqual(got, []string{"bg@acme.example", "ops@acme.example"}) {
		t.Errorf("got %v %v, want both usernames", got, err)
	}
	h = Handler{Protect: []string{"{env.HECTOR_SCIM_TEST_UNSET}"}}
	if _, err := h.protectList(caddy.NewReplacer()); err == nil {
		t.Error("an unset variable: got no error, want the load to fail")
	}
}
