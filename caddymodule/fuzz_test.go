package caddymodule

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/hector-scim/hector-scim/hectorsim"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// FuzzListQuery sends any filter, startIndex, count and attributes to
// GET /Users or /Groups: the answer is a ListResponse or a 400 SCIM error,
// never a 5xx, and Hector receives no write.
func FuzzListQuery(f *testing.F) {
	seeds := []struct {
		users                                 bool
		filter, startIndex, count, attributes string
	}{
		{true, `userName eq "alice@contoso.example"`, "", "", ""},
		{true, `externalId eq "bob-ext"`, "", "", "userName,active"},
		{true, `emails[type eq "work"].value eq "alice@contoso.example"`, "", "", ""},
		{true, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "E3"`, "1", "10", ""},
		{true, `title co "Eng" and active eq true`, "", "", ""},
		{true, `meta.lastModified gt "2011-05-13T04:42:34Z"`, "", "", ""},
		{true, `id eq "1" or userName sw "b"`, "", "", ""},
		{true, "", "1", "2", ""},
		{true, "", "101", "100", "name.givenName"},
		{true, `userName eq "a&status=active"`, "0", "0", ""},
		{false, `displayName eq "Engineering"`, "", "", ""},
		{false, `externalId eq "eng-ext"`, "", "", "displayName,members"},
		{false, `members[value eq "1"]`, "", "", ""},
		{false, `members eq "2"`, "1", "5", ""},
		{false, "", "1", "100", ""},
		{true, `userName eq`, "abc", "1.5", ""},
	}
	for _, s := range seeds {
		f.Add(s.users, s.filter, s.startIndex, s.count, s.attributes)
	}
	e := newHostileEnv(f)
	hostileSeed(f, e)
	writes := e.state(f).writes
	f.Fuzz(func(t *testing.T, users bool, filter, startIndex, count, attributes string) {
		e.calls.use(e.sim)
		q := url.Values{}
		for k, v := range map[string]string{"filter": filter, "startIndex": startIndex, "count": count, "attributes": attributes} {
			if v != "" {
				q.Set(k, v)
			}
		}
		path := "/Groups?"
		if users {
			path = "/Users?"
		}
		resp, body := e.do(t, hostileRequest{method: http.MethodGet, path: path + q.Encode(), direct: true})
		switch resp.StatusCode {
		case http.StatusOK:
			checkListResponse(t, body)
		case http.StatusBadRequest:
			var doc struct{ ScimType string }
			_ = json.Unmarshal(body, &doc)
			switch doc.ScimType {
			case "invalidFilter", "invalidValue", "tooMany":
			default:
				t.Fatalf("got scimType %q, want invalidFilter, invalidValue or tooMany; body %s", doc.ScimType, body)
			}
			checkSCIMError(t, resp, body, http.StatusBadRequest, doc.ScimType)
		default:
			t.Fatalf("got status %d, want 200 or 400; body %s", resp.StatusCode, body)
		}
		if got := e.state(t).writes; hostileShow(got) != hostileShow(writes) {
			t.Fatalf("got Hector writes %v, want %v", got, writes)
		}
	})
}

// checkListResponse checks a ListResponse carries integer totals that
// agree with its resources.
func checkListResponse(t *testing.T, body []byte) {
	t.Helper()
	var list struct {
		Schemas      []string          `json:"schemas"`
		TotalResults *int              `json:"totalResults"`
		StartIndex   *int              `json:"startIndex"`
		ItemsPerPage *int              `json:"itemsPerPage"`
		Resources    []json.RawMessage `json:"Resources"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("got body %s, want a ListResponse: %v", body, err)
	}
	if len(list.Schemas) != 1 || list.Schemas[0] != schema.ListResponseURN {
		t.Fatalf("got schemas %v, want [%s]", list.Schemas, schema.ListResponseURN)
	}
	if list.TotalResults == nil || list.StartIndex == nil || list.ItemsPerPage == nil {
		t.Fatalf("got %s, want integer totalResults, startIndex and itemsPerPage", body)
	}
	if *list.ItemsPerPage != len(list.Resources) || *list.TotalResults < len(list.Resources) || *list.StartIndex < 1 {
		t.Fatalf("got totalResults %d, startIndex %d, itemsPerPage %d with %d resources", *list.TotalResults, *list.StartIndex, *list.ItemsPerPage, len(list.Resources))
	}
}

// FuzzPatch sends any PATCH body to a user or a group, each time against a
// fresh Hector holding the same users and group: the answer is a success
// or a 4xx SCIM error, never a 5xx.
func FuzzPatch(f *testing.F) {
	seeds := []string{
		hostilePatch(`{"op":"Replace","path":"userName","value":"5b50642d@testuser.com"}`),
		hostilePatch(`{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@contoso.com"},{"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}`),
		hostilePatch(`{"op":"replace","path":"emails[type eq \"work\"].value","value":"TestMhvaes@test.microsoft.com"},{"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}`),
		hostilePatch(`{"op":"Replace","path":"active","value":"False"}`),
		hostilePatch(`{"op":"replace","value":{"active":true}}`),
		hostilePatch(`{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"2"}`),
		hostilePatch(`{"op":"replace","path":"title","value":""},{"op":"replace","path":"phoneNumbers[type eq \"mobile\"].value","value":""}`),
		hostilePatch(`{"op":"Replace","path":"displayName","value":"Engineering-2"}`),
		hostilePatch(`{"op":"Add","path":"members","value":[{"$ref":null,"value":"2"}]}`),
		hostilePatch(`{"op":"Remove","path":"members","value":[{"$ref":null,"value":"1"}]}`),
		hostilePatch(`{"op":"remove","path":"members[value eq \"1\"]"},{"op":"add","path":"members","value":[{"value":"2","display":"bob"}]}`),
		hostilePatch(`{"op":"replace","value":{"id":"1","displayName":"Engineering"}}`),
		hostilePatch(`{"op":"replace","path":"members","value":[{"value":"2"}]}`),
	}
	for _, s := range seeds {
		f.Add(false, []byte(s))
		f.Add(true, []byte(s))
	}
	e := newHostileEnv(f)
	f.Fuzz(func(t *testing.T, group bool, body []byte) {
		sim := fuzzSim(t)
		e.calls.use(sim)
		path := "/Users/1"
		if group {
			path = "/Groups/1"
		}
		resp, out := e.do(t, hostileRequest{method: http.MethodPatch, path: path, body: string(body), direct: true})
		switch {
		case resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusNoContent:
		case resp.StatusCode >= 400 && resp.StatusCode < 500:
			var doc struct{ ScimType string }
			_ = json.Unmarshal(out, &doc)
			checkSCIMError(t, resp, out, resp.StatusCode, doc.ScimType)
		default:
			t.Fatalf("got status %d, want 200, 204 or a 4xx; body %s", resp.StatusCode, out)
		}
	})
}

// fuzzSim is a fresh simulator with users 1 and 2 and group 1 holding
// user 1, set up in process.
func fuzzSim(t *testing.T) *hectorsim.Server {
	sim, err := hectorsim.New(hectorsim.Options{APIKey: hostileAPIKey, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, body string }{
		{"/users", `{"username":"ada@contoso.example","email":"ada@contoso.example","identifier":"E1","first_name":"Ada","last_name":"Lovelace","external_id":"ada-ext","title":"Engineer","phone":"+1 555"}`},
		{"/users", `{"username":"bob@contoso.example","email":"bob@contoso.example","identifier":"E2"}`},
		{"/groups", `{"name":"Engineering","external_id":"eng-ext"}`},
		{"/groups/1/members", `{"user_ids":[1]}`},
	} {
		r := httptest.NewRequest(http.MethodPost, c.path, strings.NewReader(c.body))
		r.Header.Set("X-Api-Key", hostileAPIKey)
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		sim.ServeHTTP(w, r)
		if w.Code >= 300 {
			t.Fatalf("seeding POST %s: got %d %s", c.path, w.Code, w.Body)
		}
	}
	return sim
}
