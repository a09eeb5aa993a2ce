package hectorsim

import (
	"time"
)

// groupConflicts names the unique fields held by a group other than self.
func (st *Store) groupConflicts(name, externalID string, self int64) map[string]string {
	taken := make(map[string]string)
	if st.byGroupName.taken(name, self) {
		taken["name"] = "already taken"
	}
	if st.byGroupExt.taken(externalID, self) {
		taken["external_id"] = "already taken"
	}
	if len(taken) == 0 {
		return nil
	}
	return taken
}

// createGroup stores a new group and returns it rendered.
func (st *Store) createGroup(name, externalID string, now time.Time) ([]byte, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if taken := st.groupConflicts(name, externalID, 0); taken != nil {
		return nil, conflict(taken)
	}
	g := &group{id: st.nextGroupID, name: name, externalID: externalID, createdAt: now, updatedAt: now}
	st.nextGroupID++
	st.groups[g.id] = g
	st.grpIDs = append(st.grpIDs, g.id)
	st.byGroupName.put(name, g.id)
	st.byGroupExt.put(externalID, g.id)
	st.changed()
	return renderGroup(g), nil
}

// replaceGroup replaces the name and external_id of group id.
func (st *Store) replaceGroup(id int64, name, externalID string, now time.Time) ([]byte, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	g, ok := st.groups[id]
	if !ok {
		return nil, notFound("group")
	}
	if taken := st.groupConflicts(name, externalID, id); taken != nil {
		return nil, conflict(taken)
	}
	if g.name != name || g.externalID != externalID {
		st.byGroupName.drop(g.name)
		st.byGroupExt.drop(g.externalID)
		g.name, g.externalID = name, externalID
		st.byGroupName.put(name, id)
		st.byGroupExt.put(externalID, id)
		g.updatedAt = now
		st.changed()
	}
	return renderGroup(g), nil
}

// deleteGroup removes group id; its members lose the membership.
func (st *Store) deleteGroup(id int64, now time.Time) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	g, ok := st.groups[id]
	if !ok {
		return notFound("group")
	}
	for _, uid := range g.members {
		u := st.users[uid]
		delete(u.groups, id)
		u.updatedAt = now
	}
	st.byGroupName.drop(g.name)
	st.byGroupExt.drop(g.externalID)
	delete(st.groups, id)
	st.grpIDs = removeSorted(st.grpIDs, id)
	st.changed()
	return nil
}

// getGroup returns group id rendered.
func (st *Store) getGroup(id int64) ([]byte, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	g, ok := st.groups[id]
	if !ok {
		return nil, false
	}
	return renderGroup(g), true
}

// hasGroup reports whether group id exists.
func (st *Store) hasGroup(id int64) bool {
	st.mu.RLock()
	defer st.mu.RUnlock()
	_, ok := st.groups[id]
	return ok
}

// listGroups renders one page of the groups matching the exact,
// case-insensitive filters name and external_id.
func (st *Store) listGroups(filters map[string]string, p pageReq) reply {
	st.mu.RLock()
	defer st.mu.RUnlock()
	ids := st.grpIDs
	if len(filters) > 0 {
		ids = nil
		for _, id := range st.groupCandidates(filters) {
			g := st.groups[id]
			if v, ok := filters["name"]; ok && fold(g.name) != fold(v) {
				continue
			}
			if v, ok := filters["external_id"]; ok && fold(g.externalID) != fold(v) {
				continue
			}
			ids = append(ids, id)
		}
	}
	lo, hi := p.bounds(len(ids))
	items := make([][]byte, 0, hi-lo)
	for _, id := range ids[lo:hi] {
		items = append(items, renderGroup(st.groups[id]))
	}
	return listReply(items, p, len(ids))
}

// groupCandidates narrows a filtered group scan through the indexes.
func (st *Store) groupCandidates(filters map[string]string) []int64 {
	unique := [...]struct {
		name string
		ix   index
	}{{"name", st.byGroupName}, {"external_id", st.byGroupExt}}
	for _, u := range unique {
		if v := filters[u.name]; v != "" {
			if id, ok := u.ix.owner(v); ok {
				return []int64{id}
			}
			return nil
		}
	}
	return st.grpIDs
}
