package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const patchURN = `"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]`

func patch(ops string) string { return `{` + patchURN + `,"Operations":[` + ops + `]}` }

// entraUser is the body Entra sends with the default non-gallery mappings
// (entra-scim-client.md §1.5).
const entraUser = `{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  "externalId": "alice",
  "userName": "alice@contoso.com",
  "active": true,
  "displayName": "Alice Example",
  "title": "Engineer",
  "preferredLanguage": "en-US",
  "emails": [{"primary": true, "type": "work", "value": "alice@contoso.com"}],
  "name": {"formatted": "Alice Example", "familyName": "Example", "givenName": "Alice"},
  "addresses": [{"type": "work", "formatted": "Bldg 7", "streetAddress": "1 Main St",
                 "locality": "Redmond", "region": "WA", "postalCode": "98052", "country": "US"}],
  "phoneNumbers": [{"type": "work", "value": "+1 425 555 0100"},
                   {"type": "mobile", "value": "+1 425 555 0101"},
                   {"type": "fax", "value": "+1 425 555 0102"}],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "employeeNumber": "E12345",
    "department": "R&D"
  },
  "roles": [],
  "meta": {"resourceType": "User"}
}`

func filterQuery(f string) string { return "?filter=" + url.QueryEscape(f) }

// TestEntraUserLifecycle replays Entra's user flows request by request and
// checks Hector's state after each step.
func TestEntraUserLifecycle(t *testing.T) {
	e := start(t, options{})

	// Test connection: a random GUID as userName answers 200 with an empty
	// ListResponse, with the aadOptscim062020 flag ignored.
	r := e.must(http.StatusOK, e.do("GET", "/Users?aadOptscim062020&filter=userName+eq+%2252c0c43e-5f0a-4a7e-9d61-3c6d2b7f8e11%22", nil))
	if r.get("totalResults").Raw != "0" || r.get("startIndex").Raw != "1" || r.get("itemsPerPage").Raw != "0" || r.get("Resources.#").Int() != 0 {
		t.Fatalf("test connection: got %s, want an empty ListResponse with integer counts", r.body)
	}

	// Lookup by matching attribute, then create.
	e.must(http.StatusOK, e.do("GET", "/Users"+filterQuery(`userName eq "alice@contoso.com"`), nil))
	r = e.must(http.StatusCreated, e.do("POST", "/Users", entraUser))
	id := r.get("id").String()
	if r.header.Get("Location") != e.base+"/Users/"+id || r.get("meta.location").String() != e.base+"/Users/"+id {
		t.Errorf("got Location %q, meta.location %q; want %s/Users/%s", r.header.Get("Location"), r.get("meta.location"), e.base, id)
	}
	if r.header.Get("ETag") == "" || r.header.Get("ETag") != r.get("meta.version").String() {
		t.Errorf("got ETag %q, meta.version %q; want equal and set", r.header.Get("ETag"), r.get("meta.version"))
	}
	e.expectFields(id, map[string]string{
		"username": "alice@contoso.com", "email": "alice@contoso.com", "identifier": "E12345",
		"first_name": "Alice", "last_name": "Example", "external_id": "alice", "status": "active",
		"title": "Engineer", "department": "R&D", "phone": "+1 425 555 0100", "locale": "en-US",
	})
	for _, absent := range []string{"displayName", "addresses", "roles", "password"} {
		if r.get(absent).Exists() {
			t.Errorf("created user echoes %s, which Hector does not store: %s", absent, r.body)
		}
	}
	if got := r.get(`phoneNumbers.#`).Int(); got != 1 {
		t.Errorf("got %d phone numbers back, want only the work one Hector stores", got)
	}

	// The lookup now finds the user, case-insensitively, and by the other
	// matching attributes.
	for _, f := range []string{`userName eq "ALICE@contoso.com"`, `externalId eq "alice"`, `emails[type eq "work"].value eq "alice@contoso.com"`, `externalId eq alice`} {
		r = e.must(http.StatusOK, e.do("GET", "/Users"+filterQuery(f), nil))
		if r.get("totalResults").Int() != 1 || r.get("Resources.0.id").String() != id {
			t.Errorf("filter %s: got %s, want the one user", f, r.body)
		}
	}

	// GET by id.
	r = e.must(http.StatusOK, e.do("GET", "/Users/"+id, nil))
	if r.get("userName").String() != "alice@contoso.com" || r.get("active").Raw != "true" {
		t.Errorf("GET: got %s", r.body)
	}

	entraPatchDialects(t, e, id)
	entraDisableEnableDelete(t, e, id)
}

