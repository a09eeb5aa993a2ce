package filter

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

var parsePathTests = []struct {
	in   string
	rt   *schema.ResourceType
	want string // canonical String
	attr string // Ref.Path() without the value filter; "" when Ref.Attr is nil
	vf   string // the value filter, or ""
	sub  string // the sub-attribute after the value filter, or ""
}{
	{`userName`, schema.User, `userName`, `userName`, ``, ``},
	{`emails[type eq "work"].value`, schema.User, `emails[type eq "work"].value`, `emails`, `type eq "work"`, `value`},
	{`name.familyName`, schema.User, `name.familyName`, `name.familyName`, ``, ``},
	{`name.givenName`, schema.User, `name.givenName`, `name.givenName`, ``, ``},
	{`displayName`, schema.User, `displayName`, `displayName`, ``, ``},
	{`externalId`, schema.User, `externalId`, `externalId`, ``, ``},
	{ent + `:employeeNumber`, schema.User, ent + `:employeeNumber`, ent + `:employeeNumber`, ``, ``},
	{`nickName`, schema.User, `nickName`, `nickName`, ``, ``},
	{`active`, schema.User, `active`, `active`, ``, ``},
	{ent + `:manager`, schema.User, ent + `:manager`, ent + `:manager`, ``, ``},
	{`manager`, schema.User, ent + `:manager`, ent + `:manager`, ``, ``},
	{`manager[value eq "2819c223-7f76-453a-919d-413861904646"]`, schema.User, ent + `:manager[value eq "2819c223-7f76-453a-919d-413861904646"]`, ent + `:manager`, `value eq "2819c223-7f76-453a-919d-413861904646"`, ``},
	{ent + `:manager.value`, schema.User, ent + `:manager.value`, ent + `:manager.value`, ``, ``},
	{`roles`, schema.User, `roles`, `roles`, ``, ``},
	{`title`, schema.User, `title`, `title`, ``, ``},
	{`phoneNumbers[type eq "mobile"].value`, schema.User, `phoneNumbers[type eq "mobile"].value`, `phoneNumbers`, `type eq "mobile"`, `value`},
	{`addresses[type eq "work"].formatted`, schema.User, `addresses[type eq "work"].formatted`, `addresses`, `type eq "work"`, `formatted`},
	{`addresses[type eq "work"].locality`, schema.User, `addresses[type eq "work"].locality`, `addresses`, `type eq "work"`, `locality`},
	{`emails[type eq "other"].Value`, schema.User, `emails[type eq "other"].value`, `emails`, `type eq "other"`, `value`},
	{`addresses[Type EQ "work"].Formatted`, schema.User, `addresses[type eq "work"].formatted`, `addresses`, `type eq "work"`, `formatted`},
	{`roles[primary eq "True"].value`, schema.User, `roles[primary eq true].value`, `roles`, `primary eq true`, `value`},
	{`emails[type eq work].value`, schema.User, `emails[type eq "work"].value`, `emails`, `type eq "work"`, `value`},
	{`EMAILS`, schema.User, `emails`, `emails`, ``, ``},
	{`urn:ietf:params:scim:schemas:core:2.0:User:userName`, schema.User, `userName`, `userName`, ``, ``},
	{ent + `.employeeNumber`, schema.User, ent + `:employeeNumber`, ent + `:employeeNumber`, ``, ``},
	{`displayName`, schema.Group, `displayName`, `displayName`, ``, ``},
	{`members`, schema.Group, `members`, `members`, ``, ``},
	{`members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]`, schema.Group, `members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]`, `members`, `value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"`, ``},
	{`members[value eq "42"].display`, schema.Group, `members[value eq "42"].display`, `members`, `value eq "42"`, `display`},
	{` displayName `, schema.Group, `displayName`, `displayName`, ``, ``},
}

// TestParsePath parses the paths of entra-scim-client.md §1.7 and §1.9 as
// Entra and Okta send them.
func TestParsePath(t *testing.T) {
	for _, tt := range parsePathTests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePath(tt.in, tt.rt)
			if err != nil {
				t.Fatalf("ParsePath: %v", err)
			}
			if got := p.String(); got != tt.want {
				t.Errorf("got String %s, want %s", got, tt.want)
			}
			if got := p.Ref.Path(); got != tt.attr {
				t.Errorf("got Ref.Path %s, want %s", got, tt.attr)
			}
			if got := vfString(p.Filter); got != tt.vf {
				t.Errorf("got Filter %q, want %q", got, tt.vf)
			}
			if got := subName(p.Sub); got != tt.sub {
				t.Errorf("got Sub %q, want %q", got, tt.sub)
			}
			if p.Ignored {
				t.Errorf("got Ignored, want false")
			}
		})
	}
}

