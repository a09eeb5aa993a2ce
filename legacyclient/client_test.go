package legacyclient

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"minimal", Config{BaseURL: "http://127.0.0.1:9000/api/v1"}, ""},
		{"https with trailing slash", Config{BaseURL: "https://h.example/api/v1/"}, ""},
		{"empty", Config{}, "base_url"},
		{"relative", Config{BaseURL: "/api/v1"}, "base_url"},
		{"ftp", Config{BaseURL: "ftp://h.example/"}, "base_url"},
		{"query", Config{BaseURL: "http://h.example/api?x=1"}, "base_url"},
		{"fragment", Config{BaseURL: "http://h.example/api#x"}, "base_url"},
		{"bad url", Config{BaseURL: "http://h.example/%zz"}, "base_url"},
		{"negative timeout", Config{BaseURL: "http://h", Timeout: -1}, "timeout"},
		{"negative rate", Config{BaseURL: "http://h", Rate: -1}, "rate"},
		{"negative burst", Config{BaseURL: "http://h", Burst: -1}, "burst"},
		{"negative in flight", Config{BaseURL: "http://h", MaxInFlight: -1}, "max_in_flight"},
		{"negative wait", Config{BaseURL: "http://h", RetryWaitMin: -1}, "retry_wait"},
		{"max below min", Config{BaseURL: "http://h", RetryWaitMin: time.Second, RetryWaitMax: time.Millisecond}, "retry_wait_max"},
		{"negative retries", Config{BaseURL: "http://h", Retries: new(-1)}, "retries"},
		{"zero retries", Config{BaseURL: "http://h", Retries: new(0)}, ""},
		{"shared limits beside a rate", Config{BaseURL: "http://h", Limits: &Limits{sem: make(chan struct{}, 1)}, Rate: 3}, "limits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("got error %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	// resolved is what resolve makes of a Config, in comparable form.
	type resolved struct {
		timeout, waitMin, waitMax time.Duration
		retries                   int
		rate                      float64 // 0: no limiter
		burst, maxInFlight        int
	}
	shared, err := NewLimits(12.5, 0, 4)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  Config
		want resolved
	}{
		{"zero", Config{}, resolved{
			timeout: 15 * time.Second, retries: 5, waitMin: 200 * time.Millisecond,
			waitMax: 5 * time.Second, maxInFlight: 16,
		}},
		{"zero retries mean none", Config{Retries: new(0), Rate: 40}, resolved{
			timeout: 15 * time.Second, retries: 0, waitMin: 200 * time.Millisecond,
			waitMax: 5 * time.Second, rate: 40, burst: 40, maxInFlight: 16,
		}},
		{"min above default max", Config{RetryWaitMin: 10 * time.Second, Rate: 0.5}, resolved{
			timeout: 15 * time.Second, retries: 5, waitMin: 10 * time.Second,
			waitMax: 10 * time.Second, rate: 0.5, burst: 1, maxInFlight: 16,
		}},
		{"shared limits", Config{Limits: shared, Retries: new(2)}, resolved{
			timeout: 15 * time.Second, retries: 2, waitMin: 200 * time.Millisecond,
			waitMax: 5 * time.Second, rate: 12.5, burst: 12, maxInFlight: 4,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.BaseURL = "http://h.example/api/v1"
			s, err := resolve(tt.cfg)
			if err != nil {
				t.Fatalf("resolve: got error %v, want none", err)
			}
			got := resolved{
				timeout: s.Timeout, waitMin: s.RetryWaitMin, waitMax: s.RetryWaitMax,
				retries: s.retries, maxInFlight: s.limits.MaxInFlight(),
			}
			if l := s.limits.limiter; l != nil {
				got.rate, got.burst = float64(l.Limit()), l.Burst()
			}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if tt.cfg.Limits != nil && s.limits != tt.cfg.Limits {
				t.Errorf("got limits of its own, want the shared ones")
			}
		})
	}
}

