package caddymodule

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/caddyconfig/httpcaddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"github.com/dustin/go-humanize"

	"github.com/hector-scim/hector-scim/translate"
)

func init() {
	httpcaddyfile.RegisterHandlerDirective("scim", parseCaddyfile)
	httpcaddyfile.RegisterDirectiveOrder("scim", httpcaddyfile.Before, "respond")
}

func parseCaddyfile(h httpcaddyfile.Helper) (caddyhttp.MiddlewareHandler, error) {
	s := new(Handler)
	if err := s.UnmarshalCaddyfile(h.Dispenser); err != nil {
		return nil, err
	}
	return s, s.checkComplete()
}

// UnmarshalCaddyfile sets up the handler from Caddyfile tokens. Syntax:
//
//	scim {
//		tenant <name>                         # names this endpoint in metrics and logs
//		base_path <path>                      # default /scim/v2
//		token <secret> [{ expires <RFC 3339> }]  # repeatable
//		token_sha256 <hex> [{ expires <RFC 3339> }]  # repeatable
//		legacy <base URL> {
//			api_key <key>
//			timeout <duration>                # per attempt, default 15s
//			retries <n>                       # default 5
//			rate <requests/s>                 # default 40; 0 = no limit
//			max_in_flight <n>                 # default 16
//		}
//		roles {
//			<role> ["<group>[;<group>…]"]     # highest first
//		}
//		default_role <role>
//		overwrite_roles
//		on_delete deactivate|delete           # default deactivate
//		max_filter_scan <n>                   # default 10000
//		max_body <size>                       # default 1MiB
//		deadline <duration>                   # default 50s
//		user_field <hector field> <scim attribute>…  # repeatable
//		auth_failure_limit <n> <window>       # default 10 1m, per client address
//		dry_run                               # reads only; writes are logged, not sent
//		log_personal_data                     # personal values in audit lines at info
//	}
//
// Every option but token, token_sha256 and user_field may appear once.
func (h *Handler) UnmarshalCaddyfile(d *caddyfile.Dispenser) error {
	d.Next() // the directive name
	if d.NextArg() {
		return d.ArgErr()
	}
	blockLine := d.Line()
	seen := map[string]bool{}
	tokenLine := 0
	for d.NextBlock(0) {
		name := d.Val()
		if name == "token" || name == "token_sha256" {
			tokenLine = d.Line()
		}
		parse, ok := optionParsers[name]
		if !ok {
			return d.Errf("unrecognized scim option %q", name)
		}
		if !repeatable[name] && seen[name] {
			return d.Errf("scim option %q given twice", name)
		}
		seen[name] = true
		if err := parse(h, d); err != nil {
			return err
		}
	}
	h.at = fmt.Sprintf("%s:%d", d.File(), blockLine)
	return h.checkTokens(d, tokenLine)
}

// checkComplete refuses a scim block that lacks what every endpoint
// needs, naming the block's line.
func (h *Handler) checkComplete() error {
	switch {
	case h.Legacy.URL == "":
		return fmt.Errorf("scim: a `legacy <url> { api_key … }` block is required, at %s", h.at)
	case len(h.Tokens) == 0:
		return fmt.Errorf("scim: at least one token or token_sha256 is required, at %s", h.at)
	}
	return nil
}

var repeatable = map[string]bool{"token": true, "token_sha256": true, "user_field": true}

var optionParsers = map[string]func(*Handler, *caddyfile.Dispenser) error{
	"base_path":          parseBasePath,
	"tenant":             parseTenant,
	"token":              parseToken,
	"token_sha256":       parseToken,
	"legacy":             parseLegacy,
	"roles":              parseRoles,
	"default_role":       parseDefaultRole,
	"overwrite_roles":    parseOverwriteRoles,
	"on_delete":          parseOnDelete,
	"max_filter_scan":    parseMaxFilterScan,
	"max_body":           parseMaxBody,
	"deadline":           parseDeadline,
	"user_field":         parseUserField,
	"auth_failure_limit": parseAuthFailureLimit,
	"dry_run":            func(h *Handler, d *caddyfile.Dispenser) error { return parseFlag(d, &h.DryRun) },
	"log_personal_data":  func(h *Handler, d *caddyfile.Dispenser) error { return parseFlag(d, &h.LogPersonalData) },
}

// parseFlag reads an option that takes no argument.
func parseFlag(d *caddyfile.Dispenser, v *bool) error {
	if d.NextArg() {
		return d.ArgErr()
	}
	*v = true
	return nil
}

// oneArg reads exactly one argument of the current option.
func oneArg(d *caddyfile.Dispenser) (string, error) {
	if !d.NextArg() {
		return "", d.ArgErr()
	}
	v := d.Val()
	if d.NextArg() {
		return "", d.ArgErr()
	}
	return v, nil
}

func parseBasePath(h *Handler, d *caddyfile.Dispenser) error {
	v, err := oneArg(d)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(v, "/") {
		return d.Errf("base_path must start with /: %q", v)
	}
	h.BasePath = v
	return nil
}

