package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Secrets of the run, passed to the sidecar through its environment.
const (
	scimToken = "scim-load-token-0123456789abcdef"
	apiKey    = "scim-load-hector-key"
)

// buildBinary builds ./cmd/hector-scim of the enclosing module into dir.
func buildBinary(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", errors.New("build: not inside the hector-scim module; run from the repository or pass -binary")
	}
	bin := filepath.Join(dir, "hector-scim")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/hector-scim")
	build.Dir = filepath.Dir(gomod)
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build: %w\n%s", err, out)
	}
	return bin, nil
}

// sidecarConfig is what differs between the sidecars of one run.
type sidecarConfig struct {
	simURL  string
	rate    float64 // legacy rate; 0 = no client-side limit
	burst   int     // legacy burst; 0 = the sidecar's default
	retries int
	admin   bool   // enable Caddy's admin endpoint (for pprof)
	logPath string // the process's stdout and stderr
	// accessLog is the file of Caddy's access log for the whole site; ""
	// for none.
	accessLog string
}

// sidecar is one running child process: a hector-scim sidecar, or the Go
// floor (goproxy.go), measured the same way.
type sidecar struct {
	cmd     *exec.Cmd
	pid     int
	base    string // the SCIM base URL
	admin   string // the admin endpoint's host:port, or ""
	logPath string
	exited  chan struct{} // closed when the process has ended
	waitErr error
}

// caddyfile is the sidecar's configuration: admin off unless asked for,
// loopback only, the legacy client at the simulator with the secrets from
// the environment, and no roles.
func (sc sidecarConfig) caddyfile(port int, admin string) string {
	adminLine := "admin off"
	if admin != "" {
		adminLine = "admin " + admin
	}
	return fmt.Sprintf(`{
	%s
	persist_config off
	default_bind 127.0.0.1
}
http://127.0.0.1:%d {
%s	# The floor: Caddy's own reverse_proxy in front of the simulator, in the
	# same process, for the cost of any Caddy module that makes the same
	# Hector calls.
	handle_path /floor/* {
		reverse_proxy %s
	}
	route /scim/v2/* {
		scim {
			token {env.SCIM_LOAD_TOKEN}
			legacy %s {
				api_key {env.SCIM_LOAD_HECTOR_KEY}
				rate %s
%s				retries %d
				max_in_flight 64
			}
		}
	}
}
`, adminLine, port, sc.accessLogBlock(), strings.TrimPrefix(sc.simURL, "http://"), sc.simURL, strconv.FormatFloat(sc.rate, 'f', -1, 64), sc.burstLine(), sc.retries)
}

// burstLine is the legacy block's burst option, when one is set.
func (sc sidecarConfig) burstLine() string {
	if sc.burst == 0 {
		return ""
	}
	return fmt.Sprintf("\t\t\t\tburst %d\n", sc.burst)
}

// accessLogBlock turns Caddy's access log on for the whole site, as a
// production site has it, so that the floor route and the SCIM route each
// pay for an access log line per request. The file rolls at 64 MiB, one
// old file kept and none compressed: a default run writes hundreds of
// MiB, and compressing a rolled file would count as the sidecar's CPU.
func (sc sidecarConfig) accessLogBlock() string {
	if sc.accessLog == "" {
		return ""
	}
	return fmt.Sprintf(`	log {
		output file %q {
			roll_size 64MiB
			roll_keep 1
			roll_uncompressed
		}
	}
`, sc.accessLog)
}

// startSidecar writes a Caddyfile into dir and runs bin with it; it
// returns once the process listens.
func startSidecar(ctx context.Context, bin, dir string, sc sidecarConfig) (*sidecar, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &sidecar{base: fmt.Sprintf("http://127.0.0.1:%d/scim/v2", port), logPath: sc.logPath, exited: make(chan struct{})}
	if sc.admin {
		ap, err := freePort()
		if err != nil {
			return nil, err
		}
		s.admin = fmt.Sprintf("127.0.0.1:%d", ap)
	}
	cf := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(cf, []byte(sc.caddyfile(port, s.admin)), 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "run", "--config", cf, "--adapter", "caddyfile")
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir,
		"SCIM_LOAD_TOKEN="+scimToken, "SCIM_LOAD_HECTOR_KEY="+apiKey)
	if err := s.start(ctx, cmd, port); err != nil {
		return nil, fmt.Errorf("sidecar: %w", err)
	}
	return s, nil
}

// start runs cmd as the process s stands for, its output going to
// s.logPath, and returns once it listens on port; a process that does not
// is stopped.
func (s *sidecar) start(ctx context.Context, cmd *exec.Cmd, port int) error {
	logf, err := os.Create(s.logPath)
	if err != nil {
		return err
	}
	defer logf.Close() // the child keeps its own descriptor
	s.cmd = cmd
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.SysProcAttr = childAttr()
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.pid = s.cmd.Process.Pid
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx, port); err != nil {
		s.stop()
		return err
	}
	return nil
}

// waitReady polls until the process listens on port (at most 30 s).
func (s *sidecar) waitReady(ctx context.Context, port int) error {
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("sidecar exited (%v) before listening:\n%s", s.waitErr, s.logTail())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("sidecar not listening on %s after 30s:\n%s", addr, s.logTail())
}

// alive reports an error if the process has ended.
func (s *sidecar) alive() error {
	select {
	case <-s.exited:
		return fmt.Errorf("sidecar exited (%v):\n%s", s.waitErr, s.logTail())
	default:
		return nil
	}
}

// stop kills the process (it keeps no state) and waits for it.
func (s *sidecar) stop() {
	_ = s.cmd.Process.Kill()
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
	}
}

// logTail is the end of the process's output.
func (s *sidecar) logTail() string {
	f, err := os.Open(s.logPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	const tail = 8 << 10
	if st, err := f.Stat(); err == nil && st.Size() > tail {
		_, _ = f.Seek(-tail, io.SeekEnd)
	}
	b, _ := io.ReadAll(f)
	return string(b)
}

// freePort finds a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
