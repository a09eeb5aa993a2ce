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
