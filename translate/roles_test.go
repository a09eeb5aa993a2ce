package translate

import "testing"

func guideRoles(overwrite bool) Roles {
	return Roles{
		Order: []RoleRule{
			{Name: "admin", Groups: []string{"hector_admins"}},
			{Name: "staff", Groups: []string{"hector_staff", "Hector Staff EU"}},
			{Name: "user", Groups: []string{"hector_users"}},
			{Name: "auditor"},
		},
		Default:   "user",
		Overwrite: overwrite,
	}
}

// refs are groups by name, without external_id.
func refs(names ...string) []GroupRef {
	out := make([]GroupRef, len(names))
	for i, n := range names {
		out[i] = GroupRef{ID: int64(i + 1), Name: n}
	}
	return out
}

func TestRolesCompute(t *testing.T) {
	r := guideRoles(false)
	tests := []struct {
		name   string
		groups []string
		want   string
	}{
		{"no groups: default role", nil, "user"},
		{"only a group granting no role", []string{"Hector Employees"}, "user"},
		{"one role group", []string{"hector_staff"}, "staff"},
		{"second group of a role", []string{"Hector Staff EU"}, "staff"},
		{"names compare case-insensitively", []string{"HECTOR_ADMINS"}, "admin"},
		{"highest role wins whatever the order", []string{"hector_users", "hector_staff", "hector_admins"}, "admin"},
		{"lower role only", []string{"hector_users", "hector_places"}, "user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Compute(refs(tt.groups...)); got != tt.want {
				t.Errorf("Compute(%v) = %q, want %q", tt.groups, got, tt.want)
			}
		})
	}
}

func TestRolesGrants(t *testing.T) {
	r := guideRoles(false)
	for group, want := range map[string]bool{"hector_admins": true, "hector staff eu": true, "Hector Employees": false, "auditor": false} {
		if got := r.Grants(GroupRef{Name: group}); got != want {
			t.Errorf("Grants(%q) = %v, want %v", group, got, want)
		}
	}
}

func TestRolesNext(t *testing.T) {
	staff := []string{"hector_staff"}
	admins := []string{"hector_staff", "hector_admins"}
	tests := []struct {
		name          string
		overwrite     bool
		current       string
		before, after []string
		want          string
		changed       bool
	}{
		{"promotion when the role is what the rules gave", false, "staff", staff, admins, "admin", true},
		{"demotion on removal", false, "admin", admins, staff, "staff", true},
		{"hand-set role stays without overwrite", false, "auditor", staff, admins, "auditor", false},
		{"hand-set role replaced with overwrite", true, "auditor", staff, admins, "admin", true},
		{"retry of a half-finished change: role already updated", false, "admin", staff, admins, "admin", false},
		{"retry: role not yet updated is updated", false, "staff", staff, admins, "admin", true},
		{"removed from every role group: default role", false, "staff", staff, nil, "user", true},
		{"no change of groups changes nothing", false, "auditor", staff, staff, "auditor", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := guideRoles(tt.overwrite).Next(tt.current, refs(tt.before...), refs(tt.after...))
			if got != tt.want || changed != tt.changed {
				t.Errorf("Next(%q, %v, %v) = %q, %v; want %q, %v", tt.current, tt.before, tt.after, got, changed, tt.want, tt.changed)
			}
		})
	}
}

func TestRolesWithoutDefault(t *testing.T) {
	r := Roles{Order: []RoleRule{{Name: "admin", Groups: []string{"a"}}}}
	if got, changed := r.Next("staff", refs("a"), nil); changed || got != "staff" {
		t.Errorf("Next without default = %q, %v; want staff, false", got, changed)
	}
}
