package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Targets of the issue. The floor is Caddy's reverse_proxy making a
// scenario's Hector calls in the sidecar's process.
const (
	minFloorRatio   = 0.95                  // sidecar req/s over the floor's, at least
	maxCPUOverFloor = 20 * time.Microsecond // sidecar CPU per request over the floor's, at most
	maxRSSOverFloor = 4 << 20               // RSS peak of the SCIM phases over the floor phases', at most
	maxStreamGrowth = 32 << 20              // RSS growth while streaming the big group, under
	maxEntraRatio   = 1.05                  // the Entra cycle's time over the minimal, at most
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
		r.printMem(w)
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

// peakMem is the sidecar's resident memory peak during the SCIM phases and
// during the floor phases (the /floor route's), over every scenario.
func (r *report) peakMem() (scim, floor mem) {
	for _, s := range r.scenarios {
		switch {
		case s.sc.goFloor:
		case s.sc.caddy:
			floor = floor.max(s.side.memMax)
		default:
			scim, floor = scim.max(s.side.memMax), floor.max(s.floor.memMax)
		}
	}
	return scim, floor
}

// rssOK is the memory target: the SCIM phases' RSS peak within
// maxRSSOverFloor of the floor phases'.
func rssOK(scim, floor mem) bool { return scim.rss <= floor.rss+maxRSSOverFloor }

// printMem writes the sidecar's memory line. The floor phases run in the
// same process as the SCIM phases, between them: both peaks are of one
// heap, which the Go runtime returns to the system only gradually.
func (r *report) printMem(w io.Writer) {
	fmt.Fprintf(w, "\nsidecar RSS: %s after start", memCell(r.idle))
	scim, floor := r.peakMem()
	if scim.rss > 0 {
		fmt.Fprintf(w, "; peak in the SCIM phases %s", memCell(scim))
	}
	if floor.rss > 0 {
		fmt.Fprintf(w, ", in the floor phases %s", memCell(floor))
	}
	if scim.rss > 0 && floor.rss > 0 {
		ok := rssOK(scim, floor)
		r.check(ok, "RSS over floor")
		fmt.Fprintf(w, "; SCIM %+.1f MiB over floor (target <= %s): %s; by scenario, SCIM / floor: %s",
			float64(scim.rss-floor.rss)/(1<<20), mib(maxRSSOverFloor), verdict(ok), r.memByScenario())
	}
	fmt.Fprintln(w)
}

func (r *report) memByScenario() string {
	parts := make([]string, 0, len(r.scenarios))
	for _, s := range r.scenarios {
		if s.sc.floor != nil {
			parts = append(parts, fmt.Sprintf("%s %.1f / %s", s.sc.key, float64(s.side.memMax.rss)/(1<<20), mib(s.floor.memMax.rss)))
		}
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
		floor := "-"
		if s.sc.floor != nil {
			floor = per(s.floor)
		}
		parts = append(parts, s.sc.key+" "+per(s.side)+" / "+floor+" / "+per(s.direct))
	}
	return strings.Join(parts, ", ")
}

func (r *report) printTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "scenario\t sidecar req/s\t p50\t p99\t floor req/s\t direct req/s\t ÷ floor\t ÷ direct\t sidecar CPU/req\t floor CPU/req\t CPU over floor\t Hector calls/req\t targets")
	var notes []string
	for _, s := range r.scenarios {
		if s.err != nil {
			r.check(false, s.sc.name)
			fmt.Fprintf(tw, "%s\t error\t\t\t\t\t\t\t\t\t\t\t see below\n", s.sc.name)
			notes = append(notes, fmt.Sprintf("%s: %v", s.sc.name, s.err))
			continue
		}
		fmt.Fprintf(tw, "%s\t %.0f\t %s\t %s\t %s\t %.0f\t %s\t %.2f\t %s\t %s\t %s\t %s\t %s\n", s.sc.name,
			s.side.best.rate(), ms(s.side.best.p50), ms(s.side.best.p99), s.floorRateCell(), s.direct.best.rate(),
			s.floorRatioCell(), s.ratio(), cpuCell(s.side), s.floorCPUCell(), s.overFloorCell(), s.callsCell(), r.targets(s))
		notes = append(notes, s.notes()...)
		if max(s.side.best.ops, s.floor.best.ops, s.direct.best.ops) >= r.cfg.MaxRequests {
			notes = append(notes, s.sc.name+": a phase ended at -max-requests, before -duration")
		}
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "  floor: the same Hector calls as direct, through Caddy's reverse_proxy in the sidecar's process; targets: ÷ floor >= %.2f, CPU over floor <= %s\n",
		minFloorRatio, us(maxCPUOverFloor))
	fmt.Fprintf(w, "  this process's CPU (load generator and simulator) per request, sidecar / floor / direct phase: %s\n", r.ownCPUCells())
	for _, n := range notes {
		fmt.Fprintln(w, "  note:", n)
	}
}

// targets evaluates a row's targets against its floor and records those
// missed.
func (r *report) targets(s scenarioResult) string {
	if s.sc.floor == nil {
		return s.sc.reference
	}
	ratioOK, cpuOK := s.floorTargets()
	r.check(ratioOK, s.sc.name+" ÷ floor")
	r.check(cpuOK, s.sc.name+" CPU over floor")
	return fmt.Sprintf("÷ floor >= %.2f: %s; over floor <= %s: %s", minFloorRatio, verdict(ratioOK), us(maxCPUOverFloor), verdict(cpuOK))
}

func (r *report) printEntra(w io.Writer, e *entraResult) {
	ok := e.membersOK && e.ratio() > 0 && e.ratio() <= maxEntraRatio
	r.check(ok, "Entra cycle")
	fmt.Fprintf(w, "Entra cycle: %d users + %d groups of all of them, Hector at %g/s burst %d (the sidecar: rate %g burst %d): %s; %d Hector calls (minimal %d, %d answered 429), %d IdP retries; minimal time %s; ratio %.3f (target <= %.2f): %s",
		e.users, e.groups, e.rate, e.burst, e.sidecarRate, e.sidecarBurst, e.elapsed.Round(time.Millisecond), e.calls, e.minimal, e.rateLimited, e.idpRetries,
		e.minTime().Round(time.Millisecond), e.ratio(), maxEntraRatio, verdict(ok))
	if !e.membersOK {
		fmt.Fprint(w, " (group members WRONG)")
	}
	fmt.Fprintln(w)
}
