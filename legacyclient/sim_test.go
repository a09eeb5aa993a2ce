package legacyclient_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
	"github.com/hector-scim/hector-scim/legacyclient"
)

const simKey = "sim-k3y-S3CRET"

// startSim runs a simulator over HTTP with opts (APIKey is set here).
func startSim(t testing.TB, opts hectorsim.Options) (*hectorsim.Server, string) {
	t.Helper()
	opts.APIKey = simKey
	sim, err := hectorsim.New(opts)
	if err != nil {
		t.Fatalf("hectorsim.New: %v", err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(func() { srv.Close(); sim.Close() })
	return sim, srv.URL
}

// simClient returns a Client for the simulator at base; edit changes the
// Config (1ms..20ms backoff, 5s per attempt by default).
func simClient(t testing.TB, base string, edit func(*legacyclient.Config)) *legacyclient.Client {
	t.Helper()
	cfg := legacyclient.Config{
		BaseURL: base, APIKey: simKey, Timeout: 5 * time.Second,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 20 * time.Millisecond,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := legacyclient.New(cfg)
	if err != nil {
		t.Fatalf("legacyclient.New: %v", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// userBody is the create body of user i.
func userBody(prefix string, i int) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(
		`{"username":"%s%d@x.example","email":"%s%d@mail.example","identifier":"%s-E%d","external_id":"%s-ext-%d"}`,
		prefix, i, prefix, i, prefix, i, prefix, i))
}

// parallel runs do(i) for i in [0, n) on workers goroutines.
func parallel(n, workers int, do func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				do(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// TestSimCreateUnderFaults: with 30% faults and 30% ambiguous POSTs, 500
// concurrent creates give exactly 500 users, no duplicate, and every call
// returns the user it created. The simulator has no rate limit here (that
// is TestSimRateLimit's subject); the client retries enough that a run of
// faults does not defeat it.
func TestSimCreateUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out many Retry-After: 1")
	}
	const n = 500
	sim, base := startSim(t, hectorsim.Options{FaultRate: 0.3, AmbiguousPostRate: 0.3, Seed: 1})
	c := simClient(t, base, func(cfg *legacyclient.Config) { cfg.Retries = new(12) })
	got := make([]json.RawMessage, n)
	parallel(n, 8, func(i int) {
		u, err := c.CreateUser(context.Background(), userBody("f", i))
		if err != nil {
			t.Errorf("user %d: got error %v, want nil", i, err)
		}
		got[i] = u
	})
	users := sim.Users()
	if len(users) != n {
		t.Fatalf("got %d users in the simulator, want %d", len(users), n)
	}
	ids := map[int64]bool{}
	for _, u := range users {
		ids[gjson.GetBytes(u, "id").Int()] = true
	}
	seen := map[int64]bool{}
	for i, u := range got {
		id := gjson.GetBytes(u, "id").Int()
		if name := gjson.GetBytes(u, "username").String(); name != fmt.Sprintf("f%d@x.example", i) || !ids[id] || seen[id] {
			t.Errorf("user %d: got %s, want f%d@x.example with an id of the simulator's, once", i, u, i)
		}
		seen[id] = true
	}
	st := sim.Stats()
	if st.Ambiguous == 0 || st.Faults == 0 {
		t.Errorf("got %d ambiguous POSTs and %d faults, want some of each", st.Ambiguous, st.Faults)
	}
	t.Logf("stats: %d requests, %d POST /users, %d lookups, %d faults, %d ambiguous",
		st.Requests, st.ByRoute["POST /users"], st.ByRoute["GET /users"], st.Faults, st.Ambiguous)
}

// TestSimRateLimit: a client limited below the simulator's rate (40/s vs
// 50/s, burst 100) never meets a 429, even 16 calls at a time.
func TestSimRateLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 7s at 40 requests a second")
	}
	const calls = 300
	sim, base := startSim(t, hectorsim.Options{Rate: 50, Burst: 100, Seed: 1})
	c := simClient(t, base, func(cfg *legacyclient.Config) { cfg.Rate, cfg.MaxInFlight = 40, 16 })
	g, err := c.CreateGroup(context.Background(), legacyclient.GroupInput{Name: "rate"})
	if err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	parallel(calls, 16, func(i int) {
		var err error
		switch i % 3 {
		case 0:
			_, err = c.GetGroup(context.Background(), g.ID)
		case 1:
			_, err = c.ListUsers(context.Background(), legacyclient.UserQuery{}, 1, 10)
		default:
			_, err = c.ListMembers(context.Background(), g.ID, 1, 10)
		}
		if err != nil {
			t.Errorf("call %d: got error %v, want nil", i, err)
		}
	})
	st := sim.Stats()
	if st.RateLimited != 0 {
		t.Errorf("got %d 429s, want 0", st.RateLimited)
	}
	if st.Requests != calls+1 {
		t.Errorf("got %d requests, want %d", st.Requests, calls+1)
	}
}

// TestSimLargeGroupMemory walks a 100,000-member group with the Members
// iterator and checks that the live heap stays bounded: it is measured
// after a GC every 10,000 members. The users are seeded through the
// simulator's data file (100,000 POSTs would dominate the run, -race
// especially); the members are added through AddMembers (1,000 calls).
func TestSimLargeGroupMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 100,000-member group")
	}
	const n = 100_000
	const maxGrowth = 2 << 20 // the members alone, kept, would take ~3 MiB
	sim, base := startSim(t, hectorsim.Options{Seed: 1, DataFile: seedUsers(t, n)})
	c := simClient(t, base, nil)
	gid := buildGroup(t, c, sim, n)
	want := sim.Members(gid)
	base0, peak := liveHeap(), uint64(0)
	i := 0
	for m, err := range c.Members(context.Background(), gid) {
		if err != nil {
			t.Fatalf("member %d: got error %v", i, err)
		}
		if m.ID != want[i] || m.Username == "" {
			t.Fatalf("member %d: got %+v, want id %d with a username", i, m, want[i])
		}
		if i++; i%10_000 == 0 {
			peak = max(peak, liveHeap())
		}
	}
	if i != n {
		t.Fatalf("got %d members, want %d", i, n)
	}
	growth := int64(peak) - int64(base0)
	t.Logf("live heap: %d KiB before, peak growth %d KiB while walking %d members", base0>>10, growth>>10, n)
	if growth > maxGrowth {
		t.Errorf("got live heap growth %d KiB, want < %d KiB", growth>>10, maxGrowth>>10)
	}
}

