package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// guideRoles is step 6 of Hector's SCIM guide, as a Caddyfile fragment.
const guideRoles = `roles {
				admin hector_admins
				staff "hector_staff;Hector Staff EU"
				user hector_users
				auditor
			}
			default_role user`

func members(ids ...string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf(`{"$ref":null,"value":%q}`, id)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// entraGroup is Entra's create body (entra-scim-client.md §1.9).
func entraGroup(name, ext string) string {
	return fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],"externalId":%q,"displayName":%q,"meta":{"resourceType":"Group"}}`, ext, name)
}

func (e *env) newUser(name string) string {
	e.t.Helper()
	return e.must(http.StatusCreated, e.do("POST", "/Users", fmt.Sprintf(`{"userName":%q,"active":true}`, name))).get("id").String()
}

func (e *env) newGroup(name string) string {
	e.t.Helper()
	return e.must(http.StatusCreated, e.do("POST", "/Groups", entraGroup(name, "ext-"+name))).get("id").String()
}

func (e *env) addMembers(gid string, ids ...string) {
	e.t.Helper()
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+gid, patch(`{"op":"Add","path":"members","value":`+members(ids...)+`}`)))
}

// TestEntraGroupsAndRoles replays Entra's group flows over Hector's guide:
// role groups hector_admins, hector_staff, hector_users, and groups that
// grant none.
func TestEntraGroupsAndRoles(t *testing.T) {
	e := start(t, options{scim: guideRoles})

	// Test connection on groups, and the lookup before a create.
	r := e.must(http.StatusOK, e.do("GET", "/Groups?excludedAttributes=members&filter=displayName+eq+%22"+"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"+"%22", nil))
	if r.get("totalResults").Raw != "0" || r.get("Resources.#").Int() != 0 {
		t.Fatalf("group test connection: got %s", r.body)
	}
	r = e.must(http.StatusCreated, e.do("POST", "/Groups", entraGroup("hector_staff", "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159")))
	staff := r.get("id").String()
	if r.get("members.#").Int() != 0 || !r.get("members").IsArray() || r.get("externalId").String() != "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159" {
		t.Errorf("create: got %s, want members [] and the externalId", r.body)
	}
	admins, users, employees, places := e.newGroup("hector_admins"), e.newGroup("hector_users"), e.newGroup("Hector Employees"), e.newGroup("hector_places")

	// Lookup with excludedAttributes=members: no members key, no member call.
	e.sim.ResetStats()
	r = e.must(http.StatusOK, e.do("GET", "/Groups?excludedAttributes=members&filter="+strings.ReplaceAll(`displayName eq "hector_staff"`, " ", "+"), nil))
	if r.get("totalResults").Int() != 1 || r.get("Resources.0.members").Exists() {
		t.Errorf("lookup: got %s, want one group without members", r.body)
	}
	r = e.must(http.StatusOK, e.do("GET", "/Groups/"+staff+"?excludedAttributes=members", nil))
	if r.get("members").Exists() {
		t.Errorf("GET with excludedAttributes=members: got %s", r.body)
	}
	if n := e.calls()["GET /groups/{id}/members"]; n != 0 {
		t.Errorf("excludedAttributes=members made %d member calls, want 0", n)
	}

	ada, bob, cy, dee := e.newUser("ada@contoso.com"), e.newUser("bob@contoso.com"), e.newUser("cy@contoso.com"), e.newUser("dee@contoso.com")

	// Bulk add: both become staff.
	e.addMembers(staff, ada, bob)
	e.expectFields(ada, map[string]string{"role": "staff"})
	e.expectFields(bob, map[string]string{"role": "staff"})
	// The highest role wins.
	e.addMembers(admins, ada)
	e.expectFields(ada, map[string]string{"role": "admin"})
	// A group that grants no role: the default role, and no role work.
	e.sim.ResetStats()
	e.addMembers(employees, dee, ada)
	e.expectFields(dee, map[string]string{"role": "user", "status": "active"})
	e.expectFields(ada, map[string]string{"role": "admin"})
	if n := e.calls()["GET /users/{id}"] + e.calls()["PUT /users/{id}"]; n != 0 {
		t.Errorf("adding to a group that grants no role made %d per-user calls, want 0", n)
	}
	e.addMembers(users, cy)
	e.expectFields(cy, map[string]string{"role": "user"})

	// GET with members streams them from Hector.
	r = e.must(http.StatusOK, e.do("GET", "/Groups/"+staff, nil))
	if r.get("members.#").Int() != 2 || r.get(`members.#(value=="`+ada+`").display`).String() != "ada@contoso.com" {
		t.Errorf("GET with members: got %s", r.body)
	}

	// Remove, default dialect (value array): only the listed member goes;
	// bob is in no synchronized group any more, so he is disabled, not deleted.
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+staff, patch(`{"op":"Remove","path":"members","value":`+members(bob)+`}`)))
	e.expectFields(bob, map[string]string{"role": "user", "status": "disabled"})
	if got := e.sim.Members(mustInt(staff)); len(got) != 1 {
		t.Errorf("after removing bob: got members %v, want only ada", got)
	}
	e.must(http.StatusOK, e.do("GET", "/Users/"+bob, nil))

	// Adding bob back does not re-enable him; active true does.
	e.addMembers(staff, bob)
	e.expectFields(bob, map[string]string{"role": "staff", "status": "disabled"})
	e.must(http.StatusOK, e.do("PATCH", "/Users/"+bob, patch(`{"op":"Replace","path":"active","value":"True"}`)))
	e.expectFields(bob, map[string]string{"status": "active"})

	// Remove, flag dialect: ada drops from admin to staff, stays active.
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+admins, patch(`{"op":"remove","path":"members[value eq \"`+ada+`\"]"}`)))
	e.expectFields(ada, map[string]string{"role": "staff", "status": "active"})

	// Removing someone who was not a member changes nothing.
	e.sim.ResetStats()
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+places, patch(`{"op":"remove","path":"members[value eq \"`+cy+`\"]"}`)))
	if n := e.calls()["PUT /users/{id}"] + e.calls()["DELETE /groups/{id}/members/{user_id}"]; n != 0 {
		t.Errorf("removing a non-member made %d writes, want 0", n)
	}
	e.expectFields(cy, map[string]string{"status": "active", "role": "user"})

	// Rename: staff renamed to its second role group keeps the role;
	// renamed to a name that grants nothing, its members get the default.
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+staff, patch(`{"op":"Replace","path":"displayName","value":"Hector Staff EU"}`)))
	e.expectFields(ada, map[string]string{"role": "staff"})
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+staff, patch(`{"op":"Replace","path":"displayName","value":"Former Staff"}`)))
	e.expectFields(ada, map[string]string{"role": "user"})
	e.expectFields(bob, map[string]string{"role": "user"})
	r = e.must(http.StatusOK, e.do("GET", "/Groups/"+staff+"?excludedAttributes=members", nil))
	if r.get("displayName").String() != "Former Staff" {
		t.Errorf("after rename: got %s", r.body)
	}

	// Deleting dee's only synchronized group... dee is also only in
	// "Hector Employees": deleting it disables her; she still exists.
	e.must(http.StatusNoContent, e.do("DELETE", "/Groups/"+employees, nil))
	e.expectFields(dee, map[string]string{"status": "disabled"})
	e.must(http.StatusNotFound, e.do("GET", "/Groups/"+employees, nil))
	// ada is still in "Former Staff" (synchronized): stays active.
	e.expectFields(ada, map[string]string{"status": "active"})

	// Group name uniqueness is 409 uniqueness.
	r = e.must(http.StatusConflict, e.do("POST", "/Groups", entraGroup("hector_admins", "other")))
	if r.get("scimType").String() != "uniqueness" {
		t.Errorf("duplicate group: got %s", r.body)
	}
}