func entraPatchDialects(t *testing.T, e *env, id string) {
	steps := []struct {
		name string
		body string
		want map[string]string
	}{
		{"single-valued replace (rename)", patch(`{"op":"Replace","path":"userName","value":"alice2@contoso.com"}`),
			// the email was filled from the old userName, so it follows; the identifier came from employeeNumber and stays
			map[string]string{"username": "alice2@contoso.com", "email": "alice2@contoso.com", "identifier": "E12345"}},
		{"filtered multi-valued and sub-attribute", patch(`{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@contoso.com"},{"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}`),
			map[string]string{"email": "updatedEmail@contoso.com", "last_name": "updatedFamilyName"}},
		{"default mode, one op per attribute", patch(`{"op":"Replace","path":"displayName","value":"Pvlo"},{"op":"Replace","path":"emails[type eq \"work\"].value","value":"TestBcwqnm@test.microsoft.com"},{"op":"Replace","path":"name.givenName","value":"Gtfd"},{"op":"Replace","path":"name.familyName","value":"Pkqf"},{"op":"Replace","path":"externalId","value":"Eqpj"},{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"Eqpj"}`),
			map[string]string{"email": "TestBcwqnm@test.microsoft.com", "first_name": "Gtfd", "last_name": "Pkqf", "external_id": "Eqpj", "identifier": "Eqpj"}},
		{"flag mode, no-path dotted and URN keys", patch(`{"op":"replace","path":"emails[type eq \"work\"].value","value":"TestMhvaes@test.microsoft.com"},{"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}`),
			map[string]string{"email": "TestMhvaes@test.microsoft.com", "first_name": "Kkom", "last_name": "Unua", "identifier": "Aklq"}},
		{"filtered key inside a no-path value", patch(`{"op":"replace","value":{"emails[type eq \"work\"].value":"x@contoso.com","phoneNumbers[type eq \"work\"].value":"+1 555 0199"}}`),
			map[string]string{"email": "x@contoso.com", "phone": "+1 555 0199"}},
		{"enterprise extension as a nested object", patch(`{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Ops"}}}`),
			map[string]string{"department": "Ops"}},
		{"validator clears with empty strings", patch(`{"op":"replace","path":"title","value":""},{"op":"replace","path":"phoneNumbers[type eq \"mobile\"].value","value":""}`),
			map[string]string{"title": "", "phone": "+1 555 0199"}},
		{"add re-sets a single-valued attribute", patch(`{"op":"Add","path":"title","value":"Lead"}`),
			map[string]string{"title": "Lead"}},
		{"null removes", patch(`{"op":"replace","path":"preferredLanguage","value":null}`),
			map[string]string{"locale": ""}},
		{"mixed-case names and ops", patch(`{"OP":"rEpLaCe","PATH":"NAME.GIVENNAME","VALUE":"Kim"}`),
			map[string]string{"first_name": "Kim"}},
	}
	for _, s := range steps {
		r := e.do("PATCH", "/Users/"+id, s.body)
		if r.status != http.StatusOK {
			t.Fatalf("%s: got %d %s, want 200", s.name, r.status, r.body)
		}
		if r.get("id").String() != id {
			t.Errorf("%s: PATCH answered %s, want the resource", s.name, r.body)
		}
		e.expectFields(id, s.want)
	}

	// Attributes Hector does not store are accepted and make no Hector write.
	e.sim.ResetStats()
	for _, body := range []string{
		patch(`{"op":"Add","path":"nickName","value":"Babs"}`),
		patch(`{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"2819c223-7f76-453a-919d-413861904646"}`),
		patch(`{"op":"Add","path":"manager","value":[{"$ref":"http://host/scim/Users/2819c223","value":"2819c223"}]}`),
		patch(`{"op":"remove","path":"manager[value eq \"2819c223\"]"}`),
		patch(`{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":""}`),
		patch(`{"op":"Add","path":"roles","value":[{"value":"{\"id\":\"06b07648\",\"value\":\"25\",\"displayName\":\"Role1234\"}"}]}`),
		patch(`{"op":"add","path":"addresses[type eq \"work\"].formatted","value":"Bldg 7"},{"op":"add","path":"addresses[type eq \"work\"].locality","value":"Redmond"}`),
		patch(`{"op":"Replace","path":"phoneNumbers[type eq \"fax\"].value","value":"+1 425 555 0102"}`),
		patch(`{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:Custom:2.0:User:badge","value":"x"}`),
		patch(`{"op":"replace","path":"displayName","value":"Someone"}`),
	} {
		r := e.do("PATCH", "/Users/"+id, body)
		if r.status != http.StatusOK {
			t.Errorf("PATCH %s: got %d %s, want 200", body, r.status, r.body)
		}
		for _, absent := range []string{"nickName", "displayName", "addresses", "roles", "urn:ietf:params:scim:schemas:extension:enterprise:2\\.0:User.manager"} {
			if r.get(absent).Exists() {
				t.Errorf("PATCH %s echoes %s", body, absent)
			}
		}
	}
	if puts := e.calls()["PUT /users/{id}"]; puts != 0 {
		t.Errorf("got %d Hector writes for attributes Hector does not store, want 0", puts)
	}

	// An attribute that belongs to no schema is 400 invalidPath and changes nothing.
	before := e.hectorUser(id).Raw
	r := e.do("PATCH", "/Users/"+id, patch(`{"op":"replace","path":"title","value":"Boss"},{"op":"add","path":"favoriteColor","value":"blue"}`))
	if r.status != http.StatusBadRequest || r.get("scimType").String() != "invalidPath" || r.get("status").String() != "400" {
		t.Errorf("unknown attribute: got %d %s, want 400 invalidPath", r.status, r.body)
	}
	if after := e.hectorUser(id).Raw; after != before {
		t.Errorf("a rejected PATCH changed Hector: before %s, after %s", before, after)
	}
}

