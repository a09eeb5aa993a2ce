package translate

// This file holds the decisions a membership change makes for one user:
// their role and their status. Provision reads the records, asks, and
// writes what these functions say.

// SettleRole decides a user's role after a membership change: current is
// the role Hector holds, before and after the groups the user was and is
// in, and wroteCurrent tells that this request itself wrote current (so it
// counts as given by the rules). It returns the role to write, and false
// when nothing is to be written.
func (r Roles) SettleRole(current string, before, after []string, wroteCurrent bool) (string, bool) {
	role, changed := r.Next(current, before, after)
	if !changed && wroteCurrent {
		if want := r.Compute(after); want != "" && want != current {
			return want, true
		}
	}
	return role, changed
}

// SettleStatus decides a user's status after they left a synchronized
// group: disabled when they are in no synchronized group any more; active
// again when they still are but this request itself disabled them (another
// replica added a group meanwhile). It returns false when nothing is to be
// written.
func SettleStatus(status string, inSynchronizedGroup, wroteDisabled bool) (string, bool) {
	switch {
	case !inSynchronizedGroup && status != StatusDisabled:
		return StatusDisabled, true
	case inSynchronizedGroup && status == StatusDisabled && wroteDisabled:
		return StatusActive, true
	}
	return status, false
}
