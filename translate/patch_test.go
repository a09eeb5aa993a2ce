package translate

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// doc decodes a JSON document for the tests.
func doc(t *testing.T, s string) Resource {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func keepAll(schema.Ref) bool { return true }

// applyBody parses a PATCH body as a client sends it and applies it to a
// user document with every attribute kept.
func applyBody(t *testing.T, start, body string) (Resource, error) {
	t.Helper()
	d := doc(t, start)
	ops, err := ParsePatch([]byte(body), schema.User)
	if err != nil {
		return d, err
	}
	return d, applyOps(d, ops, keepAll)
}

const base = `{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"Engineer","active":true}`

// TestPatchQuirks has one case per client quirk of entra-scim-client.md §2,
// each with the body exactly as the client sends it.
func TestPatchQuirks(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"Q1 capitalised op", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"title","value":"Lead"}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"Lead","active":true}`},
		{"Q2 string boolean", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"Engineer","active":false}`},
		{"Q3 no-path dotted and URN keys", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"name.givenName":"Kkom","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Kkom","familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"Engineer","active":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"Aklq"}}`},
		{"Q3 filtered key in a no-path value", `{"Operations":[{"op":"replace","value":{"emails[type eq \"work\"].value":"x@contoso.example"}}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"x@contoso.example","type":"work"}],"title":"Engineer","active":true}`},
		{"Q3 nested objects (Okta)", `{"Operations":[{"op":"replace","value":{"name":{"givenName":"Augusta"},"active":false}}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Augusta","familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"Engineer","active":false}`},
		{"Q4 remove with a value array removes only those values", `{"Operations":[{"op":"Remove","path":"emails","value":[{"value":"other@x"}]}]}`,
			base},
		{"Q5 filtered add creates one element for several ops", `{"Operations":[{"op":"add","path":"phoneNumbers[type eq \"work\"].value","value":"+1 555"},{"op":"add","path":"phoneNumbers[type eq \"work\"].display","value":"desk"}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"Engineer","active":true,"phoneNumbers":[{"type":"work","value":"+1 555","display":"desk"}]}`},
		{"Q8 empty string removes", `{"Operations":[{"op":"replace","path":"title","value":""}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"active":true}`},
		{"Q8 null removes", `{"Operations":[{"op":"replace","path":"name.givenName","value":null}]}`,
			`{"userName":"ada@contoso.example","name":{"familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"Engineer","active":true}`},
		{"Q11 unknown schema URN in schemas", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp","urn:bogus"],"Operations":[{"op":"replace","path":"title","value":"X"}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"X","active":true}`},
		{"Q14 unknown extension is ignored", `{"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:Custom:2.0:User:badge","value":"7"}]}`,
			base},
		{"Q15 case-insensitive names and keys", `{"OPERATIONS":[{"Op":"REPLACE","Path":"Name.FamilyName","Value":"Byron"}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Byron"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"Engineer","active":true}`},
		{"Q21 add of a value that is already there", `{"Operations":[{"op":"add","path":"emails","value":[{"value":"ada@contoso.example","type":"work"}]}]}`,
			base},
		{"Q22 add on a single-valued attribute replaces", `{"Operations":[{"op":"Add","path":"title","value":"Fellow"}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"Fellow","active":true}`},
		{"Okta no-path replace carrying id and meta", `{"Operations":[{"op":"replace","value":{"id":"42","meta":{"resourceType":"User"},"active":false}}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"value":"ada@contoso.example","type":"work"}],"title":"Engineer","active":false}`},
		{"remove of a filtered element", `{"Operations":[{"op":"remove","path":"emails[type eq \"work\"]"}]}`,
			`{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"title":"Engineer","active":true}`},
		{"remove of a filter that matches nothing changes nothing", `{"Operations":[{"op":"Remove","path":"emails[type eq \"home\"]"}]}`,
			base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := applyBody(t, base, tt.body)
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if want := doc(t, tt.want); !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				t.Errorf("got %s\nwant %s", g, tt.want)
			}
		})
	}
}

// TestPatchErrors checks that bad PATCH bodies are SCIM errors with the
// right scimType.
func TestPatchErrors(t *testing.T) {
	tests := []struct {
		name, body, scimType string
	}{
		{"not JSON", `{"Operations":[`, InvalidSyntax},
		{"not an object", `[]`, InvalidSyntax},
		{"no operations", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}`, InvalidSyntax},
		{"empty operations", `{"Operations":[]}`, InvalidSyntax},
		{"unknown op", `{"Operations":[{"op":"move","path":"title","value":"x"}]}`, InvalidSyntax},
		{"op not a string", `{"Operations":[{"op":1,"path":"title"}]}`, InvalidSyntax},
		{"operation not an object", `{"Operations":["replace"]}`, InvalidSyntax},
		{"remove without path", `{"Operations":[{"op":"remove"}]}`, NoTarget},
		{"no-path value not an object", `{"Operations":[{"op":"replace","value":"x"}]}`, InvalidValue},
		{"unknown attribute", `{"Operations":[{"op":"replace","path":"favoriteColor","value":"x"}]}`, InvalidPath},
		{"unknown attribute in a no-path value", `{"Operations":[{"op":"replace","value":{"favoriteColor":"x"}}]}`, InvalidPath},
		{"unknown sub-attribute", `{"Operations":[{"op":"replace","path":"name.shoeSize","value":"x"}]}`, InvalidPath},
		{"bad path syntax", `{"Operations":[{"op":"replace","path":"emails[type eq","value":"x"}]}`, InvalidPath},
		{"path not a string", `{"Operations":[{"op":"replace","path":7,"value":"x"}]}`, InvalidPath},
		{"wrong type for a string", `{"Operations":[{"op":"replace","path":"title","value":{"a":1}}]}`, InvalidValue},
		{"wrong type for a boolean", `{"Operations":[{"op":"replace","path":"active","value":"maybe"}]}`, InvalidValue},
		{"read-only attribute", `{"Operations":[{"op":"replace","path":"meta.created","value":"x"}]}`, Mutability},
		{"add without value", `{"Operations":[{"op":"add","path":"title"}]}`, InvalidSyntax},
		{"replace without value", `{"Operations":[{"op":"Replace","path":"name.givenName"}]}`, InvalidSyntax},
		{"path a schema URN", `{"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User","value":{"title":"x"}}]}`, InvalidPath},
		{"path the extension URN", `{"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"department":"x"}}]}`, InvalidPath},
		{"remove a required attribute", `{"Operations":[{"op":"remove","path":"userName"}]}`, Mutability},
		{"emails a string", `{"Operations":[{"op":"replace","path":"emails","value":"x@y"}]}`, InvalidValue},
		{"filtered replace with no way to create", `{"Operations":[{"op":"replace","path":"emails[value co \"zzz\"].type","value":"home"}]}`, NoTarget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := applyBody(t, base, tt.body)
			e := AsError(err)
			if err == nil || e.Status != 400 || e.ScimType != tt.scimType {
				t.Errorf("got %v, want 400 %s", err, tt.scimType)
			}
		})
	}
}
