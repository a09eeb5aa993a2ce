package translate

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate/filter"
)

// SCIM error types (RFC 7644 §3.12).
const (
	InvalidFilter = "invalidFilter"
	TooMany       = "tooMany"
	Uniqueness    = "uniqueness"
	Mutability    = "mutability"
	InvalidSyntax = "invalidSyntax"
	InvalidPath   = "invalidPath"
	NoTarget      = "noTarget"
	InvalidValue  = "invalidValue"
)

// Error is a failure with its SCIM answer: an HTTP status, an optional
// scimType and a detail safe to show to the client.
type Error struct {
	Status     int
	ScimType   string
	Detail     string
	RetryAfter time.Duration // set on 429 and 503 answers
	Err        error         // the cause, for logs; never shown to the client
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("scim %d %s: %s: %v", e.Status, e.ScimType, e.Detail, e.Err)
	}
	return fmt.Sprintf("scim %d %s: %s", e.Status, e.ScimType, e.Detail)
}

func (e *Error) Unwrap() error { return e.Err }

func badRequest(scimType, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, ScimType: scimType, Detail: fmt.Sprintf(format, args...)}
}

func notFound(resource, id string) *Error {
	return &Error{Status: http.StatusNotFound, Detail: fmt.Sprintf("%s %q not found", resource, id)}
}

// deadlineRetryAfter is what a client is told to wait after a request ran
// out of time.
const deadlineRetryAfter = 30 * time.Second

// AsError turns any error of an operation into the SCIM answer it deserves.
// Hector's 404, 409 and 422 become 404, 409 uniqueness and 400
// invalidValue; Hector's 429 and 503 after retries become 429 and 503 with
// Retry-After; Hector unreachable or failing becomes 502 or 503; a request
// that ran out of time becomes 503. Anything else is the sidecar's own
// fault: 500.
func AsError(err error) *Error {
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	var fe *filter.Error
	if errors.As(err, &fe) {
		return &Error{Status: http.StatusBadRequest, ScimType: fe.ScimType, Detail: fe.Detail, Err: err}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &Error{Status: http.StatusServiceUnavailable, Detail: "the request could not finish in time; retry it later", RetryAfter: deadlineRetryAfter, Err: err}
	}
	var le *legacyclient.Error
	if errors.As(err, &le) {
		return fromLegacy(le)
	}
	return &Error{Status: http.StatusInternalServerError, Detail: "internal error", Err: err}
}

func fromLegacy(le *legacyclient.Error) *Error {
	e := &Error{Err: le}
	switch {
	case le.Status == http.StatusNotFound:
		e.Status, e.Detail = http.StatusNotFound, "not found in Hector"
	case le.Status == http.StatusConflict:
		e.Status, e.ScimType, e.Detail = http.StatusConflict, Uniqueness, "Hector already has a resource with this "+fieldList(le.Fields)
	case le.Status == http.StatusUnprocessableEntity || le.Status == http.StatusBadRequest:
		e.Status, e.ScimType, e.Detail = http.StatusBadRequest, InvalidValue, "Hector rejected the values: "+fieldDetail(le)
	case le.Status == http.StatusTooManyRequests:
		e.Status, e.Detail, e.RetryAfter = http.StatusTooManyRequests, "Hector is rate limiting; retry later", retryAfter(le.RetryAfter)
	case le.Status == http.StatusUnauthorized || le.Status == http.StatusForbidden:
		e.Status, e.Detail = http.StatusBadGateway, "Hector refused the sidecar's API key"
	case le.Status == 0:
		e.Status, e.Detail, e.RetryAfter = http.StatusServiceUnavailable, "Hector is unreachable; retry later", retryAfter(le.RetryAfter)
	case le.Status == http.StatusServiceUnavailable:
		e.Status, e.Detail, e.RetryAfter = http.StatusServiceUnavailable, "Hector is unavailable; retry later", retryAfter(le.RetryAfter)
	default:
		e.Status, e.Detail = http.StatusBadGateway, fmt.Sprintf("Hector answered %d", le.Status)
	}
	return e
}

func retryAfter(d time.Duration) time.Duration {
	if d < time.Second {
		return 5 * time.Second
	}
	return d
}

func fieldList(fields map[string]string) string {
	if len(fields) == 0 {
		return "unique value"
	}
	s := ""
	for _, k := range sortedKeys(fields) {
		if s != "" {
			s += ", "
		}
		s += k
	}
	return s
}

func fieldDetail(le *legacyclient.Error) string {
	if len(le.Fields) == 0 {
		return le.Message
	}
	s := ""
	for _, k := range sortedKeys(le.Fields) {
		if s != "" {
			s += "; "
		}
		s += k + " " + le.Fields[k]
	}
	return s
}
