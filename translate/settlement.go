package translate

// This file holds the decisions a group change makes for one user: their
// role and their status. Provision applies the change to Hector first,
// reads the user's record again, and writes what these functions say:
// roles and statuses follow what Hector accepted.

// Settlement is one user's state after a group change, as Hector records
// it, and what the change was to them.
type Settlement struct {
	// Role and Status are what Hector holds now.
	Role, Status string
	// Managed is set for a user with an external_id: the rules apply only
	// to users the IdP manages, never to hand-made accounts.
	Managed bool
	// Before are the user's groups as they were before the change (see
	// GroupsBefore), After as Hector lists them now; their external_ids
	// must be resolved when the rules name groups by id, and for Left.
	Before, After []GroupRef
	// Left is set when the change took the user out of a synchronized
	// group (a member removal or replacement, or the group's deletion):
	// a user then in no synchronized group is disabled.
	Left bool
}

// Settle decides the fields to write on one user after a group change:
// "role" by the rules (see Roles.Next), and "status" "disabled" when they
// left a synchronized group and are in none any more. Only active
// re-enables a user; a hand-made account (not Managed) is left alone. It
// returns nil when nothing is to be written.
func (r Roles) Settle(u Settlement) map[string]any {
	if !u.Managed {
		return nil
	}
	fields := map[string]any{}
	if role, ok := r.Next(u.Role, u.Before, u.After); ok {
		fields["role"] = role
	}
	if u.Left && u.Status != StatusDisabled && !anySynchronized(u.After) {
		fields["status"] = StatusDisabled
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}

func anySynchronized(groups []GroupRef) bool {
	for _, g := range groups {
		if g.Synchronized() {
			return true
		}
	}
	return false
}

// GroupsBefore is a user's groups as they were before a change of one
// group, from their groups now: a user who joined (named in an add) was
// not in it; a user who left (named in a removal, or the group was
// deleted) was in it as it was; any other member was in it under its old
// name and external_id. Recomputing from Hector's records this way, rather
// than from the difference alone, lets a retry whose member calls already
// landed finish the role writes.
func GroupsBefore(now []GroupRef, old GroupRef, joined, left bool) []GroupRef {
	out := make([]GroupRef, 0, len(now)+1)
	for _, g := range now {
		if g.ID != old.ID {
			out = append(out, g)
		}
	}
	if !joined && (left || len(out) < len(now)) {
		out = append(out, old)
	}
	return out
}

// WithGroup replaces group g's entry in a user's groups by g as it is
// now: a user's record names groups, not their external_ids.
func WithGroup(groups []GroupRef, g GroupRef) []GroupRef {
	out := make([]GroupRef, 0, len(groups))
	for _, have := range groups {
		if have.ID == g.ID {
			have = g
		}
		out = append(out, have)
	}
	return out
}
