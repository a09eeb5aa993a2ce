package caddymodule

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/hector-scim/hector-scim/translate"
)

// TestRequestID: a request's id for its audit lines is the value of
// {http.request.uuid}, the one Caddy puts on the access log line; a request
// that did not come through Caddy's server gets none.
func TestRequestID(t *testing.T) {
	repl := caddy.NewReplacer()
	r := caddyhttp.PrepareRequest(httptest.NewRequest("PATCH", "/scim/v2/Users/1", nil), repl, httptest.NewRecorder(), &caddyhttp.Server{})
	id := requestID(withRequestID(context.Background(), r))
	if want, _ := repl.GetString("http.request.uuid"); id == "" || id != want {
		t.Errorf("got request id %q, want {http.request.uuid} %q", id, want)
	}
	if id := requestID(withRequestID(context.Background(), httptest.NewRequest("PATCH", "/", nil))); id != "" {
		t.Errorf("outside Caddy: got request id %q, want none", id)
	}
}

// TestAuditLine: every line names what caused it (the request's uuid, or
// a scim-report run) and the users it touched; usernames only where
// personal values may be logged.
func TestAuditLine(t *testing.T) {
	c := translate.Change{Object: "membership", Action: "add", ID: "3", Users: []int64{7, 9}, UserNames: []string{"ada@x", "bob@x"}}
	ctx := context.WithValue(context.Background(), requestIDKey{}, "0b5e-uuid")
	tests := []struct {
		name string
		a    func(*zap.Logger) auditor
		want map[string]any
		not  []string
	}{
		{"a request, at info", func(l *zap.Logger) auditor { return auditor{logger: l} },
			map[string]any{"uuid": "0b5e-uuid", "hector_id": "3", "users": []any{int64(7), int64(9)}}, []string{"usernames", "run_id"}},
		{"a request, with log_personal_data", func(l *zap.Logger) auditor { return auditor{logger: l, personal: true} },
			map[string]any{"uuid": "0b5e-uuid", "usernames": []any{"ada@x", "bob@x"}}, []string{"run_id"}},
		{"a scim-report run", func(l *zap.Logger) auditor { return auditor{logger: l, runID: "run-1"} },
			map[string]any{"run_id": "run-1", "users": []any{int64(7), int64(9)}}, []string{"uuid", "usernames"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			core, logs := observer.New(zapcore.InfoLevel)
			tt.a(zap.New(core)).Change(ctx, c)
			if logs.Len() != 1 {
				t.Fatalf("got %d lines, want 1", logs.Len())
			}
			fields := logs.All()[0].ContextMap()
			for k, v := range tt.want {
				if got := fields[k]; !equalJSONish(got, v) {
					t.Errorf("field %s: got %#v, want %#v", k, got, v)
				}
			}
			for _, k := range tt.not {
				if _, ok := fields[k]; ok {
					t.Errorf("field %s is present, want it absent", k)
				}
			}
		})
	}
}

func equalJSONish(a, b any) bool {
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok != bok {
		return false
	}
	if !aok {
		return a == b
	}
	if len(as) != len(bs) {
		return false
	}
	for i := range as {
		if as[i] != bs[i] {
			return false
		}
	}
	return true
}
