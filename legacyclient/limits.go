package legacyclient

import (
	"context"
	"errors"

	"golang.org/x/time/rate"
)

// Limits are a client-side rate limit and a cap on the requests in flight
// to Hector. A Client makes its own from Config.Rate, Burst and
// MaxInFlight; Limits made with NewLimits and given to several Clients in
// Config.Limits are shared by them, so that together they keep under the
// limits (as the old and new configurations of a server being reloaded
// do). Limits are safe for concurrent use.
type Limits struct {
	limiter *rate.Limiter // nil: no client-side rate limit
	sem     chan struct{}
}

// NewLimits returns Limits of rate requests a second (0: no client-side
// limit), with a bucket of burst requests (0: max(1, int(rate))), and at
// most maxInFlight requests in flight at once (0: DefaultMaxInFlight).
// Negative values are an error.
func NewLimits(rate float64, burst, maxInFlight int) (*Limits, error) {
	return newLimits(rate, burst, maxInFlight)
}

func newLimits(r float64, burst, maxInFlight int) (*Limits, error) {
	switch {
	case r < 0:
		return nil, errors.New("rate: must not be negative")
	case burst < 0:
		return nil, errors.New("burst: must not be negative")
	case maxInFlight < 0:
		return nil, errors.New("max_in_flight: must not be negative")
	}
	if burst == 0 {
		burst = max(1, int(r))
	}
	if maxInFlight == 0 {
		maxInFlight = DefaultMaxInFlight
	}
	l := &Limits{sem: make(chan struct{}, maxInFlight)}
	if r > 0 {
		l.limiter = rate.NewLimiter(rate.Limit(r), burst)
	}
	return l, nil
}

// MaxInFlight is the cap on requests in flight.
func (l *Limits) MaxInFlight() int { return cap(l.sem) }

// acquire takes one of the in-flight slots.
func (l *Limits) acquire(ctx context.Context) error {
	select {
	case l.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *Limits) release() { <-l.sem }
