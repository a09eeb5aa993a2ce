package simcaddy

import (
	"strconv"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/caddyconfig/httpcaddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

func init() {
	httpcaddyfile.RegisterHandlerDirective("hector_sim", parseCaddyfile)
	httpcaddyfile.RegisterDirectiveOrder("hector_sim", httpcaddyfile.Before, "respond")
}

// parseCaddyfile sets up the handler from Caddyfile tokens.
func parseCaddyfile(h httpcaddyfile.Helper) (caddyhttp.MiddlewareHandler, error) {
	sim := new(Handler)
	err := sim.UnmarshalCaddyfile(h.Dispenser)
	return sim, err
}

// UnmarshalCaddyfile sets up the handler from Caddyfile tokens. Syntax:
//
//	hector_sim {
//	    api_key <key>
//	    rate <requests a second; 0 = unlimited>
//	    burst <size>
//	    latency <duration>
//	    fault_rate <0..1>
//	    ambiguous_post_rate <0..1>
//	    data_file <path>
//	    roles <role>...
//	    default_role <role>
//	}
//
// api_key is required; every other sub-directive is optional and may appear
// once. Mount it with handle_path to serve the API under a prefix:
//
//	handle_path /api/v1/* {
//	    hector_sim {
//	        api_key {$HECTOR_API_KEY}
//	    }
//	}
func (h *Handler) UnmarshalCaddyfile(d *caddyfile.Dispenser) error {
	d.Next() // the directive name
	if d.NextArg() {
		return d.ArgErr()
	}
	seen := make(map[string]bool)
	for d.NextBlock(0) {
		name := d.Val()
		parse, ok := subdirectives[name]
		if !ok {
			return d.Errf("unrecognized hector_sim subdirective '%s'", name)
		}
		if seen[name] {
			return d.Errf("duplicate hector_sim subdirective '%s'", name)
		}
		seen[name] = true
		if err := parse(h, d); err != nil {
			return err
		}
	}
	return nil
}

// subdirectives parse one line of the hector_sim block each; the
// dispenser is on the sub-directive name.
var subdirectives = map[string]func(*Handler, *caddyfile.Dispenser) error{
	"api_key":             func(h *Handler, d *caddyfile.Dispenser) error { return oneArg(d, &h.APIKey) },
	"data_file":           func(h *Handler, d *caddyfile.Dispenser) error { return oneArg(d, &h.DataFile) },
	"default_role":        func(h *Handler, d *caddyfile.Dispenser) error { return oneArg(d, &h.DefaultRole) },
	"rate":                parseRate,
	"burst":               parseBurst,
	"latency":             parseLatency,
	"fault_rate":          func(h *Handler, d *caddyfile.Dispenser) error { return parseFraction(d, &h.FaultRate) },
	"ambiguous_post_rate": func(h *Handler, d *caddyfile.Dispenser) error { return parseFraction(d, &h.AmbiguousPostRate) },
	"roles":               parseRoles,
}

// oneArg reads exactly one argument into dst.
func oneArg(d *caddyfile.Dispenser, dst *string) error {
	if !d.NextArg() {
		return d.ArgErr()
	}
	*dst = d.Val()
	if d.NextArg() {
		return d.ArgErr()
	}
	return nil
}

func parseRate(h *Handler, d *caddyfile.Dispenser) error {
	var s string
	if err := oneArg(d, &s); err != nil {
		return err
	}
	r, err := strconv.ParseFloat(s, 64)
	if err != nil || !(r >= 0) {
		return d.Errf("rate must be a non-negative number of requests a second, got '%s'", s)
	}
	h.Rate = &r
	return nil
}

func parseBurst(h *Handler, d *caddyfile.Dispenser) error {
	var s string
	if err := oneArg(d, &s); err != nil {
		return err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return d.Errf("burst must be a non-negative integer, got '%s'", s)
	}
	h.Burst = n
	return nil
}

func parseLatency(h *Handler, d *caddyfile.Dispenser) error {
	var s string
	if err := oneArg(d, &s); err != nil {
		return err
	}
	dur, err := caddy.ParseDuration(s)
	if err != nil || dur < 0 {
		return d.Errf("latency must be a non-negative duration, got '%s'", s)
	}
	h.Latency = caddy.Duration(dur)
	return nil
}

// parseFraction reads a number between 0 and 1 into dst.
func parseFraction(d *caddyfile.Dispenser, dst *float64) error {
	name := d.Val()
	var s string
	if err := oneArg(d, &s); err != nil {
		return err
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !isFraction(f) {
		return d.Errf("%s must be a number between 0 and 1, got '%s'", name, s)
	}
	*dst = f
	return nil
}

func parseRoles(h *Handler, d *caddyfile.Dispenser) error {
	h.Roles = d.RemainingArgs()
	if len(h.Roles) == 0 {
		return d.ArgErr()
	}
	return nil
}
