package caddymodule

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/caddyserver/caddy/v2"
	"go.uber.org/zap"
)

// Token expiry warnings start this long before an expiry and repeat daily.
const (
	expiryWarnAhead = 14 * 24 * time.Hour
	expiryWarnEvery = 24 * time.Hour
	// maxTokenLen bounds a presented token; longer ones are refused unhashed.
	maxTokenLen = 4096
)

// digest is one accepted token: its SHA-256 digest and expiry. The secret
// itself is not kept.
type digest struct {
	sum     [sha256.Size]byte
	expires time.Time // zero: never
	index   int       // position in the configuration, for logs and metrics
}

// authenticator checks bearer tokens against every configured digest in
// constant time.
type authenticator struct {
	digests []digest
	now     func() time.Time
}

// newAuthenticator expands and hashes the configured tokens. A duplicate
// token, a malformed digest or expiry, or a configuration whose every token
// has expired is an error that names the token by position, never by value.
func newAuthenticator(tokens []Token, repl *caddy.Replacer, now func() time.Time) (*authenticator, error) {
	a := &authenticator{now: now}
	seen := map[[sha256.Size]byte]bool{}
	live := 0
	for i, t := range tokens {
		d, err := digestToken(t, i+1, repl)
		if err != nil {
			return nil, err
		}
		if seen[d.sum] {
			return nil, fmt.Errorf("scim: token %d is a duplicate of an earlier token", i+1)
		}
		seen[d.sum] = true
		if d.expires.IsZero() || d.expires.After(now()) {
			live++
		}
		a.digests = append(a.digests, d)
	}
	if len(tokens) > 0 && live == 0 {
		return nil, fmt.Errorf("scim: every configured token has expired")
	}
	return a, nil
}

func digestToken(t Token, pos int, repl *caddy.Replacer) (digest, error) {
	d := digest{index: pos}
	switch {
	case t.Secret != "" && t.SHA256 != "":
		return d, fmt.Errorf("scim: token %d has both a secret and a sha256 digest", pos)
	case t.Secret != "":
		secret, err := repl.ReplaceOrErr(t.Secret, true, true)
		if err != nil {
			return d, fmt.Errorf("scim: token %d: a placeholder is unset or empty", pos)
		}
		if len(secret) < 16 {
			return d, fmt.Errorf("scim: token %d is shorter than 16 characters", pos)
		}
		if len(secret) > maxTokenLen {
			return d, fmt.Errorf("scim: token %d is longer than %d characters", pos, maxTokenLen)
		}
		d.sum = sha256.Sum256([]byte(secret))
	case t.SHA256 != "":
		b, err := hex.DecodeString(strings.TrimSpace(t.SHA256))
		if err != nil || len(b) != sha256.Size {
			return d, fmt.Errorf("scim: token %d: sha256 must be 64 hex digits", pos)
		}
		copy(d.sum[:], b)
	default:
		return d, fmt.Errorf("scim: token %d is empty", pos)
	}
	if t.Expires != "" {
		exp, err := time.Parse(time.RFC3339, t.Expires)
		if err != nil {
			return d, fmt.Errorf("scim: token %d: expires must be RFC 3339 (2027-02-06T00:00:00Z): %v", pos, err)
		}
		d.expires = exp
	}
	return d, nil
}

// authResult is the outcome of checking a request's credentials.
type authResult int

const (
	authOK authResult = iota
	authMissing
	authInvalid
	authExpired
)

// check reads the bearer token and compares its digest with every
// configured digest, without stopping at the first match.
func (a *authenticator) check(r *http.Request) (authResult, int) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if h == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		return authMissing, 0
	}
	if token == "" || len(token) > maxTokenLen {
		return authInvalid, 0
	}
	sum := sha256.Sum256([]byte(token))
	match := -1
	for i := range a.digests {
		if subtle.ConstantTimeCompare(sum[:], a.digests[i].sum[:]) == 1 {
			match = i
		}
	}
	if match < 0 {
		return authInvalid, 0
	}
	d := a.digests[match]
	if !d.expires.IsZero() && !a.now().Before(d.expires) {
		return authExpired, d.index
	}
	return authOK, d.index
}

// warnExpiries logs a warning for each token that expires within 14 days,
// at start and then daily, until ctx is done (Caddy cancels the context of
// a configuration when it unloads it).
func (a *authenticator) warnExpiries(ctx context.Context, logger *zap.Logger) {
	tick := time.NewTicker(expiryWarnEvery)
	defer tick.Stop()
	for {
		a.logExpiries(logger)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (a *authenticator) logExpiries(logger *zap.Logger) {
	now := a.now()
	for _, d := range a.digests {
		if d.expires.IsZero() || d.expires.Sub(now) > expiryWarnAhead {
			continue
		}
		if now.Before(d.expires) {
			logger.Warn("scim token expires soon; add a new token and update the IdP",
				zap.Int("token", d.index), zap.Time("expires", d.expires),
				zap.Duration("remaining", d.expires.Sub(now).Round(time.Hour)))
		} else {
			logger.Warn("scim token has expired and is refused",
				zap.Int("token", d.index), zap.Time("expired", d.expires))
		}
	}
}

// exportExpiries sets the token-expiry gauge, one series per token by its
// position in the config (never by the token).
func (a *authenticator) exportExpiries(g *prometheus.GaugeVec) {
	for _, d := range a.digests {
		if !d.expires.IsZero() {
			g.WithLabelValues(strconv.Itoa(d.index)).Set(float64(d.expires.Unix()))
		}
	}
}
