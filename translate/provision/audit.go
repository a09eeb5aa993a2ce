package provision

import (
	"context"
	"encoding/json"
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

// auditUser records a user change: a create names the id Hector gave.
func (s *Service) auditUser(ctx context.Context, action string, before, after []byte) {
	rec := after
	if translate.RecordID(rec) == 0 && before != nil {
		rec = before
	}
	v := gjson.GetManyBytes(rec, "id", "username")
	c := translate.Change{Object: "user", Action: action, ID: v[0].String(), Fields: translate.FieldChanges(before, after, s.auditFields())}
	if id := v[0].Int(); id != 0 { // a dry run's create has none
		c.Users, c.UserNames = []int64{id}, []string{v[1].String()}
	}
	s.audit.Change(ctx, c)
}

func (s *Service) auditGroup(ctx context.Context, action string, id int64, fields ...translate.FieldChange) {
	s.audit.Change(ctx, translate.Change{Object: "group", Action: action, ID: strconv.FormatInt(id, 10), Fields: fields})
}

// auditMembers records a membership change; recs, when the change read
// the users' records anyway, give their usernames.
func (s *Service) auditMembers(ctx context.Context, action string, group int64, users []int64, recs map[int64]json.RawMessage) {
	if len(users) == 0 {
		return
	}
	c := translate.Change{Object: "membership", Action: action, ID: strconv.FormatInt(group, 10), Users: users}
	if recs != nil {
		c.UserNames = make([]string, len(users))
		for i, id := range users {
			rec, ok := recs[id]
			if !ok {
				c.UserNames = nil
				break
			}
			c.UserNames[i] = gjson.GetBytes(rec, "username").String()
		}
	}
	s.audit.Change(ctx, c)
}
