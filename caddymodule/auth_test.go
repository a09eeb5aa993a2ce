package caddymodule

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/caddyserver/caddy/v2"
)

// authNow is the fixed clock of the authenticator tests.
var authNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return authNow }

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// resultName names an authResult in test messages.
func resultName(r authResult) string {
	switch r {
	case authOK:
		return "authOK"
	case authMissing:
		return "authMissing"
	case authInvalid:
		return "authInvalid"
	case authExpired:
		return "authExpired"
	}
	return fmt.Sprintf("authResult(%d)", int(r))
}

func mustAuthenticator(t *testing.T, tokens []Token) *authenticator {
	t.Helper()
	a, err := newAuthenticator(tokens, caddy.NewReplacer(), fixedNow)
	if err != nil {
		t.Fatalf("newAuthenticator: got error %v, want none", err)
	}
	return a
}

func TestAuthenticatorCheck(t *testing.T) {
	const (
		first   = "first-secret-0123456789"
		second  = "second-secret-0123456789"
		hashed  = "hashed-secret-0123456789"
		expired = "expired-secret-0123456789"
		soon    = "expires-soon-0123456789"
	)
	long := strings.Repeat("L", maxTokenLen)
	a := mustAuthenticator(t, []Token{
		{Secret: first},
		{Secret: second, Expires: "2027-01-01T00:00:00Z"},
		{SHA256: sha256Hex(hashed)},
		{Secret: expired, Expires: authNow.Add(-time.Hour).Format(time.RFC3339)},
		{Secret: soon, Expires: authNow.Format(time.RFC3339)},
		{Secret: long},
	})
	tests := []struct {
		name      string
		header    []string // Authorization values; nil: no header
		want      authResult
		wantIndex int
	}{
		{"first token", []string{"Bearer " + first}, authOK, 1},
		{"second token, valid at the same time", []string{"Bearer " + second}, authOK, 2},
		{"sha256 digest", []string{"Bearer " + hashed}, authOK, 3},
		{"lower-case scheme", []string{"bearer " + first}, authOK, 1},
		{"upper-case scheme", []string{"BEARER " + first}, authOK, 1},
		{"token of maxTokenLen", []string{"Bearer " + long}, authOK, 6},
		{"wrong token", []string{"Bearer wrong-secret-0123456789"}, authInvalid, 0},
		{"the digest itself as token", []string{"Bearer " + sha256Hex(hashed)}, authInvalid, 0},
		{"differently cased token", []string{"Bearer " + strings.ToUpper(first)}, authInvalid, 0},
		{"trailing space", []string{"Bearer " + first + " "}, authInvalid, 0},
		{"trailing tab", []string{"Bearer " + first + "\t"}, authInvalid, 0},
		{"two spaces after the scheme", []string{"Bearer  " + first}, authInvalid, 0},
		{"base64-style padding", []string{"Bearer " + first + "=="}, authInvalid, 0},
		{"prefix of a token", []string{"Bearer " + first[:len(first)-1]}, authInvalid, 0},
		{"empty token", []string{"Bearer "}, authInvalid, 0},
		{"one character over maxTokenLen", []string{"Bearer " + long + "X"}, authInvalid, 0},
		{"overlong token", []string{"Bearer " + strings.Repeat("a", 1<<16)}, authInvalid, 0},
		{"expired token", []string{"Bearer " + expired}, authExpired, 4},
		{"token at its expiry instant", []string{"Bearer " + soon}, authExpired, 5},
		{"missing header", nil, authMissing, 0},
		{"empty header", []string{""}, authMissing, 0},
		{"scheme only", []string{"Bearer"}, authMissing, 0},
		{"token without scheme", []string{first}, authMissing, 0},
		{"Basic scheme", []string{"Basic " + first}, authMissing, 0},
		{"Basic credentials", []string{"Basic dXNlcjpwYXNz"}, authMissing, 0},
		{"Bearer as a prefix of another scheme", []string{"BearerX " + first}, authMissing, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/scim/v2/Users", nil)
			for _, v := range tt.header {
				r.Header.Add("Authorization", v)
			}
			got, index := a.check(r)
			if got != tt.want || index != tt.wantIndex {
				t.Errorf("check: got %s, token %d, want %s, token %d", resultName(got), index, resultName(tt.want), tt.wantIndex)
			}
		})
	}
}

