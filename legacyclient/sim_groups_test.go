package legacyclient_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/legacyclient"
)

// fieldsOf returns the Fields of err's *Error.
func fieldsOf(err error) map[string]string {
	var e *legacyclient.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func stepGroups(t *testing.T, k *contract) {
	g, err := k.c.CreateGroup(k.ctx, legacyclient.GroupInput{Name: "Staff", ExternalID: "g-ext-1"})
	must(t, "CreateGroup", err)
	if g.ID == 0 || g.Name != "Staff" || g.ExternalID != "g-ext-1" || g.CreatedAt.IsZero() {
		t.Errorf("got %+v, want Staff with g-ext-1 and timestamps", g)
	}
	k.group = g
	_, err = k.c.CreateGroup(k.ctx, legacyclient.GroupInput{Name: "Other"})
	must(t, "CreateGroup", err)
	got, err := k.c.GetGroup(k.ctx, g.ID)
	must(t, "GetGroup", err)
	if got != g {
		t.Errorf("GetGroup: got %+v, want %+v", got, g)
	}
	for _, q := range []legacyclient.GroupQuery{{Equal: map[string]string{"name": "STAFF"}}, {Equal: map[string]string{"external_id": "G-EXT-1"}}} {
		p, err := k.c.ListGroups(k.ctx, q, 1, 10)
		must(t, "ListGroups", err)
		if len(p.Groups) != 1 || p.Groups[0].ID != g.ID || p.Total != 1 {
			t.Errorf("ListGroups(%+v): got %+v, want only group %d", q, p, g.ID)
		}
	}
	// An empty value is an equality too: never dropped, so never widened
	// to every group. No group has an empty name; only Other has no
	// external_id.
	for q, want := range map[string]int{"name": 0, "external_id": 1} {
		p, err := k.c.ListGroups(k.ctx, legacyclient.GroupQuery{Equal: map[string]string{q: ""}}, 1, 10)
		must(t, "ListGroups", err)
		if p.Total != want {
			t.Errorf("ListGroups(%s=\"\"): got %d groups, want %d", q, p.Total, want)
		}
	}
	var names []string
	for g, err := range k.c.Groups(k.ctx, legacyclient.GroupQuery{}) {
		must(t, "Groups", err)
		names = append(names, g.Name)
	}
	if !slices.Equal(names, []string{"Staff", "Other"}) {
		t.Errorf("Groups: got %v, want [Staff Other]", names)
	}
}

func stepUpdateGroup(t *testing.T, k *contract) {
	g, err := k.c.UpdateGroup(k.ctx, k.group.ID, legacyclient.GroupInput{Name: "Staff2"})
	must(t, "UpdateGroup", err)
	if g.Name != "Staff2" || g.ExternalID != "" {
		t.Errorf("got %+v, want Staff2 without external id (full replacement)", g)
	}
	k.group = g
}

func stepDeleteGroup(t *testing.T, k *contract) {
	g, err := k.c.CreateGroup(k.ctx, legacyclient.GroupInput{Name: "Doomed"})
	must(t, "CreateGroup", err)
	must(t, "DeleteGroup", k.c.DeleteGroup(k.ctx, g.ID))
	if _, err := k.c.GetGroup(k.ctx, g.ID); !legacyclient.IsNotFound(err) {
		t.Errorf("GetGroup after delete: got %v, want not found", err)
	}
}

func stepAddMembers(t *testing.T, k *contract) {
	ids := slices.Clone(k.ids)
	for i := range 247 {
		u, err := k.c.CreateUser(k.ctx, userBody("m", i))
		must(t, "CreateUser", err)
		ids = append(ids, gjson.GetBytes(u, "id").Int())
	}
	k.sim.ResetStats()
	must(t, "AddMembers", k.c.AddMembers(k.ctx, k.group.ID, ids))
	if got := k.sim.Stats().ByRoute["POST /groups/{id}/members"]; got != 3 {
		t.Errorf("got %d POST /groups/{id}/members, want 3", got)
	}
	if got := k.sim.Members(k.group.ID); !slices.Equal(got, ids) {
		t.Errorf("got %d members in the simulator, want the %d added", len(got), len(ids))
	}
	must(t, "AddMembers again", k.c.AddMembers(k.ctx, k.group.ID, ids[:5]))
	g, err := k.c.GetGroup(k.ctx, k.group.ID)
	must(t, "GetGroup", err)
	if g.MemberCount != 250 {
		t.Errorf("got member_count %d, want 250", g.MemberCount)
	}
}

func stepWalkMembers(t *testing.T, k *contract) {
	p, err := k.c.ListMembers(k.ctx, k.group.ID, 3, 100)
	must(t, "ListMembers", err)
	if len(p.Members) != 50 || p.Total != 250 || p.Members[0].Username == "" {
		t.Errorf("page 3: got %d members of %d, want 50 of 250 with usernames", len(p.Members), p.Total)
	}
	n := 0
	for _, err := range k.c.Members(k.ctx, k.group.ID) {
		must(t, "Members", err)
		n++
	}
	if n != 250 {
		t.Errorf("Members: got %d, want 250", n)
	}
}

func stepRemoveMembers(t *testing.T, k *contract) {
	must(t, "RemoveMember", k.c.RemoveMember(k.ctx, k.group.ID, k.ids[0]))
	must(t, "RemoveMember of a non-member", k.c.RemoveMember(k.ctx, k.group.ID, k.ids[0]))
	if got := len(k.sim.Members(k.group.ID)); got != 249 {
		t.Errorf("got %d members, want 249", got)
	}
	if err := k.c.RemoveMember(k.ctx, 999999, k.ids[0]); !legacyclient.IsNotFound(err) {
		t.Errorf("RemoveMember of an unknown group: got %v, want not found", err)
	}
}

func stepConflictAndInvalid(t *testing.T, k *contract) {
	_, err := k.c.CreateUser(k.ctx, userBody("c", 1))
	var e *legacyclient.Error
	if !errors.As(err, &e) || e.Status != 409 || e.Code != legacyclient.CodeConflict || e.Fields["username"] == "" {
		t.Errorf("duplicate user: got %v (fields %v), want 409 conflict naming username", err, fieldsOf(err))
	}
	_, err = k.c.CreateUser(k.ctx, []byte(`{"username":"nobody"}`))
	if !legacyclient.IsInvalid(err) || fieldsOf(err)["email"] == "" {
		t.Errorf("user without email: got %v, want 422 naming email", err)
	}
	if _, err := k.c.CreateGroup(k.ctx, legacyclient.GroupInput{Name: "staff2"}); !legacyclient.IsConflict(err) {
		t.Errorf("duplicate group: got %v, want 409", err)
	}
	err = k.c.AddMembers(k.ctx, k.group.ID, []int64{999999})
	if !legacyclient.IsInvalid(err) || fieldsOf(err)["user_ids"] == "" {
		t.Errorf("unknown member: got %v, want 422 naming user_ids", err)
	}
}

func stepWrongKey(t *testing.T, k *contract) {
	c := simClient(t, k.base, func(cfg *legacyclient.Config) { cfg.APIKey = "wrong" })
	_, err := c.GetUser(k.ctx, k.ids[0])
	var e *legacyclient.Error
	if !errors.As(err, &e) || e.Status != 401 || e.Code != legacyclient.CodeUnauthorized {
		t.Errorf("got %v, want 401 unauthorized", err)
	}
}

func stepDown(t *testing.T, k *contract) {
	k.sim.SetDown(true)
	defer k.sim.SetDown(false)
	c := simClient(t, k.base, func(cfg *legacyclient.Config) { cfg.Retries = new(2) })
	_, err := c.GetUser(k.ctx, k.ids[0])
	var e *legacyclient.Error
	if !errors.As(err, &e) || e.Status != 0 || e.Code != legacyclient.CodeUnreachable || !e.Temporary() {
		t.Errorf("got %v, want unreachable", err)
	}
}

func stepRetryAfter(t *testing.T, k *contract) {
	k.sim.SetFaults(1, 0)
	defer k.sim.SetFaults(0, 0)
	ctx := ctxWithin(t, 500*time.Millisecond)
	var e *legacyclient.Error
	for range 20 { // a 503 (Retry-After: 1) comes up half the time
		if _, err := k.c.GetUser(ctx, k.ids[0]); errors.As(err, &e) && e.Status == 503 {
			break
		}
	}
	if e == nil || e.Status != 503 || e.RetryAfter != time.Second || ctx.Err() != nil {
		t.Errorf("got %v, want 503 with RetryAfter 1s, before the deadline", e)
	}
}
