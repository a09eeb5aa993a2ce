package legacyclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"go.uber.org/zap"
)

// Defaults applied by New to zero (or nil) Config fields, and by
// NewLimits.
const (
	DefaultTimeout      = 15 * time.Second
	DefaultRetries      = 5
	DefaultRetryWaitMin = 200 * time.Millisecond
	DefaultRetryWaitMax = 5 * time.Second
	DefaultMaxInFlight  = 16
)

// DefaultRate is the client-side rate limit, in requests a second, for a
// caller whose user named none: under the simulator's 50 a second per
// API key (hector-legacy-api.md), so that the sidecar does not cause Hector's 429s. New
// applies no rate limit to a zero Config.Rate; a caller passes DefaultRate
// (to NewLimits or in Config.Rate) when it wants this one.
const DefaultRate = 40

// Config configures a Client. The zero value of every field but BaseURL and
// APIKey selects its default.
type Config struct {
	// BaseURL is the absolute http or https URL the contract's paths are
	// appended to, e.g. "http://127.0.0.1:9000/api/v1". Required; it may
	// carry no query and no fragment.
	BaseURL string
	// APIKey is sent as the X-Api-Key header. It never appears in an error,
	// a log line or a panic.
	APIKey string
	// Timeout bounds one HTTP attempt (headers and body), not the whole
	// call: the caller's context does that. Default 15s.
	Timeout time.Duration
	// Retries is the number of attempts after the first one: nil selects
	// DefaultRetries (5), 0 means no retry at all.
	Retries *int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between
	// attempts. Defaults 200ms and 5s. A Retry-After from Hector overrides
	// the backoff, whatever its length, unless waiting would pass the
	// caller's deadline.
	RetryWaitMin, RetryWaitMax time.Duration
	// Rate is the client-side limit in requests a second, applied to every
	// attempt, retries included. 0 means no client-side limit.
	Rate float64
	// Burst is the client-side limiter's bucket size. Default max(1, int(Rate)).
	Burst int
	// MaxInFlight caps the requests to Hector in flight at once. Default 16.
	MaxInFlight int
	// Limits, when not nil, are limits shared with other Clients (see
	// NewLimits), used instead of Rate, Burst and MaxInFlight, which must
	// then be zero.
	Limits *Limits
	// Logger receives debug lines per attempt and go-retryablehttp's own
	// lines. Nil means no logging. Bodies and the API key are never logged.
	Logger *zap.Logger
	// HTTPClient optionally supplies the transport: only its Transport is
	// used (nil means http.DefaultTransport). The Client never follows
	// redirects, so the API key cannot leak to another host, and it applies
	// Timeout per attempt itself. Default: a transport tuned for Hector,
	// keeping MaxInFlight idle connections.
	HTTPClient *http.Client
	// Observer, when not nil, is told about every attempt and every
	// client-side rate-limit wait.
	Observer Observer
	// DryRun sends reads but no writes: each write (POST, PUT, DELETE) is
	// logged at info level as the call it would have been (method, path
	// and the names of the body's fields), and answered as Hector most
	// likely would have (new objects get id 0). For trying a configuration
	// against production safely. The body itself, which holds personal
	// data, is logged only when the Logger is at debug level, or with
	// DryRunBodies.
	DryRun bool
	// DryRunBodies puts the whole body of each dry-run write on its info
	// line.
	DryRunBodies bool
}

// Observer receives one call per HTTP attempt and one per client-side
// rate-limit wait. Its methods are called synchronously from the goroutine
// making the call and must be safe for concurrent use.
type Observer interface {
	// Attempt reports one HTTP attempt. ctx is the caller's context, so a
	// caller can count calls per inbound request through a context value.
	// route is the pattern, such as "GET /users/{id}", never an id. status
	// is 0 for a transport error. retry is true for attempts after the
	// first of a call.
	Attempt(ctx context.Context, route string, status int, d time.Duration, retry bool)
	// RateWait reports a wait of d > 0 imposed by the client-side limiter.
	RateWait(ctx context.Context, d time.Duration)
}

// settings is a Config with its defaults applied and its values checked.
type settings struct {
	Config
	retries int     // Config.Retries or its default
	limits  *Limits // Config.Limits, or the Client's own
	base    *url.URL
}

// resolve applies the defaults and validates cfg.
func resolve(cfg Config) (settings, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return settings{}, errors.New("base_url: not a URL")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return settings{}, errors.New("base_url: must be an absolute http or https URL")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return settings{}, errors.New("base_url: must have no query and no fragment")
	}
	if err := checkNonNegative(cfg); err != nil {
		return settings{}, err
	}
	s := settings{Config: cfg, base: u}
	s.applyDefaults()
	if s.RetryWaitMax < s.RetryWaitMin {
		return settings{}, fmt.Errorf("retry_wait_max %s is below retry_wait_min %s", s.RetryWaitMax, s.RetryWaitMin)
	}
	s.limits = cfg.Limits
	if s.limits == nil {
		if s.limits, err = newLimits(cfg.Rate, cfg.Burst, cfg.MaxInFlight); err != nil {
			return settings{}, err
		}
	}
	return s, nil
}

// checkNonNegative rejects negative values where they have no meaning.
func checkNonNegative(cfg Config) error {
	switch {
	case cfg.Timeout < 0:
		return errors.New("timeout: must not be negative")
	case cfg.Retries != nil && *cfg.Retries < 0:
		return errors.New("retries: must not be negative")
	case cfg.RetryWaitMin < 0, cfg.RetryWaitMax < 0:
		return errors.New("retry_wait_min, retry_wait_max: must not be negative")
	case cfg.Rate < 0:
		return errors.New("rate: must not be negative")
	case cfg.Burst < 0:
		return errors.New("burst: must not be negative")
	case cfg.MaxInFlight < 0:
		return errors.New("max_in_flight: must not be negative")
	case cfg.Limits != nil && (cfg.Rate != 0 || cfg.Burst != 0 || cfg.MaxInFlight != 0):
		return errors.New("limits: rate, burst and max_in_flight must be zero when shared limits are given")
	}
	return nil
}

func (s *settings) applyDefaults() {
	if s.Timeout == 0 {
		s.Timeout = DefaultTimeout
	}
	s.retries = DefaultRetries
	if s.Retries != nil {
		s.retries = *s.Retries
	}
	if s.RetryWaitMin == 0 {
		s.RetryWaitMin = DefaultRetryWaitMin
	}
	if s.RetryWaitMax == 0 {
		s.RetryWaitMax = max(DefaultRetryWaitMax, s.RetryWaitMin)
	}
	if s.Logger == nil {
		s.Logger = zap.NewNop()
	}
}

// defaultTransport is a transport tuned for many short calls to one host.
func defaultTransport(maxInFlight int) *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          max(100, maxInFlight),
		MaxIdleConnsPerHost:   maxInFlight,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}
