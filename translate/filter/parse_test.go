package filter

import (
	"errors"
	"strings"
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

const ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

var parseRFCTests = []struct{ in, want string }{
	{`userName eq "bjensen"`, `userName eq "bjensen"`},
	{`name.familyName co "O'Malley"`, `name.familyName co "O'Malley"`},
	{`userName sw "J"`, `userName sw "J"`},
	{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`, `userName sw "J"`},
	{`title pr`, `title pr`},
	{`meta.lastModified gt "2011-05-13T04:42:34Z"`, `meta.lastModified gt "2011-05-13T04:42:34Z"`},
	{`meta.lastModified ge "2011-05-13T04:42:34Z"`, `meta.lastModified ge "2011-05-13T04:42:34Z"`},
	{`meta.lastModified lt "2011-05-13T04:42:34Z"`, `meta.lastModified lt "2011-05-13T04:42:34Z"`},
	{`meta.lastModified le "2011-05-13T04:42:34Z"`, `meta.lastModified le "2011-05-13T04:42:34Z"`},
	{`title pr and userType eq "Employee"`, `title pr and userType eq "Employee"`},
	{`title pr or userType eq "Intern"`, `title pr or userType eq "Intern"`},
	{`schemas eq "` + ent + `"`, `schemas eq "` + ent + `"`},
	{
		`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`,
		`userType eq "Employee" and (emails.value co "example.com" or emails.value co "example.org")`,
	},
	{
		`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`,
		`userType ne "Employee" and not (emails.value co "example.com" or emails.value co "example.org")`,
	},
	{`userType eq "Employee" and (emails.type eq "work")`, `userType eq "Employee" and emails.type eq "work"`},
	{
		`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`,
		`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`,
	},
	{
		`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`,
		`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`,
	},
	// every operator
	{`displayName ne "x"`, `displayName ne "x"`},
	{`displayName ew "x"`, `displayName ew "x"`},
	{`userName gt "a" and userName lt "z"`, `userName gt "a" and userName lt "z"`},
	// grouping and precedence: and binds tighter than or
	{`title pr or userType pr and nickName pr`, `title pr or userType pr and nickName pr`},
	{`(title pr or userType pr) and nickName pr`, `(title pr or userType pr) and nickName pr`},
	{`((title pr))`, `title pr`},
	{`not(title pr)`, `not (title pr)`},
	// value filters beyond the grammar's two terms
	{
		`emails[type eq "work" and value co "@x" and primary eq true]`,
		`emails[type eq "work" and value co "@x" and primary eq true]`,
	},
	{`emails[not (type eq "work")]`, `emails[not (type eq "work")]`},
	{`emails[(type eq "work" or type eq "home") and primary eq true]`, `emails[(type eq "work" or type eq "home") and primary eq true]`},
}

// TestParseRFC parses every example filter of RFC 7644 §3.4.2.2 and checks
// the canonical form.
func TestParseRFC(t *testing.T) {
	for _, tt := range parseRFCTests {
		t.Run(tt.in, func(t *testing.T) {
			f, err := Parse(tt.in, schema.User)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := f.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

var toleranceTests = []struct {
	name, in, want string
	rt             *schema.ResourceType
}{
	{"names and operators any case", `USERNAME EQ "x" AND Name.GivenName Sw "A" OR TITLE PR`, `userName eq "x" and name.givenName sw "A" or title pr`, schema.User},
	{"not any case", `NOT (title pr)`, `not (title pr)`, schema.User},
	{"URN any case", `URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:EMPLOYEENUMBER eq "1"`, ent + `:employeeNumber eq "1"`, schema.User},
	{"escaped quote", `userName eq "a\"b"`, `userName eq "a\"b"`, schema.User},
	{"escaped backslash and slash", `userName eq "a\\b\/c"`, `userName eq "a\\b/c"`, schema.User},
	{"lowercase unicode escape", `userName eq "Ren\u00e9e"`, `userName eq "Renée"`, schema.User},
	{"uppercase unicode escape", `userName eq "Ren\u00E9e"`, `userName eq "Renée"`, schema.User},
	{"surrogate pair", `userName eq "\ud83d\ude00"`, `userName eq "😀"`, schema.User},
	{"control escape", `userName eq "a\nb"`, `userName eq "a\u000ab"`, schema.User},
	{"raw UTF-8", `displayName eq "Zoë"`, `displayName eq "Zoë"`, schema.User},
	{"unquoted value", `externalId eq jyoung`, `externalId eq "jyoung"`, schema.User},
	{"unquoted e-mail", `userName eq alice@contoso.com`, `userName eq "alice@contoso.com"`, schema.User},
	{"unquoted value in parentheses", `(externalId eq jyoung)`, `externalId eq "jyoung"`, schema.User},
	{"unquoted number on a string", `employeeNumber eq 12345`, ent + `:employeeNumber eq "12345"`, schema.User},
	{"unquoted leading zero", `employeeNumber eq 007`, ent + `:employeeNumber eq "007"`, schema.User},
	{"Entra value-path form", `emails[type eq "work"].value eq "alice@contoso.com"`, `emails[type eq "work" and value eq "alice@contoso.com"]`, schema.User},
	{"Entra form any case", `Emails[Type eq "work"].Value EQ "a"`, `emails[type eq "work" and value eq "a"]`, schema.User},
	{"Entra form after and", `userName eq "a" and emails[type eq "work"].value eq "b"`, `userName eq "a" and emails[type eq "work" and value eq "b"]`, schema.User},
	{"Entra form with or inside", `emails[type eq "work" or type eq "home"].value eq "b"`, `emails[(type eq "work" or type eq "home") and value eq "b"]`, schema.User},
	{"Entra form pr", `emails[type eq "work"].value pr`, `emails[type eq "work" and value pr]`, schema.User},
	{"manager eq (reference check)", `id eq "54D382A4-2050-4C03-94D1-E769F1D15682" and manager eq "2819c223-7f76-453a-919d-413861904646"`, `id eq "54D382A4-2050-4C03-94D1-E769F1D15682" and ` + ent + `:manager.value eq "2819c223-7f76-453a-919d-413861904646"`, schema.User},
	{"members eq", `members eq "42"`, `members.value eq "42"`, schema.Group},
	{"members value filter", `members[value eq "42"]`, `members[value eq "42"]`, schema.Group},
	{"string boolean True", `active eq "True"`, `active eq true`, schema.User},
	{"string boolean false", `active ne "false"`, `active ne false`, schema.User},
	{"bare boolean any case", `active eq TRUE`, `active eq true`, schema.User},
	{"string boolean in value filter", `roles[primary eq "True"]`, `roles[primary eq true]`, schema.User},
	{"bare true on a string", `title eq True`, `title eq "True"`, schema.User},
	{"legacy dot after URN", ent + `.employeeNumber eq "1"`, ent + `:employeeNumber eq "1"`, schema.User},
	{"unqualified extension attribute", `employeeNumber eq "1"`, ent + `:employeeNumber eq "1"`, schema.User},
	{"eq null", `title eq null`, `not (title pr)`, schema.User},
	{"ne null", `title ne null`, `title pr`, schema.User},
	{"quoted null is a string", `title eq "null"`, `title eq "null"`, schema.User},
	{"extra whitespace", "  userName\teq   \"x\"  and\n(title pr)  ", `userName eq "x" and title pr`, schema.User},
	{"group displayName", `displayName eq "Engineering"`, `displayName eq "Engineering"`, schema.Group},
	{"dateTime with offset", `meta.created ge "2026-01-02T04:04:05+01:00"`, `meta.created ge "2026-01-02T04:04:05+01:00"`, schema.User},
	{"meta co on dateTime is textual", `meta.created sw "2026"`, `meta.created sw "2026"`, schema.User},
}

// TestParseTolerance covers what Entra and Okta send beyond RFC 7644, and
// case-insensitivity.
func TestParseTolerance(t *testing.T) {
	for _, tt := range toleranceTests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.in, tt.rt)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := f.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

var parseErrorTests = []struct {
	name, in, detail string // detail: a substring the message must have
	rt               *schema.ResourceType
}{
	{"unknown attribute", `favoriteColor eq "x"`, `unknown attribute "favoriteColor"`, schema.User},
	{"unknown attribute in an and", `userName eq "x" and favoriteColor eq "x"`, `"favoriteColor"`, schema.User},
	{"sub-attribute of a simple attribute", `title.foo eq "x"`, `"title" has no sub-attributes`, schema.User},
	{"unknown sub-attribute", `name.nickname eq "x"`, `"name" has no sub-attribute "nickname"`, schema.User},
	{"unknown sub-attribute in value filter", `emails[kind eq "work"]`, `"emails" has no sub-attribute "kind"`, schema.User},
	{"unknown sub-attribute after value filter", `emails[type eq "work"].address eq "x"`, `"address"`, schema.User},
	{"unknown extension", `urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge eq "1"`, "does not know", schema.User},
	{"unknown attribute of a known extension", ent + `:badge eq "1"`, `unknown attribute`, schema.User},
	{"user attribute on groups", `userName eq "x"`, `unknown attribute "userName"`, schema.Group},
	{"extension on groups", ent + `:employeeNumber eq "x"`, "does not know", schema.Group},
	{"whole schema", ent + ` pr`, "is a schema", schema.User},
	{"gt on a boolean", `active gt true`, `"active" is boolean`, schema.User},
	{"co on a boolean", `active co "t"`, `"active" is boolean`, schema.User},
	{"boolean against a word", `active eq "yes"`, `compare it with true or false`, schema.User},
	{"gt on a complex attribute", `name gt "a"`, `"name" is complex`, schema.User},
	{"complex without value", `name eq "a"`, `"name" is complex`, schema.User},
	{"bad dateTime", `meta.lastModified gt "yesterday"`, `RFC 3339`, schema.User},
	{"null with co", `title co null`, `null can only be compared with eq or ne`, schema.User},
	{"missing value", `userName eq`, `missing comparison value after "userName eq"`, schema.User},
	{"missing value before and", `userName eq and title pr`, `found "title"`, schema.User},
	{"missing operator", `userName`, `missing operator after "userName"`, schema.User},
	{"unknown operator", `userName equals "x"`, `unknown operator "equals"`, schema.User},
	{"trailing garbage", `userName eq "x" garbage`, `position 17`, schema.User},
	{"dangling and", `userName eq "x" and`, `expected an attribute name`, schema.User},
	{"unbalanced (", `(userName eq "x"`, `missing ")"`, schema.User},
	{"unbalanced )", `userName eq "x")`, `unbalanced ")"`, schema.User},
	{"empty parentheses", `()`, `expected an attribute name`, schema.User},
	{"not without parentheses", `not title pr`, `"not" at position 1 must be followed by "("`, schema.User},
	{"unterminated string", `userName eq "x`, `unterminated string`, schema.User},
	{"bad escape", `userName eq "a\qb"`, `invalid string`, schema.User},
	{"raw control character", "userName eq \"a\x01b\"", `invalid string`, schema.User},
	{"bad attribute name", `1abc eq "x"`, `invalid attribute path "1abc"`, schema.User},
	{"nested value filters", `emails[type eq "a" and x[y eq "b"]]`, `nested`, schema.User},
	{"missing ]", `emails[type eq "work"`, `missing "]"`, schema.User},
	{"empty value filter", `emails[]`, `empty value filter`, schema.User},
	{"value filter on a simple attribute", `title[value eq "x"]`, `"title" is not a complex attribute`, schema.User},
	{"URN inside a value filter", `emails[` + ent + `:type eq "x"]`, `must be a sub-attribute name`, schema.User},
	{"Entra form without operator", `emails[type eq "work"].value`, `missing operator after "value"`, schema.User},
	{"Entra form without name", `emails[type eq "work"]. eq "x"`, `missing sub-attribute name`, schema.User},
	{"empty", ``, `empty filter`, schema.User},
	{"blank", `   `, `empty filter`, schema.User},
	{"too long", `userName eq "` + strings.Repeat("a", MaxLength) + `"`, `limit is 4096`, schema.User},
	{"too deep", strings.Repeat("(", MaxDepth+1) + `title pr` + strings.Repeat(")", MaxDepth+1), `deeper than 32`, schema.User},
	{"invalid UTF-8", "userName eq \"\xff\"", `UTF-8`, schema.User},
	{"write-only attribute", `password eq "secret"`, `"password" is never returned`, schema.User},
	{"bare number on a boolean", `active eq 1`, `"active" is boolean`, schema.User},
	{"operator only by Unicode folding", `userName ſw "x"`, `syntax error; see RFC 7644 §3.4.2.2`, schema.User},
	{"fullwidth and", `userName eq "x" ＡND title pr`, `expected "and", "or" or ")" at position 17, found "ＡND"`, schema.User},
	{"not as an attribute name", `not eq "x"`, `unknown attribute "not"`, schema.User},
	// which error comes first
	{"bad string before misplaced token", `userName eq eq "a\qb"`, `invalid string`, schema.User},
	{"missing ] before misplaced token inside", `emails[type eq eq "x"`, `missing "]"`, schema.User},
	{"misplaced token before bad attribute path", `1abc eq "x" and userName eq`, `missing comparison value`, schema.User},
	{"bad attribute path before schema error", `favoriteColor eq "x" and 1abc eq "x"`, `invalid attribute path "1abc"`, schema.User},
	{"schema error before a value filter's bad path", `favoriteColor eq "x" and emails[1abc pr]`, `unknown attribute "favoriteColor"`, schema.User},
	{"value filter's bad path before its schema error", `emails[kind pr and 1abc pr]`, `invalid attribute path "1abc"`, schema.User},
	{"value filter's bad path before later schema error", `emails[1abc pr] and favoriteColor eq "x"`, `invalid attribute path "1abc"`, schema.User},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.in, tt.rt)
			if err == nil {
				t.Fatalf("got filter %s, want an error", f)
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("got %T, want *Error", err)
			}
			if fe.ScimType != InvalidFilter {
				t.Errorf("got scimType %q, want %q", fe.ScimType, InvalidFilter)
			}
			if !strings.Contains(fe.Detail, tt.detail) {
				t.Errorf("got detail %q, want it to contain %q", fe.Detail, tt.detail)
			}
		})
	}
}

