// Package legacyclient calls Hector's legacy REST API, as the contract in
// hector-legacy-api.md describes it, for the rest of hector-scim.
//
// A Client retries what is safe to retry (go-retryablehttp with a policy
// written for this API), never re-sends blindly a POST that may have
// reached Hector (CreateUser and CreateGroup look the object up first),
// keeps under a client-side rate limit and a cap on requests in flight,
// and reports every failure as an *Error. It knows nothing of SCIM or
// Caddy.
package legacyclient

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/go-retryablehttp"
	"go.uber.org/zap"
)

// Client calls Hector. It is safe for concurrent use; create it once with
// New and share it.
type Client struct {
	cfg    settings
	base   string // BaseURL without its trailing slash
	key    string
	rt     http.RoundTripper
	limits *Limits
	log    *zap.Logger
	rlog   retryablehttp.LeveledLogger
}

// New validates cfg and returns a Client. It does no network I/O.
func New(cfg Config) (*Client, error) {
	s, err := resolve(cfg)
	if err != nil {
		return nil, fmt.Errorf("legacyclient: %w", err)
	}
	c := &Client{
		cfg:    s,
		base:   strings.TrimRight(s.base.String(), "/"),
		key:    s.APIKey,
		limits: s.limits,
		log:    s.Logger,
	}
	switch {
	case s.HTTPClient == nil:
		c.rt = defaultTransport(s.limits.MaxInFlight())
	case s.HTTPClient.Transport == nil:
		c.rt = http.DefaultTransport
	default:
		c.rt = s.HTTPClient.Transport
	}
	if cfg.Logger != nil {
		// Without a Logger, go-retryablehttp gets none either (not its
		// stderr default): it then skips building its log lines.
		c.rlog = retryLogger{log: s.Logger, scrub: c.scrub}
	}
	return c, nil
}

// CloseIdleConnections closes the transport's idle connections, if it
// supports that; call it when the Client is no longer used.
func (c *Client) CloseIdleConnections() {
	if t, ok := c.rt.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

// request describes one call of the contract.
type request struct {
	route      string // pattern, e.g. "GET /users/{id}"
	method     string
	path       string // escaped, appended to the base URL
	query      url.Values
	body       []byte // JSON, or nil
	want       int    // the success status
	idempotent bool   // false for POST /users and POST /groups
}

// send performs r with retries and returns the body of the success answer.
// Every failure is an *Error.
func (c *Client) send(ctx context.Context, r request) ([]byte, error) {
	if c.cfg.DryRun && r.method != http.MethodGet {
		return c.dryRun(r), nil
	}
	rreq, err := c.newRequest(ctx, r)
	if err != nil {
		return nil, &Error{Code: CodeBadRequest, Op: r.route, Message: "cannot build request", Err: c.scrubErr(err)}
	}
	k := &call{c: c, ctx: ctx, route: r.route, idempotent: r.idempotent}
	resp, err := k.retryClient().Do(rreq)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, c.transportError(ctx, r.route, err)
	}
	body, err := bodyBytes(resp)
	if err != nil {
		return nil, c.transportError(ctx, r.route, err)
	}
	if len(body) > maxBody {
		return nil, badResponse(r.route, resp.StatusCode, "body larger than 16 MiB")
	}
	if resp.StatusCode != r.want {
		return nil, c.statusError(r.route, resp.StatusCode, resp.Header, body)
	}
	return body, nil
}

// newRequest builds the first attempt's request.
func (c *Client) newRequest(ctx context.Context, r request) (*retryablehttp.Request, error) {
	u := c.base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body any
	if r.body != nil {
		body = r.body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Api-Key", c.key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "hector-scim-legacyclient")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// BaseURL is the base URL the client calls (it holds no secret).
func (c *Client) BaseURL() string { return c.base }
