package filter

import (
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// TestEqEmpty: an absent value counts as empty (the bridge renders
// Hector's empty values as absent), so `eq ""` matches only empty or
// absent values and `ne ""` only present ones; a multi-valued attribute
// with no element has no value to compare.
func TestEqEmpty(t *testing.T) {
	runMatch(t, schema.User, decode(t, userJSON), []matchCase{
		{`userName eq ""`, false},
		{`nickName eq ""`, true},
		{`profileUrl eq ""`, true},
		{`profileUrl ne ""`, false},
		{`title ne ""`, true},
		{`title eq ""`, false},
		{`name.middleName eq ""`, true},
		{`name.givenName eq ""`, false},
		{`addresses.locality eq ""`, false},
		{`emails[type eq "work"].value eq ""`, false},
		{`emails[type eq "other"].value eq ""`, false},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter eq ""`, true},
		{`active eq false`, false},
	})
	runMatch(t, schema.Group, decode(t, `{"id":"7","displayName":"Engineering"}`), []matchCase{
		{`externalId eq ""`, true},
		{`displayName eq ""`, false},
		{`members.value eq ""`, false},
	})
}
