package translate

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/tidwall/gjson"
)

// settlement is what settleUser needs to know about the change.
type settlement struct {
	roles   bool     // the change may move roles
	sync    *syncSet // set when a leaving user may have to be disabled
	leaving int64    // the group being left, if any
	ledger  *roleLedger
}

// roleLedger remembers the roles and statuses one request wrote, so that
// its own verification pass can tell them from values set by hand (or by
// the IdP), and correct them.
type roleLedger struct {
	mu     sync.Mutex
	values map[string]string // "role/42" → "staff", "status/42" → "disabled"
}

func ledgerKey(field string, uid int64) string { return field + "/" + idString(uid) }

func (l *roleLedger) put(field string, uid int64, v string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.values == nil {
		l.values = map[string]string{}
	}
	l.values[ledgerKey(field, uid)] = v
}

func (l *roleLedger) owns(field string, uid int64, v string) bool {
	if l == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	got, ok := l.values[ledgerKey(field, uid)]
	return ok && got == v
}

// settleUser writes one user's new role and status: the role by the
// rules (a role this request wrote itself counts as given by the rules),
// and "disabled" when the user leaves their last synchronized group.
func (s *Service) settleUser(ctx context.Context, uid int64, rec json.RawMessage, before, after []string, st settlement) error {
	fields := map[string]any{}
	if st.roles {
		current := gjson.GetBytes(rec, "role").String()
		role, changed := s.cfg.Roles.Next(current, before, after)
		if !changed && st.ledger.owns("role", uid, current) {
			if want := s.cfg.Roles.Compute(after); want != "" && want != current {
				role, changed = want, true
			}
		}
		if changed {
			fields["role"] = role
		}
	}
	if st.sync != nil {
		stays, err := st.sync.anyOf(ctx, groupIDs(rec, st.leaving))
		if err != nil {
			return err
		}
		status := gjson.GetBytes(rec, "status").String()
		switch {
		case !stays && status != "disabled":
			fields["status"] = "disabled"
		case stays && status == "disabled" && st.ledger.owns("status", uid, "disabled"):
			fields["status"] = "active" // this request disabled them too early: another replica added a group
		}
	}
	if len(fields) == 0 {
		return nil
	}
	if _, err := s.writeUser(ctx, uid, rec, fields); err != nil {
		return err
	}
	for _, f := range []string{"role", "status"} {
		if v, ok := fields[f].(string); ok {
			st.ledger.put(f, uid, v)
		}
	}
	return nil
}

// syncSet lazily learns which Hector groups are synchronized (have an
// external_id), with one paged listing per request.
type syncSet struct {
	s    *Service
	once sync.Once
	ids  map[int64]bool
	err  error
}

func (ss *syncSet) anyOf(ctx context.Context, ids []int64) (bool, error) {
	if len(ids) == 0 {
		return false, nil
	}
	ss.once.Do(func() {
		ss.ids = map[int64]bool{}
		for g, err := range ss.s.hector.Groups(ctx, legacyclient.GroupQuery{}) {
			if err != nil {
				ss.err = err
				return
			}
			if g.ExternalID != "" {
				ss.ids[g.ID] = true
			}
		}
	})
	if ss.err != nil {
		return false, ss.err
	}
	for _, id := range ids {
		if ss.ids[id] {
			return true, nil
		}
	}
	return false, nil
}