// liveHeap returns the heap in use after two collections (the second one
// frees what sync.Pool victim caches still held).
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// seedUsers writes a simulator data file (format version 1) holding users
// 1..n, and returns its path.
func seedUsers(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `{"version":1,"next_user_id":%d,"next_group_id":1,"groups":[],"users":[`, n+1)
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"fields":{"username":"m%d","email":"m%d@x","identifier":"M%d","status":"active","role":"user"},`+
			`"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:05Z"}`, i, i, i, i)
	}
	b.WriteString("]}")
	path := filepath.Join(t.TempDir(), "hector.json")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// buildGroup creates a group of users 1..n through the client and returns
// its id. It then closes the simulator's data file, so that no background
// write runs while the heap is measured.
func buildGroup(t *testing.T, c *legacyclient.Client, sim *hectorsim.Server, n int) int64 {
	t.Helper()
	if got := len(sim.Users()); got != n {
		t.Fatalf("got %d seeded users, want %d", got, n)
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	g, err := c.CreateGroup(context.Background(), legacyclient.GroupInput{Name: "everyone"})
	if err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	if err := c.AddMembers(context.Background(), g.ID, ids); err != nil {
		t.Fatalf("AddMembers: %v", err)
	}
	if got, want := sim.Stats().ByRoute["POST /groups/{id}/members"], int64(n/legacyclient.MaxMembersPerCall); got != want {
		t.Errorf("got %d POST /groups/{id}/members, want %d", got, want)
	}
	if err := sim.Close(); err != nil {
		t.Fatalf("closing the data file: %v", err)
	}
	return g.ID
}

// ctxWithin returns a context that ends after d, cancelled at cleanup.
func ctxWithin(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