// TestAuthenticatorExpiryClock checks that expiry follows the injected clock.
func TestAuthenticatorExpiryClock(t *testing.T) {
	const secret = "clocked-secret-0123456789"
	expires := authNow.Add(time.Hour)
	now := authNow
	a, err := newAuthenticator([]Token{{Secret: secret, Expires: expires.Format(time.RFC3339)}},
		caddy.NewReplacer(), func() time.Time { return now })
	if err != nil {
		t.Fatalf("newAuthenticator: got error %v, want none", err)
	}
	tests := []struct {
		name string
		now  time.Time
		want authResult
	}{
		{"an hour before", authNow, authOK},
		{"a second before", expires.Add(-time.Second), authOK},
		{"at expiry", expires, authExpired},
		{"a day after", expires.Add(24 * time.Hour), authExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = tt.now
			r := httptest.NewRequest("GET", "/scim/v2/Users", nil)
			r.Header.Set("Authorization", "Bearer "+secret)
			if got, _ := a.check(r); got != tt.want {
				t.Errorf("check at %v: got %s, want %s", tt.now, resultName(got), resultName(tt.want))
			}
		})
	}
}

func TestNewAuthenticatorPlaceholders(t *testing.T) {
	const (
		envSecret  = "env-secret-0123456789abcdef"
		fileSecret = "file-secret-0123456789abcdef"
	)
	t.Setenv("HECTOR_SCIM_TEST_TOKEN", envSecret)
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(fileSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := mustAuthenticator(t, []Token{
		{Secret: "{env.HECTOR_SCIM_TEST_TOKEN}"},
		{Secret: "{file." + path + "}"},
	})
	tests := []struct {
		name  string
		token string
		want  authResult
	}{
		{"expanded env placeholder", envSecret, authOK},
		{"the placeholder text itself", "{env.HECTOR_SCIM_TEST_TOKEN}", authInvalid},
		{"expanded file placeholder, newline trimmed", fileSecret, authOK},
		{"file content with its newline", fileSecret + "\n", authInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/scim/v2/Users", nil)
			r.Header.Set("Authorization", "Bearer "+tt.token)
			if got, _ := a.check(r); got != tt.want {
				t.Errorf("check: got %s, want %s", resultName(got), resultName(tt.want))
			}
		})
	}
}

