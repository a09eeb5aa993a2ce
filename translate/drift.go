package translate

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// This file is the drift analysis of scim-report: given every Hector user
// and group, the role rules and the protected accounts, what differs from
// what the rules say (drift), and what is only worth knowing (inventory).
// Provision reads Hector; this decides; caddymodule prints.

// The kinds of finding. Drift makes scim-report exit 1; inventory is
// informational by design and never does.
const (
	// KindActiveUnsynchronized (drift): a managed user who is active but in
	// no synchronized group; leaving the last one should have disabled them.
	KindActiveUnsynchronized = "active_unsynchronized"
	// KindRoleDiffers (drift, overwrite_roles on): a managed user whose role
	// is not the one the rules give.
	KindRoleDiffers = "role_differs"
	// KindRuleUnknownGroup (drift): a role rule names a group Hector does
	// not have (most often a typo in roles).
	KindRuleUnknownGroup = "rule_unknown_group"
	// KindRoleKept (inventory, overwrite_roles off): a managed user whose
	// role is not the one the rules give, kept as overwrite off promises.
	KindRoleKept = "role_kept"
	// KindHandMade (inventory): a user without external_id; the bridge
	// never changes their role or status.
	KindHandMade = "hand_made"
	// KindProtected (inventory): a user named by protect.
	KindProtected = "protected"
	// KindProtectedMissing (inventory): a protect name no Hector user has.
	KindProtectedMissing = "protected_missing"
	// KindUnusedGroup (inventory): a synchronized group without members
	// that no rule names.
	KindUnusedGroup = "unused_group"
)

// The causes of a role difference.
const (
	// CauseHandSet: Hector holds a role that neither a rule with groups
	// nor default_role gives, so someone set it by hand.
	CauseHandSet = "hand_set"
	// CauseRulesRole: Hector holds a role the rules give to others: the
	// rules changed since it was given, or it was set by hand.
	CauseRulesRole = "rules_role"
)

// Finding is one observation of the drift analysis. Fields that do not
// apply to its kind are empty.
type Finding struct {
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Drift is true for drift, false for inventory.
	Drift bool `json:"drift"`
	// UserID and UserName name the user of a user finding.
	UserID   int64  `json:"user_id,omitempty"`
	UserName string `json:"user_name,omitempty"`
	// Status and Role are what Hector holds for the user.
	Status string `json:"status,omitempty"`
	Role   string `json:"role,omitempty"`
	// Want is the role the rules give the user.
	Want string `json:"want,omitempty"`
	// Rule is a rule's number (1 is the highest): the rule that gives Want
	// (0 and omitted: default_role), or the rule naming an unknown group.
	Rule int `json:"rule,omitempty"`
	// RuleRole is the role of Rule, for rule_unknown_group.
	RuleRole string `json:"rule_role,omitempty"`
	// Group is a group name: the one giving Want, the unknown one a rule
	// names, or the unused one; GroupID is Hector's id when it has one.
	Group   string `json:"group,omitempty"`
	GroupID int64  `json:"group_id,omitempty"`
	// Cause explains a role difference: CauseHandSet or CauseRulesRole.
	Cause string `json:"cause,omitempty"`
	// Fix lists what --apply writes for this finding; empty when nothing.
	Fix []FieldChange `json:"fix,omitempty"`
}

// Fix is what --apply writes to one user: their role, their status, or
// both.
type Fix struct {
	UserID   int64         `json:"user_id"`
	UserName string        `json:"user_name"`
	Changes  []FieldChange `json:"changes"`
}

// Fields are the Hector fields the fix writes.
func (f Fix) Fields() map[string]any {
	out := make(map[string]any, len(f.Changes))
	for _, c := range f.Changes {
		out[c.Field] = c.After
	}
	return out
}

// Same reports whether two fixes write the same values over the same
// values to the same user.
func (f Fix) Same(g Fix) bool { return f.UserID == g.UserID && slices.Equal(f.Changes, g.Changes) }

// Policy is what the drift analysis compares Hector with.
type Policy struct {
	// Roles are the group → role rules, default_role and overwrite_roles.
	Roles Roles
	// Protect are the usernames the bridge never touches.
	Protect []string
}

