// Package caddymodule is the Caddy face of hector-scim: the `scim` HTTP
// handler (module http.handlers.scim), its Caddyfile directive, bearer-token
// authentication, routing, and the encoding of SCIM responses and errors.
// SCIM semantics live in package translate; Hector calls in legacyclient.
package caddymodule

import (
	"fmt"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
	"github.com/hector-scim/hector-scim/translate/schema"
)

func init() {
	caddy.RegisterModule(Handler{})
}

// Defaults of the handler's configuration. The legacy block's defaults
// are legacyclient's (DefaultTimeout, DefaultRetries, DefaultRate,
// DefaultMaxInFlight).
const (
	DefaultBasePath = "/scim/v2"
	DefaultMaxBody  = 1 << 20
	DefaultDeadline = 50 * time.Second
)

// Handler serves a SCIM 2.0 endpoint (RFC 7643/7644) over Hector's legacy
// REST API. It keeps no state of its own: Hector is the only store.
type Handler struct {
	// Tenant names this endpoint in metrics (label "tenant") and log lines,
	// for a process serving several Hector tenants. Default: empty.
	Tenant string `json:"tenant,omitempty"`
	// BasePath is the path prefix the SCIM endpoint is served under.
	// Default: /scim/v2.
	BasePath string `json:"base_path,omitempty"`
	// Tokens are the accepted bearer tokens; several may be valid at once so
	// that a new one can be rolled out before the old one expires.
	Tokens []Token `json:"tokens,omitempty"`
	// Legacy is how to reach Hector's legacy API.
	Legacy Legacy `json:"legacy,omitempty"`
	// OnDelete is what DELETE /Users/{id} does: "deactivate" (default; the
	// user is disabled and keeps their assets) or "delete" (hard delete).
	OnDelete string `json:"on_delete,omitempty"`
	// UserFields override or add lines of the field mapping.
	UserFields []translate.Line `json:"user_fields,omitempty"`
	// MaxFilterScan bounds how many Hector users a filter that cannot be
	// pushed down may scan; beyond it the answer is 400 tooMany.
	// Default: 10000.
	MaxFilterScan int `json:"max_filter_scan,omitempty"`
	// MaxBody is the largest request body accepted, in bytes; larger is 413.
	// Default: 1 MiB.
	MaxBody int64 `json:"max_body,omitempty"`
	// Deadline bounds each SCIM request; what cannot finish in time answers
	// 503 with Retry-After. Default: 50s (Entra and Okta give up at 60s).
	Deadline caddy.Duration `json:"deadline,omitempty"`
	// Roles are the Hector roles in priority order (highest first), each
	// with the IdP groups that grant it.
	Roles []Role `json:"roles,omitempty"`
	// DefaultRole is the role of a user in no role-granting group.
	DefaultRole string `json:"default_role,omitempty"`
	// OverwriteRoles makes the computed role always win, even over a role
	// an administrator set by hand in Hector.
	OverwriteRoles bool `json:"overwrite_roles,omitempty"`
	// Protect lists the usernames of accounts that SCIM never sees or
	// touches, such as break-glass admins: to SCIM they do not exist (404,
	// absent from every list and filter, a colliding create is 409, an
	// unknown id as a group member). Compared as Hector compares usernames
	// (case-insensitively); placeholders are expanded at load. Default:
	// none.
	Protect []string `json:"protect,omitempty"`
	// DryRun sends reads to Hector but no writes: each write is logged as
	// the exact Hector call it would have been, and the SCIM answer is what
	// it would have been. For trying a mapping against production safely.
	DryRun bool `json:"dry_run,omitempty"`
	// AuthFailures is how many authentication failures one client address
	// may make per AuthFailureWindow before its wrong tokens get 429 with
	// Retry-After instead of 401; a valid token is always served. The
	// address is Caddy's client IP (see trusted_proxies). Default: 10.
	AuthFailures int `json:"auth_failures,omitempty"`
	// AuthFailureWindow is the window of AuthFailures. Default: 1m.
	AuthFailureWindow caddy.Duration `json:"auth_failure_window,omitempty"`
	// LogPersonalData puts personal values (names, emails, …) on log lines
	// at info level: the values in audit lines, the bodies of dry-run
	// writes, and the filter and full error detail on the access log
	// line. Without it, audit values and dry-run bodies appear only when
	// the logger is at debug level, and the access line carries neither.
	LogPersonalData bool `json:"log_personal_data,omitempty"`

	at       string // where the Caddyfile block is, for errors
	logger   *zap.Logger
	metrics  *metrics
	throttle *failureLimiter      // shared across reloads
	limits   *legacyclient.Limits // shared across reloads
	poolKeys []any                // the keys of shared this handler holds
	auth     *authenticator
	service  *provision.Service
	unknown  *unknownLog // attribute names already logged as ignored
	users    handlerFunc // GET and POST /Users
	groups   handlerFunc // GET and POST /Groups
}

