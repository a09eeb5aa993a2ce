package provision

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
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
		e.Status, e.ScimType, e.Detail = http.StatusBadRequest, translate.InvalidValue, fieldDetail(le)
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

// fieldList names the fields of a Hector error by their names only.
func fieldList(fields map[string]string) string {
	names := fieldNames(fields)
	if len(names) == 0 {
		return "unique value"
	}
	return strings.Join(names, ", ")
}

// fieldDetail says what Hector rejected by its field names and its error
// code, as "Hector rejected the value of email (invalid)". Hector's own
// message and field texts are never passed on: they are free text, which
// may hold another account's values.
func fieldDetail(le *legacyclient.Error) string {
	kind := le.Code
	if !isName(kind) {
		kind = legacyclient.CodeInvalid
	}
	names := fieldNames(le.Fields)
	switch {
	case len(names) > 0:
		return "Hector rejected the value of " + strings.Join(names, ", ") + " (" + kind + ")"
	case len(le.Fields) > 0:
		return "Hector rejected the value of a field (" + kind + ")"
	}
	return "Hector rejected the request (" + kind + ")"
}

// fieldNames are the sorted names of a Hector error's fields that look
// like field names; anything else is left out.
func fieldNames(fields map[string]string) []string {
	var names []string
	for _, k := range sortedKeys(fields) {
		if isName(k) {
			names = append(names, k)
		}
	}
	return names
}

// isName reports whether s is a plain field name or error code: at most
// 64 lower-case letters, digits, underscores and dots.
func isName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' && r != '.' {
			return false
		}
	}
	return true
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
