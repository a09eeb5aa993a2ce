package caddymodule

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

// TestSearchMatchesGet: POST /Users/.search and /Groups/.search with a
// SearchRequest answer exactly what the GET form answers for the same
// parameters (RFC 7644 §3.4.3), members streamed or left out alike, and
// write nothing.
func TestSearchMatchesGet(t *testing.T) {
	e := newHostileEnv(t)
	hostileSeed(t, e)
	const sr = `"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]`
	tests := []struct {
		name, resource string
		query          url.Values
		body           string
	}{
		{"filter", "Users", url.Values{"filter": {`userName eq "alice@contoso.example"`}},
			`{` + sr + `,"filter":"userName eq \"alice@contoso.example\""}`},
		{"no match", "Users", url.Values{"filter": {`userName eq "nobody"`}},
			`{` + sr + `,"filter":"userName eq \"nobody\""}`},
		{"everyone, paged", "Users", url.Values{"startIndex": {"2"}, "count": {"1"}},
			`{` + sr + `,"startIndex":2,"count":1}`},
		{"totals only", "Users", url.Values{"count": {"0"}},
			`{` + sr + `,"count":0}`},
		{"attributes as an array", "Users", url.Values{"attributes": {"userName,title"}, "filter": {`title pr`}},
			`{` + sr + `,"attributes":["userName","title"],"filter":"title pr"}`},
		{"attributes as a comma string", "Users", url.Values{"attributes": {"userName,name.givenName"}},
			`{` + sr + `,"attributes":"userName,name.givenName"}`},
		{"excludedAttributes", "Users", url.Values{"excludedAttributes": {"emails,meta"}},
			`{` + sr + `,"excludedAttributes":["emails","meta"]}`},
		{"names in any case, no schemas", "Users", url.Values{"filter": {`externalId eq "bob-ext"`}, "count": {"5"}},
			`{"Filter":"externalId eq \"bob-ext\"","COUNT":5,"sortBy":"userName","sortOrder":"ascending"}`},
		{"nulls", "Users", url.Values{},
			`{` + sr + `,"filter":null,"attributes":null,"count":null}`},
		{"enterprise filter", "Users", url.Values{"filter": {`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "E3"`}},
			`{` + sr + `,"filter":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"E3\""}`},
		{"groups without members", "Groups", url.Values{"filter": {`displayName eq "Engineering"`}, "excludedAttributes": {"members"}},
			`{` + sr + `,"filter":"displayName eq \"Engineering\"","excludedAttributes":["members"]}`},
		{"groups with members, streamed", "Groups", url.Values{"filter": {`displayName eq "Engineering"`}},
			`{` + sr + `,"filter":"displayName eq \"Engineering\""}`},
		{"every group", "Groups", url.Values{}, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.state(t)
			want := e.must(t, http.StatusOK, hostileRequest{method: http.MethodGet, path: "/" + tt.resource + "?" + tt.query.Encode()})
			got := e.must(t, http.StatusOK, hostileRequest{method: http.MethodPost, path: "/" + tt.resource + "/.search", body: tt.body})
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Errorf("got  %s\nwant %s (the GET form)", g, w)
			}
			if n, _ := want["totalResults"].(float64); tt.name != "no match" && n == 0 {
				t.Errorf("got no result, want some: the case tests nothing")
			}
			for _, d := range before.diff(e.state(t)) {
				t.Errorf("Hector: %s", d)
			}
		})
	}
}
