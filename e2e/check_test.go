package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// scimCheck runs `hector-scim scim-check` on a Caddyfile whose scim block
// has the given lines, against the test's simulator.
func scimCheck(t *testing.T, e *env, key, scim string) (string, error) {
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
	cmd := exec.Command(binary, "scim-check", "--config", path)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir, "E2E_SCIM_TOKEN="+Token)
	var out strings.Builder
	cmd.Stdout = &out
	err := cmd.Run()
	return out.String(), err
}

// TestScimCheck: the pre-flight check passes on a good configuration and
// fails, saying why, on a wrong API key or a role Hector does not know;
// it prints the mapping and each token's expiry, never a secret.
func TestScimCheck(t *testing.T) {
	e := newEnv(t, options{})
	soon := time.Now().Add(10 * 24 * time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name, key, scim string
		ok              bool
		want            []string
	}{
		{"good", APIKey, guideRoles + "\n\t\t\ttoken second-token-0123456789 {\n\t\t\t\texpires " + soon + "\n\t\t\t}", true,
			[]string{"API key accepted", "token 1: never expires", "token 2: expires " + soon + " (in 9 days) — add a new token now", "email        ← emails[type eq \"work\"].value", "OK: ready to go live"}},
		{"wrong API key", "not-the-key", "", false, []string{"PROBLEM: Hector at " + e.simURL, "401"}},
		{"unknown role", APIKey, "roles {\n\t\t\t\twizard hector_wizards\n\t\t\t}", false, []string{`PROBLEM: role "wizard" is configured but Hector does not know it`}},
		{"mapping override shown", APIKey, "user_field locale locale", true, []string{"locale       ← locale"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := scimCheck(t, e, tt.key, tt.scim)
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
