package caddymodule

import (
	"sync"
	"sync/atomic"

	"go.uber.org/zap"

	"github.com/hector-scim/hector-scim/translate"
)

// maxUnknownNames bounds the distinct unknown attribute names one handler
// remembers (and logs), so that a client sending ever new names cannot
// grow memory or the log without end. Past it, names are only counted.
const maxUnknownNames = 1000

// unknownLog remembers the unknown attribute names a handler has logged:
// each is logged once per handler instance (a config reload starts
// afresh).
type unknownLog struct {
	seen sync.Map // resource + "\x00" + name → struct{}
	size atomic.Int64
}

// first reports whether key is new, remembering it; false once about
// maxUnknownNames keys are remembered (concurrent callers may overshoot by
// a few).
func (u *unknownLog) first(key string) bool {
	if _, seen := u.seen.Load(key); seen || u.size.Load() >= maxUnknownNames {
		return false
	}
	if _, seen := u.seen.LoadOrStore(key, struct{}{}); seen {
		return false
	}
	return u.size.Add(1) <= maxUnknownNames
}

// noteUnknown returns the function the operations call with each name of
// an accepted POST or PUT body on resource ("users", "groups") that
// belongs to no schema and was ignored, as Microsoft's reference tests
// expect: each is counted (hector_scim_unknown_attributes_total), and
// logged at warn the first time, so that an admin can fix a mapping that
// sends what Hector never stores.
func (h *Handler) noteUnknown(resource string) func(string) {
	return func(name string) {
		h.metrics.unknownAttrs.WithLabelValues(h.Tenant, resource).Inc()
		name = clipName(name)
		if h.unknown.first(resource + "\x00" + name) {
			h.logger.Warn("unknown attribute ignored", zap.String("resource", resource), zap.String("attribute", name))
		}
	}
}

// clipName shortens a client-chosen name for a log line.
func clipName(s string) string { return translate.Clip(s, 100) }