// Token is one accepted bearer token: the secret itself (a placeholder such
// as {env.SCIM_TOKEN} is expanded at load) or its SHA-256 digest.
type Token struct {
	// Secret is the token; prefer a placeholder ({env.X}, {file.path}) so
	// that the secret stays out of the config.
	Secret string `json:"secret,omitempty"`
	// SHA256 is the hex SHA-256 digest of the token, instead of Secret.
	SHA256 string `json:"sha256,omitempty"`
	// Expires is when the token stops being accepted (RFC 3339); empty
	// means never.
	Expires string `json:"expires,omitempty"`
}

// Legacy configures the Hector legacy API client.
type Legacy struct {
	// URL is the base URL of the legacy API, e.g. https://acme.hector.example/api/v1.
	URL string `json:"url,omitempty"`
	// APIKey is sent as X-Api-Key; prefer a placeholder ({env.HECTOR_API_KEY}).
	APIKey string `json:"api_key,omitempty"`
	// Timeout bounds each attempt of a Hector call. Default: 15s.
	Timeout caddy.Duration `json:"timeout,omitempty"`
	// Retries is how many times a failed call is retried; 0 means never.
	// Default: 5.
	Retries *int `json:"retries,omitempty"`
	// Rate is the client-side limit in requests a second to Hector; 0 means
	// no limit. Default: 40. The limit (with MaxInFlight) is shared by
	// every scim handler of the same tenant and URL, across reloads.
	Rate *float64 `json:"rate,omitempty"`
	// Burst is the client-side limiter's bucket: how many calls may go
	// out at once after a quiet spell. Default: the rate (one second's
	// worth), at least 1. Set it to Hector's own bucket (the legacy API
	// contract: 100) for the sidecar to use all of it.
	Burst int `json:"burst,omitempty"`
	// MaxInFlight caps concurrent requests to Hector. Default: 16.
	MaxInFlight int `json:"max_in_flight,omitempty"`
}

// Role is one Hector role and the IdP groups that grant it.
type Role struct {
	// Name is the Hector role name.
	Name string `json:"name"`
	// Groups are the IdP groups that grant the role: each a display name
	// (compared as Hector compares names) or "id:<externalId>", the IdP's
	// group id, which survives renames and cannot be claimed by a group
	// renamed to look like a role group.
	Groups []string `json:"groups,omitempty"`
}

// CaddyModule returns the Caddy module information.
func (Handler) CaddyModule() caddy.ModuleInfo {
	return caddy.ModuleInfo{
		ID:  "http.handlers.scim",
		New: func() caddy.Module { return new(Handler) },
	}
}

// Provision sets defaults, expands placeholders, hashes the tokens and
// compiles the field mapping. It makes no network call: the check of the
// configured roles against Hector waits for the configuration to start.
// State that must outlive a reload comes from the shared pool.
func (h *Handler) Provision(ctx caddy.Context) error {
	h.logger = ctx.Logger()
	if h.Tenant != "" {
		h.logger = h.logger.With(zap.String("tenant", h.Tenant))
	}
	h.setDefaults()
	h.metrics = newMetrics(ctx.GetMetricsRegistry())
	h.unknown = new(unknownLog)
	repl := caddy.NewReplacer()
	auth, err := newAuthenticator(h.Tokens, repl, time.Now)
	if err != nil {
		return err
	}
	h.auth = auth
	auth.exportExpiries(h.metrics.tokenExpiry.MustCurryWith(prometheus.Labels{"tenant": h.Tenant}))
	h.warnLiteralSecrets()
	if err := checkUserFields(h.UserFields); err != nil {
		return err
	}
	client, url, err := h.provisionLegacy(repl)
	if err != nil {
		return err
	}
	if h.service, err = h.newService(client, h.auditor(h.logger, "")); err != nil {
		return err
	}
	h.users = h.collection(schema.User, h.service.CreateUser, h.listUsers)
	h.groups = h.collection(schema.Group, h.service.CreateGroup, h.service.ListGroups)
	go h.auth.warnExpiries(ctx.Context, h.logger)
	if err := h.startRoleCheck(ctx, client, url); err != nil {
		return err
	}
	markProvisioned(h)
	return nil
}

