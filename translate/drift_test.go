package translate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// driftUser is a Hector user record with groups given as id:name pairs.
func driftUser(id int64, username, ext, status, role string, groups ...string) json.RawMessage {
	gs := make([]string, len(groups))
	for i, g := range groups {
		gid, name, _ := strings.Cut(g, ":")
		gs[i] = fmt.Sprintf(`{"id":%s,"name":%q}`, gid, name)
	}
	extJSON := "null"
	if ext != "" {
		extJSON = fmt.Sprintf("%q", ext)
	}
	return json.RawMessage(fmt.Sprintf(`{"id":%d,"username":%q,"external_id":%s,"status":%q,"role":%q,"groups":[%s]}`,
		id, username, extJSON, status, role, strings.Join(gs, ",")))
}

// driftGroups are the guide's role groups (synchronized), a hand-made
// group, and an empty synchronized group no rule names.
var driftGroups = []Group{
	{ID: 1, Name: "hector_admins", ExternalID: "a", MemberCount: 1},
	{ID: 2, Name: "hector_staff", ExternalID: "s", MemberCount: 3},
	{ID: 3, Name: "hector_users", ExternalID: "u", MemberCount: 1},
	{ID: 4, Name: "Lab", MemberCount: 2},
	{ID: 5, Name: "old_project", ExternalID: "o"},
	{ID: 6, Name: "Hector Staff EU", ExternalID: "eu", MemberCount: 0},
}

func kinds(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

// TestRuleForAgreesWithCompute holds the report's one rule evaluation to
// the one provisioning uses.
func TestRuleForAgreesWithCompute(t *testing.T) {
	r := guideRoles(false)
	sets := [][]string{nil, {"Hector Employees"}, {"hector_staff"}, {"Hector Staff EU"}, {"HECTOR_ADMINS"},
		{"hector_users", "hector_staff", "hector_admins"}, {"hector_users", "hector_places"}, {"ſtaff", "hector_ſtaff"}}
	for _, names := range sets {
		groups := make([]Group, len(names))
		refs := make([]GroupRef, len(names))
		for i, n := range names {
			groups[i] = Group{ID: int64(i + 1), Name: n}
			refs[i] = GroupRef{ID: int64(i + 1), Name: n}
		}
		rule, _ := ruleFor(r, groups)
		got := r.Default
		if rule > 0 {
			got = r.Order[rule-1].Name
		}
		if want := r.Compute(refs); got != want {
			t.Errorf("groups %v: got %q, want %q (Roles.Compute)", names, got, want)
		}
	}
}

func TestDriftUser(t *testing.T) {
	policy := func(overwrite bool) Policy {
		return Policy{Roles: guideRoles(overwrite), Protect: []string{"BreakGlass@contoso.example"}}
	}
	tests := []struct {
		name      string
		overwrite bool
		rec       json.RawMessage
		want      []string
		fix       []FieldChange
	}{
		{"in line with the rules", false, driftUser(1, "ada@x", "e1", "active", "staff", "2:hector_staff", "4:Lab"), nil, nil},
		{"highest rule wins", false, driftUser(1, "ada@x", "e1", "active", "admin", "3:hector_users", "1:hector_admins"), nil, nil},
		{"active in no synchronized group", false, driftUser(2, "bob@x", "e2", "active", "user", "4:Lab"),
			[]string{KindActiveUnsynchronized}, []FieldChange{{"status", "active", "disabled"}}},
		{"disabled in no group is as it should be", false, driftUser(2, "bob@x", "e2", "disabled", "user"), nil, nil},
		{"a group the read does not know counts as synchronized", false, driftUser(2, "bob@x", "e2", "active", "user", "99:new_group"), nil, nil},
		{"hand-set role kept with overwrite off", false, driftUser(3, "cy@x", "e3", "active", "auditor", "2:hector_staff"), []string{KindRoleKept}, nil},
		{"hand-set role fixed with overwrite on", true, driftUser(3, "cy@x", "e3", "active", "auditor", "2:hector_staff"),
			[]string{KindRoleDiffers}, []FieldChange{{"role", "auditor", "staff"}}},
		{"both at once", true, driftUser(4, "di@x", "e4", "active", "admin", "4:Lab"),
			[]string{KindActiveUnsynchronized, KindRoleDiffers}, []FieldChange{{"role", "admin", "user"}, {"status", "active", "disabled"}}},
		{"hand-made account never evaluated", true, driftUser(5, "eve@x", "", "active", "auditor", "4:Lab"), []string{KindHandMade}, nil},
		{"protected account never evaluated, names compared as Hector does", true, driftUser(6, "breakglass@CONTOSO.example", "e6", "active", "admin"), []string{KindProtected}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDrift(driftGroups, policy(tt.overwrite))
			fs := d.User(tt.rec)
			if got := kinds(fs); !slices.Equal(got, tt.want) {
				t.Fatalf("got findings %v, want %v", got, tt.want)
			}
			fix, ok := d.Fix(tt.rec)
			if ok != (tt.fix != nil) || !slices.Equal(fix.Changes, tt.fix) {
				t.Errorf("got fix %v (%v), want %v", fix.Changes, ok, tt.fix)
			}
		})
	}
}

