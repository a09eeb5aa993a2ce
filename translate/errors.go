package translate

import (
	"errors"
	"fmt"
	"time"

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

// HTTP statuses of SCIM answers (RFC 7644 §3.12), named here so that this
// package needs no net/http.
const (
	StatusBadRequest         = 400
	StatusNotFound           = 404
	StatusConflict           = 409
	StatusPreconditionFailed = 412
	StatusInternalError      = 500
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

// BadRequest is a 400 answer with a scimType and a formatted detail.
func BadRequest(scimType, format string, args ...any) *Error {
	return &Error{Status: StatusBadRequest, ScimType: scimType, Detail: fmt.Sprintf(format, args...)}
}

// NotFound is the 404 answer for a resource ("User", "Group") and id.
func NotFound(resource, id string) *Error {
	return &Error{Status: StatusNotFound, Detail: fmt.Sprintf("%s %q not found", resource, id)}
}

// AsError turns an error of the SCIM layer into its answer: a *Error as it
// is, a filter error as 400 with its scimType, anything else as the
// sidecar's own fault, 500. Errors of Hector calls are turned into answers
// by the provision package before they get here.
func AsError(err error) *Error {
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	var fe *filter.Error
	if errors.As(err, &fe) {
		return &Error{Status: StatusBadRequest, ScimType: fe.ScimType, Detail: fe.Detail, Err: err}
	}
	return &Error{Status: StatusInternalError, Detail: "internal error", Err: err}
}
