package hectorsim

import (
	"encoding/json"
)

// Users returns every user as the API renders it (the object inside
// "data"), by id ascending. It bypasses HTTP, auth, faults and rate limit.
func (s *Server) Users() []json.RawMessage {
	st := s.store
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]json.RawMessage, 0, len(st.userIDs))
	for _, id := range st.userIDs {
		out = append(out, st.renderUser(st.users[id]))
	}
	return out
}

// User returns user id as the API renders it, and whether it exists.
func (s *Server) User(id int64) (json.RawMessage, bool) {
	return s.store.getUser(id)
}

// Groups returns every group as the API renders it, by id ascending.
func (s *Server) Groups() []json.RawMessage {
	st := s.store
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]json.RawMessage, 0, len(st.grpIDs))
	for _, id := range st.grpIDs {
		out = append(out, renderGroup(st.groups[id]))
	}
	return out
}

// Members returns the user ids of group groupID, ascending; nil for an
// unknown group.
func (s *Server) Members(groupID int64) []int64 {
	return s.store.memberIDs(groupID)
}

// Store returns the state the server serves.
func (s *Server) Store() *Store { return s.store }
