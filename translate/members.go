package translate

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/legacyclient"
)

// memberDelta is a membership change: explicit adds and removes, or a
// replacement of the whole member list by set.
type memberDelta struct {
	add, remove []int64
	replace     bool
	set         []int64
}

// groupChange is a change of a group's attributes and members; nil
// attributes stay.
type groupChange struct {
	name, externalID *string
	members          memberDelta
}

// workers bounds the concurrent Hector calls one SCIM request makes for
// per-user work; the legacy client's rate limit and in-flight cap still
// apply.
const workers = 8

// applyGroupChange renames, re-identifies and changes the members of a
// group. Work on users (roles, deactivation) happens before the Hector
// group or member call that causes it, so that a retry after a failure
// finishes what the first try started.
func (s *Service) applyGroupChange(ctx context.Context, g legacyclient.Group, c groupChange) (legacyclient.Group, error) {
	name, ext := g.Name, g.ExternalID
	if c.name != nil {
		name = *c.name
	}
	if c.externalID != nil {
		ext = *c.externalID
		if ext == "" {
			ext = g.ExternalID
			if ext == "" || !isGenerated(ext) {
				ext = generatedExternalID()
			}
		}
	}
	if name != g.Name && s.cfg.Roles.Enabled() && (s.cfg.Roles.Grants(g.Name) || s.cfg.Roles.Grants(name)) {
		if err := s.settleRename(ctx, g, name); err != nil {
			return g, err
		}
	}
	if name != g.Name || ext != g.ExternalID {
		ng, err := s.hector.UpdateGroup(ctx, g.ID, legacyclient.GroupInput{Name: name, ExternalID: ext})
		if err != nil {
			return g, groupErr(err, idString(g.ID))
		}
		s.auditGroup(ctx, "update", g.ID, changed("name", g.Name, ng.Name), changed("external_id", g.ExternalID, ng.ExternalID))
		g = ng
	}
	d := c.members
	if d.replace {
		var err error
		if d, err = s.replacementDelta(ctx, g, d.set); err != nil {
			return g, err
		}
	}
	return g, s.changeMembers(ctx, g, d)
}

// replacementDelta computes the adds and removes that turn Hector's member
// list (streamed) into set.
func (s *Service) replacementDelta(ctx context.Context, g legacyclient.Group, set []int64) (memberDelta, error) {
	want := make(map[int64]bool, len(set))
	for _, id := range set {
		want[id] = true
	}
	var d memberDelta
	for m, err := range s.hector.Members(ctx, g.ID) {
		if err != nil {
			return d, err
		}
		if want[m.ID] {
			delete(want, m.ID)
		} else {
			d.remove = append(d.remove, m.ID)
		}
	}
	for _, id := range set {
		if want[id] {
			d.add = append(d.add, id)
		}
	}
	return d, nil
}

// changeMembers adds and removes members. When the group grants a role,
// the added and removed users' roles are recomputed; when it is
// synchronized, a removed user left in no synchronized group is disabled.
// That user work happens twice: before the member calls (so that a retry
// after a failure finishes it) and after them, from fresh records (so that
// concurrent changes by other replicas converge: the last to verify sees
// every membership). A group that grants no role costs no per-user call
// for adds.
func (s *Service) changeMembers(ctx context.Context, g legacyclient.Group, d memberDelta) error {
	roles := s.cfg.Roles.Enabled() && s.cfg.Roles.Grants(g.Name)
	deprov := g.ExternalID != "" && len(d.remove) > 0
	if !roles && !deprov {
		return s.memberCalls(ctx, g, d)
	}
	ids := append(slices.Clone(d.add), d.remove...)
	defer s.locks.lockMany("user", ids)()
	recs, err := s.fetchUsers(ctx, ids)
	if err != nil {
		return err
	}
	st := settlement{roles: roles, ledger: &roleLedger{}}
	if err := s.settleMembers(ctx, g, d, recs, false, st); err != nil {
		return err
	}
	d.remove = slices.DeleteFunc(d.remove, func(id int64) bool { return recs[id] == nil || !inGroup(recs[id], g.ID) })
	if err := s.memberCalls(ctx, g, d); err != nil {
		return err
	}
	// Verify only the real changes: not re-adds, not removals of non-members.
	changed := memberDelta{remove: d.remove}
	changed.add = slices.DeleteFunc(slices.Clone(d.add), func(id int64) bool { return recs[id] == nil || inGroup(recs[id], g.ID) })
	if len(changed.add)+len(changed.remove) == 0 {
		return nil
	}
	if recs, err = s.fetchUsers(ctx, append(slices.Clone(changed.add), changed.remove...)); err != nil {
		return err
	}
	return s.settleMembers(ctx, g, changed, recs, true, st)
}

