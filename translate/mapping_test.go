package translate

import (
	"reflect"
	"strings"
	"testing"
)

func TestToHectorFallbacks(t *testing.T) {
	m, err := NewMapping(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		doc  string
		want map[string]any
	}{
		{"work email and employee number win",
			`{"userName":"ada@x","emails":[{"value":"home@x","type":"home","primary":true},{"value":"work@x","type":"work"}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"E1"}}`,
			map[string]any{"username": "ada@x", "email": "work@x", "identifier": "E1"}},
		{"primary email when no work email",
			`{"userName":"ada@x","emails":[{"value":"other@x","type":"other"},{"value":"home@x","type":"home","primary":true}]}`,
			map[string]any{"email": "home@x", "identifier": "ada@x"}},
		{"userName when no email at all (the UPN)",
			`{"userName":"ada@x"}`,
			map[string]any{"email": "ada@x", "identifier": "ada@x", "status": nil, "first_name": ""}},
		{"active maps to status", `{"userName":"a","active":false}`, map[string]any{"status": "disabled"}},
		{"preferredLanguage before locale", `{"userName":"a","locale":"fr-FR","preferredLanguage":"en-CA"}`, map[string]any{"locale": "en-CA"}},
		{"locale when no preferredLanguage", `{"userName":"a","locale":"fr-FR"}`, map[string]any{"locale": "fr-FR"}},
		{"work phone only", `{"userName":"a","phoneNumbers":[{"value":"m","type":"mobile"},{"value":"w","type":"work"}]}`, map[string]any{"phone": "w"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.ToHector(doc(t, tt.doc))
			for k, want := range tt.want {
				if got[k] != want {
					t.Errorf("got %s = %#v, want %#v", k, got[k], want)
				}
			}
		})
	}
}

func TestFromHectorReportsWhatIsStored(t *testing.T) {
	m, _ := NewMapping(nil)
	raw := []byte(`{"id":7,"username":"Ada@X","email":"ada@x","identifier":"ada@x","first_name":"Ada","last_name":"","external_id":null,"status":"disabled","title":"","department":"R&D","phone":"+1 (555) 0100","locale":"en-CA","role":"staff"}`)
	got := m.FromHector(raw)
	want := doc(t, `{"userName":"Ada@X","emails":[{"type":"work","value":"ada@x"}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"ada@x","department":"R&D"},"name":{"givenName":"Ada"},"active":false,"phoneNumbers":[{"type":"work","value":"+1 (555) 0100"}],"preferredLanguage":"en-CA"}`)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

func TestUserFieldOverrides(t *testing.T) {
	m, err := NewMapping([]Line{
		{Field: "locale", Sources: []string{"locale"}},
		{Field: "nickname", Sources: []string{"nickName"}},
		{Field: "profile.cost_center", Sources: []string{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := m.ToHector(doc(t, `{"userName":"a","preferredLanguage":"en","locale":"fr","nickName":"Al","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"costCenter":"CC1"}}`))
	for k, want := range map[string]string{"locale": "fr", "nickname": "Al", "profile.cost_center": "CC1"} {
		if got[k] != want {
			t.Errorf("got %s = %v, want %q", k, got[k], want)
		}
	}
	if !m.Stores("nickName") || m.Stores("preferredLanguage") {
		t.Errorf("Stores: got nickName %v, preferredLanguage %v; want true, false", m.Stores("nickName"), m.Stores("preferredLanguage"))
	}
}

func TestBadMappingLines(t *testing.T) {
	for _, l := range []Line{
		{Field: "nickname", Sources: []string{"favoriteColor"}},
		{Field: "a..b", Sources: []string{"title"}},
		{Field: "x|y", Sources: []string{"title"}},
		{Field: "title"},
		{Field: "x", Sources: []string{"name"}},
		{Field: "x", Sources: []string{"emails"}},
		{Field: "x", Sources: []string{"meta.created"}},
		{Field: "x", Sources: []string{"urn:ietf:params:scim:schemas:extension:Custom:2.0:User:a"}},
	} {
		if _, err := NewMapping([]Line{l}); err == nil || !strings.HasPrefix(err.Error(), "mapping:") {
			t.Errorf("NewMapping(%v): got %v, want a mapping error", l, err)
		}
	}
}
