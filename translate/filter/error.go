package filter

import (
	"fmt"
	"unicode/utf8"
)

// SCIM error types (RFC 7644 §3.12) this package reports.
const (
	InvalidFilter = "invalidFilter"
	InvalidPath   = "invalidPath"
)

// Error is a filter or path that cannot be used; ScimType is
// "invalidFilter" for Parse, "invalidPath" for ParsePath. Detail is a
// human-readable message that names the attribute or the position at fault.
type Error struct {
	ScimType string
	Detail   string
}

// Error returns the SCIM error type and the detail.
func (e *Error) Error() string { return e.ScimType + ": " + e.Detail }

// fail returns an *Error whose ScimType is set by the exported entry point.
// String arguments (pieces of the input) are clipped to keep the message
// readable.
func fail(format string, args ...any) error {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = clip(s)
		}
	}
	return &Error{Detail: fmt.Sprintf(format, args...)}
}

// clip shortens s to about maxEcho bytes, on a rune boundary.
func clip(s string) string {
	const maxEcho = 100
	if len(s) <= maxEcho {
		return s
	}
	i := maxEcho
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// typed sets the ScimType of an error made by fail.
func typed(err error, scimType string) error {
	if e, ok := err.(*Error); ok {
		return &Error{ScimType: scimType, Detail: e.Detail}
	}
	return &Error{ScimType: scimType, Detail: err.Error()}
}
