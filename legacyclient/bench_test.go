package legacyclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkGetUser compares GetUser through the Client with a bare
// http.Client against the same tiny static handler: the difference is the
// Client's overhead per call (retry policy, limiter, semaphore, decoding).
func BenchmarkGetUser(b *testing.B) {
	body := []byte(`{"data":` + userJSON + `}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()

	b.Run("client", func(b *testing.B) {
		c, err := New(Config{BaseURL: srv.URL, APIKey: testKey})
		if err != nil {
			b.Fatal(err)
		}
		defer c.CloseIdleConnections()
		ctx := context.Background()
		for b.Loop() {
			if _, err := c.GetUser(ctx, 7); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		hc := &http.Client{Transport: defaultTransport(DefaultMaxInFlight)}
		defer hc.CloseIdleConnections()
		for b.Loop() {
			req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/users/7", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("X-Api-Key", testKey)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Fatal(resp.StatusCode, err)
			}
		}
	})
}
