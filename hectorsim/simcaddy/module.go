// Package simcaddy mounts the Hector legacy API simulator ([hectorsim]) in
// Caddy: the HTTP handler module http.handlers.hector_sim and the
// Caddyfile directive hector_sim. The handler serves the contract relative
// to where it is mounted (use handle_path to strip a prefix such as
// /api/v1) and never calls the next handler.
package simcaddy

import (
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"go.uber.org/zap"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"

	"github.com/hector-scim/hector-scim/hectorsim"
)

func init() {
	caddy.RegisterModule(Handler{})
}

// stores holds the simulator state of each data file across config
// reloads: the new handler instance takes the store over from the old one,
// which is still serving, and the last one to go flushes and closes it.
var stores = caddy.NewUsagePool()

// Handler serves a simulated Hector tenant: the Hector legacy REST API
// (hector-legacy-api.md) in memory, optionally persisted to a JSON file,
// with a rate limit, latency and fault injection for demos and tests.
type Handler struct {
	// APIKey is the X-Api-Key the simulator accepts. Required. Placeholders
	// such as {env.HECTOR_API_KEY} are expanded once, at provisioning; an
	// unknown or empty one is an error.
	APIKey string `json:"api_key,omitempty"`
	// Rate is the token-bucket rate in requests a second per API key.
	// Default 50; 0 means no rate limit.
	Rate *float64 `json:"rate,omitempty"`
	// Burst is the token-bucket size. Default 100.
	Burst int `json:"burst,omitempty"`
	// Latency is added to every request. Default 0.
	Latency caddy.Duration `json:"latency,omitempty"`
	// FaultRate is the fraction (0 to 1) of requests answered 502 or 503
	// without doing anything. Default 0.
	FaultRate float64 `json:"fault_rate,omitempty"`
	// AmbiguousPostRate is the fraction (0 to 1) of successful POST /users
	// and POST /groups whose answer is lost after they are applied (the
	// connection is dropped, or a 502). Default 0.
	AmbiguousPostRate float64 `json:"ambiguous_post_rate,omitempty"`
	// DataFile is the JSON file the state is loaded from and saved to
	// (atomically, shortly after each write, and at shutdown). Placeholders
	// are expanded. Default: in memory only, lost on reload.
	DataFile string `json:"data_file,omitempty"`
	// Roles are the tenant's roles, as GET /roles lists them. Default
	// admin, staff, user.
	Roles []string `json:"roles,omitempty"`
	// DefaultRole is the role of a user created without one; it must be one
	// of Roles. Default "user".
	DefaultRole string `json:"default_role,omitempty"`

	server  *hectorsim.Server
	poolKey string // key in stores; "" when the store is private
	logger  *zap.Logger
}

// CaddyModule returns the Caddy module information.
func (Handler) CaddyModule() caddy.ModuleInfo {
	return caddy.ModuleInfo{
		ID:  "http.handlers.hector_sim",
		New: func() caddy.Module { return new(Handler) },
	}
}

// Provision expands placeholders, checks the configuration and starts the
// simulator, taking over the store of a previous config with the same data
// file.
func (h *Handler) Provision(ctx caddy.Context) error {
	h.logger = ctx.Logger()
	if err := h.check(); err != nil {
		return err
	}
	repl := caddy.NewReplacer()
	key, err := repl.ReplaceOrErr(h.APIKey, true, true)
	if err != nil {
		return fmt.Errorf("api_key: %w", err)
	}
	opts := h.options(key)
	if dataFile := repl.ReplaceAll(h.DataFile, ""); dataFile != "" {
		if opts.Store, err = h.acquireStore(dataFile); err != nil {
			return err
		}
	}
	if h.server, err = hectorsim.New(opts); err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	h.logger.Info("hector simulator ready",
		zap.String("data_file", h.poolKey), zap.Float64("rate", opts.Rate),
		zap.Float64("fault_rate", opts.FaultRate), zap.Float64("ambiguous_post_rate", opts.AmbiguousPostRate))
	return nil
}

// options maps the configuration onto the simulator's options.
func (h *Handler) options(key string) hectorsim.Options {
	rate := float64(hectorsim.DefaultRate)
	if h.Rate != nil {
		rate = *h.Rate
	}
	return hectorsim.Options{
		APIKey: key, Rate: rate, Burst: h.Burst, Latency: time.Duration(h.Latency),
		FaultRate: h.FaultRate, AmbiguousPostRate: h.AmbiguousPostRate,
		Roles: h.Roles, DefaultRole: h.DefaultRole,
	}
}

// acquireStore opens the store of dataFile, or shares the one a running
// config already has open.
func (h *Handler) acquireStore(dataFile string) (*hectorsim.Store, error) {
	abs, err := filepath.Abs(dataFile)
	if err != nil {
		return nil, fmt.Errorf("data_file: %w", err)
	}
	val, _, err := stores.LoadOrNew(abs, func() (caddy.Destructor, error) {
		st, err := hectorsim.OpenStore(abs)
		if err != nil {
			return nil, err
		}
		return pooledStore{st}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("data_file: %w", err)
	}
	h.poolKey = abs
	return val.(pooledStore).Store, nil
}

// pooledStore closes (and so flushes) a store when its last user goes.
type pooledStore struct{ *hectorsim.Store }

// Destruct flushes and closes the store.
func (p pooledStore) Destruct() error { return p.Close() }

// check validates the configured values; it changes nothing.
func (h *Handler) check() error {
	switch {
	case h.APIKey == "":
		return errors.New("api_key is required")
	case h.Rate != nil && !(*h.Rate >= 0):
		return fmt.Errorf("rate %v must not be negative", *h.Rate)
	case h.Burst < 0:
		return fmt.Errorf("burst %d must not be negative", h.Burst)
	case h.Latency < 0:
		return fmt.Errorf("latency %v must not be negative", time.Duration(h.Latency))
	case !isFraction(h.FaultRate):
		return fmt.Errorf("fault_rate %v must be between 0 and 1", h.FaultRate)
	case !isFraction(h.AmbiguousPostRate):
		return fmt.Errorf("ambiguous_post_rate %v must be between 0 and 1", h.AmbiguousPostRate)
	}
	return nil
}

func isFraction(f float64) bool { return f >= 0 && f <= 1 }

// Validate checks the configuration; it changes nothing.
func (h *Handler) Validate() error { return h.check() }

// Cleanup releases the handler's hold on its store; the last holder
// flushes and closes it. It is safe after a failed Provision.
func (h *Handler) Cleanup() error {
	var err error
	if h.server != nil {
		err = h.server.Close()
	}
	if h.poolKey != "" {
		_, derr := stores.Delete(h.poolKey)
		err = errors.Join(err, derr)
		h.poolKey = ""
	}
	return err
}

// ServeHTTP serves the simulated API; it never calls next.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request, _ caddyhttp.Handler) error {
	h.server.ServeHTTP(w, r)
	return nil
}

// Interface guards.
var (
	_ caddy.Provisioner           = (*Handler)(nil)
	_ caddy.Validator             = (*Handler)(nil)
	_ caddy.CleanerUpper          = (*Handler)(nil)
	_ caddyhttp.MiddlewareHandler = (*Handler)(nil)
	_ caddyfile.Unmarshaler       = (*Handler)(nil)
	_ caddy.Destructor            = pooledStore{}
)
