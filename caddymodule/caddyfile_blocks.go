package caddymodule

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"

	"github.com/hector-scim/hector-scim/translate"
)

func parseToken(h *Handler, d *caddyfile.Dispenser) error {
	kind := d.Val()
	v, err := oneArg(d)
	if err != nil {
		return err
	}
	t := Token{Secret: v}
	if kind == "token_sha256" {
		t = Token{SHA256: v}
	}
	if err := adaptTokenRules(h.Tokens).check(t); err != nil {
		return d.WrapErr(err)
	}
	for d.NextBlock(1) {
		if d.Val() != "expires" {
			return d.Errf("unrecognized %s option %q", kind, d.Val())
		}
		if t.Expires != "" {
			return d.Errf("expires given twice")
		}
		if t.Expires, err = oneArg(d); err != nil {
			return err
		}
		if _, err := parseExpiry(t.Expires); err != nil {
			return d.WrapErr(err)
		}
	}
	h.Tokens = append(h.Tokens, t)
	return nil
}

// adaptRules are the token rules as the Caddyfile adapter applies them.
type adaptRules struct{ *tokenRules }

// adaptTokenRules returns the rules with the tokens parsed so far already
// seen, so that a duplicate is found.
func adaptTokenRules(earlier []Token) adaptRules {
	r := adaptRules{newTokenRules(time.Now())}
	for _, t := range earlier {
		_ = r.check(t) // already checked when parsed
	}
	return r
}

// check applies the rules to what can be known of t before its
// placeholders are expanded: a literal secret, a digest; then its expiry.
func (r adaptRules) check(t Token) error {
	var sum [sha256.Size]byte
	var err error
	switch {
	case t.SHA256 != "":
		sum, err = r.sha256(t.SHA256)
	case !hasPlaceholder(t.Secret):
		sum, err = r.secret(t.Secret)
	}
	if err != nil {
		return err
	}
	if sum != ([sha256.Size]byte{}) {
		if err := r.unique(sum); err != nil {
			return err
		}
	}
	_, err = r.expiry(t.Expires)
	return err
}

// hasPlaceholder reports whether a value holds a runtime placeholder such
// as {env.SCIM_TOKEN} or {file./run/secrets/token}, expanded only when the
// config is loaded.
func hasPlaceholder(v string) bool { return strings.Contains(v, "{") }

// checkTokens refuses a configuration whose every token has expired,
// naming the line of the last token.
func (h *Handler) checkTokens(d *caddyfile.Dispenser, line int) error {
	r := adaptTokenRules(h.Tokens)
	if err := r.done(); err != nil {
		return fmt.Errorf("%w, at %s:%d", err, d.File(), line)
	}
	return nil
}

func parseLegacy(h *Handler, d *caddyfile.Dispenser) error {
	v, err := oneArg(d)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(v, "{") && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
		return d.Errf("legacy URL must start with http:// or https://: %q", v)
	}
	h.Legacy.URL = v
	seen := map[string]bool{}
	for d.NextBlock(1) {
		name := d.Val()
		if seen[name] {
			return d.Errf("legacy option %q given twice", name)
		}
		seen[name] = true
		if err := parseLegacyOption(&h.Legacy, name, d); err != nil {
			return err
		}
	}
	return nil
}

func parseLegacyOption(l *Legacy, name string, d *caddyfile.Dispenser) error {
	v, err := oneArg(d)
	if err != nil {
		return err
	}
	switch name {
	case "api_key":
		l.APIKey = v
	case "timeout":
		dur, err := caddy.ParseDuration(v)
		if err != nil || dur <= 0 {
			return d.Errf("timeout must be a positive duration: %q", v)
		}
		l.Timeout = caddy.Duration(dur)
	case "retries":
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 20 {
			return d.Errf("retries must be an integer from 0 to 20: %q", v)
		}
		l.Retries = &n
	case "rate":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 {
			return d.Errf("rate must be a number of requests a second, 0 or more: %q", v)
		}
		l.Rate = &f
	case "burst":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return d.Errf("burst must be a positive integer: %q", v)
		}
		l.Burst = n
	case "max_in_flight":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return d.Errf("max_in_flight must be a positive integer: %q", v)
		}
		l.MaxInFlight = n
	default:
		return d.Errf("unrecognized legacy option %q", name)
	}
	return nil
}

func parseRoles(h *Handler, d *caddyfile.Dispenser) error {
	if d.NextArg() {
		return d.ArgErr()
	}
	for d.NextBlock(1) {
		r := Role{Name: d.Val()}
		for _, existing := range h.Roles {
			if existing.Name == r.Name {
				return d.Errf("role %q listed twice", r.Name)
			}
		}
		args := d.RemainingArgs()
		if len(args) > 1 {
			return d.Errf("role %q: separate several groups with ';' in one argument, quoted when a name has spaces", r.Name)
		}
		if len(args) == 1 {
			for _, g := range strings.Split(args[0], ";") {
				if g = strings.TrimSpace(g); g == "" {
					continue
				}
				if id, ok := strings.CutPrefix(g, translate.GroupIDPrefix); ok && strings.TrimSpace(id) == "" {
					return d.Errf("role %q: %q names no group: write id:<the IdP's group id>", r.Name, g)
				}
				r.Groups = append(r.Groups, g)
			}
		}
		h.Roles = append(h.Roles, r)
	}
	return nil
}
