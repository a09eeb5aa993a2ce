package hectorsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Rule: the group shape; name required; external_id "" is null.
func TestContractGroupShape(t *testing.T) {
	h := newHarness(t, Options{})
	got := h.must(http.StatusCreated, "POST", "/groups", `{"name":"hector_staff","external_id":"","member_count":9,"id":4}`).data(t)
	want := map[string]any{"name": "hector_staff", "external_id": nil,
		"created_at": "2026-01-02T03:04:05Z", "updated_at": "2026-01-02T03:04:05Z"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("got %s = %v, want %v", k, got[k], v)
		}
	}
	if id(t, got, "id") != 1 || id(t, got, "member_count") != 0 || len(got) != 6 {
		t.Errorf("got %v, want id 1, member_count 0, six fields", got)
	}
	for _, body := range []string{`{}`, `{"name":""}`, `{"name":null}`, `{"name":7}`, `{"external_id":"x"}`} {
		t.Run("invalid "+body, func(t *testing.T) {
			h.wantErr(h.do("POST", "/groups", body), http.StatusUnprocessableEntity, "invalid", "name")
			h.wantErr(h.do("PUT", "/groups/1", body), http.StatusUnprocessableEntity, "invalid", "name")
		})
	}
	h.wantErr(h.do("POST", "/groups", `{"name":"n","external_id":5}`), http.StatusUnprocessableEntity, "invalid", "external_id")
}

// Rule: group name and non-null external_id are unique, case-insensitively.
func TestContractGroupUnique(t *testing.T) {
	h := newHarness(t, Options{})
	h.must(http.StatusCreated, "POST", "/groups", `{"name":"Staff","external_id":"X1"}`)
	h.createGroup("other")
	tests := []struct{ body, field string }{
		{`{"name":"STAFF"}`, "name"},
		{`{"name":"new","external_id":"x1"}`, "external_id"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			h.wantErr(h.do("POST", "/groups", tt.body), http.StatusConflict, "conflict", tt.field)
			h.wantErr(h.do("PUT", "/groups/2", tt.body), http.StatusConflict, "conflict", tt.field)
		})
	}
	h.must(http.StatusCreated, "POST", "/groups", `{"name":"n1","external_id":null}`)
	h.must(http.StatusOK, "PUT", "/groups/1", `{"name":"staff"}`)
	if got := h.must(http.StatusOK, "GET", "/groups/1", "").data(t)["external_id"]; got != nil {
		t.Errorf("got external_id %v after full replacement, want null", got)
	}
	h.must(http.StatusCreated, "POST", "/groups", `{"name":"n2","external_id":"X1"}`)
}

// Rule: DELETE /groups/{id} removes memberships, bumps each member's
// updated_at, and keeps the users.
func TestContractDeleteGroup(t *testing.T) {
	h := newHarness(t, Options{})
	a, b := h.createUser("a"), h.createUser("b")
	gid, other := itoa(h.createGroup("g")), h.createGroup("h")
	h.must(http.StatusNoContent, "POST", "/groups/"+gid+"/members", fmt.Sprintf(`{"user_ids":[%d]}`, a))
	h.must(http.StatusNoContent, "POST", "/groups/"+itoa(other)+"/members", fmt.Sprintf(`{"user_ids":[%d]}`, a))
	h.clock.Advance(time.Hour)
	h.must(http.StatusNoContent, "DELETE", "/groups/"+gid, "")
	h.wantErr(h.do("GET", "/groups/"+gid, ""), http.StatusNotFound, "not_found", "")
	ua := h.getUser(a)
	if ua["updated_at"] != "2026-01-02T04:04:05Z" {
		t.Errorf("got member updated_at %v, want bumped", ua["updated_at"])
	}
	if groups := ua["groups"].([]any); len(groups) != 1 || id(t, groups[0].(map[string]any), "id") != other {
		t.Errorf("got groups %v, want only group %d", groups, other)
	}
	if ub := h.getUser(b); ub["updated_at"] != "2026-01-02T03:04:05Z" {
		t.Errorf("got non-member updated_at %v, want unchanged", ub["updated_at"])
	}
	h.createGroup("g") // the name is free again
}

