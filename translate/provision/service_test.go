package provision_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
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

// testReq is the request every test call is made as.
var testReq = provision.Request{BaseURL: "https://scim.test/scim/v2"}

// fixture is a Service over a legacy client over the simulator.
type fixture struct {
	sim *hectorsim.Server
	svc *provision.Service
	ctx context.Context
}

func newFixture(t *testing.T, cfg provision.Config, sim hectorsim.Options, retries int) *fixture {
	t.Helper()
	sim.APIKey = "k"
	s, err := hectorsim.New(sim)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := legacyclient.New(legacyclient.Config{BaseURL: srv.URL, APIKey: "k", Retries: new(retries), RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := provision.NewService(c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{sim: s, svc: svc, ctx: context.Background()}
}

func (f *fixture) user(t *testing.T, body string) string {
	t.Helper()
	r, err := f.svc.CreateUser(f.ctx, testReq, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return r["id"].(string)
}

// calls runs fn and returns how many Hector calls it made.
func (f *fixture) calls(t *testing.T, fn func() error) int64 {
	t.Helper()
	f.sim.ResetStats()
	if err := fn(); err != nil {
		t.Fatal(err)
	}
	return f.sim.Stats().Requests
}

// TestCallBudget holds each SCIM operation to its minimal Hector calls.
func TestCallBudget(t *testing.T) {
	f := newFixture(t, provision.Config{}, hectorsim.Options{}, 0)
	id := f.user(t, `{"userName":"ada@x","name":{"givenName":"Ada"}}`)
	for i := range 250 {
		f.user(t, fmt.Sprintf(`{"userName":"u%d@x"}`, i))
	}
	g, err := f.svc.CreateGroup(f.ctx, testReq, []byte(`{"displayName":"Plain","externalId":"p"}`))
	if err != nil {
		t.Fatal(err)
	}
	gid := g["id"].(string)
	var add []string
	for i := 2; i <= 251; i++ {
		add = append(add, fmt.Sprintf(`{"value":"%d"}`, i))
	}
	patchAdd := fmt.Sprintf(`{"Operations":[{"op":"Add","path":"members","value":[%s]}]}`, join(add))
	tests := []struct {
		name string
		fn   func() error
		want int64
	}{
		{"GET by id", func() error { _, err := f.svc.GetUser(f.ctx, testReq, id); return err }, 1},
		{"filter eq on userName", func() error {
			_, err := f.svc.ListUsers(f.ctx, testReq, translate.ListQuery{Filter: `userName eq "ada@x"`, Count: -1})
			return err
		}, 1},
		{"POST", func() error { _, err := f.svc.CreateUser(f.ctx, testReq, []byte(`{"userName":"new@x"}`)); return err }, 1},
		{"PATCH user", func() error {
			_, err := f.svc.PatchUser(f.ctx, testReq, id, []byte(`{"Operations":[{"op":"replace","path":"name.givenName","value":"Augusta"}]}`))
			return err
		}, 2},
		{"PATCH user that changes nothing Hector stores", func() error {
			_, err := f.svc.PatchUser(f.ctx, testReq, id, []byte(`{"Operations":[{"op":"replace","path":"displayName","value":"A"}]}`))
			return err
		}, 1},
		{"DELETE user", func() error { return f.svc.DeleteUser(f.ctx, testReq, id) }, 2},
		// The group read, the check of the 250 members before any write
		// (a count and 3 pages of users: cheaper than 250 reads), and 3
		// member calls; no per-user call.
		{"PATCH group adding 250 members to a group that grants no role", func() error {
			_, err := f.svc.PatchGroup(f.ctx, testReq, gid, []byte(patchAdd))
			return err
		}, 1 + 4 + 3},
		{"GET group without members", func() error { _, err := f.svc.GetGroup(f.ctx, testReq, gid, false); return err }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.calls(t, tt.fn); got != tt.want {
				t.Errorf("got %d Hector calls, want %d", got, tt.want)
			}
		})
	}
}

func join(parts []string) string {
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += ","
		}
		s += p
	}
	return s
}

// TestFiltersOverHector checks pushdown and in-memory evaluation against
// the simulator, one operator at a time.
func TestFiltersOverHector(t *testing.T) {
	f := newFixture(t, provision.Config{MaxFilterScan: 50}, hectorsim.Options{}, 0)
	f.user(t, `{"userName":"ada@x","title":"Engineer","externalId":"A1","name":{"givenName":"Ada","familyName":"Lovelace"}}`)
	f.user(t, `{"userName":"bob@x","title":"Manager","externalId":"b2","active":false}`)
	f.user(t, `{"userName":"cy@y","title":"Engineer Lead","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"E3"}}`)
	tests := []struct {
		filter string
		want   []string
	}{
		{`userName eq "ADA@X"`, []string{"ada@x"}},
		{`externalId eq "a1"`, nil}, // externalId is caseExact
		{`externalId eq "A1"`, []string{"ada@x"}},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "E3"`, []string{"cy@y"}},
		{`active eq false`, []string{"bob@x"}},
		{`active eq "True"`, []string{"ada@x", "cy@y"}},
		{`title co "Eng"`, []string{"ada@x", "cy@y"}},
		{`title sw "Man"`, []string{"bob@x"}},
		{`userName ew "@y"`, []string{"cy@y"}},
		{`title ne "Engineer"`, []string{"bob@x", "cy@y"}},
		{`name.givenName pr`, []string{"ada@x"}},
		{`not (title pr)`, nil},
		{`title eq "Engineer" or userName eq "bob@x"`, []string{"ada@x", "bob@x"}},
		{`userName eq "ada@x" and title eq "Manager"`, nil},
		{`emails[type eq "work"].value eq "cy@y"`, []string{"cy@y"}},
		{`emails.value co "@x"`, []string{"ada@x", "bob@x"}},
		{`meta.lastModified gt "2000-01-01T00:00:00Z"`, []string{"ada@x", "bob@x", "cy@y"}},
		{`meta.lastModified lt "2000-01-01T00:00:00Z"`, nil},
		{`id eq "2"`, []string{"bob@x"}},
		{`id eq "2" and userName eq "ada@x"`, nil},
		{`id eq "abc"`, nil},
	}
	for _, tt := range tests {
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
	for i := range 60 {
		f.user(t, fmt.Sprintf(`{"userName":"bulk%d@z"}`, i))
	}
	_, err := f.svc.ListUsers(f.ctx, testReq, translate.ListQuery{Filter: `title co "x"`, Count: -1})
	if e := provision.AsError(err); err == nil || e.ScimType != translate.TooMany {
		t.Errorf("scan past max_filter_scan: got %v, want 400 tooMany", err)
	}
	for _, bad := range []string{`favoriteColor eq "x"`, `userName eq`, `(userName eq "a"`} {
		_, err := f.svc.ListUsers(f.ctx, testReq, translate.ListQuery{Filter: bad, Count: -1})
		if e := provision.AsError(err); err == nil || e.ScimType != translate.InvalidFilter {
			t.Errorf("filter %s: got %v, want 400 invalidFilter", bad, err)
		}
	}
}

// failAfter lets n requests of one route through, then answers 503 to
// the rest until reset: a Hector that fails halfway through a change.
type failAfter struct {
	next  http.Handler
	route string
	mu    sync.Mutex
	left  int
	armed bool
}

func (f *failAfter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	fail := false
	if f.armed && r.Method+" "+routeOf(r.URL.Path) == f.route {
		if f.left == 0 {
			fail = true
		} else {
			f.left--
		}
	}
	f.mu.Unlock()
	if fail {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error":{"code":"server_error","message":"injected"}}`))
		return
	}
	f.next.ServeHTTP(w, r)
}