// provisionLegacy builds the Hector client and takes the shared
// authentication-failure buckets of the tenant and Hector URL.
func (h *Handler) provisionLegacy(repl *caddy.Replacer) (*legacyclient.Client, string, error) {
	url, key, err := h.legacyTarget(repl)
	if err != nil {
		return nil, "", err
	}
	if h.throttle, err = h.sharedThrottle(url); err != nil {
		return nil, "", err
	}
	client, err := h.newClient(url, key)
	return client, url, err
}

func (h *Handler) setDefaults() {
	if h.BasePath == "" {
		h.BasePath = DefaultBasePath
	}
	h.BasePath = "/" + strings.Trim(h.BasePath, "/")
	if h.OnDelete == "" {
		h.OnDelete = "deactivate"
	}
	if h.MaxBody == 0 {
		h.MaxBody = DefaultMaxBody
	}
	if h.Deadline == 0 {
		h.Deadline = caddy.Duration(DefaultDeadline)
	}
	if h.MaxFilterScan == 0 {
		h.MaxFilterScan = provision.DefaultMaxFilterScan
	}
	if h.AuthFailures <= 0 {
		h.AuthFailures = DefaultAuthFailures
	}
	if h.AuthFailureWindow <= 0 {
		h.AuthFailureWindow = caddy.Duration(DefaultAuthFailureWindow)
	}
}

func (h *Handler) roles() translate.Roles {
	r := translate.Roles{Default: h.DefaultRole, Overwrite: h.OverwriteRoles}
	for _, role := range h.Roles {
		r.Order = append(r.Order, translate.RoleRule{Name: role.Name, Groups: role.Groups})
	}
	return r
}

// Validate checks the configuration after provisioning.
func (h *Handler) Validate() error {
	if h.Legacy.URL == "" {
		return fmt.Errorf("scim: legacy URL is required")
	}
	if len(h.Tokens) == 0 {
		return fmt.Errorf("scim: at least one token or token_sha256 is required")
	}
	if h.OnDelete != "deactivate" && h.OnDelete != "delete" {
		return fmt.Errorf("scim: on_delete must be deactivate or delete, got %q", h.OnDelete)
	}
	if h.MaxBody < 0 || h.MaxFilterScan < 0 || h.Deadline < 0 || h.Legacy.Timeout < 0 || h.Legacy.MaxInFlight < 0 || h.Legacy.Burst < 0 {
		return fmt.Errorf("scim: sizes, counts and durations must not be negative")
	}
	if h.Legacy.Rate != nil && *h.Legacy.Rate < 0 {
		return fmt.Errorf("scim: legacy rate must not be negative")
	}
	if h.Legacy.Retries != nil && *h.Legacy.Retries < 0 {
		return fmt.Errorf("scim: legacy retries must not be negative")
	}
	return nil
}

// Cleanup gives back the shared state this handler used; the last user
// of a key frees it. (The token-expiry warnings and the role check end
// with the configuration's context.) It is safe after a failed Provision.
func (h *Handler) Cleanup() error {
	markCleanedUp(h)
	return h.releaseShared()
}

// Interface guards.
var (
	_ caddy.Provisioner           = (*Handler)(nil)
	_ caddy.Validator             = (*Handler)(nil)
	_ caddy.CleanerUpper          = (*Handler)(nil)
	_ caddyhttp.MiddlewareHandler = (*Handler)(nil)
)
