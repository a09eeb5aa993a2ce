package caddymodule

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/caddyserver/caddy/v2"
)

// TestUnsetEnvVars lists every {$VAR} of a Caddyfile that is unset and has
// no default, and every {env.*} or {file.*} without a value, with its
// line; comments do not count, nor do request placeholders.
func TestUnsetEnvVars(t *testing.T) {
	t.Setenv("REPORT_TEST_SET", "x")
	cf := `# {$IN_A_COMMENT} is not read
{$REPORT_TEST_ADDR::8080} {
	scim {
		legacy {$REPORT_TEST_URL} {
			api_key {$REPORT_TEST_SET}{env.REPORT_TEST_UNSET_KEY}{http.request.uri}
		}
		token {$REPORT_TEST_TOKEN} # {$ALSO_A_COMMENT}
		tenant a#{$REPORT_TEST_TENANT}
	}
}
`
	path := filepath.Join(t.TempDir(), "Caddyfile")
	if err := os.WriteFile(path, []byte(cf), 0o600); err != nil {
		t.Fatal(err)
	}
	env, runtime, err := unsetInCaddyfile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []unsetPlaceholder{{"{$REPORT_TEST_URL}", path + ":4"}, {"{$REPORT_TEST_TOKEN}", path + ":7"}, {"{$REPORT_TEST_TENANT}", path + ":8"}}
	if !slices.Equal(env, want) {
		t.Errorf("got %v, want %v", env, want)
	}
	want = []unsetPlaceholder{{"{env.REPORT_TEST_UNSET_KEY}", path + ":5"}}
	if !slices.Equal(runtime, want) {
		t.Errorf("got runtime %v, want %v", runtime, want)
	}
	if env, runtime, _ := unsetInCaddyfile("config.json", ""); env != nil || runtime != nil {
		t.Errorf("a JSON config: got %v %v, want none", env, runtime)
	}
}

// TestUnsetPlaceholders lists every unset {env.*} or unreadable {file.*}
// of the values provisioning expands, by where they are.
func TestUnsetPlaceholders(t *testing.T) {
	t.Setenv("REPORT_TEST_KEY", "key")
	h := &Handler{
		Tokens: []Token{{Secret: "{env.REPORT_TEST_UNSET_1}"}, {SHA256: "ab"}, {Secret: "{file./nonexistent/token}"}},
		Legacy: Legacy{URL: "https://{env.REPORT_TEST_UNSET_2}/api/{env.REPORT_TEST_KEY}", APIKey: "{env.REPORT_TEST_KEY}"},
	}
	got := h.unsetPlaceholders(caddy.NewReplacer())
	want := []unsetPlaceholder{{"{env.REPORT_TEST_UNSET_1}", "token 1"}, {"{file./nonexistent/token}", "token 3"}, {"{env.REPORT_TEST_UNSET_2}", "legacy url"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestUnknownRoles(t *testing.T) {
	got := unknownRoles([]string{"admin", "wizard", "user", "Staff"}, []string{"admin", "staff", "user"})
	if want := []string{"wizard", "Staff"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v (roles compare exactly)", got, want)
	}
}
