package caddymodule

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the handler's Prometheus collectors, registered on Caddy's
// metrics registry so they appear on Caddy's /metrics. No label carries a
// user id or a token.
//
// Every series carries the handler's tenant (empty unless configured), so
// one process serving several Hector tenants keeps them apart.
type metrics struct {
	requests       *prometheus.CounterVec   // tenant, resource, method, status
	duration       *prometheus.HistogramVec // tenant, resource, method
	hectorCalls    *prometheus.CounterVec   // tenant, route, status
	hectorDuration *prometheus.HistogramVec // tenant, route
	retries        *prometheus.CounterVec   // tenant, route
	rateWait       *prometheus.CounterVec   // tenant
	tokenExpiry    *prometheus.GaugeVec     // tenant, token (its position in the config)
	authFailures   *prometheus.CounterVec   // tenant, reason
	unknownAttrs   *prometheus.CounterVec   // tenant, resource
}

const namespace = "hector_scim"

func newMetrics(reg *prometheus.Registry) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	buckets := []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 25, 50}
	return &metrics{
		requests: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "requests_total",
			Help: "SCIM requests answered, by resource, method and status."}, []string{"tenant", "resource", "method", "status"})),
		duration: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: "request_duration_seconds",
			Help: "Time to answer a SCIM request.", Buckets: buckets}, []string{"tenant", "resource", "method"})),
		hectorCalls: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "hector_calls_total",
			Help: "HTTP attempts to Hector's legacy API, by route and status (0: no answer)."}, []string{"tenant", "route", "status"})),
		hectorDuration: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: "hector_call_duration_seconds",
			Help: "Duration of one HTTP attempt to Hector.", Buckets: buckets}, []string{"tenant", "route"})),
		retries: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "hector_retries_total",
			Help: "Attempts to Hector that were retries of a failed one."}, []string{"tenant", "route"})),
		rateWait: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "hector_rate_limit_wait_seconds_total",
			Help: "Time spent waiting on the client-side rate limit to Hector."}, []string{"tenant"})),
		tokenExpiry: register(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: namespace, Name: "token_expiry_timestamp_seconds",
			Help: "When each configured bearer token expires (Unix time), by its position in the config."}, []string{"tenant", "token"})),
		authFailures: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "auth_failures_total",
			Help: "Requests refused for their credentials, by reason."}, []string{"tenant", "reason"})),
		unknownAttrs: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "unknown_attributes_total",
			Help: "Attribute names of accepted POST and PUT bodies that belong to no schema and were ignored, by resource."}, []string{"tenant", "resource"})),
	}
}

// register registers a collector, or returns the one already registered
// under the same name (several scim handlers in one config, or a reload).
func register[C prometheus.Collector](reg *prometheus.Registry, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}

// hectorObserver feeds Hector calls to the metrics and counts them per SCIM
// request through a context value.
type hectorObserver struct {
	m      *metrics
	tenant string
}

type callsKey struct{}

// withCallCounter returns a context that counts the Hector calls made
// under it.
func withCallCounter(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, callsKey{}, n), n
}

func (o hectorObserver) Attempt(ctx context.Context, route string, status int, d time.Duration, retry bool) {
	o.m.hectorCalls.WithLabelValues(o.tenant, route, strconv.Itoa(status)).Inc()
	o.m.hectorDuration.WithLabelValues(o.tenant, route).Observe(d.Seconds())
	if retry {
		o.m.retries.WithLabelValues(o.tenant, route).Inc()
	}
	if n, ok := ctx.Value(callsKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}

func (o hectorObserver) RateWait(_ context.Context, d time.Duration) {
	o.m.rateWait.WithLabelValues(o.tenant).Add(d.Seconds())
}