func TestDriftCause(t *testing.T) {
	d := NewDrift(driftGroups, Policy{Roles: guideRoles(true)})
	for role, want := range map[string]string{"auditor": CauseHandSet, "superuser": CauseHandSet, "user": CauseRulesRole, "admin": CauseRulesRole} {
		fs := d.User(driftUser(1, "ada@x", "e1", "active", role, "2:hector_staff"))
		if len(fs) != 1 || fs[0].Cause != want || fs[0].Want != "staff" || fs[0].Rule != 2 || fs[0].Group != "hector_staff" {
			t.Errorf("role %s: got %+v, want cause %s, want staff by rule 2 through hector_staff", role, fs, want)
		}
	}
}

// TestDriftHolds: a rule naming a group Hector lacks (a typo) holds every
// role change back, and a tenant with no synchronized group holds every
// deactivation back; the findings stay.
func TestDriftHolds(t *testing.T) {
	typo := guideRoles(true)
	typo.Order[1].Groups = []string{"hector_staf"}
	d := NewDrift(driftGroups, Policy{Roles: typo})
	rec := driftUser(1, "ada@x", "e1", "active", "staff", "2:hector_staff")
	fs := d.User(rec)
	if len(fs) != 1 || fs[0].Kind != KindRoleDiffers || fs[0].Fix != nil {
		t.Errorf("got %+v, want role_differs without a fix", fs)
	}
	if held := d.Held(); len(held) != 1 || !strings.Contains(held[0], `rule 2 (staff) names group "hector_staf"`) {
		t.Errorf("got held %q", held)
	}
	rep := d.Analyze([]json.RawMessage{rec})
	if rep.Findings[0].Kind != KindRuleUnknownGroup || !rep.Findings[0].Drift || rep.Findings[0].Group != "hector_staf" || rep.Findings[0].Rule != 2 {
		t.Errorf("got first finding %+v, want the typo", rep.Findings[0])
	}

	handOnly := []Group{{ID: 4, Name: "Lab", MemberCount: 2}}
	d = NewDrift(handOnly, Policy{Roles: Roles{Default: "user"}})
	rec = driftUser(2, "bob@x", "e2", "active", "user")
	if fs := d.User(rec); len(fs) != 1 || fs[0].Kind != KindActiveUnsynchronized || fs[0].Fix != nil {
		t.Errorf("got %+v, want active_unsynchronized without a fix", fs)
	}
	if _, ok := d.Fix(rec); ok {
		t.Errorf("got a fix; want deactivations held")
	}
}

