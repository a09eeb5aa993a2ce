package caddymodule

import (
	"io"
	"net/http"
	"sync"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/caddyconfig/httpcaddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

func init() {
	caddy.RegisterModule(Health{})
	httpcaddyfile.RegisterHandlerDirective("scim_health", parseHealthCaddyfile)
	httpcaddyfile.RegisterDirectiveOrder("scim_health", httpcaddyfile.Before, "respond")
}

// Health answers a health check (a Kubernetes readiness probe, a load
// balancer's check) for the process: 200 while at least one scim handler
// is provisioned in it, 503 otherwise. It makes no Hector call, on purpose:
// when Hector is down every replica must stay in rotation, so that the IdP
// gets 503 with Retry-After rather than a connection error.
type Health struct {
	set *handlerSet // default: the process's provisioned handlers
}

// CaddyModule returns the Caddy module information.
func (Health) CaddyModule() caddy.ModuleInfo {
	return caddy.ModuleInfo{
		ID:  "http.handlers.scim_health",
		New: func() caddy.Module { return new(Health) },
	}
}

// Provision points the handler at the process's provisioned scim handlers.
func (hh *Health) Provision(caddy.Context) error {
	if hh.set == nil {
		hh.set = &provisioned
	}
	return nil
}

// ServeHTTP answers 200 "ok" or 503, in plain text; it never calls next.
func (hh *Health) ServeHTTP(w http.ResponseWriter, _ *http.Request, _ caddyhttp.Handler) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if hh.set.len() == 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, err := io.WriteString(w, "no scim handler is provisioned\n")
		return err
	}
	_, err := io.WriteString(w, "ok\n")
	return err
}

// UnmarshalCaddyfile sets up the handler from Caddyfile tokens. Syntax:
//
//	scim_health [<matcher>]
//
// It takes no argument and no block.
func (hh *Health) UnmarshalCaddyfile(d *caddyfile.Dispenser) error {
	d.Next() // the directive name
	if d.NextArg() {
		return d.ArgErr()
	}
	if d.NextBlock(0) {
		return d.Errf("scim_health takes no block")
	}
	return nil
}

func parseHealthCaddyfile(h httpcaddyfile.Helper) (caddyhttp.MiddlewareHandler, error) {
	hh := new(Health)
	return hh, hh.UnmarshalCaddyfile(h.Dispenser)
}

// provisioned holds the scim handlers provisioned and not yet cleaned up
// in this process. It is the one piece of process-wide state: health is a
// property of the process, not of one configuration. During a reload the
// old and the new configuration's handlers overlap, and a set keyed by
// instance stays right through it; a Cleanup after a failed Provision
// removes nothing.
var provisioned = handlerSet{m: map[*Handler]struct{}{}}

// markProvisioned records a scim handler as provisioned; Provision calls
// it last, once nothing can fail any more.
func markProvisioned(h *Handler) { provisioned.add(h) }

// markCleanedUp forgets a scim handler; Cleanup calls it. It is a no-op for
// a handler that was never marked (a failed Provision).
func markCleanedUp(h *Handler) { provisioned.remove(h) }

// handlerSet is a set of scim handlers, safe for concurrent use.
type handlerSet struct {
	mu sync.Mutex
	m  map[*Handler]struct{}
}

func (s *handlerSet) add(h *Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[h] = struct{}{}
}

func (s *handlerSet) remove(h *Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, h)
}

func (s *handlerSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// Interface guards.
var (
	_ caddy.Provisioner           = (*Health)(nil)
	_ caddyhttp.MiddlewareHandler = (*Health)(nil)
	_ caddyfile.Unmarshaler       = (*Health)(nil)
)
