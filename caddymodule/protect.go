package caddymodule

import (
	"fmt"
	"strings"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
)

// parseProtect reads `protect <username>…`: accounts SCIM never sees or
// touches. It may be repeated; a username given twice (as Hector compares
// them) is an error.
func parseProtect(h *Handler, d *caddyfile.Dispenser) error {
	names := d.RemainingArgs()
	if len(names) == 0 {
		return d.ArgErr()
	}
	for _, name := range names {
		for _, old := range h.Protect {
			if strings.ToLower(old) == strings.ToLower(name) {
				return d.Errf("protect: %q given twice", name)
			}
		}
		h.Protect = append(h.Protect, name)
	}
	return nil
}

// protectList expands the placeholders of the protected usernames; one
// that expands to nothing (an unset variable) is an error, since it would
// leave an account unprotected.
func (h *Handler) protectList(repl *caddy.Replacer) ([]string, error) {
	out := make([]string, 0, len(h.Protect))
	for i, name := range h.Protect {
		v, err := repl.ReplaceOrErr(name, true, true)
		if err == nil && strings.TrimSpace(v) == "" {
			err = fmt.Errorf("it is empty")
		}
		if err != nil {
			return nil, fmt.Errorf("scim: protect entry %d: %w", i+1, err)
		}
		out = append(out, v)
	}
	return out, nil
}
