package provision

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"sync"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
)

// Snapshot is one read of every Hector user and group, for scim-report.
// Pages are read concurrently while Hector may change: a user created or
// deleted during the read may be missing or present, never twice.
type Snapshot struct {
	// Users are the raw user records, by id.
	Users []json.RawMessage
	// Groups are the groups, by id.
	Groups []translate.Group
}

// Progress is how far a Snapshot has read: records read and Hector's
// totals (0 until the first page of each answered).
type Progress struct {
	Users, UsersTotal, Groups, GroupsTotal int
}

// Snapshot reads every user and group, 100 a page. The first page of each
// list tells its total; the other pages are read concurrently (a few at a
// time, users and groups together), within the legacy client's rate limit
// and in-flight cap. userName, when not "", narrows the users to that one
// (Hector's exact, case-insensitive username filter). progress, when not
// nil, is called after every page, never concurrently.
func (s *Service) Snapshot(ctx context.Context, userName string, progress func(Progress)) (*Snapshot, error) {
	var uq legacyclient.UserQuery
	if userName != "" {
		uq.Equal = map[string]string{"username": userName}
	}
	var (
		mu   sync.Mutex
		p    Progress
		snap Snapshot
	)
	report := func(update func(*Progress)) {
		mu.Lock()
		defer mu.Unlock()
		update(&p)
		if progress != nil {
			progress(p)
		}
	}
	var users []json.RawMessage
	var uerr, gerr error
	var wg sync.WaitGroup
	wg.Go(func() {
		users, uerr = readPages(ctx, func(ctx context.Context, page int) ([]json.RawMessage, int, error) {
			pg, err := s.hector.ListUsers(ctx, uq, page, translate.MaxResults)
			if err == nil {
				report(func(p *Progress) { p.Users += len(pg.Users); p.UsersTotal = pg.Total })
			}
			return pg.Users, pg.Total, err
		})
	})
	wg.Go(func() {
		var gs []legacyclient.Group
		gs, gerr = readPages(ctx, func(ctx context.Context, page int) ([]legacyclient.Group, int, error) {
			pg, err := s.hector.ListGroups(ctx, legacyclient.GroupQuery{}, page, translate.MaxResults)
			if err == nil {
				report(func(p *Progress) { p.Groups += len(pg.Groups); p.GroupsTotal = pg.Total })
			}
			return pg.Groups, pg.Total, err
		})
		for _, g := range gs {
			snap.Groups = append(snap.Groups, group(g))
		}
	})
	wg.Wait()
	if err := cmp.Or(uerr, gerr); err != nil {
		return nil, err
	}
	snap.Users = uniqueByID(users, func(rec json.RawMessage) int64 { return translate.RecordID(rec) })
	snap.Groups = uniqueByID(snap.Groups, func(g translate.Group) int64 { return g.ID })
	return &snap, nil
}

// readPages reads page 1, then every further page its total calls for,
// concurrently, and returns the items in page order.
func readPages[T any](ctx context.Context, fetch func(context.Context, int) ([]T, int, error)) ([]T, error) {
	first, total, err := fetch(ctx, 1)
	if err != nil {
		return nil, err
	}
	per := max(len(first), 1)
	pages := make([][]T, (total+per-1)/per)
	if len(pages) == 0 {
		return first, nil
	}
	pages[0] = first
	rest := make([]int64, 0, len(pages)-1)
	for n := 2; n <= len(pages); n++ {
		rest = append(rest, int64(n))
	}
	err = forEach(ctx, rest, func(ctx context.Context, n int64) error {
		items, _, err := fetch(ctx, int(n))
		pages[n-1] = items // each worker writes its own element
		return err
	})
	if err != nil {
		return nil, err
	}
	return slices.Concat(pages...), nil
}

// uniqueByID sorts items by id and drops repeats (a record that moved
// from one page to the next while they were read). id is called once per
// item.
func uniqueByID[T any](items []T, id func(T) int64) []T {
	type keyed struct {
		id   int64
		item T
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		ks[i] = keyed{id(it), it}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return cmp.Compare(a.id, b.id) })
	ks = slices.CompactFunc(ks, func(a, b keyed) bool { return a.id == b.id })
	out := make([]T, len(ks))
	for i, k := range ks {
		out[i] = k.item
	}
	return out
}
