package hectorsim

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Rule: the user shape — integer id, "" for unset strings, external_id
// null, groups [], defaults, RFC 3339 UTC whole-second timestamps.
func TestContractUserShape(t *testing.T) {
	h := newHarness(t, Options{})
	h.clock.Advance(1500 * time.Millisecond) // sub-second part is dropped
	r := h.must(http.StatusCreated, "POST", "/users", userBody("ada"))
	var got map[string]any
	if err := json.Unmarshal(r.body, &struct{ Data *map[string]any }{&got}); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": 1.0, "username": "ada", "email": "ada@example.com", "identifier": "E-ada",
		"first_name": "", "last_name": "", "external_id": nil, "status": "active", "role": "user",
		"title": "", "department": "", "phone": "", "locale": "", "groups": []any{},
		"created_at": "2026-01-02T03:04:06Z", "updated_at": "2026-01-02T03:04:06Z",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// Rule: every writable field is stored and rendered as sent.
func TestContractUserAllFields(t *testing.T) {
	h := newHarness(t, Options{})
	body := map[string]any{
		"username": "ada@contoso.example", "email": "Ada.Lovelace@contoso.example", "identifier": "E1234",
		"first_name": "Ada", "last_name": "Lovelace", "external_id": "9b1c4a8e", "status": "disabled",
		"role": "admin", "title": "Engineer", "department": "R&D", "phone": "+1 555 0100", "locale": "en-CA",
	}
	b, _ := json.Marshal(body)
	r := h.must(http.StatusCreated, "POST", "/users", string(b))
	if !strings.Contains(string(r.body), `"department":"R&D"`) {
		t.Errorf("got %s, want department rendered without HTML escaping", r.body)
	}
	got := r.data(t)
	for k, v := range body {
		if got[k] != v {
			t.Errorf("got %s = %v, want %v", k, got[k], v)
		}
	}
}

// Rule: required on create and every PUT: username, email, identifier
// (absent, null or "").
func TestContractUserRequired(t *testing.T) {
	h := newHarness(t, Options{})
	uid := itoa(h.createUser("ada"))
	tests := []struct{ name, body, field string }{
		{"no username", `{"email":"b@x","identifier":"B"}`, "username"},
		{"no email", `{"username":"b","identifier":"B"}`, "email"},
		{"no identifier", `{"username":"b","email":"b@x"}`, "identifier"},
		{"null username", `{"username":null,"email":"b@x","identifier":"B"}`, "username"},
		{"empty email", `{"username":"b","email":"","identifier":"B"}`, "email"},
		{"empty object", `{}`, "identifier"},
	}
	for _, tt := range tests {
		for _, target := range []struct{ method, path string }{{"POST", "/users"}, {"PUT", "/users/" + uid}} {
			t.Run(target.method+" "+tt.name, func(t *testing.T) {
				h.wantErr(h.do(target.method, target.path, tt.body), http.StatusUnprocessableEntity, "invalid", tt.field)
			})
		}
	}
	if n := len(h.sim.Users()); n != 1 {
		t.Errorf("got %d users, want 1", n)
	}
}

// Rule: invalid values are 422 naming the field: status, role, JSON types.
func TestContractUserInvalidValues(t *testing.T) {
	h := newHarness(t, Options{})
	base := `"username":"b","email":"b@x","identifier":"B"`
	tests := []struct{ name, extra, field string }{
		{"status", `"status":"enabled"`, "status"},
		{"status case", `"status":"Active"`, "status"},
		{"status type", `"status":true`, "status"},
		{"role", `"role":"root"`, "role"},
		{"role type", `"role":1`, "role"},
		{"first_name object", `"first_name":{}`, "first_name"},
		{"external_id bool", `"external_id":true`, "external_id"},
		{"locale array", `"locale":["en"]`, "locale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.wantErr(h.do("POST", "/users", "{"+base+","+tt.extra+"}"), http.StatusUnprocessableEntity, "invalid", tt.field)
		})
	}
	t.Run("username number", func(t *testing.T) {
		h.wantErr(h.do("POST", "/users", `{"username":42,"email":"b@x","identifier":"B"}`), http.StatusUnprocessableEntity, "invalid", "username")
	})
}