// Drift analyses users against a policy, over one read of Hector's
// groups. It is built once per read; its methods are pure.
type Drift struct {
	policy                Policy
	groups                map[int64]Group
	list                  []Group
	rules                 []Finding // rules naming no group
	holdRoles, holdStatus string    // why role changes, deactivations are held back; "" when they are not
}

// NewDrift prepares the analysis over Hector's groups. Role fixes are held
// while a rule names a group Hector does not have (a typo would otherwise
// move every member of the intended group); deactivations are held while
// Hector has no synchronized group at all (users assigned to the
// application directly, not through groups).
func NewDrift(groups []Group, p Policy) *Drift {
	d := &Drift{policy: p, groups: make(map[int64]Group, len(groups)), list: groups}
	synced := 0
	for _, g := range groups {
		d.groups[g.ID] = g
		if g.Synchronized() {
			synced++
		}
	}
	for i, rule := range p.Roles.Order {
		for _, name := range rule.Groups {
			if !slices.ContainsFunc(groups, func(g Group) bool { return ruleNames(name, g) }) {
				d.rules = append(d.rules, Finding{Kind: KindRuleUnknownGroup, Drift: true, Rule: i + 1, RuleRole: rule.Name, Group: name})
			}
		}
	}
	if len(d.rules) > 0 {
		f := d.rules[0]
		d.holdRoles = fmt.Sprintf("role changes are held: rule %d (%s) names group %q, which Hector does not have; fix roles first", f.Rule, f.RuleRole, f.Group)
	}
	if synced == 0 {
		d.holdStatus = "deactivations are held: Hector has no synchronized group, so users are not assigned through groups"
	}
	return d
}

// Held says which kinds of fix are held back, and why.
func (d *Drift) Held() []string {
	held := []string{}
	for _, h := range []string{d.holdRoles, d.holdStatus} {
		if h != "" {
			held = append(held, h)
		}
	}
	return held
}

// ruleNames is the one place the report matches a rule's group with a
// Hector group: the rules' own matching (a display name compared as Hector
// compares names, or "id:<externalId>").
func ruleNames(name string, g Group) bool {
	return names(name, GroupRef{ID: g.ID, Name: g.Name, ExternalID: g.ExternalID})
}

// ruleFor is the one place the report evaluates the role rules: the first
// rule (1 is the highest) naming one of groups, and that group; 0 when
// none does (default_role applies). It agrees with Roles.Compute.
func ruleFor(r Roles, groups []Group) (int, Group) {
	for i, rule := range r.Order {
		for _, name := range rule.Groups {
			for _, g := range groups {
				if ruleNames(name, g) {
					return i + 1, g
				}
			}
		}
	}
	return 0, Group{}
}

// userGroups are a user record's groups, with what the read of Hector's
// groups knows of each (external_id, member count); the name is the
// record's own. A group the read does not know counts as synchronized, so
// that nothing is deactivated on stale knowledge.
func (d *Drift) userGroups(rec []byte) (groups []Group, synced bool) {
	for _, v := range gjson.GetBytes(rec, "groups").Array() {
		id := v.Get("id").Int()
		g, known := d.groups[id]
		g.ID, g.Name = id, v.Get("name").String()
		groups = append(groups, g)
		synced = synced || !known || g.Synchronized()
	}
	return groups, synced
}

// protected reports whether username is one of the protected accounts,
// compared as Hector compares usernames.
func (d *Drift) protected(username string) bool {
	return slices.ContainsFunc(d.policy.Protect, func(p string) bool { return SameName(p, username) })
}

// User returns one user's findings.
func (d *Drift) User(rec []byte) []Finding {
	v := gjson.GetManyBytes(rec, "id", "username", "external_id", "status", "role")
	base := Finding{UserID: v[0].Int(), UserName: v[1].String(), Status: v[3].String(), Role: v[4].String()}
	switch {
	case d.protected(base.UserName):
		base.Kind = KindProtected
		return []Finding{base}
	case v[2].String() == "":
		base.Kind = KindHandMade
		return []Finding{base}
	}
	var out []Finding
	groups, synced := d.userGroups(rec)
	if base.Status == StatusActive && !synced {
		f := base
		f.Kind, f.Drift = KindActiveUnsynchronized, true
		if d.holdStatus == "" {
			f.Fix = []FieldChange{{Field: "status", Before: StatusActive, After: StatusDisabled}}
		}
		out = append(out, f)
	}
	if f, ok := d.role(base, groups); ok {
		out = append(out, f)
	}
	return out
}

