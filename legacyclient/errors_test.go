package legacyclient

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestErrorDecoding(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		header     map[string]string
		body       string
		want       Error
		wantString string
	}{
		{"conflict with fields", 409, nil,
			`{"error":{"code":"conflict","message":"a unique field is already taken","fields":{"email":"already taken","username":"already taken"}}}`,
			Error{Status: 409, Code: "conflict", Message: "a unique field is already taken",
				Fields: map[string]string{"email": "already taken", "username": "already taken"}, Op: RouteGetUser},
			"hector GET /users/{id}: 409 conflict: a unique field is already taken"},
		{"rate limited with Retry-After", 429, map[string]string{"Retry-After": "3"},
			`{"error":{"code":"rate_limited","message":"slow down"}}`,
			Error{Status: 429, Code: "rate_limited", Message: "slow down", RetryAfter: 3 * time.Second, Op: RouteGetUser},
			"hector GET /users/{id}: 429 rate_limited: slow down"},
		{"not json", 502, nil, `<html>bad gateway</html>`,
			Error{Status: 502, Code: "server_error", Message: "Bad Gateway", Op: RouteGetUser},
			"hector GET /users/{id}: 502 server_error: Bad Gateway"},
		{"no code in body", 422, nil, `{"error":{"message":"x"}}`,
			Error{Status: 422, Code: "invalid", Message: "x", Op: RouteGetUser},
			"hector GET /users/{id}: 422 invalid: x"},
		{"unexpected status", 418, nil, `{}`,
			Error{Status: 418, Code: "bad_response", Op: RouteGetUser},
			"hector GET /users/{id}: 418 bad_response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := serve(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				answer(w, tt.status, tt.body)
			}, func(cfg *Config) { cfg.Retries = new(0) })
			_, err := c.GetUser(context.Background(), 1)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %T %v, want *Error", err, err)
			}
			if e.Status != tt.want.Status || e.Code != tt.want.Code || e.Message != tt.want.Message ||
				e.RetryAfter != tt.want.RetryAfter || e.Op != tt.want.Op || !maps.Equal(e.Fields, tt.want.Fields) {
				t.Errorf("got %+v, want %+v", *e, tt.want)
			}
			if got := e.Error(); got != tt.wantString {
				t.Errorf("got %q, want %q", got, tt.wantString)
			}
		})
	}
}

func TestErrorHelpers(t *testing.T) {
	tests := []struct {
		err                                        error
		notFound, conflict, invalid, limited, temp bool
	}{
		{&Error{Status: 404}, true, false, false, false, false},
		{&Error{Status: 409}, false, true, false, false, false},
		{&Error{Status: 422}, false, false, true, false, false},
		{&Error{Status: 429}, false, false, false, true, true},
		{&Error{Status: 503}, false, false, false, false, true},
		{&Error{Status: 0, Code: CodeUnreachable}, false, false, false, false, true},
		{&Error{Status: 0, Code: CodeBadRequest}, false, false, false, false, false},
		{errors.New("plain"), false, false, false, false, false},
		{nil, false, false, false, false, false},
	}
	for _, tt := range tests {
		name := "nil"
		if tt.err != nil {
			name = tt.err.Error()
		}
		t.Run(name, func(t *testing.T) {
			got := [5]bool{IsNotFound(tt.err), IsConflict(tt.err), IsInvalid(tt.err), IsRateLimited(tt.err), IsTemporary(tt.err)}
			want := [5]bool{tt.notFound, tt.conflict, tt.invalid, tt.limited, tt.temp}
			if got != want {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestRetryAfterHeader(t *testing.T) {
	tests := []struct {
		value string
		want  time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"2", 2 * time.Second},
		{"-1", 0},
		{"soon", 0},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
		{"99999999999", 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			h := http.Header{}
			h.Set("Retry-After", tt.value)
			if got := retryAfter(h); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestKeyNeverInErrors makes Hector echo the key and the transport fail.
func TestKeyNeverInErrors(t *testing.T) {
	tests := []struct {
		name  string
		reply func(http.ResponseWriter, *http.Request, int)
	}{
		{"echoed in message and fields", func(w http.ResponseWriter, r *http.Request, _ int) {
			k := r.Header.Get("X-Api-Key")
			answer(w, 401, `{"error":{"code":"unauthorized","message":"bad key `+k+`","fields":{"`+k+`":"`+k+`"}}}`)
		}},
		{"echoed in code", func(w http.ResponseWriter, r *http.Request, _ int) {
			answer(w, 400, `{"error":{"code":"`+r.Header.Get("X-Api-Key")+`"}}`)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := serve(t, tt.reply, nil)
			_, err := c.GetUser(context.Background(), 1)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			if s := e.Error() + e.Code + strings.Join(mapsKeysValues(e.Fields), ","); strings.Contains(s, testKey) {
				t.Errorf("got %q, want no API key", s)
			}
		})
	}
}

func mapsKeysValues(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

func TestScrubErr(t *testing.T) {
	c := &Client{key: testKey}
	tests := []struct {
		name       string
		err        error
		wantIs     error
		wantString string
	}{
		{"plain", errors.New("dial " + testKey), nil, "dial [REDACTED]"},
		{"deadline kept", errors.Join(context.DeadlineExceeded, errors.New(testKey)), context.DeadlineExceeded, "context deadline exceeded\n[REDACTED]"},
		{"no key untouched", context.Canceled, context.Canceled, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.scrubErr(tt.err)
			if got.Error() != tt.wantString {
				t.Errorf("got %q, want %q", got.Error(), tt.wantString)
			}
			if tt.wantIs != nil && !errors.Is(got, tt.wantIs) {
				t.Errorf("got errors.Is(%v) false, want true", tt.wantIs)
			}
			for e := errors.Unwrap(got); e != nil; e = errors.Unwrap(e) {
				if strings.Contains(e.Error(), testKey) {
					t.Errorf("got key in the chain: %q", e.Error())
				}
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Status: 404, Code: "not_found", Message: "user not found", Op: RouteGetUser},
			"hector GET /users/{id}: 404 not_found: user not found"},
		{&Error{Code: CodeUnreachable, Op: RouteListUsers, Err: errors.New("EOF")},
			"hector GET /users: unreachable: EOF"},
		{&Error{Code: CodeBadRequest, Op: RouteCreateUser, Message: "body is not valid JSON"},
			"hector POST /users: bad_request: body is not valid JSON"},
		{&Error{Op: RouteRoles}, "hector GET /roles: unreachable"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTransportErrorHidesQuery: a lookup's query (user names, e-mail
// addresses) stays out of the error text.
func TestTransportErrorHidesQuery(t *testing.T) {
	_, c := serve(t, func(w http.ResponseWriter, _ *http.Request, _ int) { dropConn(t, w) },
		func(cfg *Config) { cfg.Retries = new(0) })
	_, err := c.ListUsers(context.Background(), UserQuery{Equal: map[string]string{"email": "private@x.example"}}, 1, 1)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeUnreachable || !e.Temporary() {
		t.Fatalf("got %v, want a temporary *Error unreachable", err)
	}
	if strings.Contains(err.Error(), "private") {
		t.Errorf("got %q, want no query in the error", err)
	}
}
