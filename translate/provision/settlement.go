package provision

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
)

// groupRef is what the role rules see of a Hector group.
func groupRef(g legacyclient.Group) translate.GroupRef {
	return translate.GroupRef{ID: g.ID, Name: g.Name, ExternalID: g.ExternalID}
}

// groupChange is a change of one group that Hector applied (or partly
// applied), for settling its users: the group before and after, and the
// users the request named as joining and leaving it.
type groupChange struct {
	old, now        legacyclient.Group
	joined, leaving map[int64]bool
}

// rules are the role rules that apply to the change: none when the group
// grants no role before or after it, so that only statuses are settled.
func (s *Service) rules(c groupChange) translate.Roles {
	if s.grantsRole(c.old) || s.grantsRole(c.now) {
		return s.cfg.Roles
	}
	return translate.Roles{}
}

// settleUser writes one user's role and status after a group change, as
// translate decides them from the user's record as Hector holds it now:
// roles and statuses follow what Hector accepted. Hand-made accounts are
// never changed.
func (s *Service) settleUser(ctx context.Context, c groupChange, ix *groupIndex, uid int64, rec json.RawMessage) error {
	roles := s.rules(c)
	st := translate.Settlement{
		Role: translate.Role(rec), Status: translate.Status(rec), Managed: translate.Managed(rec),
		Left: c.leaving[uid] && c.now.ExternalID != "",
	}
	if !st.Managed || s.protect.Record(rec) {
		return nil
	}
	after, err := ix.refs(ctx, rec, c.now, roles.ByID() || st.Left)
	if err != nil {
		return err
	}
	st.After = after
	st.Before = translate.GroupsBefore(after, groupRef(c.old), c.joined[uid], c.leaving[uid])
	fields := roles.Settle(st)
	if fields == nil {
		return nil
	}
	_, err = s.writeRecord(ctx, rec, fields, "update")
	return err
}

// settleNamed settles the users a group change named, from their records
// read again after the Hector calls.
func (s *Service) settleNamed(ctx context.Context, c groupChange, ix *groupIndex, named []int64) error {
	recs, err := s.fetchUsers(ctx, named)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(recs))
	for id := range recs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return forEach(ctx, ids, func(ctx context.Context, uid int64) error {
		return s.settleUser(ctx, c, ix, uid, recs[uid])
	})
}

// settleMembers settles every member of the group but those in skip (the
// users the request named, settled already), each read under their lock:
// after a rename or a change of external_id that moves roles.
func (s *Service) settleMembers(ctx context.Context, c groupChange, ix *groupIndex, skip map[int64]bool) error {
	return s.memberRecords(ctx, c.now, skip, func(uid int64, rec json.RawMessage) error {
		return s.settleUser(ctx, c, ix, uid, rec)
	})
}

// settleDeletion applies to every member what leaving the group means,
// before the group is deleted: once Hector has deleted a group it no
// longer knows its members, so only this order lets a retry after a
// failure finish the work. (Hector refuses a deletion only for a group
// that is gone, whose members have left it anyway.)
func (s *Service) settleDeletion(ctx context.Context, g legacyclient.Group) error {
	ix := &groupIndex{s: s}
	rules := translate.Roles{}
	if s.grantsRole(g) {
		rules = s.cfg.Roles
	}
	return s.memberRecords(ctx, g, nil, func(uid int64, rec json.RawMessage) error {
		if !translate.Managed(rec) || s.protect.Record(rec) {
			return nil
		}
		left := g.ExternalID != ""
		now, err := ix.refs(ctx, rec, g, rules.ByID() || left)
		if err != nil {
			return err
		}
		after := slices.DeleteFunc(slices.Clone(now), func(r translate.GroupRef) bool { return r.ID == g.ID })
		fields := rules.Settle(translate.Settlement{
			Role: translate.Role(rec), Status: translate.Status(rec), Managed: true,
			Before: now, After: after, Left: left,
		})
		if fields == nil {
			return nil
		}
		_, err = s.writeRecord(ctx, rec, fields, "update")
		return err
	})
}

// groupIndex lazily learns every Hector group's external_id, with one
// paged listing per request: a user's record names their groups but not
// their external_ids, which say whether a group is synchronized and which
// groups the role rules bind by id.
type groupIndex struct {
	s    *Service
	once sync.Once
	ext  map[int64]string
	err  error
}

// refs returns a user's groups with g as it is now and, when resolve is
// set, every other group's external_id.
func (ix *groupIndex) refs(ctx context.Context, rec []byte, g legacyclient.Group, resolve bool) ([]translate.GroupRef, error) {
	refs := translate.WithGroup(translate.GroupRefs(rec), groupRef(g))
	if !resolve {
		return refs, nil
	}
	ix.once.Do(func() {
		ix.ext = map[int64]string{}
		for grp, err := range ix.s.hector.Groups(ctx, legacyclient.GroupQuery{}) {
			if err != nil {
				ix.err = err
				return
			}
			ix.ext[grp.ID] = grp.ExternalID
		}
	})
	if ix.err != nil {
		return nil, ix.err
	}
	for i := range refs {
		if refs[i].ID != g.ID {
			refs[i].ExternalID = ix.ext[refs[i].ID]
		}
	}
	return refs, nil
}
