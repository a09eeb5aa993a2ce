package hectorsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// state is everything a server holds, as the inspection API shows it.
type state struct {
	Users, Groups []json.RawMessage
	Members       map[int64][]int64
}

func stateOf(s *Server) state {
	st := state{Users: s.Users(), Groups: s.Groups(), Members: map[int64][]int64{}}
	for _, g := range st.Groups {
		var v struct{ ID int64 }
		_ = json.Unmarshal(g, &v)
		st.Members[v.ID] = s.Members(v.ID)
	}
	return st
}

// populate writes users, groups and memberships through HTTP.
func populate(t *testing.T, s *Server) {
	t.Helper()
	ts := httptest.NewServer(s)
	defer ts.Close()
	h := &harness{t: t, sim: s, ts: ts, key: testKey}
	for i := range 5 {
		h.createUser(fmt.Sprint("u", i))
	}
	h.must(http.StatusCreated, "POST", "/users", `{"username":"x","email":"x@x","identifier":"X","external_id":"EXT","title":"T","role":"admin"}`)
	h.createGroup("g1")
	h.must(http.StatusCreated, "POST", "/groups", `{"name":"g2","external_id":"G2"}`)
	h.must(http.StatusNoContent, "POST", "/groups/1/members", `{"user_ids":[1,3,5]}`)
	h.must(http.StatusNoContent, "POST", "/groups/2/members", `{"user_ids":[2,3]}`)
	h.must(http.StatusNoContent, "DELETE", "/users/5", "")
	h.must(http.StatusNoContent, "DELETE", "/groups/2", "")
	h.createGroup("g3")
}

// Write, Close, New from the file: the same state, and ids continue.
func TestPersistRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hector.json")
	clock := newClock()
	s1, err := New(Options{APIKey: testKey, DataFile: path, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	populate(t, s1)
	want := stateOf(s1)
	if err := s1.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s2, err := New(Options{APIKey: testKey, DataFile: path, Now: clock.Now})
	if err != nil {
		t.Fatalf("New from file: %v", err)
	}
	defer s2.Close()
	if got := stateOf(s2); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	h := &harness{t: t, sim: s2, ts: httptest.NewServer(s2), key: testKey}
	defer h.ts.Close()
	if got := h.createUser("new"); got != 7 {
		t.Errorf("got user id %d, want 7 (deleted ids are not reused)", got)
	}
	if got := h.createGroup("g2"); got != 4 {
		t.Errorf("got group id %d, want 4", got)
	}
	h.wantErr(h.do("POST", "/users", userBody("u0")), http.StatusConflict, "conflict", "username")
}

// The write is atomic: no temporary file is left behind, and a torn
// temporary file of an earlier crash does not matter.
func TestPersistAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hector.json")
	garbage := filepath.Join(dir, ".hector.json.tmp-123")
	if err := os.WriteFile(garbage, []byte(`{"version":1,"users":[{"id`), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{APIKey: testKey, DataFile: path})
	if err != nil {
		t.Fatalf("New with a torn temp file: %v", err)
	}
	populate(t, s)
	if err := s.Store().Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	var d fileData
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &d); err != nil || len(d.Users) != 5 {
		t.Fatalf("got %d users in the file after Flush (%v), want 5", len(d.Users), err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{".hector.json.tmp-123", "hector.json"}; !slices.Equal(names, want) {
		t.Errorf("got files %v, want %v", names, want)
	}
}

// A missing file is an empty state; a corrupt or inconsistent one is an
// error at New.
func TestPersistLoad(t *testing.T) {
	tests := []struct{ name, content, wantErr string }{
		{"garbage", "{not json", "data file"},
		{"version", `{"version":2}`, "version"},
		{"duplicate", `{"version":1,"users":[{"id":1,"fields":{"username":"a","email":"a","identifier":"a"}},
			{"id":2,"fields":{"username":"A","email":"b","identifier":"b"}}]}`, "taken"},
		{"unknown member", `{"version":1,"groups":[{"id":1,"name":"g","members":[4]}]}`, "member"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "d.json")
			_ = os.WriteFile(path, []byte(tt.content), 0o600)
			_, err := New(Options{APIKey: testKey, DataFile: path})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got error %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		s, err := New(Options{APIKey: testKey, DataFile: filepath.Join(t.TempDir(), "none.json")})
		if err != nil || len(s.Users()) != 0 {
			t.Fatalf("got %v, want an empty server", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close without writes: %v", err)
		}
	})
}

// Two servers can share one store; closing a server leaves a shared store
// open.
func TestSharedStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.json")
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := New(Options{APIKey: testKey, Store: st})
	b, _ := New(Options{APIKey: "b", Store: st})
	populate(t, a)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := stateOf(b), stateOf(a); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v through b, want %+v", got, want)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{APIKey: "c", DataFile: path})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stateOf(c), stateOf(b); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v from the file, want %+v", got, want)
	}
	_ = c.Close()
	if _, err := New(Options{APIKey: "c", Store: st, DataFile: path}); err == nil {
		t.Errorf("got no error for Store and DataFile together, want one")
	}
}
