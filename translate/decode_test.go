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
	// The member fast path reads any value as the coerce path does.
	ids, err := valueIDs(got)
	cids, cerr := coercedValueIDs(got)
	if (err == nil) != (cerr == nil) || (err != nil && err.Error() != cerr.Error()) || !reflect.DeepEqual(ids, cids) {
		t.Fatalf("members %.120q: got %v, %v; coerce path %v, %v", body, ids, err, cids, cerr)
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

// FuzzDecodeJSONAgrees holds the gjson-built decoding to encoding/json's,
// and the member-list fast path to the coerce path.
func FuzzDecodeJSONAgrees(f *testing.F) {
	for _, s := range append(decodeSeeds, fuzzPatchSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDecodeAgrees)
}

func TestPlainMembersAgrees(t *testing.T) {
	for _, body := range []string{
		`[{"value":"1"},{"value":"2"},{"value":"1"}]`,
		`[{"value":"1","display":"One"},{"value":"2","type":"User","$ref":"https://x/Users/2"}]`,
		`[{"value":"1","display":""}]`,
		`[{"value":"0"}]`, `[{"value":"-3"}]`, `[{"value":"x"}]`, `[{"value":"01"}]`, `[{"value":" 1"}]`,
		`[{"value":""}]`, `[{"value":"1"},{"value":""}]`, `[{"display":"x"}]`, `[{"value":1}]`,
		`[{"value":"1","display":2}]`, `[{"Value":"1"}]`, `[{"value":"1","extra":"x"}]`,
		`["1"]`, `[""]`, `{"value":"1"}`, `"1"`, `[]`, `[[{"value":"1"}]]`, `[null]`, `[{"value":"1"},null]`,
		`[{"value":"9223372036854775807"}]`, `[{"value":"9223372036854775808"}]`,
		`[{"$ref":null,"value":"4"},{"$ref":null,"value":"5"}]`, `[{"value":"4","display":null}]`, `[{"value":null}]`,
	} {
		v, err := decodeJSON([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		got, gotErr := valueIDs(v)
		want, wantErr := coercedValueIDs(v)
		if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, %v; coerce path %v, %v", body, got, gotErr, want, wantErr)
		}
	}
}
