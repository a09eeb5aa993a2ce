package caddymodule

import (
	"context"
	"net/http"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

// requestIDKey is the context key of the request's id for audit lines.
type requestIDKey struct{}

// withRequestID puts the request's id, {http.request.uuid}, in ctx for the
// audit lines of the changes the request makes. Resolving the placeholder
// is also what puts the same id on Caddy's access log line (field
// "uuid"), so a request's access log line and its audit lines share it.
// It runs on the request's goroutine, before any concurrent work: Caddy's
// request variables are not safe for concurrent use. A request that did
// not come through Caddy's HTTP server (tests) gets none.
func withRequestID(ctx context.Context, r *http.Request) context.Context {
	repl, ok := r.Context().Value(caddy.ReplacerCtxKey).(*caddy.Replacer)
	if !ok {
		return ctx
	}
	if _, ok := r.Context().Value(caddyhttp.ExtraLogFieldsCtxKey).(*caddyhttp.ExtraLogFields); !ok {
		return ctx // the placeholder would panic without them
	}
	if id, ok := repl.GetString("http.request.uuid"); ok && id != "" {
		return context.WithValue(ctx, requestIDKey{}, id)
	}
	return ctx
}

// requestID is the id withRequestID put in ctx, or "".
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
