package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
)

// The seeded tenant of TestScimReport, 5,000 users:
//
//	1..5        admins, in hector_admins
//	6..1000     staff, in hector_staff; user 7 holds "auditor", set by hand
//	1001..4990  users, in hector_users
//	4991..4993  managed, active, in no synchronized group (drift)
//	4994..4996  managed, disabled, in no group (as they should be)
//	4997        keeper@contoso.example: protected, managed, active, in no group
//	4998, 4999  hand-made (no external_id), in the hand-made group Lab
//	5000        breakglass@contoso.example: protected, hand-made admin
//
// Groups: hector_admins, hector_staff, hector_users (synchronized), Lab
// (hand-made), old_project (synchronized, empty, named by no rule).
const reportUsers = 5000

func seedReportTenant(t *testing.T, sim *hectorsim.Server) {
	t.Helper()
	users := make([]hectorsim.SeedUser, reportUsers)
	var admins, staff, rest []int64
	for i := range users {
		id := int64(i + 1)
		name := fmt.Sprintf("user%05d@contoso.example", id)
		u := hectorsim.SeedUser{Username: name, Email: name, Identifier: fmt.Sprintf("E%05d", id),
			FirstName: "First", LastName: "Last", ExternalID: fmt.Sprintf("ext-%d", id), Role: "user"}
		switch {
		case id <= 5:
			u.Role = "admin"
			admins = append(admins, id)
		case id <= 1000:
			u.Role = "staff"
			staff = append(staff, id)
		case id <= 4990:
			rest = append(rest, id)
		case id >= 4994 && id <= 4996:
			u.Status = "disabled"
		case id == 4997:
			u.Username = "keeper@contoso.example"
		case id >= 4998:
			u.ExternalID = ""
		}
		users[i] = u
	}
	users[6].Role = "auditor"
	users[4999].Username, users[4999].Role = "breakglass@contoso.example", "admin"
	_, _, err := sim.Seed(users, []hectorsim.SeedGroup{
		{Name: "hector_admins", ExternalID: "g-admins", Members: admins},
		{Name: "hector_staff", ExternalID: "g-staff", Members: staff},
		{Name: "hector_users", ExternalID: "g-users", Members: rest},
		{Name: "Lab", Members: []int64{1, 4998, 4999}},
		{Name: "old_project", ExternalID: "g-old"},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// reportConfig writes a configuration for scim-report against the test's
// simulator, as JSON (adapted from a Caddyfile by the binary itself, then
// given protect), and returns its path.
func reportConfig(t *testing.T, e *env, staffGroup string, overwrite bool, protect ...string) string {
	t.Helper()
	dir := t.TempDir()
	ow := ""
	if overwrite {
		ow = "overwrite_roles"
	}
	cf := fmt.Sprintf(`{
	admin off
	persist_config off
}
http://127.0.0.1:%d {
	route /scim/v2/* {
		scim {
			token {env.E2E_SCIM_TOKEN}
			legacy %s {
				api_key {env.E2E_HECTOR_KEY}
				rate 40
			}
			roles {
				admin hector_admins
				staff %s
				user hector_users
				auditor
			}
			default_role user
			%s
		}
	}
}
`, freePort(t), e.simURL, staffGroup, ow)
	path := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(path, []byte(cf), 0o600); err != nil {
		t.Fatal(err)
	}
	return withProtect(t, path, protect)
}

// withProtect adapts a Caddyfile to JSON with the binary and sets protect
// on its scim handlers; it returns the JSON file's path.
func withProtect(t *testing.T, caddyfile string, protect []string) string {
	t.Helper()
	out, err := exec.Command(binary, "adapt", "--config", caddyfile, "--adapter", "caddyfile").Output()
	if err != nil {
		t.Fatalf("adapt: %v", err)
	}
	var cfg any
	if err := json.Unmarshal(out, &cfg); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["handler"] == "scim" && len(protect) > 0 {
				x["protect"] = protect
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(cfg)
	b, _ := json.Marshal(cfg)
	path := strings.TrimSuffix(caddyfile, filepath.Ext(caddyfile)) + ".json"
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runReport runs `hector-scim scim-report --config cfg args…` and returns
// its stdout, stderr and exit code.
func runReport(t *testing.T, cfg string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"scim-report", "--config", cfg}, args...)...)
	dir := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir,
		"E2E_SCIM_TOKEN="+Token, "E2E_HECTOR_KEY="+APIKey)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return out.String(), errOut.String(), exit.ExitCode()
	case err != nil:
		t.Fatalf("scim-report: %v", err)
	}
	return out.String(), errOut.String(), 0
}

