package hectorsim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// send is a goroutine-safe request returning the status.
func send(c *http.Client, base, method, path, body string) (int, error) {
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("X-Api-Key", testKey)
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

// Concurrent writers, readers and knob changes keep the state consistent
// (run with -race).
func TestConcurrency(t *testing.T) {
	h := newHarness(t, Options{})
	g1, g2 := itoa(h.createGroup("g1")), itoa(h.createGroup("g2"))
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for i := range 30 {
				if err := worker(h.ts.Client(), h.ts.URL, w, i, g1, g2); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			h.sim.SetLatency(0)
			h.sim.SetFaults(0, 0)
			_ = h.sim.Stats()
			_ = h.sim.Users()
			_ = h.sim.Members(1)
		}
		h.sim.ResetStats()
	})
	wg.Wait()
	checkConsistent(t, h.sim)
}

// worker creates a user, joins groups, reads, replaces and sometimes
// deletes it.
func worker(c *http.Client, base string, w, i int, g1, g2 string) error {
	name := fmt.Sprintf("w%d-%d", w, i)
	steps := []struct{ method, path, body string }{
		{"POST", "/users", userBody(name)},
		{"GET", "/users?username=" + name, ""},
		{"GET", "/users?status=active&per_page=5", ""},
		{"GET", "/groups/" + g1 + "/members?per_page=100", ""},
		{"DELETE", "/groups/" + g2 + "/members/1", ""},
	}
	for _, s := range steps {
		if code, err := send(c, base, s.method, s.path, s.body); err != nil || code >= 300 {
			return fmt.Errorf("%s %s: got %d %v, want 2xx", s.method, s.path, code, err)
		}
	}
	uid := fmt.Sprint(w*30 + i + 1) // not necessarily ours: races are the point
	for _, s := range []struct{ method, path, body string }{
		{"POST", "/groups/" + g1 + "/members", `{"user_ids":[` + uid + `]}`},
		{"POST", "/groups/" + g2 + "/members", `{"user_ids":[` + uid + `]}`},
		{"PUT", "/users/" + uid, userBody("p" + uid)},
		{"DELETE", "/groups/" + g1 + "/members/" + uid, ""},
	} {
		if _, err := send(c, base, s.method, s.path, s.body); err != nil {
			return err
		}
	}
	if i%3 == 0 {
		_, err := send(c, base, "DELETE", "/users/"+uid, "")
		return err
	}
	return nil
}

// checkConsistent checks that memberships agree between users and groups.
func checkConsistent(t *testing.T, s *Server) {
	t.Helper()
	inGroup := map[[2]int64]bool{}
	for _, raw := range s.Groups() {
		var g struct{ ID, MemberCount int64 }
		_ = json.Unmarshal(raw, &struct {
			ID          *int64 `json:"id"`
			MemberCount *int64 `json:"member_count"`
		}{&g.ID, &g.MemberCount})
		members := s.Members(g.ID)
		if int64(len(members)) != g.MemberCount {
			t.Errorf("group %d: got member_count %d, want %d", g.ID, g.MemberCount, len(members))
		}
		for i, uid := range members {
			if i > 0 && members[i-1] >= uid {
				t.Errorf("group %d: members not ascending: %v", g.ID, members)
			}
			if _, ok := s.User(uid); !ok {
				t.Errorf("group %d: member %d does not exist", g.ID, uid)
			}
			inGroup[[2]int64{g.ID, uid}] = true
		}
	}
	for _, raw := range s.Users() {
		var u struct {
			ID     int64
			Groups []struct{ ID int64 }
		}
		_ = json.Unmarshal(raw, &u)
		for _, g := range u.Groups {
			if !inGroup[[2]int64{g.ID, u.ID}] {
				t.Errorf("user %d lists group %d, which does not list it", u.ID, g.ID)
			}
			delete(inGroup, [2]int64{g.ID, u.ID})
		}
	}
	if len(inGroup) != 0 {
		t.Errorf("got memberships missing from users: %v", inGroup)
	}
}

// A 100,000-member group is added to in chunks, out of order, and paged.
func TestLargeGroup(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 users: skipped with -short")
	}
	const n = 100_000
	s, err := New(Options{APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	now := s.now()
	for i := range n {
		name := fmt.Sprint("u", i)
		if _, e := s.store.createUser(userFields{Username: name, Email: name, Identifier: name, Status: "active", Role: "user"}, now); e != nil {
			t.Fatal(e.message)
		}
	}
	if _, e := s.store.createGroup("big", "", now); e != nil {
		t.Fatal(e.message)
	}
	for chunk := n/100 - 1; chunk >= 0; chunk-- { // descending: every merge is in the middle
		ids := make([]string, 100)
		for j := range ids {
			ids[j] = fmt.Sprint(chunk*100 + j + 1)
		}
		rec := serve(s, "POST", "/groups/1/members", `{"user_ids":[`+strings.Join(ids, ",")+`]}`)
		if rec.Code != http.StatusNoContent {
			t.Fatalf("chunk %d: got status %d, want 204; %s", chunk, rec.Code, rec.Body)
		}
	}
	rec := serve(s, "GET", "/groups/1/members?per_page=100&page=1000", "")
	want := fmt.Sprintf(`{"id":%d,"username":"u%d"}],"meta":{"page":1000,"per_page":100,"total":%d}}`, n, n-1, n)
	if !strings.HasSuffix(rec.Body.String(), want) {
		t.Errorf("got last page ending %q, want %q", tail(rec.Body.String(), 80), want)
	}
	if got := len(s.Members(1)); got != n {
		t.Errorf("got %d members, want %d", got, n)
	}
}

func tail(s string, n int) string { return s[max(0, len(s)-n):] }

// serve runs one request through ServeHTTP with a recorder.
func serve(s *Server, method, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("X-Api-Key", testKey)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}
