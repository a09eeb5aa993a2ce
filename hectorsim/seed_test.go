package hectorsim

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// TestSeed: seeded users and groups are served as if they had been
// created through the API, ids following on from the last ones, and a
// seed that breaks a uniqueness rule is refused.
func TestSeed(t *testing.T) {
	h := newHarness(t, Options{})
	h.must(http.StatusCreated, "POST", "/users", `{"username":"first","email":"first@x","identifier":"first"}`)
	u, g, err := h.sim.Seed([]SeedUser{
		{Username: "ada", Email: "ada@x", Identifier: "E1", ExternalID: "ext-ada", Role: "admin"},
		{Username: "bob", Email: "bob@x", Identifier: "E2", Status: "disabled"},
	}, []SeedGroup{{Name: "staff", ExternalID: "s", Members: []int64{1, 2, 3}}, {Name: "Lab"}})
	if err != nil || u != 2 || g != 1 {
		t.Fatalf("Seed: got first ids %d, %d and %v, want 2, 1 and no error", u, g, err)
	}
	ada := h.must(http.StatusOK, "GET", "/users/2", "").body
	for path, want := range map[string]string{"data.external_id": "ext-ada", "data.role": "admin", "data.status": "active", "data.groups.0.name": "staff"} {
		if got := gjson.GetBytes(ada, path).String(); got != want {
			t.Errorf("user 2 %s: got %q, want %q", path, got, want)
		}
	}
	if got := gjson.GetBytes(h.must(http.StatusOK, "GET", "/users/3", "").body, "data.role").String(); got != "user" {
		t.Errorf("user 3 role: got %q, want the default role", got)
	}
	if got := gjson.GetBytes(h.must(http.StatusOK, "GET", "/groups/1", "").body, "data.member_count").Int(); got != 3 {
		t.Errorf("group 1 member_count: got %d, want 3", got)
	}
	created := h.must(http.StatusCreated, "POST", "/users", `{"username":"next","email":"next@x","identifier":"next"}`).body
	if id := gjson.GetBytes(created, "data.id").Int(); id != 4 {
		t.Errorf("next user created: got id %d, want 4", id)
	}
	if _, _, err := h.sim.Seed([]SeedUser{{Username: "ADA", Email: "other@x", Identifier: "E9"}}, nil); err == nil || !strings.Contains(err.Error(), "already taken") {
		t.Errorf("a taken username: got %v, want an error", err)
	}
}
