package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hector-scim/hector-scim/hectorsim"
)

// run performs every part cfg asks for and returns the report. Progress
// goes to logw. Whatever happens, the sidecars are stopped and the
// temporary files removed before it returns.
func run(ctx context.Context, cfg config, logw io.Writer) (*report, error) {
	rep := &report{cfg: cfg, cpus: runtime.NumCPU(), loadBefore: loadAverage()}
	defer func() { rep.loadAfter = loadAverage() }()
	tmp, err := os.MkdirTemp("", "scim-load-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(tmp)
	bin := cfg.Binary
	if bin == "" {
		progress(logw, "building ./cmd/hector-scim")
		if bin, err = buildBinary(ctx, tmp); err != nil {
			return rep, err
		}
	}
	if cfg.Load || cfg.Stream {
		if err := runLoad(ctx, cfg, bin, tmp, rep, logw); err != nil {
			return rep, err
		}
	}
	if cfg.Entra {
		progress(logw, "Entra cycle: %d users, %d groups, simulator at %g/s burst %d", cfg.EntraUsers, cfg.EntraGroups, cfg.EntraRate, cfg.EntraBurst)
		if rep.entra, err = runEntra(ctx, cfg, bin, tmp, logw); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func progress(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "%s scim-load: %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

// runID tells apart the names one run creates.
func runID() string { return strconv.FormatInt(time.Now().UnixNano()%(1<<40), 36) }

// logPath is where a sidecar's output goes.
func logPath(cfg config, tmp, name string) (string, error) {
	dir := cfg.SidecarLogs
	if dir == "" {
		dir = tmp
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return filepath.Join(dir, name+".log"), nil
}

// runLoad seeds a simulator, starts a sidecar in front of it, and runs the
// streaming check and the load scenarios.
func runLoad(ctx context.Context, cfg config, bin, tmp string, rep *report, logw io.Writer) error {
	t0 := time.Now()
	data, seed := seedData(cfg.LoadUsers, cfg.GroupMembers, cfg.PatchGroups)
	st, err := seedStore(data, tmp)
	if err != nil {
		return err
	}
	progress(logw, "seeded %d users and %d groups in %s", len(data.Users), len(data.Groups), time.Since(t0).Round(time.Millisecond))
	srv, err := startSim(hectorsim.Options{Store: st})
	if err != nil {
		return err
	}
	defer srv.close()
	dir := filepath.Join(tmp, "load")
	lp, err := logPath(cfg, tmp, "load")
	if err == nil {
		err = os.Mkdir(dir, 0o700)
	}
	if err != nil {
		return err
	}
	alp, err := logPath(cfg, tmp, "access")
	if err != nil {
		return err
	}
	sc, err := startSidecar(ctx, bin, dir, sidecarConfig{simURL: srv.url, retries: 2, admin: cfg.CPUProfile != "", logPath: lp, accessLog: alp})
	if err != nil {
		return err
	}
	defer sc.stop()
	var gf *sidecar
	goFloorBase := ""
	if slices.Contains(cfg.Scenarios, "floor-go") {
		glp, err := logPath(cfg, tmp, "go-floor")
		if err != nil {
			return err
		}
		if gf, err = startGoFloor(ctx, srv.url, glp); err != nil {
			return err
		}
		defer gf.stop()
		goFloorBase = gf.base
	}
	w := newWorld(sc.base, srv.url, strings.TrimSuffix(sc.base, "/scim/v2")+"/floor", goFloorBase, cfg.Concurrency, seed)
	defer w.close()
	return runChecks(ctx, cfg, w, srv, sc, gf, rep, logw)
}

// runChecks runs the streaming check, then the scenarios, against a
// running sidecar.
func runChecks(ctx context.Context, cfg config, w *world, srv *simServer, sc, goFloor *sidecar, rep *report, logw io.Writer) error {
	for k := range int64(10) {
		if err := w.scimGet(ctx, k); err != nil {
			return fmt.Errorf("first requests: %w", err)
		}
	}
	rep.idle, _ = readMem(sc.pid)
	if cfg.Stream {
		progress(logw, "streaming check: GET /Groups/{id} of %d members", w.seed.nPool)
		s, err := streamCheck(ctx, w, srv, sc)
		if err != nil {
			return err
		}
		rep.stream = &s
	}
	if !cfg.Load {
		return nil
	}
	all := w.scenarios()
	for _, key := range cfg.Scenarios {
		s := all[key]
		progress(logw, "scenario %s: %s, %s per phase after %s warm-up, concurrency %d", s.name, phaseNames(s), cfg.Duration, cfg.Warmup, cfg.Concurrency)
		proc := sc
		if s.goFloor {
			proc = goFloor
		}
		r := runScenario(ctx, cfg, srv, proc, s)
		rep.scenarios = append(rep.scenarios, r)
		if err := proc.alive(); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}
