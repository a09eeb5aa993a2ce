package translate

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tidwall/sjson"

	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// Request bodies exactly as Entra and Okta send them
// (shared/entra-scim-client.md): every PATCH body of §1.7, §1.9 and §5.
var fuzzPatchSeeds = []string{
	// §1.7.1
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 "Operations":[{"op":"Replace","path":"userName","value":"5b50642d@testuser.com"}]}`,
	// §1.7.2
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 "Operations":[
   {"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@contoso.com"},
   {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}]}`,
	// §1.7.3
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 "Operations":[
   {"op":"Replace","path":"displayName","value":"Pvlo"},
   {"op":"Replace","path":"emails[type eq \"work\"].value","value":"TestBcwqnm@test.microsoft.com"},
   {"op":"Replace","path":"name.givenName","value":"Gtfd"},
   {"op":"Replace","path":"name.familyName","value":"Pkqf"},
   {"op":"Replace","path":"externalId","value":"Eqpj"},
   {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"Eqpj"}]}`,
	// §1.7.4
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 "Operations":[
   {"op":"replace","path":"emails[type eq \"work\"].value","value":"TestMhvaes@test.microsoft.com"},
   {"op":"replace","value":{
      "displayName":"Bjfe",
      "name.givenName":"Kkom",
      "name.familyName":"Unua",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"emails[type eq \"work\"].value":"x@contoso.com"}}]}`,
	// §1.7.5
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"nickName","value":"Babs"}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"nickName","value":"Babs"}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"addresses[type eq \"work\"].formatted","value":"1 Main St"},{"op":"add","path":"addresses[type eq \"work\"].locality","value":"Redmond"},{"op":"add","path":"addresses[type eq \"work\"].region","value":"WA"}]}`,
	// §1.7.6
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 "Operations":[{"op":"Replace","path":"active","value":"False"}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 "Operations":[{"op":"replace","path":"active","value":false}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"True"}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":false}]}`,
	// §1.7.7
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
   "Operations":[{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"2819c223-7f76-453a-919d-413861904646"}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
   "Operations":[{"op":"Add","path":"manager","value":[{"$ref":"http://host/scim/Users/2819c223","value":"2819c223-7f76-453a-919d-413861904646"}]}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":""}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"manager[value eq \"2819c223-7f76-453a-919d-413861904646\"]"}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}]}`,
	// §1.7.8
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 "Operations":[{"op":"Add","path":"roles","value":[
   {"value":"{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"25\",\"displayName\":\"Role1234\"}"}]}]}`,
	// §1.7.9
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
 "Operations":[{"op":"replace","path":"title","value":""},
               {"op":"replace","path":"phoneNumbers[type eq \"mobile\"].value","value":""}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"title":"","name.givenName":""}}]}`,
	// §1.9
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"Engineering-2"}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Add","path":"members","value":[
       {"$ref":null,"value":"f648f8d5ea4e4cd38e9c"},
       {"$ref":null,"value":"9c0d77a1b2c34d5e6f70"}]}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations":[{"op":"remove","path":"members[value eq \"7f4bc1a3-285e-48ae-8202-5accb43efb0e\"]"}]}`,
	// The same with ids Hector issues, so that the member paths run to the end.
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"12"},{"$ref":null,"value":"13"}]}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"12"}]}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"13\"]"}]}`,
	// §5 Okta
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"id":"00g1emaKYZTWRYYRRTSK","displayName":"Engineering"}}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"12\"]"},{"op":"add","path":"members","value":[{"value":"13","display":"bob@contoso.com"}]}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"members","value":[{"value":"12","display":"ada@contoso.com"}]}]}`,
	`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"password":"Hunter2!"}}]}`,
	// Bad ones, so that the fuzzer starts from the error paths too.
	`{"Operations":[{"op":"move","path":"title","value":"x"}]}`,
	`{"Operations":[{"op":"replace","path":"emails[type eq","value":"x"}]}`,
	`{"Operations":[{"op":"replace","path":"meta.created","value":"x"}]}`,
	`{"Operations":[`,
}

