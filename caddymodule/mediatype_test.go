package caddymodule

import (
	"net/http"
	"testing"
)

// TestContentTypeExact checks every kind of answer carries exactly
// "application/scim+json", without a charset parameter (RFC 7644 §3.8:
// JSON is UTF-8 by definition), and that answers without a body carry no
// Content-Type at all.
func TestContentTypeExact(t *testing.T) {
	e := newHostileEnv(t)
	uid, gid := hostileSeed(t, e)
	user := e.must(t, http.StatusOK, hostileRequest{method: http.MethodGet, path: "/Users/" + uid})
	meta, _ := user["meta"].(map[string]any)
	version, _ := meta["version"].(string)
	tests := []struct {
		name string
		req  hostileRequest
		want int
		ct   string
	}{
		{"resource", hostileRequest{method: http.MethodGet, path: "/Users/" + uid}, http.StatusOK, MediaType},
		{"created", hostileRequest{method: http.MethodPost, path: "/Users", body: `{"userName":"ct@contoso.example"}`}, http.StatusCreated, MediaType},
		{"list", hostileRequest{method: http.MethodGet, path: "/Users?count=2"}, http.StatusOK, MediaType},
		{"search", hostileRequest{method: http.MethodPost, path: "/Groups/.search", body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":1}`}, http.StatusOK, MediaType},
		{"error", hostileRequest{method: http.MethodGet, path: "/Users/abc"}, http.StatusNotFound, MediaType},
		{"error 401", hostileRequest{method: http.MethodGet, path: "/Users", noAuth: true}, http.StatusUnauthorized, MediaType},
		{"error 400", hostileRequest{method: http.MethodPost, path: "/Users", body: `{`}, http.StatusBadRequest, MediaType},
		{"streamed group", hostileRequest{method: http.MethodGet, path: "/Groups/" + gid}, http.StatusOK, MediaType},
		{"discovery", hostileRequest{method: http.MethodGet, path: "/ServiceProviderConfig"}, http.StatusOK, MediaType},
		{"no content", hostileRequest{method: http.MethodPatch, path: "/Groups/" + gid, body: hostilePatch(`{"op":"replace","path":"displayName","value":"Engineering"}`)}, http.StatusNoContent, ""},
		{"not modified", hostileRequest{method: http.MethodGet, path: "/Users/" + uid, header: map[string]string{"If-None-Match": version}}, http.StatusNotModified, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := e.do(t, tt.req)
			if resp.StatusCode != tt.want {
				t.Fatalf("got status %d, want %d; body %s", resp.StatusCode, tt.want, body)
			}
			if got := resp.Header.Values("Content-Type"); tt.ct == "" && len(got) != 0 || tt.ct != "" && (len(got) != 1 || got[0] != tt.ct) {
				t.Errorf("got Content-Type %q, want %q", got, tt.ct)
			}
		})
	}
	if tests[7].name != "streamed group" {
		t.Fatal("the table moved: check the streamed case")
	}
	group := e.must(t, http.StatusOK, hostileRequest{method: http.MethodGet, path: "/Groups/" + gid})
	if members, _ := group["members"].([]any); len(members) == 0 {
		t.Errorf("got group %v, want members, so that the answer was streamed", group)
	}
}
