package e2e

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"testing"
)

// TestReloadUnderLoad edits the Caddyfile (a second token, a mapping line,
// the roles) and runs `hector-scim reload` while clients keep sending
// requests: none fails, and the new configuration takes effect.
func TestReloadUnderLoad(t *testing.T) {
	o := options{admin: true, scim: guideRoles}
	e := start(t, o)
	uid := e.newUser("ada@contoso.com")
	const rotated = "rotated-token-0123456789abcdef"

	var failures, sent atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var r resp
				if i%2 == 0 {
					r = e.tryDo("GET", "/Users/"+uid, nil)
				} else {
					r = e.tryDo("PATCH", "/Users/"+uid, patch(fmt.Sprintf(`{"op":"Replace","path":"title","value":"t%d-%d"}`, w, i)))
				}
				sent.Add(1)
				if r.status != http.StatusOK {
					failures.Add(1)
					t.Logf("request failed during reload: %d %s", r.status, r.body)
				}
			}
		}()
	}

	o.scim = guideRoles + "\n\t\t\ttoken " + rotated + "\n\t\t\tuser_field locale locale\n\t\t\toverwrite_roles"
	if err := os.WriteFile(e.path, []byte(sidecarCaddyfile(o, e.port, e.simURL, e.admin)), 0o600); err != nil {
		t.Fatal(err)
	}
	reload := exec.Command(binary, "reload", "--config", e.path, "--adapter", "caddyfile", "--address", e.admin)
	reload.Env = append(os.Environ(), "E2E_SCIM_TOKEN="+Token, "E2E_HECTOR_KEY="+APIKey, "HOME="+t.TempDir())
	if out, err := reload.CombinedOutput(); err != nil {
		t.Fatalf("reload: %v\n%s", err, out)
	}
	close(stop)
	wg.Wait()
	t.Logf("%d requests sent across the reload, %d failed", sent.Load(), failures.Load())
	if failures.Load() != 0 {
		t.Errorf("got %d failed requests during the reload, want 0", failures.Load())
	}
	if sent.Load() < 8 {
		t.Errorf("only %d requests were sent around the reload; the test proves little", sent.Load())
	}

	// The new token is accepted, the old one still is.
	e.must(http.StatusOK, e.doAuth("GET", "/Users/"+uid, nil, "Bearer "+rotated))
	e.must(http.StatusOK, e.do("GET", "/Users/"+uid, nil))
	// The new mapping line: locale now comes from SCIM locale first.
	e.must(http.StatusOK, e.do("PATCH", "/Users/"+uid, patch(`{"op":"replace","value":{"preferredLanguage":"en-CA","locale":"fr-FR"}}`)))
	e.expectFields(uid, map[string]string{"locale": "fr-FR"})
}
