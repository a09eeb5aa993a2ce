package provision

import (
	"context"
	"strconv"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/translate"
)

// Auditor receives one record for every change written to Hector: users,
// groups, memberships and roles. It is called after Hector accepted the
// change.
type Auditor interface {
	Change(ctx context.Context, c translate.Change)
}

type nopAuditor struct{}

func (nopAuditor) Change(context.Context, translate.Change) {}

// auditFields are the Hector user fields an audit record compares.
func (s *Service) auditFields() []string {
	return append(s.mapping.Fields(), "role")
}

func (s *Service) auditUser(ctx context.Context, action string, before, after []byte) {
	id := gjson.GetBytes(after, "id").String()
	if id == "" {
		id = gjson.GetBytes(before, "id").String()
	}
	s.audit.Change(ctx, translate.Change{Object: "user", Action: action, ID: id, Fields: translate.FieldChanges(before, after, s.auditFields())})
}

func (s *Service) auditGroup(ctx context.Context, action string, id int64, fields ...translate.FieldChange) {
	s.audit.Change(ctx, translate.Change{Object: "group", Action: action, ID: strconv.FormatInt(id, 10), Fields: fields})
}

func (s *Service) auditMembers(ctx context.Context, action string, group int64, users []int64) {
	if len(users) > 0 {
		s.audit.Change(ctx, translate.Change{Object: "membership", Action: action, ID: strconv.FormatInt(group, 10), Users: users})
	}
}