// POST and PUT bodies: §1.5 (both), §1.9, Okta's create and PUT (§5).
var fuzzUserSeeds = []string{
	`{
     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
     "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
     "userName": "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
     "active": true,
     "emails": [{"primary": true, "type": "work", "value": "Test_User_11bb@testuser.com"}],
     "meta": {"resourceType": "User"},
     "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
     "roles": []
   }`,
	`{
     "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
     "externalId": "alice",
     "userName": "alice@contoso.com",
     "active": true,
     "displayName": "Alice Example",
     "title": "Engineer",
     "preferredLanguage": "en-US",
     "emails": [{"primary": true, "type": "work", "value": "alice@contoso.com"}],
     "name": {"formatted": "Alice Example", "familyName": "Example", "givenName": "Alice"},
     "addresses": [{"type": "work", "formatted": "Bldg 7", "streetAddress": "1 Main St",
                    "locality": "Redmond", "region": "WA", "postalCode": "98052", "country": "US"}],
     "phoneNumbers": [{"type": "work", "value": "+1 425 555 0100"},
                      {"type": "mobile", "value": "+1 425 555 0101"},
                      {"type": "fax", "value": "+1 425 555 0102"}],
     "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
       "employeeNumber": "E12345",
       "department": "R&D"
     },
     "roles": [],
     "meta": {"resourceType": "User"}
   }`,
	// The older sample: explicit nulls and a malformed URN.
	`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],"userName":"bob@contoso.com","addresses":null,"title":null,"urn:ietf:params:scim:schemas:extension:enterprise:2.0User":{"employeeNumber":"7"}}`,
	// Microsoft's "Example 2. Provision a user": unqualified department and
	// manager, all null.
	`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],"externalId":"jyoung","userName":"jyoung","active":true,"addresses":null,"displayName":"Joy Young","emails":[{"type":"work","value":"jyoung@Contoso.com","primary":true}],"meta":{"resourceType":"User"},"name":{"familyName":"Young","givenName":"Joy"},"phoneNumbers":null,"preferredLanguage":null,"title":null,"department":null,"manager":null}`,
	// Unknown and misspelt names, unqualified enterprise attributes.
	`{"userName":"u@x","adreses":[{"locality":"Leeds"}],"department":"R&D","employeeNumber":"E1","name":{"givenName":"U","shoeSize":"44"}}`,
	// Okta's create.
	`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"isabella@contoso.com","name":{"givenName":"Isabella","familyName":"Jones"},"emails":[{"primary":true,"value":"isabella@contoso.com","type":"work"}],"displayName":"Isabella Jones","locale":"en-US","externalId":"00u1esetpqZj5tzBp4x7","groups":[],"password":"1mz050nq","active":true}`,
	// Okta's PUT, carrying id, meta and groups.
	`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"12","userName":"isabella@contoso.com","name":{"givenName":"Isabella","familyName":"Jones"},"emails":[{"primary":true,"value":"isabella@contoso.com","type":"work"}],"displayName":"Isabella Jones","locale":"en-US","externalId":"00u1esetpqZj5tzBp4x7","groups":[{"value":"3","display":"Engineering"}],"active":false,"meta":{"resourceType":"User","created":"2026-01-01T00:00:00Z"}}`,
	`{"userName":42}`,
	`{"userName":"x"}}`,
}

var fuzzGroupSeeds = []string{
	// §1.9 create.
	`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group",
               "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
    "externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
    "displayName":"Engineering",
    "meta":{"resourceType":"Group"}}`,
	// Okta's group push and PUT.
	`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","members":[]}`,
	`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"3","displayName":"Engineering","members":[{"value":"12","display":"ada@contoso.com"},{"value":"13"}]}`,
	`{"displayName":"Engineering","members":[{"value":"f648f8d5ea4e4cd38e9c"}]}`,
	`{"displayName":"Engineering","members":"12"}`,
	`{"displayName":42}`,
}

// fuzzRecord is a user as Hector stores it.
const fuzzRecord = `{"id":12,"username":"ada@contoso.com","email":"ada.lovelace@contoso.com","identifier":"E1234","first_name":"Ada","last_name":"Lovelace","external_id":"9b1c4a8e","status":"active","role":"user","title":"Engineer","department":"R&D","phone":"+1 555 0100","locale":"en-GB","groups":[{"id":3,"name":"Engineering"}],"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z"}`

// fuzzDoc is a full user document, beyond what Hector stores, for
// applyOps with every attribute kept.
const fuzzDoc = `{"userName":"ada@contoso.com","displayName":"Ada Lovelace","nickName":"Ada","title":"Engineer","active":true,"externalId":"9b1c4a8e",
"name":{"givenName":"Ada","familyName":"Lovelace","formatted":"Ada Lovelace"},
"emails":[{"type":"work","value":"ada@contoso.com","primary":true},{"type":"home","value":"ada@example.org"}],
"phoneNumbers":[{"type":"work","value":"+1 555 0100"},{"type":"mobile","value":"+1 555 0101"}],
"addresses":[{"type":"work","locality":"London","country":"GB"}],
"roles":[{"value":"Admin","primary":true}],
"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"E1234","department":"R&D","manager":{"value":"7"}}}`

