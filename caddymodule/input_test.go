package caddymodule

import (
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

const enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

// hectorUser reads the Hector record of a SCIM user id from the simulator.
func hectorUser(t *testing.T, e *hostileEnv, id string) map[string]any {
	t.Helper()
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("id %q: %v", id, err)
	}
	raw, ok := e.sim.User(n)
	if !ok {
		t.Fatalf("user %s is not in Hector", id)
	}
	var rec map[string]any
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

// checkRecord checks fields of a Hector record.
func checkRecord(t *testing.T, rec map[string]any, want map[string]string) {
	t.Helper()
	for field, w := range want {
		if got, _ := rec[field].(string); got != w {
			t.Errorf("Hector %s: got %q, want %q", field, got, w)
		}
	}
}

// TestEntraExample2 sends Microsoft's documented create request ("Example
// 2. Provision a user" of the Entra SCIM tutorial), byte for byte and with
// its own Content-Type, through the real handler: the misspelt enterprise
// URN in schemas, meta in the body, and addresses, phoneNumbers,
// preferredLanguage, title, department and manager null, the last two
// unqualified. Microsoft's lookup before it (Example 1, an unquoted
// externalId filter) finds nobody before and the new user after.
//
// The bodies are those of MicrosoftDocs/azure-docs
// articles/active-directory/active-directory-scim-provisioning.md (sent as
// application/json) and of today's MicrosoftDocs/entra-docs
// docs/identity/app-provisioning/use-scim-to-provision-users-and-groups.md
// (application/scim+json, another userName).
func TestEntraExample2(t *testing.T) {
	tests := []struct {
		file, ctype, userName string
	}{
		{"example2-create-user.json", "application/json", "jyoung"},
		{"example2-create-user-2025.json", "application/scim+json", "jyoung@testuser.com"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile("testdata/entra/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			e := newHostileEnv(t)
			lookup := hostileRequest{method: http.MethodGet, path: "/Users?filter=externalId+eq+jyoung"}
			if got := listIDs(e.must(t, http.StatusOK, lookup)); len(got) != 0 {
				t.Fatalf("lookup before the create: got ids %v, want none", got)
			}
			created := e.must(t, http.StatusCreated, hostileRequest{method: http.MethodPost, path: "/Users", body: string(body), ctype: tt.ctype})
			id, _ := created["id"].(string)
			checkRecord(t, hectorUser(t, e, id), map[string]string{
				"username": tt.userName, "email": "jyoung@Contoso.com", "identifier": tt.userName,
				"first_name": "Joy", "last_name": "Young", "external_id": "jyoung", "status": "active",
				"title": "", "department": "", "phone": "", "locale": "",
			})
			if created["userName"] != tt.userName || created["externalId"] != "jyoung" || created["active"] != true {
				t.Errorf("got %v, want the user as created", created)
			}
			for _, absent := range []string{"department", "manager", "title", "addresses", "phoneNumbers", "preferredLanguage"} {
				if v, ok := created[absent]; ok {
					t.Errorf("got %s %v in the answer, want it absent", absent, v)
				}
			}
			if got := listIDs(e.must(t, http.StatusOK, lookup)); !slices.Equal(got, []string{id}) {
				t.Errorf("lookup after the create: got ids %v, want [%s]", got, id)
			}
		})
	}
}

// TestUnknownAttributesIgnored: names of a POST or PUT body that belong to
// no schema are ignored (Microsoft's reference collection sends misspelt
// attributes and expects 201/200), counted per occurrence, and logged at
// warn once per name and resource.
func TestUnknownAttributesIgnored(t *testing.T) {
	e := newHostileEnv(t)
	core, logs := observer.New(zapcore.DebugLevel)
	e.h.logger = zap.New(core)
	counter := func(resource string) float64 {
		var m dto.Metric
		if err := e.h.metrics.unknownAttrs.WithLabelValues("", resource).Write(&m); err != nil {
			t.Fatal(err)
		}
		return m.GetCounter().GetValue()
	}
	users0, groups0 := counter("users"), counter("groups")
	body := func(userName string) string {
		return `{"userName":"` + userName + `","favoriteColor":"red","adreses":[{"locality":"Leeds"}],` +
			`"name":{"givenName":"Una","shoeSize":"44"},"urn:ietf:params:scim:schemas:extension:Custom:2.0:User":{"badge":"7"},` +
			`"` + enterpriseURN + `":{"badge":"7","department":"R&D"}}`
	}
	first := e.create(t, "Users", body("una@contoso.example"))
	checkRecord(t, hectorUser(t, e, first), map[string]string{"username": "una@contoso.example", "first_name": "Una", "department": "R&D"})
	e.create(t, "Users", body("una2@contoso.example"))
	e.must(t, http.StatusOK, hostileRequest{method: http.MethodPut, path: "/Users/" + first,
		body: `{"userName":"una@contoso.example","favoriteColor":"blue","nickname2":"Una","title":"Chef"}`})
	checkRecord(t, hectorUser(t, e, first), map[string]string{"title": "Chef", "first_name": "", "department": ""})
	e.create(t, "Groups", `{"displayName":"Unknowns","owner":"una"}`)

	if got, want := counter("users")-users0, float64(5+5+2); got != want {
		t.Errorf("got %v unknown user attributes counted, want %v", got, want)
	}
	if got, want := counter("groups")-groups0, float64(1); got != want {
		t.Errorf("got %v unknown group attributes counted, want %v", got, want)
	}
	var got []string
	for _, entry := range logs.All() {
		if entry.Message != "unknown attribute ignored" {
			continue
		}
		if entry.Level != zapcore.WarnLevel {
			t.Errorf("got level %v, want warn", entry.Level)
		}
		f := entry.ContextMap()
		got = append(got, f["resource"].(string)+" "+f["attribute"].(string))
	}
	slices.Sort(got)
	want := []string{
		"groups owner",
		"users adreses",
		"users favoriteColor",
		"users name.shoeSize",
		"users nickname2",
		"users urn:ietf:params:scim:schemas:extension:Custom:2.0:User",
		"users " + enterpriseURN + ":badge",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got log lines\n%s\nwant, each once,\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestUnknownNamesBounded: a client sending ever new names is counted,
// but only the first maxUnknownNames are remembered and logged.
func TestUnknownNamesBounded(t *testing.T) {
	var u unknownLog
	logged := 0
	for i := range maxUnknownNames + 50 {
		if u.first("users\x00n" + strconv.Itoa(i)) {
			logged++
		}
		if u.first("users\x00n" + strconv.Itoa(i)) {
			t.Fatalf("name %d: got first twice", i)
		}
	}
	if logged != maxUnknownNames {
		t.Errorf("got %d names logged, want %d", logged, maxUnknownNames)
	}
	if got := clipName(strings.Repeat("é", 200)); len(got) > 104 || !strings.HasSuffix(got, "…") {
		t.Errorf("clipName: got %q, want at most 100 bytes and an ellipsis", got)
	}
}

// TestInputAccepted: what the stricter reading still accepts, checked in
// Hector: enterprise attributes written unqualified, Entra's forms of
// manager (not stored), nulls, control characters outside the names.
func TestInputAccepted(t *testing.T) {
	e := newHostileEnv(t)
	tests := []struct {
		name, body string
		want       map[string]string
	}{
		{"unqualified enterprise attributes",
			`{"userName":"ent@contoso.example","department":"Sales","employeeNumber":"E9","manager":"7","costCenter":"C1","organization":"O","division":"D"}`,
			map[string]string{"department": "Sales", "identifier": "E9"}},
		{"null unqualified beside the extension",
			`{"userName":"ent2@contoso.example","department":null,"` + enterpriseURN + `":{"department":"Ops","manager":{"value":"7"}}}`,
			map[string]string{"department": "Ops", "identifier": "ent2@contoso.example"}},
		{"manager as a one-element list",
			`{"userName":"ent3@contoso.example","` + enterpriseURN + `":{"manager":[{"$ref":"http://x/Users/7","value":"7"}]}}`,
			map[string]string{"username": "ent3@contoso.example"}},
		{"nulls everywhere",
			`{"userName":"nul@contoso.example","emails":null,"name":null,"phoneNumbers":null,"title":null,"active":null,"roles":[],"` + enterpriseURN + `":null}`,
			map[string]string{"email": "nul@contoso.example", "status": "active"}},
		{"a tab in a title",
			`{"userName":"tab@contoso.example","title":"Head\tChef"}`,
			map[string]string{"title": "Head\tChef"}},
		{"unknown schema URN and read-only attributes",
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:bogus"],"id":"99","meta":{"resourceType":"User"},"groups":[{"value":"1"}],"userName":"ro@contoso.example"}`,
			map[string]string{"username": "ro@contoso.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := e.create(t, "Users", tt.body)
			checkRecord(t, hectorUser(t, e, id), tt.want)
		})
	}
}

// TestPatchValues: an explicit null clears, a remove needs no value, and
// a PATCH refused for a missing value writes nothing.
func TestPatchValues(t *testing.T) {
	e := newHostileEnv(t)
	id := e.create(t, "Users", `{"userName":"pv@contoso.example","name":{"givenName":"Pat","familyName":"Vale"},"title":"Chef","externalId":"pv"}`)
	patch := func(status int, ops string) {
		t.Helper()
		e.must(t, status, hostileRequest{method: http.MethodPatch, path: "/Users/" + id, body: hostilePatch(ops)})
	}
	patch(http.StatusBadRequest, `{"op":"replace","path":"name.givenName"}`)
	checkRecord(t, hectorUser(t, e, id), map[string]string{"first_name": "Pat", "title": "Chef"})
	patch(http.StatusOK, `{"op":"replace","path":"name.givenName","value":null}`)
	checkRecord(t, hectorUser(t, e, id), map[string]string{"first_name": "", "last_name": "Vale"})
	patch(http.StatusOK, `{"op":"Remove","path":"title"}`)
	checkRecord(t, hectorUser(t, e, id), map[string]string{"title": ""})
	patch(http.StatusOK, `{"op":"add","path":"name.familyName","value":null},{"op":"add","path":"title","value":"Cook"}`)
	checkRecord(t, hectorUser(t, e, id), map[string]string{"last_name": "", "title": "Cook", "username": "pv@contoso.example"})
}
