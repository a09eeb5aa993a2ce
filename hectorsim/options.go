package hectorsim

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// DefaultRate is the rate limit, in requests a second per API key, that the
// Caddy adapter applies when none is configured. In [Options], Rate 0 means
// no limit.
const DefaultRate = 50

// DefaultBurst is the token-bucket size used when Options.Rate is positive
// and Options.Burst is zero.
const DefaultBurst = 100

// maxBody bounds every request body read by the simulator.
const maxBody = 1 << 20

// maxMembersPerPost is the most user ids one POST /groups/{id}/members takes.
const maxMembersPerPost = 100

// Options configures a [Server]. APIKey is required; every other field has a
// usable zero value.
type Options struct {
	// APIKey is the X-Api-Key value accepted, compared exactly. Required.
	APIKey string
	// APIKeys are further accepted keys, each with its own rate-limit bucket.
	APIKeys []string
	// Rate is the token-bucket rate in requests a second per API key; 0
	// means no rate limit.
	Rate float64
	// Burst is the bucket size; 0 with Rate > 0 means DefaultBurst.
	Burst int
	// Latency is added to every request that passes auth, rate limit and
	// fault injection; the wait ends early, unanswered, when the request's
	// context is cancelled.
	Latency time.Duration
	// FaultRate is the fraction (0..1) of requests answered 502 or 503
	// (half each; 503 with Retry-After: 1) without doing anything.
	FaultRate float64
	// AmbiguousPostRate is the fraction (0..1) of successful POST /users and
	// POST /groups whose answer is lost after they are applied: half of them
	// the connection is dropped, half get a 502.
	AmbiguousPostRate float64
	// DataFile, when set, is the JSON file the state is loaded from at New
	// (if it exists) and written to, atomically, after writes (coalesced;
	// Close flushes). Exclusive with Store.
	DataFile string
	// Store, when set, is a shared state (see [OpenStore]) that the server
	// serves instead of its own; Close then leaves the store open.
	Store *Store
	// Roles are the tenant's roles, as GET /roles lists them; default
	// admin, staff, user.
	Roles []string
	// DefaultRole is the role of a user created or replaced without one;
	// default "user". It must be one of Roles.
	DefaultRole string
	// Seed seeds the fault randomness; 0 means time-based.
	Seed int64
	// Now is the clock of timestamps and of the rate limiter; default
	// time.Now. Timestamps are stored in UTC, truncated to whole seconds.
	Now func() time.Time
}

// withDefaults returns a copy of o with defaults applied, or an error naming
// the first invalid option.
func (o Options) withDefaults() (Options, error) {
	if o.APIKey == "" {
		return o, errors.New("options: api key is required")
	}
	if o.Rate < 0 || o.Burst < 0 || o.Latency < 0 {
		return o, errors.New("options: rate, burst and latency must not be negative")
	}
	if !isFraction(o.FaultRate) || !isFraction(o.AmbiguousPostRate) {
		return o, errors.New("options: fault rates must be between 0 and 1")
	}
	if o.DataFile != "" && o.Store != nil {
		return o, errors.New("options: data file and store are exclusive")
	}
	if o.Rate > 0 && o.Burst == 0 {
		o.Burst = DefaultBurst
	}
	if len(o.Roles) == 0 {
		o.Roles = []string{"admin", "staff", "user"}
	}
	if o.DefaultRole == "" {
		o.DefaultRole = "user"
	}
	if err := checkRoles(o.Roles, o.DefaultRole); err != nil {
		return o, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Seed == 0 {
		o.Seed = time.Now().UnixNano()
	}
	return o, nil
}

func checkRoles(roles []string, def string) error {
	for i, r := range roles {
		if r == "" || slices.Contains(roles[:i], r) {
			return fmt.Errorf("options: role %q is empty or repeated", r)
		}
	}
	if !slices.Contains(roles, def) {
		return fmt.Errorf("options: default role %q is not one of the roles", def)
	}
	return nil
}

// isFraction reports whether f is in [0, 1] (NaN is not).
func isFraction(f float64) bool { return f >= 0 && f <= 1 }
