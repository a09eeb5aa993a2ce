package filter

import (
	"strings"
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// resourceTypes are the resource types each input is parsed for.
var resourceTypes = []*schema.ResourceType{schema.User, schema.Group}

// TestFastPathAgrees runs both parsers on every filter and path of the
// tests, as a filter and as a path, for users and groups.
func TestFastPathAgrees(t *testing.T) {
	docs := matchDocs(t)
	var filters, paths int
	for _, s := range testInputs(t) {
		for _, rt := range resourceTypes {
			if diffFilter(t, s, rt, docs) {
				filters++
			}
			if diffPath(t, s, rt) {
				paths++
			}
		}
	}
	t.Logf("the fast path took %d filters and %d paths", filters, paths)
}

// TestFastPathTakes checks that the fast path takes what clients send on
// every request, so that it does not silently stop firing.
func TestFastPathTakes(t *testing.T) {
	filters := []struct {
		in string
		rt *schema.ResourceType
	}{
		{`userName eq "alice@contoso.com"`, schema.User},
		{`USERNAME EQ "x" AND name.givenName Sw "A" and title PR`, schema.User},
		{`externalId eq jyoung`, schema.User},
		{`externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`, schema.User},
		{`emails[type eq "work"].value eq "alice@contoso.com"`, schema.User},
		{`Emails[Type eq "work"].Value EQ "a"`, schema.User},
		{`emails[type eq "work" and value co "@example.com"]`, schema.User},
		{`userName eq "a" and emails[type eq "work"].value eq "b"`, schema.User},
		{`id eq "54D382A4-2050-4C03-94D1-E769F1D15682" and manager eq "2819c223-7f76-453a-919d-413861904646"`, schema.User},
		{`roles[primary eq "True"].value eq "Admin"`, schema.User},
		{ent + `:employeeNumber eq "E1"`, schema.User},
		{ent + `.employeeNumber eq 12345`, schema.User},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`, schema.User},
		{`employeeNumber eq "1"`, schema.User},
		{`active eq "False" and userName eq "a\"b\u00e9"`, schema.User},
		{`meta.lastModified gt "2011-05-13T04:42:34Z"`, schema.User},
		{`title eq null`, schema.User},
		{`schemas eq "` + ent + `"`, schema.User},
		{`displayName eq "Engineering"`, schema.Group},
		{`members eq "42"`, schema.Group},
		{`members[value eq "42"]`, schema.Group},
	}
	for _, tt := range filters {
		t.Run(tt.in, func(t *testing.T) {
			if !diffFilter(t, tt.in, tt.rt, matchDocs(t)) {
				t.Errorf("got the full parser, want the fast path")
			}
		})
	}
	paths := []struct {
		in string
		rt *schema.ResourceType
	}{
		{`userName`, schema.User},
		{`name.familyName`, schema.User},
		{`EMAILS`, schema.User},
		{`manager`, schema.User},
		{ent, schema.User},
		{ent + `:employeeNumber`, schema.User},
		{ent + `.employeeNumber`, schema.User},
		{ent + `:manager.value`, schema.User},
		{`emails[type eq "work"].value`, schema.User},
		{`addresses[Type EQ "work"].Formatted`, schema.User},
		{`roles[primary eq "True"].value`, schema.User},
		{`emails[type eq work].value`, schema.User},
		{`manager[value eq "2819c223-7f76-453a-919d-413861904646"]`, schema.User},
		{` displayName `, schema.Group},
		{`members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]`, schema.Group},
		{`members[value eq "42"].display`, schema.Group},
	}
	for _, tt := range paths {
		t.Run(tt.in, func(t *testing.T) {
			if !diffPath(t, tt.in, tt.rt) {
				t.Errorf("got the full parser, want the fast path")
			}
		})
	}
}

// TestFastPathDeclines checks that the fast path leaves the full parser
// what it does not read, errors included, so the error is the full
// parser's.
func TestFastPathDeclines(t *testing.T) {
	filters := []string{
		`title pr or userType eq "Intern"`,
		`not (title pr)`,
		`(userName eq "x")`,
		`emails[type eq "work" or type eq "home"].value eq "b"`,
		`emails[not (type eq "work")]`,
		`favoriteColor eq "x"`,
		`userName eq "x" and favoriteColor eq "x"`,
		`emails[kind eq "work"]`,
		`emails[type eq "work"].address eq "x"`,
		`urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge eq "1"`,
		`active gt true`,
		`userName eq`,
		`userName ſw "x"`,
		`userName eq "x" ＡND title pr`,
		`1abc eq "x"`,
		`password eq "secret"`,
		"userName eq \"\xff\"",
		`userName eq "` + strings.Repeat("a", MaxLength) + `"`,
	}
	for _, s := range filters {
		t.Run(s, func(t *testing.T) {
			if _, ok := fastFilter(s, schema.User); ok {
				t.Errorf("got the fast path, want the full parser")
			}
		})
	}
	paths := []string{
		`favoriteColor`,
		`emails[type eq "work" or type eq "home"]`,
		`emails[type eq "work"].value.x`,
		`emails[type eq "work"] x`,
		`urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User:costCode`,
		ent + `[value eq "x"]`,
		`title[value eq "x"]`,
		`name givenName`,
	}
	for _, s := range paths {
		t.Run(s, func(t *testing.T) {
			if _, ok := fastPath(s, schema.User); ok {
				t.Errorf("got the fast path, want the full parser")
			}
		})
	}
}

// TestAttrSyntax checks attrSyntax against the grammar's attrPath rule.
func TestAttrSyntax(t *testing.T) {
	tests := []struct {
		in          string
		ok, isPlain bool
	}{
		{"userName", true, true},
		{"$ref", true, true},
		{"a-b_c9", true, true},
		{"name.givenName", true, false},
		{"members.$ref", true, false},
		{ent + ":manager.value", true, false},
		{ent + ".employeeNumber", true, false},
		{"a:b", true, false},
		{"", false, false},
		{"1abc", false, false},
		{"-a", false, false},
		{"a.b.c", false, false},
		{"a.", false, false},
		{"a:", false, false},
		{":a", false, false},
		{"a::b", false, false},
		{"a:1b", false, false},
		{"$", false, false},
		{"a$b", false, false},
		{"é", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ok, isPlain := attrSyntax(tt.in)
			if ok != tt.ok || isPlain != tt.isPlain {
				t.Errorf("got %v, %v, want %v, %v", ok, isPlain, tt.ok, tt.isPlain)
			}
			diffAttrSyntax(t, tt.in)
		})
	}
}

// TestSplitURN checks that splitURN, made allocation-free for the fast
// path, reads paths as it did when built on schema.ResourceType.SplitURN.
func TestSplitURN(t *testing.T) {
	reference := func(rt *schema.ResourceType, p string) (string, string, bool) {
		if uri, rest, ok := rt.SplitURN(p); ok {
			return uri, rest, ok
		}
		for _, s := range rt.Schemas() {
			n := len(s.ID)
			if len(p) > n+1 && p[n] == '.' && strings.EqualFold(p[:n], s.ID) {
				return s.ID, p[n+1:], true
			}
		}
		return "", p, false
	}
	extra := []string{ent + ".", ent + ".x", ent + ":", strings.ToUpper(ent) + ":x", schema.UserURN + ".", "urn:x", ""}
	for _, s := range append(testInputs(t), extra...) {
		for _, rt := range resourceTypes {
			uri, rest, ok := splitURN(rt, s)
			wantURI, wantRest, wantOK := reference(rt, s)
			if uri != wantURI || rest != wantRest || ok != wantOK {
				t.Errorf("%s: splitURN(%q) = %q, %q, %v, want %q, %q, %v", rt.Name, s, uri, rest, ok, wantURI, wantRest, wantOK)
			}
		}
	}
}
