package provision_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
)

// tenant is a seeded simulator, a legacy client and a Service over it.
type tenant struct {
	sim    *hectorsim.Server
	client *legacyclient.Client
	svc    *provision.Service
	audit  *recordingAuditor
}

// The groups of a seeded tenant, by id.
const (
	gAdmins = 1 // synchronized, grants admin: users 1..5
	gStaff  = 2 // synchronized, grants staff: users 6..n/5
	gUsers  = 3 // synchronized, grants user: the rest of the managed users
	gLab    = 4 // hand-made: users 1..10
	gOld    = 5 // synchronized, empty, named by no rule
)

// Users of a seeded tenant of n users with special cases: the managed
// users n-9..n-7 are active in no group, user 7 holds the hand-set role
// auditor, users n-2..n are hand-made (n is "breakglass@contoso.example").
func seedTenant(tb testing.TB, n int, rate float64) *tenant {
	tb.Helper()
	sim, err := hectorsim.New(hectorsim.Options{APIKey: "k", Roles: []string{"admin", "staff", "user", "auditor"}})
	if err != nil {
		tb.Fatal(err)
	}
	users := make([]hectorsim.SeedUser, n)
	var staff, rest []int64
	for i := range users {
		id := int64(i + 1)
		name := fmt.Sprintf("user%05d@contoso.example", id)
		u := hectorsim.SeedUser{Username: name, Email: name, Identifier: fmt.Sprintf("E%05d", id), FirstName: "First", LastName: "Last",
			ExternalID: fmt.Sprintf("ext-%d", id), Role: "user", Title: "Engineer", Department: "R&D", Locale: "en-CA"}
		switch {
		case id <= 5:
			u.Role = "admin"
		case id <= int64(n/5):
			u.Role = "staff"
			staff = append(staff, id)
		case id <= int64(n-10):
			rest = append(rest, id)
		case id <= int64(n-3): // managed, in no group: n-9..n-7 active, n-6..n-3 disabled
			if id > int64(n-7) {
				u.Status = "disabled"
			}
		default:
			u.ExternalID = ""
		}
		users[i] = u
	}
	users[6].Role = "auditor"
	users[n-1].Username, users[n-1].Role = "breakglass@contoso.example", "admin"
	_, _, err = sim.Seed(users, []hectorsim.SeedGroup{
		{Name: "hector_admins", ExternalID: "g-admins", Members: []int64{1, 2, 3, 4, 5}},
		{Name: "hector_staff", ExternalID: "g-staff", Members: staff},
		{Name: "hector_users", ExternalID: "g-users", Members: rest},
		{Name: "Lab", Members: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{Name: "old_project", ExternalID: "g-old"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	tb.Cleanup(srv.Close)
	c, err := legacyclient.New(legacyclient.Config{BaseURL: srv.URL, APIKey: "k", Retries: new(0), Rate: rate})
	if err != nil {
		tb.Fatal(err)
	}
	audit := &recordingAuditor{}
	svc, err := provision.NewService(c, provision.Config{Roles: snapshotRoles(true), Audit: audit})
	if err != nil {
		tb.Fatal(err)
	}
	return &tenant{sim: sim, client: c, svc: svc, audit: audit}
}

func snapshotRoles(overwrite bool) translate.Roles {
	return translate.Roles{Order: []translate.RoleRule{
		{Name: "admin", Groups: []string{"hector_admins"}},
		{Name: "staff", Groups: []string{"hector_staff"}},
		{Name: "user", Groups: []string{"hector_users"}},
	}, Default: "user", Overwrite: overwrite}
}

type recordingAuditor struct {
	mu      sync.Mutex
	changes []translate.Change
}

func (a *recordingAuditor) Change(_ context.Context, c translate.Change) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.changes = append(a.changes, c)
}

// TestSnapshot reads a tenant of 5,000 users and its groups: every record
// once, by id, in the fewest pages, with progress up to the totals.
func TestSnapshot(t *testing.T) {
	tn := seedTenant(t, 5000, 0)
	tn.sim.ResetStats()
	var last provision.Progress
	calls := 0
	snap, err := tn.svc.Snapshot(context.Background(), "", func(p provision.Progress) {
		calls++
		if p.Users < last.Users || p.Groups < last.Groups {
			t.Errorf("progress went back: %+v after %+v", p, last)
		}
		last = p
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Users) != 5000 || len(snap.Groups) != 5 {
		t.Fatalf("got %d users and %d groups, want 5000 and 5", len(snap.Users), len(snap.Groups))
	}
	if !slices.IsSortedFunc(snap.Users, func(a, b json.RawMessage) int {
		return int(gjson.GetBytes(a, "id").Int() - gjson.GetBytes(b, "id").Int())
	}) {
		t.Errorf("users are not by id")
	}
	if got := gjson.GetBytes(snap.Users[4999], "username").String(); got != "breakglass@contoso.example" {
		t.Errorf("last user: got %q", got)
	}
	if g := snap.Groups[1]; g.Name != "hector_staff" || g.ExternalID != "g-staff" || g.MemberCount != 995 {
		t.Errorf("group 2: got %+v", g)
	}
	if want := (provision.Progress{Users: 5000, UsersTotal: 5000, Groups: 5, GroupsTotal: 5}); last != want || calls != 51 {
		t.Errorf("progress: got %+v after %d calls, want %+v after 51", last, calls, want)
	}
	if got := tn.sim.Stats().Requests; got != 51 {
		t.Errorf("got %d Hector calls, want 51 (50 pages of users, 1 of groups)", got)
	}

	one, err := tn.svc.Snapshot(context.Background(), "USER00042@contoso.example", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Users) != 1 || translate.RecordID(one.Users[0]) != 42 || len(one.Groups) != 5 {
		t.Errorf("one user: got %d users (first %s) and %d groups, want user 42 and 5 groups", len(one.Users), one.Users, len(one.Groups))
	}
}

// TestApplyFixes writes a report's fixes through the SCIM write path, with
// an audit line each, and leaves alone a user changed since the report.
func TestApplyFixes(t *testing.T) {
	tn := seedTenant(t, 200, 0)
	ctx := context.Background()
	snap, err := tn.svc.Snapshot(ctx, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	d := translate.NewDrift(snap.Groups, translate.Policy{Roles: snapshotRoles(true), Protect: []string{"breakglass@contoso.example"}})
	rep := d.Analyze(snap.Users)
	var fixed []int64
	for _, f := range rep.Fixes {
		fixed = append(fixed, f.UserID)
	}
	if want := []int64{7, 191, 192, 193}; !slices.Equal(fixed, want) {
		t.Fatalf("got fixes for users %v, want %v", fixed, want)
	}
	// User 192 joins a synchronized group after the report.
	if err := tn.client.AddMembers(ctx, gOld, []int64{192}); err != nil {
		t.Fatal(err)
	}
	outcomes := map[int64]provision.Outcome{}
	err = tn.svc.ApplyFixes(ctx, d, rep.Fixes, func(f translate.Fix, o provision.Outcome, err error) {
		if err != nil {
			t.Errorf("user %d: %v", f.UserID, err)
		}
		outcomes[f.UserID] = o
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]provision.Outcome{7: provision.Written, 191: provision.Written, 192: provision.Stale, 193: provision.Written}
	for id, o := range want {
		if outcomes[id] != o {
			t.Errorf("user %d: got outcome %v, want %v", id, outcomes[id], o)
		}
	}
	for id, fields := range map[int64]string{7: "staff active", 191: "user disabled", 192: "user active", 193: "user disabled"} {
		raw, _ := tn.sim.User(id)
		if got := gjson.GetBytes(raw, "role").String() + " " + gjson.GetBytes(raw, "status").String(); got != fields {
			t.Errorf("user %d: got %s, want %s", id, got, fields)
		}
	}
	if len(tn.audit.changes) != 3 {
		t.Fatalf("got %d audit records, want 3", len(tn.audit.changes))
	}
	for _, c := range tn.audit.changes {
		if c.Object != "user" || c.Action != "update" || len(c.Users) != 1 || c.ID != fmt.Sprint(c.Users[0]) || len(c.UserNames) != 1 {
			t.Errorf("audit record %+v: want a user update naming the user", c)
		}
	}
}

// BenchmarkSnapshot5000 is the full read of scim-report: 5,000 users and
// their groups from an in-process simulator over loopback.
//
//	go test -run '^$' -bench Snapshot -benchmem ./translate/provision/
func BenchmarkSnapshot5000(b *testing.B) {
	for _, rate := range []float64{0, 40} {
		b.Run(fmt.Sprintf("rate=%g", rate), func(b *testing.B) {
			tn := seedTenant(b, 5000, rate)
			b.ReportAllocs()
			for b.Loop() {
				snap, err := tn.svc.Snapshot(context.Background(), "", nil)
				if err != nil || len(snap.Users) != 5000 {
					b.Fatalf("got %v", err)
				}
			}
		})
	}
}
