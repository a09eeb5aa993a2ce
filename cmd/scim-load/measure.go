package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync/atomic"
	"time"
)

// scenarioResult is one row of the table.
type scenarioResult struct {
	sc                  scenario
	side, floor, direct sideStats
	repeated            bool // more operations than distinct values
	profileErr          error
	err                 error // the scenario could not run
}

// sideStats are one side's phases of a scenario over every round.
type sideStats struct {
	best   phaseResult   // the round with the highest throughput
	ops    int64         // operations over every round
	errors int64         // failures over every round
	first  error         // the first failure
	calls  int64         // Hector calls over every round
	cpu    time.Duration // the measured process's CPU over every round; < 0 unknown
	ownCPU time.Duration // this process's CPU (load and simulator) over every round; < 0 unknown
	memMax mem           // the measured process's resident memory peak
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

// addCPU adds the measured process's CPU spent between a and b.
func (s *sideStats) addCPU(a, b cpuSample) {
	d, ok := cpuSpent(a, b)
	if !ok || s.cpu < 0 {
		s.cpu = -1
		return
	}
	s.cpu += d
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

// side is one side of a scenario while it runs: its operation, its
// sequence of k, the process whose CPU and memory it measures (nil for
// the direct side) and where its figures go.
type side struct {
	name     string
	op       opFunc
	proc     *sidecar
	stats    *sideStats
	seq      atomic.Int64
	warm     bool
	profiled bool // -cpuprofile profiles its process during its first phase
}

// sides are the sides of s that run, the sidecar's first; sc is the
// process its sidecar side goes through (the Go floor's, for that row).
func (r *scenarioResult) sides(cfg config, sc *sidecar) []*side {
	s := r.sc
	profiled := cfg.CPUProfile != "" && cfg.ProfileScenario == s.key && !s.goFloor
	out := []*side{{name: "sidecar", op: s.sidecar, proc: sc, stats: &r.side,
		profiled: profiled && !(cfg.ProfileFloor && s.floor != nil)}}
	if s.floor != nil {
		out = append(out, &side{name: "floor", op: s.floor, proc: sc, stats: &r.floor, profiled: profiled && cfg.ProfileFloor})
	}
	return append(out, &side{name: "direct", op: s.direct, stats: &r.direct})
}

// phaseNames says which phases a round of s runs, for the progress line.
func phaseNames(s scenario) string {
	if s.floor != nil {
		return "sidecar, floor and direct phases"
	}
	return "sidecar and direct phases"
}

// runScenario measures a scenario: per round, a sidecar phase, a floor
// phase (the same Hector calls through the sidecar's reverse_proxy, in the
// same process) and a direct phase, in reverse order every other round so
// that drift over a run spreads over every side; each side is warmed up
// before its first phase. sc is the process the sidecar side goes through
// (the Go floor's, for that row).
func runScenario(ctx context.Context, cfg config, srv *simServer, sc *sidecar, s scenario) scenarioResult {
	r := scenarioResult{sc: s}
	sides := r.sides(cfg, sc)
	warm := phaseSpec{concurrency: cfg.Concurrency, duration: cfg.Warmup, maxOps: cfg.MaxRequests}
	for round := range cfg.Rounds {
		order := slices.Clone(sides)
		if round%2 == 1 {
			slices.Reverse(order)
		}
		for _, sd := range order {
			if !sd.warm {
				if err := warmup(ctx, warm, &sd.seq, sd.op); err != nil {
					r.err = fmt.Errorf("%s warm-up: %w", sd.name, err)
					return r
				}
				sd.warm = true
			}
			r.measure(ctx, cfg, srv, sd, round == 0 && sd.profiled)
		}
		if ctx.Err() != nil {
			break
		}
	}
	for _, sd := range sides {
		r.repeated = r.repeated || (s.distinct > 0 && sd.seq.Load() > s.distinct)
	}
	return r
}

func phaseOf(cfg config) phaseSpec {
	return phaseSpec{concurrency: cfg.Concurrency, duration: cfg.Duration, maxOps: cfg.MaxRequests}
}

// measure runs one measured phase of sd, counting the Hector calls it
// makes and this process's CPU, and for a side with a process, reading
// that process's CPU time around it and sampling its RSS through it.
func (r *scenarioResult) measure(ctx context.Context, cfg config, srv *simServer, sd *side, profile bool) {
	var prof <-chan error
	if profile {
		prof = fetchProfile(ctx, sd.proc.admin, cfg.Duration, cfg.CPUProfile)
	}
	srv.sim.ResetStats()
	var cpu0 cpuSample
	var ms *memSampler
	if sd.proc != nil {
		cpu0, ms = sampleCPU(sd.proc.pid), sampleMem(sd.proc.pid, 20*time.Millisecond)
	}
	own0 := sampleCPU(os.Getpid())
	p := runPhase(ctx, phaseOf(cfg), &sd.seq, sd.op)
	sd.stats.addOwnCPU(own0, sampleCPU(os.Getpid()))
	if sd.proc != nil {
		peak, _ := ms.stop()
		sd.stats.addCPU(cpu0, sampleCPU(sd.proc.pid))
		sd.stats.memMax = sd.stats.memMax.max(peak)
	}
	sd.stats.add(p, srv.sim.Stats().Requests)
	if prof != nil {
		r.profileErr = <-prof
	}
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