func TestNewAuthenticatorErrors(t *testing.T) {
	const (
		secret = "do-not-leak-0123456789"
		envVal = "env-do-not-leak-0123456789"
	)
	t.Setenv("HECTOR_SCIM_TEST_DUP", secret)
	t.Setenv("HECTOR_SCIM_TEST_EMPTY", "")
	t.Setenv("HECTOR_SCIM_TEST_SHORT", "short-env")
	t.Setenv("HECTOR_SCIM_TEST_SET", envVal)
	past := authNow.Add(-time.Minute).Format(time.RFC3339)
	tests := []struct {
		name    string
		tokens  []Token
		wantMsg string
	}{
		{
			name:    "every token expired",
			tokens:  []Token{{Secret: secret, Expires: past}, {SHA256: sha256Hex("x"), Expires: "2020-01-01T00:00:00Z"}},
			wantMsg: "every configured token has expired: add a new one",
		},
		{
			name:    "token expiring exactly now",
			tokens:  []Token{{Secret: secret, Expires: authNow.Format(time.RFC3339)}},
			wantMsg: "every configured token has expired: add a new one",
		},
		{
			name:    "duplicate secrets",
			tokens:  []Token{{Secret: secret}, {Secret: "other-secret-0123456789"}, {Secret: secret}},
			wantMsg: "token 3: the token is a duplicate of an earlier one",
		},
		{
			name:    "secret and its digest",
			tokens:  []Token{{Secret: secret}, {SHA256: sha256Hex(secret)}},
			wantMsg: "token 2: the token is a duplicate",
		},
		{
			name:    "digests differing in case",
			tokens:  []Token{{SHA256: sha256Hex(secret)}, {SHA256: strings.ToUpper(sha256Hex(secret))}},
			wantMsg: "token 2: the token is a duplicate",
		},
		{
			name:    "placeholder expanding to an earlier literal",
			tokens:  []Token{{Secret: secret}, {Secret: "{env.HECTOR_SCIM_TEST_DUP}"}},
			wantMsg: "token 2: the token is a duplicate",
		},
		{
			name:    "duplicate with different expiries",
			tokens:  []Token{{Secret: secret, Expires: "2027-01-01T00:00:00Z"}, {Secret: secret, Expires: "2028-01-01T00:00:00Z"}},
			wantMsg: "token 2: the token is a duplicate",
		},
		{
			name:    "missing env var",
			tokens:  []Token{{Secret: "{env.HECTOR_SCIM_TEST_UNSET_4f1c}"}},
			wantMsg: "token 1: a placeholder in the secret is unset or empty",
		},
		{
			name:    "empty env var",
			tokens:  []Token{{Secret: secret}, {Secret: "{env.HECTOR_SCIM_TEST_EMPTY}"}},
			wantMsg: "token 2: a placeholder in the secret is unset or empty",
		},
		{
			name:    "missing file",
			tokens:  []Token{{Secret: "{file./nonexistent/hector-scim/token}"}},
			wantMsg: "token 1: a placeholder in the secret is unset or empty",
		},
		{
			name:    "short literal secret",
			tokens:  []Token{{Secret: "short-secret"}},
			wantMsg: "token 1: the secret is shorter than 16 characters",
		},
		{
			name:    "short env secret",
			tokens:  []Token{{Secret: "{env.HECTOR_SCIM_TEST_SHORT}"}},
			wantMsg: "token 1: the secret is shorter than 16 characters",
		},
		{
			name:    "secret and digest in one token",
			tokens:  []Token{{Secret: secret, SHA256: sha256Hex(secret)}},
			wantMsg: "token 1: it has both a secret and a sha256 digest",
		},
		{
			name:    "empty token",
			tokens:  []Token{{Secret: secret}, {Expires: "2027-01-01T00:00:00Z"}},
			wantMsg: "token 2: it has neither a secret nor a sha256 digest",
		},
		{
			name:    "digest not hex",
			tokens:  []Token{{SHA256: strings.Repeat("g", 64)}},
			wantMsg: "token 1: sha256 must be 64 hex digits",
		},
		{
			name:    "digest too short",
			tokens:  []Token{{SHA256: sha256Hex(secret)[:62]}},
			wantMsg: "token 1: sha256 must be 64 hex digits",
		},
		{
			name:    "expires not RFC 3339",
			tokens:  []Token{{Secret: "{env.HECTOR_SCIM_TEST_SET}", Expires: "06/02/2027"}},
			wantMsg: "token 1: expires must be an RFC 3339 time",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := newAuthenticator(tt.tokens, caddy.NewReplacer(), fixedNow)
			if err == nil {
				t.Fatalf("newAuthenticator: got %d digests and no error, want error %q", len(a.digests), tt.wantMsg)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error: got %q, want it to contain %q", err, tt.wantMsg)
			}
			for _, s := range []string{secret, envVal, sha256Hex(secret)} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error: got %q, want it without the secret %q", err, s)
				}
			}
		})
	}
}