func mustInt(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

// TestHandSetRole checks both overwrite modes against a role an
// administrator set by hand in Hector.
func TestHandSetRole(t *testing.T) {
	for _, tt := range []struct {
		name, extra, want string
	}{
		{"overwrite off keeps the hand-set role", "", "auditor"},
		{"overwrite on replaces it", "overwrite_roles", "staff"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := start(t, options{scim: guideRoles + "\n" + tt.extra})
			uid := e.newUser("cy@contoso.com")
			staff := e.newGroup("hector_staff")
			setRole(t, e, uid, "auditor")
			e.addMembers(staff, uid)
			e.expectFields(uid, map[string]string{"role": tt.want})
		})
	}
}

// setRole changes a role by hand, as a Hector administrator would: the
// rest of the record (its external_id included) stays.
func setRole(t *testing.T, e *env, uid, role string) {
	t.Helper()
	u := e.hectorUser(uid)
	body := fmt.Sprintf(`{"username":%q,"email":%q,"identifier":%q,"role":%q,"status":%q,"external_id":%s}`,
		u.Get("username").String(), u.Get("email").String(), u.Get("identifier").String(), role, u.Get("status").String(), u.Get("external_id").Raw)
	req, _ := http.NewRequest("PUT", e.simURL+"/users/"+uid, strings.NewReader(body))
	req.Header.Set("X-Api-Key", APIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("setting role by hand: %v %v", err, res)
	}
	res.Body.Close()
}

