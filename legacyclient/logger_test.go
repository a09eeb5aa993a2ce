package legacyclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// TestLogs: go-retryablehttp logs through zap; no line holds the API key,
// and no line above debug holds a body or a query (user names).
func TestLogs(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	_, c := serve(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case n == 0:
			dropConn(t, w)
		case r.Method == http.MethodGet && n < 3:
			answer(w, 503, `{"error":{"code":"server_error","message":"`+r.Header.Get("X-Api-Key")+`"}}`)
		case r.Method == http.MethodGet:
			answer(w, 200, `{"data":[],"meta":{"page":1,"per_page":100,"total":0}}`)
		default:
			answer(w, 201, `{"data":{"id":1,"username":"secret-user@x.example"}}`)
		}
	}, func(cfg *Config) { cfg.Logger = zap.New(core) })
	body := json.RawMessage(`{"username":"secret-user@x.example","email":"e@x","identifier":"i"}`)
	if _, err := c.CreateUser(context.Background(), body); err != nil {
		t.Fatalf("got error %v, want nil", err)
	}
	messages := map[string]bool{}
	for _, e := range logs.All() {
		messages[e.Message] = true
		line := fmt.Sprint(e.Message, e.ContextMap())
		if strings.Contains(line, testKey) {
			t.Errorf("got API key in log line %q", line)
		}
		if e.Level > zapcore.DebugLevel && strings.Contains(line, "secret-user") {
			t.Errorf("got a user name at %s in log line %q", e.Level, line)
		}
	}
	for _, m := range []string{"performing request", "request failed", "retrying request", "hector attempt"} {
		if !messages[m] {
			t.Errorf("got no %q line, want one (messages: %v)", m, messages)
		}
	}
}

// TestDryRunLog: a dry-run write is logged at info level with its method,
// path and field names; its body, which holds personal data, only at
// debug level or with DryRunBodies.
func TestDryRunLog(t *testing.T) {
	tests := []struct {
		name     string
		level    zapcore.Level
		bodies   bool
		wantBody bool
	}{
		{"info", zapcore.InfoLevel, false, false},
		{"debug", zapcore.DebugLevel, false, true},
		{"info with DryRunBodies", zapcore.InfoLevel, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			core, logs := observer.New(tt.level)
			f, c := serve(t, always(200, `{"data":[],"meta":{"page":1,"per_page":100,"total":0}}`), func(cfg *Config) {
				cfg.Logger, cfg.DryRun, cfg.DryRunBodies = zap.New(core), true, tt.bodies
			})
			body := json.RawMessage(`{"username":"secret-user@x.example","email":"e@x","first_name":"Ada"}`)
			if _, err := c.CreateUser(context.Background(), body); err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			for _, h := range f.requests() {
				if h.Method != http.MethodGet {
					t.Errorf("got a %s sent to Hector in a dry run, want reads only", h.Method)
				}
			}
			lines := logs.FilterMessage("dry run: hector write not sent").All()
			if len(lines) != 1 {
				t.Fatalf("got %d dry-run lines, want 1", len(lines))
			}
			e := lines[0]
			if e.Level != zapcore.InfoLevel {
				t.Errorf("level: got %s, want info", e.Level)
			}
			m := e.ContextMap()
			if m["method"] != "POST" || m["path"] != "/users" || fmt.Sprint(m["fields"]) != "[username email first_name]" {
				t.Errorf("got fields %v, want method POST, path /users, fields [username email first_name]", m)
			}
			_, hasBody := m["body"]
			if hasBody != tt.wantBody {
				t.Errorf("body on the line: got %v, want %v (%v)", hasBody, tt.wantBody, m)
			}
			if !tt.wantBody && strings.Contains(fmt.Sprint(m), "secret-user") {
				t.Errorf("got a personal value on the line: %v", m)
			}
		})
	}
}