func TestNewAuthenticatorAccepts(t *testing.T) {
	tests := []struct {
		name   string
		tokens []Token
	}{
		{"no tokens (Validate reports it)", nil},
		{"one expired beside a live one", []Token{
			{Secret: "old-secret-0123456789", Expires: "2020-01-01T00:00:00Z"},
			{Secret: "new-secret-0123456789", Expires: "2027-01-01T00:00:00Z"},
		}},
		{"one expired beside one that never expires", []Token{
			{Secret: "old-secret-0123456789", Expires: "2020-01-01T00:00:00Z"},
			{SHA256: sha256Hex("anything")},
		}},
		{"exactly 16 characters", []Token{{Secret: "0123456789abcdef"}}},
		{"digest with surrounding space", []Token{{SHA256: " " + sha256Hex("anything") + " "}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := newAuthenticator(tt.tokens, caddy.NewReplacer(), fixedNow)
			if err != nil {
				t.Fatalf("newAuthenticator: got error %v, want none", err)
			}
			if got, want := len(a.digests), len(tt.tokens); got != want {
				t.Errorf("digests: got %d, want %d", got, want)
			}
		})
	}
}

func TestLogExpiries(t *testing.T) {
	const (
		secret = "log-secret-0123456789"
		other  = "other-log-secret-0123456789"
	)
	day := 24 * time.Hour
	tests := []struct {
		name     string
		tokens   []Token
		wantMsgs []string
	}{
		{
			name:     "expires in 10 days",
			tokens:   []Token{{Secret: secret, Expires: authNow.Add(10 * day).Format(time.RFC3339)}},
			wantMsgs: []string{"scim token expires soon; add a new token and update the IdP"},
		},
		{
			name:   "expires in 30 days",
			tokens: []Token{{Secret: secret, Expires: authNow.Add(30 * day).Format(time.RFC3339)}},
		},
		{
			name:   "never expires",
			tokens: []Token{{Secret: secret}},
		},
		{
			name:     "exactly 14 days ahead",
			tokens:   []Token{{Secret: secret, Expires: authNow.Add(14 * day).Format(time.RFC3339)}},
			wantMsgs: []string{"scim token expires soon; add a new token and update the IdP"},
		},
		{
			name: "one expired, one soon, one later",
			tokens: []Token{
				{Secret: secret, Expires: authNow.Add(-day).Format(time.RFC3339)},
				{SHA256: sha256Hex(other), Expires: authNow.Add(3 * day).Format(time.RFC3339)},
				{Secret: "later-secret-0123456789", Expires: authNow.Add(60 * day).Format(time.RFC3339)},
			},
			wantMsgs: []string{
				"scim token has expired and is refused",
				"scim token expires soon; add a new token and update the IdP",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustAuthenticator(t, tt.tokens)
			core, logs := observer.New(zapcore.DebugLevel)
			a.logExpiries(zap.New(core))
			entries := logs.All()
			if len(entries) != len(tt.wantMsgs) {
				t.Fatalf("log entries: got %d (%v), want %d", len(entries), entries, len(tt.wantMsgs))
			}
			for i, e := range entries {
				if e.Level != zapcore.WarnLevel {
					t.Errorf("entry %d level: got %v, want %v", i, e.Level, zapcore.WarnLevel)
				}
				if e.Message != tt.wantMsgs[i] {
					t.Errorf("entry %d message: got %q, want %q", i, e.Message, tt.wantMsgs[i])
				}
				if _, ok := e.ContextMap()["token"]; !ok {
					t.Errorf("entry %d: got fields %v, want a token position", i, e.ContextMap())
				}
				text := e.Message + fmt.Sprint(e.ContextMap())
				for _, s := range []string{secret, other, sha256Hex(secret), sha256Hex(other)} {
					if strings.Contains(text, s) {
						t.Errorf("entry %d: got %q, want it without the secret %q", i, text, s)
					}
				}
			}
		})
	}
}
