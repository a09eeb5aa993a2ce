package e2e

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// TestUserHistory: what happened to one user is one grep (or one jq) of
// the log, as docs/troubleshooting.md tells: every audit line names the
// Hector users it touched and the id of the request that made it, the
// value Caddy puts on that request's access log line. With
// E2E_HISTORY_LOG set, the log is also written there, for the docs.
func TestUserHistory(t *testing.T) {
	e := newEnv(t, options{})
	e.port = freePort(t)
	e.base = fmt.Sprintf("http://127.0.0.1:%d/scim/v2", e.port)
	cf := sidecarCaddyfile(options{scim: guideRoles}, e.port, e.simURL, "")
	cf = strings.Replace(cf, fmt.Sprintf("http://127.0.0.1:%d {\n", e.port), fmt.Sprintf("http://127.0.0.1:%d {\n\tlog\n", e.port), 1)
	e.proc = e.launch(cf, e.port)

	ada := e.newUser("ada@contoso.com")
	bob := e.newUser("bob@contoso.com")
	staff := e.newGroup("hector_staff")
	e.addMembers(staff, ada, bob)
	e.must(http.StatusOK, e.do("PATCH", "/Users/"+ada, patch(`{"op":"Replace","path":"title","value":"Engineer"}`)))
	e.must(http.StatusNoContent, e.do("PATCH", "/Groups/"+staff, patch(`{"op":"Remove","path":"members[value eq \"`+ada+`\"]"}`)))
	e.expectFields(ada, map[string]string{"role": "user", "status": "disabled", "title": "Engineer"})
	// Caddy writes a request's access log line after the answer: wait for
	// the six of them.
	for i := 0; strings.Count(e.logs(), `"msg":"handled request"`) < 6; i++ {
		if i == 100 {
			t.Fatalf("six access log lines were not written:\n%s", e.logs())
		}
		time.Sleep(100 * time.Millisecond)
	}

	path := os.Getenv("E2E_HISTORY_LOG")
	if path == "" {
		path = filepath.Join(t.TempDir(), "caddy.log")
	}
	if err := os.WriteFile(path, []byte(e.logs()), 0o600); err != nil {
		t.Fatal(err)
	}

	// The recipe: the user's audit lines by their Hector id.
	out, err := exec.Command("grep", "-E", `"users":\[([0-9]+,)*`+ada+`[],]`, path).Output()
	if err != nil {
		t.Fatalf("grep: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var got []string
	for _, l := range lines {
		got = append(got, gjson.Get(l, "object").String()+" "+gjson.Get(l, "action").String()+" "+gjson.Get(l, "changes.#.field").Raw)
		if gjson.Get(l, "uuid").String() == "" {
			t.Errorf("audit line without the request's id: %s", l)
		}
	}
	want := []string{
		`user create ["username","email","identifier","external_id","status","role"]`,
		`membership add `,
		`user update ["role"]`,
		`user update ["title"]`,
		`membership remove `,
		`user update ["status","role"]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ada's history:\ngot\n%s\nwant\n%s\nlines:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), out)
	}

	// One request: its access log line and its audit lines share the id.
	id := gjson.Get(lines[len(lines)-1], "uuid").String()
	out, _ = exec.Command("grep", id, path).Output()
	var msgs []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		msgs = append(msgs, gjson.Get(l, "msg").String())
	}
	if strings.Join(msgs, ",") != "hector change,hector change,handled request" {
		t.Errorf("request %s: got lines %v, want its two audit lines and the access log line:\n%s", id, msgs, out)
	}
	if _, err := exec.LookPath("jq"); err == nil {
		out, err := exec.Command("jq", "-c", "--argjson", "id", ada, `select(.users and (.users | index($id))) | [.object, .action]`, path).Output()
		if err != nil || strings.Count(string(out), "\n") != len(want) {
			t.Errorf("jq: got %v\n%s", err, out)
		}
	}
}
