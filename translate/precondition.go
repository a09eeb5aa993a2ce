package translate

import (
	"context"
	"net/http"
	"strings"
)

type ifMatchKey struct{}

// WithIfMatch returns a context carrying a request's If-Match header: a
// write then happens only while the resource's current version (its
// meta.version, a weak ETag) is one of the listed ones, or "*".
func WithIfMatch(ctx context.Context, header string) context.Context {
	if strings.TrimSpace(header) == "" {
		return ctx
	}
	return context.WithValue(ctx, ifMatchKey{}, header)
}

// checkVersion answers 412 when the request carries If-Match and the
// resource's current version is not among its tags.
func checkVersion(ctx context.Context, current Resource) error {
	header, _ := ctx.Value(ifMatchKey{}).(string)
	if header == "" {
		return nil
	}
	m, _ := current["meta"].(map[string]any)
	version, _ := m["version"].(string)
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || weakEqual(tag, version) {
			return nil
		}
	}
	return &Error{Status: http.StatusPreconditionFailed, Detail: "the resource has changed since the version given in If-Match; read it again"}
}

// weakEqual compares entity tags weakly (RFC 9110 §8.8.3.2).
func weakEqual(a, b string) bool {
	return strings.TrimPrefix(a, "W/") == strings.TrimPrefix(b, "W/")
}
