package e2e

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tidwall/gjson"
)

// idp is an Entra-like provisioning client: it looks each object up by its
// matching attribute, creates it when absent, pushes memberships with PATCH,
// and retries whatever failed in a later cycle, as Entra does ~40 minutes
// later.
type idp struct {
	e        *env
	workers  int
	requests atomic.Int64 // SCIM requests sent
	failures atomic.Int64 // SCIM requests that failed (5xx, 429, transport)
}

// wantUser is a user as the IdP holds it.
type wantUser struct {
	userName, given, family, email, empNo, dept string
	noExt                                       bool // the IdP maps no externalId (the bridge generates one)
}

func (u wantUser) externalID() string {
	if u.noExt {
		return ""
	}
	return "ext-" + u.userName
}

func (u wantUser) body() string {
	ext := ""
	if !u.noExt {
		ext = fmt.Sprintf(`"externalId":%q,`, u.externalID())
	}
	return fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
	 "userName":%q,%s"active":true,"displayName":"%s %s",
	 "name":{"givenName":%q,"familyName":%q},"emails":[{"primary":true,"type":"work","value":%q}],
	 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":%q,"department":%q}}`,
		u.userName, ext, u.given, u.family, u.given, u.family, u.email, u.empNo, u.dept)
}

// update is Entra's PATCH of a matched user whose attributes differ.
func (u wantUser) update() string {
	ops := []string{
		fmt.Sprintf(`{"op":"Replace","path":"name.givenName","value":%q}`, u.given),
		fmt.Sprintf(`{"op":"Replace","path":"name.familyName","value":%q}`, u.family),
		fmt.Sprintf(`{"op":"Replace","path":"emails[type eq \"work\"].value","value":%q}`, u.email),
		fmt.Sprintf(`{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":%q}`, u.empNo),
		fmt.Sprintf(`{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":%q}`, u.dept),
	}
	if !u.noExt {
		ops = append(ops, fmt.Sprintf(`{"op":"Replace","path":"externalId","value":%q}`, u.externalID()))
	}
	return patch(strings.Join(ops, ","))
}

// differs reports whether a user as the bridge returns it differs from
// what the IdP holds, so that the IdP would update it.
func (u wantUser) differs(r gjson.Result) bool {
	return r.Get("externalId").String() != u.externalID() || r.Get("name.givenName").String() != u.given ||
		r.Get("name.familyName").String() != u.family
}

// directory is what the IdP provisions: users, and groups with members
// (indexes into users). Hand-made accounts that the IdP does not provision
// (by username, with their Hector record) must end untouched.
type directory struct {
	users    []wantUser
	groups   map[string][]int
	handMade map[string]string
}

// newDirectory builds n users and the guide's role groups plus others,
// with overlapping memberships.
func newDirectory(n int, groups []string) directory {
	d := directory{groups: map[string][]int{}}
	for i := range n {
		d.users = append(d.users, wantUser{
			userName: fmt.Sprintf("user%04d@contoso.com", i), given: fmt.Sprintf("Given%d", i), family: "Family",
			email: fmt.Sprintf("u%04d.mail@contoso.com", i), empNo: fmt.Sprintf("E%05d", i), dept: []string{"R&D", "Ops", "Sales"}[i%3],
		})
		d.groups[groups[i%len(groups)]] = append(d.groups[groups[i%len(groups)]], i)
		if i%4 == 0 {
			other := groups[(i/4)%len(groups)]
			if other != groups[i%len(groups)] {
				d.groups[other] = append(d.groups[other], i)
			}
		}
	}
	return d
}

// do sends one SCIM request, counting it, without failing the test.
func (c *idp) do(method, path string, body any) resp {
	c.requests.Add(1)
	r := c.e.tryDo(method, path, body)
	if r.status == 0 || r.status >= 500 || r.status == http.StatusTooManyRequests {
		c.failures.Add(1)
	}
	return r
}

