package provision_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
)

// This file holds the tests of the trust boundaries (issue #11): the
// bridge grants nothing it was not asked for and touches nothing it does
// not manage.

// adminRoles are role rules with an admin group, over the default "user".
func adminRoles() translate.Roles {
	return translate.Roles{Order: []translate.RoleRule{
		{Name: "admin", Groups: []string{"hector_admins"}},
		{Name: "staff", Groups: []string{"hector_staff"}},
	}, Default: "user"}
}

// auditLog records the changes a Service reports.
type auditLog struct {
	mu      sync.Mutex
	changes []translate.Change
}

func (a *auditLog) Change(_ context.Context, c translate.Change) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.changes = append(a.changes, c)
}

// actions lists "object action id" of every change recorded.
func (a *auditLog) actions() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, c := range a.changes {
		out = append(out, c.Object+" "+c.Action+" "+c.ID)
	}
	return out
}

// hooked is a fixture whose simulator sits behind a handler that may
// answer some requests itself: a Hector that refuses or fails.
type hooked struct {
	*fixture
	mu   sync.Mutex
	hook func(w http.ResponseWriter, r *http.Request) bool // true: answered
}

func newHooked(t *testing.T, cfg provision.Config, opts hectorsim.Options) *hooked {
	t.Helper()
	opts.APIKey = "k"
	sim, err := hectorsim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h := &hooked{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		hook := h.hook
		h.mu.Unlock()
		if hook != nil && hook(w, r) {
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := legacyclient.New(legacyclient.Config{BaseURL: srv.URL, APIKey: "k", Retries: new(2), RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := provision.NewService(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.fixture = &fixture{sim: sim, svc: svc, ctx: context.Background()}
	return h
}

func (h *hooked) setHook(fn func(w http.ResponseWriter, r *http.Request) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hook = fn
}

// once answers the first request matching method and path prefix with
// status and body, without passing it on; later ones pass.
func once(method, prefix string, status int, body string) func(http.ResponseWriter, *http.Request) bool {
	var mu sync.Mutex
	done := false
	return func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if done || r.Method != method || !strings.HasPrefix(r.URL.Path, prefix) {
			return false
		}
		done = true
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body))
		return true
	}
}

// hector sends a request straight to the simulator, as an administrator
// working in Hector by hand would, and returns the data of the answer.
func hector(t *testing.T, sim http.Handler, method, path, body string) gjson.Result {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("X-Api-Key", "k")
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	sim.ServeHTTP(w, r)
	if w.Code >= 300 {
		t.Fatalf("%s %s by hand: got %d %s", method, path, w.Code, w.Body)
	}
	return gjson.GetBytes(w.Body.Bytes(), "data")
}

func (f *fixture) group(t *testing.T, body string) string {
	t.Helper()
	g, err := f.svc.CreateGroup(f.ctx, testReq, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return g["id"].(string)
}

func (f *fixture) hectorUser(t *testing.T, id string) gjson.Result {
	t.Helper()
	var n int64
	fmt.Sscan(id, &n)
	raw, ok := f.sim.User(n)
	if !ok {
		t.Fatalf("Hector has no user %s", id)
	}
	return gjson.ParseBytes(raw)
}

func (f *fixture) expect(t *testing.T, id string, want map[string]string) {
	t.Helper()
	u := f.hectorUser(t, id)
	for k, v := range want {
		if got := u.Get(k).String(); got != v {
			t.Errorf("user %s: got %s %q, want %q", id, k, got, v)
		}
	}
}

func (f *fixture) members(gid string) []int64 {
	var n int64
	fmt.Sscan(gid, &n)
	return f.sim.Members(n)
}

func scimStatus(err error) (int, string) {
	if err == nil {
		return 0, ""
	}
	e := provision.AsError(err)
	return e.Status, e.ScimType
}

func memberPatch(op, ids string) []byte {
	return []byte(`{"Operations":[{"op":"` + op + `","path":"members","value":[` + ids + `]}]}`)
}

// TestRefusedRenameGrantsNothing renames a group onto the admin group's
// name in another case: Hector refuses (names are unique
// case-insensitively), the group keeps its name, and its members keep
// their roles, so that a later membership change still treats their role
// as the rules' (not as one set by hand).
func TestRefusedRenameGrantsNothing(t *testing.T) {
	for _, method := range []string{"PATCH", "PUT"} {
		t.Run(method, func(t *testing.T) {
			f := newFixture(t, provision.Config{Roles: adminRoles()}, hectorsim.Options{}, 0)
			f.group(t, `{"displayName":"hector_admins","externalId":"a"}`)
			staff := f.group(t, `{"displayName":"hector_staff","externalId":"s"}`)
			eng := f.group(t, `{"displayName":"Engineering","externalId":"e"}`)
			ada := f.user(t, `{"userName":"ada@x","externalId":"ada"}`)
			if _, err := f.svc.PatchGroup(f.ctx, testReq, eng, memberPatch("add", `{"value":"`+ada+`"}`)); err != nil {
				t.Fatal(err)
			}
			var err error
			if method == "PATCH" {
				_, err = f.svc.PatchGroup(f.ctx, testReq, eng, []byte(`{"Operations":[{"op":"replace","path":"displayName","value":"HECTOR_ADMINS"}]}`))
			} else {
				_, err = f.svc.ReplaceGroup(f.ctx, testReq, eng, []byte(`{"displayName":"HECTOR_ADMINS","externalId":"e","members":[{"value":"`+ada+`"}]}`))
			}
			if status, typ := scimStatus(err); status != http.StatusConflict || typ != translate.Uniqueness {
				t.Fatalf("rename onto the admin group: got %v, want 409 uniqueness", err)
			}
			g, _ := f.svc.GetGroup(f.ctx, testReq, eng, false)
			if g["displayName"] != "Engineering" {
				t.Errorf("after the refused rename: got name %v, want Engineering", g["displayName"])
			}
			f.expect(t, ada, map[string]string{"role": "user", "status": "active"})
			// The role is still the rules' own: joining hector_staff moves it.
			if _, err := f.svc.PatchGroup(f.ctx, testReq, staff, memberPatch("add", `{"value":"`+ada+`"}`)); err != nil {
				t.Fatal(err)
			}
			f.expect(t, ada, map[string]string{"role": "staff"})
		})
	}
}

// TestRefusedMemberAddGrantsNothing adds a user and an id that is no
// user to the admin group: the request is refused, nobody joins, nobody
// becomes admin. And when Hector itself refuses the member call (its
// all-or-nothing 422), no role is written either.
func TestRefusedMemberAddGrantsNothing(t *testing.T) {
	h := newHooked(t, provision.Config{Roles: adminRoles()}, hectorsim.Options{})
	admins := h.group(t, `{"displayName":"hector_admins","externalId":"a"}`)
	someone := h.user(t, `{"userName":"someone@x","externalId":"s1"}`)
	_, err := h.svc.PatchGroup(h.ctx, testReq, admins, memberPatch("Add", `{"value":"`+someone+`"},{"value":"999999"}`))
	if status, typ := scimStatus(err); status != http.StatusBadRequest || typ != translate.InvalidValue {
		t.Fatalf("partial add: got %v, want 400 invalidValue", err)
	}
	h.expect(t, someone, map[string]string{"role": "user"})
	if got := h.members(admins); len(got) != 0 {
		t.Errorf("partial add: got members %v, want none", got)
	}

	h.setHook(once("POST", "/groups/", http.StatusUnprocessableEntity, `{"error":{"code":"invalid","message":"no","fields":{"user_ids":"unknown"}}}`))
	_, err = h.svc.PatchGroup(h.ctx, testReq, admins, memberPatch("Add", `{"value":"`+someone+`"}`))
	if status, _ := scimStatus(err); status != http.StatusBadRequest {
		t.Fatalf("member call refused by Hector: got %v, want 400", err)
	}
	h.expect(t, someone, map[string]string{"role": "user"})
	// The same request, accepted this time, grants the role.
	if _, err := h.svc.PatchGroup(h.ctx, testReq, admins, memberPatch("Add", `{"value":"`+someone+`"}`)); err != nil {
		t.Fatal(err)
	}
	h.expect(t, someone, map[string]string{"role": "admin"})
}

// TestGroupWritesCheckedFirst: a member id that is no user makes a POST,
// PUT or PATCH of a group 400 invalidValue with nothing written at all.
func TestGroupWritesCheckedFirst(t *testing.T) {
	f := newFixture(t, provision.Config{Roles: adminRoles()}, hectorsim.Options{}, 0)
	ada := f.user(t, `{"userName":"ada@x","externalId":"ada"}`)
	eng := f.group(t, `{"displayName":"Engineering","externalId":"e"}`)
	before := len(f.sim.Groups())
	bad := `{"value":"` + ada + `"},{"value":"424242"}`
	_, err := f.svc.CreateGroup(f.ctx, testReq, []byte(`{"displayName":"hector_admins","members":[`+bad+`]}`))
	if status, typ := scimStatus(err); status != http.StatusBadRequest || typ != translate.InvalidValue {
		t.Errorf("POST: got %v, want 400 invalidValue", err)
	}
	if n := len(f.sim.Groups()); n != before {
		t.Errorf("POST with an unknown member: got %d groups, want %d (nothing created)", n, before)
	}
	f.sim.ResetStats()
	_, err = f.svc.ReplaceGroup(f.ctx, testReq, eng, []byte(`{"displayName":"hector_admins","members":[`+bad+`]}`))
	if status, _ := scimStatus(err); status != http.StatusBadRequest {
		t.Errorf("PUT: got %v, want 400", err)
	}
	_, err = f.svc.PatchGroup(f.ctx, testReq, eng, []byte(`{"Operations":[{"op":"replace","path":"displayName","value":"hector_admins"},{"op":"add","path":"members","value":[`+bad+`]}]}`))
	if status, _ := scimStatus(err); status != http.StatusBadRequest {
		t.Errorf("PATCH: got %v, want 400", err)
	}
	for route, n := range f.sim.Stats().ByRoute {
		if !strings.HasPrefix(route, "GET ") {
			t.Errorf("a refused group write made %d %s", n, route)
		}
	}
	f.expect(t, ada, map[string]string{"role": "user"})
	// Adds alone to a group that grants no role: Hector's own check,
	// all or nothing, refuses them without a read of each user.
	_, err = f.svc.PatchGroup(f.ctx, testReq, eng, memberPatch("add", bad))
	if status, typ := scimStatus(err); status != http.StatusBadRequest || typ != translate.InvalidValue {
		t.Errorf("PATCH adds: got %v, want 400 invalidValue", err)
	}
	if got := f.members(eng); len(got) != 0 {
		t.Errorf("PATCH adds: got members %v, want none", got)
	}
}

// TestMembersNullKeepsMembers: "members": null in a PUT is unassigned
// (RFC 7643 §2.5), like an omitted members: the members stay, active.
func TestMembersNullKeepsMembers(t *testing.T) {
	f := newFixture(t, provision.Config{Roles: adminRoles()}, hectorsim.Options{}, 0)
	ada := f.user(t, `{"userName":"ada@x","externalId":"ada"}`)
	gid := f.group(t, `{"displayName":"hector_staff","externalId":"s","members":[{"value":"`+ada+`"}]}`)
	if _, err := f.svc.ReplaceGroup(f.ctx, testReq, gid, []byte(`{"displayName":"hector_staff","externalId":"s","members":null}`)); err != nil {
		t.Fatal(err)
	}
	if got := f.members(gid); len(got) != 1 {
		t.Errorf("after members null: got members %v, want ada still", got)
	}
	f.expect(t, ada, map[string]string{"status": "active", "role": "staff"})
}

// TestPutKeepsExternalID: a PUT without externalId (Okta's) keeps the
// IdP's key, on users and on groups.
func TestPutKeepsExternalID(t *testing.T) {
	f := newFixture(t, provision.Config{}, hectorsim.Options{}, 0)
	uid := f.user(t, `{"userName":"dave@x","externalId":"00ujl29u0le5T6Aj10h7"}`)
	res, err := f.svc.ReplaceUser(f.ctx, testReq, uid, []byte(`{"userName":"dave@x","title":"Manager","active":true}`))
	if err != nil {
		t.Fatal(err)
	}
	f.expect(t, uid, map[string]string{"external_id": "00ujl29u0le5T6Aj10h7", "title": "Manager"})
	if res["externalId"] != "00ujl29u0le5T6Aj10h7" {
		t.Errorf("PUT answered externalId %v, want the stored one", res["externalId"])
	}
	gid := f.group(t, `{"displayName":"Okta Staff","externalId":"g-1"}`)
	g, err := f.svc.ReplaceGroup(f.ctx, testReq, gid, []byte(`{"displayName":"Okta Staff EU"}`))
	if err != nil {
		t.Fatal(err)
	}
	if g["externalId"] != "g-1" || g["displayName"] != "Okta Staff EU" {
		t.Errorf("group PUT without externalId: got %v, want externalId g-1 kept", g)
	}
}

// TestManagedUsers: a user created without externalId gets a generated
// key that is never reported back or found by a filter; a write to a
// hand-made account adopts it, audited as such.
func TestManagedUsers(t *testing.T) {
	audit := &auditLog{}
	f := newFixture(t, provision.Config{Audit: audit}, hectorsim.Options{}, 0)
	uid := f.user(t, `{"userName":"okta@x"}`)
	ext := f.hectorUser(t, uid).Get("external_id").String()
	if !translate.IsGenerated(ext) {
		t.Fatalf("created without externalId: got external_id %q, want a generated one", ext)
	}
	res, _ := f.svc.GetUser(f.ctx, testReq, uid)
	if _, ok := res["externalId"]; ok {
		t.Errorf("GET reports the generated key: %v", res["externalId"])
	}
	list, err := f.svc.ListUsers(f.ctx, testReq, translate.ListQuery{Filter: `externalId eq "` + ext + `"`, Count: -1})
	if err != nil || list.TotalResults != 0 {
		t.Errorf("filter on the generated key: got %v %v, want nothing", list, err)
	}

	hand := hector(t, f.sim, "POST", "/users", `{"username":"hand@x","email":"hand@x","identifier":"H1","role":"staff"}`).Get("id").String()
	if _, err := f.svc.PatchUser(f.ctx, testReq, hand, []byte(`{"Operations":[{"op":"replace","path":"title","value":"Boss"}]}`)); err != nil {
		t.Fatal(err)
	}
	if ext := f.hectorUser(t, hand).Get("external_id").String(); !translate.IsGenerated(ext) {
		t.Errorf("hand-made account written to: got external_id %q, want a generated one (adopted)", ext)
	}
	if got := audit.actions(); !slices.Contains(got, "user adopt "+hand) {
		t.Errorf("audit: got %v, want user adopt %s", got, hand)
	}
}

// TestHandMadeAccountUnderGroupPut: an Okta PUT of a hand-made admin
// group that leaves the hand-made break-glass admin out takes the group
// over (adopted, audited) and changes the members, but the hand-made
// account keeps its role, status and fields.
func TestHandMadeAccountUnderGroupPut(t *testing.T) {
	audit := &auditLog{}
	f := newFixture(t, provision.Config{Roles: adminRoles(), Audit: audit}, hectorsim.Options{}, 0)
	bg := hector(t, f.sim, "POST", "/users", `{"username":"breakglass@x","email":"breakglass@x","identifier":"BG","role":"admin"}`)
	gid := hector(t, f.sim, "POST", "/groups", `{"name":"hector_admins"}`).Get("id").String()
	hector(t, f.sim, "POST", "/groups/"+gid+"/members", `{"user_ids":[`+bg.Get("id").String()+`]}`)
	ada := f.user(t, `{"userName":"ada@x","externalId":"ada"}`)
	if _, err := f.svc.ReplaceGroup(f.ctx, testReq, gid, []byte(`{"displayName":"hector_admins","members":[{"value":"`+ada+`"}]}`)); err != nil {
		t.Fatal(err)
	}
	f.expect(t, ada, map[string]string{"role": "admin"})
	f.expect(t, bg.Get("id").String(), map[string]string{"role": "admin", "status": "active", "email": "breakglass@x", "external_id": ""})
	if got := audit.actions(); !slices.Contains(got, "group adopt "+gid) {
		t.Errorf("audit: got %v, want group adopt %s", got, gid)
	}
}

// TestCreateAdoptsOnlyItsOwn: after a lost answer to POST /users, the
// bridge adopts only the record this request created; a hand-made account
// with the same values is never taken, and nothing is audited as created
// that was not.
func TestCreateAdoptsOnlyItsOwn(t *testing.T) {
	t.Run("a hand-made account with the same values", func(t *testing.T) {
		audit := &auditLog{}
		h := newHooked(t, provision.Config{Audit: audit}, hectorsim.Options{})
		hand := hector(t, h.sim, "POST", "/users", `{"username":"ada@x","email":"ada@x","identifier":"ada@x","role":"admin"}`).Get("id").String()
		h.setHook(once("POST", "/users", http.StatusBadGateway, `{"error":{"code":"server_error","message":"bad gateway"}}`))
		_, err := h.svc.CreateUser(h.ctx, testReq, []byte(`{"userName":"ada@x"}`))
		if status, typ := scimStatus(err); status != http.StatusConflict || typ != translate.Uniqueness {
			t.Errorf("got %v, want 409 uniqueness", err)
		}
		h.expect(t, hand, map[string]string{"external_id": "", "role": "admin"})
		if got := audit.actions(); len(got) != 0 {
			t.Errorf("audit: got %v, want nothing", got)
		}
	})
	t.Run("its own record, answer lost", func(t *testing.T) {
		audit := &auditLog{}
		f := newFixture(t, provision.Config{Audit: audit}, hectorsim.Options{AmbiguousPostRate: 1, Seed: 3}, 2)
		uid := f.user(t, `{"userName":"ada@x"}`)
		gid := f.group(t, `{"displayName":"Okta Staff","members":[{"value":"`+uid+`"}]}`)
		if len(f.sim.Users()) != 1 || len(f.sim.Groups()) != 1 || len(f.members(gid)) != 1 {
			t.Errorf("got %d users, %d groups, want one each, with the member", len(f.sim.Users()), len(f.sim.Groups()))
		}
		if got := audit.actions(); !slices.Contains(got, "user create "+uid) || !slices.Contains(got, "group create "+gid) {
			t.Errorf("audit: got %v, want the creates", got)
		}
	})
	t.Run("the IdP's existing record: adopted, not created", func(t *testing.T) {
		audit := &auditLog{}
		past := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		h := newHooked(t, provision.Config{Audit: audit}, hectorsim.Options{Now: func() time.Time { return past }})
		body := `{"userName":"bob@x","externalId":"bob-1"}`
		uid := h.user(t, body)
		audit.changes = nil
		h.setHook(once("POST", "/users", http.StatusBadGateway, `{"error":{"code":"server_error","message":"bad gateway"}}`))
		res, err := h.svc.CreateUser(h.ctx, testReq, []byte(body))
		if err != nil || res["id"] != uid {
			t.Fatalf("got %v %v, want user %s", res, err, uid)
		}
		if got := audit.actions(); !slices.Equal(got, []string{"user adopt " + uid}) {
			t.Errorf("audit: got %v, want [user adopt %s]", got, uid)
		}
	})
	t.Run("a hand-made group of the same name", func(t *testing.T) {
		h := newHooked(t, provision.Config{}, hectorsim.Options{})
		hector(t, h.sim, "POST", "/groups", `{"name":"Staff"}`)
		h.setHook(once("POST", "/groups", http.StatusBadGateway, `{"error":{"code":"server_error","message":"bad gateway"}}`))
		_, err := h.svc.CreateGroup(h.ctx, testReq, []byte(`{"displayName":"Staff"}`))
		if status, _ := scimStatus(err); status != http.StatusConflict {
			t.Errorf("got %v, want 409", err)
		}
		if g := h.sim.Groups(); len(g) != 1 || gjson.GetBytes(g[0], "external_id").Exists() && gjson.GetBytes(g[0], "external_id").String() != "" {
			t.Errorf("the hand-made group changed: %s", g)
		}
	})
}

// TestErrorDetailHidesHectorText: Hector's free text (which may hold
// another account's values) never reaches the IdP; the detail names the
// Hector field and the kind of problem.
func TestErrorDetailHidesHectorText(t *testing.T) {
	tests := []struct {
		name string
		err  *legacyclient.Error
		want string
	}{
		{"422 with fields", &legacyclient.Error{Status: 422, Code: "invalid", Message: "Bob Smith <bob@x.example> has it", Fields: map[string]string{"email": "already used by bob@x.example"}}, "Hector rejected the value of email (invalid)"},
		{"400 without fields", &legacyclient.Error{Status: 400, Code: "bad_request", Message: "cannot parse 'bob@x.example'"}, "Hector rejected the request (bad_request)"},
		{"odd field names and code", &legacyclient.Error{Status: 422, Code: "Bob's <code>", Fields: map[string]string{"bob@x.example": "x", "identifier": "y"}}, "Hector rejected the value of identifier (invalid)"},
		{"409", &legacyclient.Error{Status: 409, Code: "conflict", Message: "taken by bob@x.example", Fields: map[string]string{"username": "taken by bob@x.example"}}, "Hector already has a resource with this username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := provision.AsError(tt.err).Detail
			if got != tt.want {
				t.Errorf("got detail %q, want %q", got, tt.want)
			}
			if strings.Contains(got, "bob") {
				t.Errorf("the detail passes Hector's text on: %q", got)
			}
		})
	}
}

// TestEqEmpty: eq "" matches only empty (or absent, as the bridge renders
// an empty value) values, on every path: pushed down to Hector, in memory,
// and on groups; it never widens to every record.
func TestEqEmpty(t *testing.T) {
	f := newFixture(t, provision.Config{}, hectorsim.Options{}, 0)
	f.user(t, `{"userName":"ada@x","title":"Engineer","externalId":"A1"}`)
	f.user(t, `{"userName":"bob@x"}`)
	for _, tt := range []struct {
		filter string
		want   []string
	}{
		{`userName eq ""`, nil},
		{`emails[type eq "work"].value eq ""`, nil},
		{`emails[type eq "work" and value eq ""]`, nil},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq ""`, nil},
		{`userName eq "" and userName eq "ada@x"`, nil},
		{`userName eq "ada@x" and userName eq "bob@x"`, nil},
		{`title eq ""`, []string{"bob@x"}},
		{`title ne ""`, []string{"ada@x"}},
		{`externalId eq ""`, []string{"bob@x"}},
		{`name.givenName eq ""`, []string{"ada@x", "bob@x"}},
	} {
		t.Run(tt.filter, func(t *testing.T) {
			res, err := f.svc.ListUsers(f.ctx, testReq, translate.ListQuery{Filter: tt.filter, Count: -1})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res.Resources {
				got = append(got, r["userName"].(string))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || res.TotalResults != len(tt.want) {
				t.Errorf("got %v (total %d), want %v", got, res.TotalResults, tt.want)
			}
		})
	}
	f.group(t, `{"displayName":"Okta Group"}`)
	f.group(t, `{"displayName":"Entra Group","externalId":"g2"}`)
	for _, tt := range []struct {
		filter string
		want   []string
	}{
		{`displayName eq ""`, nil},
		{`displayName eq "" or displayName eq "zz"`, nil},
		{`externalId eq ""`, []string{"Okta Group"}},
		{`displayName eq "Okta Group" and displayName eq "Entra Group"`, nil},
	} {
		t.Run("Groups "+tt.filter, func(t *testing.T) {
			res, err := f.svc.ListGroups(f.ctx, testReq, translate.ListQuery{Filter: tt.filter, Count: -1}, false)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res.Resources {
				got = append(got, r["displayName"].(string))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || res.TotalResults != len(tt.want) {
				t.Errorf("got %v (total %d), want %v", got, res.TotalResults, tt.want)
			}
		})
	}
}

// TestRoleGroups: a rule binds a group by the IdP's id, whatever its
// display name; names compare as Hector compares them, so a look-alike
// (ſ is not s) grants nothing and is not found for the real one.
func TestRoleGroups(t *testing.T) {
	roles := translate.Roles{Order: []translate.RoleRule{
		{Name: "admin", Groups: []string{"id:obj-admins", "hector_admins"}},
		{Name: "staff", Groups: []string{"hector_staff"}},
	}, Default: "user", Overwrite: true}
	f := newFixture(t, provision.Config{Roles: roles}, hectorsim.Options{}, 0)
	ada := f.user(t, `{"userName":"ada@x","externalId":"ada"}`)
	bob := f.user(t, `{"userName":"bob@x","externalId":"bob"}`)
	byID := f.group(t, `{"displayName":"Tenant Admins","externalId":"obj-admins"}`)
	staff := f.group(t, `{"displayName":"hector_staff","externalId":"s"}`)
	real := f.group(t, `{"displayName":"hector_admins","externalId":"a"}`)
	lookAlike := f.group(t, `{"displayName":"hector_adminſ","externalId":"x"}`)
	add := func(gid, uid string) {
		t.Helper()
		if _, err := f.svc.PatchGroup(f.ctx, testReq, gid, memberPatch("add", `{"value":"`+uid+`"}`)); err != nil {
			t.Fatal(err)
		}
	}
	add(staff, ada)
	add(byID, ada)
	f.expect(t, ada, map[string]string{"role": "admin"})
	// Leaving another group: the id-bound group still grants admin (its
	// external_id is resolved for the user's other groups).
	if _, err := f.svc.PatchGroup(f.ctx, testReq, staff, memberPatch("remove", `{"value":"`+ada+`"}`)); err != nil {
		t.Fatal(err)
	}
	f.expect(t, ada, map[string]string{"role": "admin"})
	// Renamed by its owner: still the admin group.
	if _, err := f.svc.PatchGroup(f.ctx, testReq, byID, []byte(`{"Operations":[{"op":"replace","path":"displayName","value":"Renamed"}]}`)); err != nil {
		t.Fatal(err)
	}
	f.expect(t, ada, map[string]string{"role": "admin"})

	add(lookAlike, bob)
	f.expect(t, bob, map[string]string{"role": "user"})
	res, err := f.svc.ListGroups(f.ctx, testReq, translate.ListQuery{Filter: `displayName eq "hector_adminſ"`, Count: -1}, false)
	if err != nil || res.TotalResults != 1 || res.Resources[0]["id"] != lookAlike {
		t.Errorf("filter on the look-alike: got %v %v, want only it (not %s)", res, err, real)
	}
}

// TestProtectedAccounts: accounts listed in Protect do not exist to SCIM.
func TestProtectedAccounts(t *testing.T) {
	f := newFixture(t, provision.Config{Roles: adminRoles(), Protect: []string{"BreakGlass@x"}}, hectorsim.Options{}, 0)
	var ids []string
	for i := range 7 {
		if i == 3 {
			ids = append(ids, hector(t, f.sim, "POST", "/users", `{"username":"breakglass@x","email":"bg@x","identifier":"BG","role":"admin"}`).Get("id").String())
			continue
		}
		ids = append(ids, f.user(t, fmt.Sprintf(`{"userName":"u%d@x"}`, i)))
	}
	bg := ids[3]
	if _, err := f.svc.GetUser(f.ctx, testReq, bg); err == nil || provision.AsError(err).Status != http.StatusNotFound {
		t.Errorf("GET: got %v, want 404", err)
	}
	for _, write := range []func() error{
		func() error {
			_, err := f.svc.PatchUser(f.ctx, testReq, bg, []byte(`{"Operations":[{"op":"replace","path":"active","value":false}]}`))
			return err
		},
		func() error {
			_, err := f.svc.ReplaceUser(f.ctx, testReq, bg, []byte(`{"userName":"breakglass@x"}`))
			return err
		},
		func() error { return f.svc.DeleteUser(f.ctx, testReq, bg) },
	} {
		if err := write(); err == nil || provision.AsError(err).Status != http.StatusNotFound {
			t.Errorf("write: got %v, want 404", err)
		}
	}
	if _, err := f.svc.CreateUser(f.ctx, testReq, []byte(`{"userName":"BREAKGLASS@x"}`)); err == nil || provision.AsError(err).ScimType != translate.Uniqueness {
		t.Errorf("colliding create: got %v, want 409 uniqueness", err)
	}
	gid := f.group(t, `{"displayName":"hector_staff","externalId":"s"}`)
	if _, err := f.svc.PatchGroup(f.ctx, testReq, gid, memberPatch("add", `{"value":"`+bg+`"}`)); err == nil || provision.AsError(err).ScimType != translate.InvalidValue {
		t.Errorf("as a member: got %v, want 400 invalidValue", err)
	}
	// A protected member put in a group by hand: invisible, never removed.
	hector(t, f.sim, "POST", "/groups/"+gid+"/members", `{"user_ids":[`+bg+`]}`)
	if _, err := f.svc.PatchGroup(f.ctx, testReq, gid, memberPatch("remove", `{"value":"`+bg+`"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ReplaceGroup(f.ctx, testReq, gid, []byte(`{"displayName":"hector_staff","members":[{"value":"`+ids[0]+`"}]}`)); err != nil {
		t.Fatal(err)
	}
	if got := f.members(gid); len(got) != 2 {
		t.Errorf("after a removal and a PUT: got members %v, want the protected account kept", got)
	}
	g, _ := f.svc.GetGroup(f.ctx, testReq, gid, true)
	var shown []string
	for m, err := range g["members"].(translate.Stream) {
		if err != nil {
			t.Fatal(err)
		}
		shown = append(shown, m.(map[string]any)["value"].(string))
	}
	if !slices.Equal(shown, []string{ids[0]}) {
		t.Errorf("group members: got %v, want only %s", shown, ids[0])
	}
	f.expect(t, bg, map[string]string{"role": "admin", "status": "active", "external_id": ""})

	// Every window of every list leaves it out, and counts without it.
	visible := slices.Delete(slices.Clone(ids), 3, 4)
	for _, filter := range []string{"", `userName sw "u"`, `active eq true`, `userName eq "breakglass@x"`} {
		for start := 1; start <= 7; start++ {
			for _, count := range []int{0, 1, 2, 3, 100} {
				res, err := f.svc.ListUsers(f.ctx, testReq, translate.ListQuery{Filter: filter, StartIndex: start, Count: count})
				if err != nil {
					t.Fatal(err)
				}
				want := visible
				if filter == `userName eq "breakglass@x"` {
					want = nil
				}
				wantPage := want[min(start-1, len(want)):min(start-1+count, len(want))]
				var got []string
				for _, r := range res.Resources {
					got = append(got, r["id"].(string))
				}
				if res.TotalResults != len(want) || fmt.Sprint(got) != fmt.Sprint(wantPage) && !(len(got) == 0 && len(wantPage) == 0) {
					t.Errorf("filter %q start %d count %d: got %v (total %d), want %v (total %d)", filter, start, count, got, res.TotalResults, wantPage, len(want))
				}
			}
		}
	}
}

// TestRemovalCompletesOnRetry: a member removal whose member call landed
// but whose status and role writes failed is finished by the IdP's retry
// of the same request: the user is named by it, recomputed from Hector's
// record, and disabled (left in no synchronized group).
func TestRemovalCompletesOnRetry(t *testing.T) {
	h := newHooked(t, provision.Config{Roles: adminRoles()}, hectorsim.Options{})
	admins := h.group(t, `{"displayName":"hector_admins","externalId":"a"}`)
	ada := h.user(t, `{"userName":"ada@x","externalId":"ada"}`)
	if _, err := h.svc.PatchGroup(h.ctx, testReq, admins, memberPatch("add", `{"value":"`+ada+`"}`)); err != nil {
		t.Fatal(err)
	}
	h.expect(t, ada, map[string]string{"role": "admin", "status": "active"})
	h.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != "PUT" || !strings.HasPrefix(r.URL.Path, "/users/") {
			return false
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error":{"code":"server_error","message":"down"}}`))
		return true
	})
	body := memberPatch("remove", `{"value":"`+ada+`"}`)
	if _, err := h.svc.PatchGroup(h.ctx, testReq, admins, body); err == nil {
		t.Fatal("the first try succeeded; want it to fail after the member call")
	}
	if got := h.members(admins); len(got) != 0 {
		t.Fatalf("after the failed try: got members %v, want the removal landed", got)
	}
	h.expect(t, ada, map[string]string{"role": "admin", "status": "active"})
	h.setHook(nil)
	if _, err := h.svc.PatchGroup(h.ctx, testReq, admins, body); err != nil {
		t.Fatal(err)
	}
	h.expect(t, ada, map[string]string{"role": "user", "status": "disabled"})
}

// TestProtectedInLongLists: the window shifts past a protected account in
// lists longer than one of Hector's pages.
func TestProtectedInLongLists(t *testing.T) {
	f := newFixture(t, provision.Config{Protect: []string{"bg@x"}}, hectorsim.Options{}, 0)
	var visible []string
	for i := range 230 {
		if i == 40 || i == 180 {
			hector(t, f.sim, "POST", "/users", fmt.Sprintf(`{"username":"bg%d@x","email":"bg%d@x","identifier":"BG%d"}`, i, i, i))
			continue
		}
		visible = append(visible, f.user(t, fmt.Sprintf(`{"userName":"u%d@x"}`, i)))
	}
	f.svc = mustService(t, f, []string{"bg40@x", "BG180@x"})
	for _, start := range []int{1, 2, 40, 41, 100, 101, 150, 179, 200, 228, 229} {
		for _, count := range []int{1, 50, 100} {
			res, err := f.svc.ListUsers(f.ctx, testReq, translate.ListQuery{StartIndex: start, Count: count})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res.Resources {
				got = append(got, r["id"].(string))
			}
			want := visible[min(start-1, len(visible)):min(start-1+count, len(visible))]
			if res.TotalResults != len(visible) || !slices.Equal(got, want) {
				t.Errorf("start %d count %d: got %d items %v… (total %d), want %d from %v (total %d)", start, count, len(got), head(got), res.TotalResults, len(want), head(want), len(visible))
			}
		}
	}
}

func head(s []string) []string { return s[:min(3, len(s))] }

// mustService is a Service over the fixture's simulator with other
// protected accounts.
func mustService(t *testing.T, f *fixture, protect []string) *provision.Service {
	t.Helper()
	srv := httptest.NewServer(f.sim)
	t.Cleanup(srv.Close)
	c, err := legacyclient.New(legacyclient.Config{BaseURL: srv.URL, APIKey: "k", Retries: new(0)})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := provision.NewService(c, provision.Config{Protect: protect})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
