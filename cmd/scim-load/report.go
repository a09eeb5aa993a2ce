package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Targets of the issue that are not per scenario.
const (
	maxSteadyRSS    = 64 << 20
	maxStreamGrowth = 32 << 20
	maxEntraRatio   = 1.1
)

// report is everything one run measured.
type report struct {
	cfg                   config
	cpus                  int
	loadBefore, loadAfter string // /proc/loadavg, to judge the noise
	idle                  mem    // sidecar memory after start
	stream                *streamResult
	scenarios             []scenarioResult
	entra                 *entraResult
	missed                []string // targets missed, filled by print
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func rightOrWrong(ok bool) string {
	if ok {
		return "right"
	}
	return "WRONG"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", d.Seconds()*1000) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// memCell is VmRSS with its anonymous part.
func memCell(m mem) string { return fmt.Sprintf("%s (anon %s)", mib(m.rss), mib(m.anon)) }

// print writes the table and the RSS, streaming and Entra lines.
func (r *report) print(w io.Writer) {
	r.missed = nil
	fmt.Fprintf(w, "\nhector-scim load: %d CPUs, load average %s before, %s after; concurrency %d, %s per phase after %s warm-up, best of %d round(s)\n\n",
		r.cpus, r.loadBefore, r.loadAfter, r.cfg.Concurrency, r.cfg.Duration, r.cfg.Warmup, r.cfg.Rounds)
	if len(r.scenarios) > 0 {
		r.printTable(w)
	}
	if r.idle.rss > 0 {
		fmt.Fprintf(w, "\nsidecar RSS: %s after start", memCell(r.idle))
		if peak := r.peakMem(); peak.rss > 0 {
			ok := peak.rss < maxSteadyRSS
			r.check(ok, "RSS under load")
			fmt.Fprintf(w, "; max under load %s (target < %s): %s; by scenario: %s", memCell(peak), mib(maxSteadyRSS), verdict(ok), r.memByScenario())
		}
		fmt.Fprintln(w)
	}
	if s := r.stream; s != nil {
		ok := s.membersOK && s.growth() < maxStreamGrowth
		r.check(ok, "streamed group")
		fmt.Fprintf(w, "streaming: GET /Groups/{id} of %d members: %d members read (%s), %s, %d Hector calls; RSS %s before, %s max (%d samples), growth %s (target < %s): %s\n",
			s.want, s.members, rightOrWrong(s.membersOK), s.elapsed.Round(time.Millisecond),
			s.calls, memCell(s.before), memCell(s.peak), s.samples, mib(s.growth()), mib(maxStreamGrowth), verdict(ok))
	}
	if e := r.entra; e != nil {
		r.printEntra(w, e)
	}
	if len(r.missed) > 0 {
		fmt.Fprintf(w, "\ntargets missed: %s\n", strings.Join(r.missed, ", "))
	}
}

func (r *report) check(ok bool, what string) {
	if !ok {
		r.missed = append(r.missed, what)
	}
}

func (r *report) peakMem() mem {
	var peak mem
	for _, s := range r.scenarios {
		if s.sc.goFloor {
			continue
		}
		peak = peak.max(s.side.memMax)
	}
	return peak
}

func (r *report) memByScenario() string {
	parts := make([]string, 0, len(r.scenarios))
	for _, s := range r.scenarios {
		if s.sc.goFloor {
			continue
		}
		parts = append(parts, s.sc.key+" "+mib(s.side.memMax.rss))
	}
	return strings.Join(parts, ", ")
}

func (r *report) ownCPUCells() string {
	per := func(st sideStats) string {
		if st.ownCPU < 0 || st.ops == 0 {
			return "?"
		}
		return fmt.Sprintf("%.0fµs", float64(st.ownCPU)/float64(st.ops)/float64(time.Microsecond))
	}
	parts := make([]string, 0, len(r.scenarios))
	for _, s := range r.scenarios {
		parts = append(parts, s.sc.key+" "+per(s.side)+" / "+per(s.direct))
	}
	return strings.Join(parts, ", ")
}

// overFloor is what the SCIM layer costs on top of Caddy's reverse_proxy
// making the same single call: the quantity that stays put when a noisy
// machine moves every row. It is "" without a measured floor.
func (r *report) overFloor() string {
	var floor time.Duration
	for _, s := range r.scenarios {
		if s.sc.key == "floor" && s.err == nil && s.side.cpu >= 0 && s.side.ops > 0 {
			floor = s.cpuPerReq()
		}
	}
	if floor == 0 {
		return ""
	}
	var parts []string
	for _, s := range r.scenarios {
		if s.sc.reference != "" || s.err != nil || s.side.cpu < 0 || s.side.ops == 0 || s.side.calls != s.side.ops {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %+.0fµs", s.sc.key, float64(s.cpuPerReq()-floor)/float64(time.Microsecond)))
	}
	return strings.Join(parts, ", ")
}

func (r *report) printTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "scenario\t sidecar req/s\t p50\t p99\t direct req/s\t p50\t p99\t ratio\t sidecar CPU/req\t Hector calls/req\t target")
	var notes []string
	for _, s := range r.scenarios {
		if s.err != nil {
			r.check(false, s.sc.name)
			fmt.Fprintf(tw, "%s\t error\t\t\t\t\t\t\t\t\t see below\n", s.sc.name)
			notes = append(notes, fmt.Sprintf("%s: %v", s.sc.name, s.err))
			continue
		}
		fmt.Fprintf(tw, "%s\t %.0f\t %s\t %s\t %.0f\t %s\t %s\t %s\t %s\t %s\t %s\n", s.sc.name,
			s.side.best.rate(), ms(s.side.best.p50), ms(s.side.best.p99), s.direct.best.rate(), ms(s.direct.best.p50), ms(s.direct.best.p99),
			fmt.Sprintf("%.2f", s.ratio()), s.cpuCell(), s.callsCell(), r.targets(s))
		notes = append(notes, s.notes()...)
		if max(s.side.best.ops, s.direct.best.ops) >= r.cfg.MaxRequests {
			notes = append(notes, s.sc.name+": a phase ended at -max-requests, before -duration")
		}
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "  this process's CPU (load generator and simulator) per request, sidecar phase / direct phase: %s\n", r.ownCPUCells())
	if over := r.overFloor(); over != "" {
		fmt.Fprintf(w, "  sidecar CPU per request over Caddy's floor in this run, for the scenarios that make one Hector call as it does: %s\n", over)
	}
	for _, n := range notes {
		fmt.Fprintln(w, "  note:", n)
	}
}

// targets evaluates a row's targets.
func (r *report) targets(s scenarioResult) string {
	if s.sc.minRatio == 0 && s.sc.maxCPU == 0 {
		return s.sc.reference
	}
	ok := s.side.errors == 0 && s.direct.errors == 0 && s.ratio() >= s.sc.minRatio
	r.check(ok, s.sc.name+" ratio")
	out := fmt.Sprintf("ratio >= %.2f: %s", s.sc.minRatio, verdict(ok))
	if s.sc.maxCPU > 0 {
		ok := s.side.cpu >= 0 && s.cpuPerReq() <= s.sc.maxCPU
		r.check(ok, s.sc.name+" CPU")
		out += fmt.Sprintf("; CPU <= %s: %s", s.sc.maxCPU, verdict(ok))
	}
	return out
}

func (r *report) printEntra(w io.Writer, e *entraResult) {
	ok := e.membersOK && e.ratio() > 0 && e.ratio() <= maxEntraRatio
	r.check(ok, "Entra cycle")
	fmt.Fprintf(w, "Entra cycle: %d users + %d groups of all of them, Hector at %g/s burst %d: %s; %d Hector calls (minimal %d, %d answered 429), %d IdP retries; minimal time %s; ratio %.3f (target <= %.1f): %s",
		e.users, e.groups, e.rate, e.burst, e.elapsed.Round(time.Millisecond), e.calls, e.minimal, e.rateLimited, e.idpRetries,
		e.minTime().Round(time.Millisecond), e.ratio(), maxEntraRatio, verdict(ok))
	if !e.membersOK {
		fmt.Fprint(w, " (group members WRONG)")
	}
	fmt.Fprintln(w)
}

// ratio is sidecar throughput over direct throughput.
func (s scenarioResult) ratio() float64 {
	if d := s.direct.best.rate(); d > 0 {
		return s.side.best.rate() / d
	}
	return 0
}

func (s scenarioResult) cpuPerReq() time.Duration {
	if s.side.ops == 0 || s.side.cpu < 0 {
		return 0
	}
	return s.side.cpu / time.Duration(s.side.ops)
}

func (s scenarioResult) cpuCell() string {
	if s.side.cpu < 0 {
		return "?"
	}
	return fmt.Sprintf("%.0fµs", float64(s.cpuPerReq())/float64(time.Microsecond))
}

func (s scenarioResult) callsCell() string {
	per := func(calls, ops int64) string {
		if ops == 0 {
			return "?"
		}
		return fmt.Sprintf("%.2f", float64(calls)/float64(ops))
	}
	return per(s.side.calls, s.side.ops) + " (direct " + per(s.direct.calls, s.direct.ops) + ")"
}

// notes are what a reader of the row should know: errors, bounds hit,
// values that repeated, the profile.
func (s scenarioResult) notes() []string {
	var out []string
	for _, p := range []struct {
		side string
		r    sideStats
	}{{"sidecar", s.side}, {"direct", s.direct}} {
		if p.r.errors > 0 {
			out = append(out, fmt.Sprintf("%s %s: %d of %d failed; first: %v", s.sc.name, p.side, p.r.errors, p.r.ops, p.r.first))
		}
	}
	if s.repeated {
		out = append(out, fmt.Sprintf("%s: more operations than distinct member chunks (%d); later adds were re-adds", s.sc.name, s.sc.distinct))
	}
	if s.profileErr != nil {
		out = append(out, fmt.Sprintf("%s: CPU profile failed: %v", s.sc.name, s.profileErr))
	}
	return out
}