func vfString(v *ValueFilter) string {
	if v == nil {
		return ""
	}
	return v.String()
}

func subName(a *schema.Attribute) string {
	if a == nil {
		return ""
	}
	return a.Name
}

// TestParsePathSchema covers paths that are exactly a schema URN, and
// paths under an unknown extension.
func TestParsePathSchema(t *testing.T) {
	tests := []struct {
		in      string
		rt      *schema.ResourceType
		schema  string // Ref.Schema.ID, or "" when ignored
		ignored bool
	}{
		{ent, schema.User, ent, false},
		{strings.ToLower(ent), schema.User, ent, false},
		{schema.UserURN, schema.User, schema.UserURN, false},
		{`urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User:costCode`, schema.User, ``, true},
		{`urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User`, schema.User, ``, true},
		{`urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User:tags[type eq "a"].value`, schema.User, ``, true},
		{ent + `:employeeNumber`, schema.Group, ``, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePath(tt.in, tt.rt)
			if err != nil {
				t.Fatalf("ParsePath: %v", err)
			}
			if p.Ignored != tt.ignored {
				t.Errorf("got Ignored %v, want %v", p.Ignored, tt.ignored)
			}
			if p.Ref.Attr != nil {
				t.Errorf("got Ref.Attr %s, want nil", p.Ref.Attr.Name)
			}
			got := ""
			if p.Ref.Schema != nil {
				got = p.Ref.Schema.ID
			}
			if got != tt.schema {
				t.Errorf("got Ref.Schema %q, want %q", got, tt.schema)
			}
			if tt.ignored && p.String() != tt.in {
				t.Errorf("got String %q, want the path as given", p.String())
			}
		})
	}
}

var parsePathErrorTests = []struct {
	name, in, detail string
	rt               *schema.ResourceType
}{
	{"unknown attribute", `favoriteColor`, `unknown attribute "favoriteColor"`, schema.User},
	{"unknown sub-attribute", `name.nickname`, `"name" has no sub-attribute "nickname"`, schema.User},
	{"sub-attribute of a simple attribute", `title.value`, `"title" has no sub-attributes`, schema.User},
	{"unknown sub-attribute after filter", `emails[type eq "work"].address`, `"emails" has no sub-attribute "address"`, schema.User},
	{"unknown sub-attribute in filter", `emails[kind eq "work"].value`, `"emails" has no sub-attribute "kind"`, schema.User},
	{"filter on a simple attribute", `title[value eq "x"]`, `"title" is not a complex attribute`, schema.User},
	{"filter on a sub-attribute", `emails.value[type eq "work"]`, `is not a complex attribute`, schema.User},
	{"filter on a schema", ent + `[value eq "x"]`, `is a schema`, schema.User},
	{"unknown extension attribute", ent + `:badge`, `unknown attribute`, schema.User},
	{"user attribute on groups", `userName`, `unknown attribute "userName"`, schema.Group},
	{"members on users", `members[value eq "1"]`, `unknown attribute "members"`, schema.User},
	{"unknown non-URN schema", `foo:bar`, `unknown schema "foo"`, schema.User},
	{"missing ]", `emails[type eq "work"`, `missing "]"`, schema.User},
	{"missing value", `emails[type eq].value`, `missing comparison value`, schema.User},
	{"unknown operator", `emails[type is "work"]`, `unknown operator "is"`, schema.User},
	{"empty filter", `emails[].value`, `empty value filter`, schema.User},
	{"two words", `name givenName`, `unexpected "givenName"`, schema.User},
	{"garbage after filter", `emails[type eq "work"] x`, `unexpected "x"`, schema.User},
	{"two sub-attributes", `emails[type eq "work"].value.x`, `invalid sub-attribute ".value.x"`, schema.User},
	{"dot alone after filter", `emails[type eq "work"].`, `invalid sub-attribute "."`, schema.User},
	{"three levels", `name.givenName.x`, `invalid attribute path`, schema.User},
	{"quoted", `"userName"`, `a path starts with an attribute name`, schema.User},
	{"bad name", `user-name!`, `invalid attribute path`, schema.User},
	{"empty", ``, `empty path`, schema.User},
	{"too long", strings.Repeat("a", MaxLength+1), `limit is 4096`, schema.User},
	{"boolean compared with a word", `roles[primary eq "yes"]`, `"primary" is boolean`, schema.User},
}

func TestParsePathErrors(t *testing.T) {
	for _, tt := range parsePathErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePath(tt.in, tt.rt)
			if err == nil {
				t.Fatalf("got path %s, want an error", p)
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("got %T, want *Error", err)
			}
			if fe.ScimType != InvalidPath {
				t.Errorf("got scimType %q, want %q", fe.ScimType, InvalidPath)
			}
			if !strings.Contains(fe.Detail, tt.detail) {
				t.Errorf("got detail %q, want it to contain %q", fe.Detail, tt.detail)
			}
		})
	}
}

