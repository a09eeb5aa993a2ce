package caddymodule

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hector-scim/hector-scim/translate"
)

// textLimit bounds the lines the text report prints per kind of finding;
// --json lists them all.
const textLimit = 20

// kindText is how the text report heads each kind of finding, in the
// order it prints them.
var kindText = []struct{ kind, head string }{
	{translate.KindRuleUnknownGroup, "role rules naming a group Hector does not have"},
	{translate.KindActiveUnsynchronized, "managed users active in no synchronized group"},
	{translate.KindRoleDiffers, "managed users whose role is not the rules' (overwrite_roles on)"},
	{translate.KindRoleKept, "roles kept by overwrite_roles off (not the rules')"},
	{translate.KindHandMade, "hand-made accounts (no external_id): the rules never change them"},
	{translate.KindProtected, "protected accounts: never read or written"},
	{translate.KindProtectedMissing, "protect names without a Hector user"},
	{translate.KindUnusedGroup, "synchronized groups without members that no rule names"},
}

// print writes the report as text.
func (r *handlerReport) print(w io.Writer, h *Handler, took time.Duration) {
	fmt.Fprintf(w, "scim handler %d at %s: Hector %s read in %s (%d user(s), %d group(s))\n",
		r.Handler, r.BasePath, r.Hector, took.Round(time.Millisecond), r.users, r.groups)
	h.printRules(w)
	switch {
	case r.User != nil:
		printExplanation(w, r.User)
		return
	case r.Summary == nil:
		fmt.Fprintf(w, "  no such user in this Hector\n")
		return
	}
	s := r.Summary
	fmt.Fprintf(w, "  drift: %d\n", s.Drift)
	r.printKinds(w, true)
	fmt.Fprintf(w, "  inventory (informational): %d\n", s.Inventory)
	r.printKinds(w, false)
	for _, held := range r.Held {
		fmt.Fprintf(w, "  held: %s\n", held)
	}
	fmt.Fprintf(w, "  summary: %d users (%d managed, %d hand-made, %d protected), %d groups (%d synchronized); %d drift, %d inventory, %d fix(es) for --apply\n",
		s.Users, s.Managed, s.HandMade, s.Protected, s.Groups, s.Synchronized, s.Drift, s.Inventory, len(r.Fixes))
}

// printKinds prints the findings of the drift or the inventory, kind by
// kind.
func (r *handlerReport) printKinds(w io.Writer, drift bool) {
	for _, k := range kindText {
		var fs []translate.Finding
		for _, f := range r.Findings {
			if f.Kind == k.kind && f.Drift == drift {
				fs = append(fs, f)
			}
		}
		if len(fs) == 0 {
			continue
		}
		fmt.Fprintf(w, "    %s (%d):\n", k.head, len(fs))
		for i, f := range fs {
			if i == textLimit {
				fmt.Fprintf(w, "      … and %d more (--json lists them all)\n", len(fs)-textLimit)
				break
			}
			fmt.Fprintf(w, "      %s\n", findingText(f))
		}
	}
}

// findingText is one finding on one line.
func findingText(f translate.Finding) string {
	user := fmt.Sprintf("user %d %s", f.UserID, f.UserName)
	switch f.Kind {
	case translate.KindRuleUnknownGroup:
		return fmt.Sprintf("rule %d (%s): %q", f.Rule, f.RuleRole, f.Group)
	case translate.KindActiveUnsynchronized:
		return user + ": active" + fixText(f)
	case translate.KindRoleDiffers, translate.KindRoleKept:
		return fmt.Sprintf("%s: %q (%s), the rules give %q (%s)%s", user, f.Role, causeText(f.Cause), f.Want, ruleText(f), fixText(f))
	case translate.KindHandMade, translate.KindProtected:
		return fmt.Sprintf("%s: %s, role %s", user, f.Status, f.Role)
	case translate.KindProtectedMissing:
		return f.UserName
	case translate.KindUnusedGroup:
		return fmt.Sprintf("group %d %s", f.GroupID, f.Group)
	}
	return f.Kind
}

func causeText(cause string) string {
	if cause == translate.CauseHandSet {
		return "set by hand"
	}
	return "a rules' role: rules changed since, or set by hand"
}

func ruleText(f translate.Finding) string {
	if f.Rule == 0 {
		return "default_role"
	}
	return fmt.Sprintf("rule %d, in %s", f.Rule, f.Group)
}

func fixText(f translate.Finding) string {
	if len(f.Fix) == 0 {
		return ""
	}
	parts := make([]string, len(f.Fix))
	for i, c := range f.Fix {
		parts[i] = c.Field + " → " + c.After
	}
	return "; --apply sets " + strings.Join(parts, ", ")
}

// printExplanation writes --user's explanation, rule by rule.
func printExplanation(w io.Writer, e *translate.Explanation) {
	kind := "managed (external_id set)"
	switch {
	case e.Protected:
		kind = "protected"
	case !e.Managed:
		kind = "hand-made (no external_id)"
	}
	fmt.Fprintf(w, "  user %s (Hector id %d): %s, %s, role %q\n", e.UserName, e.UserID, kind, e.Status, e.Role)
	groups := make([]string, len(e.Groups))
	for i, g := range e.Groups {
		sync := "hand-made"
		if g.Synchronized {
			sync = "synchronized"
		}
		groups[i] = fmt.Sprintf("%s (%s)", g.Name, sync)
	}
	if len(groups) == 0 {
		groups = []string{"none"}
	}
	fmt.Fprintf(w, "    groups: %s\n", strings.Join(groups, ", "))
	for _, rv := range e.Rules {
		fmt.Fprintf(w, "    rule %d (%s): %s\n", rv.Rule, rv.Role, verdictText(rv, e.WantRule))
	}
	if e.DefaultRole != "" {
		used := "not used"
		if e.WantRule == 0 {
			used = "applies: no rule names one of the user's groups"
		}
		fmt.Fprintf(w, "    default_role %s: %s\n", e.DefaultRole, used)
	}
	fmt.Fprintf(w, "    role: %s\n", e.RoleVerdict)
	fmt.Fprintf(w, "    status: %s\n", e.StatusVerdict)
}

func verdictText(rv translate.RuleVerdict, wantRule int) string {
	switch rv.Verdict {
	case translate.VerdictGives:
		return fmt.Sprintf("in %s: gives %s", strings.Join(rv.In, ", "), rv.Role)
	case translate.VerdictOutranked:
		return fmt.Sprintf("in %s, but rule %d comes first", strings.Join(rv.In, ", "), wantRule)
	case translate.VerdictNoGroups:
		return "names no group (set by hand in Hector only)"
	}
	return "not in any of its groups (" + strings.Join(rv.Groups, "; ") + ")"
}