func fuzzMapping(tb testing.TB) *Mapping {
	tb.Helper()
	m, err := NewMapping(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// checkBadRequest fails unless err is what the handler turns into a 400
// SCIM error: a *Error (or a *filter.Error from the path parser) with a
// scimType and a detail.
func checkBadRequest(t *testing.T, what string, err error) {
	t.Helper()
	var se *Error
	var fe *filter.Error
	if !errors.As(err, &se) && !errors.As(err, &fe) {
		t.Fatalf("%s: got error %T %v, want a *translate.Error", what, err, err)
	}
	if e := AsError(err); e.Status != http.StatusBadRequest || e.ScimType == "" || e.Detail == "" {
		t.Fatalf("%s: got %d %q %q, want 400 with a scimType and a detail", what, e.Status, e.ScimType, e.Detail)
	}
}

// checkAcceptedJSON fails unless an accepted body is one JSON value in
// valid UTF-8 (encoding/json alone would take invalid UTF-8, replacing it,
// and a stray closing bracket after the value).
func checkAcceptedJSON(t *testing.T, body []byte) {
	t.Helper()
	if !json.Valid(body) || !utf8.Valid(body) {
		t.Fatalf("accepted %q, which is not one JSON value in UTF-8", body)
	}
}

// FuzzParsePatch parses any body as a PatchOp for users and groups and
// applies it as PatchUser and PatchGroup do: no panic, and every error is
// a 400 SCIM error.
func FuzzParsePatch(f *testing.F) {
	for _, s := range fuzzPatchSeeds {
		f.Add([]byte(s))
	}
	m := fuzzMapping(f)
	var full map[string]any
	if err := json.Unmarshal([]byte(fuzzDoc), &full); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if ops, err := ParsePatch(body, schema.User); err != nil {
			checkBadRequest(t, "ParsePatch(User)", err)
		} else {
			checkAcceptedJSON(t, body)
			fuzzApplyUser(t, m, ops, full)
		}
		if ops, err := ParsePatch(body, schema.Group); err != nil {
			checkBadRequest(t, "ParsePatch(Group)", err)
		} else if _, err := groupPatch(ops); err != nil {
			checkBadRequest(t, "groupPatch", err)
		}
	})
}

// fuzzApplyUser applies ops to a full document with every attribute kept,
// then as PatchUser does to a stored Hector record.
func fuzzApplyUser(t *testing.T, m *Mapping, ops []Operation, full map[string]any) {
	doc := deepCopy(full).(map[string]any)
	if err := applyOps(doc, ops, func(schema.Ref) bool { return true }); err != nil {
		checkBadRequest(t, "applyOps(keep all)", err)
	} else if _, err := json.Marshal(doc); err != nil {
		t.Fatalf("the patched document does not encode: %v", err)
	}
	raw := []byte(fuzzRecord)
	fields, err := m.PatchFields(raw, ops)
	if err != nil {
		checkBadRequest(t, "PatchFields", err)
		return
	}
	if _, _, err := MergeRecord(raw, fields); err != nil {
		t.Fatalf("MergeRecord: %v", err)
	}
}

// FuzzDecodeUser decodes any body as CreateUser and ReplaceUser do: no
// panic, every error a 400, and every result a Hector record.
func FuzzDecodeUser(f *testing.F) {
	for _, s := range fuzzUserSeeds {
		f.Add([]byte(s))
	}
	m := fuzzMapping(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		doc, err := m.DecodeUser(body)
		if err != nil {
			checkBadRequest(t, "DecodeUser", err)
			return
		}
		checkAcceptedJSON(t, body)
		if u, _ := doc["userName"].(string); strings.TrimSpace(u) == "" {
			t.Fatalf("DecodeUser accepted a blank userName: %v", doc)
		}
		rec := []byte(`{}`)
		for field, v := range m.ToHector(doc) {
			if v == nil {
				continue
			}
			if rec, err = sjson.SetBytes(rec, field, v); err != nil {
				t.Fatalf("sjson.SetBytes(%q, %v): %v", field, v, err)
			}
		}
		if !json.Valid(rec) {
			t.Fatalf("the Hector record %s is not JSON", rec)
		}
	})
}

// FuzzDecodeGroup decodes any body as CreateGroup and ReplaceGroup do: no
// panic, every error a 400, and members are positive ids without
// duplicates.
func FuzzDecodeGroup(f *testing.F) {
	for _, s := range fuzzGroupSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		g, err := DecodeGroup(body)
		if err != nil {
			checkBadRequest(t, "DecodeGroup", err)
			return
		}
		checkAcceptedJSON(t, body)
		if strings.TrimSpace(g.Name) == "" {
			t.Fatalf("DecodeGroup accepted a blank displayName")
		}
		seen := map[int64]bool{}
		for _, id := range g.Members {
			if id <= 0 || seen[id] {
				t.Fatalf("got members %v, want distinct positive ids", g.Members)
			}
			seen[id] = true
		}
	})
}
