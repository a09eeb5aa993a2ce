// Command scim-load measures hector-scim under load, on 127.0.0.1 only,
// in one bounded run.
//
// It builds (or takes) the hector-scim binary, runs the Hector simulator in
// its own process (no latency, no rate limit) seeded through a data file,
// starts the sidecar as a child process in front of it, and for each
// scenario — GET /Users/{id}, GET /Users?filter=userName eq, POST /Users,
// PATCH /Users/{id} (replace givenName), PATCH /Groups/{id} adding 100
// members as Entra sends it — runs three phases: the SCIM request through
// the sidecar; the floor, the Hector calls that request makes sent through
// Caddy's own reverse_proxy in the same sidecar process (its /floor route);
// and the same calls sent straight to the simulator, the limit. It
// measures each phase's req/s, p50 and p99, the sidecar's CPU time per
// request (/proc/<pid>/task/*/schedstat) and RSS in the SCIM and floor
// phases, and the Hector calls made, and holds each scenario to the
// issue's targets against its floor: at least 0.95 of its throughput, at
// most 20 µs of CPU per request over it, and an RSS peak within 4 MiB of
// the floor phases'. The site has Caddy's access log on, so both routes
// pay for a log line. It also reads a group of 100,000 members through the
// sidecar, sampling its RSS every 10 ms, and times Entra's initial cycle
// against a simulator rate-limited at 50 requests a second. A reference
// row measures a bare net/http proxy (this program started again as one,
// see goproxy.go) making the GET's call in a process of its own. It prints
// one table, marking each target met or missed.
//
// Usage:
//
//	go run ./cmd/scim-load [flags]
//
// The defaults are the issue's: concurrency 16, 5 s per phase after a 1 s
// warm-up, 100,000 members, 1,000 users and 5 groups in the Entra cycle.
// -rounds N runs N rounds of the three phases per scenario, in reverse
// order every other round, and keeps each side's best throughput, for
// noisy machines. -cpuprofile writes a CPU profile of the sidecar during
// one scenario (-profile-scenario), fetched from Caddy's admin endpoint.
// GOGC and GOMEMLIMIT in the environment reach the sidecar. It needs Linux
// (/proc). Run with -h for every flag.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if goFloorMain() {
		return
	}
	cfg, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "scim-load:", err)
		os.Exit(2)
	}
	os.Exit(mainRun(cfg))
}

// mainRun runs, prints and returns the exit status; every deferred
// clean-up has run when it returns.
func mainRun(cfg config) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	rep, err := run(ctx, cfg, os.Stderr)
	rep.print(os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "scim-load:", err)
		return 1
	}
	if cfg.Strict && len(rep.missed) > 0 {
		return 2
	}
	return 0
}
