package caddymodule

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
	"go.uber.org/zap"

	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
)

// ServeHTTP serves requests under BasePath and passes every other request
// to next.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request, next caddyhttp.Handler) error {
	segs, ok := h.segments(r.URL.Path)
	if !ok {
		return next.ServeHTTP(w, r)
	}
	start := time.Now()
	ctx, calls := withCallCounter(r.Context())
	r = r.WithContext(ctx)
	rw := &recorder{ResponseWriter: w}
	status := h.serve(rw, r, segs)
	h.record(r, segs, status, rw, calls.Load(), time.Since(start))
	return nil
}

// record counts the request in the metrics and puts its SCIM fields on
// Caddy's access log line (caddyhttp.ExtraLogFields): resource,
// operation, SCIM id, Hector calls made and outcome. The access line has
// the status and duration already. Personal values (the filter, an error
// detail that may quote the request) go on it only with log_personal_data.
func (h *Handler) record(r *http.Request, segs []string, status int, rw *recorder, calls int64, d time.Duration) {
	resource, id := "", ""
	if len(segs) > 0 {
		resource = strings.ToLower(segs[0])
	}
	if len(segs) > 1 {
		id = segs[1]
	}
	if h.route(segs).handle == nil {
		resource = "unknown"
	}
	h.metrics.requests.WithLabelValues(h.Tenant, resource, r.Method, strconv.Itoa(status)).Inc()
	h.metrics.duration.WithLabelValues(h.Tenant, resource, r.Method).Observe(d.Seconds())
	extra, ok := r.Context().Value(caddyhttp.ExtraLogFieldsCtxKey).(*caddyhttp.ExtraLogFields)
	if !ok {
		return
	}
	if h.Tenant != "" {
		extra.Set(zap.String("tenant", h.Tenant))
	}
	extra.Set(zap.String("resource", resource))
	extra.Set(zap.String("operation", r.Method))
	extra.Set(zap.String("scim_id", id))
	extra.Set(zap.Int64("hector_calls", calls))
	extra.Set(zap.String("outcome", rw.outcome(h.LogPersonalData)))
	if f := r.URL.Query().Get("filter"); f != "" && h.LogPersonalData {
		extra.Set(zap.String("filter", f))
	}
}

// recorder remembers the SCIM error an answer carried, for the log line.
type recorder struct {
	http.ResponseWriter
	scimType, detail string
	failed           bool
}

// outcome sums up the answer for the access log: "ok", or the error's
// scimType, or, for an error without one, its detail (such details quote
// no request value: "User \"42\" not found", "Hector is unreachable; retry
// later"). With personal, an error's full detail.
func (r *recorder) outcome(personal bool) string {
	switch {
	case !r.failed:
		return "ok"
	case personal, r.scimType == "":
		return strings.TrimSpace(r.scimType + " " + r.detail)
	}
	return r.scimType
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// segments splits the path below BasePath; ok is false for paths outside it.
func (h *Handler) segments(p string) ([]string, bool) {
	rest, ok := strings.CutPrefix(p, h.BasePath)
	if !ok || (rest != "" && rest[0] != '/') {
		return nil, false
	}
	rest = strings.Trim(rest, "/")
	if rest == "" {
		return nil, true
	}
	return strings.Split(rest, "/"), true
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, segs []string) int {
	if status, ok := h.authenticate(w, r); !ok {
		return status
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Duration(h.Deadline))
	defer cancel()
	req := provision.Request{BaseURL: requestBase(r, h.BasePath), IfMatch: r.Header.Get("If-Match")}
	rt := h.route(segs)
	if len(segs) > 0 {
		req.Unknown = h.noteUnknown(strings.ToLower(segs[0]))
	}
	if rt.handle == nil {
		return writeSCIMError(w, http.StatusNotFound, "", "no such SCIM endpoint: "+r.URL.Path)
	}
	if !rt.allows(r.Method) {
		w.Header().Set("Allow", strings.Join(rt.methods, ", "))
		return writeSCIMError(w, http.StatusMethodNotAllowed, "", r.Method+" is not allowed here")
	}
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		return h.writeError(w, r, err)
	}
	status, err := rt.handle(ctx, w, withQuery(r, q), req, rt.id)
	if err != nil {
		return h.writeError(w, r, err)
	}
	return status
}