const (
	userJSON  = `{"id":7,"username":"ada@x.example","email":"ada@x.example","identifier":"E1","external_id":null}`
	groupJSON = `{"id":3,"name":"staff","external_id":"g-1","member_count":2,"created_at":"2026-01-02T03:04:05Z","updated_at":"2026-01-02T03:04:06Z"}`
)

// TestRequestShape checks method, path, query, key and body of every call.
func TestRequestShape(t *testing.T) {
	since := time.Date(2026, 1, 2, 3, 4, 5, 600, time.FixedZone("X", 3600))
	tests := []struct {
		name      string
		reply     string
		status    int
		call      func(context.Context, *Client) error
		method    string
		path      string
		query     string
		body      string
		wantCalls int
	}{
		{"ListUsers", `{"data":[` + userJSON + `],"meta":{"page":2,"per_page":10,"total":11}}`, 200,
			func(ctx context.Context, c *Client) error {
				p, err := c.ListUsers(ctx, UserQuery{Equal: map[string]string{"username": "a b", "email": "e+1@x", "identifier": "E1", "external_id": "x/1", "status": "active"}, UpdatedSince: since}, 2, 10)
				if err == nil && (len(p.Users) != 1 || p.Page != 2 || p.PerPage != 10 || p.Total != 11) {
					t.Errorf("got page %+v, want 1 user, page 2, per_page 10, total 11", p)
				}
				return err
			}, "GET", "/users",
			"email=e%2B1%40x&external_id=x%2F1&identifier=E1&page=2&per_page=10&status=active&updated_since=2026-01-02T02%3A04%3A05Z&username=a+b", "", 1},
		{"ListUsers defaults", `{"data":[],"meta":{"page":1,"per_page":25,"total":0}}`, 200,
			func(ctx context.Context, c *Client) error { _, err := c.ListUsers(ctx, UserQuery{}, 0, 0); return err },
			"GET", "/users", "", "", 1},
		{"GetUser", `{"data":` + userJSON + `}`, 200,
			func(ctx context.Context, c *Client) error {
				u, err := c.GetUser(ctx, 1042)
				if err == nil && !sameJSON(t, u, []byte(userJSON)) {
					t.Errorf("got user %s, want %s", u, userJSON)
				}
				return err
			}, "GET", "/users/1042", "", "", 1},
		{"CreateUser", `{"data":` + userJSON + `}`, 201,
			func(ctx context.Context, c *Client) error {
				_, err := c.CreateUser(ctx, json.RawMessage(`{"username":"ada@x.example"}`))
				return err
			}, "POST", "/users", "", `{"username":"ada@x.example"}`, 1},
		{"UpdateUser", `{"data":` + userJSON + `}`, 200,
			func(ctx context.Context, c *Client) error {
				_, err := c.UpdateUser(ctx, 7, json.RawMessage(`{"username":"u","email":"e","identifier":"i"}`))
				return err
			}, "PUT", "/users/7", "", `{"username":"u","email":"e","identifier":"i"}`, 1},
		{"DeleteUser", ``, 204,
			func(ctx context.Context, c *Client) error { return c.DeleteUser(ctx, 7) }, "DELETE", "/users/7", "", "", 1},
		{"ListGroups", `{"data":[` + groupJSON + `],"meta":{"page":1,"per_page":100,"total":1}}`, 200,
			func(ctx context.Context, c *Client) error {
				p, err := c.ListGroups(ctx, GroupQuery{Equal: map[string]string{"name": "Staff", "external_id": "g-1"}}, 1, 100)
				want := Group{ID: 3, Name: "staff", ExternalID: "g-1", MemberCount: 2,
					CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), UpdatedAt: time.Date(2026, 1, 2, 3, 4, 6, 0, time.UTC)}
				if err == nil && (len(p.Groups) != 1 || p.Groups[0] != want) {
					t.Errorf("got %+v, want [%+v]", p.Groups, want)
				}
				return err
			}, "GET", "/groups", "external_id=g-1&name=Staff&page=1&per_page=100", "", 1},
		{"GetGroup", `{"data":` + groupJSON + `}`, 200,
			func(ctx context.Context, c *Client) error { _, err := c.GetGroup(ctx, 3); return err },
			"GET", "/groups/3", "", "", 1},
		{"CreateGroup null external_id", `{"data":` + groupJSON + `}`, 201,
			func(ctx context.Context, c *Client) error {
				_, err := c.CreateGroup(ctx, GroupInput{Name: "staff"})
				return err
			},
			"POST", "/groups", "", `{"name":"staff","external_id":null}`, 1},
		{"UpdateGroup", `{"data":` + groupJSON + `}`, 200,
			func(ctx context.Context, c *Client) error {
				_, err := c.UpdateGroup(ctx, 3, GroupInput{Name: "staff", ExternalID: "g-1"})
				return err
			}, "PUT", "/groups/3", "", `{"name":"staff","external_id":"g-1"}`, 1},
		{"DeleteGroup", ``, 204,
			func(ctx context.Context, c *Client) error { return c.DeleteGroup(ctx, 3) }, "DELETE", "/groups/3", "", "", 1},
		{"ListMembers", `{"data":[{"id":1,"username":"a"}],"meta":{"page":3,"per_page":5,"total":11}}`, 200,
			func(ctx context.Context, c *Client) error { _, err := c.ListMembers(ctx, 3, 3, 5); return err },
			"GET", "/groups/3/members", "page=3&per_page=5", "", 1},
		{"AddMembers", ``, 204,
			func(ctx context.Context, c *Client) error { return c.AddMembers(ctx, 3, []int64{5, 6}) },
			"POST", "/groups/3/members", "", `{"user_ids":[5,6]}`, 1},
		{"AddMembers empty makes no call", ``, 204,
			func(ctx context.Context, c *Client) error { return c.AddMembers(ctx, 3, nil) }, "", "", "", "", 0},
		{"RemoveMember", ``, 204,
			func(ctx context.Context, c *Client) error { return c.RemoveMember(ctx, 3, 1042) },
			"DELETE", "/groups/3/members/1042", "", "", 1},
		{"Roles", `{"data":[{"name":"admin"},{"name":"user"}],"meta":{"page":1,"per_page":100,"total":2}}`, 200,
			func(ctx context.Context, c *Client) error { _, err := c.Roles(ctx); return err },
			"GET", "/roles", "page=1&per_page=100", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, c := serve(t, always(tt.status, tt.reply), nil)
			if err := tt.call(context.Background(), c); err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			hits := f.requests()
			if len(hits) != tt.wantCalls {
				t.Fatalf("got %d requests, want %d", len(hits), tt.wantCalls)
			}
			if tt.wantCalls == 0 {
				return
			}
			h := hits[0]
			if h.Method != tt.method || h.Path != tt.path || h.RawQuery != tt.query {
				t.Errorf("got %s %s?%s, want %s %s?%s", h.Method, h.Path, h.RawQuery, tt.method, tt.path, tt.query)
			}
			if h.Key != testKey {
				t.Errorf("got X-Api-Key %q, want %q", h.Key, testKey)
			}
			checkBody(t, h, tt.body)
		})
	}
}

// checkBody checks a request's JSON body and its Content-Type.
func checkBody(t *testing.T, h hit, want string) {
	t.Helper()
	if want == "" {
		if len(h.Body) != 0 {
			t.Errorf("got body %s, want none", h.Body)
		}
		return
	}
	if !sameJSON(t, h.Body, []byte(want)) {
		t.Errorf("got body %s, want %s", h.Body, want)
	}
	if h.ContentType != "application/json" {
		t.Errorf("got Content-Type %q, want application/json", h.ContentType)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	f, c := serve(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, "/api/v1/elsewhere", http.StatusFound)
	}, nil)
	_, err := c.GetUser(context.Background(), 1)
	var e *Error
	if !asError(err, &e) || e.Status != http.StatusFound {
		t.Fatalf("got %v, want *Error with status 302", err)
	}
	if got := len(f.requests()); got != 1 {
		t.Fatalf("got %d requests, want 1 (redirect not followed)", got)
	}
}
