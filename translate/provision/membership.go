package provision

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
)

// memberPlan is a membership change checked against Hector before
// anything is written: the member calls to make, and the users the
// request names.
type memberPlan struct {
	add, remove []int64 // the calls: new members; members to remove
	named       []int64 // every user the request names, for settling
	recs        map[int64]json.RawMessage
	joined      map[int64]bool
	leaving     map[int64]bool
}

// planMembers reads the users a membership change names and checks it: a
// user to add who is no Hector user, or a protected account, is 400
// invalidValue, and then nothing is written at all. Re-adds and removals
// of non-members (and of protected or unknown ids) make no call; gid is 0
// for a group not created yet. The caller holds the named users' locks.
func (s *Service) planMembers(ctx context.Context, gid int64, d translate.MemberDelta) (memberPlan, error) {
	p := memberPlan{named: append(slices.Clone(d.Add), d.Remove...), joined: set(d.Add), leaving: set(d.Remove)}
	if len(p.named) == 0 {
		return p, nil
	}
	recs, err := s.fetchUsers(ctx, p.named)
	if err != nil {
		return p, err
	}
	p.recs = recs
	for _, id := range d.Add {
		rec := recs[id]
		switch {
		case rec == nil || s.protect.Record(rec):
			return p, translate.BadRequest(translate.InvalidValue, "member %q is not the id of a user", translate.IDString(id))
		case gid == 0 || !translate.InGroup(rec, gid):
			p.add = append(p.add, id)
		}
	}
	for _, id := range d.Remove {
		if rec := recs[id]; rec != nil && !s.protect.Record(rec) && translate.InGroup(rec, gid) {
			p.remove = append(p.remove, id)
		}
	}
	return p, nil
}

// hectorChecks reports whether Hector's own check of a membership change
// is enough, so that it needs no read of the users: adds alone, in one
// member call (which Hector applies all or nothing: an unknown user
// refuses it whole), to a group that grants no role (nothing to settle),
// with no protected account to look for.
func (s *Service) hectorChecks(g legacyclient.Group, d translate.MemberDelta) bool {
	return len(d.Remove) == 0 && len(d.Add) <= legacyclient.MaxMembersPerCall && len(s.protect) == 0 && !s.grantsRole(g)
}

func set(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// applyGroupChange renames, re-identifies and changes the members of a
// group. The change is checked first (unknown or protected members: 400,
// nothing written); then the Hector group call, then the member calls;
// then the users are settled from their records as Hector holds them, so
// that roles and statuses follow what Hector accepted: a rename or member
// change Hector refuses leaves every role and status as it was. Every
// user the request names is settled, not only the difference, so that a
// retry whose calls landed the first time still finishes the work.
// Writing to a hand-made group (no external_id) adopts it.
func (s *Service) applyGroupChange(ctx context.Context, g legacyclient.Group, c translate.GroupChange) (legacyclient.Group, error) {
	in := legacyclient.GroupInput{Name: g.Name}
	if c.Name != nil {
		in.Name = *c.Name
	}
	sent := ""
	if c.ExternalID != nil {
		sent = *c.ExternalID
	}
	if in.ExternalID = translate.ExternalIDAfter(g.ExternalID, sent, c.ExternalID == nil); in.ExternalID == "" {
		in.ExternalID = generatedExternalID()
	}
	d := c.Members
	if d.Replace {
		current, err := s.memberIDs(ctx, g)
		if err != nil {
			return g, err
		}
		d = translate.ReplacementDelta(current, d.Set)
	}
	ix := &groupIndex{s: s} // one group listing for the whole request, if any
	now, named, err := s.writeGroupChange(ctx, g, in, d, ix)
	moved := now.Name != g.Name || now.ExternalID != g.ExternalID
	if !moved || !s.grantsRole(g) && !s.grantsRole(now) {
		return now, err
	}
	// The group call landed and moves roles: its other members are
	// settled too, even when a member call failed after it.
	if serr := s.settleMembers(ctx, groupChange{old: g, now: now}, ix, named); err == nil {
		err = serr
	}
	return now, err
}

// writeGroupChange checks and applies a change under the named users'
// locks: the group call, the member calls, and the named users' settling.
// It returns the group as Hector holds it and the named users.
func (s *Service) writeGroupChange(ctx context.Context, g legacyclient.Group, in legacyclient.GroupInput, d translate.MemberDelta, ix *groupIndex) (legacyclient.Group, map[int64]bool, error) {
	if in.Name == g.Name && in.ExternalID == g.ExternalID && s.hectorChecks(g, d) {
		return g, nil, s.memberCalls(ctx, g, d.Add, nil, nil)
	}
	defer s.locks.lockMany("user", append(slices.Clone(d.Add), d.Remove...))()
	p, err := s.planMembers(ctx, g.ID, d)
	if err != nil {
		return g, nil, err
	}
	now := g
	if in.Name != g.Name || in.ExternalID != g.ExternalID {
		if now, err = s.hector.UpdateGroup(ctx, g.ID, in); err != nil {
			return g, nil, groupErr(err, translate.IDString(g.ID))
		}
		action := "update"
		if g.ExternalID == "" {
			action = "adopt"
		}
		s.auditGroup(ctx, action, g.ID, translate.Changed("name", g.Name, now.Name), translate.Changed("external_id", g.ExternalID, now.ExternalID))
	}
	return now, set(p.named), s.applyMembers(ctx, g, now, p, ix)
}

// applyMembers makes the member calls of a checked change, then settles
// the named users from their records, whatever part of the calls Hector
// accepted; the first error is returned.
func (s *Service) applyMembers(ctx context.Context, old, now legacyclient.Group, p memberPlan, ix *groupIndex) error {
	callErr := s.memberCalls(ctx, now, p.add, p.remove, p.recs)
	c := groupChange{old: old, now: now, joined: p.joined, leaving: p.leaving}
	if len(p.named) == 0 || !s.grantsRole(old) && !s.grantsRole(now) && (now.ExternalID == "" || len(p.leaving) == 0) {
		return callErr
	}
	settleErr := s.settleNamed(ctx, c, ix, p.named)
	if callErr != nil {
		return callErr
	}
	return settleErr
}

// memberCalls makes the Hector member calls of a change; recs, when the
// change read the users anyway, give the audit lines their usernames.
func (s *Service) memberCalls(ctx context.Context, g legacyclient.Group, add, remove []int64, recs map[int64]json.RawMessage) error {
	if len(add) > 0 {
		if err := s.hector.AddMembers(ctx, g.ID, add); err != nil {
			return groupErr(err, translate.IDString(g.ID))
		}
		s.auditMembers(ctx, "add", g.ID, add, recs)
	}
	var mu sync.Mutex
	var removed []int64
	err := forEach(ctx, remove, func(ctx context.Context, uid int64) error {
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
