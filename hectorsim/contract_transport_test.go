package hectorsim

import (
	"fmt"
	"net/http"
	"testing"
)

// Rule: X-Api-Key compared exactly; missing or wrong is 401 unauthorized.
func TestContractAuth(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name, key string
		want      int
	}{
		{"missing", "", http.StatusUnauthorized},
		{"wrong", "nope", http.StatusUnauthorized},
		{"other case", "TEST-KEY", http.StatusUnauthorized},
		{"prefix", "test-ke", http.StatusUnauthorized},
		{"longer", "test-key2", http.StatusUnauthorized},
		{"right", testKey, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.doKey(tt.key, "GET", "/users", "")
			if r.status != tt.want {
				t.Fatalf("got status %d, want %d", r.status, tt.want)
			}
			if tt.want == http.StatusUnauthorized {
				h.wantErr(r, http.StatusUnauthorized, "unauthorized", "")
			}
		})
	}
}

// Rule: every response is application/json, bodiless ones included.
func TestContractContentType(t *testing.T) {
	h := newHarness(t, Options{})
	uid := h.createUser("ada")
	tests := []struct {
		name, method, path, key, body string
		status                        int
	}{
		{"200", "GET", "/users/" + itoa(uid), testKey, "", 200},
		{"201", "POST", "/groups", testKey, `{"name":"g"}`, 201},
		{"204", "DELETE", "/users/" + itoa(uid), testKey, "", 204},
		{"400", "GET", "/users?page=0", testKey, "", 400},
		{"401", "GET", "/users", "", "", 401},
		{"404", "GET", "/nowhere", testKey, "", 404},
		{"405", "PATCH", "/users/1", testKey, "{}", 405},
		{"409", "POST", "/groups", testKey, `{"name":"G"}`, 409},
		{"422", "POST", "/groups", testKey, `{}`, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.doKey(tt.key, tt.method, tt.path, tt.body)
			if r.status != tt.status {
				t.Fatalf("got status %d, want %d; body %s", r.status, tt.status, r.body)
			}
			if got := r.header.Get("Content-Type"); got != "application/json" {
				t.Errorf("got Content-Type %q, want application/json", got)
			}
		})
	}
}

// Rule: single objects are {"data": {...}}; lists {"data": [...], "meta":
// {page, per_page, total}}.
func TestContractWrapping(t *testing.T) {
	h := newHarness(t, Options{})
	uid := h.createUser("ada")
	gid := h.createGroup("staff")
	h.must(204, "POST", "/groups/"+itoa(gid)+"/members", `{"user_ids":[`+itoa(uid)+`]}`)
	for _, path := range []string{"/users/" + itoa(uid), "/groups/" + itoa(gid)} {
		if m := h.must(200, "GET", path, "").obj(t); len(m) != 1 {
			t.Errorf("GET %s: got keys %v, want only data", path, m)
		}
	}
	for _, path := range []string{"/users", "/groups", "/groups/" + itoa(gid) + "/members", "/roles"} {
		r := h.must(200, "GET", path, "")
		items, meta := r.list(t)
		if len(r.obj(t)) != 2 {
			t.Errorf("GET %s: got %s, want only data and meta", path, r.body)
		}
		if id(t, meta, "page") != 1 || id(t, meta, "per_page") != 25 || id(t, meta, "total") != int64(len(items)) {
			t.Errorf("GET %s: got meta %v, want page 1, per_page 25, total %d", path, meta, len(items))
		}
	}
}

// Rule: per_page defaults to 25 and is clamped to 100; id order; a page
// past the end is empty with the right total.
func TestContractPaging(t *testing.T) {
	h := newHarness(t, Options{})
	for i := range 130 {
		h.createUser(fmt.Sprintf("u%03d", i))
	}
	tests := []struct {
		query                      string
		wantLen                    int
		wantPage, wantPer, firstID int64
	}{
		{"", 25, 1, 25, 1},
		{"?page=2", 25, 2, 25, 26},
		{"?page=6", 5, 6, 25, 126},
		{"?page=7", 0, 7, 25, 0},
		{"?page=99999999999", 0, 99999999999, 25, 0},
		{"?per_page=500", 100, 1, 100, 1},
		{"?per_page=100&page=2", 30, 2, 100, 101},
		{"?per_page=7&page=3", 7, 3, 7, 15},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			items, meta := h.must(200, "GET", "/users"+tt.query, "").list(t)
			if len(items) != tt.wantLen {
				t.Fatalf("got %d items, want %d", len(items), tt.wantLen)
			}
			if got := id(t, meta, "total"); got != 130 {
				t.Errorf("got total %d, want 130", got)
			}
			if got := id(t, meta, "page"); got != tt.wantPage {
				t.Errorf("got page %d, want %d", got, tt.wantPage)
			}
			if got := id(t, meta, "per_page"); got != tt.wantPer {
				t.Errorf("got per_page %d, want %d", got, tt.wantPer)
			}
			for i, it := range items {
				if got := id(t, it.(map[string]any), "id"); got != tt.firstID+int64(i) {
					t.Fatalf("got id %d at %d, want %d", got, i, tt.firstID+int64(i))
				}
			}
		})
	}
}

