package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTick is the unit of utime and stime in /proc/<pid>/stat (USER_HZ,
// what `getconf CLK_TCK` prints): 100 on every Linux architecture Go runs
// on.
const clockTick = 10 * time.Millisecond

// cpuSample is the CPU time a process has used, read two ways: the sum of
// the nanosecond-precise first field of /proc/<pid>/task/*/schedstat (the
// process's own schedstat covers only its main thread, and a thread that
// has exited is gone from it), and utime+stime of /proc/<pid>/stat, which
// keeps exited threads but counts in clock ticks.
type cpuSample struct {
	sched, ticks     time.Duration
	schedOK, ticksOK bool
}

func sampleCPU(pid int) cpuSample {
	var c cpuSample
	var err error
	c.sched, err = taskSchedstat(pid)
	c.schedOK = err == nil
	c.ticks, err = statTicks(pid)
	c.ticksOK = err == nil
	return c
}

// cpuSpent is the CPU time used between samples a and b: by schedstat,
// unless stat says clearly more (threads exited meanwhile); false when
// neither could be read.
func cpuSpent(a, b cpuSample) (time.Duration, bool) {
	ticksOK := a.ticksOK && b.ticksOK
	if a.schedOK && b.schedOK {
		d := b.sched - a.sched
		if t := b.ticks - a.ticks; ticksOK && t > d+max(d/10, 3*clockTick) {
			return t, true
		}
		return d, true
	}
	return b.ticks - a.ticks, ticksOK
}

func taskSchedstat(pid int) (time.Duration, error) {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil || len(tasks) == 0 {
		return 0, errors.New("no schedstat")
	}
	var sum int64
	for _, p := range tasks {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // a thread that just exited
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			return 0, errors.New("empty schedstat")
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, err
		}
		sum += ns
	}
	return time.Duration(sum), nil
}

func statTicks(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count from after it.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("malformed stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("malformed stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// mem is a process's resident memory: VmRSS, and its anonymous part
// RssAnon (heap and stacks; the rest is mostly the binary's own pages), in
// bytes.
type mem struct{ rss, anon int64 }

func (m mem) max(o mem) mem { return mem{max(m.rss, o.rss), max(m.anon, o.anon)} }

func readMem(pid int) (mem, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return mem{}, err
	}
	var m mem
	for line := range strings.Lines(string(b)) {
		k, v, _ := strings.Cut(line, ":")
		var dst *int64
		switch k {
		case "VmRSS":
			dst = &m.rss
		case "RssAnon":
			dst = &m.anon
		default:
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return mem{}, fmt.Errorf("malformed %s", k)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return mem{}, err
		}
		*dst = kb << 10
	}
	if m.rss == 0 {
		return mem{}, errors.New("no VmRSS")
	}
	return m, nil
}

// memSampler records the largest resident memory of a process, read
// periodically in the background until stop.
type memSampler struct {
	pid  int
	mu   sync.Mutex
	peak mem
	n    int
	quit chan struct{}
	done chan struct{}
}

func sampleMem(pid int, every time.Duration) *memSampler {
	s := &memSampler{pid: pid, quit: make(chan struct{}), done: make(chan struct{})}
	s.sample()
	go s.loop(every)
	return s
}

func (s *memSampler) loop(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-t.C:
			s.sample()
		}
	}
}

func (s *memSampler) sample() {
	m, err := readMem(s.pid)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.peak = s.peak.max(m)
	s.n++
	s.mu.Unlock()
}

// stop ends the sampling, takes a last sample and returns the peaks seen
// and the number of samples.
func (s *memSampler) stop() (mem, int) {
	close(s.quit)
	<-s.done
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak, s.n
}

// loadAverage is the first field of /proc/loadavg, or "?".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}
