package translate

import (
	"context"
	"strconv"

	"github.com/tidwall/gjson"
)

// Auditor receives one record for every change written to Hector: users,
// groups, memberships and roles. It is called after Hector accepted the
// change.
type Auditor interface {
	Change(ctx context.Context, c Change)
}

// Change is one change written to Hector.
type Change struct {
	// Object is "user", "group" or "membership".
	Object string
	// Action is "create", "update", "delete", "add" or "remove".
	Action string
	// ID is the Hector id of the user or group.
	ID string
	// Fields are the field changes of a create or an update, in field
	// order; Before is "" on create.
	Fields []FieldChange
	// Users are the user ids of a membership change.
	Users []int64
}

// FieldChange is one Hector field before and after a change.
type FieldChange struct {
	Field, Before, After string
}

type nopAuditor struct{}

func (nopAuditor) Change(context.Context, Change) {}

// fieldChanges lists the fields that differ between two Hector records
// over the given fields (role and status included).
func fieldChanges(before, after []byte, fields []string) []FieldChange {
	var out []FieldChange
	for _, f := range fields {
		b, a := gjson.GetBytes(before, f).String(), gjson.GetBytes(after, f).String()
		if b != a {
			out = append(out, FieldChange{Field: f, Before: b, After: a})
		}
	}
	return out
}

// auditFields are the Hector user fields an audit record compares.
func (s *Service) auditFields() []string {
	return append(s.mapping.Fields(), "role")
}

func (s *Service) auditUser(ctx context.Context, action string, before, after []byte) {
	id := gjson.GetBytes(after, "id").String()
	if id == "" {
		id = gjson.GetBytes(before, "id").String()
	}
	s.audit.Change(ctx, Change{Object: "user", Action: action, ID: id, Fields: fieldChanges(before, after, s.auditFields())})
}

func (s *Service) auditGroup(ctx context.Context, action string, id int64, fields ...FieldChange) {
	s.audit.Change(ctx, Change{Object: "group", Action: action, ID: strconv.FormatInt(id, 10), Fields: fields})
}

func (s *Service) auditMembers(ctx context.Context, action string, group int64, users []int64) {
	if len(users) > 0 {
		s.audit.Change(ctx, Change{Object: "membership", Action: action, ID: strconv.FormatInt(group, 10), Users: users})
	}
}
