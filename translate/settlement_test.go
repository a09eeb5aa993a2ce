package translate

import (
	"fmt"
	"testing"
)

func TestRolesByID(t *testing.T) {
	r := Roles{Order: []RoleRule{{Name: "admin", Groups: []string{"id:6F1C", "hector_admins"}}}, Default: "user"}
	tests := []struct {
		name string
		g    GroupRef
		want string
	}{
		{"the id, whatever the name", GroupRef{Name: "Renamed", ExternalID: "6f1c"}, "admin"},
		{"the name", GroupRef{Name: "HECTOR_ADMINS"}, "admin"},
		{"a look-alike name (ſ is not s)", GroupRef{Name: "hector_adminſ", ExternalID: "x"}, "user"},
		{"a group named like the id rule", GroupRef{Name: "id:6f1c"}, "user"},
		{"a group without external_id", GroupRef{Name: "other"}, "user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Compute([]GroupRef{tt.g}); got != tt.want {
				t.Errorf("Compute(%+v) = %q, want %q", tt.g, got, tt.want)
			}
			if got := r.Grants(tt.g); got != (tt.want == "admin") {
				t.Errorf("Grants(%+v) = %v", tt.g, got)
			}
		})
	}
	if !r.ByID() || guideRoles(false).ByID() {
		t.Error("ByID: got the wrong answer")
	}
}

func TestGroupsBefore(t *testing.T) {
	old := GroupRef{ID: 7, Name: "Old", ExternalID: "e"}
	now := []GroupRef{{ID: 1, Name: "a"}, {ID: 7, Name: "New", ExternalID: "e"}}
	without := []GroupRef{{ID: 1, Name: "a"}}
	tests := []struct {
		name         string
		now          []GroupRef
		joined, left bool
		want         []GroupRef
	}{
		{"a member: the group under its old name", now, false, false, []GroupRef{{ID: 1, Name: "a"}, old}},
		{"joined: not in it", now, true, false, without},
		{"joined, the call refused: not in it either", without, true, false, without},
		{"left: in it as it was", without, false, true, []GroupRef{{ID: 1, Name: "a"}, old}},
		{"left, the call refused: in it as it was", now, false, true, []GroupRef{{ID: 1, Name: "a"}, old}},
		{"not a member, not named: unchanged", without, false, false, without},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := GroupsBefore(tt.now, old, tt.joined, tt.left); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSettle(t *testing.T) {
	admins := GroupRef{ID: 1, Name: "hector_admins", ExternalID: "a"}
	places := GroupRef{ID: 2, Name: "hector_places", ExternalID: "p"}
	handMadeGroup := GroupRef{ID: 3, Name: "Lunch"}
	tests := []struct {
		name string
		u    Settlement
		want string
	}{
		{"joined the admin group", Settlement{Role: "user", Status: "active", Managed: true, After: []GroupRef{admins}}, "map[role:admin]"},
		{"a hand-made account: never", Settlement{Role: "user", Status: "active", After: []GroupRef{admins}}, "map[]"},
		{"a hand-made admin left out: never", Settlement{Role: "admin", Status: "active", Before: []GroupRef{admins}, Left: true}, "map[]"},
		{"left the last synchronized group", Settlement{Role: "admin", Status: "active", Managed: true, Before: []GroupRef{admins}, After: []GroupRef{handMadeGroup}, Left: true}, "map[role:user status:disabled]"},
		{"left, still in a synchronized group", Settlement{Role: "user", Status: "active", Managed: true, Before: []GroupRef{places}, After: []GroupRef{places}, Left: true}, "map[]"},
		{"hand-set role stays", Settlement{Role: "auditor", Status: "active", Managed: true, After: []GroupRef{admins}}, "map[]"},
		{"already what the change gives: no write", Settlement{Role: "admin", Status: "active", Managed: true, After: []GroupRef{admins}}, "map[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := guideRoles(false).Settle(tt.u)
			if got == nil {
				got = map[string]any{}
			}
			if fmt.Sprint(got) != tt.want {
				t.Errorf("got %v, want %s", got, tt.want)
			}
		})
	}
}