// memberCalls makes the Hector member calls of a change.
func (s *Service) memberCalls(ctx context.Context, g legacyclient.Group, d memberDelta) error {
	if len(d.add) > 0 {
		if err := s.hector.AddMembers(ctx, g.ID, d.add); err != nil {
			return groupErr(err, idString(g.ID))
		}
		s.auditMembers(ctx, "add", g.ID, d.add)
	}
	var mu sync.Mutex
	var removed []int64
	err := forEach(ctx, d.remove, func(ctx context.Context, uid int64) error {
		if err := s.hector.RemoveMember(ctx, g.ID, uid); err != nil {
			return groupErr(err, idString(g.ID))
		}
		mu.Lock()
		removed = append(removed, uid)
		mu.Unlock()
		return nil
	})
	slices.Sort(removed)
	s.auditMembers(ctx, "remove", g.ID, removed)
	return err
}

// changed is a field change, or an empty one when nothing changed.
func changed(field, before, after string) FieldChange {
	if before == after {
		return FieldChange{}
	}
	return FieldChange{Field: field, Before: before, After: after}
}

// settleMembers writes the role and status changes a membership change
// causes. Before the member calls (after false), the records show the
// users as they were; after them (after true), as they are, with whatever
// other replicas changed meanwhile.
func (s *Service) settleMembers(ctx context.Context, g legacyclient.Group, d memberDelta, recs map[int64]json.RawMessage, after bool, st settlement) error {
	st.sync, st.leaving = nil, g.ID
	if g.ExternalID != "" && len(d.remove) > 0 {
		st.sync = &syncSet{s: s}
	}
	removed := make(map[int64]bool, len(d.remove))
	for _, id := range d.remove {
		removed[id] = true
	}
	ids := append(slices.Clone(d.add), d.remove...)
	return forEach(ctx, ids, func(ctx context.Context, uid int64) error {
		rec := recs[uid]
		if rec == nil || inGroup(rec, g.ID) != (removed[uid] != after) {
			return nil // unknown user, re-add or removal of a non-member: nothing to settle
		}
		was, is := groupNames(rec, g.ID), groupNames(rec, g.ID)
		if removed[uid] {
			was = append(was, g.Name)
		} else {
			is = append(is, g.Name)
		}
		if !removed[uid] {
			leaving := st
			leaving.sync = nil // joining a group never disables
			return s.settleUser(ctx, uid, rec, was, is, leaving)
		}
		return s.settleUser(ctx, uid, rec, was, is, st)
	})
}

// inGroup reports whether a Hector user record lists group gid.
func inGroup(rec []byte, gid int64) bool {
	for _, g := range gjson.GetBytes(rec, "groups.#.id").Array() {
		if g.Int() == gid {
			return true
		}
	}
	return false
}

// groupNames lists a user's group names, leaving out group skip.
func groupNames(rec []byte, skip int64) []string {
	var names []string
	for _, g := range gjson.GetBytes(rec, "groups").Array() {
		if skip != 0 && g.Get("id").Int() == skip {
			continue
		}
		names = append(names, g.Get("name").String())
	}
	return names
}

func groupIDs(rec []byte, skip int64) []int64 {
	var ids []int64
	for _, g := range gjson.GetBytes(rec, "groups.#.id").Array() {
		if g.Int() != skip {
			ids = append(ids, g.Int())
		}
	}
	return ids
}
