package translate

import (
	"fmt"

	"github.com/tidwall/gjson"
)

// This file explains one user's role and status rule by rule, for
// `scim-report --user`.

// Explanation is one user's role and status, explained rule by rule.
type Explanation struct {
	UserID    int64  `json:"user_id"`
	UserName  string `json:"user_name"`
	Managed   bool   `json:"managed"`
	Protected bool   `json:"protected"`
	Status    string `json:"status"`
	Role      string `json:"role"`
	// Groups are the user's Hector groups.
	Groups []ExplainedGroup `json:"groups"`
	// Rules are the role rules, highest first, each with its verdict.
	Rules []RuleVerdict `json:"rules"`
	// DefaultRole and Overwrite are default_role and overwrite_roles.
	DefaultRole string `json:"default_role"`
	Overwrite   bool   `json:"overwrite_roles"`
	// Want is the role the rules give ("" when none and no default_role);
	// WantRule the rule that gives it (0: default_role).
	Want     string `json:"want"`
	WantRule int    `json:"want_rule"`
	// RoleVerdict and StatusVerdict say, in a sentence each, what the
	// bridge makes of the role and the status.
	RoleVerdict   string `json:"role_verdict"`
	StatusVerdict string `json:"status_verdict"`
	// Findings are the user's findings, as in the report.
	Findings []Finding `json:"findings"`
}

// ExplainedGroup is one of the user's groups.
type ExplainedGroup struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Synchronized bool   `json:"synchronized"`
}

// RuleVerdict is one role rule applied to the user.
type RuleVerdict struct {
	Rule   int      `json:"rule"`
	Role   string   `json:"role"`
	Groups []string `json:"groups"`
	// In are the user's groups the rule names.
	In []string `json:"in"`
	// Verdict is "gives" (this rule gives the role), "outranked" (the user
	// is in one of its groups but a higher rule gives the role), "not in
	// its groups", or "no groups" (only set by hand).
	Verdict string `json:"verdict"`
}

// The verdicts of a rule.
const (
	VerdictGives     = "gives"
	VerdictOutranked = "outranked"
	VerdictNotIn     = "not in its groups"
	VerdictNoGroups  = "no groups"
)

// Explain explains one user's role and status rule by rule.
func (d *Drift) Explain(rec []byte) Explanation {
	v := gjson.GetManyBytes(rec, "id", "username", "external_id", "status", "role")
	r := d.policy.Roles
	e := Explanation{
		UserID: v[0].Int(), UserName: v[1].String(), Managed: v[2].String() != "",
		Status: v[3].String(), Role: v[4].String(), DefaultRole: r.Default, Overwrite: r.Overwrite,
		Groups: []ExplainedGroup{}, Rules: []RuleVerdict{}, Findings: d.User(rec),
	}
	e.Protected = d.protected(e.UserName)
	groups, synced := d.userGroups(rec)
	nsync := 0
	for _, g := range groups {
		_, known := d.groups[g.ID]
		s := g.Synchronized() || !known
		if s {
			nsync++
		}
		e.Groups = append(e.Groups, ExplainedGroup{ID: g.ID, Name: g.Name, Synchronized: s})
	}
	e.WantRule, _ = ruleFor(r, groups)
	e.Want = r.Default
	if e.WantRule > 0 {
		e.Want = r.Order[e.WantRule-1].Name
	}
	for i, rule := range r.Order {
		rv := RuleVerdict{Rule: i + 1, Role: rule.Name, Groups: append([]string{}, rule.Groups...), In: []string{}}
		for _, g := range groups {
			for _, name := range rule.Groups {
				if ruleNames(name, g) {
					rv.In = append(rv.In, g.Name)
					break
				}
			}
		}
		switch {
		case len(rule.Groups) == 0:
			rv.Verdict = VerdictNoGroups
		case len(rv.In) == 0:
			rv.Verdict = VerdictNotIn
		case i+1 == e.WantRule:
			rv.Verdict = VerdictGives
		default:
			rv.Verdict = VerdictOutranked
		}
		e.Rules = append(e.Rules, rv)
	}
	e.RoleVerdict = d.roleVerdict(e)
	e.StatusVerdict = d.statusVerdict(e, synced, nsync)
	return e
}

func (d *Drift) roleVerdict(e Explanation) string {
	switch {
	case e.Protected:
		return "protected: the bridge never reads or writes this account"
	case !e.Managed:
		return "hand-made (no external_id): the rules never change this role"
	case e.Want == "":
		return "no rule gives a role and there is no default_role: the bridge leaves the role as it is"
	case e.Want == e.Role:
		return fmt.Sprintf("Hector holds %q, the role the rules give", e.Role)
	}
	var f Finding
	for _, x := range e.Findings {
		if x.Kind == KindRoleKept || x.Kind == KindRoleDiffers {
			f = x
		}
	}
	how := "set by hand (no rule gives it)"
	if f.Cause == CauseRulesRole {
		how = "a role the rules give others (the rules changed since, or it was set by hand)"
	}
	s := fmt.Sprintf("Hector holds %q, %s; the rules give %q; ", e.Role, how, e.Want)
	switch {
	case !e.Overwrite:
		return s + "overwrite_roles off: kept"
	case len(f.Fix) > 0:
		return s + fmt.Sprintf("overwrite_roles on: --apply sets %q", e.Want)
	}
	return s + "overwrite_roles on, but " + d.holdRoles
}

func (d *Drift) statusVerdict(e Explanation, synced bool, nsync int) string {
	switch {
	case e.Protected || !e.Managed:
		return fmt.Sprintf("%s; the bridge never changes it", e.Status)
	case e.Status != StatusActive:
		return fmt.Sprintf("%s; only active: true from the IdP enables the user again", e.Status)
	case synced:
		return fmt.Sprintf("active, in %d synchronized group(s)", nsync)
	case d.holdStatus != "":
		return "active, in no synchronized group; " + d.holdStatus
	}
	return "active, in no synchronized group: leaving the last one should have disabled the user; --apply disables"
}
