package hectorsim

import (
	"sync"
	"sync/atomic"
)

// Stats are the counters of a [Server] since it started or since
// ResetStats.
type Stats struct {
	// Requests counts every request received, 401, 429, faults and dropped
	// connections included.
	Requests int64
	// ByRoute counts the requests whose path matched a route, by
	// "METHOD /pattern", e.g. "GET /users/{id}" or
	// "DELETE /groups/{id}/members/{user_id}".
	ByRoute map[string]int64
	// RateLimited counts the 429s sent.
	RateLimited int64
	// Faults counts the injected 502s and 503s.
	Faults int64
	// Ambiguous counts the POSTs applied whose answer was lost.
	Ambiguous int64
}

// counters are the live Stats.
type counters struct {
	requests, rateLimited, faults, ambiguous atomic.Int64
	byRoute                                  sync.Map // string -> *atomic.Int64
}

func (c *counters) route(method, pattern string) {
	key := method + " " + pattern
	v, ok := c.byRoute.Load(key)
	if !ok {
		v, _ = c.byRoute.LoadOrStore(key, new(atomic.Int64))
	}
	v.(*atomic.Int64).Add(1)
}

func (c *counters) snapshot() Stats {
	s := Stats{
		Requests: c.requests.Load(), RateLimited: c.rateLimited.Load(),
		Faults: c.faults.Load(), Ambiguous: c.ambiguous.Load(),
		ByRoute: make(map[string]int64),
	}
	c.byRoute.Range(func(k, v any) bool {
		if n := v.(*atomic.Int64).Load(); n > 0 {
			s.ByRoute[k.(string)] = n
		}
		return true
	})
	return s
}

func (c *counters) reset() {
	c.requests.Store(0)
	c.rateLimited.Store(0)
	c.faults.Store(0)
	c.ambiguous.Store(0)
	c.byRoute.Range(func(_, v any) bool {
		v.(*atomic.Int64).Store(0)
		return true
	})
}

// Stats returns the counters since start or the last ResetStats.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats sets every counter to zero.
func (s *Server) ResetStats() { s.stats.reset() }
