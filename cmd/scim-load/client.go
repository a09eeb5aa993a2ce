package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// target is one HTTP endpoint under load: the sidecar (SCIM, bearer token)
// or the simulator (Hector, API key).
type target struct {
	base   string
	header http.Header // set on every request
	client *http.Client
}

func scimTarget(base string, conns int) *target {
	return &target{base: base, client: newClient(conns), header: http.Header{
		"Authorization": {"Bearer " + scimToken}, "Content-Type": {"application/scim+json"},
		"Accept": {"application/scim+json"},
	}}
}

func hectorTarget(base string, conns int) *target {
	return &target{base: base, client: newClient(conns), header: http.Header{
		"X-Api-Key": {apiKey}, "Content-Type": {"application/json"},
	}}
}

// newClient is a keep-alive client that dials 127.0.0.1 only and keeps
// conns idle connections.
func newClient(conns int) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if host, _, err := net.SplitHostPort(addr); err != nil || host != "127.0.0.1" {
				return nil, fmt.Errorf("refusing to dial %s: 127.0.0.1 only", addr)
			}
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns: 2 * conns, MaxIdleConnsPerHost: 2 * conns, IdleConnTimeout: time.Minute,
		DisableCompression: true,
	}
	return &http.Client{
		Transport: tr, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// statusError is an answer with an unexpected status.
type statusError struct {
	method, path string
	status, want int
	retryAfter   string
	body         string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s %s: status %d, want %d: %s", e.method, e.path, e.status, e.want, e.body)
}

// do sends one request and checks its status. With keep, it returns the
// body; otherwise the body is read and discarded.
func (t *target) do(ctx context.Context, method, path string, body []byte, want int, keep bool) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.base+path, rd)
	if err != nil {
		return nil, err
	}
	for k, v := range t.header {
		req.Header[k] = v
	}
	res, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != want {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		_, _ = io.Copy(io.Discard, res.Body)
		return nil, &statusError{method: method, path: path, status: res.StatusCode, want: want,
			retryAfter: res.Header.Get("Retry-After"), body: string(b)}
	}
	if !keep {
		_, err = io.Copy(io.Discard, res.Body)
		return nil, err
	}
	return io.ReadAll(res.Body)
}

// close drops the idle connections.
func (t *target) close() { t.client.CloseIdleConnections() }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
