package e2e

import (
	"debug/buildinfo"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// run runs the binary with args and returns its standard output.
func run(t *testing.T, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("hector-scim %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// TestVersion: `hector-scim version` and `--version` name hector-scim's
// version and revision, as the binary's build information holds them,
// beside Caddy's.
func TestVersion(t *testing.T) {
	bi, err := buildinfo.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	want := "hector-scim " + bi.Main.Version + ", revision "
	revision, modified := "unknown", ""
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision":
			revision = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			modified = " (modified)"
		}
	}
	want += revision + modified + "; Caddy "
	for _, d := range bi.Deps {
		if d.Path == "github.com/caddyserver/caddy/v2" {
			want += d.Version + " " + d.Sum + "\n"
		}
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		if got := run(t, args...); got != want {
			t.Errorf("hector-scim %s: got %q, want %q", args[0], got, want)
		}
	}
}

// TestHelpNamesTheBinary: usage lines say hector-scim, not caddy.
func TestHelpNamesTheBinary(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "scim-check"}, "\n  hector-scim scim-check --config <path> [--adapter <name>] [flags]\n"},
		{[]string{"help", "run"}, "\n  hector-scim run "},
		{[]string{"help"}, "\n  hector-scim [command]\n"},
	} {
		got := run(t, tt.args...)
		if !strings.Contains(got, tt.want) {
			t.Errorf("hector-scim %s: got\n%s\nwant it to contain %q", strings.Join(tt.args, " "), got, tt.want)
		}
		if strings.Contains(got, "\n  caddy ") {
			t.Errorf("hector-scim %s: got a usage line naming caddy:\n%s", strings.Join(tt.args, " "), got)
		}
	}
}