func TestDriftAnalyze(t *testing.T) {
	d := NewDrift(driftGroups, Policy{Roles: guideRoles(false), Protect: []string{"breakglass@x", "ghost@x"}})
	rep := d.Analyze([]json.RawMessage{
		driftUser(1, "ada@x", "e1", "active", "admin", "1:hector_admins"),
		driftUser(2, "bob@x", "e2", "active", "user", "4:Lab"),
		driftUser(3, "cy@x", "e3", "active", "auditor", "2:hector_staff"),
		driftUser(4, "hand@x", "", "active", "user"),
		driftUser(5, "breakglass@x", "", "active", "admin"),
	})
	want := []string{KindActiveUnsynchronized, KindRoleKept, KindHandMade, KindProtected, KindUnusedGroup, KindProtectedMissing}
	if got := kinds(rep.Findings); !slices.Equal(got, want) {
		t.Errorf("got findings %v, want %v", got, want)
	}
	wantSum := Summary{Users: 5, Managed: 3, HandMade: 1, Protected: 1, Groups: 6, Synchronized: 5, Drift: 1, Inventory: 5}
	if rep.Summary != wantSum {
		t.Errorf("got summary %+v, want %+v", rep.Summary, wantSum)
	}
	if len(rep.Fixes) != 1 || rep.Fixes[0].UserID != 2 || rep.Fixes[0].Fields()["status"] != "disabled" {
		t.Errorf("got fixes %+v, want bob disabled", rep.Fixes)
	}
	if f := rep.Findings[4]; f.Group != "old_project" || f.GroupID != 5 {
		t.Errorf("got unused group %+v, want old_project (Hector Staff EU is empty but named by a rule)", f)
	}
}

func TestExplain(t *testing.T) {
	d := NewDrift(driftGroups, Policy{Roles: guideRoles(false)})
	e := d.Explain(driftUser(3, "cy@x", "e3", "active", "auditor", "3:hector_users", "2:hector_staff", "4:Lab"))
	var verdicts []string
	for _, r := range e.Rules {
		verdicts = append(verdicts, r.Verdict)
	}
	if want := []string{VerdictNotIn, VerdictGives, VerdictOutranked, VerdictNoGroups}; !slices.Equal(verdicts, want) {
		t.Errorf("got verdicts %v, want %v", verdicts, want)
	}
	if e.Want != "staff" || e.WantRule != 2 || !slices.Equal(e.Rules[1].In, []string{"hector_staff"}) {
		t.Errorf("got want %q by rule %d in %v, want staff by rule 2 in hector_staff", e.Want, e.WantRule, e.Rules[1].In)
	}
	if want := `Hector holds "auditor", set by hand (no rule gives it); the rules give "staff"; overwrite_roles off: kept`; e.RoleVerdict != want {
		t.Errorf("got role verdict %q, want %q", e.RoleVerdict, want)
	}
	if want := "active, in 2 synchronized group(s)"; e.StatusVerdict != want {
		t.Errorf("got status verdict %q, want %q", e.StatusVerdict, want)
	}
	if len(e.Groups) != 3 || e.Groups[2].Synchronized {
		t.Errorf("got groups %+v, want Lab not synchronized", e.Groups)
	}
}

// BenchmarkDriftAnalyze5000 is scim-report's analysis of a 5,000-user read.
//
//	go test -run '^$' -bench DriftAnalyze -benchmem ./translate/
func BenchmarkDriftAnalyze5000(b *testing.B) {
	users := make([]json.RawMessage, 5000)
	for i := range users {
		users[i] = driftUser(int64(i+1), fmt.Sprintf("user%05d@contoso.example", i+1), fmt.Sprintf("e%d", i+1), "active", "user", "3:hector_users", "4:Lab")
	}
	d := NewDrift(driftGroups, Policy{Roles: guideRoles(true), Protect: []string{"breakglass@x"}})
	b.ReportAllocs()
	for b.Loop() {
		if rep := d.Analyze(users); rep.Summary.Users != 5000 {
			b.Fatal(rep.Summary)
		}
	}
}