func parseToken(h *Handler, d *caddyfile.Dispenser) error {
	kind := d.Val()
	v, err := oneArg(d)
	if err != nil {
		return err
	}
	t := Token{Secret: v}
	if kind == "token_sha256" {
		t = Token{SHA256: v}
		if len(v) != 64 || strings.Trim(strings.ToLower(v), "0123456789abcdef") != "" {
			return d.Errf("token_sha256 must be 64 hex digits")
		}
	}
	for d.NextBlock(1) {
		if d.Val() != "expires" {
			return d.Errf("unrecognized %s option %q", kind, d.Val())
		}
		if t.Expires != "" {
			return d.Errf("expires given twice")
		}
		exp, err := oneArg(d)
		if err != nil {
			return err
		}
		if _, err := time.Parse(time.RFC3339, exp); err != nil {
			return d.Errf("expires must be an RFC 3339 time such as 2027-02-06T00:00:00Z: %q", exp)
		}
		t.Expires = exp
	}
	for _, old := range h.Tokens {
		if (t.Secret != "" && old.Secret == t.Secret) || (t.SHA256 != "" && strings.EqualFold(old.SHA256, t.SHA256)) {
			return d.Errf("duplicate %s", kind)
		}
	}
	h.Tokens = append(h.Tokens, t)
	return nil
}

// checkTokens refuses a configuration whose every token has expired,
// naming the line of the last token.
func (h *Handler) checkTokens(d *caddyfile.Dispenser, line int) error {
	if len(h.Tokens) == 0 {
		return nil
	}
	for _, t := range h.Tokens {
		exp, err := time.Parse(time.RFC3339, t.Expires)
		if t.Expires == "" || err != nil || exp.After(time.Now()) {
			return nil
		}
	}
	return fmt.Errorf("every scim token has expired: add a new token, at %s:%d", d.File(), line)
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
				if g = strings.TrimSpace(g); g != "" {
					r.Groups = append(r.Groups, g)
				}
			}
		}
		h.Roles = append(h.Roles, r)
	}
	return nil
}

func parseDefaultRole(h *Handler, d *caddyfile.Dispenser) error {
	v, err := oneArg(d)
	h.DefaultRole = v
	return err
}

func parseOverwriteRoles(h *Handler, d *caddyfile.Dispenser) error {
	return parseFlag(d, &h.OverwriteRoles)
}

func parseOnDelete(h *Handler, d *caddyfile.Dispenser) error {
	v, err := oneArg(d)
	if err != nil {
		return err
	}
	if v != "deactivate" && v != "delete" {
		return d.Errf("on_delete must be deactivate or delete: %q", v)
	}
	h.OnDelete = v
	return nil
}

func parseMaxFilterScan(h *Handler, d *caddyfile.Dispenser) error {
	v, err := oneArg(d)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return d.Errf("max_filter_scan must be a positive integer: %q", v)
	}
	h.MaxFilterScan = n
	return nil
}

func parseMaxBody(h *Handler, d *caddyfile.Dispenser) error {
	v, err := oneArg(d)
	if err != nil {
		return err
	}
	n, err := humanize.ParseBytes(v)
	if err != nil || n < 1024 || n > 1<<30 {
		return d.Errf("max_body must be a size from 1KiB to 1GiB (e.g. 1MiB): %q", v)
	}
	h.MaxBody = int64(n)
	return nil
}

func parseDeadline(h *Handler, d *caddyfile.Dispenser) error {
	v, err := oneArg(d)
	if err != nil {
		return err
	}
	dur, err := caddy.ParseDuration(v)
	if err != nil || dur <= 0 {
		return d.Errf("deadline must be a positive duration: %q", v)
	}
	h.Deadline = caddy.Duration(dur)
	return nil
}

func parseUserField(h *Handler, d *caddyfile.Dispenser) error {
	args := d.RemainingArgs()
	if len(args) < 2 {
		return d.ArgErr()
	}
	l := translate.Line{Field: args[0], Sources: args[1:]}
	if _, err := translate.NewMapping([]translate.Line{l}); err != nil {
		return d.Errf("user_field: %v", err)
	}
	for _, old := range h.UserFields {
		if old.Field == l.Field {
			return d.Errf("user_field %q given twice", l.Field)
		}
	}
	h.UserFields = append(h.UserFields, l)
	return nil
}

// Interface guard.
var _ caddyfile.Unmarshaler = (*Handler)(nil)

func parseAuthFailureLimit(h *Handler, d *caddyfile.Dispenser) error {
	args := d.RemainingArgs()
	if len(args) != 2 {
		return d.ArgErr()
	}
	n, err := strconv.Atoi(args[0])
	if err != nil || n < 1 {
		return d.Errf("auth_failure_limit: the number of failures must be a positive integer: %q", args[0])
	}
	window, err := caddy.ParseDuration(args[1])
	if err != nil || window <= 0 {
		return d.Errf("auth_failure_limit: the window must be a positive duration: %q", args[1])
	}
	h.AuthFailures, h.AuthFailureWindow = n, caddy.Duration(window)
	return nil
}

func parseTenant(h *Handler, d *caddyfile.Dispenser) error {
	v, err := oneArg(d)
	h.Tenant = v
	return err
}
