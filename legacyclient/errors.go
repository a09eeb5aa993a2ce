package legacyclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// Error codes: those of the contract, plus CodeUnreachable (no answer from
// Hector) and CodeBadResponse (an answer the client could not read).
const (
	CodeBadRequest   = "bad_request"
	CodeUnauthorized = "unauthorized"
	CodeNotFound     = "not_found"
	CodeConflict     = "conflict"
	CodeInvalid      = "invalid"
	CodeRateLimited  = "rate_limited"
	CodeServerError  = "server_error"
	CodeUnreachable  = "unreachable"
	CodeBadResponse  = "bad_response"
)

// Error is every failure the API or the transport produced.
type Error struct {
	// Status is Hector's HTTP status; 0 when there was no answer: Hector
	// was unreachable (connection error or timeout on every attempt, or
	// the caller's context ended; Code CodeUnreachable), or the request
	// was refused before sending (invalid input; Code CodeBadRequest).
	Status int
	// Code is the contract's error code (CodeNotFound, ...), or
	// CodeUnreachable, or CodeBadResponse when the answer could not be
	// read, or CodeBadRequest for input refused before sending.
	Code string
	// Message is Hector's message, or a short description of the failure.
	Message string
	// Fields maps a field name to its problem, from the error body's "fields".
	Fields map[string]string
	// RetryAfter is the Retry-After of the last answer, 0 if none.
	RetryAfter time.Duration
	// Op is the route of the call, such as "POST /users".
	Op string
	// Err is the underlying transport error, if any, with the API key
	// scrubbed from its text.
	Err error
}

// Error returns "hector <op>: <status> <code>: <message>", or
// "hector <op>: <code>: <cause>" when Status is 0.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("hector ")
	b.WriteString(e.Op)
	b.WriteString(": ")
	switch {
	case e.Status != 0:
		b.WriteString(strconv.Itoa(e.Status))
		b.WriteByte(' ')
		b.WriteString(e.Code)
	case e.Code != "":
		b.WriteString(e.Code)
	default:
		b.WriteString(CodeUnreachable)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying transport or context error.
func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether the same call may succeed later: Hector was
// unreachable, rate-limited the call or failed with a 5xx.
func (e *Error) Temporary() bool {
	return e.Code == CodeUnreachable || e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// IsNotFound reports whether err is a Hector 404.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsConflict reports whether err is a Hector 409: a unique field is taken.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }

// IsInvalid reports whether err is a Hector 422: a value is missing or invalid.
func IsInvalid(err error) bool { return hasStatus(err, http.StatusUnprocessableEntity) }

// IsRateLimited reports whether err is a Hector 429 that outlasted the retries.
func IsRateLimited(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

// IsTemporary reports whether err is an *Error that may go away when the
// call is repeated later (see Error.Temporary).
func IsTemporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temporary()
}

func hasStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == status
}

// codeForStatus is the contract's code for status, for answers without one.
func codeForStatus(status int) string {
	switch {
	case status == http.StatusBadRequest:
		return CodeBadRequest
	case status == http.StatusUnauthorized:
		return CodeUnauthorized
	case status == http.StatusNotFound:
		return CodeNotFound
	case status == http.StatusConflict:
		return CodeConflict
	case status == http.StatusUnprocessableEntity:
		return CodeInvalid
	case status == http.StatusTooManyRequests:
		return CodeRateLimited
	case status >= 500:
		return CodeServerError
	}
	return CodeBadResponse
}

// statusError decodes Hector's error answer. The message is scrubbed of
// the API key in case Hector echoes it.
func (c *Client) statusError(op string, status int, h http.Header, body []byte) *Error {
	e := &Error{Status: status, Code: codeForStatus(status), Op: op, RetryAfter: retryAfter(h)}
	if !gjson.ValidBytes(body) {
		e.Message = http.StatusText(status)
		return e
	}
	errObj := gjson.GetBytes(body, "error")
	if code := errObj.Get("code").String(); code != "" {
		e.Code = c.scrub(code)
	}
	e.Message = c.scrub(errObj.Get("message").String())
	if f := errObj.Get("fields"); f.IsObject() {
		e.Fields = make(map[string]string)
		f.ForEach(func(k, v gjson.Result) bool {
			e.Fields[c.scrub(k.String())] = c.scrub(v.String())
			return true
		})
	}
	return e
}

// badResponse reports an answer whose body the client could not use.
func badResponse(op string, status int, msg string) *Error {
	return &Error{Status: status, Code: CodeBadResponse, Op: op, Message: msg}
}

// transportError reports a call that got no usable answer. The URL in the
// error loses its query; when the caller's context ended, the error wraps
// ctx.Err().
func (c *Client) transportError(ctx context.Context, op string, err error) *Error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.URL != "" {
		noQuery := *ue // the query may hold user names and e-mail addresses
		noQuery.URL, _, _ = strings.Cut(ue.URL, "?")
		err = &noQuery
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w: %w", ctxErr, err)
	}
	return &Error{Status: 0, Code: CodeUnreachable, Op: op, Err: c.scrubErr(err)}
}

// retryAfter parses Retry-After as seconds or an HTTP date; 0 if absent.
func retryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(min(secs, int64(24*time.Hour/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t)).Round(time.Second)
	}
	return 0
}

// isDialError reports whether err happened while connecting, before any
// byte of the request was sent, so that repeating a POST is safe.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// scrubbedError stands for an error whose text contained the API key. It
// keeps the context error, if any, reachable for errors.Is.
type scrubbedError struct {
	msg string
	ctx error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.ctx }

// scrub removes the API key from s.
func (c *Client) scrub(s string) string {
	if c.key == "" || !strings.Contains(s, c.key) {
		return s
	}
	return strings.ReplaceAll(s, c.key, "[REDACTED]")
}

// scrubErr returns err, or a stand-in without the API key in its text.
func (c *Client) scrubErr(err error) error {
	if err == nil || c.key == "" || !strings.Contains(err.Error(), c.key) {
		return err
	}
	s := &scrubbedError{msg: c.scrub(err.Error())}
	switch {
	case errors.Is(err, context.Canceled):
		s.ctx = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		s.ctx = context.DeadlineExceeded
	}
	return s
}
