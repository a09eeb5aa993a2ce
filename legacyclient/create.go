package legacyclient

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"
)

// lookupFunc finds the object a POST was to create. It returns the object
// wrapped as a single-object answer ({"data": ...}) and whether it exists.
type lookupFunc func(ctx context.Context) ([]byte, bool, error)

// create runs r, a POST that is not idempotent, without ever re-sending it
// blindly. When an attempt may have reached Hector unanswered, lookup
// decides: the object found is adopted; otherwise the POST is repeated,
// after a backoff, at most Retries times. A 409 on a repeated POST is
// adopted when lookup finds the object, else returned. adopted reports an
// object found by lookup rather than answered by a POST.
func (c *Client) create(ctx context.Context, r request, lookup lookupFunc) (body []byte, adopted bool, err error) {
	for round := 0; ; round++ {
		body, err := c.send(ctx, r)
		switch {
		case err == nil:
			return body, false, nil
		case round > 0 && IsConflict(err):
			return c.adoptOr(ctx, r.route, err, lookup)
		case !mayHaveArrived(ctx, err):
			return nil, false, err
		}
		found, ok, lerr := lookup(ctx)
		if lerr != nil {
			return nil, false, lerr
		}
		if ok {
			c.logAdopted(r.route, round)
			return found, true, nil
		}
		if round >= c.cfg.retries {
			return nil, false, err
		}
		if serr := sleep(ctx, c.backoff(round, retryAfterOf(err))); serr != nil {
			if errors.Is(serr, errDeadlineAhead) {
				return nil, false, err
			}
			return nil, false, c.transportError(ctx, r.route, serr)
		}
	}
}

// adoptOr returns the object lookup finds, else the conflict err.
func (c *Client) adoptOr(ctx context.Context, route string, err error, lookup lookupFunc) ([]byte, bool, error) {
	found, ok, lerr := lookup(ctx)
	if lerr != nil || !ok {
		return nil, false, err
	}
	c.logAdopted(route, -1)
	return found, true, nil
}

// mayHaveArrived reports whether a failed POST may have been processed by
// Hector: a 5xx, a success answer the client could not read, or a
// transport error after the request was (perhaps) sent.
func mayHaveArrived(ctx context.Context, err error) bool {
	var e *Error
	if !errors.As(err, &e) || ctx.Err() != nil {
		return false
	}
	switch {
	case e.Status >= 500:
		return true
	case e.Status >= 200 && e.Status < 300:
		return e.Code == CodeBadResponse
	case e.Status == 0:
		return e.Err != nil && !isDialError(e.Err) && !errors.Is(e.Err, errDeadlineAhead)
	}
	return false
}

// retryAfterOf returns err's RetryAfter, 0 if none.
func retryAfterOf(err error) (d time.Duration) {
	var e *Error
	if errors.As(err, &e) {
		d = e.RetryAfter
	}
	return d
}

// logAdopted notes that an ambiguous POST's object was found and adopted.
func (c *Client) logAdopted(route string, round int) {
	if ce := c.log.Check(zap.DebugLevel, "hector post adopted"); ce != nil {
		ce.Write(zap.String("route", route), zap.Int("round", round))
	}
}