// TestOktaGroupPush replays Okta's group push: no externalId, rename with
// a read-only id inside the value, remove-then-add in one request, and PUT.
func TestOktaGroupPush(t *testing.T) {
	e := start(t, options{scim: guideRoles})
	a, b, c := e.newUser("a@example.com"), e.newUser("b@example.com"), e.newUser("c@example.com")
	r := e.must(http.StatusCreated, e.do("POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Okta Staff","members":[]}`))
	gid := r.get("id").String()
	if r.get("externalId").Exists() {
		t.Errorf("Okta group: got externalId %s, want none reported", r.get("externalId").Raw)
	}
	ext := ""
	for _, g := range e.sim.Groups() {
		if strings.Contains(string(g), `"Okta Staff"`) {
			ext = string(g)
		}
	}
	if !strings.Contains(ext, `"external_id":"hector-scim:`) {
		t.Errorf("Okta group in Hector: got %s, want a generated hector-scim: external_id", ext)
	}
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"id":"`+gid+`","displayName":"hector_staff"}}]}`))
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"`+a+`","display":"a@example.com"},{"value":"`+b+`","display":"b@example.com"}]}]}`))
	e.expectFields(a, map[string]string{"role": "staff"})
	// Okta's membership update: remove ops with filtered paths and an add,
	// in one request; a is removed then re-added and stays a member.
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
		{"op":"replace","value":{"id":"`+gid+`","displayName":"hector_staff"}},
		{"op":"remove","path":"members[value eq \"`+a+`\"]"},
		{"op":"remove","path":"members[value eq \"`+b+`\"]"},
		{"op":"add","path":"members","value":[{"value":"`+a+`","display":"a@example.com"},{"value":"`+c+`","display":"c@example.com"}]}]}`))
	if got := e.sim.Members(mustInt(gid)); fmt.Sprint(got) != fmt.Sprint([]int64{mustInt(a), mustInt(c)}) {
		t.Errorf("after remove-then-add: got members %v, want [%s %s]", got, a, c)
	}
	e.expectFields(a, map[string]string{"role": "staff", "status": "active"})
	e.expectFields(b, map[string]string{"role": "user", "status": "disabled"})
	e.expectFields(c, map[string]string{"role": "staff"})

	// PUT replaces the member list by difference; the group stays
	// synchronized without an externalId.
	e.must(http.StatusOK, e.do("PUT", "/Groups/"+gid, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"hector_staff","members":[{"value":"`+b+`"}]}`))
	if got := e.sim.Members(mustInt(gid)); fmt.Sprint(got) != fmt.Sprint([]int64{mustInt(b)}) {
		t.Errorf("after PUT: got members %v, want [%s]", got, b)
	}
	e.expectFields(a, map[string]string{"role": "user", "status": "disabled"})
	e.expectFields(b, map[string]string{"role": "staff"})
	// Replace with a no-path members list (Okta's full replace).
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+gid, patch(`{"op":"replace","path":"members","value":[{"value":"`+c+`"}]}`)))
	if got := e.sim.Members(mustInt(gid)); fmt.Sprint(got) != fmt.Sprint([]int64{mustInt(c)}) {
		t.Errorf("after members replace: got %v, want [%s]", got, c)
	}
	// PATCH with attributes answers 200 with the group.
	r = e.must(http.StatusOK, e.do("PATCH", "/Groups/"+gid+"?attributes=displayName", patch(`{"op":"replace","path":"displayName","value":"hector_staff"}`)))
	if r.get("displayName").String() != "hector_staff" {
		t.Errorf("PATCH with attributes: got %s", r.body)
	}
}
