package main

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"time"
)

// scenarioResult is one row of the table.
type scenarioResult struct {
	sc           scenario
	side, direct sideStats
	repeated     bool // more operations than distinct values
	profileErr   error
	err          error // the scenario could not run
}

// sideStats are one side's phases of a scenario over every round.
type sideStats struct {
	best   phaseResult   // the round with the highest throughput
	ops    int64         // operations over every round
	errors int64         // failures over every round
	first  error         // the first failure
	calls  int64         // Hector calls over every round
	cpu    time.Duration // sidecar CPU over every round; < 0 unknown
	ownCPU time.Duration // this process's CPU (load and simulator) over every round; < 0 unknown
	memMax mem           // sidecar resident memory peak
}

// addOwnCPU adds this process's CPU spent between a and b.
func (s *sideStats) addOwnCPU(a, b cpuSample) {
	d, ok := cpuSpent(a, b)
	if !ok || s.ownCPU < 0 {
		s.ownCPU = -1
		return
	}
	s.ownCPU += d
}

func (s *sideStats) add(r phaseResult, calls int64) {
	if r.rate() > s.best.rate() || s.best.ops == 0 {
		s.best = r
	}
	s.ops += r.ops
	s.errors += r.errors
	if s.first == nil {
		s.first = r.firstErr
	}
	s.calls += calls
}

// runScenario measures a scenario: per round, a sidecar phase then a
// direct phase, each side warmed up before its first. sc is the process
// the sidecar side goes through (the Go floor's, for that row).
func runScenario(ctx context.Context, cfg config, w *world, srv *simServer, sc *sidecar, s scenario) scenarioResult {
	r := scenarioResult{sc: s}
	var sideSeq, directSeq atomic.Int64
	warm := phaseSpec{concurrency: cfg.Concurrency, duration: cfg.Warmup, maxOps: cfg.MaxRequests}
	if err := warmup(ctx, warm, &sideSeq, s.sidecar); err != nil {
		r.err = fmt.Errorf("sidecar warm-up: %w", err)
		return r
	}
	if err := warmup(ctx, warm, &directSeq, s.direct); err != nil {
		r.err = fmt.Errorf("direct warm-up: %w", err)
		return r
	}
	for round := range cfg.Rounds {
		profile := round == 0 && cfg.CPUProfile != "" && cfg.ProfileScenario == s.key && !s.goFloor
		r.measureSidecar(ctx, cfg, srv, sc, &sideSeq, profile)
		r.measureDirect(ctx, cfg, srv, &directSeq)
		if ctx.Err() != nil {
			break
		}
	}
	r.repeated = s.distinct > 0 && max(sideSeq.Load(), directSeq.Load()) > s.distinct
	return r
}

func phaseOf(cfg config) phaseSpec {
	return phaseSpec{concurrency: cfg.Concurrency, duration: cfg.Duration, maxOps: cfg.MaxRequests}
}

// measureSidecar runs one measured sidecar phase, reading the sidecar's
// CPU time around it and sampling its RSS through it.
func (r *scenarioResult) measureSidecar(ctx context.Context, cfg config, srv *simServer, sc *sidecar, seq *atomic.Int64, profile bool) {
	var prof <-chan error
	if profile {
		prof = fetchProfile(ctx, sc.admin, cfg.Duration, cfg.CPUProfile)
	}
	srv.sim.ResetStats()
	cpu0, own0 := sampleCPU(sc.pid), sampleCPU(os.Getpid())
	ms := sampleMem(sc.pid, 20*time.Millisecond)
	p := runPhase(ctx, phaseOf(cfg), seq, r.sc.sidecar)
	peak, _ := ms.stop()
	r.side.addOwnCPU(own0, sampleCPU(os.Getpid()))
	spent, ok := cpuSpent(cpu0, sampleCPU(sc.pid))
	r.side.add(p, srv.sim.Stats().Requests)
	r.side.memMax = r.side.memMax.max(peak)
	if !ok || r.side.cpu < 0 {
		r.side.cpu = -1
	} else {
		r.side.cpu += spent
	}
	if prof != nil {
		r.profileErr = <-prof
	}
}

func (r *scenarioResult) measureDirect(ctx context.Context, cfg config, srv *simServer, seq *atomic.Int64) {
	srv.sim.ResetStats()
	own0 := sampleCPU(os.Getpid())
	p := runPhase(ctx, phaseOf(cfg), seq, r.sc.direct)
	r.direct.addOwnCPU(own0, sampleCPU(os.Getpid()))
	r.direct.add(p, srv.sim.Stats().Requests)
}

// warmup runs an unmeasured phase; it fails only when nothing succeeded.
func warmup(ctx context.Context, spec phaseSpec, seq *atomic.Int64, fn opFunc) error {
	if spec.duration <= 0 {
		return nil
	}
	r := runPhase(ctx, spec, seq, fn)
	if r.errors > 0 && r.errors == r.ops {
		return r.firstErr
	}
	return nil
}
