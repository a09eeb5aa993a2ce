package caddymodule

import (
	"fmt"
	"strconv"
	"strings"

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
//			retries <n>                       # default 5; 0 = none
//			rate <requests/s>                 # default 40; 0 = no limit
//			burst <n>                         # calls at once after a pause; default: the rate, at least 1
//			max_in_flight <n>                 # default 16
//		}
//		roles {
//			<role> ["<group>[;<group>…]"]     # highest first; a group is a display name or id:<externalId>
//		}
//		default_role <role>
//		overwrite_roles
//		protect <username>…                   # repeatable; accounts SCIM never sees or touches
//		on_delete deactivate|delete           # default deactivate
//		max_filter_scan <n>                   # default 10000
//		max_body <size>                       # default 1MiB
//		deadline <duration>                   # default 50s
//		user_field <hector field> <scim attribute>…  # repeatable; not role, status, id, groups, created_at, updated_at
//		auth_failure_limit <n> <window>       # default 10 1m, per client address; then 429 for wrong tokens
//		dry_run                               # reads only; writes are logged, not sent
//		log_personal_data                     # personal values on log lines at info
//	}
//
// Every option but token, token_sha256, user_field and protect may appear
// once. A literal token (one without a placeholder) is checked here,
// naming its line; a placeholder is checked when the config is loaded.
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

var repeatable = map[string]bool{"token": true, "token_sha256": true, "user_field": true, "protect": true}

var optionParsers = map[string]func(*Handler, *caddyfile.Dispenser) error{
	"base_path":          parseBasePath,
	"tenant":             parseTenant,
	"token":              parseToken,
	"token_sha256":       parseToken,
	"legacy":             parseLegacy,
	"roles":              parseRoles,
	"default_role":       parseDefaultRole,
	"overwrite_roles":    parseOverwriteRoles,
	"protect":            parseProtect,
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
	if err := checkUserField(l); err != nil {
		return d.WrapErr(err)
	}
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
