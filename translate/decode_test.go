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
