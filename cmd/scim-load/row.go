package main

import (
	"fmt"
	"time"
)

// ratio is sidecar throughput over direct throughput.
func (s scenarioResult) ratio() float64 {
	if d := s.direct.best.rate(); d > 0 {
		return s.side.best.rate() / d
	}
	return 0
}

// floorRatio is sidecar throughput over the floor's.
func (s scenarioResult) floorRatio() float64 {
	if f := s.floor.best.rate(); f > 0 {
		return s.side.best.rate() / f
	}
	return 0
}

// overFloor is the sidecar's CPU per request over the floor's; false when
// either is unknown.
func (s scenarioResult) overFloor() (time.Duration, bool) {
	if s.side.cpu < 0 || s.floor.cpu < 0 || s.side.ops == 0 || s.floor.ops == 0 {
		return 0, false
	}
	return cpuPerReq(s.side) - cpuPerReq(s.floor), true
}

// floorTargets evaluates the targets: throughput at least
// minFloorRatio of the floor's, CPU per request at most maxCPUOverFloor
// over the floor's, and no failure on either side.
func (s scenarioResult) floorTargets() (ratioOK, cpuOK bool) {
	clean := s.side.errors == 0 && s.floor.errors == 0
	over, known := s.overFloor()
	return clean && s.floorRatio() >= minFloorRatio, clean && known && over <= maxCPUOverFloor
}

func cpuPerReq(st sideStats) time.Duration {
	if st.ops == 0 || st.cpu < 0 {
		return 0
	}
	return st.cpu / time.Duration(st.ops)
}

func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond)) }

func cpuCell(st sideStats) string {
	if st.cpu < 0 || st.ops == 0 {
		return "?"
	}
	return us(cpuPerReq(st))
}

func (s scenarioResult) floorRateCell() string {
	if s.sc.floor == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f", s.floor.best.rate())
}

func (s scenarioResult) floorRatioCell() string {
	if s.sc.floor == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f", s.floorRatio())
}

func (s scenarioResult) floorCPUCell() string {
	if s.sc.floor == nil {
		return "-"
	}
	return cpuCell(s.floor)
}

func (s scenarioResult) overFloorCell() string {
	if s.sc.floor == nil {
		return "-"
	}
	over, ok := s.overFloor()
	if !ok {
		return "?"
	}
	return fmt.Sprintf("%+.0fµs", float64(over)/float64(time.Microsecond))
}

// callsCell is the Hector calls per request of the sidecar phases, and of
// the floor phases.
func (s scenarioResult) callsCell() string {
	per := func(st sideStats) string {
		if st.ops == 0 {
			return "?"
		}
		return fmt.Sprintf("%.2f", float64(st.calls)/float64(st.ops))
	}
	if s.sc.floor == nil {
		return per(s.side)
	}
	return per(s.side) + " (floor " + per(s.floor) + ")"
}

// notes are what a reader of the row should know: errors, bounds hit,
// values that repeated, the profile.
func (s scenarioResult) notes() []string {
	var out []string
	for _, p := range []struct {
		side string
		r    sideStats
	}{{"sidecar", s.side}, {"floor", s.floor}, {"direct", s.direct}} {
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
