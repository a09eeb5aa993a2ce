package schema

import "testing"

func TestLookup(t *testing.T) {
	tests := []struct {
		uri, name, sub string
		want           Result
		path           string
	}{
		{"", "userName", "", Found, "userName"},
		{"", "USERNAME", "", Found, "userName"},
		{"", "name", "GivenName", Found, "name.givenName"},
		{UserURN, "title", "", Found, "title"},
		{EnterpriseURN, "employeeNumber", "", Found, EnterpriseURN + ":employeeNumber"},
		{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:user", "manager", "value", Found, EnterpriseURN + ":manager.value"},
		{"", "id", "", Found, "id"},
		{"", "meta", "lastModified", Found, "meta.lastModified"},
		{"", "favoriteColor", "", Unknown, ""},
		{"", "title", "x", Unknown, ""},
		{"urn:ietf:params:scim:schemas:extension:Custom:2.0:User", "badge", "", Ignored, ""},
		{"notaurn", "title", "", Unknown, ""},
	}
	for _, tt := range tests {
		ref, got := User.Lookup(tt.uri, tt.name, tt.sub)
		if got != tt.want {
			t.Errorf("Lookup(%q, %q, %q) = %v, want %v", tt.uri, tt.name, tt.sub, got, tt.want)
			continue
		}
		if got == Found && ref.Path() != tt.path {
			t.Errorf("Lookup(%q, %q, %q).Path() = %q, want %q", tt.uri, tt.name, tt.sub, ref.Path(), tt.path)
		}
	}
}

func TestSplitURN(t *testing.T) {
	tests := []struct{ path, uri, rest string }{
		{EnterpriseURN + ":manager", EnterpriseURN, "manager"},
		{"URN:IETF:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", EnterpriseURN, "employeeNumber"},
		{EnterpriseURN, EnterpriseURN, ""},
		{UserURN + ":name.givenName", UserURN, "name.givenName"},
	}
	for _, tt := range tests {
		uri, rest, ok := User.SplitURN(tt.path)
		if !ok || uri != tt.uri || rest != tt.rest {
			t.Errorf("SplitURN(%q) = %q, %q, %v; want %q, %q, true", tt.path, uri, rest, ok, tt.uri, tt.rest)
		}
	}
	if _, _, ok := User.SplitURN("name.givenName"); ok {
		t.Errorf("SplitURN of a plain path: got ok, want not")
	}
	if _, _, ok := User.SplitURN(EnterpriseURN + "x"); ok {
		t.Errorf("SplitURN of a URN prefix without a colon: got ok, want not")
	}
}
