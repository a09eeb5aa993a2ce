package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// This file replays, through the real binary, what issue #11 found at the
// trust boundaries: the bridge grants nothing it was not asked for and
// touches nothing it does not manage.

// byHand sends a request straight to Hector (the simulator), as an
// administrator working in Hector would, and returns the answer's data.
func (e *env) byHand(method, path, body string) gjson.Result {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.simURL+path, strings.NewReader(body))
	req.Header.Set("X-Api-Key", APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	b := gjsonBody(res)
	if res.StatusCode >= 300 {
		e.t.Fatalf("%s %s by hand: got %d %s", method, path, res.StatusCode, b)
	}
	return gjson.Get(b, "data")
}

// auditActions lists the audit lines' "object action hector_id".
func (e *env) auditActions() []string {
	var out []string
	for _, line := range strings.Split(e.logs(), "\n") {
		if l := gjson.Parse(line); l.Get("msg").String() == "hector change" {
			out = append(out, l.Get("object").String()+" "+l.Get("action").String()+" "+l.Get("hector_id").String())
		}
	}
	return out
}

func hasAction(actions []string, want string) bool {
	for _, a := range actions {
		if a == want {
			return true
		}
	}
	return false
}

// TestRenameOntoAdminGroup renames a group onto the admin group's name in
// another case, by PATCH and by PUT: Hector refuses (409), the group keeps
// its name, and its members do not become admin.
func TestRenameOntoAdminGroup(t *testing.T) {
	e := start(t, options{scim: guideRoles})
	e.newGroup("hector_admins")
	eng := e.newGroup("Engineering")
	ada := e.newUser("ada@contoso.com")
	e.addMembers(eng, ada)
	r := e.must(http.StatusConflict, e.do("PATCH", "/Groups/"+eng, patch(`{"op":"Replace","path":"displayName","value":"HECTOR_ADMINS"}`)))
	if r.get("scimType").String() != "uniqueness" {
		t.Errorf("PATCH rename: got %s, want 409 uniqueness", r.body)
	}
	e.must(http.StatusConflict, e.do("PUT", "/Groups/"+eng, `{"displayName":"HECTOR_ADMINS","externalId":"ext-Engineering","members":`+members(ada)+`}`))
	e.expectFields(ada, map[string]string{"role": "user", "status": "active"})
	if r := e.must(http.StatusOK, e.do("GET", "/Groups/"+eng+"?excludedAttributes=members", nil)); r.get("displayName").String() != "Engineering" {
		t.Errorf("after the refused renames: got %s", r.body)
	}
}

// TestPartialAddToAdminGroup adds a user and an id that is no user to the
// admin group: 400 invalidValue, nobody joins, nobody becomes admin.
func TestPartialAddToAdminGroup(t *testing.T) {
	e := start(t, options{scim: guideRoles})
	admins := e.newGroup("hector_admins")
	someone := e.newUser("someone@contoso.com")
	e.sim.ResetStats()
	r := e.must(http.StatusBadRequest, e.do("PATCH", "/Groups/"+admins, patch(`{"op":"Add","path":"members","value":`+members(someone, "999999")+`}`)))
	if r.get("scimType").String() != "invalidValue" {
		t.Errorf("partial add: got %s, want invalidValue", r.body)
	}
	e.expectFields(someone, map[string]string{"role": "user"})
	if got := e.sim.Members(mustInt(admins)); len(got) != 0 {
		t.Errorf("partial add: got members %v, want none", got)
	}
	for route, n := range e.calls() {
		if !strings.HasPrefix(route, "GET ") {
			t.Errorf("a refused add made %d %s", n, route)
		}
	}
	// A failed create leaves no group behind either.
	e.must(http.StatusBadRequest, e.do("POST", "/Groups", `{"displayName":"hector_staff","members":`+members(someone, "999999")+`}`))
	if n := len(e.sim.Groups()); n != 1 {
		t.Errorf("a refused create left %d groups, want 1", n)
	}
}

