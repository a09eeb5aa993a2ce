package legacyclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// pager answers any list with total objects {"id": i, ...} paged per the
// query; failPage answers 500 for that page (0: none).
func pager(total, failPage int, obj func(i int) string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		page, per = max(page, 1), min(max(per, 1), 100)
		if page == failPage {
			answer(w, 500, `{"error":{"code":"server_error","message":"down"}}`)
			return
		}
		var items []string
		for i := (page-1)*per + 1; i <= min(page*per, total); i++ {
			items = append(items, obj(i))
		}
		answer(w, 200, fmt.Sprintf(`{"data":[%s],"meta":{"page":%d,"per_page":%d,"total":%d}}`,
			strings.Join(items, ","), page, per, total))
	}
}

func userObj(i int) string   { return fmt.Sprintf(`{"id":%d,"username":"u%d"}`, i, i) }
func memberObj(i int) string { return fmt.Sprintf(`{"id":%d,"username":"u%d"}`, i, i) }
func groupObj(i int) string  { return fmt.Sprintf(`{"id":%d,"name":"g%d","external_id":null}`, i, i) }
func roleObj(i int) string   { return fmt.Sprintf(`{"name":"r%d"}`, i) }

func TestIterators(t *testing.T) {
	users := func(c *Client) ([]int64, error) {
		return collect(c.Users(context.Background(), UserQuery{Equal: map[string]string{"status": "active"}}), func(u json.RawMessage) int64 {
			return gjson.GetBytes(u, "id").Int()
		}, -1)
	}
	members := func(c *Client) ([]int64, error) {
		return collect(c.Members(context.Background(), 9), func(m Member) int64 { return m.ID }, -1)
	}
	groups := func(c *Client) ([]int64, error) {
		return collect(c.Groups(context.Background(), GroupQuery{}), func(g Group) int64 { return g.ID }, -1)
	}
	firstUsers := func(c *Client) ([]int64, error) {
		return collect(c.Users(context.Background(), UserQuery{}), func(u json.RawMessage) int64 {
			return gjson.GetBytes(u, "id").Int()
		}, 150)
	}
	tests := []struct {
		name      string
		walk      func(*Client) ([]int64, error)
		obj       func(int) string
		total     int
		failPage  int
		wantItems int
		wantPages int
		wantErr   bool
	}{
		{"users empty", users, userObj, 0, 0, 0, 1, false},
		{"users one", users, userObj, 1, 0, 1, 1, false},
		{"users one full page", users, userObj, 100, 0, 100, 1, false},
		{"users 101", users, userObj, 101, 0, 101, 2, false},
		{"users 250", users, userObj, 250, 0, 250, 3, false},
		{"users stop early", firstUsers, userObj, 1000, 0, 150, 2, false},
		{"users error on page 2", users, userObj, 250, 2, 100, 2, true},
		{"members 1001", members, memberObj, 1001, 0, 1001, 11, false},
		{"groups 230", groups, groupObj, 230, 0, 230, 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := serve(t, pager(tt.total, tt.failPage, tt.obj), func(cfg *Config) { cfg.Retries = new(0) })
			ids, err := tt.walk(c)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if len(ids) != tt.wantItems {
				t.Fatalf("got %d items, want %d", len(ids), tt.wantItems)
			}
			for i, id := range ids {
				if id != int64(i+1) {
					t.Fatalf("item %d: got id %d, want %d", i, id, i+1)
				}
			}
			hits := f.requests()
			if len(hits) != tt.wantPages {
				t.Fatalf("got %d requests, want %d", len(hits), tt.wantPages)
			}
			for i, h := range hits {
				if !strings.Contains(h.RawQuery, fmt.Sprintf("page=%d&per_page=100", i+1)) {
					t.Errorf("request %d: got query %q, want page=%d&per_page=100", i, h.RawQuery, i+1)
				}
			}
		})
	}
}

// collect gathers ids from seq, stopping after limit items (-1: all) or at
// the first error.
func collect[T any](seq func(func(T, error) bool), id func(T) int64, limit int) ([]int64, error) {
	var ids []int64
	for v, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, id(v))
		if len(ids) == limit {
			break
		}
	}
	return ids, nil
}

func TestAddMembersChunks(t *testing.T) {
	ids := make([]int64, 250)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	tests := []struct {
		name      string
		statuses  []int
		wantPosts int
		wantSizes []int
		wantErr   bool
	}{
		{"250 ids in 3 calls", []int{204}, 3, []int{100, 100, 50}, false},
		{"stops at a failed chunk", []int{204, 422}, 2, []int{100, 100}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := serve(t, script("", tt.statuses...), nil)
			err := c.AddMembers(context.Background(), 4, ids)
			if (err != nil) != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			hits := f.requests()
			if len(hits) != tt.wantPosts {
				t.Fatalf("got %d requests, want %d", len(hits), tt.wantPosts)
			}
			next := int64(1)
			for i, h := range hits {
				var body struct {
					UserIDs []int64 `json:"user_ids"`
				}
				if err := json.Unmarshal(h.Body, &body); err != nil || len(body.UserIDs) != tt.wantSizes[i] {
					t.Fatalf("chunk %d: got %s, want %d ids", i, h.Body, tt.wantSizes[i])
				}
				for _, id := range body.UserIDs {
					if id != next {
						t.Fatalf("chunk %d: got id %d, want %d (in order)", i, id, next)
					}
					next++
				}
			}
		})
	}
}

func TestRolesPages(t *testing.T) {
	f, c := serve(t, pager(130, 0, roleObj), nil)
	roles, err := c.Roles(context.Background())
	if err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	if len(roles) != 130 || roles[0] != "r1" || roles[129] != "r130" {
		t.Errorf("got %d roles (%v…), want r1..r130", len(roles), roles[:min(3, len(roles))])
	}
	if got := len(f.requests()); got != 2 {
		t.Errorf("got %d requests, want 2", got)
	}
}

func TestBadAnswers(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"not json", `{"data":`},
		{"data not an object", `{"data":[1]}`},
		{"no data", `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := serve(t, always(200, tt.body), nil)
			_, err := c.GetUser(context.Background(), 1)
			var e *Error
			if !asError(err, &e) || e.Code != CodeBadResponse {
				t.Fatalf("got %v, want *Error bad_response", err)
			}
		})
	}
}
