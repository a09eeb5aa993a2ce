package simcaddy

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig"
	_ "github.com/caddyserver/caddy/v2/modules/caddyhttp/standard"
	_ "github.com/caddyserver/caddy/v2/modules/filestorage"
)

// freePort returns a free TCP port on 127.0.0.1.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// loadCaddy adapts a Caddyfile serving the simulator under /api/v1 and
// (re)loads it in-process, on 127.0.0.1 only, admin off.
func loadCaddy(t *testing.T, port int, dir, extra string) {
	t.Helper()
	caddyfile := fmt.Sprintf(`{
	admin off
	persist_config off
	auto_https off
	default_bind 127.0.0.1
	storage file_system %[2]s/storage
	log {
		output discard
	}
}

http://127.0.0.1:%[1]d {
	handle_path /api/v1/* {
		hector_sim {
			api_key test-key
			rate 0
			data_file %[2]s/sim.json
			%[3]s
		}
	}
}
`, port, dir, extra)
	cfg, warnings, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(caddyfile), nil)
	if err != nil {
		t.Fatalf("adapt: %v", err)
	}
	for _, w := range warnings {
		t.Logf("adapt warning: %s", w.Message)
	}
	if err := caddy.Load(cfg, true); err != nil {
		t.Fatalf("load: %v", err)
	}
}

// fetch sends one request to the running Caddy.
func fetch(c *http.Client, method, url, body string) (int, []byte, error) {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("X-Api-Key", "test-key")
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// The real Caddy serves the simulator under handle_path, keeps its state
// across a reload, drops connections for ambiguous POSTs, and flushes the
// data file when it stops.
func TestCaddyInProcess(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", dir)
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d/api/v1", port)
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

	loadCaddy(t, port, dir, "roles admin user")
	t.Cleanup(func() { _ = caddy.Stop() })
	status, body, err := fetch(c, "GET", base+"/roles", "")
	if err != nil || status != http.StatusOK || string(body) != `{"data":[{"name":"admin"},{"name":"user"}],"meta":{"page":1,"per_page":25,"total":2}}` {
		t.Fatalf("GET /roles: got %d %s %v, want the two roles", status, body, err)
	}
	if status, body, _ = fetch(c, "POST", base+"/users", `{"username":"ada","email":"a@x","identifier":"A"}`); status != http.StatusCreated {
		t.Fatalf("POST /users: got %d %s, want 201", status, body)
	}

	loadCaddy(t, port, dir, "ambiguous_post_rate 1")
	if status, _, _ = fetch(c, "GET", base+"/users/1", ""); status != http.StatusOK {
		t.Fatalf("GET /users/1 after reload: got %d, want 200", status)
	}
	dropped := 0
	for i := range 20 {
		status, _, err := fetch(c, "POST", base+"/groups", fmt.Sprintf(`{"name":"g%d"}`, i))
		switch {
		case err != nil:
			dropped++
		case status != http.StatusBadGateway:
			t.Fatalf("POST /groups: got %d, want 502 or a dropped connection", status)
		}
	}
	if dropped == 0 || dropped == 20 {
		t.Errorf("got %d of 20 dropped, want some dropped and some 502", dropped)
	}
	_, body, _ = fetch(c, "GET", base+"/groups?per_page=1", "")
	var list struct{ Meta struct{ Total int } }
	if err := json.Unmarshal(body, &list); err != nil || list.Meta.Total != 20 {
		t.Errorf("got %s, want 20 groups created", body)
	}

	if err := caddy.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "sim.json"))
	if err != nil || !strings.Contains(string(b), `"g19"`) || !strings.Contains(string(b), `"ada"`) {
		t.Errorf("got data file %.200s (%v), want the user and the groups", b, err)
	}
}
