package main

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// opFunc performs operation k: one SCIM request, or the group of Hector
// calls that stands for it. k counts up across the phases of one side of a
// scenario, so names and values built from it never repeat.
type opFunc func(ctx context.Context, k int64) error

// phaseSpec bounds one phase: it ends at duration or after maxOps
// operations, whichever comes first.
type phaseSpec struct {
	concurrency int
	duration    time.Duration
	maxOps      int64
}

// maxPhaseErrors ends a phase early: the numbers would mean nothing.
const maxPhaseErrors = 100

// phaseResult is what one phase measured.
type phaseResult struct {
	ops, errors int64 // operations done, and failed
	firstErr    error
	elapsed     time.Duration // from the first start to the last answer
	p50, p99    time.Duration // of the successful operations
}

// rate is the successful operations a second.
func (r phaseResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.ops-r.errors) / r.elapsed.Seconds()
}

// phaseState is shared by the workers of one phase.
type phaseState struct {
	spec     phaseSpec
	deadline time.Time
	seq      *atomic.Int64
	started  atomic.Int64
	done     atomic.Int64
	errors   atomic.Int64
	mu       sync.Mutex
	firstErr error
	lat      []time.Duration
}

// runPhase runs fn from spec.concurrency workers until the phase's bounds.
// Operations in flight at the deadline finish and count.
func runPhase(ctx context.Context, spec phaseSpec, seq *atomic.Int64, fn opFunc) phaseResult {
	ctx, cancel := context.WithTimeout(ctx, spec.duration+time.Minute)
	defer cancel()
	st := &phaseState{spec: spec, seq: seq}
	start := time.Now()
	st.deadline = start.Add(spec.duration)
	var wg sync.WaitGroup
	for range spec.concurrency {
		wg.Go(func() { st.work(ctx, cancel, fn) })
	}
	wg.Wait()
	r := phaseResult{elapsed: time.Since(start), ops: st.done.Load(), errors: st.errors.Load(), firstErr: st.firstErr}
	r.p50, r.p99 = percentiles(st.lat)
	return r
}

func (st *phaseState) work(ctx context.Context, cancel context.CancelFunc, fn opFunc) {
	lat := make([]time.Duration, 0, 1024)
	defer func() {
		st.mu.Lock()
		st.lat = append(st.lat, lat...)
		st.mu.Unlock()
	}()
	for ctx.Err() == nil && time.Now().Before(st.deadline) && st.started.Add(1) <= st.spec.maxOps {
		k := st.seq.Add(1) - 1
		t0 := time.Now()
		err := fn(ctx, k)
		st.done.Add(1)
		if err == nil {
			lat = append(lat, time.Since(t0))
		} else {
			st.mu.Lock()
			if st.firstErr == nil {
				st.firstErr = err
			}
			st.mu.Unlock()
			if st.errors.Add(1) >= maxPhaseErrors {
				cancel()
			}
		}
	}
}

// percentiles returns the 50th and 99th percentiles (nearest rank) of d,
// which it sorts.
func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	slices.Sort(d)
	return d[rank(len(d), 50)], d[rank(len(d), 99)]
}

// rank is the index of the p-th percentile of n sorted values, by nearest
// rank: the smallest value with at least p% of the values at or below it.
func rank(n, p int) int {
	r := (n*p + 99) / 100 // ceil(n*p/100)
	return min(max(r, 1), n) - 1
}
