package provision

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
)

// deadlineRetryAfter is what a client is told to wait after a request ran
// out of time.
const deadlineRetryAfter = 30 * time.Second

// AsError turns any error of an operation into the SCIM answer it deserves.
// Hector's 404, 409 and 422 become 404, 409 uniqueness and 400
// invalidValue; Hector's 429 and 503 after retries become 429 and 503 with
// Retry-After; Hector unreachable or failing becomes 502 or 503; a request
// that ran out of time becomes 503. SCIM errors keep their answer; anything
// else is the sidecar's own fault: 500.
func AsError(err error) *translate.Error {
	var se *translate.Error
	if errors.As(err, &se) {
		return se
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &translate.Error{Status: http.StatusServiceUnavailable, Detail: "the request could not finish in time; retry it later", RetryAfter: deadlineRetryAfter, Err: err}
	}
	var le *legacyclient.Error
	if errors.As(err, &le) {
		return fromLegacy(le)
	}
	return translate.AsError(err)
}

func fromLegacy(le *legacyclient.Error) *translate.Error {
	e := &translate.Error{Err: le}
	switch {
	case le.Status == http.StatusNotFound:
		e.Status, e.Detail = http.StatusNotFound, "not found in Hector"
	case le.Status == http.StatusConflict:
		e.Status, e.ScimType, e.Detail = http.StatusConflict, translate.Uniqueness, "Hector already has a resource with this "+fieldList(le.Fields)
	case le.Status == http.StatusUnprocessableEntity || le.Status == http.StatusBadRequest:
		e.Status, e.ScimType, e.Detail = http.StatusBadRequest, translate.InvalidValue, "Hector rejected the values: "+fieldDetail(le)
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

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// userErr turns Hector's 404 for user id into SCIM's.
func userErr(err error, id string) error {
	if legacyclient.IsNotFound(err) {
		return translate.NotFound("User", id)
	}
	return err
}

// groupErr turns Hector's 404 for group id into SCIM's.
func groupErr(err error, id string) error {
	if legacyclient.IsNotFound(err) {
		return translate.NotFound("Group", id)
	}
	return err
}
