package caddymodule

import (
	"fmt"
	"strings"

	"github.com/hector-scim/hector-scim/translate"
)

// reservedFields are the Hector fields a user_field line may not target:
// the bridge alone sets roles and statuses (by the group rules and
// deactivation), and Hector alone sets ids, memberships and timestamps.
var reservedFields = map[string]bool{
	"role": true, "status": true, "id": true, "groups": true,
	"created_at": true, "updated_at": true,
}

// checkUserField refuses a user_field line that targets a reserved field
// (or a path under one), whatever the config format. The Caddyfile adapter
// calls it naming the line; Provision calls it again for JSON configs.
func checkUserField(l translate.Line) error {
	top, _, _ := strings.Cut(l.Field, ".")
	if reservedFields[top] {
		return fmt.Errorf("user_field may not target %q: roles and statuses follow the role rules and Hector sets ids, groups and timestamps", l.Field)
	}
	return nil
}

// checkUserFields applies checkUserField to every line.
func checkUserFields(lines []translate.Line) error {
	for _, l := range lines {
		if err := checkUserField(l); err != nil {
			return fmt.Errorf("scim: %w", err)
		}
	}
	return nil
}
