package filter

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	lib "github.com/scim2/filter-parser/v2"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// entraSeeds are the filters and paths of entra-scim-client.md (§1.2,
// §1.5, §1.7, §1.9, §5, §6 and quirks Q3–Q27), as Entra and Okta send them.
var entraSeeds = []string{
	`userName eq "52c0c43e-5f0a-4a7e-9d61-3c6d2b7f8e11"`,
	`userName eq "alice@contoso.com"`,
	`externalId eq "johnwong"`,
	`externalId eq jyoung`,
	`emails[type eq "work"].value eq "alice@contoso.com"`,
	`displayName eq "52c0c43e-5f0a-4a7e-9d61-3c6d2b7f8e11"`,
	`displayName eq "Engineering"`,
	`id eq "54D382A4-2050-4C03-94D1-E769F1D15682" and manager eq "2819c223-7f76-453a-919d-413861904646"`,
	`members eq "f648f8d5ea4e4cd38e9c"`,
	`userName`, `displayName`, `externalId`, `active`, `title`, `nickName`, `roles`, `members`, `manager`,
	`name.givenName`, `name.familyName`,
	`emails[type eq "work"].value`, `emails[type eq "other"].value`, `emails[type eq "other"].Value`,
	`phoneNumbers[type eq "work"].value`, `phoneNumbers[type eq "mobile"].value`, `phoneNumbers[type eq "fax"].value`,
	`addresses[type eq "work"].formatted`, `addresses[type eq "work"].Formatted`, `addresses[type eq "other"].formatted`,
	`addresses[type eq "work"].streetAddress`, `addresses[type eq "work"].locality`, `addresses[type eq "work"].region`,
	`addresses[type eq "work"].postalCode`, `addresses[type eq "work"].country`,
	`roles[primary eq "True"].value`, `roles[primary eq "True"].display`, `roles[primary eq "True"].type`,
	`manager[value eq "2819c223-7f76-453a-919d-413861904646"]`,
	`members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]`,
	schema.EnterpriseURN, schema.EnterpriseURN + `:employeeNumber`, schema.EnterpriseURN + `:manager`,
	schema.EnterpriseURN + `.employeeNumber`,
}

// testInputs returns every filter and path of this package's tests: the
// Entra seeds and every string constant in the test files (constant
// expressions such as ent + `:employeeNumber` included). Strings that are
// neither filters nor paths do no harm: both parsers must reject them.
func testInputs(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	out := slices.Clone(entraSeeds)
	for _, name := range files {
		f, err := parser.ParseFile(gotoken.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := constString(n); ok && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
			return true
		})
	}
	return out
}

// constString evaluates a string literal, the constant ent, or a sum of
// them.
func constString(n ast.Node) (string, bool) {
	switch n := n.(type) {
	case *ast.BasicLit:
		if n.Kind != gotoken.STRING {
			return "", false
		}
		s, err := strconv.Unquote(n.Value)
		return s, err == nil
	case *ast.Ident:
		return ent, n.Name == "ent"
	case *ast.BinaryExpr:
		l, ok1 := constString(n.X)
		r, ok2 := constString(n.Y)
		return l + r, n.Op == gotoken.ADD && ok1 && ok2
	}
	return "", false
}

// matchDocs are the documents Match is compared on: a user and a group as
// rendered, one of each with other values, an empty one, and one of the
// wrong shapes.
func matchDocs(t testing.TB) []map[string]any {
	return []map[string]any{
		decode(t, userJSON),
		decode(t, groupJSON),
		decode(t, `{"userName":"x","externalId":"jyoung","active":"False","title":null,
			"emails":[{"value":"x","type":"work"},{"value":"alice@contoso.com","type":"other","primary":"true"}],
			"roles":[{"value":"Admin","primary":true}],"addresses":[{"type":"work","locality":"Redmond"}],
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:user":{"Manager":{"value":"2819c223-7f76-453a-919d-413861904646"},"employeeNumber":12345},
			"id":"54D382A4-2050-4C03-94D1-E769F1D15682","members":[{"value":"f648f8d5ea4e4cd38e9c"}]}`),
		{},
		{"userName": []any{"a", 1.0}, "name": "x", "emails": map[string]any{"value": "a@x"}, "active": 1.0, "meta": []any{"x"}, ent: "x"},
	}
}

// matchElems are the elements MatchElement is compared on.
var matchElems = []map[string]any{
	{"type": "work", "value": "a@x", "primary": true},
	{"Type": "WORK", "Value": "alice@contoso.com"},
	{"type": "other", "primary": "True", "value": "Admin"},
	{"value": "2819c223-7f76-453a-919d-413861904646"},
	{},
}

