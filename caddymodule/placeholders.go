package caddymodule

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/caddyserver/caddy/v2"
)

// This file finds every unset placeholder of a configuration, for
// scim-check: loading stops at the first one, and a Caddyfile's {$VAR}
// left unset does not even fail where it is, but where its empty value
// breaks a directive.

// unsetPlaceholder is one placeholder without a value, and where it is.
type unsetPlaceholder struct {
	placeholder, where string
}

// envVar matches a Caddyfile environment variable, {$NAME} or
// {$NAME:default}.
var envVar = regexp.MustCompile(`\{\$([^{}:\s]+)(:[^{}]*)?\}`)

// unsetInCaddyfile reads a Caddyfile's text. env lists its {$NAME} that
// are unset and have no default: Caddy reads them as empty when it adapts
// the file. runtime lists its {env.NAME} and {file.path} without a value,
// for when the file does not load and no handler can be checked. Comments
// are left out; a file that is not a Caddyfile (JSON) has neither.
func unsetInCaddyfile(path, adapter string) (env, runtime []unsetPlaceholder, err error) {
	if adapter != "" && adapter != "caddyfile" || strings.EqualFold(filepath.Ext(path), ".json") {
		return nil, nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	repl := caddy.NewReplacer()
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, len(b)+1)
	for line := 1; sc.Scan(); line++ {
		text, where := uncomment(sc.Text()), fmt.Sprintf("%s:%d", path, line)
		for _, m := range envVar.FindAllStringSubmatch(text, -1) {
			if _, ok := os.LookupEnv(m[1]); !ok && m[2] == "" {
				env = append(env, unsetPlaceholder{m[0], where})
			}
		}
		for _, ph := range runtimePlaceholder.FindAllString(text, -1) {
			if strings.HasPrefix(ph, "{env.") || strings.HasPrefix(ph, "{file.") {
				if _, err := repl.ReplaceOrErr(ph, true, true); err != nil {
					runtime = append(runtime, unsetPlaceholder{ph, where})
				}
			}
		}
	}
	return env, runtime, sc.Err()
}

// uncomment drops a Caddyfile comment: from a # that starts a token.
func uncomment(line string) string {
	for i, c := range line {
		if c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}

// runtimePlaceholder matches a placeholder expanded when the handler is
// provisioned, such as {env.SCIM_TOKEN} or {file./run/secrets/key}.
var runtimePlaceholder = regexp.MustCompile(`\{[A-Za-z][^{}\s]*\}`)

// unsetPlaceholders lists the placeholders of the values the handler
// expands when it is provisioned (the tokens, the legacy URL and API key)
// that are unset or empty, every one of them.
func (h *Handler) unsetPlaceholders(repl *caddy.Replacer) []unsetPlaceholder {
	var out []unsetPlaceholder
	for _, v := range h.expandedValues() {
		for _, ph := range runtimePlaceholder.FindAllString(v.value, -1) {
			if _, err := repl.ReplaceOrErr(ph, true, true); err != nil {
				out = append(out, unsetPlaceholder{ph, v.name})
			}
		}
	}
	return out
}

type namedValue struct{ name, value string }

// expandedValues are the configured values the handler expands
// placeholders in, by name.
func (h *Handler) expandedValues() []namedValue {
	var out []namedValue
	for i, t := range h.Tokens {
		out = append(out, namedValue{fmt.Sprintf("token %d", i+1), t.Secret})
	}
	return append(out, namedValue{"legacy url", h.Legacy.URL}, namedValue{"legacy api_key", h.Legacy.APIKey})
}

// hasUnset reports whether the value named name holds one of unset.
func hasUnset(unset []unsetPlaceholder, name string) bool {
	for _, u := range unset {
		if u.where == name {
			return true
		}
	}
	return false
}
