package caddymodule

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"

	"github.com/hector-scim/hector-scim/translate"
)

const (
	testDigest    = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	testDigestAlt = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
)

func intPtr(n int) *int                  { return &n }
func floatPtr(f float64) *float64        { return &f }
func dur(d time.Duration) caddy.Duration { return caddy.Duration(d) }

// futureExpiry is an RFC 3339 time that stays in the future as the calendar
// moves on, so that the parser's every-token-expired check does not fire.
var futureExpiry = time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339)

func TestUnmarshalCaddyfile(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  Handler
	}{
		{
			name:  "bare directive",
			input: `scim`,
			want:  Handler{},
		},
		{
			name:  "empty block",
			input: "scim {\n}",
			want:  Handler{},
		},
		{
			name: "base_path",
			input: `scim {
				base_path /identity/scim/v2
			}`,
			want: Handler{BasePath: "/identity/scim/v2"},
		},
		{
			name: "token without expires",
			input: `scim {
				token {env.SCIM_TOKEN}
			}`,
			want: Handler{Tokens: []Token{{Secret: "{env.SCIM_TOKEN}"}}},
		},
		{
			name: "token with expires",
			input: `scim {
				token literal-secret-0123456789 {
					expires 2099-02-06T00:00:00Z
				}
			}`,
			want: Handler{Tokens: []Token{{Secret: "literal-secret-0123456789", Expires: "2099-02-06T00:00:00Z"}}},
		},
		{
			name: "expires with a zone offset",
			input: `scim {
				token literal-secret-0123456789 {
					expires 2099-02-06T01:00:00+01:00
				}
			}`,
			want: Handler{Tokens: []Token{{Secret: "literal-secret-0123456789", Expires: "2099-02-06T01:00:00+01:00"}}},
		},
		{
			name: "token_sha256 without and with expires",
			input: `scim {
				token_sha256 ` + testDigest + `
				token_sha256 ` + strings.ToUpper(testDigestAlt) + ` {
					expires 2099-01-01T00:00:00Z
				}
			}`,
			want: Handler{Tokens: []Token{
				{SHA256: testDigest},
				{SHA256: strings.ToUpper(testDigestAlt), Expires: "2099-01-01T00:00:00Z"},
			}},
		},
		{
			name: "several tokens, one expired, keep their order",
			input: `scim {
				token old-secret-0123456789 {
					expires 2020-01-01T00:00:00Z
				}
				token {env.SCIM_TOKEN}
				token_sha256 ` + testDigest + `
			}`,
			want: Handler{Tokens: []Token{
				{Secret: "old-secret-0123456789", Expires: "2020-01-01T00:00:00Z"},
				{Secret: "{env.SCIM_TOKEN}"},
				{SHA256: testDigest},
			}},
		},
		{
			name: "legacy URL only",
			input: `scim {
				legacy https://acme.hector.example/api/v1
			}`,
			want: Handler{Legacy: Legacy{URL: "https://acme.hector.example/api/v1"}},
		},
		{
			name: "legacy URL as a placeholder",
			input: `scim {
				legacy {env.HECTOR_URL}
			}`,
			want: Handler{Legacy: Legacy{URL: "{env.HECTOR_URL}"}},
		},
		{
			name: "legacy block with every option",
			input: `scim {
				legacy http://127.0.0.1:9000/api/v1 {
					api_key {env.HECTOR_API_KEY}
					timeout 7s
					retries 3
					rate 12.5
					burst 25
					max_in_flight 4
				}
			}`,
			want: Handler{Legacy: Legacy{
				URL:         "http://127.0.0.1:9000/api/v1",
				APIKey:      "{env.HECTOR_API_KEY}",
				Timeout:     dur(7 * time.Second),
				Retries:     intPtr(3),
				Rate:        floatPtr(12.5),
				Burst:       25,
				MaxInFlight: 4,
			}},
		},
		{
			name: "legacy retries 0 and rate 0 are kept, not defaulted",
			input: `scim {
				legacy https://h.example/api/v1 {
					retries 0
					rate 0
					timeout 1d
				}
			}`,
			want: Handler{Legacy: Legacy{
				URL:     "https://h.example/api/v1",
				Retries: intPtr(0),
				Rate:    floatPtr(0),
				Timeout: dur(24 * time.Hour),
			}},
		},
		{
			name: "legacy retries at the upper bound",
			input: `scim {
				legacy https://h.example/api/v1 {
					retries 20
				}
			}`,
			want: Handler{Legacy: Legacy{URL: "https://h.example/api/v1", Retries: intPtr(20)}},
		},
		{
			name: "roles in order, several groups, a role with none",
			input: `scim {
				roles {
					admin hector_admins
					staff "hector_staff;Hector Staff EU"
					user hector_users
					auditor
				}
			}`,
			want: Handler{Roles: []Role{
				{Name: "admin", Groups: []string{"hector_admins"}},
				{Name: "staff", Groups: []string{"hector_staff", "Hector Staff EU"}},
				{Name: "user", Groups: []string{"hector_users"}},
				{Name: "auditor"},
			}},
		},
		{
			name: "role groups are trimmed and empty ones dropped",
			input: `scim {
				roles {
					staff " a ;; b c ;"
				}
			}`,
			want: Handler{Roles: []Role{{Name: "staff", Groups: []string{"a", "b c"}}}},
		},
		{
			name: "default_role and overwrite_roles",
			input: `scim {
				default_role user
				overwrite_roles
			}`,
			want: Handler{DefaultRole: "user", OverwriteRoles: true},
		},
		{
			name: "on_delete delete",
			input: `scim {
				on_delete delete
			}`,
			want: Handler{OnDelete: "delete"},
		},
		{
			name: "on_delete deactivate",
			input: `scim {
				on_delete deactivate
			}`,
			want: Handler{OnDelete: "deactivate"},
		},
		{
			name: "max_filter_scan",
			input: `scim {
				max_filter_scan 2500
			}`,
			want: Handler{MaxFilterScan: 2500},
		},
		{
			name: "max_body in MiB",
			input: `scim {
				max_body 2MiB
			}`,
			want: Handler{MaxBody: 2 << 20},
		},
		{
			name: "max_body in kB, at the lower bound",
			input: `scim {
				max_body 1KiB
			}`,
			want: Handler{MaxBody: 1024},
		},
		{
			name: "max_body at the upper bound",
			input: `scim {
				max_body 1GiB
			}`,
			want: Handler{MaxBody: 1 << 30},
		},
		{
			name: "deadline",
			input: `scim {
				deadline 45s
			}`,
			want: Handler{Deadline: dur(45 * time.Second)},
		},
		{
			name: "user_field override, addition, quoted filter and enterprise URN",
			input: `scim {
				user_field locale preferredLanguage
				user_field email "emails[type eq \"work\"].value" userName
				user_field identifier urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber
				user_field profile.nickname nickName
			}`,
			want: Handler{UserFields: []translate.Line{
				{Field: "locale", Sources: []string{"preferredLanguage"}},
				{Field: "email", Sources: []string{`emails[type eq "work"].value`, "userName"}},
				{Field: "identifier", Sources: []string{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"}},
				{Field: "profile.nickname", Sources: []string{"nickName"}},
			}},
		},
		{
			name: "the full DESIGN.md example",
			input: `scim {
				base_path /scim/v2
				token design-secret-0123456789 {
					expires 2099-02-06T00:00:00Z
				}
				token_sha256 ` + testDigest + `
				legacy https://acme.hector.example/api/v1 {
					api_key hector-api-key
					timeout 15s
					retries 5
					rate 40
					max_in_flight 16
				}
				roles {
					admin hector_admins
					staff "hector_staff;Hector Staff EU"
					user hector_users
					auditor
				}
				default_role user
				overwrite_roles
				on_delete deactivate
				max_filter_scan 10000
				max_body 1MiB
				deadline 50s
				user_field locale preferredLanguage
			}`,
			want: Handler{
				BasePath: "/scim/v2",
				Tokens: []Token{
					{Secret: "design-secret-0123456789", Expires: "2099-02-06T00:00:00Z"},
					{SHA256: testDigest},
				},
				Legacy: Legacy{
					URL:         "https://acme.hector.example/api/v1",
					APIKey:      "hector-api-key",
					Timeout:     dur(15 * time.Second),
					Retries:     intPtr(5),
					Rate:        floatPtr(40),
					MaxInFlight: 16,
				},
				Roles: []Role{
					{Name: "admin", Groups: []string{"hector_admins"}},
					{Name: "staff", Groups: []string{"hector_staff", "Hector Staff EU"}},
					{Name: "user", Groups: []string{"hector_users"}},
					{Name: "auditor"},
				},
				DefaultRole:    "user",
				OverwriteRoles: true,
				OnDelete:       "deactivate",
				MaxFilterScan:  10000,
				MaxBody:        1 << 20,
				Deadline:       dur(50 * time.Second),
				UserFields:     []translate.Line{{Field: "locale", Sources: []string{"preferredLanguage"}}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Handler
			if err := got.UnmarshalCaddyfile(caddyfile.NewTestDispenser(tt.input)); err != nil {
				t.Fatalf("UnmarshalCaddyfile: got error %v, want none", err)
			}
			for _, diff := range diffHandler(got, tt.want) {
				t.Error(diff)
			}
		})
	}
}

// diffHandler compares the configuration fields of two handlers one by one
// and describes each difference.
func diffHandler(got, want Handler) []string {
	fields := []struct {
		name      string
		got, want any
	}{
		{"BasePath", got.BasePath, want.BasePath},
		{"Tokens", got.Tokens, want.Tokens},
		{"Legacy.URL", got.Legacy.URL, want.Legacy.URL},
		{"Legacy.APIKey", got.Legacy.APIKey, want.Legacy.APIKey},
		{"Legacy.Timeout", got.Legacy.Timeout, want.Legacy.Timeout},
		{"Legacy.Retries", got.Legacy.Retries, want.Legacy.Retries},
		{"Legacy.Rate", got.Legacy.Rate, want.Legacy.Rate},
		{"Legacy.MaxInFlight", got.Legacy.MaxInFlight, want.Legacy.MaxInFlight},
		{"OnDelete", got.OnDelete, want.OnDelete},
		{"UserFields", got.UserFields, want.UserFields},
		{"MaxFilterScan", got.MaxFilterScan, want.MaxFilterScan},
		{"MaxBody", got.MaxBody, want.MaxBody},
		{"Deadline", got.Deadline, want.Deadline},
		{"Roles", got.Roles, want.Roles},
		{"DefaultRole", got.DefaultRole, want.DefaultRole},
		{"OverwriteRoles", got.OverwriteRoles, want.OverwriteRoles},
	}
	var diffs []string
	for _, f := range fields {
		if !reflect.DeepEqual(f.got, f.want) {
			diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", f.name, show(f.got), show(f.want)))
		}
	}
	return diffs
}

// show renders a value readably, pointers by their target.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}

func TestUnmarshalCaddyfileErrors(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		line    int    // the line the error must name
		wantMsg string // a substring of the error
	}{
		{
			name:    "argument to the directive",
			input:   "scim extra {\n}",
			line:    1,
			wantMsg: "wrong argument count",
		},
		{
			name: "unknown option",
			input: `scim {
				base_path /scim/v2
				bogus 1
			}`,
			line:    3,
			wantMsg: `unrecognized scim option "bogus"`,
		},
		{
			name: "duplicate option",
			input: `scim {
				base_path /scim/v2
				default_role user
				base_path /other
			}`,
			line:    4,
			wantMsg: `scim option "base_path" given twice`,
		},
		{
			name: "duplicate legacy block",
			input: `scim {
				legacy https://a.example/api/v1
				legacy https://b.example/api/v1
			}`,
			line:    3,
			wantMsg: `scim option "legacy" given twice`,
		},
		{
			name: "duplicate roles block",
			input: `scim {
				roles {
					admin a
				}
				roles {
					user u
				}
			}`,
			line:    5,
			wantMsg: `scim option "roles" given twice`,
		},
		{
			name: "duplicate overwrite_roles",
			input: `scim {
				overwrite_roles
				overwrite_roles
			}`,
			line:    3,
			wantMsg: "given twice",
		},
		{
			name: "base_path without argument",
			input: `scim {
				base_path
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "base_path with two arguments",
			input: `scim {
				base_path /a /b
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "base_path not absolute",
			input: `scim {
				base_path scim/v2
			}`,
			line:    2,
			wantMsg: "base_path must start with /",
		},
		{
			name: "legacy without URL, with a block",
			input: `scim {
				legacy {
					api_key k
				}
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "legacy without URL, bare",
			input: `scim {
				legacy
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "legacy URL without scheme",
			input: `scim {
				legacy acme.hector.example/api/v1
			}`,
			line:    2,
			wantMsg: "legacy URL must start with http:// or https://",
		},
		{
			name: "legacy URL with another scheme",
			input: `scim {
				legacy ftp://acme.hector.example/api/v1
			}`,
			line:    2,
			wantMsg: "legacy URL must start with http:// or https://",
		},
		{
			name: "unknown legacy option",
			input: `scim {
				legacy https://h.example/api/v1 {
					timeout 5s
					proxy http://p
				}
			}`,
			line:    4,
			wantMsg: `unrecognized legacy option "proxy"`,
		},
		{
			name: "duplicate legacy option",
			input: `scim {
				legacy https://h.example/api/v1 {
					timeout 5s
					timeout 6s
				}
			}`,
			line:    4,
			wantMsg: `legacy option "timeout" given twice`,
		},
		{
			name: "api_key without argument",
			input: `scim {
				legacy https://h.example/api/v1 {
					api_key
				}
			}`,
			line:    3,
			wantMsg: "wrong argument count",
		},
		{
			name: "timeout without unit",
			input: `scim {
				legacy https://h.example/api/v1 {
					timeout 15
				}
			}`,
			line:    3,
			wantMsg: "timeout must be a positive duration",
		},
		{
			name: "timeout not a duration",
			input: `scim {
				legacy https://h.example/api/v1 {
					timeout soon
				}
			}`,
			line:    3,
			wantMsg: "timeout must be a positive duration",
		},
		{
			name: "timeout zero",
			input: `scim {
				legacy https://h.example/api/v1 {
					timeout 0s
				}
			}`,
			line:    3,
			wantMsg: "timeout must be a positive duration",
		},
		{
			name: "timeout negative",
			input: `scim {
				legacy https://h.example/api/v1 {
					timeout -5s
				}
			}`,
			line:    3,
			wantMsg: "timeout must be a positive duration",
		},
		{
			name: "rate negative",
			input: `scim {
				legacy https://h.example/api/v1 {
					rate -1
				}
			}`,
			line:    3,
			wantMsg: "rate must be a number of requests a second",
		},
		{
			name: "rate not numeric",
			input: `scim {
				legacy https://h.example/api/v1 {
					rate fast
				}
			}`,
			line:    3,
			wantMsg: "rate must be a number of requests a second",
		},
		{
			name: "retries above the range",
			input: `scim {
				legacy https://h.example/api/v1 {
					retries 21
				}
			}`,
			line:    3,
			wantMsg: "retries must be an integer from 0 to 20",
		},
		{
			name: "retries negative",
			input: `scim {
				legacy https://h.example/api/v1 {
					retries -1
				}
			}`,
			line:    3,
			wantMsg: "retries must be an integer from 0 to 20",
		},
		{
			name: "retries not an integer",
			input: `scim {
				legacy https://h.example/api/v1 {
					retries 2.5
				}
			}`,
			line:    3,
			wantMsg: "retries must be an integer from 0 to 20",
		},
		{
			name: "burst zero",
			input: `scim {
				legacy https://h.example/api/v1 {
					burst 0
				}
			}`,
			line:    3,
			wantMsg: "burst must be a positive integer",
		},
		{
			name: "burst not an integer",
			input: `scim {
				legacy https://h.example/api/v1 {
					burst 1.5
				}
			}`,
			line:    3,
			wantMsg: "burst must be a positive integer",
		},
		{
			name: "max_in_flight zero",
			input: `scim {
				legacy https://h.example/api/v1 {
					max_in_flight 0
				}
			}`,
			line:    3,
			wantMsg: "max_in_flight must be a positive integer",
		},
		{
			name: "max_in_flight not an integer",
			input: `scim {
				legacy https://h.example/api/v1 {
					max_in_flight many
				}
			}`,
			line:    3,
			wantMsg: "max_in_flight must be a positive integer",
		},
		{
			name: "token without argument",
			input: `scim {
				token
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "token with two arguments",
			input: `scim {
				token one-secret-0123456789 two-secret-0123456789
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "duplicate token",
			input: `scim {
				token same-secret-0123456789
				token other-secret-0123456789
				token same-secret-0123456789
			}`,
			line:    4,
			wantMsg: "the token is a duplicate of an earlier one",
		},
		{
			name: "duplicate token_sha256, differing in case",
			input: `scim {
				token_sha256 ` + testDigest + `
				token_sha256 ` + strings.ToUpper(testDigest) + `
			}`,
			line:    3,
			wantMsg: "the token is a duplicate of an earlier one",
		},
		{
			name: "token_sha256 too short",
			input: `scim {
				token_sha256 ` + testDigest[:63] + `
			}`,
			line:    2,
			wantMsg: "sha256 must be 64 hex digits",
		},
		{
			name: "token_sha256 too long",
			input: `scim {
				token_sha256 ` + testDigest + `0
			}`,
			line:    2,
			wantMsg: "sha256 must be 64 hex digits",
		},
		{
			name: "token_sha256 not hex",
			input: `scim {
				token_sha256 ` + testDigest[:30] + "zz" + testDigest[32:] + `
			}`,
			line:    2,
			wantMsg: "sha256 must be 64 hex digits",
		},
		{
			name: "expires not RFC 3339",
			input: `scim {
				token some-secret-0123456789 {
					expires 2099-02-06
				}
			}`,
			line:    3,
			wantMsg: "expires must be an RFC 3339 time",
		},
		{
			name: "expires without argument",
			input: `scim {
				token some-secret-0123456789 {
					expires
				}
			}`,
			line:    3,
			wantMsg: "wrong argument count",
		},
		{
			name: "expires given twice",
			input: `scim {
				token some-secret-0123456789 {
					expires ` + futureExpiry + `
					expires ` + futureExpiry + `
				}
			}`,
			line:    4,
			wantMsg: "expires given twice",
		},
		{
			name: "unknown token option",
			input: `scim {
				token_sha256 ` + testDigest + ` {
					not_before 2020-01-01T00:00:00Z
				}
			}`,
			line:    3,
			wantMsg: `unrecognized token_sha256 option "not_before"`,
		},
		{
			name: "only expired tokens",
			input: `scim {
				token old-secret-0123456789 {
					expires 2020-01-01T00:00:00Z
				}
				token_sha256 ` + testDigest + ` {
					expires 2021-06-01T00:00:00Z
				}
			}`,
			line:    5, // the last token
			wantMsg: "every configured token has expired: add a new one",
		},
		{
			name: "roles with an argument",
			input: `scim {
				roles admin {
					admin a
				}
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "role listed twice",
			input: `scim {
				roles {
					admin hector_admins
					user hector_users
					admin other_admins
				}
			}`,
			line:    5,
			wantMsg: `role "admin" listed twice`,
		},
		{
			name: "role groups as separate arguments",
			input: `scim {
				roles {
					staff hector_staff other_staff
				}
			}`,
			line:    3,
			wantMsg: "separate several groups with ';'",
		},
		{
			name: "default_role without argument",
			input: `scim {
				default_role
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "default_role with two arguments",
			input: `scim {
				default_role user staff
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "overwrite_roles with an argument",
			input: `scim {
				overwrite_roles true
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "on_delete bogus",
			input: `scim {
				on_delete purge
			}`,
			line:    2,
			wantMsg: "on_delete must be deactivate or delete",
		},
		{
			name: "on_delete without argument",
			input: `scim {
				on_delete
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "max_filter_scan zero",
			input: `scim {
				max_filter_scan 0
			}`,
			line:    2,
			wantMsg: "max_filter_scan must be a positive integer",
		},
		{
			name: "max_filter_scan not numeric",
			input: `scim {
				max_filter_scan lots
			}`,
			line:    2,
			wantMsg: "max_filter_scan must be a positive integer",
		},
		{
			name: "max_body nonsense",
			input: `scim {
				max_body huge
			}`,
			line:    2,
			wantMsg: "max_body must be a size from 1KiB to 1GiB",
		},
		{
			name: "max_body below 1KiB",
			input: `scim {
				max_body 512
			}`,
			line:    2,
			wantMsg: "max_body must be a size from 1KiB to 1GiB",
		},
		{
			name: "max_body above 1GiB",
			input: `scim {
				max_body 2GiB
			}`,
			line:    2,
			wantMsg: "max_body must be a size from 1KiB to 1GiB",
		},
		{
			name: "max_body negative",
			input: `scim {
				max_body -1MiB
			}`,
			line:    2,
			wantMsg: "max_body must be a size from 1KiB to 1GiB",
		},
		{
			name: "deadline not a duration",
			input: `scim {
				deadline fifty
			}`,
			line:    2,
			wantMsg: "deadline must be a positive duration",
		},
		{
			name: "deadline zero",
			input: `scim {
				deadline 0s
			}`,
			line:    2,
			wantMsg: "deadline must be a positive duration",
		},
		{
			name: "deadline without unit",
			input: `scim {
				deadline 50
			}`,
			line:    2,
			wantMsg: "deadline must be a positive duration",
		},
		{
			name: "user_field with a SCIM path outside the schema",
			input: `scim {
				user_field nickname favoriteColor
			}`,
			line:    2,
			wantMsg: `user_field: mapping: field "nickname": source "favoriteColor"`,
		},
		{
			name: "user_field with a bad Hector field path",
			input: `scim {
				user_field "a..b" title
			}`,
			line:    2,
			wantMsg: `invalid Hector field path "a..b"`,
		},
		{
			name: "user_field with a gjson modifier as field",
			input: `scim {
				user_field @reverse title
			}`,
			line:    2,
			wantMsg: "invalid Hector field path",
		},
		{
			name: "user_field with a complex SCIM source",
			input: `scim {
				user_field full_name name
			}`,
			line:    2,
			wantMsg: `source "name" must be a simple attribute`,
		},
		{
			name: "user_field without source",
			input: `scim {
				user_field title
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "user_field without arguments",
			input: `scim {
				user_field
			}`,
			line:    2,
			wantMsg: "wrong argument count",
		},
		{
			name: "token shorter than 16 characters",
			input: `scim {
				base_path /scim/v2
				token short-secret
			}`,
			line:    3,
			wantMsg: "the secret is shorter than 16 characters",
		},
		{
			name: "token longer than 4096 characters",
			input: `scim {
				token ` + strings.Repeat("x", maxTokenLen+1) + `
			}`,
			line:    2,
			wantMsg: "the secret is longer than 4096 characters",
		},
		{
			name: "token beside its own digest",
			input: `scim {
				token_sha256 ` + sha256Hex("a-secret-0123456789") + `
				token a-secret-0123456789
			}`,
			line:    3,
			wantMsg: "the token is a duplicate of an earlier one",
		},
		{
			name: "user_field targeting role",
			input: `scim {
				base_path /scim/v2
				user_field role title
			}`,
			line:    3,
			wantMsg: `user_field may not target "role"`,
		},
		{
			name: "user_field targeting status",
			input: `scim {
				base_path /scim/v2
				user_field status title
			}`,
			line:    3,
			wantMsg: `user_field may not target "status"`,
		},
		{
			name: "user_field targeting id",
			input: `scim {
				base_path /scim/v2
				user_field id title
			}`,
			line:    3,
			wantMsg: `user_field may not target "id"`,
		},
		{
			name: "user_field targeting groups",
			input: `scim {
				base_path /scim/v2
				user_field groups title
			}`,
			line:    3,
			wantMsg: `user_field may not target "groups"`,
		},
		{
			name: "user_field targeting created_at",
			input: `scim {
				base_path /scim/v2
				user_field created_at title
			}`,
			line:    3,
			wantMsg: `user_field may not target "created_at"`,
		},
		{
			name: "user_field targeting updated_at",
			input: `scim {
				base_path /scim/v2
				user_field updated_at title
			}`,
			line:    3,
			wantMsg: `user_field may not target "updated_at"`,
		},
		{
			name: "user_field targeting status.reason",
			input: `scim {
				base_path /scim/v2
				user_field status.reason title
			}`,
			line:    3,
			wantMsg: `user_field may not target "status.reason"`,
		},
		{
			name: "user_field for the same Hector field twice",
			input: `scim {
				user_field locale preferredLanguage
				user_field locale locale
			}`,
			line:    3,
			wantMsg: `user_field "locale" given twice`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Handler
			err := h.UnmarshalCaddyfile(caddyfile.NewTestDispenser(tt.input))
			if err == nil {
				t.Fatalf("UnmarshalCaddyfile: got no error, want one containing %q", tt.wantMsg)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error: got %q, want it to contain %q", err, tt.wantMsg)
			}
			if at := fmt.Sprintf("at Testfile:%d", tt.line); !strings.HasSuffix(err.Error(), at) {
				t.Errorf("error: got %q, want it to name the line (%q)", err, at)
			}
		})
	}
}

// TestUnmarshalCaddyfileErrorsHideSecrets checks that parse errors about a
// token never repeat the token itself.
func TestUnmarshalCaddyfileErrorsHideSecrets(t *testing.T) {
	const secret = "never-print-me-0123456789"
	tests := []struct {
		name  string
		input string
	}{
		{"duplicate", "scim {\n\ttoken " + secret + "\n\ttoken " + secret + "\n}"},
		{"bad expires", "scim {\n\ttoken " + secret + " {\n\t\texpires tomorrow\n\t}\n}"},
		{"unknown token option", "scim {\n\ttoken " + secret + " {\n\t\tscope all\n\t}\n}"},
		{"expired", "scim {\n\ttoken " + secret + " {\n\t\texpires 2020-01-01T00:00:00Z\n\t}\n}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Handler
			err := h.UnmarshalCaddyfile(caddyfile.NewTestDispenser(tt.input))
			if err == nil {
				t.Fatal("UnmarshalCaddyfile: got no error, want one")
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error: got %q, want it without the secret", err)
			}
		})
	}
}
