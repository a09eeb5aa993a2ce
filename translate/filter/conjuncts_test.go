package filter

import (
	"reflect"
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

var conjunctTests = []struct {
	name, in  string
	rt        *schema.ResourceType
	want      []Term
	wantExact bool
}{
	{"single eq", `userName eq "Alice@contoso.com"`, schema.User,
		[]Term{{"userName", "eq", "Alice@contoso.com"}}, true},
	{"and of eqs", `userName eq "a" and externalId eq "b" and id eq "42"`, schema.User,
		[]Term{{"userName", "eq", "a"}, {"externalId", "eq", "b"}, {"id", "eq", "42"}}, true},
	{"grouped ands", `(userName eq "a") and ((externalId eq "b"))`, schema.User,
		[]Term{{"userName", "eq", "a"}, {"externalId", "eq", "b"}}, true},
	{"Entra value-path form", `emails[type eq "work"].value eq "x@contoso.com"`, schema.User,
		[]Term{{`emails[type eq "work"].value`, "eq", "x@contoso.com"}}, true},
	{"RFC value path, type lowercased", `emails[type eq "Work" and value eq "x"]`, schema.User,
		[]Term{{`emails[type eq "work"].value`, "eq", "x"}}, true},
	{"value path, type second", `emails[value eq "x" and type eq "work"]`, schema.User,
		[]Term{{`emails[type eq "work"].value`, "eq", "x"}}, true},
	{"value path on another sub-attribute", `addresses[type eq "work" and locality eq "Redmond"]`, schema.User,
		[]Term{{`addresses[type eq "work"].locality`, "eq", "Redmond"}}, true},
	{"value path with one comparison", `emails[value eq "x"]`, schema.User,
		[]Term{{"emails.value", "eq", "x"}}, true},
	{"sub-attribute of multi-valued", `emails.value eq "x"`, schema.User,
		[]Term{{"emails.value", "eq", "x"}}, true},
	{"reference check", `id eq "54D382A4" and manager eq "2819c223"`, schema.User,
		[]Term{{"id", "eq", "54D382A4"}, {ent + ":manager.value", "eq", "2819c223"}}, true},
	{"members eq", `members eq "42"`, schema.Group,
		[]Term{{"members.value", "eq", "42"}}, true},
	{"group displayName", `displayName eq "Engineering"`, schema.Group,
		[]Term{{"displayName", "eq", "Engineering"}}, true},
	{"employeeNumber", `employeeNumber eq "E1"`, schema.User,
		[]Term{{ent + ":employeeNumber", "eq", "E1"}}, true},
	{"unquoted number on a string", `employeeNumber eq 12345`, schema.User,
		[]Term{{ent + ":employeeNumber", "eq", "12345"}}, true},
	{"string boolean", `active eq "False"`, schema.User,
		[]Term{{"active", "eq", false}}, true},
	{"lastModified", `meta.lastModified ge "2026-01-02T03:04:05Z" and active eq true`, schema.User,
		[]Term{{"meta.lastModified", "ge", "2026-01-02T03:04:05Z"}, {"active", "eq", true}}, true},
	{"pr", `title pr`, schema.User,
		[]Term{{"title", "pr", nil}}, true},
	{"ne null is pr", `title ne null`, schema.User,
		[]Term{{"title", "pr", nil}}, true},
	{"or", `userName eq "a" or userName eq "b"`, schema.User, nil, false},
	{"and with or", `userName eq "a" and (title pr or nickName pr)`, schema.User,
		[]Term{{"userName", "eq", "a"}}, false},
	{"and with not", `not (title pr) and userName eq "a"`, schema.User,
		[]Term{{"userName", "eq", "a"}}, false},
	{"eq null", `title eq null`, schema.User, nil, false},
	{"value path of three", `emails[type eq "work" and value co "x" and primary eq true]`, schema.User, nil, false},
	{"value path with or", `emails[type eq "work" or value eq "x"]`, schema.User, nil, false},
	{"value path on type twice", `emails[type eq "work" and type eq "home"]`, schema.User, nil, false},
	{"value path with type ne", `emails[type ne "work" and value eq "x"]`, schema.User, nil, false},
	{"Entra form and userName", `userName eq "y" and emails[type eq "work"].value eq "x"`, schema.User,
		[]Term{{"userName", "eq", "y"}, {`emails[type eq "work"].value`, "eq", "x"}}, true},
}

func TestConjuncts(t *testing.T) {
	for _, tt := range conjunctTests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.in, tt.rt)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got, exact := f.Conjuncts()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got terms %#v, want %#v", got, tt.want)
			}
			if exact != tt.wantExact {
				t.Errorf("got exact %v, want %v", exact, tt.wantExact)
			}
		})
	}
}
