package filter

import (
	"go/ast"
	goparser "go/parser"
	gotoken "go/token"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// resourceTypes are the resource types each input is parsed for.
var resourceTypes = []*schema.ResourceType{schema.User, schema.Group}

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
// neither filters nor paths do no harm.
func testInputs(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	out := slices.Clone(entraSeeds)
	for _, name := range files {
		f, err := goparser.ParseFile(gotoken.NewFileSet(), name, nil, 0)
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