func TestValueFilterMatchElement(t *testing.T) {
	tests := []struct {
		path string
		elem map[string]any
		want bool
	}{
		{`emails[type eq "work"]`, map[string]any{"type": "work", "value": "a@x"}, true},
		{`emails[type eq "work"]`, map[string]any{"Type": "WORK"}, true},
		{`emails[type eq "work"]`, map[string]any{"type": "home"}, false},
		{`emails[type eq "work"]`, map[string]any{}, false},
		{`emails[type ne "work"]`, map[string]any{}, true},
		{`emails[primary eq true]`, map[string]any{"primary": "True"}, true},
		{`emails[value ew "@contoso.com" and not (type eq "home")]`, map[string]any{"value": "A@Contoso.com", "type": "work"}, true},
		{`manager[value eq "2819c223"]`, map[string]any{"value": "2819c223"}, true},
		{`manager[value eq "2819c223"]`, map[string]any{"value": "2819C223"}, true}, // manager.value is not caseExact
		{`manager[value eq "2819c223"]`, map[string]any{"value": "x"}, false},
		{`members[value eq "42"]`, map[string]any{"value": "42", "$ref": nil}, true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rt := schema.User
			if strings.HasPrefix(tt.path, "members") {
				rt = schema.Group
			}
			p, err := ParsePath(tt.path, rt)
			if err != nil {
				t.Fatalf("ParsePath: %v", err)
			}
			if got := p.Filter.MatchElement(tt.elem); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValueFilterEqualities(t *testing.T) {
	tests := []struct {
		path   string
		want   map[string]any
		wantOK bool
	}{
		{`emails[type eq "work"].value`, map[string]any{"type": "work"}, true},
		{`addresses[Type eq "work"].locality`, map[string]any{"type": "work"}, true},
		{`members[value eq "42"]`, map[string]any{"value": "42"}, true},
		{`roles[primary eq "True" and type eq "x"].value`, map[string]any{"primary": true, "type": "x"}, true},
		{`emails[type eq "work" and type eq "work"]`, map[string]any{"type": "work"}, true},
		{`emails[type eq "work" and type eq "home"]`, nil, false},
		{`emails[type eq "work" or type eq "home"]`, nil, false},
		{`emails[value co "x"]`, nil, false},
		{`emails[not (type eq "work")]`, nil, false},
		{`emails[type eq null]`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rt := schema.User
			if strings.HasPrefix(tt.path, "members") {
				rt = schema.Group
			}
			p, err := ParsePath(tt.path, rt)
			if err != nil {
				t.Fatalf("ParsePath: %v", err)
			}
			got, ok := p.Filter.Equalities()
			if ok != tt.wantOK || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, %v, want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestPathZeroValue(t *testing.T) {
	if got := (Path{}).String(); got != "" {
		t.Errorf("got %q, want an empty string", got)
	}
}

// TestParsePathAllocs holds the paths clients send on every PATCH to the
// allocations they need: none without a value filter, its nodes with one.
func TestParsePathAllocs(t *testing.T) {
	tests := []struct {
		in     string
		rt     *schema.ResourceType
		allocs float64
	}{
		{`userName`, schema.User, 0},
		{`name.familyName`, schema.User, 0},
		{`EMAILS`, schema.User, 0},
		{`manager`, schema.User, 0},
		{ent, schema.User, 0},
		{ent + `:employeeNumber`, schema.User, 0},
		{ent + `.employeeNumber`, schema.User, 0},
		{ent + `:manager.value`, schema.User, 0},
		{`emails[type eq "work"].value`, schema.User, 2},
		{`addresses[Type EQ "work"].Formatted`, schema.User, 2},
		{`roles[primary eq "True"].value`, schema.User, 2},
		{`emails[type eq work].value`, schema.User, 2},
		{`manager[value eq "2819c223-7f76-453a-919d-413861904646"]`, schema.User, 2},
		{` displayName `, schema.Group, 0},
		{`members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]`, schema.Group, 2},
		{`members[value eq "42"].display`, schema.Group, 2},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if _, err := ParsePath(tt.in, tt.rt); err != nil {
				t.Fatalf("ParsePath: %v", err)
			}
			got := testing.AllocsPerRun(100, func() { _, _ = ParsePath(tt.in, tt.rt) })
			if got > tt.allocs {
				t.Errorf("got %v allocations, want at most %v", got, tt.allocs)
			}
		})
	}
}