func routeOf(p string) string {
	if strings.HasPrefix(p, "/users/") {
		return "/users/{id}"
	}
	return p
}

// TestHalfFinishedRoleChangeCompletesOnRetry fails a role-granting member
// add halfway through its role writes, after Hector accepted the members;
// the same request sent again (as the IdP retries it) finishes the work
// exactly: the roles are recomputed for every user it names, re-added or
// not.
func TestHalfFinishedRoleChangeCompletesOnRetry(t *testing.T) {
	roles := translate.Roles{Order: []translate.RoleRule{{Name: "staff", Groups: []string{"hector_staff"}}}, Default: "user"}
	s, err := hectorsim.New(hectorsim.Options{APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	fa := &failAfter{next: s, route: "PUT /users/{id}"}
	srv := httptest.NewServer(fa)
	defer srv.Close()
	c, _ := legacyclient.New(legacyclient.Config{BaseURL: srv.URL, APIKey: "k", Retries: new(0)})
	svc, _ := provision.NewService(c, provision.Config{Roles: roles})
	ctx := context.Background()
	var ids []string
	for i := range 50 {
		u, err := svc.CreateUser(ctx, testReq, []byte(fmt.Sprintf(`{"userName":"u%d@x"}`, i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, fmt.Sprintf(`{"value":%q}`, u["id"]))
	}
	g, err := svc.CreateGroup(ctx, testReq, []byte(`{"displayName":"hector_staff","externalId":"s"}`))
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(fmt.Sprintf(`{"Operations":[{"op":"Add","path":"members","value":[%s]}]}`, join(ids)))

	fa.mu.Lock()
	fa.armed, fa.left = true, 20
	fa.mu.Unlock()
	if _, err := svc.PatchGroup(ctx, testReq, g["id"].(string), body); err == nil {
		t.Fatal("the first try succeeded; want it to fail halfway")
	}
	// The members were added first (roles follow what Hector accepted);
	// 20 role writes went through before the failure (a concurrent one may
	// have been cut short with it).
	if n := len(s.Members(1)); n != 50 {
		t.Fatalf("after the failed try: got %d members, want 50 (member calls come before the role writes)", n)
	}
	if staff := countRole(s, "staff"); staff < 10 || staff == 50 {
		t.Fatalf("after the failed try: got %d staff, want about the 20 written before the failure", staff)
	}
	fa.mu.Lock()
	fa.armed = false
	fa.mu.Unlock()
	if _, err := svc.PatchGroup(ctx, testReq, g["id"].(string), body); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if staff := countRole(s, "staff"); staff != 50 {
		t.Errorf("after the retry: got %d staff, want 50", staff)
	}
	if n := len(s.Members(1)); n != 50 {
		t.Errorf("after the retry: got %d members, want 50", n)
	}
}

func countRole(s *hectorsim.Server, role string) int {
	n := 0
	for _, raw := range s.Users() {
		if gjson.GetBytes(raw, "role").String() == role {
			n++
		}
	}
	return n
}
