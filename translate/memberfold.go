package translate

import (
	"github.com/hector-scim/hector-scim/translate/schema"
)

// memberFold accumulates member operations in order.
type memberFold struct {
	explicit map[int64]bool // true: add, false: remove
	order    []int64
	replaced bool
	set      []int64
}

func (m *memberFold) mark(ids []int64, member bool) {
	for _, id := range ids {
		if _, seen := m.explicit[id]; !seen {
			m.order = append(m.order, id)
		}
		m.explicit[id] = member
	}
}

func (m *memberFold) fold(o Operation) error {
	if o.Path.Sub != nil || o.Path.Ref.Sub != nil {
		return BadRequest(InvalidPath, "%s: members can only be added, removed or replaced whole", o.Path.String())
	}
	switch o.Op {
	case "add", "replace":
		if o.Path.Filter != nil {
			return BadRequest(InvalidPath, "%s: a member filter is only allowed on remove", o.Path.String())
		}
		ids, err := o.memberOperands()
		if err != nil {
			return err
		}
		if o.Op == "replace" {
			m.replaced, m.set, m.explicit, m.order = true, ids, map[int64]bool{}, nil
			return nil
		}
		m.mark(ids, true)
	case "remove":
		return m.remove(o)
	}
	return nil
}

func (m *memberFold) remove(o Operation) error {
	switch {
	case o.Path.Filter != nil:
		eq, ok := o.Path.Filter.Equalities()
		v, isString := eq["value"].(string)
		if !ok || !isString || len(eq) != 1 {
			return BadRequest(InvalidFilter, "%s: remove members with members[value eq \"<id>\"]", o.Path.String())
		}
		ids, err := parseMemberIDs([]any{map[string]any{"value": v}})
		if err != nil {
			return nil // not an id Hector could have issued: not a member, nothing to remove
		}
		m.mark(ids, false)
	case o.ids != nil || (o.HasValue && o.Value != nil):
		ids, err := o.memberOperands()
		if err != nil {
			return err
		}
		m.mark(ids, false)
	default:
		m.replaced, m.set, m.explicit, m.order = true, nil, map[int64]bool{}, nil
	}
	return nil
}

// memberOperands returns the member ids of a members operation: those the fast
// path read, or those of its value.
func (o Operation) memberOperands() ([]int64, error) {
	if o.ids != nil {
		return o.ids, nil
	}
	return valueIDs(o.Value)
}

// valueIDs reads member ids from a client value: an array of members.
func valueIDs(v any) ([]int64, error) {
	c, err := coerceStrict(schema.Group.Core.Attr("members"), v, "members")
	if err != nil {
		return nil, err
	}
	return parseMemberIDs(asList(c))
}

func (m *memberFold) delta() MemberDelta {
	var d MemberDelta
	if m.replaced {
		d.Replace = true
		for _, id := range m.set {
			if member, seen := m.explicit[id]; !seen || member {
				d.Set = append(d.Set, id)
			}
		}
	}
	for _, id := range m.order {
		switch {
		case m.explicit[id] && m.replaced:
			if !containsID(m.set, id) {
				d.Set = append(d.Set, id)
			}
		case m.explicit[id]:
			d.Add = append(d.Add, id)
		case !m.replaced:
			d.Remove = append(d.Remove, id)
		}
	}
	return d
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
