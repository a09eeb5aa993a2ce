package e2e

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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
	e.reload(o)
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

// TestReloadKeepsSharedState: state that must outlive a reload does. An
// address past its limit of token failures is still past it after a
// reload, and the roles, checked against Hector when the sidecar started,
// are not checked again by a reload that keeps them.
func TestReloadKeepsSharedState(t *testing.T) {
	o := options{admin: true, scim: guideRoles + "\n\t\t\tauth_failure_limit 3 1m"}
	e := start(t, o)
	const checked = "configured roles checked against Hector"
	if !e.waitLog(checked) {
		t.Fatalf("no %q line at start-up", checked)
	}
	for i := range 3 {
		if r := e.doAuth("GET", "/Users", nil, fmt.Sprintf("Bearer guess-%d-0123456789", i)); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i+1, r.status)
		}
	}
	if r := e.doAuth("GET", "/Users", nil, "Bearer guess-3-0123456789"); r.status != http.StatusTooManyRequests {
		t.Fatalf("past the limit: got %d, want 429", r.status)
	}

	o.scim += "\n\t\t\tuser_field locale locale" // a change, so that Caddy reloads
	e.reload(o)

	r := e.doAuth("GET", "/Users", nil, "Bearer guess-4-0123456789")
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Errorf("after the reload: got %d (Retry-After %q), want 429 with Retry-After: the address is still past its limit", r.status, r.header.Get("Retry-After"))
	}
	e.must(http.StatusOK, e.do("GET", "/Users", nil))
	// The old code checked the roles again a second after each load.
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if n := len(e.logLines(checked)); n != 1 {
			t.Fatalf("got %d %q lines after the reload, want the 1 of the start-up", n, checked)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