// Rule: page or per_page not a positive integer is 400, on every list.
func TestContractBadPaging(t *testing.T) {
	h := newHarness(t, Options{})
	gid := h.createGroup("g")
	lists := []string{"/users", "/groups", "/groups/" + itoa(gid) + "/members", "/roles"}
	bad := []string{"page=0", "page=-1", "page=abc", "page=1.5", "page=", "page=%2B1", "page=1e2",
		"per_page=0", "per_page=-5", "per_page=x", "per_page=", "page=1&page=2"}
	for _, path := range lists {
		for _, q := range bad {
			t.Run(path+"?"+q, func(t *testing.T) {
				h.wantErr(h.do("GET", path+"?"+q, ""), http.StatusBadRequest, "bad_request", "")
			})
		}
	}
}

// Rule: every list endpoint answers an unknown query parameter with 400.
func TestContractUnknownQueryParameter(t *testing.T) {
	h := newHarness(t, Options{})
	gid := h.createGroup("g")
	tests := []struct{ path, param string }{
		{"/users", "sort=id"},
		{"/users", "name=x"}, // a group filter, not a user one
		{"/users", "Username=x"},
		{"/groups", "username=x"},
		{"/groups", "status=active"},
		{"/groups/" + itoa(gid) + "/members", "username=x"},
		{"/roles", "name=admin"},
		{"/users", "%zz=1"},
	}
	for _, tt := range tests {
		t.Run(tt.path+"?"+tt.param, func(t *testing.T) {
			h.wantErr(h.do("GET", tt.path+"?"+tt.param, ""), http.StatusBadRequest, "bad_request", "")
		})
	}
}

// Rule: unknown and non-integer ids are 404 not_found.
func TestContractNotFound(t *testing.T) {
	h := newHarness(t, Options{})
	gid := itoa(h.createGroup("g"))
	tests := []struct{ method, path, body string }{
		{"GET", "/users/999", ""}, {"GET", "/users/abc", ""}, {"GET", "/users/0", ""},
		{"GET", "/users/-1", ""}, {"GET", "/users/01", ""}, {"GET", "/users/+1", ""},
		{"GET", "/users/", ""}, {"PUT", "/users/999", userBody("x")}, {"DELETE", "/users/999", ""},
		{"GET", "/groups/999", ""}, {"GET", "/groups/x", ""}, {"PUT", "/groups/999", `{"name":"n"}`},
		{"DELETE", "/groups/999", ""}, {"GET", "/groups/999/members", ""},
		{"POST", "/groups/999/members", `{"user_ids":[]}`}, {"DELETE", "/groups/999/members/1", ""},
		{"DELETE", "/groups/" + gid + "/members/abc", ""}, {"GET", "/nowhere", ""}, {"GET", "/users/1/x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			h.wantErr(h.do(tt.method, tt.path, tt.body), http.StatusNotFound, "not_found", "")
		})
	}
}

// Choice: a known path with a method it does not serve is 405 with Allow.
func TestContractMethodNotAllowed(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct{ method, path, allow string }{
		{"PATCH", "/users/1", "GET, PUT, DELETE"},
		{"DELETE", "/users", "GET, POST"},
		{"PUT", "/groups/1/members", "GET, POST"},
		{"GET", "/groups/1/members/2", "DELETE"},
		{"POST", "/roles", "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := h.do(tt.method, tt.path, "{}")
			h.wantErr(r, http.StatusMethodNotAllowed, "method_not_allowed", "")
			if got := r.header.Get("Allow"); got != tt.allow {
				t.Errorf("got Allow %q, want %q", got, tt.allow)
			}
		})
	}
}

// Rule: malformed JSON is 400 bad_request.
func TestContractMalformedJSON(t *testing.T) {
	h := newHarness(t, Options{})
	uid, gid := itoa(h.createUser("ada")), itoa(h.createGroup("g"))
	paths := []struct{ method, path string }{
		{"POST", "/users"}, {"PUT", "/users/" + uid}, {"POST", "/groups"},
		{"PUT", "/groups/" + gid}, {"POST", "/groups/" + gid + "/members"},
	}
	bodies := []string{"", "{", `{"username":}`, "[]", `"x"`, "null", "{}{}", "42"}
	for _, p := range paths {
		for _, b := range bodies {
			t.Run(p.method+" "+p.path+" "+b, func(t *testing.T) {
				h.wantErr(h.do(p.method, p.path, b), http.StatusBadRequest, "bad_request", "")
			})
		}
	}
}

// Rule: errors are {"error": {"code", "message", "fields"?}}.
func TestContractErrorBody(t *testing.T) {
	h := newHarness(t, Options{})
	h.createUser("ada")
	r := h.do("POST", "/users", userBody("ada"))
	e := r.obj(t)["error"].(map[string]any)
	if len(r.obj(t)) != 1 || e["code"] != "conflict" || e["message"] == "" {
		t.Fatalf("got %s, want one error object with code and message", r.body)
	}
	fields := e["fields"].(map[string]any)
	for _, f := range []string{"username", "email", "identifier"} {
		if fields[f] != "already taken" {
			t.Errorf("got fields[%s] = %v, want already taken", f, fields[f])
		}
	}
	r = h.do("GET", "/users/999", "")
	if _, ok := r.obj(t)["error"].(map[string]any)["fields"]; ok {
		t.Errorf("got %s, want no fields on a 404", r.body)
	}
}
