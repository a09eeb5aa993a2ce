package translate

// RoleRule is one Hector role and the IdP groups (display names) that grant
// it.
type RoleRule struct {
	Name   string
	Groups []string
}

// Roles are Hector's group → role rules: an ordered list of roles, highest
// first. A user's role is the highest role for which they are in one of its
// groups; a user in no role-granting group gets Default.
type Roles struct {
	// Order lists the roles, highest first.
	Order []RoleRule
	// Default is the role of a user in no role-granting group; "" leaves
	// Hector's own default and never changes a role.
	Default string
	// Overwrite makes the computed role always win. Without it a role is
	// changed only while it still equals what the rules gave before the
	// change, or already equals what they give after it, so a role an
	// administrator set by hand in Hector stays.
	Overwrite bool
}

// Grants reports whether a group (by display name, case-insensitively)
// grants a role.
func (r Roles) Grants(group string) bool {
	for _, rule := range r.Order {
		for _, g := range rule.Groups {
			if SameName(g, group) {
				return true
			}
		}
	}
	return false
}

// Enabled reports whether the rules can ever change a role.
func (r Roles) Enabled() bool { return r.Default != "" || len(r.Order) > 0 }

// Compute returns the role that the rules give a member of groups.
func (r Roles) Compute(groups []string) string {
	for _, rule := range r.Order {
		for _, g := range rule.Groups {
			for _, have := range groups {
				if SameName(g, have) {
					return rule.Name
				}
			}
		}
	}
	return r.Default
}

// Next decides a user's role after a membership change: current is the
// role Hector holds, before and after the groups the user was and is in.
// It returns the role to write and whether it differs from current.
func (r Roles) Next(current string, before, after []string) (string, bool) {
	want := r.Compute(after)
	if want == "" || want == current {
		return current, false
	}
	if r.Overwrite || current == r.Compute(before) {
		return want, true
	}
	return current, false
}
