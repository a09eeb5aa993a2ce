package hectorsim

import (
	"slices"
	"time"
)

// addMembers adds the users ids (ascending, unique) to group gid, all or
// nothing. Users already members are left untouched.
func (st *Store) addMembers(gid int64, ids []int64, now time.Time) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	g, ok := st.groups[gid]
	if !ok {
		return notFound("group")
	}
	var unknown, added []int64
	for _, id := range ids {
		u, ok := st.users[id]
		switch {
		case !ok:
			unknown = append(unknown, id)
		case !isMember(u, gid):
			added = append(added, id)
		}
	}
	if unknown != nil {
		return unknownUsers(unknown)
	}
	if len(added) == 0 {
		return nil
	}
	for _, id := range added {
		u := st.users[id]
		u.groups[gid] = struct{}{}
		u.updatedAt = now
	}
	g.members = mergeSorted(g.members, added)
	g.updatedAt = now
	st.changed()
	return nil
}

// removeMember removes user uid from group gid; not being a member, or not
// existing, is not an error.
func (st *Store) removeMember(gid, uid int64, now time.Time) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	g, ok := st.groups[gid]
	if !ok {
		return notFound("group")
	}
	u, ok := st.users[uid]
	if !ok || !isMember(u, gid) {
		return nil
	}
	delete(u.groups, gid)
	u.updatedAt = now
	g.members = removeSorted(g.members, uid)
	g.updatedAt = now
	st.changed()
	return nil
}

// listMembers renders one page of the members of group gid.
func (st *Store) listMembers(gid int64, p pageReq) (reply, *apiError) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	g, ok := st.groups[gid]
	if !ok {
		return reply{}, notFound("group")
	}
	lo, hi := p.bounds(len(g.members))
	items := make([][]byte, 0, hi-lo)
	for _, uid := range g.members[lo:hi] {
		items = append(items, renderMember(uid, st.users[uid].fields.Username))
	}
	return listReply(items, p, len(g.members)), nil
}

func isMember(u *user, gid int64) bool {
	_, ok := u.groups[gid]
	return ok
}

// mergeSorted returns the union of the ascending slice s and the ascending
// ids add, none of which is in s. It merges in place from the back, in
// O(len(s)+len(add)) with no copy beyond the slice's amortized growth;
// appending past the end moves nothing.
func mergeSorted(s, add []int64) []int64 {
	n := len(s)
	s = append(s, add...)
	if n == 0 || s[n-1] < add[0] {
		return s
	}
	i, j := n-1, len(add)-1
	for k := len(s) - 1; j >= 0; k-- {
		if i >= 0 && s[i] > add[j] {
			s[k] = s[i]
			i--
		} else {
			s[k] = add[j]
			j--
		}
	}
	return s
}

// memberIDs returns a copy of the member ids of group gid.
func (st *Store) memberIDs(gid int64) []int64 {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if g, ok := st.groups[gid]; ok {
		return slices.Clone(g.members)
	}
	return nil
}