// TestParseDepthLimit accepts exactly MaxDepth levels of parentheses.
func TestParseDepthLimit(t *testing.T) {
	s := strings.Repeat("(", MaxDepth) + `title pr` + strings.Repeat(")", MaxDepth)
	if _, err := Parse(s, schema.User); err != nil {
		t.Errorf("got %v, want %d levels accepted", err, MaxDepth)
	}
	s = strings.Repeat("not (", MaxDepth) + `title pr` + strings.Repeat(")", MaxDepth)
	f, err := Parse(s, schema.User)
	if err != nil {
		t.Fatalf("got %v, want %d nested nots accepted", err, MaxDepth)
	}
	if got, want := f.Match(map[string]any{"title": "x"}), MaxDepth%2 == 0; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestErrorClipsInput keeps an error message short when the input is long.
func TestErrorClipsInput(t *testing.T) {
	_, err := Parse(strings.Repeat("é", 1000)+` pr`, schema.User)
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want an *Error", err)
	}
	if len(fe.Detail) > 200 || !strings.Contains(fe.Detail, "…") {
		t.Errorf("got a %d-byte detail %q, want it clipped", len(fe.Detail), fe.Detail)
	}
}

func TestErrorString(t *testing.T) {
	_, err := Parse(`favoriteColor eq "x"`, schema.User)
	if got, want := err.Error(), `invalidFilter: unknown attribute "favoriteColor"`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestParseAllocs holds the filters clients send on every request to the
// allocations they need: the filter's nodes, and values in lower case or
// decoded from escapes. Parsing itself allocates nothing.
func TestParseAllocs(t *testing.T) {
	tests := []struct {
		in     string
		rt     *schema.ResourceType
		allocs float64
	}{
		{`userName eq "alice@contoso.com"`, schema.User, 2},
		{`USERNAME EQ "x" AND name.givenName Sw "A" and title PR`, schema.User, 9},
		{`externalId eq jyoung`, schema.User, 2},
		{`externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`, schema.User, 2},
		{`emails[type eq "work"].value eq "alice@contoso.com"`, schema.User, 5},
		{`Emails[Type eq "work"].Value EQ "a"`, schema.User, 5},
		{`emails[type eq "work" and value co "@example.com"]`, schema.User, 6},
		{`userName eq "a" and emails[type eq "work"].value eq "b"`, schema.User, 9},
		{`id eq "54D382A4-2050-4C03-94D1-E769F1D15682" and manager eq "2819c223-7f76-453a-919d-413861904646"`, schema.User, 4},
		{`roles[primary eq "True"].value eq "Admin"`, schema.User, 6},
		{ent + `:employeeNumber eq "E1"`, schema.User, 3},
		{ent + `.employeeNumber eq 12345`, schema.User, 2},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`, schema.User, 3},
		{`employeeNumber eq "1"`, schema.User, 2},
		{`active eq "False" and userName eq "a\"b\u00e9"`, schema.User, 9},
		{`meta.lastModified gt "2011-05-13T04:42:34Z"`, schema.User, 3},
		{`title eq null`, schema.User, 3},
		{`schemas eq "` + ent + `"`, schema.User, 3},
		{`displayName eq "Engineering"`, schema.Group, 3},
		{`members eq "42"`, schema.Group, 2},
		{`members[value eq "42"]`, schema.Group, 3},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if _, err := Parse(tt.in, tt.rt); err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := testing.AllocsPerRun(100, func() { _, _ = Parse(tt.in, tt.rt) })
			if got > tt.allocs {
				t.Errorf("got %v allocations, want at most %v", got, tt.allocs)
			}
		})
	}
}
