package translate

import "strings"

// This file holds the trust boundaries of the bridge: which accounts it
// may touch (protected ones never), and the external_id that keeps what
// the IdP writes managed.

// Protected is the set of usernames SCIM never sees or touches
// (break-glass accounts), compared as Hector compares usernames.
type Protected map[string]bool

// NewProtected builds the set from usernames.
func NewProtected(usernames []string) Protected {
	p := Protected{}
	for _, u := range usernames {
		if u != "" {
			p[strings.ToLower(u)] = true
		}
	}
	return p
}

// Has reports whether username is protected.
func (p Protected) Has(username string) bool {
	return len(p) > 0 && p[strings.ToLower(username)]
}

// Record reports whether a Hector user record is a protected account.
func (p Protected) Record(rec []byte) bool {
	return len(p) > 0 && p.Has(Username(rec))
}

// ExternalIDAfter decides the external_id a write by the IdP leaves on a
// user or group, so that whatever the IdP writes to is managed: the value
// the IdP sends, when it sends one; otherwise the stored one when the
// write keeps it (keep: a PUT without externalId, a PATCH that does not
// name it) or when it is one the bridge generated. "" means a new
// generated one is needed: the record is hand-made (adopted by this
// write) or the IdP cleared its own key.
func ExternalIDAfter(stored, sent string, keep bool) string {
	switch {
	case sent != "":
		return sent
	case keep || IsGenerated(stored):
		return stored
	}
	return ""
}