// kindCounts counts a --json report's findings by kind.
func kindCounts(t *testing.T, out string) map[string]int {
	t.Helper()
	if !gjson.Valid(out) || gjson.Get(out, "schema").String() != "hector-scim/scim-report/v1" {
		t.Fatalf("not a scim-report document:\n%s", out)
	}
	counts := map[string]int{}
	for _, f := range gjson.Get(out, "reports.0.findings").Array() {
		counts[f.Get("kind").String()]++
	}
	return counts
}

func wantCounts(t *testing.T, step string, got, want map[string]int) {
	t.Helper()
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("%s: got %d %s, want %d (all: %v)", step, got[k], k, want[k], got)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: got %d %s, want none", step, got[k], k)
		}
	}
}

// TestScimReport runs scim-report through the real binary against a
// seeded tenant of 5,000 users with a typo in the role rules, a hand-set
// role, protected accounts and active managed users in no synchronized
// group: it finds them, explains one user, holds role fixes while the
// typo stands, prints a plan without --yes, fixes with --apply --yes (with
// audit lines named by the run), never touches protected or hand-made
// accounts, and a second report finds no drift (inventory stays, by
// design).
func TestScimReport(t *testing.T) {
	e := newEnv(t, options{})
	seedReportTenant(t, e.sim)
	protect := []string{"breakglass@contoso.example", "Keeper@contoso.example", "ghost@contoso.example"}
	inventory := map[string]int{"hand_made": 2, "protected": 2, "protected_missing": 1, "unused_group": 1}

	// A typo in roles: members of hector_staff would all be moved to the
	// default role, so role fixes are held; deactivations are not.
	typo := reportConfig(t, e, "hector_staf", true, protect...)
	out, stderr, code := runReport(t, typo, "--json")
	if code != 1 {
		t.Fatalf("typo: got exit %d, want 1 (drift); stderr:\n%s", code, stderr)
	}
	want := map[string]int{"rule_unknown_group": 1, "active_unsynchronized": 3, "role_differs": 995}
	for k, v := range inventory {
		want[k] = v
	}
	wantCounts(t, "typo", kindCounts(t, out), want)
	if got := gjson.Get(out, `reports.0.findings.#(kind=="rule_unknown_group")`); got.Get("group").String() != "hector_staf" || got.Get("rule").Int() != 2 {
		t.Errorf("typo: got %s, want rule 2 naming hector_staf", got.Raw)
	}
	if got := gjson.Get(out, "reports.0.fixes.#.user_id").Raw; got != "[4991,4992,4993]" {
		t.Errorf("typo: got fixes for %s, want the 3 deactivations only", got)
	}
	if held := gjson.Get(out, "reports.0.held.0").String(); !strings.Contains(held, `rule 2 (staff) names group "hector_staf"`) {
		t.Errorf("typo: got held %q", held)
	}
	if strings.Contains(stderr, "reading Hector") {
		t.Errorf("a progress line went to a stderr that is not a terminal:\n%s", stderr)
	}

	// Overwrite off: the hand-set role is inventory, kept.
	off := reportConfig(t, e, "hector_staff", false, protect...)
	out, _, code = runReport(t, off, "--json")
	want = map[string]int{"active_unsynchronized": 3, "role_kept": 1}
	for k, v := range inventory {
		want[k] = v
	}
	wantCounts(t, "overwrite off", kindCounts(t, out), want)
	if code != 1 {
		t.Errorf("overwrite off: got exit %d, want 1", code)
	}

	// The typo fixed, overwrite on: the text report, then one user explained.
	fixed := reportConfig(t, e, "hector_staff", true, protect...)
	out, _, code = runReport(t, fixed)
	for _, w := range []string{
		"drift: 4",
		"managed users active in no synchronized group (3):",
		"user 4991 user04991@contoso.example: active; --apply sets status → disabled",
		`user 7 user00007@contoso.example: "auditor" (set by hand), the rules give "staff" (rule 2, in hector_staff); --apply sets role → staff`,
		"user 5000 breakglass@contoso.example: active, role admin",
		"summary: 5000 users (4996 managed, 2 hand-made, 2 protected), 5 groups (4 synchronized); 4 drift, 6 inventory, 4 fix(es) for --apply",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("text report lacks %q:\n%s", w, out)
		}
	}
	if code != 1 {
		t.Errorf("fixed typo: got exit %d, want 1", code)
	}
	out, _, code = runReport(t, fixed, "--user", "USER00007@contoso.example")
	for _, w := range []string{
		`user user00007@contoso.example (Hector id 7): managed (external_id set), active, role "auditor"`,
		"groups: hector_staff (synchronized)",
		"rule 1 (admin): not in any of its groups (hector_admins)",
		"rule 2 (staff): in hector_staff: gives staff",
		`role: Hector holds "auditor", set by hand (no rule gives it); the rules give "staff"; overwrite_roles on: --apply sets "staff"`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("--user lacks %q:\n%s", w, out)
		}
	}
	if code != 1 {
		t.Errorf("--user: got exit %d, want 1 (the user has drift)", code)
	}

	if _, stderr, code := runReport(t, fixed, "--user", "nobody@contoso.example"); code != 2 || !strings.Contains(stderr, `Hector has no user \"nobody@contoso.example\"`) {
		t.Errorf("--user of no one: got exit %d, stderr:\n%s\nwant 2 and the reason", code, stderr)
	}

	// --apply without --yes prints the plan and writes nothing.
	e.sim.ResetStats()
	out, _, _ = runReport(t, fixed, "--apply")
	if !strings.Contains(out, "plan: 4 fix(es)") || !strings.Contains(out, "user 7 user00007@contoso.example: role auditor → staff") ||
		!strings.Contains(out, "nothing written: run again with --yes") {
		t.Errorf("plan:\n%s", out)
	}
	if n := e.sim.Stats().ByRoute["PUT /users/{id}"]; n != 0 {
		t.Errorf("--apply without --yes wrote %d users", n)
	}

	// --apply --yes writes the 4 fixes, each with an audit line of the run.
	auditLog := filepath.Join(t.TempDir(), "audit.log")
	out, stderr, code = runReport(t, fixed, "--apply", "--yes", "--audit-log", auditLog)
	if code != 0 || !strings.Contains(out, "applied: 4 written, 0 changed since the read (left alone), 0 failed; 0 drift finding(s) not for --apply") {
		t.Errorf("--apply --yes: got exit %d:\n%s\n%s", code, out, stderr)
	}
	lines, _ := os.ReadFile(auditLog)
	auditLines := strings.Split(strings.TrimSpace(string(lines)), "\n")
	runID := gjson.Get(auditLines[0], "run_id").String()
	if len(auditLines) != 4 || runID == "" || !strings.Contains(out, "run_id "+runID) {
		t.Errorf("got audit lines:\n%s\nwant 4 of one run", lines)
	}
	for _, l := range auditLines {
		if gjson.Get(l, "logger").String() != "http.handlers.scim.audit" || gjson.Get(l, "msg").String() != "hector change" ||
			gjson.Get(l, "run_id").String() != runID || gjson.Get(l, "users.0").String() != gjson.Get(l, "hector_id").String() {
			t.Errorf("audit line %s: want a hector change of run %s naming its user", l, runID)
		}
	}
	e.expectFields("7", map[string]string{"role": "staff", "status": "active"})
	e.expectFields("4992", map[string]string{"status": "disabled"})
	e.expectFields("4997", map[string]string{"status": "active"})                  // protected
	e.expectFields("5000", map[string]string{"status": "active", "role": "admin"}) // protected, hand-made

	// A second report: no drift, only the inventory.
	out, _, code = runReport(t, fixed, "--json")
	wantCounts(t, "after --apply", kindCounts(t, out), inventory)
	if code != 0 || gjson.Get(out, "reports.0.summary.drift").Int() != 0 {
		t.Errorf("after --apply: got exit %d, drift %s; want 0 and 0", code, gjson.Get(out, "reports.0.summary.drift"))
	}
}