// role returns the role finding of a managed user, if their role is not
// the one the rules give.
func (d *Drift) role(base Finding, groups []Group) (Finding, bool) {
	r := d.policy.Roles
	rule, by := ruleFor(r, groups)
	want := r.Default
	if rule > 0 {
		want = r.Order[rule-1].Name
	}
	if want == "" || want == base.Role {
		return Finding{}, false
	}
	f := base
	f.Want, f.Rule, f.Group, f.GroupID = want, rule, by.Name, by.ID
	f.Cause = CauseHandSet
	if base.Role == r.Default || slices.ContainsFunc(r.Order, func(rr RoleRule) bool { return rr.Name == base.Role && len(rr.Groups) > 0 }) {
		f.Cause = CauseRulesRole
	}
	f.Kind = KindRoleKept
	if r.Overwrite {
		f.Kind, f.Drift = KindRoleDiffers, true
		if d.holdRoles == "" {
			f.Fix = []FieldChange{{Field: "role", Before: base.Role, After: want}}
		}
	}
	return f, true
}

// Fix returns what --apply writes to one user, and false when nothing.
func (d *Drift) Fix(rec []byte) (Fix, bool) { return fixOf(d.User(rec)) }

// fixOf gathers the fixes of one user's findings.
func fixOf(fs []Finding) (Fix, bool) {
	var fix Fix
	for _, f := range fs {
		fix.UserID, fix.UserName = f.UserID, f.UserName
		fix.Changes = append(fix.Changes, f.Fix...)
	}
	slices.SortFunc(fix.Changes, func(a, b FieldChange) int { return strings.Compare(a.Field, b.Field) })
	return fix, len(fix.Changes) > 0
}

// Report is the drift analysis of one read of Hector.
type Report struct {
	Summary  Summary   `json:"summary"`
	Findings []Finding `json:"findings"`
	// Fixes are what --apply writes, one per user, by user id.
	Fixes []Fix `json:"fixes"`
	// Held says which kinds of fix are held back, and why.
	Held []string `json:"held"`
}

// Summary counts what the read holds and what the analysis found.
type Summary struct {
	Users        int `json:"users"`
	Managed      int `json:"managed"`
	HandMade     int `json:"hand_made"`
	Protected    int `json:"protected"`
	Groups       int `json:"groups"`
	Synchronized int `json:"synchronized_groups"`
	Drift        int `json:"drift"`
	Inventory    int `json:"inventory"`
}

// Analyze reports on every user and group: the rules first, then the
// users by id, the groups, and the protect names no user has.
func (d *Drift) Analyze(users []json.RawMessage) Report {
	rep := Report{Findings: slices.Clone(d.rules), Fixes: []Fix{}, Held: d.Held()}
	s := &rep.Summary
	s.Users, s.Groups = len(users), len(d.list)
	seen := map[string]bool{}
	for _, rec := range users {
		fs := d.User(rec)
		rep.Findings = append(rep.Findings, fs...)
		switch {
		case len(fs) == 1 && fs[0].Kind == KindProtected:
			s.Protected++
			seen[strings.ToLower(fs[0].UserName)] = true
			continue
		case len(fs) == 1 && fs[0].Kind == KindHandMade:
			s.HandMade++
			continue
		}
		s.Managed++
		if fix, ok := fixOf(fs); ok {
			rep.Fixes = append(rep.Fixes, fix)
		}
	}
	for _, g := range d.list {
		if !g.Synchronized() {
			continue
		}
		s.Synchronized++
		if g.MemberCount == 0 && !slices.ContainsFunc(d.policy.Roles.Order, func(r RoleRule) bool {
			return slices.ContainsFunc(r.Groups, func(n string) bool { return ruleNames(n, g) })
		}) {
			rep.Findings = append(rep.Findings, Finding{Kind: KindUnusedGroup, Group: g.Name, GroupID: g.ID})
		}
	}
	for _, p := range d.policy.Protect {
		if !seen[strings.ToLower(p)] {
			rep.Findings = append(rep.Findings, Finding{Kind: KindProtectedMissing, UserName: p})
		}
	}
	for _, f := range rep.Findings {
		if f.Drift {
			s.Drift++
		} else {
			s.Inventory++
		}
	}
	return rep
}
