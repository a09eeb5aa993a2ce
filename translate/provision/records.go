package provision

import (
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
)

// fetchUsers reads the Hector records of ids, with whichever costs fewer
// calls: one GET per user, or a scan of every user 100 a page. Unknown ids
// are absent from the result.
func (s *Service) fetchUsers(ctx context.Context, ids []int64) (map[int64]json.RawMessage, error) {
	want := make(map[int64]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	out := make(map[int64]json.RawMessage, len(want))
	if len(want) > translate.MaxResults {
		page, err := s.hector.ListUsers(ctx, legacyclient.UserQuery{}, 1, 1)
		if err != nil {
			return nil, err
		}
		if (page.Total+translate.MaxResults-1)/translate.MaxResults < len(want) {
			for rec, err := range s.hector.Users(ctx, legacyclient.UserQuery{}) {
				if err != nil {
					return nil, err
				}
				if id := translate.RecordID(rec); want[id] {
					out[id] = rec
				}
			}
			return out, nil
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

// memberIDs lists the ids of group g's members that SCIM sees (protected
// accounts left out).
func (s *Service) memberIDs(ctx context.Context, g legacyclient.Group) ([]int64, error) {
	var ids []int64
	for m, err := range s.hector.Members(ctx, g.ID) {
		if err != nil {
			return nil, err
		}
		if !s.protect.Has(m.Username) {
			ids = append(ids, m.ID)
		}
	}
	return ids, nil
}

// memberRecords calls fn for each member of group g (but those in skip,
// and protected accounts) with their Hector record, read again under the
// member's lock so that a concurrent PATCH of the same user in this
// process is never overwritten; fn runs for several members at once.
func (s *Service) memberRecords(ctx context.Context, g legacyclient.Group, skip map[int64]bool, fn func(int64, json.RawMessage) error) error {
	ids, err := s.memberIDs(ctx, g)
	if err != nil {
		return err
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { return skip[id] })
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