func entraDisableEnableDelete(t *testing.T, e *env, id string) {
	for _, step := range []struct {
		body, status string
	}{
		{patch(`{"op":"Replace","path":"active","value":"False"}`), "disabled"},
		{patch(`{"op":"Replace","path":"active","value":"True"}`), "active"},
		{patch(`{"op":"replace","path":"active","value":false}`), "disabled"},
		{patch(`{"op":"replace","path":"active","value":true}`), "active"},
		{patch(`{"op":"Replace","path":"active","value":false}`), "disabled"},
	} {
		e.must(http.StatusOK, e.do("PATCH", "/Users/"+id, step.body))
		e.expectFields(id, map[string]string{"status": step.status})
	}
	// A disabled user stays visible, to GET and to filters.
	r := e.must(http.StatusOK, e.do("GET", "/Users"+filterQuery(`userName eq "alice2@contoso.com"`), nil))
	if r.get("totalResults").Int() != 1 || r.get("Resources.0.active").Raw != "false" {
		t.Errorf("filter on a disabled user: got %s, want it with active false", r.body)
	}
	e.must(http.StatusOK, e.do("PATCH", "/Users/"+id, patch(`{"op":"Replace","path":"active","value":"True"}`)))

	// DELETE deactivates (the default), answers 204, twice.
	e.must(http.StatusNoContent, e.do("DELETE", "/Users/"+id, nil))
	e.expectFields(id, map[string]string{"status": "disabled", "username": "alice2@contoso.com"})
	e.must(http.StatusNoContent, e.do("DELETE", "/Users/"+id, nil))
	r = e.must(http.StatusOK, e.do("GET", "/Users/"+id, nil))
	if r.get("active").Raw != "false" {
		t.Errorf("after DELETE: got %s, want the user with active false", r.body)
	}
	e.must(http.StatusNotFound, e.do("GET", "/Users/999999", nil))
	e.must(http.StatusNotFound, e.do("PATCH", "/Users/999999", patch(`{"op":"Replace","path":"active","value":"False"}`)))
}