// Rule: username, email, identifier and non-null external_id are unique,
// case-insensitively: 409 conflict naming the field.
func TestContractUserUnique(t *testing.T) {
	h := newHarness(t, Options{})
	h.must(http.StatusCreated, "POST", "/users", `{"username":"ada","email":"ada@x","identifier":"A","external_id":"ext-A"}`)
	bid := itoa(h.createUser("bob"))
	tests := []struct{ name, body, field string }{
		{"username", `{"username":"ADA","email":"n1@x","identifier":"N1"}`, "username"},
		{"email", `{"username":"n2","email":"Ada@X","identifier":"N2"}`, "email"},
		{"identifier", `{"username":"n3","email":"n3@x","identifier":"a"}`, "identifier"},
		{"external_id", `{"username":"n4","email":"n4@x","identifier":"N4","external_id":"EXT-a"}`, "external_id"},
	}
	for _, tt := range tests {
		t.Run("POST "+tt.name, func(t *testing.T) {
			h.wantErr(h.do("POST", "/users", tt.body), http.StatusConflict, "conflict", tt.field)
		})
		t.Run("PUT "+tt.name, func(t *testing.T) {
			h.wantErr(h.do("PUT", "/users/"+bid, tt.body), http.StatusConflict, "conflict", tt.field)
		})
	}
	t.Run("null external_id is not unique", func(t *testing.T) {
		h.must(http.StatusCreated, "POST", "/users", `{"username":"c","email":"c@x","identifier":"C","external_id":null}`)
		h.must(http.StatusCreated, "POST", "/users", `{"username":"d","email":"d@x","identifier":"D","external_id":""}`)
	})
	t.Run("PUT keeps own values", func(t *testing.T) {
		h.must(http.StatusOK, "PUT", "/users/"+bid, `{"username":"BOB","email":"BOB@example.com","identifier":"e-bob"}`)
	})
	t.Run("freed after change", func(t *testing.T) {
		h.must(http.StatusOK, "PUT", "/users/"+bid, `{"username":"bobby","email":"bobby@x","identifier":"E-bobby"}`)
		h.createUser("bob")
	})
}

// Rule: an empty external_id is the same as null.
func TestContractEmptyExternalID(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.must(http.StatusCreated, "POST", "/users", `{"username":"a","email":"a@x","identifier":"A","external_id":""}`)
	if got, ok := r.data(t)["external_id"]; !ok || got != nil {
		t.Errorf("got external_id %v, want null", got)
	}
	items, _ := h.must(http.StatusOK, "GET", "/users?external_id=", "").list(t)
	if len(items) != 1 {
		t.Errorf("got %d users without external_id, want 1", len(items))
	}
}

// Rule: read-only fields (id, groups, created_at, updated_at) and unknown
// fields in a body are ignored.
func TestContractUserIgnoredFields(t *testing.T) {
	h := newHarness(t, Options{})
	body := `{"id":77,"groups":[{"id":1,"name":"x"}],"created_at":"1999-01-01T00:00:00Z","updated_at":"bad",
		"favorite_color":"blue","nested":{"a":[1]},"username":"a","email":"a@x","identifier":"A"}`
	got := h.must(http.StatusCreated, "POST", "/users", body).data(t)
	if id(t, got, "id") != 1 || len(got["groups"].([]any)) != 0 || got["created_at"] != "2026-01-02T03:04:05Z" {
		t.Errorf("got %v, want id 1, no groups, created now", got)
	}
	if _, ok := got["favorite_color"]; ok {
		t.Errorf("got favorite_color echoed, want it ignored")
	}
	got = h.must(http.StatusOK, "PUT", "/users/1", body).data(t)
	if id(t, got, "id") != 1 || got["updated_at"] != "2026-01-02T03:04:05Z" {
		t.Errorf("got %v, want id 1 and updated_at unchanged", got)
	}
}

