package caddymodule

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/modules/caddyevents"
	"go.uber.org/zap"
)

// roleCheckTimeout bounds the start-up role check.
const roleCheckTimeout = 30 * time.Second

// rolesLister is what the start-up check needs of the legacy client.
type rolesLister interface {
	Roles(ctx context.Context) ([]string, error)
}

// roleCheck remembers whether the configured roles of a tenant and Hector
// URL were checked against Hector, so that a reload keeping them does not
// check them again. It is shared through the pool (rolesKey).
type roleCheck struct {
	mu      sync.Mutex
	running bool
	done    bool
}

// claim reports whether the caller should run the check: nobody has run it
// to its end, and nobody is running it.
func (c *roleCheck) claim() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done || c.running {
		return false
	}
	c.running = true
	return true
}

// finish ends a claimed run; a run that did not get Hector's roles
// (Hector unreachable, or the configuration unloaded first) leaves the
// check to the next configuration.
func (c *roleCheck) finish(done bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running, c.done = false, done
}

// startRoleCheck arranges for the configured roles to be checked against
// Hector once the configuration has started (Caddy's "started" event, which
// `caddy validate` never emits), once per tenant, Hector URL and set of
// roles. Outside a running configuration (no events app: tests), it runs
// at once. The check ends when ctx does.
func (h *Handler) startRoleCheck(ctx caddy.Context, client rolesLister, url string) error {
	names := h.configuredRoles()
	if len(names) == 0 {
		return nil
	}
	rc, err := loadShared(h, newRolesKey(h.Tenant, url, names), func() (*roleCheck, error) { return new(roleCheck), nil })
	if err != nil {
		return err
	}
	cfgCtx := ctx.Context // cancelled when the configuration unloads
	run := func() { go h.checkRoles(cfgCtx, client, rc, names) }
	app, err := ctx.AppIfConfigured("events")
	if err != nil {
		run()
		return nil
	}
	return app.(*caddyevents.App).On("started", eventFunc(func(context.Context, caddy.Event) error {
		run()
		return nil
	}))
}

// eventFunc is a caddyevents.Handler made of a function.
type eventFunc func(context.Context, caddy.Event) error

// Handle implements caddyevents.Handler.
func (f eventFunc) Handle(ctx context.Context, e caddy.Event) error { return f(ctx, e) }

// checkRoles compares the configured role names with Hector's GET /roles
// and logs an error for each role Hector does not know, unless another
// configuration did so already. It gives up when ctx is done.
func (h *Handler) checkRoles(ctx context.Context, client rolesLister, rc *roleCheck, names []string) {
	if !rc.claim() {
		return
	}
	callCtx, cancel := context.WithTimeout(ctx, roleCheckTimeout)
	defer cancel()
	known, err := client.Roles(callCtx)
	rc.finish(err == nil)
	if err != nil && ctx.Err() != nil {
		return // the configuration was unloaded: the next one checks
	}
	if err != nil {
		h.logger.Error("could not check the configured roles against Hector's GET /roles", zap.Error(err))
		return
	}
	for _, name := range unknownRoles(names, known) {
		h.logger.Error("configured role is not a Hector role; users cannot be given it",
			zap.String("role", name), zap.Strings("hector_roles", known))
	}
	h.logger.Info("configured roles checked against Hector", zap.Strings("roles", names))
}

// configuredRoles lists the role names of roles and default_role.
func (h *Handler) configuredRoles() []string {
	var names []string
	for _, r := range h.Roles {
		names = append(names, r.Name)
	}
	if h.DefaultRole != "" && !slices.Contains(names, h.DefaultRole) {
		names = append(names, h.DefaultRole)
	}
	return names
}

// Interface guard.
var _ caddyevents.Handler = eventFunc(nil)