// TestHardDelete checks on_delete delete: the RFC's 404 afterwards.
func TestHardDelete(t *testing.T) {
	e := start(t, options{scim: "on_delete delete"})
	id := e.must(http.StatusCreated, e.do("POST", "/Users", `{"userName":"bob@contoso.com"}`)).get("id").String()
	e.must(http.StatusNoContent, e.do("DELETE", "/Users/"+id, nil))
	e.must(http.StatusNotFound, e.do("GET", "/Users/"+id, nil))
	e.must(http.StatusNotFound, e.do("DELETE", "/Users/"+id, nil))
	if n := len(e.sim.Users()); n != 0 {
		t.Errorf("got %d users in Hector after a hard delete, want 0", n)
	}
}

// TestDiscoveryAndVersions checks the discovery endpoints are honest, and
// that meta.version works as an ETag: If-None-Match answers 304, a stale
// If-Match answers 412 and changes nothing, and the version changes with
// every change, even within one second.
func TestDiscoveryAndVersions(t *testing.T) {
	e := start(t, options{})
	r := e.must(http.StatusOK, e.do("GET", "/ServiceProviderConfig", nil))
	for path, want := range map[string]string{"patch.supported": "true", "filter.supported": "true", "filter.maxResults": "100", "etag.supported": "true", "bulk.supported": "false", "sort.supported": "false", "changePassword.supported": "false", "authenticationSchemes.0.type": `"oauthbearertoken"`} {
		if got := r.get(path).Raw; got != want {
			t.Errorf("ServiceProviderConfig %s: got %s, want %s", path, got, want)
		}
	}
	r = e.must(http.StatusOK, e.do("GET", "/Schemas", nil))
	if r.get("totalResults").Int() != 3 || !r.get(`Resources.#(id=="urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")`).Exists() {
		t.Errorf("Schemas: got %s", r.body)
	}
	e.must(http.StatusOK, e.do("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", nil))
	e.must(http.StatusNotFound, e.do("GET", "/Schemas/urn:bogus", nil))
	r = e.must(http.StatusOK, e.do("GET", "/ResourceTypes/User", nil))
	if r.get("schemaExtensions.0.schema").String() != "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" || r.get("endpoint").String() != "/Users" {
		t.Errorf("ResourceTypes/User: got %s", r.body)
	}

	created := e.must(http.StatusCreated, e.do("POST", "/Users", `{"userName":"v@contoso.com","title":"A"}`))
	id, v1 := created.get("id").String(), created.header.Get("ETag")
	req := func(method, body, header, value string) resp {
		req, _ := http.NewRequest(method, e.base+"/Users/"+id, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+Token)
		req.Header.Set("Content-Type", "application/scim+json")
		req.Header.Set(header, value)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp{status: res.StatusCode, header: res.Header, body: []byte(gjsonBody(res))}
	}
	if r := req("GET", "", "If-None-Match", v1); r.status != http.StatusNotModified {
		t.Errorf("If-None-Match with the current version: got %d, want 304", r.status)
	}
	r = e.must(http.StatusOK, e.do("PATCH", "/Users/"+id, patch(`{"op":"replace","path":"title","value":"B"}`)))
	v2 := r.header.Get("ETag")
	if v2 == v1 {
		t.Errorf("the version did not change with the title (%s)", v1)
	}
	if r := req("PATCH", patch(`{"op":"replace","path":"title","value":"C"}`), "If-Match", v1); r.status != http.StatusPreconditionFailed {
		t.Errorf("PATCH with a stale If-Match: got %d %s, want 412", r.status, r.body)
	}
	e.expectFields(id, map[string]string{"title": "B"})
	if r := req("PATCH", patch(`{"op":"replace","path":"title","value":"C"}`), "If-Match", v2); r.status != http.StatusOK {
		t.Errorf("PATCH with the current If-Match: got %d %s, want 200", r.status, r.body)
	}
	e.expectFields(id, map[string]string{"title": "C"})
	if r := req("DELETE", "", "If-Match", v2); r.status != http.StatusPreconditionFailed {
		t.Errorf("DELETE with a stale If-Match: got %d, want 412", r.status)
	}
	e.expectFields(id, map[string]string{"status": "active"})
}