// run provisions the directory in cycles until nothing is left to do, at
// most maxCycles; it returns the users' SCIM ids.
func (c *idp) run(t *testing.T, d directory, maxCycles int) map[int]string {
	t.Helper()
	ids := map[int]string{}
	var mu sync.Mutex
	pendingUsers := make([]int, len(d.users))
	for i := range pendingUsers {
		pendingUsers[i] = i
	}
	groupIDs := map[string]string{}
	pendingMembers := map[string]bool{}
	for g := range d.groups {
		pendingMembers[g] = true
	}
	for cycle := 1; cycle <= maxCycles; cycle++ {
		pendingUsers = c.parallel(pendingUsers, func(i int) bool {
			id, ok := c.syncUser(d.users[i])
			if ok {
				mu.Lock()
				ids[i] = id
				mu.Unlock()
			}
			return ok
		})
		if len(pendingUsers) == 0 {
			c.syncGroups(d, ids, groupIDs, pendingMembers)
		}
		if len(pendingUsers) == 0 && len(pendingMembers) == 0 {
			t.Logf("provisioned in %d cycles", cycle)
			return ids
		}
	}
	t.Fatalf("not provisioned after %d cycles: %d users and %d groups left", maxCycles, len(pendingUsers), len(pendingMembers))
	return nil
}

// runConcurrentGroups is run; groups are pushed in parallel, as Entra
// does.
func (c *idp) runConcurrentGroups(t *testing.T, d directory, maxCycles int) map[int]string {
	return c.run(t, d, maxCycles)
}

// syncGroups pushes every pending group at once, one goroutine each.
func (c *idp) syncGroups(d directory, ids map[int]string, groupIDs map[string]string, pending map[string]bool) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	names := make([]string, 0, len(pending))
	for g := range pending {
		names = append(names, g)
	}
	for _, g := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			gid := groupIDs[g]
			mu.Unlock()
			gid, ok := c.syncGroup(g, gid, d.groups[g], ids)
			mu.Lock()
			defer mu.Unlock()
			if gid != "" {
				groupIDs[g] = gid
			}
			if ok {
				delete(pending, g)
			}
		}()
	}
	wg.Wait()
}

// parallel runs fn over items with the IdP's workers and returns the items
// that failed.
func (c *idp) parallel(items []int, fn func(int) bool) []int {
	var (
		mu     sync.Mutex
		failed []int
		wg     sync.WaitGroup
		next   = make(chan int)
	)
	for range c.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if !fn(i) {
					mu.Lock()
					failed = append(failed, i)
					mu.Unlock()
				}
			}
		}()
	}
	for _, i := range items {
		next <- i
	}
	close(next)
	wg.Wait()
	sort.Ints(failed)
	return failed
}

// syncUser is Entra's lookup-then-create; a user it finds (it matched an
// existing account) is updated where it differs.
func (c *idp) syncUser(u wantUser) (string, bool) {
	r := c.do("GET", "/Users"+filterQuery(`userName eq "`+u.userName+`"`), nil)
	if r.status != http.StatusOK {
		return "", false
	}
	switch r.get("totalResults").Int() {
	case 1:
		id := r.get("Resources.0.id").String()
		if u.differs(r.get("Resources.0")) {
			r = c.do("PATCH", "/Users/"+id, u.update())
			return id, r.status == http.StatusOK
		}
		return id, true
	case 0:
		r = c.do("POST", "/Users", u.body())
		return r.get("id").String(), r.status == http.StatusCreated
	}
	return "", false // DuplicateTargetEntries: never expected
}