// Rule: PUT is a full replacement; unset writable fields are reset.
func TestContractPutFullReplacement(t *testing.T) {
	h := newHarness(t, Options{DefaultRole: "staff"})
	full := `{"username":"a","email":"a@x","identifier":"A","first_name":"F","last_name":"L","external_id":"X",
		"status":"disabled","role":"admin","title":"T","department":"D","phone":"P","locale":"fr"}`
	uid := itoa(id(t, h.must(http.StatusCreated, "POST", "/users", full).data(t), "id"))
	got := h.must(http.StatusOK, "PUT", "/users/"+uid, `{"username":"a","email":"a@x","identifier":"A"}`).data(t)
	want := map[string]any{"first_name": "", "last_name": "", "external_id": nil, "status": "active",
		"role": "staff", "title": "", "department": "", "phone": "", "locale": ""}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("got %s = %v, want %v", k, got[k], v)
		}
	}
	if h.getUser(1)["external_id"] != nil {
		t.Errorf("got external_id kept after PUT, want null")
	}
}

// Rule: updated_at changes on every write that changes the user; a PUT
// that changes nothing keeps it (choice); created_at never changes.
func TestContractUserUpdatedAt(t *testing.T) {
	h := newHarness(t, Options{})
	uid := itoa(h.createUser("ada"))
	tests := []struct {
		name, body string
		bumped     bool
	}{
		{"same body", userBody("ada"), false},
		{"same with ignored fields", `{"username":"ada","email":"ada@example.com","identifier":"E-ada","id":5,"x":1}`, false},
		{"title", `{"username":"ada","email":"ada@example.com","identifier":"E-ada","title":"T"}`, true},
		{"title dropped", userBody("ada"), true},
		{"case of username", `{"username":"ADA","email":"ada@example.com","identifier":"E-ada"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.getUser(1)["updated_at"]
			h.clock.Advance(time.Minute)
			got := h.must(http.StatusOK, "PUT", "/users/"+uid, tt.body).data(t)
			if changed := got["updated_at"] != before; changed != tt.bumped {
				t.Errorf("got updated_at %v (was %v), want changed %v", got["updated_at"], before, tt.bumped)
			}
			if got["created_at"] != "2026-01-02T03:04:05Z" {
				t.Errorf("got created_at %v, want unchanged", got["created_at"])
			}
		})
	}
}

// Rule: DELETE is a hard delete that also removes memberships.
func TestContractDeleteUser(t *testing.T) {
	h := newHarness(t, Options{})
	uid, keep := h.createUser("ada"), h.createUser("bob")
	gid := itoa(h.createGroup("g"))
	h.must(http.StatusNoContent, "POST", "/groups/"+gid+"/members", `{"user_ids":[`+itoa(uid)+`,`+itoa(keep)+`]}`)
	h.must(http.StatusNoContent, "DELETE", "/users/"+itoa(uid), "")
	h.wantErr(h.do("GET", "/users/"+itoa(uid), ""), http.StatusNotFound, "not_found", "")
	h.wantErr(h.do("DELETE", "/users/"+itoa(uid), ""), http.StatusNotFound, "not_found", "")
	if got := h.sim.Members(1); !reflect.DeepEqual(got, []int64{keep}) {
		t.Errorf("got members %v, want [%d]", got, keep)
	}
	if got := id(t, h.must(http.StatusOK, "GET", "/groups/"+gid, "").data(t), "member_count"); got != 1 {
		t.Errorf("got member_count %d, want 1", got)
	}
	h.createUser("ada") // unique values are free again
	if got := h.createUser("carl"); got != 4 {
		t.Errorf("got id %d, want 4 (ids are never reused)", got)
	}
}
