package translate

import "strings"

// GroupIDPrefix marks a role rule's group given by the IdP's group id
// (Hector's external_id) rather than by display name: "id:<externalId>".
const GroupIDPrefix = "id:"

// GroupRef is a Hector group as the role rules see it: its id, its name
// and its external_id ("" when Hector holds none, or when the caller did
// not resolve it).
type GroupRef struct {
	ID         int64
	Name       string
	ExternalID string
}

// Synchronized reports whether the group is one the IdP manages.
func (g GroupRef) Synchronized() bool { return g.ExternalID != "" }

// RoleRule is one Hector role and the IdP groups that grant it, each a
// display name or "id:<externalId>".
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

// names reports whether the rule entry (a display name or
// "id:<externalId>") names group g. Names compare as Hector compares them
// (SameName); an id names the group whose external_id it is, whatever its
// display name, and never a group with no external_id.
func names(entry string, g GroupRef) bool {
	if ext, ok := strings.CutPrefix(entry, GroupIDPrefix); ok {
		return ext != "" && g.ExternalID != "" && SameName(ext, g.ExternalID)
	}
	return SameName(entry, g.Name)
}

// Grants reports whether group g grants a role.
func (r Roles) Grants(g GroupRef) bool {
	for _, rule := range r.Order {
		for _, entry := range rule.Groups {
			if names(entry, g) {
				return true
			}
		}
	}
	return false
}

// ByID reports whether some rule names a group by id, so that deciding a
// role needs the external_id of every group of a user.
func (r Roles) ByID() bool {
	for _, rule := range r.Order {
		for _, entry := range rule.Groups {
			if strings.HasPrefix(entry, GroupIDPrefix) {
				return true
			}
		}
	}
	return false
}

// Enabled reports whether the rules can ever change a role.
func (r Roles) Enabled() bool { return r.Default != "" || len(r.Order) > 0 }

// Compute returns the role that the rules give a member of groups.
func (r Roles) Compute(groups []GroupRef) string {
	for _, rule := range r.Order {
		for _, entry := range rule.Groups {
			for _, g := range groups {
				if names(entry, g) {
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
// Without Overwrite the role changes only while it is still what the rules
// gave before the change (a role set by hand stays); a role that is
// already what they give after it needs no write, so a retried change
// finishes its work.
func (r Roles) Next(current string, before, after []GroupRef) (string, bool) {
	want := r.Compute(after)
	if want == "" || want == current {
		return current, false
	}
	if r.Overwrite || current == r.Compute(before) {
		return want, true
	}
	return current, false
}
