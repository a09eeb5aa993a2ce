package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"
)

// config is what one run measures, from the command line.
type config struct {
	Binary      string        // the hector-scim binary; "" builds ./cmd/hector-scim
	SidecarLogs string        // directory kept with the sidecars' output; "" is a temporary one
	Timeout     time.Duration // bounds the whole run
	Strict      bool          // exit 2 when a target is missed

	Load        bool          // run the load scenarios
	Scenarios   []string      // scenario keys, in order
	Concurrency int           // clients in flight per phase
	Duration    time.Duration // measured time per phase
	Warmup      time.Duration // unmeasured time before each side's first phase
	Rounds      int           // sidecar, floor and direct phases per scenario, alternating
	MaxRequests int64         // bound on the requests (or direct operations) of one phase
	LoadUsers   int           // users seeded for GET, filter and PATCH
	PatchGroups int           // groups per phase (sidecar, floor, direct) the PATCH +100 scenario spreads over

	Stream       bool // run the streaming check
	GroupMembers int  // members of the big group (also the PATCH member pool)

	CPUProfile      string // file for a CPU profile of the sidecar; "" for none
	ProfileScenario string // the scenario whose sidecar phase is profiled
	ProfileFloor    bool   // profile the scenario's floor phase instead

	Entra             bool          // run the Entra initial cycle
	EntraUsers        int           // users the IdP provisions
	EntraGroups       int           // groups the IdP provisions, each with every user
	EntraConcurrency  int           // the IdP's requests in flight
	EntraRate         float64       // the simulator's rate limit, requests a second
	EntraBurst        int           // the simulator's bucket size
	EntraSidecarRate  float64       // the sidecar's client-side rate; 0 = no limit
	EntraSidecarBurst int           // the sidecar's client-side bucket; 0 = its default (the rate)
	EntraTimeout      time.Duration // bounds the cycle
}

// scenarioKeys are the load scenarios run by default, in that order.
var scenarioKeys = []string{"floor-go", "get", "filter", "post", "patch-user", "patch-group"}

// extraKeys are scenarios run only when asked for: "floor" measures
// Caddy's reverse_proxy GET on its own, as the GET scenario's floor phase
// does.
var extraKeys = []string{"floor"}

func defaultConfig() config {
	return config{
		Timeout: 15 * time.Minute,
		Load:    true, Scenarios: scenarioKeys, Concurrency: 16,
		Duration: 5 * time.Second, Warmup: time.Second, Rounds: 1, MaxRequests: 200_000,
		LoadUsers: 10_000, PatchGroups: 48,
		Stream: true, GroupMembers: 100_000,
		ProfileScenario: "get",
		Entra:           true, EntraUsers: 1000, EntraGroups: 5, EntraConcurrency: 8,
		EntraRate: 50, EntraBurst: 100, EntraSidecarRate: 50, EntraSidecarBurst: 100, EntraTimeout: 5 * time.Minute,
	}
}

