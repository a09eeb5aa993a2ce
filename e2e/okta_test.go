package e2e

import (
	"net/http"
	"testing"
)

// oktaUser is what Okta sends on create (entra-scim-client.md §5): a
// password, locale, an empty groups list.
const oktaUser = `{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
  "userName": "dave@example.com",
  "name": {"givenName": "Dave", "familyName": "Doe"},
  "emails": [{"primary": true, "value": "dave.doe@example.com", "type": "work"}],
  "displayName": "Dave Doe",
  "locale": "en-US",
  "externalId": "00ujl29u0le5T6Aj10h7",
  "groups": [],
  "password": "1mJ0a9pDsB",
  "active": true
}`

// TestOktaUserLifecycle replays Okta: Test API Credentials, the existence
// check with paging parameters, create with a password, GET then PUT of the
// full object, deactivation by PATCH and by PUT.
func TestOktaUserLifecycle(t *testing.T) {
	e := start(t, options{})

	r := e.must(http.StatusOK, e.do("GET", "/Users?startIndex=1&count=2", nil))
	if r.get("totalResults").Raw != "0" || r.get("itemsPerPage").Raw != "0" || r.get("startIndex").Raw != "1" {
		t.Fatalf("Test API Credentials: got %s", r.body)
	}
	r = e.must(http.StatusOK, e.do("GET", "/Users"+filterQuery(`userName eq "dave@example.com"`)+"&startIndex=1&count=100", nil))
	if r.get("totalResults").Int() != 0 {
		t.Fatalf("existence check: got %s, want no user", r.body)
	}

	r = e.must(http.StatusCreated, e.do("POST", "/Users", oktaUser))
	id := r.get("id").String()
	if r.get("password").Exists() || r.get("groups.#").Int() != 0 {
		t.Errorf("create echoes a password or groups: %s", r.body)
	}
	e.expectFields(id, map[string]string{"username": "dave@example.com", "email": "dave.doe@example.com", "identifier": "dave@example.com", "locale": "en-US", "first_name": "Dave", "status": "active"})
	if got := e.hectorUser(id).Get("password"); got.Exists() {
		t.Errorf("the password reached Hector: %s", got.Raw)
	}

	// A second create of the same user is 409 uniqueness.
	r = e.must(http.StatusConflict, e.do("POST", "/Users", oktaUser))
	if r.get("scimType").String() != "uniqueness" {
		t.Errorf("duplicate create: got %s, want scimType uniqueness", r.body)
	}

	// Profile update: GET, then PUT of the full object with id, meta and
	// groups; the title is new, the locale omitted (cleared); externalId
	// omitted too, as Okta does: the IdP's key stays.
	r = e.must(http.StatusOK, e.do("GET", "/Users/"+id, nil))
	put := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"` + id + `","userName":"dave@example.com",
	  "name":{"givenName":"David","familyName":"Doe"},"emails":[{"primary":true,"value":"dave.doe@example.com","type":"work"}],
	  "title":"Manager","active":true,"groups":[{"value":"1","display":"x"}],"password":"ignored",
	  "meta":{"resourceType":"User","version":` + r.get("meta.version").Raw + `}}`
	r = e.must(http.StatusOK, e.do("PUT", "/Users/"+id, put))
	e.expectFields(id, map[string]string{"first_name": "David", "title": "Manager", "locale": "", "external_id": "00ujl29u0le5T6Aj10h7", "role": "user", "status": "active"})
	if r.get("title").String() != "Manager" || r.get("preferredLanguage").Exists() || r.get("externalId").String() != "00ujl29u0le5T6Aj10h7" {
		t.Errorf("PUT answered %s", r.body)
	}

	// The same PUT again makes no Hector write.
	e.sim.ResetStats()
	e.must(http.StatusOK, e.do("PUT", "/Users/"+id, put))
	if n := e.calls()["PUT /users/{id}"]; n != 0 {
		t.Errorf("an unchanged PUT made %d Hector writes, want 0", n)
	}

	// Deactivate (OIN apps): no-path replace with a real boolean.
	e.must(http.StatusOK, e.do("PATCH", "/Users/"+id, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`))
	e.expectFields(id, map[string]string{"status": "disabled", "title": "Manager"})
	e.must(http.StatusOK, e.do("PATCH", "/Users/"+id, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}`))
	e.expectFields(id, map[string]string{"status": "active"})

	// Deactivate (AIW apps): PUT with active false; a PUT without active
	// keeps the status.
	noActive := `{"userName":"dave@example.com","name":{"givenName":"David","familyName":"Doe"},"emails":[{"primary":true,"value":"dave.doe@example.com","type":"work"}],"title":"Manager"}`
	e.must(http.StatusOK, e.do("PUT", "/Users/"+id, `{"userName":"dave@example.com","name":{"givenName":"David","familyName":"Doe"},"emails":[{"primary":true,"value":"dave.doe@example.com","type":"work"}],"title":"Manager","active":false}`))
	e.expectFields(id, map[string]string{"status": "disabled"})
	e.must(http.StatusOK, e.do("PUT", "/Users/"+id, noActive))
	e.expectFields(id, map[string]string{"status": "disabled"})

	// Imports page through every user with integers and stable order.
	for i := range 3 {
		body := `{"userName":"u` + string(rune('a'+i)) + `@example.com"}`
		e.must(http.StatusCreated, e.do("POST", "/Users", body))
	}
	r = e.must(http.StatusOK, e.do("GET", "/Users?startIndex=2&count=2", nil))
	if r.get("totalResults").Int() != 4 || r.get("itemsPerPage").Int() != 2 || r.get("startIndex").Int() != 2 || r.get("Resources.0.userName").String() != "ua@example.com" {
		t.Errorf("page 2 of 2: got %s", r.body)
	}
	r = e.must(http.StatusOK, e.do("GET", "/Users?count=0", nil))
	if r.get("totalResults").Int() != 4 || r.get("Resources.#").Int() != 0 {
		t.Errorf("count=0: got %s, want totals only", r.body)
	}
}
