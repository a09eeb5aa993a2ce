package legacyclient

import (
	"context"
	"crypto/tls"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// errDeadlineAhead is returned when a wait would pass the caller's deadline:
// the call stops now instead of failing later.
var errDeadlineAhead = deadlineAheadError{}

type deadlineAheadError struct{}

func (deadlineAheadError) Error() string { return "wait would pass the context deadline" }

// Is makes errors.Is(err, context.DeadlineExceeded) hold.
func (deadlineAheadError) Is(target error) bool { return target == context.DeadlineExceeded }

// call is the state of one logical call to Hector across its attempts. The
// retry policy and the attempt transport share it; attempts are sequential,
// so it needs no lock.
type call struct {
	c          *Client
	ctx        context.Context // the caller's, handed to the Observer
	route      string
	idempotent bool
	attempts   int
	wait       time.Duration // the next backoff, chosen by checkRetry
}

// retryClient builds the go-retryablehttp client for one call. It is cheap:
// connections live in the shared transport, and the per-call policy can see
// the deadline when it picks a wait, which a shared Backoff could not.
func (k *call) retryClient() *retryablehttp.Client {
	c := k.c
	return &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport:     &attemptTransport{k: k},
			CheckRedirect: noRedirect,
			Jar:           nil,
			Timeout:       0, // per attempt, in attemptTransport
		},
		Logger:          c.rlog,
		RetryWaitMin:    c.cfg.RetryWaitMin,
		RetryWaitMax:    c.cfg.RetryWaitMax,
		RetryMax:        c.cfg.retries,
		RequestLogHook:  nil,
		ResponseLogHook: nil,
		CheckRetry:      k.checkRetry,
		Backoff:         k.backoff,
		ErrorHandler:    retryablehttp.PassthroughErrorHandler,
		PrepareRetry:    nil,
	}
}

// noRedirect keeps the API key from following a redirect to another host.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// checkRetry is the CheckRetry policy: stop when the caller's context ended;
// retry what retryable allows; stop, passing the last answer through, when
// the wait before the next attempt would pass the caller's deadline.
func (k *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if !k.retryable(resp, err) {
		return false, nil
	}
	var after time.Duration
	if resp != nil {
		after = retryAfter(resp.Header)
	}
	wait := k.c.backoff(k.attempts-1, after)
	if !fitsDeadline(ctx, wait) {
		return false, nil
	}
	k.wait = wait
	return true, nil
}

// retryable decides from one attempt's outcome. Connection errors, 429 and
// 500/502/503/504 are retried; other answers are final. A call that is not
// idempotent (POST /users, POST /groups) is retried only when the request
// cannot have reached Hector: a dial error, or a 429 (rejected unprocessed).
func (k *call) retryable(resp *http.Response, err error) bool {
	if err != nil {
		var certErr *tls.CertificateVerificationError
		if errors.Is(err, errDeadlineAhead) || errors.As(err, &certErr) {
			return false
		}
		return k.idempotent || isDialError(err)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return k.idempotent
	}
	return false
}

// backoff is the Backoff hook: the wait checkRetry chose just before.
func (k *call) backoff(time.Duration, time.Duration, int, *http.Response) time.Duration {
	return k.wait
}

// backoff returns the wait before retry number retry (0-based): the
// Retry-After when Hector sent one, else exponential backoff from
// RetryWaitMin, capped at RetryWaitMax, with jitter over its upper half.
func (c *Client) backoff(retry int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	lo, hi := c.cfg.RetryWaitMin, c.cfg.RetryWaitMax
	ceil := lo
	for i := 0; i < retry && ceil < hi; i++ {
		ceil *= 2
	}
	ceil = min(ceil, hi)
	half := ceil / 2
	wait := half + rand.N(half+1)
	return min(max(wait, lo), hi)
}

// fitsDeadline reports whether waiting d leaves ctx's deadline ahead.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}

// sleep waits d unless ctx ends first or d would pass its deadline.
func sleep(ctx context.Context, d time.Duration) error {
	if !fitsDeadline(ctx, d) {
		return errDeadlineAhead
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