// handlerFunc serves one endpoint and returns the status it wrote, or an
// error to be written as a SCIM error.
type handlerFunc func(ctx context.Context, w http.ResponseWriter, r *http.Request, req provision.Request, id string) (int, error)

type route struct {
	methods []string
	handle  handlerFunc
	id      string
}

func (rt route) allows(m string) bool {
	for _, x := range rt.methods {
		if x == m {
			return true
		}
	}
	return false
}

// The methods of each kind of endpoint (read-only).
var (
	collectionMethods = []string{http.MethodGet, http.MethodPost}
	itemMethods       = []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete}
	readMethods       = []string{http.MethodGet}
	searchMethods     = []string{http.MethodPost}
)

// route finds the endpoint for the path segments below the base path.
// Endpoint names compare case-insensitively.
func (h *Handler) route(segs []string) route {
	if len(segs) == 0 || len(segs) > 2 {
		return route{}
	}
	id := ""
	if len(segs) == 2 {
		id = segs[1]
	}
	switch strings.ToLower(segs[0]) {
	case "users":
		switch {
		case id == "":
			return route{methods: collectionMethods, handle: h.users}
		case strings.EqualFold(id, searchID):
			return route{methods: searchMethods, handle: h.users, id: searchID}
		}
		return route{methods: itemMethods, handle: h.userItem, id: id}
	case "groups":
		switch {
		case id == "":
			return route{methods: collectionMethods, handle: h.groups}
		case strings.EqualFold(id, searchID):
			return route{methods: searchMethods, handle: h.groups, id: searchID}
		}
		return route{methods: itemMethods, handle: h.groupItem, id: id}
	case "serviceproviderconfig":
		if id == "" {
			return route{methods: readMethods, handle: h.serviceProviderConfig}
		}
	case "resourcetypes":
		return route{methods: readMethods, handle: h.resourceTypes, id: id}
	case "schemas":
		return route{methods: readMethods, handle: h.schemas, id: id}
	}
	return route{}
}

// requestBase is the absolute URL of the SCIM base path as the client
// addressed it: https when the connection is TLS, or when a trusted proxy
// (Caddy's trusted_proxies) says it terminated TLS (X-Forwarded-Proto).
func requestBase(r *http.Request, basePath string) string {
	scheme := "http"
	trusted, _ := caddyhttp.GetVar(r.Context(), caddyhttp.TrustedProxyVarKey).(bool)
	if r.TLS != nil || (trusted && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + basePath
}

// readBody reads a request body of a SCIM media type, bounded by MaxBody.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != MediaType && mt != "application/json") {
			return nil, errorf(http.StatusUnsupportedMediaType, "", "the body must be application/scim+json or application/json")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.MaxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errorf(http.StatusRequestEntityTooLarge, "", "the body is larger than the limit")
	}
	if err != nil {
		return nil, errorf(http.StatusBadRequest, translate.InvalidSyntax, "the body could not be read")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, errorf(http.StatusBadRequest, translate.InvalidSyntax, "the body is empty")
	}
	return body, nil
}

// authenticate checks the bearer token. A valid token is served whatever
// its address's failures. A wrong one is 401, the same for an unknown and
// an expired token (so that the holder of a leaked old token does not learn
// it was real), or 429 with Retry-After once its address is past its limit
// of failures.
func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request) (int, bool) {
	res, idx := h.auth.check(r)
	if res == authOK {
		return 0, true
	}
	addr := clientAddr(r)
	if blocked, wait := h.throttle.blocked(addr); blocked {
		h.metrics.authFailures.WithLabelValues(h.Tenant, "throttled").Inc()
		w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
		return writeSCIMError(w, http.StatusTooManyRequests, "", "too many authentication failures from this address; retry later"), false
	}
	h.throttle.fail(addr)
	switch res {
	case authMissing:
		h.metrics.authFailures.WithLabelValues(h.Tenant, "missing").Inc()
		return writeSCIMError(w, http.StatusUnauthorized, "", "a bearer token is required"), false
	case authExpired:
		h.metrics.authFailures.WithLabelValues(h.Tenant, "expired").Inc()
		h.logger.Warn("expired scim token presented", zap.Int("token", idx))
	default:
		h.metrics.authFailures.WithLabelValues(h.Tenant, "invalid").Inc()
	}
	return writeSCIMError(w, http.StatusUnauthorized, "", "the bearer token is not valid"), false
}