// TestBreakGlassUnderOktaGroupPut: a hand-made admin sits in a hand-made
// hector_admins group; Okta links its own group to it by name and PUTs a
// member list that leaves the admin out. The group is taken over
// (audited as adopted) and gets the IdP's members, but the hand-made
// admin keeps their role, status, email and (absent) external_id.
func TestBreakGlassUnderOktaGroupPut(t *testing.T) {
	e := start(t, options{scim: guideRoles})
	bg := e.byHand("POST", "/users", `{"username":"breakglass@contoso.com","email":"it-emergency@contoso.com","identifier":"BG-1","role":"admin"}`).Get("id").String()
	gid := e.byHand("POST", "/groups", `{"name":"hector_admins"}`).Get("id").String()
	e.byHand("POST", "/groups/"+gid+"/members", `{"user_ids":[`+bg+`]}`)
	ada := e.newUser("ada@contoso.com")

	r := e.must(http.StatusOK, e.do("GET", "/Groups"+filterQuery(`displayName eq "hector_admins"`), nil))
	if r.get("Resources.0.id").String() != gid {
		t.Fatalf("Okta's lookup: got %s", r.body)
	}
	e.must(http.StatusOK, e.do("PUT", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"`+gid+`","displayName":"hector_admins","members":[{"value":"`+ada+`","display":"ada@contoso.com"}]}`))
	e.expectFields(ada, map[string]string{"role": "admin"})
	e.expectFields(bg, map[string]string{"role": "admin", "status": "active", "email": "it-emergency@contoso.com", "external_id": ""})
	if got := e.auditActions(); !hasAction(got, "group adopt "+gid) {
		t.Errorf("audit: got %v, want the group's adoption", got)
	}
}

// TestProtectedBreakGlass: an account named by `protect` does not exist
// to SCIM, whatever the IdP sends.
func TestProtectedBreakGlass(t *testing.T) {
	e := start(t, options{scim: guideRoles + "\n\t\t\tprotect breakglass@contoso.com"})
	bg := e.byHand("POST", "/users", `{"username":"BreakGlass@contoso.com","email":"it-emergency@contoso.com","identifier":"BG-1","role":"admin"}`).Get("id").String()
	gid := e.byHand("POST", "/groups", `{"name":"hector_admins","external_id":"obj-admins"}`).Get("id").String()
	e.byHand("POST", "/groups/"+gid+"/members", `{"user_ids":[`+bg+`]}`)
	before := e.hectorUser(bg).Raw
	ada := e.newUser("ada@contoso.com")

	for _, req := range []struct{ method, path, body string }{
		{"GET", "/Users/" + bg, ""},
		{"PATCH", "/Users/" + bg, patch(`{"op":"Replace","path":"active","value":"False"}`)},
		{"PUT", "/Users/" + bg, `{"userName":"breakglass@contoso.com","active":false}`},
		{"DELETE", "/Users/" + bg, ""},
	} {
		var body any
		if req.body != "" {
			body = req.body
		}
		e.must(http.StatusNotFound, e.do(req.method, req.path, body))
	}
	for _, f := range []string{`userName eq "breakglass@contoso.com"`, `emails[type eq "work"].value eq "it-emergency@contoso.com"`, `title pr or userName sw "b"`} {
		if r := e.must(http.StatusOK, e.do("GET", "/Users"+filterQuery(f), nil)); r.get("totalResults").Int() != 0 {
			t.Errorf("filter %s: got %s, want nothing", f, r.body)
		}
	}
	r := e.must(http.StatusOK, e.do("GET", "/Users?startIndex=1&count=100", nil))
	if r.get("totalResults").Int() != 1 || r.get("Resources.0.id").String() != ada {
		t.Errorf("Okta's import: got %s, want only ada", r.body)
	}
	if r := e.must(http.StatusConflict, e.do("POST", "/Users", `{"userName":"breakglass@contoso.com"}`)); r.get("scimType").String() != "uniqueness" {
		t.Errorf("colliding create: got %s", r.body)
	}
	e.must(http.StatusBadRequest, e.do("PATCH", "/Groups/"+gid, patch(`{"op":"Add","path":"members","value":`+members(bg)+`}`)))
	if r := e.must(http.StatusOK, e.do("GET", "/Groups/"+gid, nil)); r.get("members.#").Int() != 0 {
		t.Errorf("group members: got %s, want the protected account left out", r.get("members").Raw)
	}
	e.must(http.StatusOK, e.do("PUT", "/Groups/"+gid, `{"displayName":"hector_admins","members":`+members(ada)+`}`))
	if got := e.sim.Members(mustInt(gid)); len(got) != 2 {
		t.Errorf("after Okta's PUT: got members %v, want the protected account still one", got)
	}
	after := e.hectorUser(bg)
	if after.Get("role").String() != "admin" || after.Get("status").String() != "active" || after.Get("external_id").String() != "" || after.Get("email").String() != "it-emergency@contoso.com" {
		t.Errorf("the protected account changed:\nbefore %s\nafter  %s", before, after.Raw)
	}
}

// TestLookAlikeRoleGroup: a group named like the admin group with ſ for s
// grants nothing and is not found for the real one; a rule by the IdP's
// group id keeps granting the role after its owner renames the group.
func TestLookAlikeRoleGroup(t *testing.T) {
	e := start(t, options{scim: `roles {
				admin "id:6f1c2a9e-0d44-4c8e-9a51-2b7d3e8f0c11;hector_admins"
				staff hector_staff
			}
			default_role user`})
	real := e.newGroup("hector_admins")
	lookAlike := e.newGroup("hector_adminſ")
	byID := e.must(http.StatusCreated, e.do("POST", "/Groups", entraGroup("Tenant Admins", "6f1c2a9e-0d44-4c8e-9a51-2b7d3e8f0c11"))).get("id").String()
	mallory, ada := e.newUser("mallory@contoso.com"), e.newUser("ada@contoso.com")
	e.addMembers(lookAlike, mallory)
	e.expectFields(mallory, map[string]string{"role": "user"})
	r := e.must(http.StatusOK, e.do("GET", "/Groups"+filterQuery(`displayName eq "hector_adminſ"`), nil))
	if r.get("totalResults").Int() != 1 || r.get("Resources.0.id").String() != lookAlike {
		t.Errorf("look-alike filter: got %s, want only %s (not %s)", r.body, lookAlike, real)
	}
	e.addMembers(byID, ada)
	e.expectFields(ada, map[string]string{"role": "admin"})
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+byID, patch(`{"op":"Replace","path":"displayName","value":"Renamed by its owner"}`)))
	e.expectFields(ada, map[string]string{"role": "admin"})
}

// TestEqEmptyFilters: eq "" matches only empty values; it never returns
// every user or group.
func TestEqEmptyFilters(t *testing.T) {
	e := start(t, options{})
	e.must(http.StatusCreated, e.do("POST", "/Users", entraUser))
	e.newUser("bob@contoso.com")
	e.newGroup("Engineering")
	for _, q := range []string{
		"/Users" + filterQuery(`userName eq ""`),
		"/Users" + filterQuery(`emails[type eq "work"].value eq ""`),
		"/Users" + filterQuery(`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq ""`),
		"/Groups" + filterQuery(`displayName eq ""`),
		"/Groups?excludedAttributes=members&filter=" + strings.ReplaceAll(`displayName eq ""`, " ", "+"),
	} {
		r := e.must(http.StatusOK, e.do("GET", q, nil))
		if r.get("totalResults").Int() != 0 || r.get("Resources.#").Int() != 0 {
			t.Errorf("GET %s: got %s, want nothing", q, r.body)
		}
	}
	r := e.must(http.StatusOK, e.do("GET", "/Users"+filterQuery(`title eq ""`), nil))
	if r.get("totalResults").Int() != 1 || r.get("Resources.0.userName").String() != "bob@contoso.com" {
		t.Errorf(`title eq "": got %s, want only bob, whose title is empty`, r.body)
	}
}