// Rule: POST /groups/{id}/members adds (bumping user updated_at and
// member_count), is idempotent, all or nothing, at most 100 ids.
func TestContractAddMembers(t *testing.T) {
	h := newHarness(t, Options{})
	for i := range 3 {
		h.createUser(fmt.Sprint("u", i))
	}
	gid := h.createGroup("staff")
	path := "/groups/" + itoa(gid) + "/members"
	h.clock.Advance(time.Minute)
	h.must(http.StatusNoContent, "POST", path, `{"user_ids":[3,1,1]}`)
	u1 := h.getUser(1)
	if u1["updated_at"] != "2026-01-02T03:05:05Z" || !reflect.DeepEqual(u1["groups"], []any{map[string]any{"id": jsonNum(gid), "name": "staff"}}) {
		t.Errorf("got %v, want updated_at bumped and groups [{%d staff}]", u1, gid)
	}
	g := h.must(http.StatusOK, "GET", "/groups/"+itoa(gid), "").data(t)
	if id(t, g, "member_count") != 2 || g["updated_at"] != "2026-01-02T03:05:05Z" {
		t.Errorf("got group %v, want member_count 2 and updated_at bumped", g)
	}
	h.clock.Advance(time.Minute)
	t.Run("idempotent", func(t *testing.T) {
		h.must(http.StatusNoContent, "POST", path, `{"user_ids":[1,3]}`)
		if got := h.getUser(1)["updated_at"]; got != "2026-01-02T03:05:05Z" {
			t.Errorf("got updated_at %v after re-adding, want unchanged", got)
		}
	})
	t.Run("unknown users", func(t *testing.T) {
		r := h.do("POST", path, `{"user_ids":[2,99,98]}`)
		h.wantErr(r, http.StatusUnprocessableEntity, "invalid", "user_ids")
		if _, f := r.apiErr(t); !strings.Contains(f["user_ids"].(string), "98, 99") {
			t.Errorf("got %v, want the unknown ids named", f)
		}
		if got := h.sim.Members(gid); !reflect.DeepEqual(got, []int64{1, 3}) {
			t.Errorf("got members %v, want [1 3] (nothing added)", got)
		}
	})
	tooMany := "[" + strings.Repeat("1,", 100) + "1]"
	for _, body := range []string{`{"user_ids":` + tooMany + `}`, `{}`, `{"user_ids":null}`, `{"user_ids":"1"}`, `{"user_ids":[1.5]}`, `{"user_ids":["1"]}`} {
		t.Run("invalid "+body[:min(len(body), 30)], func(t *testing.T) {
			h.wantErr(h.do("POST", path, body), http.StatusUnprocessableEntity, "invalid", "user_ids")
		})
	}
	h.must(http.StatusNoContent, "POST", path, `{"user_ids":[]}`)
}

func jsonNum(n int64) any { return json.Number(itoa(n)) }

// Rule: DELETE /groups/{id}/members/{user_id} is 204 even for a non-member
// or unknown user, 404 only for an unknown group; a real removal bumps the
// user's updated_at.
func TestContractRemoveMember(t *testing.T) {
	h := newHarness(t, Options{})
	a, b := h.createUser("a"), h.createUser("b")
	gid := itoa(h.createGroup("g"))
	h.must(http.StatusNoContent, "POST", "/groups/"+gid+"/members", fmt.Sprintf(`{"user_ids":[%d]}`, a))
	h.clock.Advance(time.Minute)
	h.must(http.StatusNoContent, "DELETE", "/groups/"+gid+"/members/"+itoa(b), "")
	h.must(http.StatusNoContent, "DELETE", "/groups/"+gid+"/members/999", "")
	if got := h.getUser(b)["updated_at"]; got != "2026-01-02T03:04:05Z" {
		t.Errorf("got non-member updated_at %v, want unchanged", got)
	}
	h.must(http.StatusNoContent, "DELETE", "/groups/"+gid+"/members/"+itoa(a), "")
	if got := h.getUser(a); got["updated_at"] != "2026-01-02T03:05:05Z" || len(got["groups"].([]any)) != 0 {
		t.Errorf("got %v, want updated_at bumped and no groups", got)
	}
	h.wantErr(h.do("DELETE", "/groups/999/members/"+itoa(a), ""), http.StatusNotFound, "not_found", "")
}

// Rule: GET /groups/{id}/members lists {id, username}, paged.
func TestContractListMembers(t *testing.T) {
	h := newHarness(t, Options{})
	gid := itoa(h.createGroup("g"))
	var all []string
	for i := range 30 {
		all = append(all, itoa(h.createUser(fmt.Sprintf("u%02d", i))))
	}
	h.must(http.StatusNoContent, "POST", "/groups/"+gid+"/members", `{"user_ids":[`+strings.Join(all, ",")+`]}`)
	items, meta := h.must(http.StatusOK, "GET", "/groups/"+gid+"/members?page=2&per_page=20", "").list(t)
	if len(items) != 10 || id(t, meta, "total") != 30 {
		t.Fatalf("got %d items, meta %v, want 10 of 30", len(items), meta)
	}
	want := map[string]any{"id": jsonNum(21), "username": "u20"}
	if !reflect.DeepEqual(items[0], want) {
		t.Errorf("got %v, want %v", items[0], want)
	}
}

// Rule: GET /roles lists the tenant's roles as {"name"}.
func TestContractRoles(t *testing.T) {
	tests := []struct {
		roles []string
		want  []any
	}{
		{nil, []any{map[string]any{"name": "admin"}, map[string]any{"name": "staff"}, map[string]any{"name": "user"}}},
		{[]string{"user", "auditor"}, []any{map[string]any{"name": "user"}, map[string]any{"name": "auditor"}}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.roles), func(t *testing.T) {
			h := newHarness(t, Options{Roles: tt.roles})
			items, meta := h.must(http.StatusOK, "GET", "/roles", "").list(t)
			if !reflect.DeepEqual(items, tt.want) || id(t, meta, "total") != int64(len(tt.want)) {
				t.Errorf("got %v %v, want %v", items, meta, tt.want)
			}
		})
	}
}
