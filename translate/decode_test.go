package translate

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// decodeSeeds are bodies where gjson and encoding/json could part ways.
var decodeSeeds = []string{
	`{}`, `[]`, `null`, `true`, `0`, `-1.5e+3`, `"s"`, ` {"a" : [1, 2.0, -0, 1E9] } `,
	`{"a":1,"a":2}`, `{"A":1,"a":2}`, `{"a":{"b":{"c":[{"d":null}]}}}`,
	`{"members":[{"value":"1"},{"value":"2","display":"Two"},{"value":"3","$ref":"x","type":"User"}]}`,
	`"\u00e9\n\t\"\\/"`, `"\ud83d\ude00"`, `"\ud800"`, `"\udc00x"`, `"\uD83D"`, `{"\ud800":1}`, `"\\u d800"`, `"\\ud800"`,
	`{} {}`, `{}x`, `[1,]`, `{"a":1,}`, `{'a':1}`, `01`, `1.`, `.5`, `+1`, `1e`, `--1`, `NaN`, `tru`, `nul`,
	"\"a\nb\"", "\"a\x01b\"", `"\x"`, `"\u12"`, `"\u12zz"`, `[`, `]`, `{"a"}`, `{"a":}`, `{1:2}`,
	"\ufeff{}", "{}\x00", "\x00", "", " ", "\t\n\r {}\t\n\r",
	strings.Repeat("[", 31) + strings.Repeat("]", 31), strings.Repeat(`{"a":`, 40) + "1" + strings.Repeat("}", 40),
	`[` + strings.Repeat(`{"value":"12"},`, 99) + `{"value":"13"}]`,
	// Duplicate member names, plain, nested, escaped, deep, beside surrogates.
	`{"a":{"b":1,"b":2}}`, `[{"a":1},{"a":1}]`, `{"a":[{"b":1}],"b":{"a":1}}`, `{"a":1,"\u0061":2}`,
	`{"\ud800":1,"\ud800":2}`, `{"\ud800":1,"\udc00":2}`, `{"a":"\ud800","a":1}`, `{"a":[1,{"a":2}],"a":3}`,
	strings.Repeat(`{"a":`, 40) + `{"b":1,"b":2}` + strings.Repeat("}", 40),
	strings.Repeat(`[`, 40) + `{"b":1,"c":{"b":2}}` + strings.Repeat("]", 40),
	`{"Operations":[{"op":"replace","value":{"active":false,"active":true}}]}`,
}

// checkDecodeAgrees fails when decodeJSON and encoding/json disagree on
// body: both must fail, or both succeed with the same value.
func checkDecodeAgrees(t *testing.T, body []byte) {
	t.Helper()
	got, gotErr := decodeJSON(body)
	want, wantErr := decodeJSONStd(body)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("body %.120q: got error %v, encoding/json %v", body, gotErr, wantErr)
	}
	if gotErr != nil {
		var ge, we *Error
		if !errors.As(gotErr, &ge) || !errors.As(wantErr, &we) || ge.Status != we.Status || ge.ScimType != we.ScimType {
			t.Fatalf("body %.120q: got %v, encoding/json %v", body, gotErr, wantErr)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("body %.120q: got %#v, encoding/json %#v", body, got, want)
	}
}

func TestDecodeJSONAgrees(t *testing.T) {
	deep := []string{ // past the fast path's depth, and encoding/json's
		strings.Repeat("[", 9999) + strings.Repeat("]", 9999),
		strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	}
	for _, s := range append(append(decodeSeeds, deep...), fuzzPatchSeeds...) {
		checkDecodeAgrees(t, []byte(s))
	}
}

// FuzzDecodeJSONAgrees holds the gjson-built decoding to encoding/json's.
func FuzzDecodeJSONAgrees(f *testing.F) {
	for _, s := range append(decodeSeeds, fuzzPatchSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDecodeAgrees)
}

// TestDecodeJSONDuplicates: an object that names a member twice is 400
// invalidSyntax on both paths, however the names are spelt; the same name
// in two objects is fine.
func TestDecodeJSONDuplicates(t *testing.T) {
	for _, tt := range []struct {
		body string
		dup  bool
	}{
		{`{"userName":"a","userName":"b"}`, true},
		{`{"userName":"a","user\u004eame":"b"}`, true},
		{`{"a":{"b":1,"b":2}}`, true},
		{strings.Repeat(`[`, 40) + `{"b":1,"b":2}` + strings.Repeat("]", 40), true},
		{`{"\ud800":1,"\udc00":2}`, true},          // both decode to U+FFFD
		{`{"userName":"a","UserName":"b"}`, false}, // case: left to the schema
		{`[{"a":1},{"a":1}]`, false},
		{`{"a":{"a":{"a":1}}}`, false},
	} {
		for name, decode := range map[string]func([]byte) (any, error){"decodeJSON": decodeJSON, "decodeJSONStd": decodeJSONStd} {
			_, err := decode([]byte(tt.body))
			if e := AsError(err); tt.dup && (err == nil || e.Status != 400 || e.ScimType != InvalidSyntax) {
				t.Errorf("%s(%s): got %v, want 400 invalidSyntax", name, tt.body, err)
			} else if !tt.dup && err != nil {
				t.Errorf("%s(%s): got %v, want no error", name, tt.body, err)
			}
		}
	}
}

// TestDecodeUserNoting: names that belong to no schema are ignored and
// reported once each, sorted; unqualified enterprise attributes are read
// as the extension's; stored attributes must have their schema's shape.
func TestDecodeUserNoting(t *testing.T) {
	m, err := NewMapping(nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	doc, err := m.DecodeUserNoting([]byte(`{"userName":"u@x","adreses":[{"locality":"Leeds"}],"department":"R&D",`+
		`"name":{"givenName":"U","shoeSize":"44"},"emails":[{"value":"u@x","tipe":"work"},{"value":"v@x","tipe":"home"}],`+
		`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"badge":"1"},"urn:x:custom":{"a":1}}`),
		func(n string) { names = append(names, n) })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"adreses", "emails.tipe", "name.shoeSize", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:badge", "urn:x:custom"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("got names %q, want %q", names, want)
	}
	if got := m.ToHector(doc)["department"]; got != "R&D" {
		t.Errorf("got department %v, want R&D", got)
	}
	for _, body := range []string{
		`{"userName":"u@x","emails":"u@x"}`,
		`{"userName":"u@x","emails":{"value":"u@x"}}`,
		`{"userName":"u@x","emails":["u@x"]}`,
		`{"userName":"u@x","name":[{"givenName":"U"}]}`,
	} {
		if _, err := m.DecodeUser([]byte(body)); AsError(err).ScimType != InvalidValue {
			t.Errorf("DecodeUser(%s): got %v, want 400 invalidValue", body, err)
		}
	}
}
