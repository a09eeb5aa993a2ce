package legacyclient_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
	"github.com/hector-scim/hector-scim/legacyclient"
)

// contract is the state the end-to-end steps share.
type contract struct {
	sim   *hectorsim.Server
	base  string
	c     *legacyclient.Client
	ctx   context.Context
	ids   []int64 // users created by the users step, by index
	group legacyclient.Group
}

// step is one named end-to-end check against the simulator.
type step struct {
	name string
	run  func(t *testing.T, k *contract)
}

// TestSimContract runs every call of the contract against the simulator,
// in order, each step building on the previous ones.
func TestSimContract(t *testing.T) {
	sim, base := startSim(t, hectorsim.Options{Seed: 1})
	k := &contract{sim: sim, base: base, c: simClient(t, base, nil), ctx: context.Background()}
	steps := []step{
		{"roles", stepRoles},
		{"create and get users", stepCreateUsers},
		{"list filters", stepListFilters},
		{"paging", stepPaging},
		{"PUT is a full replacement", stepFullReplace},
		{"delete user", stepDeleteUser},
		{"create, get and list groups", stepGroups},
		{"update group", stepUpdateGroup},
		{"delete group", stepDeleteGroup},
		{"add 250 members in 3 calls", stepAddMembers},
		{"list and walk members", stepWalkMembers},
		{"remove members", stepRemoveMembers},
		{"conflict and invalid", stepConflictAndInvalid},
		{"wrong key", stepWrongKey},
		{"down", stepDown},
		{"Retry-After from the simulator", stepRetryAfter},
	}
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) { s.run(t, k) }) {
			t.Fatalf("step %q failed; later steps depend on it", s.name)
		}
	}
}

// must fails the test on err.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: got error %v, want nil", what, err)
	}
}

// wantIDs checks the ids of users, in order.
func wantIDs(t *testing.T, what string, users []json.RawMessage, want ...int64) {
	t.Helper()
	var got []int64
	for _, u := range users {
		got = append(got, gjson.GetBytes(u, "id").Int())
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: got ids %v, want %v", what, got, want)
	}
}

func stepRoles(t *testing.T, k *contract) {
	roles, err := k.c.Roles(k.ctx)
	must(t, "Roles", err)
	if !slices.Equal(roles, []string{"admin", "staff", "user"}) {
		t.Errorf("got roles %v, want [admin staff user]", roles)
	}
}

func stepCreateUsers(t *testing.T, k *contract) {
	for i := range 3 {
		u, err := k.c.CreateUser(k.ctx, userBody("c", i))
		must(t, "CreateUser", err)
		k.ids = append(k.ids, gjson.GetBytes(u, "id").Int())
	}
	u, err := k.c.GetUser(k.ctx, k.ids[1])
	must(t, "GetUser", err)
	if got := gjson.GetBytes(u, "username").String(); got != "c1@x.example" {
		t.Errorf("got username %q, want c1@x.example", got)
	}
}

func stepListFilters(t *testing.T, k *contract) {
	tests := []struct {
		q    legacyclient.UserQuery
		want []int64
	}{
		{legacyclient.UserQuery{Equal: map[string]string{"username": "C1@X.EXAMPLE"}}, k.ids[1:2]},
		{legacyclient.UserQuery{Equal: map[string]string{"email": "c2@mail.example"}}, k.ids[2:3]},
		{legacyclient.UserQuery{Equal: map[string]string{"identifier": "c-e0"}}, k.ids[0:1]},
		{legacyclient.UserQuery{Equal: map[string]string{"external_id": "C-EXT-2"}}, k.ids[2:3]},
		{legacyclient.UserQuery{Equal: map[string]string{"status": "active"}}, k.ids},
		{legacyclient.UserQuery{UpdatedSince: time.Now().Add(-time.Hour)}, k.ids},
		{legacyclient.UserQuery{UpdatedSince: time.Now().Add(time.Hour)}, nil},
		{legacyclient.UserQuery{Equal: map[string]string{"username": "c1@x.example", "email": "c2@mail.example"}}, nil},
	}
	for _, tt := range tests {
		p, err := k.c.ListUsers(k.ctx, tt.q, 0, 0)
		must(t, fmt.Sprintf("ListUsers(%+v)", tt.q), err)
		wantIDs(t, fmt.Sprintf("ListUsers(%+v)", tt.q), p.Users, tt.want...)
	}
}

func stepPaging(t *testing.T, k *contract) {
	p, err := k.c.ListUsers(k.ctx, legacyclient.UserQuery{}, 2, 2)
	must(t, "ListUsers", err)
	if p.Page != 2 || p.PerPage != 2 || p.Total != 3 {
		t.Errorf("got page %d, per_page %d, total %d, want 2, 2, 3", p.Page, p.PerPage, p.Total)
	}
	wantIDs(t, "page 2", p.Users, k.ids[2])
	var all []json.RawMessage
	for u, err := range k.c.Users(k.ctx, legacyclient.UserQuery{}) {
		must(t, "Users", err)
		all = append(all, u)
	}
	wantIDs(t, "Users", all, k.ids...)
}

func stepFullReplace(t *testing.T, k *contract) {
	_, err := k.c.UpdateUser(k.ctx, k.ids[0], json.RawMessage(
		`{"username":"c0@x.example","email":"c0@mail.example","identifier":"c-E0","title":"Boss","status":"disabled","role":"admin"}`))
	must(t, "UpdateUser", err)
	u, err := k.c.UpdateUser(k.ctx, k.ids[0], json.RawMessage(
		`{"username":"c0@x.example","email":"c0@mail.example","identifier":"c-E0"}`))
	must(t, "UpdateUser", err)
	got := gjson.GetManyBytes(u, "title", "status", "role", "external_id")
	if got[0].String() != "" || got[1].String() != "active" || got[2].String() != "user" || got[3].Type != gjson.Null {
		t.Errorf("got title %s, status %s, role %s, external_id %s; want reset", got[0].Raw, got[1].Raw, got[2].Raw, got[3].Raw)
	}
}

func stepDeleteUser(t *testing.T, k *contract) {
	u, err := k.c.CreateUser(k.ctx, userBody("d", 0))
	must(t, "CreateUser", err)
	id := gjson.GetBytes(u, "id").Int()
	must(t, "DeleteUser", k.c.DeleteUser(k.ctx, id))
	if _, err := k.c.GetUser(k.ctx, id); !legacyclient.IsNotFound(err) {
		t.Errorf("GetUser after delete: got %v, want not found", err)
	}
	if err := k.c.DeleteUser(k.ctx, id); !legacyclient.IsNotFound(err) {
		t.Errorf("DeleteUser again: got %v, want not found", err)
	}
}
