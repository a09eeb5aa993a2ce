package caddymodule

import (
	"fmt"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
	"go.uber.org/zap"

	"github.com/hector-scim/hector-scim/legacyclient"
)

// legacyTarget expands the placeholders of the legacy URL and API key.
func (h *Handler) legacyTarget(repl *caddy.Replacer) (url, key string, err error) {
	url, err = repl.ReplaceOrErr(h.Legacy.URL, true, true)
	if err != nil {
		return "", "", fmt.Errorf("legacy url: %w", err)
	}
	key, err = repl.ReplaceOrErr(h.Legacy.APIKey, true, true)
	if err != nil {
		return "", "", fmt.Errorf("legacy api_key: %w", err)
	}
	return strings.TrimRight(url, "/"), key, nil
}

// newClient builds the Hector legacy client from the legacy block. The
// limits on requests to Hector are shared, through the UsagePool, by every
// handler of the same tenant and Hector URL, across reloads. Unset
// options take legacyclient's defaults.
func (h *Handler) newClient(url, key string) (*legacyclient.Client, error) {
	rate := float64(legacyclient.DefaultRate)
	if h.Legacy.Rate != nil {
		rate = *h.Legacy.Rate
	}
	k := limitsKey{tenant: h.Tenant, url: url, rate: rate, burst: h.Legacy.Burst, maxInFlight: h.Legacy.MaxInFlight}
	limits, err := loadShared(h, k, func() (*legacyclient.Limits, error) {
		return legacyclient.NewLimits(rate, h.Legacy.Burst, h.Legacy.MaxInFlight)
	})
	if err != nil {
		return nil, fmt.Errorf("legacy: %w", err)
	}
	h.limits = limits
	return legacyclient.New(legacyclient.Config{
		BaseURL:      url,
		APIKey:       key,
		Timeout:      time.Duration(h.Legacy.Timeout),
		Retries:      h.Legacy.Retries,
		Limits:       limits,
		Logger:       h.logger.Named("legacy"),
		Observer:     hectorObserver{h.metrics, h.Tenant},
		DryRun:       h.DryRun,
		DryRunBodies: h.LogPersonalData,
	})
}

// warnLiteralSecrets warns about secrets written literally in the config:
// they then sit in the JSON config, which Caddy logs at debug level.
func (h *Handler) warnLiteralSecrets() {
	for i, t := range h.Tokens {
		if t.Secret != "" && !hasPlaceholder(t.Secret) {
			h.logger.Warn("a scim token is written literally in the config; use {env.NAME}, {file.path} or token_sha256 to keep it out of the config and its logs",
				zap.Int("token", i+1))
		}
	}
	if h.Legacy.APIKey != "" && !hasPlaceholder(h.Legacy.APIKey) {
		h.logger.Warn("the legacy api_key is written literally in the config; use {env.NAME} or {file.path}")
	}
}
