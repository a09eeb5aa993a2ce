package filter

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// userJSON is a user as hector-scim renders it.
const userJSON = `{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  "id": "42",
  "userName": "ada@contoso.example",
  "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
  "active": true,
  "displayName": "Ada Lovelace",
  "name": {"givenName": "Ada", "familyName": "Lovelace", "formatted": "Ada Lovelace"},
  "emails": [
    {"value": "ada@contoso.example", "type": "work", "primary": true},
    {"value": "ada@home.example", "type": "home"}
  ],
  "phoneNumbers": [{"value": "+1 425 555 0100", "type": "work"}, {"value": "+1 425 555 0101", "type": "mobile"}],
  "title": "Analyst",
  "nickName": "",
  "preferredLanguage": "en-CA",
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "employeeNumber": "E1", "department": "R&D", "manager": {"value": "7"}
  },
  "meta": {
    "created": "2026-01-02T03:04:05Z", "lastModified": "2026-03-04T05:06:07Z", "resourceType": "User",
    "location": "https://scim.example/scim/v2/Users/42", "version": "W/\"5f3c\""
  }
}`

// groupJSON is a group as hector-scim renders it.
const groupJSON = `{
  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
  "id": "7", "displayName": "Engineering", "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
  "members": [{"value": "42"}, {"value": "43", "display": "Grace"}],
  "meta": {"created": "2026-01-02T03:04:05Z", "lastModified": "2026-01-02T03:04:05Z", "resourceType": "Group"}
}`

func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

type matchCase struct {
	filter string
	want   bool
}