// diffFilter checks the fast path against the full parser on one filter
// and reports whether the fast path took it.
func diffFilter(t *testing.T, s string, rt *schema.ResourceType, docs []map[string]any) bool {
	t.Helper()
	fast, ok := fastFilter(s, rt)
	if !ok {
		return false
	}
	full, err := parseFilter(s, rt)
	if err != nil {
		t.Fatalf("%s: fast path accepts %q, the full parser rejects it: %v", rt.Name, s, err)
	}
	f, g := &Filter{root: fast}, &Filter{root: full}
	if got, want := f.String(), g.String(); got != want {
		t.Fatalf("%s: %q: got String %s, want %s", rt.Name, s, got, want)
	}
	gotTerms, gotExact := f.Conjuncts()
	wantTerms, wantExact := g.Conjuncts()
	if !reflect.DeepEqual(gotTerms, wantTerms) || gotExact != wantExact {
		t.Fatalf("%s: %q: got Conjuncts %#v, %v, want %#v, %v", rt.Name, s, gotTerms, gotExact, wantTerms, wantExact)
	}
	for i, doc := range docs {
		if got, want := f.Match(doc), g.Match(doc); got != want {
			t.Fatalf("%s: %q: document %d: got Match %v, want %v", rt.Name, s, i, got, want)
		}
	}
	if !reflect.DeepEqual(fast, full) {
		t.Fatalf("%s: %q: the fast path builds a different tree: %#v, want %#v", rt.Name, s, fast, full)
	}
	return true
}

// diffPath checks the fast path against the full parser on one path and
// reports whether the fast path took it.
func diffPath(t *testing.T, s string, rt *schema.ResourceType) bool {
	t.Helper()
	s = strings.TrimSpace(s)
	fast, ok := fastPath(s, rt)
	if !ok {
		return false
	}
	full, err := parsePath(s, rt)
	if err != nil {
		t.Fatalf("%s: fast path accepts %q, the full parser rejects it: %v", rt.Name, s, err)
	}
	if got, want := fast.String(), full.String(); got != want {
		t.Fatalf("%s: %q: got String %s, want %s", rt.Name, s, got, want)
	}
	if (fast.Filter == nil) != (full.Filter == nil) {
		t.Fatalf("%s: %q: got Filter %v, want %v", rt.Name, s, fast.Filter, full.Filter)
	}
	if fast.Filter != nil {
		for i, e := range matchElems {
			if got, want := fast.Filter.MatchElement(e), full.Filter.MatchElement(e); got != want {
				t.Fatalf("%s: %q: element %d: got MatchElement %v, want %v", rt.Name, s, i, got, want)
			}
		}
		gotEq, gotOK := fast.Filter.Equalities()
		wantEq, wantOK := full.Filter.Equalities()
		if !reflect.DeepEqual(gotEq, wantEq) || gotOK != wantOK {
			t.Fatalf("%s: %q: got Equalities %v, %v, want %v, %v", rt.Name, s, gotEq, gotOK, wantEq, wantOK)
		}
	}
	if !reflect.DeepEqual(fast, full) {
		t.Fatalf("%s: %q: the fast path builds a different path: %#v, want %#v", rt.Name, s, fast, full)
	}
	return true
}

// diffAttrSyntax checks attrSyntax against the grammar on one word.
func diffAttrSyntax(t *testing.T, w string) {
	t.Helper()
	ok, isPlain := attrSyntax(w)
	ap, err := lib.ParseAttrPath([]byte(w))
	wantPlain := err == nil && ap.URIPrefix == nil && ap.SubAttribute == nil
	if ok != (err == nil) || isPlain != wantPlain || (ok && joinAttr(ap) != w) {
		t.Fatalf("attrSyntax(%q) = %v, %v; the grammar says %v, %v (%v)", w, ok, isPlain, err == nil, wantPlain, err)
	}
}

// FuzzFastPathFilter checks that whatever filter the fast path accepts, the
// full parser accepts too and reads the same: same tree, String,
// Conjuncts, and Match on every document of matchDocs.
func FuzzFastPathFilter(f *testing.F) {
	for _, s := range testInputs(f) {
		f.Add(s)
	}
	docs := matchDocs(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, rt := range resourceTypes {
			diffFilter(t, s, rt, docs)
		}
	})
}

// FuzzFastPathPath checks that whatever path the fast path accepts, the
// full parser accepts too and reads the same: same Path, String,
// MatchElement and Equalities; and that attrSyntax agrees with the
// grammar's attrPath rule on any input.
func FuzzFastPathPath(f *testing.F) {
	for _, s := range testInputs(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, rt := range resourceTypes {
			diffPath(t, s, rt)
		}
		diffAttrSyntax(t, s)
	})
}
