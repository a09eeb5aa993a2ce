package translate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// The hot paths of one SCIM request, without the Hector round trip: render
// a stored user (every GET, list page and write answer), map a user to
// Hector fields (POST, PUT, PATCH), parse and apply a PATCH, and plan and
// evaluate a filter (GET by filter).

// benchRecord is a Hector user as GET /users/{id} returns it
// (hector-legacy-api.md "Users").
var benchRecord = []byte(`{
  "id": 1042,
  "username": "ada@contoso.example",
  "email": "ada.lovelace@contoso.example",
  "identifier": "E1234",
  "first_name": "Ada",
  "last_name": "Lovelace",
  "external_id": "9b1c4a8e-0f3e-4b7a-9a53-2b8f1d6c7e10",
  "status": "active",
  "role": "user",
  "title": "Engineer",
  "department": "R&D",
  "phone": "+1 555 0100",
  "locale": "en-CA",
  "groups": [{"id": 7, "name": "hector_staff"}],
  "created_at": "2026-01-02T03:04:05Z",
  "updated_at": "2026-01-02T03:04:05Z"
}`)

// benchPatch is Entra's default-mode PATCH of several attributes
// (entra-scim-client.md §1.7.3).
var benchPatch = []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 "Operations":[
   {"op":"Replace","path":"displayName","value":"Pvlo"},
   {"op":"Replace","path":"emails[type eq \"work\"].value","value":"TestBcwqnm@test.microsoft.com"},
   {"op":"Replace","path":"name.givenName","value":"Gtfd"},
   {"op":"Replace","path":"name.familyName","value":"Pkqf"},
   {"op":"Replace","path":"externalId","value":"Eqpj"},
   {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"Eqpj"}]}`)

func benchMapping(b *testing.B) *Mapping {
	b.Helper()
	m, err := NewMapping(nil)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

const benchBase = "https://scim.example/scim/v2"

func BenchmarkFromHector(b *testing.B) {
	m := benchMapping(b)
	b.ReportAllocs()
	for b.Loop() {
		if doc := m.FromHector(benchRecord); len(doc) == 0 {
			b.Fatal("empty document")
		}
	}
}

// BenchmarkRenderUser renders the full resource: mapping, schemas and meta
// with its version (a hash of the JSON encoding).
func BenchmarkRenderUser(b *testing.B) {
	m := benchMapping(b)
	b.ReportAllocs()
	for b.Loop() {
		if doc := m.RenderUser(benchRecord, benchBase); doc["id"] != "1042" {
			b.Fatalf("got id %v", doc["id"])
		}
	}
}

func BenchmarkToHector(b *testing.B) {
	m := benchMapping(b)
	doc := m.FromHector(benchRecord)
	b.ReportAllocs()
	for b.Loop() {
		if f := m.ToHector(doc); f["username"] != "ada@contoso.example" {
			b.Fatalf("got username %v", f["username"])
		}
	}
}

func BenchmarkParsePatch(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePatch(benchPatch, schema.User); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyPatch is the pure part of PatchUser: parse the body, copy
// the rendered document and apply the operations to the copy.
func BenchmarkApplyPatch(b *testing.B) {
	m := benchMapping(b)
	old := m.FromHector(benchRecord)
	b.ReportAllocs()
	for b.Loop() {
		ops, err := ParsePatch(benchPatch, schema.User)
		if err != nil {
			b.Fatal(err)
		}
		doc := deepCopy(old).(map[string]any)
		if err := applyOps(doc, ops, m.keep); err != nil {
			b.Fatal(err)
		}
	}
}

// benchFilters are the filters Entra sends on every matching lookup and
// reference check.
var benchFilters = []struct{ name, filter string }{
	{"userName", `userName eq "ada@contoso.example"`},
	{"Entra value path", `emails[type eq "work"].value eq "ada.lovelace@contoso.example"`},
	{"reference check", `id eq "1042" and manager eq "2819c223-7f76-453a-919d-413861904646"`},
}

// BenchmarkFilterMatch evaluates a parsed filter over a rendered user, as
// a filter evaluated in memory does for every user it scans.
func BenchmarkFilterMatch(b *testing.B) {
	m := benchMapping(b)
	doc := m.RenderUser(benchRecord, benchBase)
	for _, bf := range benchFilters {
		f, err := filter.Parse(bf.filter, schema.User)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bf.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f.Match(doc)
			}
		})
	}
}

// BenchmarkPlanFilter is the CPU a GET by filter spends before it calls
// Hector: parse the filter and plan its push-down.
func BenchmarkPlanFilter(b *testing.B) {
	m := benchMapping(b)
	for _, bf := range benchFilters {
		b.Run(bf.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f, err := filter.Parse(bf.filter, schema.User)
				if err != nil {
					b.Fatal(err)
				}
				m.PlanUsers(f)
			}
		})
	}
}

// benchMemberPatch adds 100 members, as Entra sends it.
var benchMemberPatch = func() []byte {
	var b strings.Builder
	b.WriteString(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"$ref":null,"value":"%d"}`, 1000+i)
	}
	b.WriteString(`]}]}`)
	return []byte(b.String())
}()

// BenchmarkGroupPatch100 is the pure part of a group PATCH adding 100
// members: parse the body and fold the operations into member ids.
func BenchmarkGroupPatch100(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ops, err := ParsePatch(benchMemberPatch, schema.Group)
		if err != nil {
			b.Fatal(err)
		}
		ch, err := groupPatch(ops)
		if err != nil || len(ch.Members.Add) != 100 {
			b.Fatalf("got %+v, %v; want 100 adds", ch.Members, err)
		}
	}
}
