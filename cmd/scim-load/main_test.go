package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the program when the run
// starts it again as the Go floor.
func TestMain(m *testing.M) {
	if goFloorMain() {
		return
	}
	os.Exit(m.Run())
}

// TestRun runs every part of the program with tiny bounds and checks that
// the numbers are sane, never that they are fast.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc")
	}
	cfg := defaultConfig()
	cfg.Concurrency, cfg.Duration, cfg.Warmup, cfg.Rounds = 4, 200*time.Millisecond, 50*time.Millisecond, 2
	cfg.LoadUsers, cfg.GroupMembers, cfg.PatchGroups = 100, 1000, 2
	cfg.EntraUsers, cfg.EntraGroups, cfg.EntraRate, cfg.EntraBurst, cfg.EntraSidecarRate = 50, 2, 5000, 100, 0
	cfg.CPUProfile = filepath.Join(t.TempDir(), "cpu.pprof")
	cfg.ProfileScenario = "filter"
	cfg.SidecarLogs = t.TempDir()
	cfg.Scenarios = append(slices.Clone(scenarioKeys), extraKeys...)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := run(ctx, cfg, tWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.print(&out)
	t.Logf("report:\n%s", out.String())

	t.Run("scenarios", func(t *testing.T) { checkScenarios(t, cfg, rep) })
	t.Run("stream", func(t *testing.T) { checkStream(t, rep) })
	t.Run("entra", func(t *testing.T) { checkEntra(t, cfg, rep) })
	t.Run("report", func(t *testing.T) { checkReport(t, rep, out.String()) })
	t.Run("profile", func(t *testing.T) {
		if st, err := os.Stat(cfg.CPUProfile); err != nil || st.Size() == 0 {
			t.Errorf("got profile %v, %v; want a non-empty file", st, err)
		}
	})
	t.Run("logs kept", func(t *testing.T) {
		for _, name := range []string{"load.log", "go-floor.log", "entra.log", "access.log"} {
			if _, err := os.Stat(filepath.Join(cfg.SidecarLogs, name)); err != nil {
				t.Errorf("sidecar log %s: %v", name, err)
			}
		}
	})
	t.Run("access log", func(t *testing.T) { checkAccessLog(t, filepath.Join(cfg.SidecarLogs, "access.log")) })
}

