package provision

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
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

func ledgerKey(field string, uid int64) string { return field + "/" + strconv.FormatInt(uid, 10) }

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

// settleUser writes one user's new role and status, as translate decides
// them: the role by the rules (a role this request wrote itself counts as
// given by the rules), and "disabled" when the user leaves their last
// synchronized group.
func (s *Service) settleUser(ctx context.Context, uid int64, rec json.RawMessage, before, after []string, st settlement) error {
	fields := map[string]any{}
	if st.roles {
		current := translate.Role(rec)
		if role, ok := s.cfg.Roles.SettleRole(current, before, after, st.ledger.owns("role", uid, current)); ok {
			fields["role"] = role
		}
	}
	if st.sync != nil {
		stays, err := st.sync.anyOf(ctx, translate.GroupIDs(rec, st.leaving))
		if err != nil {
			return err
		}
		status := translate.Status(rec)
		if v, ok := translate.SettleStatus(status, stays, st.ledger.owns("status", uid, translate.StatusDisabled)); ok {
			fields["status"] = v
		}
	}
	if len(fields) == 0 {
		return nil
	}
	if _, err := s.writeUser(ctx, Request{}, rec, fields); err != nil {
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
			if group(g).Synchronized() {
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

// settleRename recomputes the roles of a role group's members when it is
// renamed, before the rename is written.
func (s *Service) settleRename(ctx context.Context, g legacyclient.Group, newName string) error {
	return s.memberRecords(ctx, g, func(uid int64, rec json.RawMessage) error {
		before := translate.GroupNames(rec, 0)
		after := translate.RenamedGroups(before, g.Name, newName)
		return s.settleUser(ctx, uid, rec, before, after, settlement{roles: true})
	})
}

// settleDeletion applies to every member what leaving the group means,
// before the group is deleted.
func (s *Service) settleDeletion(ctx context.Context, g legacyclient.Group) error {
	st := settlement{roles: s.grantsRole(g.Name), leaving: g.ID}
	if g.ExternalID != "" {
		st.sync = &syncSet{s: s}
	}
	return s.memberRecords(ctx, g, func(uid int64, rec json.RawMessage) error {
		return s.settleUser(ctx, uid, rec, translate.GroupNames(rec, 0), translate.GroupNames(rec, g.ID), st)
	})
}
