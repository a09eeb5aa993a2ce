package legacyclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"go.uber.org/zap"
)

// maxBody bounds every body read from Hector.
const maxBody = 16 << 20

// attemptTransport runs one HTTP attempt of a call: it waits for a slot
// (MaxInFlight) and for the client-side rate limiter, applies the
// per-attempt timeout, reads the whole body within it, and reports the
// attempt to the Observer. Each attempt, retries included, goes through it.
type attemptTransport struct {
	k *call
}

// RoundTrip implements http.RoundTripper.
func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	k, c := t.k, t.k.c
	ctx := req.Context()
	if err := c.limits.acquire(ctx); err != nil {
		return nil, err
	}
	defer c.limits.release()
	if err := c.waitRate(ctx, k.ctx); err != nil {
		return nil, err
	}
	k.attempts++
	start := time.Now()
	resp, err := c.attempt(req)
	c.observeAttempt(k, resp, err, time.Since(start))
	return resp, err
}

// attempt sends req under the per-attempt timeout and returns the response
// with its body read into memory (at most maxBody+1 bytes), so that a
// failure while reading counts as a failed attempt.
func (c *Client) attempt(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), c.cfg.Timeout)
	defer cancel()
	resp, err := c.rt.RoundTrip(req.WithContext(ctx))
	if err == nil {
		var body []byte
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		resp.Body.Close()
		if err == nil {
			resp.Body = &bufferedBody{Reader: bytes.NewReader(body), b: body}
			resp.ContentLength = int64(len(body))
			return resp, nil
		}
	}
	if ctx.Err() != nil && req.Context().Err() == nil && !isDialError(err) {
		err = fmt.Errorf("attempt timed out after %s", c.cfg.Timeout)
	}
	return nil, err
}

// bufferedBody is a response body already read into memory.
type bufferedBody struct {
	*bytes.Reader
	b []byte
}

// Close implements io.Closer; there is nothing to release.
func (*bufferedBody) Close() error { return nil }

// bodyBytes returns the body attemptTransport buffered.
func bodyBytes(resp *http.Response) ([]byte, error) {
	if b, ok := resp.Body.(*bufferedBody); ok {
		return b.b, nil
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
}

// waitRate waits for the client-side limiter, reporting a wait to the
// Observer with the caller's context. A wait that would pass the deadline
// is not started.
func (c *Client) waitRate(ctx, callerCtx context.Context) error {
	if c.limits.limiter == nil {
		return nil
	}
	r := c.limits.limiter.Reserve()
	if !r.OK() {
		return errors.New("rate limiter: burst too small")
	}
	d := r.Delay()
	if d <= 0 {
		return nil
	}
	if !fitsDeadline(ctx, d) {
		r.Cancel()
		return errDeadlineAhead
	}
	if c.cfg.Observer != nil {
		c.cfg.Observer.RateWait(callerCtx, d)
	}
	if err := sleep(ctx, d); err != nil {
		r.Cancel()
		return err
	}
	return nil
}

// observeAttempt reports one attempt to the Observer and the debug log.
func (c *Client) observeAttempt(k *call, resp *http.Response, err error, d time.Duration) {
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	if c.cfg.Observer != nil {
		c.cfg.Observer.Attempt(k.ctx, k.route, status, d, k.attempts > 1)
	}
	if ce := c.log.Check(zap.DebugLevel, "hector attempt"); ce != nil {
		fields := []zap.Field{
			zap.String("route", k.route),
			zap.Int("attempt", k.attempts),
			zap.Int("status", status),
			zap.Duration("duration", d),
		}
		if err != nil {
			fields = append(fields, zap.String("error", c.scrub(err.Error())))
		}
		ce.Write(fields...)
	}
}
