package observability

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hector-scim/hector-scim/hectorsim"
)

const (
	token  = "observability-token-0123456789"
	apiKey = "observability-hector-key"
)

// scrapeCaddyfile runs two scim handlers: one in front of the simulator,
// with a client-side rate limit of one call a second (so that calls wait)
// and a token with an expiry; one, tenant "down", in front of a port where
// nothing listens (so that calls get no answer and are retried).
const scrapeCaddyfile = `{
	admin off
	persist_config off
	default_bind 127.0.0.1
}
http://127.0.0.1:%[1]d {
	handle /metrics {
		metrics
	}
	route /scim/v2/* {
		scim {
			token {env.OBS_SCIM_TOKEN} {
				expires 2099-01-01T00:00:00Z
			}
			legacy %[2]s {
				api_key {env.OBS_HECTOR_KEY}
				rate 1
			}
		}
	}
	route /down/scim/v2/* {
		scim {
			tenant down
			base_path /down/scim/v2
			token {env.OBS_SCIM_TOKEN}
			legacy http://127.0.0.1:%[3]d {
				api_key {env.OBS_HECTOR_KEY}
				timeout 1s
				retries 1
				rate 0
			}
		}
	}
}
`

// scrapeBinary builds the hector-scim binary, runs it against the
// simulator, makes the requests that bring every hector-scim series into
// being, and returns its /metrics.
func scrapeBinary(t *testing.T) exposition {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "hector-scim")
	build := exec.Command("go", "build", "-o", bin, "./cmd/hector-scim")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building hector-scim: %v\n%s", err, out)
	}

	sim, err := hectorsim.New(hectorsim.Options{APIKey: apiKey})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)

	port, deadPort := freePort(t), freePort(t)
	cf := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(cf, fmt.Appendf(nil, scrapeCaddyfile, port, srv.URL, deadPort), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	cmd := exec.Command(bin, "run", "--config", cf, "--adapter", "caddyfile")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir,
		"OBS_SCIM_TOKEN="+token, "OBS_HECTOR_KEY="+apiKey)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		if t.Failed() {
			t.Logf("hector-scim output:\n%s", logs.String())
		}
	})
	waitListening(t, port, &logs)

	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	requests := []struct {
		path, token string
		want        int
	}{
		{"/scim/v2/Users", token, http.StatusOK},                      // a Hector call
		{"/scim/v2/Users/1", token, http.StatusNotFound},              // another, which waits on the rate limit
		{"/scim/v2/Users", "wrong-token", http.StatusUnauthorized},    // an auth failure
		{"/down/scim/v2/Users", token, http.StatusServiceUnavailable}, // no answer, retried
	}
	client := &http.Client{Timeout: 30 * time.Second}
	for _, r := range requests {
		req, err := http.NewRequest(http.MethodGet, base+r.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+r.token)
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", r.path, err)
		}
		res.Body.Close()
		if res.StatusCode != r.want {
			t.Fatalf("GET %s: got status %d, want %d", r.path, res.StatusCode, r.want)
		}
	}

	res, err := client.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	exp, err := parseExposition(res.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return exp
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListening polls until the process listens on port (at most 30 s, by
// count).
func waitListening(t *testing.T, port int, logs *lockedBuffer) {
	t.Helper()
	for range 300 {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 100*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("hector-scim did not start:\n%s", logs.String())
}

// lockedBuffer is the process's output, written and read safely.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Clone(b.buf.String())
}