// checkAccessLog checks that the floor route and the SCIM route both
// wrote access log lines (handle_path logs the path as it came in).
func checkAccessLog(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"uri":"/floor/users/`, `"uri":"/scim/v2/Users/`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("access log has no %s line", want)
		}
	}
}

// checkReport checks that the table and the memory line print every
// column and target.
func checkReport(t *testing.T, rep *report, out string) {
	for _, s := range rep.scenarios {
		if !strings.Contains(out, s.sc.name) {
			t.Errorf("report has no row for %s", s.sc.name)
		}
	}
	for _, want := range []string{
		"sidecar req/s", "floor req/s", "direct req/s", "÷ floor", "÷ direct", "sidecar CPU/req", "floor CPU/req",
		"CPU over floor", "Hector calls/req", "targets",
		"÷ floor >= 0.95: ", "over floor <= 20µs: ", "(floor 2.00)",
		"sidecar RSS:", "peak in the SCIM phases", "in the floor phases", "over floor (target <= 4.0 MiB): ",
		"streaming:", "growth", "(target < 32.0 MiB)", "Entra cycle:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report has no %q", want)
		}
	}
	if n, want := strings.Count(out, "÷ floor >= 0.95: "), 5; n != want {
		t.Errorf("got %d rows with targets, want %d", n, want)
	}
}

// wantCalls are the Hector calls of one floor or direct operation.
var wantCalls = map[string]int64{"get": 1, "filter": 1, "post": 1, "patch-user": 2, "patch-group": 2, "floor-go": 1, "floor": 1}

func checkScenarios(t *testing.T, cfg config, rep *report) {
	if got, want := len(rep.scenarios), len(cfg.Scenarios); got != want {
		t.Fatalf("got %d scenarios, want %d", got, want)
	}
	for _, s := range rep.scenarios {
		if s.err != nil {
			t.Errorf("%s: %v", s.sc.name, s.err)
			continue
		}
		sides := map[string]sideStats{"sidecar": s.side, "direct": s.direct}
		if s.sc.floor != nil {
			sides["floor"] = s.floor
		} else if s.floor.ops != 0 {
			t.Errorf("%s: got %d floor operations in a row without a floor", s.sc.name, s.floor.ops)
		}
		for side, st := range sides {
			checkSide(t, s.sc.name+" "+side, st)
		}
		measured := []sideStats{s.side}
		if s.sc.floor != nil {
			measured = append(measured, s.floor)
		}
		for _, st := range measured {
			if st.cpu <= 0 || cpuPerReq(st) <= 0 {
				t.Errorf("%s: got CPU %s, want > 0", s.sc.name, st.cpu)
			}
			if m := st.memMax; m.rss <= 0 || m.anon <= 0 || m.anon > m.rss {
				t.Errorf("%s: got memory peak %+v, want RSS > anon > 0", s.sc.name, m)
			}
		}
		// The floor and the direct side make the same calls; the sidecar
		// at least one.
		want := wantCalls[s.sc.key]
		if s.side.calls < s.side.ops || s.direct.calls != want*s.direct.ops || s.floor.calls != want*s.floor.ops {
			t.Errorf("%s: got %d Hector calls for %d sidecar requests, %d for %d floor and %d for %d direct operations; want at least one, then %d each",
				s.sc.name, s.side.calls, s.side.ops, s.floor.calls, s.floor.ops, s.direct.calls, s.direct.ops, want)
		}
	}
}

func checkSide(t *testing.T, name string, st sideStats) {
	t.Helper()
	p := st.best
	if st.errors != 0 || p.ops == 0 || st.ops < p.ops || p.rate() <= 0 || p.p50 <= 0 || p.p99 < p.p50 {
		t.Errorf("%s: got ops %d (best round %d), errors %d (%v), rate %.1f, p50 %s, p99 %s; want successes with sane percentiles",
			name, st.ops, p.ops, st.errors, st.first, p.rate(), p.p50, p.p99)
	}
}

// TestFloorTargets checks the verdicts on rows whose figures are made up:
// the floor at 1,000 req/s and 100 µs of CPU per request, the sidecar at
// 1,000 × ratio req/s and 100 µs + over.
func TestFloorTargets(t *testing.T) {
	us := time.Microsecond
	for _, tt := range []struct {
		name           string
		ratio          float64 // sidecar req/s over the floor's
		over           time.Duration
		sideErrors     int64
		ratioOK, cpuOK bool
	}{
		{"both met", 0.96, 15 * us, 0, true, true},
		{"at the targets", 0.95, 20 * us, 0, true, true},
		{"slow", 0.90, 15 * us, 0, false, true},
		{"costly", 0.96, 25 * us, 0, true, false},
		{"slow and costly", 0.90, 25 * us, 0, false, false},
		{"cheaper than the floor", 1.2, -5 * us, 0, true, true},
		{"failures", 0.96, 15 * us, 1, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeResult(tt.ratio, tt.over)
			s.side.errors = tt.sideErrors
			ratioOK, cpuOK := s.floorTargets()
			if ratioOK != tt.ratioOK || cpuOK != tt.cpuOK {
				t.Errorf("got ratio %.3f ok %v, CPU over floor ok %v; want %v, %v", s.floorRatio(), ratioOK, cpuOK, tt.ratioOK, tt.cpuOK)
			}
			r := &report{}
			cell := r.targets(s)
			want := fmt.Sprintf("÷ floor >= 0.95: %s; over floor <= 20µs: %s", verdict(tt.ratioOK), verdict(tt.cpuOK))
			if cell != want {
				t.Errorf("got cell %q, want %q", cell, want)
			}
			if got, want := len(r.missed), btoi(!tt.ratioOK)+btoi(!tt.cpuOK); got != want {
				t.Errorf("got %d targets missed (%v), want %d", got, r.missed, want)
			}
		})
	}
	t.Run("reference row", func(t *testing.T) {
		s := fakeResult(0.5, 0)
		s.sc.floor, s.sc.reference = nil, "reference: x"
		r := &report{}
		if got := r.targets(s); got != "reference: x" || len(r.missed) != 0 {
			t.Errorf("got %q, %v missed; want the reference and none", got, r.missed)
		}
	})
}

// fakeResult is a row measured over one second: the floor 1,000 requests
// at 100 µs of CPU each, the sidecar 1,000 × ratio at 100 µs + over.
func fakeResult(ratio float64, over time.Duration) scenarioResult {
	side := func(ops int64, cpu time.Duration) sideStats {
		return sideStats{best: phaseResult{ops: ops, elapsed: time.Second}, ops: ops, calls: ops, cpu: time.Duration(ops) * cpu}
	}
	return scenarioResult{
		sc:     scenario{key: "get", name: "GET", floor: func(context.Context, int64) error { return nil }},
		side:   side(int64(math.Round(1000*ratio)), 100*time.Microsecond+over),
		floor:  side(1000, 100*time.Microsecond),
		direct: side(2000, 0),
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestRSSOK(t *testing.T) {
	const m = 1 << 20
	for _, tt := range []struct {
		scim, floor int64
		want        bool
	}{
		{70 * m, 67 * m, true},
		{71 * m, 67 * m, true},
		{71*m + 1, 67 * m, false},
		{60 * m, 67 * m, true},
	} {
		if got := rssOK(mem{rss: tt.scim}, mem{rss: tt.floor}); got != tt.want {
			t.Errorf("rssOK(%d, %d): got %v, want %v", tt.scim, tt.floor, got, tt.want)
		}
	}
}

// TestSeedGroups checks that the sidecar, floor and direct phases add
// members to groups of their own.
func TestSeedGroups(t *testing.T) {
	d, s := seedData(20, 200, 3)
	seen := map[int64]bool{s.bigGroup: true}
	for _, set := range [][]int64{s.sideGroups, s.floorGroups, s.directGroups} {
		if len(set) != 3 {
			t.Errorf("got %d groups in a set, want 3", len(set))
		}
		for _, id := range set {
			if seen[id] {
				t.Errorf("group %d in two sets", id)
			}
			seen[id] = true
		}
	}
	if got, want := len(d.Groups), 10; got != want {
		t.Errorf("got %d groups seeded, want %d", got, want)
	}
}

func checkStream(t *testing.T, rep *report) {
	s := rep.stream
	if s == nil {
		t.Fatal("no streaming result")
	}
	if !s.membersOK || s.members != 1000 {
		t.Errorf("got %d members (ok %v), want 1000", s.members, s.membersOK)
	}
	// One group read, then the members 100 a page.
	if s.calls < 11 {
		t.Errorf("got %d Hector calls, want at least 11", s.calls)
	}
	if s.before.rss <= 0 || s.peak.rss < s.before.rss || s.samples < 1 {
		t.Errorf("got RSS before %d, peak %d, %d samples; want positive, peak >= before", s.before.rss, s.peak.rss, s.samples)
	}
}

func checkEntra(t *testing.T, cfg config, rep *report) {
	e := rep.entra
	if e == nil {
		t.Fatal("no Entra result")
	}
	if !e.membersOK {
		t.Error("got groups without every user in Hector")
	}
	if want := minimalCalls(cfg.EntraUsers, cfg.EntraGroups); e.minimal != want || e.calls < want {
		t.Errorf("got minimal %d, calls %d; want minimal %d and at least that many calls", e.minimal, e.calls, want)
	}
	if e.elapsed <= 0 {
		t.Errorf("got elapsed %s, want > 0", e.elapsed)
	}
}

func TestMinimalCalls(t *testing.T) {
	for _, tt := range []struct {
		users, groups int
		want          int64
	}{
		{1000, 5, 2065}, // the cycle: 2,000 + 5 × (3 + 10)
		{50, 2, 108},
		{100, 1, 204},
		{101, 1, 207},
		{1, 0, 2},
	} {
		if got := minimalCalls(tt.users, tt.groups); got != tt.want {
			t.Errorf("minimalCalls(%d, %d): got %d, want %d", tt.users, tt.groups, got, tt.want)
		}
	}
}

func TestMinimalTime(t *testing.T) {
	for _, tt := range []struct {
		calls int64
		rate  float64
		burst int
		want  time.Duration
	}{
		{2065, 50, 100, 39300 * time.Millisecond},
		{100, 50, 100, 0},
		{50, 50, 100, 0},
		{150, 10, 100, 5 * time.Second},
	} {
		if got := minimalTime(tt.calls, tt.rate, tt.burst); got != tt.want {
			t.Errorf("minimalTime(%d, %g, %d): got %s, want %s", tt.calls, tt.rate, tt.burst, got, tt.want)
		}
	}
}

func TestPercentiles(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // unsorted
	}
	for _, tt := range []struct {
		name     string
		in       []time.Duration
		p50, p99 time.Duration
	}{
		{"empty", nil, 0, 0},
		{"one", ms(7), 7 * time.Millisecond, 7 * time.Millisecond},
		{"two", ms(2, 1), time.Millisecond, 2 * time.Millisecond},
		{"hundred", ms(hundred...), 50 * time.Millisecond, 99 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p50, p99 := percentiles(tt.in)
			if p50 != tt.p50 || p99 != tt.p99 {
				t.Errorf("got p50 %s, p99 %s; want %s, %s", p50, p99, tt.p50, tt.p99)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		ok   bool
	}{
		{"defaults", nil, true},
		{"some scenarios", []string{"-scenarios", "get, post"}, true},
		{"the Caddy floor alone", []string{"-scenarios", "floor"}, true},
		{"unknown scenario", []string{"-scenarios", "get,delete"}, false},
		{"small pool", []string{"-group-members", "99"}, false},
		{"profile of a scenario not run", []string{"-scenarios", "get", "-cpuprofile", "x", "-profile-scenario", "post"}, false},
		{"argument", []string{"extra"}, false},
		{"zero rate", []string{"-entra-rate", "0"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseFlags(tt.args)
			if (err == nil) != tt.ok {
				t.Errorf("got error %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestCPUSpent(t *testing.T) {
	ms := time.Millisecond
	for _, tt := range []struct {
		name   string
		a, b   cpuSample
		want   time.Duration
		wantOK bool
	}{
		{"schedstat", cpuSample{100 * ms, 100 * ms, true, true}, cpuSample{350 * ms, 360 * ms, true, true}, 250 * ms, true},
		{"a thread exited", cpuSample{100 * ms, 100 * ms, true, true}, cpuSample{150 * ms, 400 * ms, true, true}, 300 * ms, true},
		{"no schedstat", cpuSample{0, 100 * ms, false, true}, cpuSample{0, 200 * ms, false, true}, 100 * ms, true},
		{"nothing", cpuSample{}, cpuSample{}, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cpuSpent(tt.a, tt.b)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("got %s, %v; want %s, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestProcfs(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc")
	}
	pid := os.Getpid()
	a := sampleCPU(pid)
	if !a.schedOK || a.sched <= 0 || !a.ticksOK || a.ticks < 0 {
		t.Errorf("sampleCPU: got %+v; want both readings, schedstat > 0", a)
	}
	if d, ok := cpuSpent(a, sampleCPU(pid)); !ok || d < 0 {
		t.Errorf("cpuSpent: got %s, %v; want >= 0", d, ok)
	}
	if m, err := readMem(pid); err != nil || m.rss <= 0 || m.anon <= 0 {
		t.Errorf("readMem: got %+v, %v; want RSS and anon > 0", m, err)
	}
}

// tWriter sends progress lines to the test log.
type tWriter struct{ t *testing.T }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}
