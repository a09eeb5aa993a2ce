package caddymodule

import (
	"fmt"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/hector-scim/hector-scim/legacyclient"
	"go.uber.org/zap"
)

// newClient builds the Hector legacy client from the legacy block,
// expanding placeholders in the URL and the API key.
func (h *Handler) newClient(repl *caddy.Replacer) (*legacyclient.Client, error) {
	url, err := repl.ReplaceOrErr(h.Legacy.URL, true, true)
	if err != nil {
		return nil, fmt.Errorf("legacy url: %w", err)
	}
	key, err := repl.ReplaceOrErr(h.Legacy.APIKey, true, true)
	if err != nil {
		return nil, fmt.Errorf("legacy api_key: %w", err)
	}
	cfg := legacyclient.Config{
		BaseURL:     url,
		APIKey:      key,
		Timeout:     time.Duration(h.Legacy.Timeout),
		Retries:     DefaultRetries,
		Rate:        DefaultRate,
		MaxInFlight: h.Legacy.MaxInFlight,
		Logger:      h.logger.Named("legacy"),
		Observer:    hectorObserver{h.metrics, h.Tenant},
		DryRun:      h.DryRun,
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultLegacyTimeout
	}
	if h.Legacy.Retries != nil {
		cfg.Retries = *h.Legacy.Retries
		if cfg.Retries == 0 {
			cfg.Retries = -1 // legacyclient: negative means no retries
		}
	}
	if h.Legacy.Rate != nil {
		cfg.Rate = *h.Legacy.Rate
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	return legacyclient.New(cfg)
}

// warnLiteralSecrets warns about secrets written literally in the config:
// they then sit in the JSON config, which Caddy logs at debug level.
func (h *Handler) warnLiteralSecrets() {
	for i, t := range h.Tokens {
		if t.Secret != "" && !strings.Contains(t.Secret, "{") {
			h.logger.Warn("a scim token is written literally in the config; use {env.NAME}, {file.path} or token_sha256 to keep it out of the config and its logs",
				zap.Int("token", i+1))
		}
	}
	if h.Legacy.APIKey != "" && !strings.Contains(h.Legacy.APIKey, "{") {
		h.logger.Warn("the legacy api_key is written literally in the config; use {env.NAME} or {file.path}")
	}
}
