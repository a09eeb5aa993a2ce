package translate

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// memberPatchSeeds are group PATCH bodies on both sides of the fast path's
// shape.
var memberPatchSeeds = []string{
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"value":"1"},{"value":"2"}]}]}`,
	// Entra's add and default-mode remove ($ref is null).
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"12"},{"$ref":null,"value":"13"}]}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"12"}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":"1","display":null,"type":null}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":null}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":"1","extra":null}]}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"value":"1"}]}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members"}]}`,
	`{"schemas":[],"Operations":[{"op":"replace","path":"members","value":[{"value":"3","display":"Ada"},{"value":"3"}]}]}`,
	`{"Operations":[{"op":"remove","path":"members","value":[{"value":"5"}]},{"op":"add","path":"members","value":[{"value":"5","type":"User","$ref":"https://x/Users/5"}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":"0"}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":"x"}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":""}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":null}]}`,
	`{"Operations":[{"op":"add","path":"members","value":{"value":"1"}}]}`,
	`{"Operations":[{"op":"add","path":"members","value":["1"]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":1}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":"1","value":"2"}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"Value":"1"}]}]}`,
	`{"Operations":[{"op":"add","path":"Members","value":[{"value":"1"}]}]}`,
	`{"Operations":[{"op":"add","path":"members[value eq \"1\"]","value":[{"value":"1"}]}]}`,
	`{"Operations":[{"op":"move","path":"members","value":[{"value":"1"}]}]}`,
	`{"Operations":[{"op":"add","value":{"members":[{"value":"1"}]}}]}`,
	`{"Operations":[{"op":"replace","path":"displayName","value":"New"}]}`,
	`{"Operations":[]}`, `{"Operations":{}}`, `{"operations":[{"op":"add","path":"members","value":[{"value":"1"}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":"\u0031"}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":"1","display":"\ud83d\ude00"}]}]}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":"1"}]}],"extra":1}`,
	`{"Operations":[{"op":"add","path":"members","value":[{"value":"1"}]}]} x`,
}

// checkMemberPatchAgrees fails when the fast path takes a body and the
// general path gives another group change for it.
func checkMemberPatchAgrees(t *testing.T, body []byte) {
	t.Helper()
	fast, ok := parseMemberPatch(body, schema.Group)
	if !ok {
		return
	}
	general, err := parsePatchGeneral(body, schema.Group)
	if err != nil {
		t.Fatalf("body %.200q: the fast path took it, the general path refused it: %v", body, err)
	}
	got, gotErr := groupPatch(fast)
	want, wantErr := groupPatch(general)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
		t.Fatalf("body %.200q: fast %+v, %v; general %+v, %v", body, got, gotErr, want, wantErr)
	}
}

func TestMemberPatchAgrees(t *testing.T) {
	taken := 0
	for _, s := range append(append(memberPatchSeeds, fuzzGroupSeeds...), fuzzPatchSeeds...) {
		checkMemberPatchAgrees(t, []byte(s))
		if _, ok := parseMemberPatch([]byte(s), schema.Group); ok {
			taken++
		}
	}
	if taken < 8 {
		t.Errorf("the fast path took %d seeds, want at least the eight plain ones", taken)
	}
	// Entra's own form takes it.
	if _, ok := parseMemberPatch([]byte(memberPatchSeeds[1]), schema.Group); !ok {
		t.Error("the fast path refused Entra's add with \"$ref\": null")
	}
	// Users never take it.
	if _, ok := parseMemberPatch([]byte(memberPatchSeeds[0]), schema.User); ok {
		t.Error("the fast path took a User PATCH")
	}
}

func TestMemberPatchTooManyOperations(t *testing.T) {
	op := `{"op":"add","path":"members","value":[{"value":"1"}]}`
	body := `{"Operations":[` + strings.TrimSuffix(strings.Repeat(op+",", MaxOperations+1), ",") + `]}`
	if _, ok := parseMemberPatch([]byte(body), schema.Group); ok {
		t.Fatal("the fast path took more than MaxOperations operations")
	}
	if _, err := ParsePatch([]byte(body), schema.Group); err == nil {
		t.Fatal("ParsePatch accepted more than MaxOperations operations")
	}
}

// FuzzMemberPatchAgrees holds the group PATCH fast path to the general one.
func FuzzMemberPatchAgrees(f *testing.F) {
	for _, s := range append(append(memberPatchSeeds, fuzzGroupSeeds...), fuzzPatchSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(checkMemberPatchAgrees)
}

// TestMemberPatchValuesAgree runs member values of every shape, plain or
// not, through both paths with each op: wherever the fast path takes one,
// the group change must be the general path's.
func TestMemberPatchValuesAgree(t *testing.T) {
	for _, v := range []string{
		`[{"value":"1"},{"value":"2"},{"value":"1"}]`,
		`[{"value":"1","display":"One"},{"value":"2","type":"User","$ref":"https://x/Users/2"}]`,
		`[{"value":"1","display":""}]`,
		`[{"value":"0"}]`,
		`[{"value":"-3"}]`,
		`[{"value":"x"}]`,
		`[{"value":"01"}]`,
		`[{"value":" 1"}]`,
		`[{"value":""}]`,
		`[{"value":"1"},{"value":""}]`,
		`[{"display":"x"}]`,
		`[{"value":1}]`,
		`[{"value":"1","display":2}]`,
		`[{"Value":"1"}]`,
		`[{"value":"1","extra":"x"}]`,
		`["1"]`,
		`[""]`,
		`{"value":"1"}`,
		`"1"`,
		`[]`,
		`[[{"value":"1"}]]`,
		`[null]`,
		`[{"value":"1"},null]`,
		`[{"value":"9223372036854775807"}]`,
		`[{"value":"9223372036854775808"}]`,
		`[{"$ref":null,"value":"4"},{"$ref":null,"value":"5"}]`,
		`[{"value":"4","display":null}]`,
		`[{"value":null}]`,
	} {
		for _, op := range []string{"add", "replace", "remove"} {
			checkMemberPatchAgrees(t, []byte(`{"Operations":[{"op":"`+op+`","path":"members","value":`+v+`}]}`))
		}
	}
}