// parseFlags reads the command line over the defaults.
func parseFlags(args []string) (config, error) {
	c := defaultConfig()
	fs := flag.NewFlagSet("scim-load", flag.ContinueOnError)
	fs.StringVar(&c.Binary, "binary", "", "hector-scim binary to run (default: go build ./cmd/hector-scim into a temporary directory)")
	fs.StringVar(&c.SidecarLogs, "sidecar-logs", "", "directory to keep the sidecars' output in, as load.log, go-floor.log and entra.log (default: a temporary directory, removed)")
	fs.DurationVar(&c.Timeout, "timeout", c.Timeout, "bound on the whole run")
	fs.BoolVar(&c.Strict, "strict", false, "exit with status 2 when a target is missed")
	fs.BoolVar(&c.Load, "load", c.Load, "run the load scenarios")
	scen := fs.String("scenarios", strings.Join(scenarioKeys, ","), "load scenarios to run, comma-separated (also: "+strings.Join(extraKeys, ", ")+")")
	fs.IntVar(&c.Concurrency, "concurrency", c.Concurrency, "requests in flight per phase")
	fs.DurationVar(&c.Duration, "duration", c.Duration, "measured time per phase (sidecar, floor and direct, per scenario)")
	fs.DurationVar(&c.Warmup, "warmup", c.Warmup, "unmeasured warm-up of each side of a scenario")
	fs.IntVar(&c.Rounds, "rounds", c.Rounds, "rounds of sidecar, floor and direct phases per scenario, in reverse order every other round; the table shows each side's best throughput (on a noisy machine, try 3)")
	fs.Int64Var(&c.MaxRequests, "max-requests", c.MaxRequests, "bound on the requests of one phase (a phase ends at -duration or here)")
	fs.IntVar(&c.LoadUsers, "users", c.LoadUsers, "users seeded for the GET, filter and PATCH scenarios")
	fs.IntVar(&c.PatchGroups, "patch-groups", c.PatchGroups, "groups per phase (sidecar, floor, direct) that PATCH +100 spreads over (1 = one group, serialized by the sidecar's group lock)")
	fs.BoolVar(&c.Stream, "stream", c.Stream, "run the streaming check (GET of the big group)")
	fs.IntVar(&c.GroupMembers, "group-members", c.GroupMembers, "members of the big group; also the pool PATCH +100 adds from (at least 100)")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of the sidecar (from Caddy's admin pprof) during one scenario to this file")
	fs.StringVar(&c.ProfileScenario, "profile-scenario", c.ProfileScenario, "scenario profiled by -cpuprofile")
	fs.BoolVar(&c.ProfileFloor, "profile-floor", false, "with -cpuprofile: profile the scenario's floor phase (Caddy's reverse_proxy) instead of its sidecar phase")
	fs.BoolVar(&c.Entra, "entra-cycle", c.Entra, "run the Entra initial cycle against a rate-limited simulator")
	fs.IntVar(&c.EntraUsers, "entra-users", c.EntraUsers, "users of the Entra cycle")
	fs.IntVar(&c.EntraGroups, "entra-groups", c.EntraGroups, "groups of the Entra cycle, each with every user")
	fs.IntVar(&c.EntraConcurrency, "entra-concurrency", c.EntraConcurrency, "the IdP's requests in flight in the Entra cycle")
	fs.Float64Var(&c.EntraRate, "entra-rate", c.EntraRate, "the simulator's rate limit in the Entra cycle, requests a second")
	fs.IntVar(&c.EntraBurst, "entra-burst", c.EntraBurst, "the simulator's burst in the Entra cycle")
	fs.Float64Var(&c.EntraSidecarRate, "entra-sidecar-rate", c.EntraSidecarRate, "the sidecar's legacy rate in the Entra cycle (0 = no client-side limit)")
	fs.IntVar(&c.EntraSidecarBurst, "entra-sidecar-burst", c.EntraSidecarBurst, "the sidecar's legacy burst in the Entra cycle, Hector's own bucket by default (0 = the sidecar's default, the rate)")
	fs.DurationVar(&c.EntraTimeout, "entra-timeout", c.EntraTimeout, "bound on the Entra cycle")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.Scenarios = splitList(*scen)
	return c, c.check()
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// check rejects values that cannot make a bounded, meaningful run.
func (c config) check() error {
	for _, s := range c.Scenarios {
		if !slices.Contains(scenarioKeys, s) && !slices.Contains(extraKeys, s) {
			return fmt.Errorf("unknown scenario %q (known: %s)", s, strings.Join(slices.Concat(scenarioKeys, extraKeys), ", "))
		}
	}
	switch {
	case c.Concurrency < 1 || c.Concurrency > 1024:
		return errors.New("-concurrency must be from 1 to 1024")
	case c.Duration <= 0 || c.Warmup < 0 || c.Timeout <= 0 || c.EntraTimeout <= 0:
		return errors.New("-duration, -timeout and -entra-timeout must be positive, -warmup not negative")
	case c.MaxRequests < 1 || c.Rounds < 1:
		return errors.New("-max-requests and -rounds must be positive")
	case c.LoadUsers < c.Concurrency:
		return errors.New("-users must be at least -concurrency")
	case c.GroupMembers < 100:
		return errors.New("-group-members must be at least 100")
	case c.PatchGroups < 1:
		return errors.New("-patch-groups must be positive")
	case c.EntraUsers < 1 || c.EntraGroups < 0 || c.EntraConcurrency < 1:
		return errors.New("-entra-users and -entra-concurrency must be positive, -entra-groups not negative")
	case c.EntraRate <= 0 || c.EntraBurst < 1 || c.EntraSidecarRate < 0 || c.EntraSidecarBurst < 0:
		return errors.New("-entra-rate and -entra-burst must be positive, -entra-sidecar-rate and -entra-sidecar-burst not negative")
	case c.CPUProfile != "" && !slices.Contains(c.Scenarios, c.ProfileScenario):
		return fmt.Errorf("-profile-scenario %q is not among the scenarios run", c.ProfileScenario)
	}
	return nil
}
