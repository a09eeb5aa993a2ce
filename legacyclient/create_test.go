package legacyclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// Behaviours of a POST in the fake store.
const (
	okCreate     = iota // create, answer 201
	createDrop          // create, then drop the connection
	createFail          // create, then answer 502
	createHang          // create, then never answer
	failOnly            // answer 502 without creating
	failLate            // answer 502; the create lands at the next lookup
	takenByOther        // another object takes the name, answer 502
	takenByTwin         // a hand-made object with the same values appears, answer 502
)

// store is a fake Hector keeping objects by their lowercased first unique
// field; POST n behaves as script[n] (the last repeats).
type store struct {
	t      *testing.T
	key    string // unique field: "username" or "name"
	mu     sync.Mutex
	objs   map[string][]byte
	late   []byte
	posts  int
	gets   int
	script []int
	getErr int // status for every GET, 0: answer normally
}

func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method == http.MethodGet {
		s.lookup(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	name := strings.ToLower(gjson.GetBytes(body, s.key).String())
	step := s.script[min(s.posts, len(s.script)-1)]
	s.posts++
	if _, taken := s.objs[name]; taken {
		answer(w, 409, `{"error":{"code":"conflict","message":"taken","fields":{"`+s.key+`":"already taken"}}}`)
		return
	}
	obj := fmt.Appendf(nil, `{"id":%d,"created_at":%q,%s`, len(s.objs)+1, time.Now().UTC().Format(time.RFC3339), body[1:])
	switch step {
	case failOnly:
		answer(w, 502, `{"error":{"code":"server_error","message":"bad gateway"}}`)
		return
	case failLate:
		s.late = obj
		answer(w, 502, `{"error":{"code":"server_error","message":"bad gateway"}}`)
		return
	case takenByTwin:
		twin := strings.Replace(string(body), `"external_id":"g-1"`, `"external_id":null`, 1)
		s.objs[name] = fmt.Appendf(nil, `{"id":98,"created_at":"2020-01-02T03:04:05Z",%s`, twin[1:])
		answer(w, 502, `{"error":{"code":"server_error","message":"bad gateway"}}`)
		return
	case takenByOther:
		s.objs[name] = fmt.Appendf(nil, `{"id":99,"%s":%q,"email":"other@x.example"}`, s.key, name)
		answer(w, 502, `{"error":{"code":"server_error","message":"bad gateway"}}`)
		return
	}
	s.objs[name] = obj
	switch step {
	case createDrop:
		dropConn(s.t, w)
	case createFail:
		answer(w, 502, `{"error":{"code":"server_error","message":"bad gateway"}}`)
	case createHang:
		s.mu.Unlock()
		<-r.Context().Done()
		s.mu.Lock()
	default:
		answer(w, 201, `{"data":`+string(obj)+`}`)
	}
}

// lookup answers GET with the objects matching the query exactly.
func (s *store) lookup(w http.ResponseWriter, r *http.Request) {
	s.gets++
	if s.getErr != 0 {
		answer(w, s.getErr, `{"error":{"code":"x","message":"lookup failed"}}`)
		return
	}
	var data []string
	if obj, ok := s.objs[strings.ToLower(r.URL.Query().Get(s.key))]; ok {
		data = append(data, string(obj))
	}
	if s.late != nil {
		s.objs[strings.ToLower(gjson.GetBytes(s.late, s.key).String())] = s.late
		s.late = nil
	}
	answer(w, 200, fmt.Sprintf(`{"data":[%s],"meta":{"page":1,"per_page":100,"total":%d}}`, strings.Join(data, ","), len(data)))
}

func TestAmbiguousPost(t *testing.T) {
	tests := []struct {
		name       string
		script     []int
		getErr     int
		wantPosts  int
		wantGets   int
		wantStatus int // 0: success
	}{
		{"created, connection dropped: adopted", []int{createDrop}, 0, 1, 1, 0},
		{"created, 502: adopted", []int{createFail}, 0, 1, 1, 0},
		{"created, attempt timed out: adopted", []int{createHang}, 0, 1, 1, 0},
		{"failed before creating: posted again", []int{failOnly, okCreate}, 0, 2, 1, 0},
		{"late create, 409 on the repeat: adopted", []int{failLate, okCreate}, 0, 2, 2, 0},
		{"taken by another meanwhile: 409 returned", []int{takenByOther, okCreate}, 0, 2, 2, 409},
		{"a hand-made twin with the same values: never adopted, 409", []int{takenByTwin, okCreate}, 0, 2, 2, 409},
		{"first POST 409: returned, no lookup", []int{okCreate}, 0, 2, 0, 409},
		{"always failing: bounded", []int{failOnly}, 0, 3, 3, 502},
		{"lookup fails: its error returned", []int{createDrop}, 401, 1, 1, 401},
	}
	for _, tt := range tests {
		for _, kind := range []string{"user", "group"} {
			t.Run(kind+"/"+tt.name, func(t *testing.T) {
				s := &store{t: t, key: "username", objs: map[string][]byte{}, script: tt.script, getErr: tt.getErr}
				create := func(c *Client) (string, error) {
					u, err := c.CreateUser(context.Background(), json.RawMessage(`{"username":"Ada@x.example","email":"ada@x.example","identifier":"E1"}`))
					return gjson.GetBytes(u, "username").String(), err
				}
				if kind == "group" {
					s.key = "name"
					create = func(c *Client) (string, error) {
						g, err := c.CreateGroup(context.Background(), GroupInput{Name: "Staff", ExternalID: "g-1"})
						return g.Name, err
					}
				}
				srv := httptest.NewServer(s)
				t.Cleanup(srv.Close)
				c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Retries, cfg.Timeout = new(2), 500*time.Millisecond })
				if tt.name == "first POST 409: returned, no lookup" {
					if _, err := create(c); err != nil {
						t.Fatalf("setup: got %v, want nil", err)
					}
				}
				name, err := create(c)
				checkCreate(t, s, err, name, tt.wantStatus, tt.wantPosts, tt.wantGets)
			})
		}
	}
}

