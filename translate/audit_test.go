package translate

import (
	"slices"
	"testing"

	"github.com/tidwall/gjson"
)

// TestFieldValuesAsGjson holds the one-pass reader to gjson.GetBytes, the
// reference it replaces, over flat, nested, missing, duplicate and
// non-string fields.
func TestFieldValuesAsGjson(t *testing.T) {
	fields := []string{"email", "first_name", "role", "status", "address.city", "address.zip", "missing", "missing.deep", "tags", "n", "flag", `odd\.key`}
	records := []string{
		`{"id":7,"email":"ada@contoso.example","first_name":"Ada","role":"viewer","status":"active"}`,
		`{"email":"a@b","email":"second@b","address":{"city":"Paris","zip":"75001"},"tags":["x","y"],"n":12.5,"flag":true,"odd.key":"v"}`,
		`{"first_name":null,"address":"not an object","status":""}`,
		`{"first_name":"Jos\u00e9 \"Pepe\"","role":{"name":"admin"}}`,
		`{}`,
		`not json`,
		``,
	}
	for _, rec := range records {
		got := fieldValues([]byte(rec), fields)
		res := fieldResults([]byte(rec), fields)
		for i, f := range fields {
			want := gjson.Get(rec, f)
			if got[i] != want.String() {
				t.Errorf("record %s, field %s: got %q, want %q (gjson)", rec, f, got[i], want.String())
			}
			if res[i].Type != want.Type || res[i].Raw != want.Raw || res[i].Exists() != want.Exists() {
				t.Errorf("record %s, field %s: got result %+v, want %+v (gjson)", rec, f, res[i], want)
			}
		}
	}
}

func TestFieldChanges(t *testing.T) {
	before := []byte(`{"id":7,"email":"ada@contoso.example","first_name":"Ada","role":"viewer","status":"active"}`)
	after := []byte(`{"id":7,"email":"ada@contoso.example","first_name":"Augusta","role":"editor","status":"active"}`)
	got := FieldChanges(before, after, []string{"email", "first_name", "last_name", "role", "status"})
	want := []FieldChange{{"first_name", "Ada", "Augusta"}, {"role", "viewer", "editor"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := FieldChanges(nil, after, []string{"email", "last_name"}); !slices.Equal(got, []FieldChange{{"email", "", "ada@contoso.example"}}) {
		t.Errorf("create: got %v", got)
	}
}
