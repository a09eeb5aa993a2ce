package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hector-scim/hector-scim/hectorsim"
)

// scimCheck runs `hector-scim scim-check` on a Caddyfile whose scim block
// has the given lines, against the test's simulator; with protect, on its
// JSON adaptation with those protected accounts.
func scimCheck(t *testing.T, e *env, key, scim string, protect ...string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "Caddyfile")
	cf := fmt.Sprintf(`http://127.0.0.1:%d {
	route /scim/v2/* {
		scim {
			token {env.E2E_SCIM_TOKEN}
			legacy %s {
				api_key %s
				retries 0
			}
			%s
		}
	}
}
`, freePort(t), e.simURL, key, scim)
	if err := os.WriteFile(path, []byte(cf), 0o600); err != nil {
		t.Fatal(err)
	}
	if len(protect) > 0 {
		path = withProtect(t, path, protect)
	}
	cmd := exec.Command(binary, "scim-check", "--config", path)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir, "E2E_SCIM_TOKEN="+Token)
	var out strings.Builder
	cmd.Stdout = &out
	err := cmd.Run()
	return out.String(), err
}

// TestScimCheck: the pre-flight check passes on a good configuration and
// fails, saying why, on a wrong API key, a role Hector does not know, an
// expired token left in the config, and every unset placeholder; it prints
// the role rules in priority order, the mapping, each token's expiry and
// the protected accounts, never a secret.
func TestScimCheck(t *testing.T) {
	e := newEnv(t, options{})
	if _, _, err := e.sim.Seed([]hectorsim.SeedUser{{Username: "keeper@contoso.example", Email: "keeper@contoso.example", Identifier: "K1", ExternalID: "ext-k", Role: "admin"}}, nil); err != nil {
		t.Fatal(err)
	}
	soon := time.Now().Add(10 * 24 * time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-48 * time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name, key, scim string
		protect         []string
		ok              bool
		want            []string
	}{
		{"good", APIKey, guideRoles + "\n\t\t\ttoken second-token-0123456789 {\n\t\t\t\texpires " + soon + "\n\t\t\t}", nil, true,
			[]string{"API key accepted", "token 1: never expires", "token 2: expires " + soon + " (in 9 days) — add a new token now", "email        ← emails[type eq \"work\"].value",
				"role rules (highest first; overwrite_roles off: a role set by hand in Hector stays):\n    1. admin   ← hector_admins\n    2. staff   ← hector_staff; Hector Staff EU\n    3. user    ← hector_users\n    4. auditor ← no group (set by hand in Hector)\n    default_role user (a user in no role-granting group)",
				"protected accounts: none", "OK: ready to go live"}},
		{"wrong API key", "not-the-key", "", nil, false, []string{"PROBLEM: Hector at " + e.simURL, "401", "role rules: none (the bridge never changes a role)"}},
		{"unknown role", APIKey, "roles {\n\t\t\t\twizard hector_wizards\n\t\t\t}\n\t\t\toverwrite_roles", nil, false,
			[]string{`PROBLEM: role "wizard" is configured but Hector does not know it`, "role rules (highest first; overwrite_roles on: the rules always win):", "no default_role"}},
		{"mapping override shown", APIKey, "user_field locale locale", nil, true, []string{"locale       ← locale"}},
		{"expired token left in the config", APIKey, "token second-token-0123456789 {\n\t\t\t\texpires " + past + "\n\t\t\t}", nil, false,
			[]string{"PROBLEM: token 2 EXPIRED on " + past + " and is refused; remove it from the config", "token 1: never expires"}},
		{"every unset placeholder", "{env.E2E_UNSET_KEY}", "token {env.E2E_UNSET_TOKEN}\n\t\t\ttoken {file./nonexistent/e2e-token}", nil, false,
			[]string{"PROBLEM: {env.E2E_UNSET_TOKEN} (token 2) is unset or empty", "PROBLEM: {file./nonexistent/e2e-token} (token 3) is unset or empty",
				"PROBLEM: {env.E2E_UNSET_KEY} (legacy api_key) is unset or empty", "token 2: not checked (a placeholder is unset)", "token 1: never expires"}},
		{"every unset placeholder of a Caddyfile that does not load", "{$E2E_UNSET_VAR}", "tenant {$E2E_UNSET_TENANT}\n\t\t\tmax_body {$E2E_UNSET_BODY:1MiB}\n\t\t\ttoken {env.E2E_UNSET_TOKEN2}", nil, false,
			[]string{"PROBLEM: {$E2E_UNSET_VAR} (", "Caddyfile:6) is unset and has no default", "PROBLEM: {$E2E_UNSET_TENANT} (", "Caddyfile:9) is unset and has no default",
				"PROBLEM: {env.E2E_UNSET_TOKEN2} (", "Caddyfile:11) is unset or empty"}},
		{"protected accounts", APIKey, "", []string{"keeper@contoso.example", "ghost@contoso.example"}, true,
			[]string{"protected accounts (the bridge never reads or writes them):\n    keeper@contoso.example: in Hector (id 1, managed (external_id set), active, role admin)\n    ghost@contoso.example: WARNING: Hector has no such user; a typo protects no one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := scimCheck(t, e, tt.key, tt.scim, tt.protect...)
			if (err == nil) != tt.ok {
				t.Errorf("got error %v, want ok %v; output:\n%s", err, tt.ok, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, secret := range []string{Token, APIKey, "second-token-0123456789"} {
				if strings.Contains(out, secret) {
					t.Errorf("output holds a secret")
				}
			}
		})
	}
}