func runMatch(t *testing.T, rt *schema.ResourceType, doc map[string]any, tests []matchCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			f, err := Parse(tt.filter, rt)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := f.Match(doc); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMatchEq(t *testing.T) {
	runMatch(t, schema.User, decode(t, userJSON), []matchCase{
		{`userName eq "ada@contoso.example"`, true},
		{`userName eq "ADA@Contoso.Example"`, true}, // userName is not caseExact
		{`externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`, true},
		{`externalId eq "0A21F0F2-8D2A-4F8E-BF98-7363C4AED4EF"`, false}, // externalId is caseExact
		{`id eq "42"`, true},
		{`id eq 42`, true},
		{`displayName eq "ada lovelace"`, true},
		{`emails.value eq "ADA@HOME.EXAMPLE"`, true}, // any element
		{`emails eq "ada@home.example"`, true},
		{`emails[type eq "work"].value eq "ada@contoso.example"`, true},
		{`emails[type eq "work"].value eq "ada@home.example"`, false},
		{`meta.resourceType eq "User"`, true},
		{`meta.resourceType eq "user"`, false}, // caseExact
		{`meta.version eq "W/\"5f3c\""`, true},
		{`meta.lastModified eq "2026-03-04T06:06:07+01:00"`, true}, // same instant
		{`name.givenName eq "ada"`, true},
		{`nickName eq ""`, true},
		{`timezone eq "x"`, false}, // missing
		{ent + `:employeeNumber eq "E1"`, true},
		{`employeeNumber eq "e1"`, true},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:department eq "r&d"`, true},
		{`manager eq "7"`, true},
		{`manager.value eq "8"`, false},
		{`schemas eq "` + ent + `"`, true},
		{`title eq null`, false},
		{`timezone eq null`, true},
	})
}

func TestMatchNe(t *testing.T) {
	runMatch(t, schema.User, decode(t, userJSON), []matchCase{
		{`title ne "Analyst"`, false},
		{`title ne "analyst"`, false},
		{`title ne "Engineer"`, true},
		{`timezone ne "x"`, true}, // missing: ne is true
		{`emails.value ne "ada@home.example"`, false},
		{`emails.value ne "bob@x"`, true},
		{`externalId ne "0A21F0F2-8D2A-4F8E-BF98-7363C4AED4EF"`, true},
		{`title ne null`, true},
	})
}

func TestMatchSubstring(t *testing.T) {
	runMatch(t, schema.User, decode(t, userJSON), []matchCase{
		{`emails.value co "@CONTOSO"`, true},
		{`name.familyName co "love"`, true},
		{`userName co "zz"`, false},
		{`userName sw "ADA"`, true},
		{`externalId sw "0a21"`, true},
		{`externalId sw "0A21"`, false},
		{`emails.value ew ".EXAMPLE"`, true},
		{`preferredLanguage ew "-ca"`, true},
		{`title co ""`, true},
		{`timezone co ""`, false},
		{`meta.created sw "2026-01"`, true},
	})
}

func TestMatchOrdering(t *testing.T) {
	runMatch(t, schema.User, decode(t, userJSON), []matchCase{
		{`meta.lastModified gt "2026-03-04T05:06:06Z"`, true},
		{`meta.lastModified gt "2026-03-04T05:06:07Z"`, false},
		{`meta.lastModified ge "2026-03-04T05:06:07Z"`, true},
		{`meta.lastModified ge "2026-03-04T06:06:07+01:00"`, true},
		{`meta.lastModified lt "2026-03-04T06:06:07+01:00"`, false},
		{`meta.lastModified le "2026-03-04T06:06:07+01:00"`, true},
		{`meta.lastModified lt "2026-03-04T05:06:07.5Z"`, true},
		{`meta.lastModified gt "2025-12-31T23:59:59-08:00"`, true},
		{`userName gt "a"`, true},
		{`userName lt "B"`, true},     // case-insensitive
		{`externalId lt "0B"`, false}, // caseExact: "0a…" > "0B"
		{`userName lt "ADB"`, true},
		{`userName le "ada@contoso.example"`, true},
		{`timezone gt "a"`, false},
	})
}

func TestMatchPresent(t *testing.T) {
	runMatch(t, schema.User, decode(t, userJSON), []matchCase{
		{`title pr`, true},
		{`nickName pr`, false}, // ""
		{`timezone pr`, false}, // missing
		{`emails pr`, true},
		{`emails.type pr`, true},
		{`emails.display pr`, false},
		{`name pr`, true},
		{`manager pr`, true},
		{`addresses pr`, false},
		{`active pr`, true},
		{`emails[type eq "home"].primary pr`, false},
	})
	runMatch(t, schema.User, map[string]any{"title": nil, "emails": []any{}, "name": map[string]any{"givenName": ""}}, []matchCase{
		{`title pr`, false},
		{`emails pr`, false},
		{`name pr`, false},
	})
}

func TestMatchBoolean(t *testing.T) {
	doc := decode(t, userJSON)
	runMatch(t, schema.User, doc, []matchCase{
		{`active eq true`, true},
		{`active eq "True"`, true},
		{`active eq false`, false},
		{`active ne false`, true},
		{`emails[primary eq true].value eq "ada@contoso.example"`, true},
		{`emails[primary eq "True"]`, true},
	})
	runMatch(t, schema.User, map[string]any{"active": "False"}, []matchCase{
		{`active eq false`, true},
		{`active eq true`, false},
	})
}

func TestMatchLogic(t *testing.T) {
	runMatch(t, schema.User, decode(t, userJSON), []matchCase{
		{`title pr and userName sw "ada"`, true},
		{`title pr and userName sw "bob"`, false},
		{`title eq "x" or userName sw "ada"`, true},
		{`title eq "x" or userName sw "bob"`, false},
		{`not (title eq "x")`, true},
		{`not (title pr)`, false},
		{`title eq "x" or title pr and userName sw "bob"`, false},
		{`(title eq "x" or title pr) and userName sw "ada"`, true},
		{`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`, true},
		{`userType ne "Employee" and not (emails co "contoso.example" or emails.value co "example.org")`, false},
		{`id eq "42" and manager eq "7"`, true},
		{`id eq "42" and manager eq "8"`, false},
	})
}

func TestMatchValuePath(t *testing.T) {
	runMatch(t, schema.User, decode(t, userJSON), []matchCase{
		{`emails[type eq "work" and value co "@contoso"]`, true},
		{`emails[type eq "WORK"]`, true},
		{`emails[type eq "home" and primary eq true]`, false},      // no single element has both
		{`emails.type eq "home" and emails.primary eq true`, true}, // each on any element
		{`emails[type eq "home" or primary eq true]`, true},
		{`emails[not (type eq "work")]`, true},
		{`phoneNumbers[type eq "mobile" and value sw "+1 425"]`, true},
		{`phoneNumbers[type eq "fax"]`, false},
		{`addresses[type eq "work"]`, false},
		{`manager[value eq "7"]`, true},
		{`emails[display pr]`, false},
	})
}

func TestMatchGroup(t *testing.T) {
	runMatch(t, schema.Group, decode(t, groupJSON), []matchCase{
		{`displayName eq "engineering"`, true},
		{`displayName eq "Engineering-2"`, false},
		{`members eq "43"`, true},
		{`members eq "44"`, false},
		{`members[value eq "42"]`, true},
		{`members.display co "gr"`, true},
		{`externalId eq "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159" and members pr`, true},
		{`meta.resourceType eq "Group"`, true},
	})
}

// TestMatchKeysAndNumbers matches keys in any case and numbers decoded as
// float64 or json.Number.
func TestMatchKeysAndNumbers(t *testing.T) {
	doc := map[string]any{
		"USERNAME": "ada",
		"Emails":   []any{map[string]any{"VALUE": "a@x", "Type": "work"}},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:user": map[string]any{"EmployeeNumber": 12345.0},
	}
	runMatch(t, schema.User, doc, []matchCase{
		{`userName eq "ada"`, true},
		{`emails[type eq "work"].value eq "a@x"`, true},
		{`employeeNumber eq "12345"`, true},
	})
	d := json.NewDecoder(bytes.NewReader([]byte(`{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": 12345}}`)))
	d.UseNumber()
	var withNumber map[string]any
	if err := d.Decode(&withNumber); err != nil {
		t.Fatal(err)
	}
	runMatch(t, schema.User, withNumber, []matchCase{
		{`employeeNumber eq 12345`, true},
		{`employeeNumber sw "123"`, true},
	})
}

// TestMatchWrongShapes never panics on values of an unexpected type.
func TestMatchWrongShapes(t *testing.T) {
	doc := map[string]any{
		"userName": []any{"a", 1.0},
		"name":     "not an object",
		"emails":   map[string]any{"value": "a@x"},
		"active":   1.0,
		"meta":     []any{"x"},
		ent:        "x",
	}
	runMatch(t, schema.User, doc, []matchCase{
		{`userName eq "a"`, true},
		{`name.givenName eq "a"`, false},
		{`emails.value eq "a@x"`, true},
		{`emails[value eq "a@x"]`, true},
		{`active eq true`, false},
		{`meta.lastModified gt "2026-01-01T00:00:00Z"`, false},
		{`employeeNumber eq "1"`, false},
	})
}