// syncGroup looks the group up, creates it, and adds its members in
// batches of 50, as one PATCH each. It returns the group's id once known.
func (c *idp) syncGroup(name, gid string, members []int, ids map[int]string) (string, bool) {
	if gid == "" {
		r := c.do("GET", "/Groups?excludedAttributes=members&filter="+strings.ReplaceAll(`displayName eq "`+name+`"`, " ", "+"), nil)
		if r.status != http.StatusOK {
			return "", false
		}
		if r.get("totalResults").Int() == 1 {
			gid = r.get("Resources.0.id").String()
		} else {
			r = c.do("POST", "/Groups", entraGroup(name, "obj-"+name))
			if r.status != http.StatusCreated {
				return "", false
			}
			gid = r.get("id").String()
		}
	}
	for start := 0; start < len(members); start += 50 {
		var vals []string
		for _, i := range members[start:min(start+50, len(members))] {
			vals = append(vals, ids[i])
		}
		r := c.do("PATCH", "/Groups/"+gid, patch(`{"op":"Add","path":"members","value":`+members2(vals)+`}`))
		if r.status != http.StatusNoContent {
			return gid, false
		}
	}
	return gid, true
}

func members2(ids []string) string { return members(ids...) }

// verify checks Hector's end state against the directory: exactly the
// users, with their fields, no duplicate, the memberships, and the roles
// the guide's rules give.
func verify(t *testing.T, e *env, d directory, ids map[int]string) {
	t.Helper()
	users := e.sim.Users()
	if len(users) != len(d.users)+len(d.handMade) {
		t.Errorf("Hector has %d users, want %d", len(users), len(d.users)+len(d.handMade))
	}
	for _, raw := range users {
		if want, ok := d.handMade[gjson.GetBytes(raw, "username").String()]; ok && string(raw) != want {
			t.Errorf("a hand-made account the IdP does not provision changed:\nbefore %s\nafter  %s", want, raw)
		}
	}
	seen := map[string]bool{}
	for _, raw := range users {
		name := gjson.GetBytes(raw, "username").String()
		if seen[name] {
			t.Errorf("duplicate user %s", name)
		}
		seen[name] = true
	}
	groupsOf := map[int][]string{}
	for g, ms := range d.groups {
		for _, i := range ms {
			groupsOf[i] = append(groupsOf[i], g)
		}
	}
	for i, u := range d.users {
		want := map[string]string{
			"username": u.userName, "email": u.email, "identifier": u.empNo, "first_name": u.given,
			"last_name": u.family, "department": u.dept, "external_id": u.externalID(),
			"status": "active", "role": guideRole(groupsOf[i]),
		}
		if u.noExt {
			delete(want, "external_id")
			if ext := e.hectorUser(ids[i]).Get("external_id").String(); !strings.HasPrefix(ext, "hector-scim:") {
				t.Errorf("user %s: got external_id %q, want a generated one", u.userName, ext)
			}
		}
		e.expectFields(ids[i], want)
	}
	for _, raw := range e.sim.Groups() {
		g := gjson.ParseBytes(raw)
		want := map[int64]bool{}
		for _, i := range d.groups[g.Get("name").String()] {
			want[mustInt(ids[i])] = true
		}
		got := e.sim.Members(g.Get("id").Int())
		if len(got) != len(want) {
			t.Errorf("group %s: got %d members, want %d", g.Get("name"), len(got), len(want))
		}
		for _, id := range got {
			if !want[id] {
				t.Errorf("group %s: unexpected member %d", g.Get("name"), id)
			}
		}
	}
	if n := len(e.sim.Groups()); n != len(d.groups) {
		t.Errorf("Hector has %d groups, want %d", n, len(d.groups))
	}
}

// guideRole is the role Hector's guide rules give a member of groups.
func guideRole(groups []string) string {
	for _, rule := range []struct {
		role   string
		groups []string
	}{{"admin", []string{"hector_admins"}}, {"staff", []string{"hector_staff", "Hector Staff EU"}}, {"user", []string{"hector_users"}}} {
		for _, g := range groups {
			for _, rg := range rule.groups {
				if g == rg {
					return rule.role
				}
			}
		}
	}
	return "user"
}