func checkCreate(t *testing.T, s *store, err error, name string, wantStatus, wantPosts, wantGets int) {
	t.Helper()
	var e *Error
	switch {
	case wantStatus == 0 && err != nil:
		t.Fatalf("got error %v, want nil", err)
	case wantStatus == 0 && !strings.EqualFold(name, "Ada@x.example") && !strings.EqualFold(name, "staff"):
		t.Errorf("got created %q, want the object asked for", name)
	case wantStatus != 0 && (!errors.As(err, &e) || e.Status != wantStatus):
		t.Fatalf("got error %v, want *Error with status %d", err, wantStatus)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.posts != wantPosts || s.gets != wantGets {
		t.Errorf("got %d POSTs and %d lookups, want %d and %d", s.posts, s.gets, wantPosts, wantGets)
	}
	if wantStatus == 0 && len(s.objs) != 1 {
		t.Errorf("got %d objects in the store, want 1 (no duplicate)", len(s.objs))
	}
}

func TestCreateUserInvalidBody(t *testing.T) {
	f, c := serve(t, always(201, `{}`), nil)
	_, err := c.CreateUser(context.Background(), json.RawMessage(`{"username":`))
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeBadRequest {
		t.Fatalf("got %v, want *Error bad_request", err)
	}
	if got := len(f.requests()); got != 0 {
		t.Errorf("got %d requests, want 0", got)
	}
}

func TestSameKeys(t *testing.T) {
	keys := userKeys()
	tests := []struct {
		name        string
		found, want string
		same        bool
	}{
		{"equal ignoring case", `{"username":"ADA","email":"A@X"}`, `{"username":"ada","email":"a@x"}`, true},
		{"null external_id is empty", `{"username":"a","external_id":null}`, `{"username":"a","external_id":""}`, true},
		{"email differs", `{"username":"a","email":"b@x"}`, `{"username":"a","email":"a@x"}`, false},
		{"external_id differs", `{"username":"a","external_id":null}`, `{"username":"a","external_id":"e"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameKeys([]byte(tt.found), []byte(tt.want), keys); got != tt.same {
				t.Errorf("got %v, want %v", got, tt.same)
			}
		})
	}
}

// TestCreateGroupAdoptsOnlyItsOwn: a group sent without external_id is
// adopted after a lost answer only when it was created after the call
// began; a hand-made group of the same name is not.
func TestCreateGroupAdoptsOnlyItsOwn(t *testing.T) {
	for _, tt := range []struct {
		name       string
		script     []int
		wantStatus int
	}{
		{"its own, answer lost: adopted", []int{createFail}, 0},
		{"a hand-made group of the same name: 409", []int{takenByTwin, okCreate}, 409},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &store{t: t, key: "name", objs: map[string][]byte{}, script: tt.script}
			srv := httptest.NewServer(s)
			t.Cleanup(srv.Close)
			c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.Retries, cfg.Timeout = new(2), 500*time.Millisecond })
			g, err := c.CreateGroup(context.Background(), GroupInput{Name: "Staff"})
			checkCreate(t, s, err, g.Name, tt.wantStatus, len(tt.script), 1+len(tt.script)-1)
		})
	}
}
