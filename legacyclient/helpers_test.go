package legacyclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// testKey is the API key of the tests; no error or log may contain it.
const testKey = "k3y-S3CRET-do-not-leak"

// hit is one request a fake Hector received.
type hit struct {
	Method, Path, RawQuery string
	Key, ContentType       string
	Body                   []byte
}

// fake is a scripted Hector: reply answers the n-th request (0-based).
type fake struct {
	mu    sync.Mutex
	hits  []hit
	reply func(w http.ResponseWriter, r *http.Request, n int)
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	n := len(f.hits)
	f.hits = append(f.hits, hit{
		Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
		Key: r.Header.Get("X-Api-Key"), ContentType: r.Header.Get("Content-Type"), Body: body,
	})
	f.mu.Unlock()
	f.reply(w, r, n)
}

// requests returns a copy of the requests received so far.
func (f *fake) requests() []hit {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]hit(nil), f.hits...)
}

// serve starts a fake Hector under /api/v1 and a Client for it; cfg edits
// the test Config (1ms backoff, 5s attempt timeout).
func serve(t *testing.T, reply func(w http.ResponseWriter, r *http.Request, n int), cfg func(*Config)) (*fake, *Client) {
	t.Helper()
	f := &fake{reply: reply}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", http.StripPrefix("/api/v1", f))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL+"/api/v1/", cfg)
	return f, c
}

func newTestClient(t *testing.T, base string, cfg func(*Config)) *Client {
	t.Helper()
	conf := Config{
		BaseURL: base, APIKey: testKey, Timeout: 5 * time.Second,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond,
	}
	if cfg != nil {
		cfg(&conf)
	}
	c, err := New(conf)
	if err != nil {
		t.Fatalf("New: got error %v, want nil", err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// answer writes status and body as JSON.
func answer(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// always answers every request with status and body.
func always(status int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) { answer(w, status, body) }
}

// script answers the n-th request with statuses[n] (the last one repeats);
// 2xx answers carry ok as the body, others a contract error body.
func script(ok string, statuses ...int) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, n int) {
		s := statuses[min(n, len(statuses)-1)]
		switch {
		case s == http.StatusNoContent:
			w.WriteHeader(s)
		case s < 300:
			answer(w, s, ok)
		default:
			answer(w, s, `{"error":{"code":"x","message":"scripted"}}`)
		}
	}
}

// sameJSON reports whether a and b are equal JSON values.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		return false
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		return false
	}
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	return string(ja) == string(jb)
}

// ctxTimeout returns a context that ends after d, cancelled at cleanup.
func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// asError is errors.As for *Error.
func asError(err error, e **Error) bool { return errors.As(err, e) }

// isDeadline reports whether errors.Is(err, context.DeadlineExceeded).
func isDeadline(err error) bool { return errors.Is(err, context.DeadlineExceeded) }
