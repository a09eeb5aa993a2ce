package caddymodule

import (
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
)

// shared holds the state that must outlive a config reload: the Hector
// rate limiter and in-flight cap, the authentication-failure buckets, and
// whether the configured roles were checked against Hector. Caddy
// provisions a new configuration before it cleans up the old one, so a
// value stays in the pool across a reload as long as the new
// configuration asks for the same key; Cleanup gives each key back, and the
// last user of a key frees it.
var shared = caddy.NewUsagePool()

// The keys of shared. Each names a tenant and a Hector URL, with the
// settings that shape its value: a reload that changes them starts afresh.
type (
	// limitsKey keys the *legacyclient.Limits of the Hector client.
	limitsKey struct {
		tenant, url string
		rate        float64
		burst       int
		maxInFlight int
	}
	// failuresKey keys the *failureLimiter of the bearer-token check.
	failuresKey struct {
		tenant, url string
		failures    int
		window      time.Duration
	}
	// rolesKey keys the *roleCheck of the configured role names.
	rolesKey struct {
		tenant, url string
		roles       string // the role names, in order, one a line
	}
)

func newRolesKey(tenant, url string, roles []string) rolesKey {
	return rolesKey{tenant: tenant, url: url, roles: strings.Join(roles, "\n")}
}

// pooled wraps a shared value for caddy.UsagePool, which wants a
// caddy.Destructor; the values hold nothing to release.
type pooled[T any] struct{ v T }

// Destruct implements caddy.Destructor.
func (pooled[T]) Destruct() error { return nil }

// loadShared returns the shared value of key, made by build the first
// time, and records the key for Cleanup.
func loadShared[T any](h *Handler, key any, build func() (T, error)) (T, error) {
	v, _, err := shared.LoadOrNew(key, func() (caddy.Destructor, error) {
		x, err := build()
		if err != nil {
			return nil, err
		}
		return pooled[T]{x}, nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	h.poolKeys = append(h.poolKeys, key)
	return v.(pooled[T]).v, nil
}

// releaseShared gives back every key the handler loaded.
func (h *Handler) releaseShared() error {
	var first error
	for _, k := range h.poolKeys {
		if _, err := shared.Delete(k); err != nil && first == nil {
			first = err
		}
	}
	h.poolKeys = nil
	return first
}

// Interface guard.
var _ caddy.Destructor = pooled[int]{}
