package caddymodule

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2/caddyconfig"
	_ "github.com/caddyserver/caddy/v2/caddyconfig/httpcaddyfile"
)

var updateGolden = flag.Bool("update", false, "rewrite the expected JSON of testdata/*.caddyfiletest")

// goldenSep separates the Caddyfile from the expected JSON in a
// .caddyfiletest file.
const goldenSep = "\n----------\n"

// adaptCaddyfile adapts a Caddyfile in process, as `caddy adapt` does, and
// fails the test on any error or warning (a warning is also given for a
// Caddyfile that `caddy fmt` would change).
func adaptCaddyfile(t *testing.T, filename string, body []byte) []byte {
	t.Helper()
	adapter := caddyconfig.GetAdapter("caddyfile")
	if adapter == nil {
		t.Fatal("caddyfile adapter: got none registered, want one")
	}
	out, warnings, err := adapter.Adapt(body, map[string]any{"filename": filename})
	if err != nil {
		t.Fatalf("adapt %s: got error %v, want none", filename, err)
	}
	for _, w := range warnings {
		t.Errorf("adapt %s: got warning %q, want none", filename, w.String())
	}
	return out
}

// indentJSON normalizes a JSON document for comparison.
func indentJSON(t *testing.T, name string, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, bytes.TrimSpace(b), "", "\t"); err != nil {
		t.Fatalf("%s: invalid JSON: %v", name, err)
	}
	return buf.String()
}

func TestAdaptGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.caddyfiletest"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("testdata: got no *.caddyfiletest files, want some")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".caddyfiletest"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			caddyfileText, wantJSON, ok := strings.Cut(string(data), goldenSep)
			if !ok {
				t.Fatalf("%s: got no %q separator line, want Caddyfile, separator, JSON", file, strings.TrimSpace(goldenSep))
			}
			got := indentJSON(t, "adapted config", adaptCaddyfile(t, "Caddyfile", []byte(caddyfileText+"\n")))
			if *updateGolden {
				if err := os.WriteFile(file, []byte(caddyfileText+goldenSep+got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := indentJSON(t, file, []byte(wantJSON)); got != want {
				t.Errorf("adapted %s:\ngot:\n%s\nwant:\n%s\n(run go test -run TestAdaptGolden -update to accept)", file, got, want)
			}
		})
	}
}

// TestAdaptIncompleteBlock: a scim block without a legacy block or without
// a token is refused when the Caddyfile is adapted, naming the block's
// line.
func TestAdaptIncompleteBlock(t *testing.T) {
	tests := []struct{ name, scim, want string }{
		{"no legacy block", "token abcdefghijklmnop0123", "a `legacy <url> { api_key … }` block is required, at Caddyfile:3"},
		{"no token", "legacy http://127.0.0.1:9 {\n\t\t\tapi_key k\n\t\t}", "at least one token or token_sha256 is required, at Caddyfile:3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := "http://127.0.0.1:9 {\n\troute /scim/v2/* {\n\t\tscim {\n\t\t" + tt.scim + "\n\t\t}\n\t}\n}\n"
			_, _, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(body), map[string]any{"filename": "Caddyfile"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
