package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
)

// TestBulkAddToRoleGroup adds 1,000 members to a role-granting group in
// one PATCH, against the simulator at its default rate limit (50/s, burst
// 100), and reports the time and the Hector calls it took. It asserts the
// outcome and the call count, never the time.
func TestBulkAddToRoleGroup(t *testing.T) {
	const n = 1000
	e := start(t, options{scim: guideRoles, rate: "48"})
	gid := e.newGroup("hector_staff")
	ids := seedUsers(t, e, n)
	e.sim.SetRateLimit(hectorsim.DefaultRate, hectorsim.DefaultBurst)
	e.sim.ResetStats()

	values := make([]string, n)
	for i, id := range ids {
		values[i] = fmt.Sprintf(`{"value":%q}`, id)
	}
	body := patch(`{"op":"Add","path":"members","value":[` + strings.Join(values, ",") + `]}`)
	began := time.Now()
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+gid, body))
	took := time.Since(began)

	st := e.sim.Stats()
	t.Logf("PATCH adding %d members to a role group: %v, %d Hector calls %v, %d answered 429", n, took.Round(time.Millisecond), st.Requests, st.ByRoute, st.RateLimited)
	if got := len(e.sim.Members(mustInt(gid))); got != n {
		t.Errorf("got %d members, want %d", got, n)
	}
	for _, raw := range e.sim.Users() {
		if r := gjson.GetBytes(raw, "role").String(); r != "staff" {
			t.Fatalf("user %s: got role %q, want staff", gjson.GetBytes(raw, "username"), r)
		}
	}
	// The minimum: 1 group read, 1 count and 10 pages to read the users'
	// records (cheaper than 1,000 GETs), 1,000 role writes, 10 member adds,
	// then the same 11 reads again to verify the roles against what other
	// replicas may have changed meanwhile.
	calls := st.Requests - st.RateLimited - st.ByRoute["GET /roles"] // the start-up role check may land here
	if want := int64(1 + 2*(1+n/100) + n + n/100); calls > want {
		t.Errorf("got %d Hector calls, want at most %d", calls, want)
	}
}

// seedUsers creates n users straight in the simulator (no rate limit yet).
func seedUsers(t *testing.T, e *env, n int) []string {
	t.Helper()
	e.sim.SetRateLimit(0, 0)
	ids := make([]string, n)
	for i := range n {
		body := fmt.Sprintf(`{"username":"bulk%d@contoso.com","email":"bulk%d@contoso.com","identifier":"B%d","external_id":"x%d"}`, i, i, i, i)
		req, _ := http.NewRequest("POST", e.simURL+"/users", strings.NewReader(body))
		req.Header.Set("X-Api-Key", APIKey)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusCreated {
			t.Fatalf("seeding user %d: %v %v", i, err, res)
		}
		var b strings.Builder
		_, _ = fmt.Fprint(&b, gjsonBody(res))
		ids[i] = gjson.Get(b.String(), "data.id").String()
	}
	return ids
}
