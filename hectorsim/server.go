package hectorsim

import (
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Server simulates one Hector tenant over HTTP. It is an [http.Handler],
// safe for concurrent use; create it with [New] and Close it to flush its
// data file.
type Server struct {
	opts     Options
	store    *Store
	ownStore bool

	keys     []string                        // accepted API keys
	limiters atomic.Pointer[[]*rate.Limiter] // one bucket per key, same order
	faults   *faults
	latency  atomic.Int64 // time.Duration
	down     atomic.Bool
	stats    counters
}

// New returns a server configured by opts, loading Options.DataFile when
// it exists.
func New(opts Options) (*Server, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, store: opts.Store, faults: newFaults(opts.Seed, opts.FaultRate, opts.AmbiguousPostRate)}
	if s.store == nil {
		if s.store, err = OpenStore(opts.DataFile); err != nil {
			return nil, err
		}
		s.ownStore = true
	}
	s.keys = append([]string{opts.APIKey}, opts.APIKeys...)
	s.SetRateLimit(opts.Rate, opts.Burst)
	s.latency.Store(int64(opts.Latency))
	return s, nil
}

// Close flushes and closes the server's own store (not one passed in
// Options.Store). The server keeps answering from memory afterwards.
func (s *Server) Close() error {
	if !s.ownStore {
		return nil
	}
	return s.store.Close()
}

// ServeHTTP serves the contract relative to the root: /users, /groups,
// /roles and below.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.stats.requests.Add(1)
	rt, p := match(r.URL.Path)
	if rt != nil {
		s.stats.route(r.Method, rt.pattern)
	}
	if s.down.Load() {
		dropConnection(w)
		return
	}
	if rep, ok := s.admit(r); !ok {
		rep.write(w)
		return
	}
	if !wait(r.Context(), time.Duration(s.latency.Load())) {
		return
	}
	s.serve(w, r, rt, p)
}

// admit applies authentication, the rate limit and fault injection, in
// that order; it returns the answer of a request that stops there.
func (s *Server) admit(r *http.Request) (reply, bool) {
	lim, ok := s.authenticate(r)
	if !ok {
		return (&apiError{status: http.StatusUnauthorized, code: "unauthorized", message: "missing or wrong API key"}).reply(), false
	}
	if secs, ok := allow(lim, s.opts.Now()); !ok {
		s.stats.rateLimited.Add(1)
		rep := (&apiError{status: http.StatusTooManyRequests, code: "rate_limited", message: "rate limit exceeded"}).reply()
		rep.retryAfter = secs
		return rep, false
	}
	if status := s.faults.fault(); status != 0 {
		s.stats.faults.Add(1)
		rep := serverError(status).reply()
		if status == http.StatusServiceUnavailable {
			rep.retryAfter = 1
		}
		return rep, false
	}
	return reply{}, true
}

// serve routes and handles an admitted request; a create picked as
// ambiguous is applied and its answer lost.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rt *route, p params) {
	if rt == nil {
		notFound("resource").reply().write(w)
		return
	}
	h, ok := rt.methods[r.Method]
	if !ok {
		rep := (&apiError{status: http.StatusMethodNotAllowed, code: "method_not_allowed", message: "method not allowed"}).reply()
		rep.allow = rt.allow
		rep.write(w)
		return
	}
	var lost, drop bool
	if rt.creates && r.Method == http.MethodPost {
		lost, drop = s.faults.ambiguous()
	}
	rep := h(s, w, r, p)
	if lost && rep.status == http.StatusCreated {
		s.stats.ambiguous.Add(1)
		if drop {
			dropConnection(w)
			return
		}
		rep = serverError(http.StatusBadGateway).reply()
	}
	rep.write(w)
}

// now is the current time as stored.
func (s *Server) now() time.Time { return clock(s.opts.Now()) }

// SetFaults changes the fault and ambiguous-POST rates; values are clamped
// to 0..1.
func (s *Server) SetFaults(faultRate, ambiguousPostRate float64) {
	s.faults.set(clamp01(faultRate), clamp01(ambiguousPostRate))
}

// SetLatency changes the latency added to every admitted request.
func (s *Server) SetLatency(d time.Duration) { s.latency.Store(int64(max(d, 0))) }

// SetDown makes every request, while down is true, get its connection
// closed without an answer, as if Hector were unreachable.
func (s *Server) SetDown(down bool) { s.down.Store(down) }

// SetRateLimit replaces every key's bucket with a full one of rate r
// (requests a second; 0 or less = unlimited) and size burst (0 or less with
// a positive rate = DefaultBurst).
func (s *Server) SetRateLimit(r float64, burst int) {
	if r > 0 && burst <= 0 {
		burst = DefaultBurst
	}
	lims := make([]*rate.Limiter, len(s.keys))
	for i := range lims {
		lims[i] = newLimiter(max(r, 0), burst)
	}
	s.limiters.Store(&lims)
}

func clamp01(f float64) float64 {
	if !(f > 0) {
		return 0
	}
	return min(f, 1)
}
