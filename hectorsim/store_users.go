package hectorsim

import (
	"slices"
	"time"
)

// userConflicts names the unique fields of f held by a user other than self.
func (st *Store) userConflicts(f *userFields, self int64) map[string]string {
	var taken map[string]string
	check := func(ix index, v, name string) {
		if ix.taken(v, self) {
			if taken == nil {
				taken = make(map[string]string)
			}
			taken[name] = "already taken"
		}
	}
	check(st.byUsername, f.Username, "username")
	check(st.byEmail, f.Email, "email")
	check(st.byIdentifier, f.Identifier, "identifier")
	check(st.byUserExt, f.ExternalID, "external_id")
	return taken
}

// indexUser adds (or with drop, removes) the unique values of u.
func (st *Store) indexUser(u *user, drop bool) {
	f := &u.fields
	pairs := [...]struct {
		ix index
		v  string
	}{{st.byUsername, f.Username}, {st.byEmail, f.Email}, {st.byIdentifier, f.Identifier}, {st.byUserExt, f.ExternalID}}
	for _, p := range pairs {
		if drop {
			p.ix.drop(p.v)
		} else {
			p.ix.put(p.v, u.id)
		}
	}
}

// createUser stores a new user and returns it rendered.
func (st *Store) createUser(f userFields, now time.Time) ([]byte, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if taken := st.userConflicts(&f, 0); taken != nil {
		return nil, conflict(taken)
	}
	u := &user{id: st.nextUserID, fields: f, groups: make(map[int64]struct{}), createdAt: now, updatedAt: now}
	st.nextUserID++
	st.users[u.id] = u
	st.userIDs = append(st.userIDs, u.id)
	st.indexUser(u, false)
	st.changed()
	return st.renderUser(u), nil
}

// replaceUser replaces every writable field of user id; updated_at changes
// only when something does.
func (st *Store) replaceUser(id int64, f userFields, now time.Time) ([]byte, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, ok := st.users[id]
	if !ok {
		return nil, notFound("user")
	}
	if taken := st.userConflicts(&f, id); taken != nil {
		return nil, conflict(taken)
	}
	if u.fields != f {
		st.indexUser(u, true)
		u.fields = f
		st.indexUser(u, false)
		u.updatedAt = now
		st.changed()
	}
	return st.renderUser(u), nil
}

// deleteUser removes user id and its memberships.
func (st *Store) deleteUser(id int64, now time.Time) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, ok := st.users[id]
	if !ok {
		return notFound("user")
	}
	for gid := range u.groups {
		g := st.groups[gid]
		g.members = removeSorted(g.members, id)
		g.updatedAt = now
	}
	st.indexUser(u, true)
	delete(st.users, id)
	st.userIDs = removeSorted(st.userIDs, id)
	st.changed()
	return nil
}

// getUser returns user id rendered.
func (st *Store) getUser(id int64) ([]byte, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	u, ok := st.users[id]
	if !ok {
		return nil, false
	}
	return st.renderUser(u), true
}

// hasUser reports whether user id exists.
func (st *Store) hasUser(id int64) bool {
	st.mu.RLock()
	defer st.mu.RUnlock()
	_, ok := st.users[id]
	return ok
}

// userFilter is the filters of GET /users, by query parameter name.
type userFilter struct {
	exact    map[string]string
	since    time.Time
	hasSince bool
}

// value returns the field of u that filter parameter name compares.
func (u *user) value(name string) string {
	switch name {
	case "username":
		return u.fields.Username
	case "email":
		return u.fields.Email
	case "identifier":
		return u.fields.Identifier
	case "external_id":
		return u.fields.ExternalID
	}
	return u.fields.Status
}

func (uf *userFilter) match(u *user) bool {
	if uf.hasSince && u.updatedAt.Before(uf.since) {
		return false
	}
	for name, v := range uf.exact {
		if fold(u.value(name)) != fold(v) {
			return false
		}
	}
	return true
}

// candidates returns the ids a filter can match: one at most through an
// index when a unique field is filtered on, else every id.
func (st *Store) candidates(uf *userFilter) []int64 {
	unique := [...]struct {
		name string
		ix   index
	}{{"username", st.byUsername}, {"email", st.byEmail}, {"identifier", st.byIdentifier}, {"external_id", st.byUserExt}}
	for _, u := range unique {
		if v := uf.exact[u.name]; v != "" {
			if id, ok := u.ix.owner(v); ok {
				return []int64{id}
			}
			return nil
		}
	}
	return st.userIDs
}

// listUsers renders one page of the users matching uf, and their total.
func (st *Store) listUsers(uf *userFilter, p pageReq) reply {
	st.mu.RLock()
	defer st.mu.RUnlock()
	ids := st.candidates(uf)
	if len(uf.exact) > 0 || uf.hasSince {
		matched := make([]int64, 0, min(len(ids), 64))
		for _, id := range ids {
			if uf.match(st.users[id]) {
				matched = append(matched, id)
			}
		}
		ids = matched
	}
	lo, hi := p.bounds(len(ids))
	items := make([][]byte, 0, hi-lo)
	for _, id := range ids[lo:hi] {
		items = append(items, st.renderUser(st.users[id]))
	}
	return listReply(items, p, len(ids))
}

// removeSorted deletes v from the ascending slice s, if present.
func removeSorted(s []int64, v int64) []int64 {
	if i, ok := slices.BinarySearch(s, v); ok {
		return slices.Delete(s, i, i+1)
	}
	return s
}
