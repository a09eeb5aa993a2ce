package filter

import (
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// Filters Entra and Okta send (entra-scim-client.md §1.5, §1.9, §1.10,
// §5, quirks Q10, Q15–Q17) and the examples of RFC 7644 §3.4.2.2.
var filterSeeds = []string{
	`userName eq "alice@contoso.com"`,
	`userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"`,
	`externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`,
	`emails[type eq "work"].value eq "alice@contoso.com"`,
	`displayName eq "Engineering"`,
	`id eq "54D382A4-2050-4C03-94D1-E769F1D15682" and manager eq "2819c223-7f76-453a-919d-413861904646"`,
	`externalId eq jyoung`,
	`members eq "f648f8d5ea4e4cd38e9c"`,
	`roles[primary eq "True"].value eq "Admin"`,
	`emails[type eq "other"].Value eq "x"`,
	`name.familyName co "O'Malley"`,
	`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`,
	`meta.lastModified gt "2011-05-13T04:42:34Z"`,
	`title pr and userType eq "Employee"`,
	`title pr or userType eq "Intern"`,
	`schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`,
	`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`,
	`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`,
	`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`,
	`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "E1"`,
	`active eq "False" and userName eq "a\"b\u00e9"`,
	`title eq null`,
}

// FuzzParse checks that Parse never panics and that every accepted filter
// prints a canonical form that parses back to itself.
func FuzzParse(f *testing.F) {
	for _, s := range filterSeeds {
		f.Add(s)
	}
	user, group := decode(f, userJSON), decode(f, groupJSON)
	f.Fuzz(func(t *testing.T, s string) {
		for _, rt := range []*schema.ResourceType{schema.User, schema.Group} {
			doc := user
			if rt == schema.Group {
				doc = group
			}
			checkFilter(t, s, rt, doc)
		}
	})
}

func checkFilter(t *testing.T, s string, rt *schema.ResourceType, doc map[string]any) {
	f, err := Parse(s, rt)
	if err != nil {
		if e, ok := err.(*Error); !ok || e.ScimType != InvalidFilter || e.Detail == "" {
			t.Fatalf("Parse(%q): got error %#v, want an *Error with invalidFilter", s, err)
		}
		return
	}
	canon := f.String()
	f.Conjuncts()
	if len(canon) > MaxLength {
		return // the canonical form spells URNs out and may outgrow the limit
	}
	g, err := Parse(canon, rt)
	if err != nil {
		t.Fatalf("Parse(%q) = %s, which does not parse: %v", s, canon, err)
	}
	if got := g.String(); got != canon {
		t.Fatalf("Parse(%q) = %s, which parses to %s", s, canon, got)
	}
	if f.Match(doc) != g.Match(doc) {
		t.Fatalf("Parse(%q) and its canonical form %s match differently", s, canon)
	}
}

// Paths Entra and Okta send (entra-scim-client.md §1.7, §1.9, Q3, Q7, Q15,
// Q27).
var pathSeeds = []string{
	`userName`,
	`emails[type eq "work"].value`,
	`name.familyName`,
	`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`,
	`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`,
	`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`,
	`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.employeeNumber`,
	`manager[value eq "2819c223-7f76-453a-919d-413861904646"]`,
	`addresses[type eq "work"].formatted`,
	`phoneNumbers[type eq "mobile"].value`,
	`emails[type eq "other"].Value`,
	`roles[primary eq "True"].value`,
	`members`,
	`members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]`,
	`urn:ietf:params:scim:schemas:extension:CustomExt:2.0:User:costCode`,
	`active`,
}

// FuzzParsePath checks that ParsePath never panics and that every accepted
// path prints a canonical form that parses back to itself.
func FuzzParsePath(f *testing.F) {
	for _, s := range pathSeeds {
		f.Add(s)
	}
	elem := map[string]any{"type": "work", "value": "a@x", "primary": true}
	f.Fuzz(func(t *testing.T, s string) {
		for _, rt := range []*schema.ResourceType{schema.User, schema.Group} {
			checkPath(t, s, rt, elem)
		}
	})
}

func checkPath(t *testing.T, s string, rt *schema.ResourceType, elem map[string]any) {
	p, err := ParsePath(s, rt)
	if err != nil {
		if e, ok := err.(*Error); !ok || e.ScimType != InvalidPath || e.Detail == "" {
			t.Fatalf("ParsePath(%q): got error %#v, want an *Error with invalidPath", s, err)
		}
		return
	}
	if p.Filter != nil {
		p.Filter.MatchElement(elem)
		p.Filter.Equalities()
	}
	canon := p.String()
	if len(canon) > MaxLength {
		return
	}
	q, err := ParsePath(canon, rt)
	if err != nil {
		t.Fatalf("ParsePath(%q) = %s, which does not parse: %v", s, canon, err)
	}
	if got := q.String(); got != canon {
		t.Fatalf("ParsePath(%q) = %s, which parses to %s", s, canon, got)
	}
}
