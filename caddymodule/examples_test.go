package caddymodule

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
	_ "github.com/caddyserver/caddy/v2/modules/standard"

	_ "github.com/hector-scim/hector-scim/hectorsim/simcaddy"
)

// exampleCaddyfiles lists the Caddyfiles of examples/ and the production
// template at the repository root.
func exampleCaddyfiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join("..", "examples"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if !d.IsDir() && (name == "Caddyfile" || strings.HasSuffix(name, ".Caddyfile") || strings.HasSuffix(name, ".caddyfile")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walking examples: %v", err)
	}
	root := filepath.Join("..", "Caddyfile")
	if _, err := os.Stat(root); err == nil {
		files = append(files, root)
	}
	if len(files) == 0 {
		t.Fatal("examples: got no Caddyfile, want at least the demo")
	}
	return files
}

var (
	// {$NAME} or {$NAME:default}, expanded when the Caddyfile is adapted.
	adaptEnvRe = regexp.MustCompile(`\{\$([A-Za-z_][A-Za-z0-9_]*)(:[^}]*)?\}`)
	// {env.NAME}, expanded at provisioning.
	runtimeEnvRe = regexp.MustCompile(`\{env\.([A-Za-z_][A-Za-z0-9_]*)\}`)
)

// setExampleEnv gives every environment variable that a Caddyfile reads a
// plausible dummy value, except those with a default in the file, which are
// unset so that the default is what gets tested.
func setExampleEnv(t *testing.T, body []byte) {
	t.Helper()
	defaulted := map[string]bool{}
	needed := map[string]bool{}
	for _, m := range adaptEnvRe.FindAllSubmatch(body, -1) {
		if len(m[2]) > 0 {
			defaulted[string(m[1])] = true
		} else {
			needed[string(m[1])] = true
		}
	}
	for _, m := range runtimeEnvRe.FindAllSubmatch(body, -1) {
		needed[string(m[1])] = true
	}
	for name := range defaulted {
		if !needed[name] {
			t.Setenv(name, "") // restores the outer value after the test
			if err := os.Unsetenv(name); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name := range needed {
		t.Setenv(name, dummyEnvValue(name))
	}
}

// dummyEnvValue is a value of the right shape for an environment variable,
// judged by its name.
func dummyEnvValue(name string) string {
	switch n := strings.ToUpper(name); {
	case strings.Contains(n, "URL"):
		return "http://127.0.0.1:9/api/v1"
	case strings.Contains(n, "EXPIRES"):
		return "2099-01-01T00:00:00Z"
	case strings.Contains(n, "PORT"):
		return "8080"
	case strings.Contains(n, "ADDRESS"):
		return ":8080"
	default: // tokens, keys: at least 16 characters
		return "dummy-" + strings.ToLower(n) + "-0123456789abcdef"
	}
}

// TestExamples adapts every example Caddyfile and validates the result as
// `caddy validate` does: every module is provisioned and validated, nothing
// listens.
func TestExamples(t *testing.T) {
	for _, file := range exampleCaddyfiles(t) {
		t.Run(filepath.ToSlash(file), func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			setExampleEnv(t, body)
			// log files go to a temporary directory, not /var/log
			body = logFileRe.ReplaceAll(body, []byte("output file "+filepath.Join(t.TempDir(), "$1")))
			adapted := adaptCaddyfile(t, file, body)
			var cfg caddy.Config
			if err := json.Unmarshal(adapted, &cfg); err != nil {
				t.Fatalf("decoding adapted config: %v", err)
			}
			if cfg.StorageRaw == nil {
				// keep certificate storage out of the user's home directory
				cfg.StorageRaw = json.RawMessage(`{"module":"file_system","root":` + jsonString(t, t.TempDir()) + `}`)
			}
			if err := caddy.Validate(&cfg); err != nil {
				t.Errorf("validate %s: got error %v, want none", file, err)
			}
		})
	}
}

// adaptExample adapts an example Caddyfile as TestExamples does and
// decodes the JSON config.
func adaptExample(t *testing.T, file string) map[string]any {
	t.Helper()
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	setExampleEnv(t, body)
	var cfg map[string]any
	if err := json.Unmarshal(adaptCaddyfile(t, file, body), &cfg); err != nil {
		t.Fatalf("decoding adapted config: %v", err)
	}
	return cfg
}

// scimServers returns the HTTP servers of a config that serve scim.
func scimServers(cfg map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	servers, _ := dig(cfg, "apps", "http", "servers").(map[string]any)
	for name, s := range servers {
		if b, _ := json.Marshal(s); strings.Contains(string(b), `"handler":"scim"`) {
			out[name] = s.(map[string]any)
		}
	}
	return out
}

// dig walks nested JSON objects.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// TestExamplesAccessLog: every example server that serves scim turns on
// Caddy's access log (it carries the SCIM fields of each request), and
// every logger it writes to deletes the filter query parameter (user
// names, emails) from the logged URI; the demo's simulator, whose
// requests carry the API key, is left out of it.
func TestExamplesAccessLog(t *testing.T) {
	for _, file := range exampleCaddyfiles(t) {
		t.Run(filepath.ToSlash(file), func(t *testing.T) {
			cfg := adaptExample(t, file)
			for name, srv := range scimServers(cfg) {
				logs, ok := srv["logs"].(map[string]any)
				if !ok {
					t.Errorf("server %s: got no access log, want `log` on", name)
					continue
				}
				var loggers []string
				if n, ok := logs["default_logger_name"].(string); ok {
					loggers = append(loggers, n)
				}
				byHost, _ := logs["logger_names"].(map[string]any)
				for _, names := range byHost {
					for _, n := range names.([]any) {
						loggers = append(loggers, n.(string))
					}
				}
				// The simulator's requests carry the API key, which Caddy
				// does not redact.
				if b, _ := json.Marshal(srv); strings.Contains(string(b), `"handler":"hector_sim"`) && !strings.Contains(string(b), `"log_skip":true`) {
					t.Errorf("server %s: got the simulator's requests (X-Api-Key) in the access log, want log_skip", name)
				}
				if len(loggers) == 0 {
					t.Errorf("server %s: got access logs to Caddy's default logger, want a `log` block deleting the filter", name)
				}
				for _, n := range loggers {
					uri := dig(cfg, "logging", "logs", n, "encoder", "fields", "request>uri")
					b, _ := json.Marshal(uri)
					if !strings.Contains(string(b), `"filter":"query"`) || !strings.Contains(string(b), `{"parameter":"filter","type":"delete"}`) {
						t.Errorf("server %s, logger %s: got request>uri filter %s, want the query filter deleting filter", name, n, b)
					}
				}
			}
		})
	}
}

// TestExamplesBehindAProxy: the examples that sit behind a proxy or load
// balancer (deploy/, multi-tenant/) tell Caddy its addresses with
// trusted_proxies and take the client's address from the right-most
// untrusted X-Forwarded-For entry (trusted_proxies_strict), so that a
// client cannot steer the failure limit onto another address; and no
// example trusts the forgeable left-most entry.
func TestExamplesBehindAProxy(t *testing.T) {
	for _, file := range exampleCaddyfiles(t) {
		slash := filepath.ToSlash(file)
		behind := strings.Contains(slash, "/deploy/") || strings.Contains(slash, "/multi-tenant/")
		t.Run(slash, func(t *testing.T) {
			for name, srv := range scimServers(adaptExample(t, file)) {
				trusted := srv["trusted_proxies"] != nil
				strict, _ := srv["trusted_proxies_strict"].(float64)
				if behind && !trusted {
					t.Errorf("server %s: got no trusted_proxies, want the proxy's ranges", name)
				}
				if trusted && strict == 0 {
					t.Errorf("server %s: got trusted_proxies without trusted_proxies_strict, want strict", name)
				}
			}
		})
	}
}

// logFileRe finds `output file <path>` log outputs; $1 is the file name.
var logFileRe = regexp.MustCompile(`output file \S*/([^/\s]+)`)

func jsonString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
