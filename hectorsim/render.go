package hectorsim

import (
	"bytes"
	"encoding/json"
	"slices"
	"time"
)

// userJSON is a user as the API renders it.
type userJSON struct {
	ID         int64      `json:"id"`
	Username   string     `json:"username"`
	Email      string     `json:"email"`
	Identifier string     `json:"identifier"`
	FirstName  string     `json:"first_name"`
	LastName   string     `json:"last_name"`
	ExternalID *string    `json:"external_id"`
	Status     string     `json:"status"`
	Role       string     `json:"role"`
	Title      string     `json:"title"`
	Department string     `json:"department"`
	Phone      string     `json:"phone"`
	Locale     string     `json:"locale"`
	Groups     []groupRef `json:"groups"`
	CreatedAt  string     `json:"created_at"`
	UpdatedAt  string     `json:"updated_at"`
}

// groupRef is one entry of a user's groups.
type groupRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// groupJSON is a group as the API renders it.
type groupJSON struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	ExternalID  *string `json:"external_id"`
	MemberCount int     `json:"member_count"`
	CreatedAt   string  `json:"created_at"`
	UpdatedAt   string  `json:"updated_at"`
}

// memberJSON is one entry of a group's member list.
type memberJSON struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
}

// roleJSON is one entry of GET /roles.
type roleJSON struct {
	Name string `json:"name"`
}

// stamp renders a timestamp: RFC 3339, UTC, whole seconds.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// clock returns now as stored: UTC, truncated to whole seconds.
func clock(now time.Time) time.Time { return now.UTC().Truncate(time.Second) }

// nullable renders an empty string as null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// renderUser renders u; the caller holds the lock.
func (st *Store) renderUser(u *user) []byte {
	refs := make([]groupRef, 0, len(u.groups))
	for gid := range u.groups {
		refs = append(refs, groupRef{ID: gid, Name: st.groups[gid].name})
	}
	slices.SortFunc(refs, func(a, b groupRef) int { return cmpInt(a.ID, b.ID) })
	f := &u.fields
	return marshal(userJSON{
		ID: u.id, Username: f.Username, Email: f.Email, Identifier: f.Identifier,
		FirstName: f.FirstName, LastName: f.LastName, ExternalID: nullable(f.ExternalID),
		Status: f.Status, Role: f.Role, Title: f.Title, Department: f.Department,
		Phone: f.Phone, Locale: f.Locale, Groups: refs,
		CreatedAt: stamp(u.createdAt), UpdatedAt: stamp(u.updatedAt),
	})
}

// renderGroup renders g.
func renderGroup(g *group) []byte {
	return marshal(groupJSON{
		ID: g.id, Name: g.name, ExternalID: nullable(g.externalID),
		MemberCount: len(g.members),
		CreatedAt:   stamp(g.createdAt), UpdatedAt: stamp(g.updatedAt),
	})
}

// renderMember renders one entry of a member list.
func renderMember(id int64, username string) []byte {
	return marshal(memberJSON{ID: id, Username: username})
}

// renderRole renders one entry of GET /roles.
func renderRole(name string) []byte {
	return marshal(roleJSON{Name: name})
}

// marshal renders v as JSON without HTML escaping ("R&D" stays "R&D").
// The values rendered here cannot fail to encode.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
