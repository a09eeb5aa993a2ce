package caddymodule

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/caddyserver/caddy/v2"
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

// newAuthenticator expands and hashes the configured tokens, applying the
// token rules (tokenRules) to the expanded secrets. An error names the
// token by position, never by value.
func newAuthenticator(tokens []Token, repl *caddy.Replacer, now func() time.Time) (*authenticator, error) {
	a := &authenticator{now: now}
	rules := newTokenRules(now())
	for i, t := range tokens {
		d, err := digestToken(t, repl, rules)
		if err != nil {
			return nil, fmt.Errorf("scim: token %d: %w", i+1, err)
		}
		d.index = i + 1
		a.digests = append(a.digests, d)
	}
	if err := rules.done(); err != nil {
		return nil, fmt.Errorf("scim: %w", err)
	}
	return a, nil
}

// digestToken expands a token's secret, or decodes its digest, and checks
// it against the rules.
func digestToken(t Token, repl *caddy.Replacer, rules *tokenRules) (digest, error) {
	var d digest
	var err error
	switch {
	case t.Secret != "" && t.SHA256 != "":
		return d, errors.New("it has both a secret and a sha256 digest")
	case t.Secret != "":
		secret, rerr := repl.ReplaceOrErr(t.Secret, true, true)
		if rerr != nil {
			return d, errors.New("a placeholder in the secret is unset or empty")
		}
		d.sum, err = rules.secret(secret)
	case t.SHA256 != "":
		d.sum, err = rules.sha256(t.SHA256)
	default:
		return d, errors.New("it has neither a secret nor a sha256 digest")
	}
	if err == nil {
		err = rules.unique(d.sum)
	}
	if err == nil {
		d.expires, err = rules.expiry(t.Expires)
	}
	return d, err
}

// tokenRules are the rules of the configured tokens, in one place. The
// Caddyfile adapter applies them to what it can know (literal secrets,
// digests, expiries), naming the line; Provision applies them to every
// token once its placeholders are expanded (and so to JSON configs, which
// have no lines). Each token goes through secret or sha256, then unique
// and expiry; done checks the set as a whole.
type tokenRules struct {
	now  time.Time
	seen map[[sha256.Size]byte]bool
	all  int // tokens whose expiry was given to expiry
	live int // of which not expired
}

// minTokenLen is the length of the shortest secret accepted.
const minTokenLen = 16

func newTokenRules(now time.Time) *tokenRules {
	return &tokenRules{now: now, seen: map[[sha256.Size]byte]bool{}}
}

// secret checks a secret's length and returns its digest.
func (*tokenRules) secret(s string) ([sha256.Size]byte, error) {
	switch {
	case len(s) < minTokenLen:
		return [sha256.Size]byte{}, fmt.Errorf("the secret is shorter than %d characters", minTokenLen)
	case len(s) > maxTokenLen:
		return [sha256.Size]byte{}, fmt.Errorf("the secret is longer than %d characters", maxTokenLen)
	}
	return sha256.Sum256([]byte(s)), nil
}

// sha256 decodes a hex digest.
func (*tokenRules) sha256(h string) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	b, err := hex.DecodeString(strings.TrimSpace(h))
	if err != nil || len(b) != sha256.Size {
		return sum, errors.New("sha256 must be 64 hex digits")
	}
	copy(sum[:], b)
	return sum, nil
}

// unique refuses a digest seen before: a secret given twice, or a secret
// beside its own digest.
func (r *tokenRules) unique(sum [sha256.Size]byte) error {
	if r.seen[sum] {
		return errors.New("the token is a duplicate of an earlier one")
	}
	r.seen[sum] = true
	return nil
}

// expiry parses a token's expiry (empty: never) and counts the token as
// live or expired.
func (r *tokenRules) expiry(exp string) (time.Time, error) {
	t, err := parseExpiry(exp)
	if err != nil {
		return t, err
	}
	r.all++
	if t.IsZero() || t.After(r.now) {
		r.live++
	}
	return t, nil
}

// parseExpiry parses an RFC 3339 expiry; empty is the zero time (never).
func parseExpiry(exp string) (time.Time, error) {
	if exp == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, exp)
	if err != nil {
		return t, fmt.Errorf("expires must be an RFC 3339 time such as 2027-02-06T00:00:00Z: %q", exp)
	}
	return t, nil
}

// done refuses a set of tokens that have all expired.
func (r *tokenRules) done() error {
	if r.all > 0 && r.live == 0 {
		return errors.New("every configured token has expired: add a new one")
	}
	return nil
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
