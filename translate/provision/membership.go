package provision

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
)

// applyGroupChange renames, re-identifies and changes the members of a
// group. Work on users (roles, deactivation) happens before the Hector
// group or member call that causes it, so that a retry after a failure
// finishes what the first try started.
func (s *Service) applyGroupChange(ctx context.Context, g legacyclient.Group, c translate.GroupChange) (legacyclient.Group, error) {
	name, ext := g.Name, g.ExternalID
	if c.Name != nil {
		name = *c.Name
	}
	if c.ExternalID != nil {
		ext = *c.ExternalID
		if ext == "" {
			ext = g.ExternalID
			if ext == "" || !translate.IsGenerated(ext) {
				ext = generatedExternalID()
			}
		}
	}
	if name != g.Name && (s.grantsRole(g.Name) || s.grantsRole(name)) {
		if err := s.settleRename(ctx, g, name); err != nil {
			return g, err
		}
	}
	if name != g.Name || ext != g.ExternalID {
		ng, err := s.hector.UpdateGroup(ctx, g.ID, legacyclient.GroupInput{Name: name, ExternalID: ext})
		if err != nil {
			return g, groupErr(err, translate.IDString(g.ID))
		}
		s.auditGroup(ctx, "update", g.ID, translate.Changed("name", g.Name, ng.Name), translate.Changed("external_id", g.ExternalID, ng.ExternalID))
		g = ng
	}
	d := c.Members
	if d.Replace {
		current, err := s.memberList(ctx, g)
		if err != nil {
			return g, err
		}
		d = translate.ReplacementDelta(current, d.Set)
	}
	return g, s.changeMembers(ctx, g, d)
}

// changeMembers adds and removes members. When the group grants a role,
// the added and removed users' roles are recomputed; when it is
// synchronized, a removed user left in no synchronized group is disabled.
// That user work happens twice: before the member calls (so that a retry
// after a failure finishes it) and after them, from fresh records (so that
// concurrent changes by other replicas converge: the last to verify sees
// every membership). A group that grants no role costs no per-user call
// for adds.
func (s *Service) changeMembers(ctx context.Context, g legacyclient.Group, d translate.MemberDelta) error {
	roles := s.grantsRole(g.Name)
	deprov := g.ExternalID != "" && len(d.Remove) > 0
	if !roles && !deprov {
		return s.memberCalls(ctx, g, d, nil)
	}
	ids := append(slices.Clone(d.Add), d.Remove...)
	defer s.locks.lockMany("user", ids)()
	recs, err := s.fetchUsers(ctx, ids)
	if err != nil {
		return err
	}
	st := settlement{roles: roles, ledger: &roleLedger{}}
	if err := s.settleMembers(ctx, g, d, recs, false, st); err != nil {
		return err
	}
	d.Remove = slices.DeleteFunc(d.Remove, func(id int64) bool { return recs[id] == nil || !translate.InGroup(recs[id], g.ID) })
	if err := s.memberCalls(ctx, g, d, recs); err != nil {
		return err
	}
	// Verify only the real changes: not re-adds, not removals of non-members.
	changed := translate.MemberDelta{Remove: d.Remove}
	changed.Add = slices.DeleteFunc(slices.Clone(d.Add), func(id int64) bool { return recs[id] == nil || translate.InGroup(recs[id], g.ID) })
	if len(changed.Add)+len(changed.Remove) == 0 {
		return nil
	}
	if recs, err = s.fetchUsers(ctx, append(slices.Clone(changed.Add), changed.Remove...)); err != nil {
		return err
	}
	return s.settleMembers(ctx, g, changed, recs, true, st)
}

// memberCalls makes the Hector member calls of a change; recs, when the
// change read the users, name them in the audit lines.
func (s *Service) memberCalls(ctx context.Context, g legacyclient.Group, d translate.MemberDelta, recs map[int64]json.RawMessage) error {
	if len(d.Add) > 0 {
		if err := s.hector.AddMembers(ctx, g.ID, d.Add); err != nil {
			return groupErr(err, translate.IDString(g.ID))
		}
		s.auditMembers(ctx, "add", g.ID, d.Add, recs)
	}
	var mu sync.Mutex
	var removed []int64
	err := forEach(ctx, d.Remove, func(ctx context.Context, uid int64) error {
		if err := s.hector.RemoveMember(ctx, g.ID, uid); err != nil {
			return groupErr(err, translate.IDString(g.ID))
		}
		mu.Lock()
		removed = append(removed, uid)
		mu.Unlock()
		return nil
	})
	slices.Sort(removed)
	s.auditMembers(ctx, "remove", g.ID, removed, recs)
	return err
}

// settleMembers writes the role and status changes a membership change
// causes. Before the member calls (after false), the records show the
// users as they were; after them (after true), as they are, with whatever
// other replicas changed meanwhile.
func (s *Service) settleMembers(ctx context.Context, g legacyclient.Group, d translate.MemberDelta, recs map[int64]json.RawMessage, after bool, st settlement) error {
	st.sync, st.leaving = nil, g.ID
	if g.ExternalID != "" && len(d.Remove) > 0 {
		st.sync = &syncSet{s: s}
	}
	removed := make(map[int64]bool, len(d.Remove))
	for _, id := range d.Remove {
		removed[id] = true
	}
	ids := append(slices.Clone(d.Add), d.Remove...)
	return forEach(ctx, ids, func(ctx context.Context, uid int64) error {
		rec := recs[uid]
		if rec == nil || translate.InGroup(rec, g.ID) != (removed[uid] != after) {
			return nil // unknown user, re-add or removal of a non-member: nothing to settle
		}
		was, is := translate.GroupNames(rec, g.ID), translate.GroupNames(rec, g.ID)
		if removed[uid] {
			was = append(was, g.Name)
		} else {
			is = append(is, g.Name)
		}
		if !removed[uid] {
			joining := st
			joining.sync = nil // joining a group never disables
			return s.settleUser(ctx, uid, rec, was, is, joining)
		}
		return s.settleUser(ctx, uid, rec, was, is, st)
	})
}
