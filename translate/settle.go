package translate

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hector-scim/hector-scim/legacyclient"
)

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// groupAffectsUsers reports whether deleting group g (named name) changes
// anything on its members: it grants a role, or it is synchronized.
func (s *Service) groupAffectsUsers(name string, g legacyclient.Group) bool {
	return (s.cfg.Roles.Enabled() && s.cfg.Roles.Grants(name)) || g.ExternalID != ""
}

// fetchUsers reads the Hector records of ids, with whichever costs fewer
// calls: one GET per user, or a scan of every user 100 a page. Unknown ids
// are absent from the result.
func (s *Service) fetchUsers(ctx context.Context, ids []int64) (map[int64]json.RawMessage, error) {
	want := make(map[int64]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	out := make(map[int64]json.RawMessage, len(want))
	if len(want) > MaxResults {
		page, err := s.hector.ListUsers(ctx, legacyclient.UserQuery{}, 1, 1)
		if err != nil {
			return nil, err
		}
		if (page.Total+MaxResults-1)/MaxResults < len(want) {
			return out, s.scanAllUsers(ctx, func(id int64, rec json.RawMessage) {
				if want[id] {
					out[id] = rec
				}
			})
		}
	}
	var mu sync.Mutex
	uniq := make([]int64, 0, len(want))
	for id := range want {
		uniq = append(uniq, id)
	}
	slices.Sort(uniq)
	err := forEach(ctx, uniq, func(ctx context.Context, id int64) error {
		rec, err := s.hector.GetUser(ctx, id)
		if legacyclient.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		mu.Lock()
		out[id] = rec
		mu.Unlock()
		return nil
	})
	return out, err
}

func (s *Service) scanAllUsers(ctx context.Context, fn func(int64, json.RawMessage)) error {
	for rec, err := range s.hector.Users(ctx, legacyclient.UserQuery{}) {
		if err != nil {
			return err
		}
		fn(recID(rec), rec)
	}
	return nil
}

func recID(rec []byte) int64 {
	var v struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal(rec, &v)
	return v.ID
}

// memberRecords calls fn for each member of group g with their Hector
// record, read again under the member's lock so that a concurrent PATCH of
// the same user in this process is never overwritten. Members are found
// through the member list, or by scanning every user when that costs
// fewer calls; fn runs for several members at once.
func (s *Service) memberRecords(ctx context.Context, g legacyclient.Group, fn func(int64, json.RawMessage) error) error {
	ids, err := s.memberIDs(ctx, g)
	if err != nil {
		return err
	}
	return forEach(ctx, ids, func(ctx context.Context, uid int64) error {
		defer s.locks.lock("user", uid)()
		rec, err := s.hector.GetUser(ctx, uid)
		if legacyclient.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(uid, rec)
	})
}

// memberIDs lists the ids of group g's members.
func (s *Service) memberIDs(ctx context.Context, g legacyclient.Group) ([]int64, error) {
	var ids []int64
	for m, err := range s.hector.Members(ctx, g.ID) {
		if err != nil {
			return nil, err
		}
		ids = append(ids, m.ID)
	}
	return ids, nil
}

// settleRename recomputes the roles of a role group's members when it is
// renamed, before the rename is written.
func (s *Service) settleRename(ctx context.Context, g legacyclient.Group, newName string) error {
	return s.memberRecords(ctx, g, func(uid int64, rec json.RawMessage) error {
		before := groupNames(rec, 0)
		after := make([]string, 0, len(before))
		for _, n := range before {
			if strings.EqualFold(n, g.Name) {
				n = newName
			}
			after = append(after, n)
		}
		return s.settleUser(ctx, uid, rec, before, after, settlement{roles: true})
	})
}

// settleDeletion applies to every member what leaving the group means,
// before the group is deleted.
func (s *Service) settleDeletion(ctx context.Context, g legacyclient.Group) error {
	st := settlement{roles: s.cfg.Roles.Enabled() && s.cfg.Roles.Grants(g.Name), leaving: g.ID}
	if g.ExternalID != "" {
		st.sync = &syncSet{s: s}
	}
	return s.memberRecords(ctx, g, func(uid int64, rec json.RawMessage) error {
		return s.settleUser(ctx, uid, rec, groupNames(rec, 0), groupNames(rec, g.ID), st)
	})
}
