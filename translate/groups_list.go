package translate

import (
	"context"
	"strings"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// ListGroups answers GET /Groups. displayName, externalId and id equality
// are pushed down; `members eq X` is answered from user X's own group
// list; anything else is evaluated in memory over a bounded scan. Members
// are streamed only when withMembers is set.
func (s *Service) ListGroups(ctx context.Context, q ListQuery, withMembers bool) (*ListResult, error) {
	start, count := q.window()
	render := func(gs []legacyclient.Group) []Resource {
		docs := make([]Resource, len(gs))
		for i, g := range gs {
			docs[i] = s.renderGroup(ctx, g, withMembers)
		}
		return docs
	}
	if q.Filter == "" {
		return s.pageGroups(ctx, legacyclient.GroupQuery{}, start, count, render)
	}
	f, err := filter.Parse(q.Filter, schema.Group)
	if err != nil {
		return nil, err
	}
	plan, err := s.planGroups(ctx, f)
	if err != nil || plan.none {
		return &ListResult{StartIndex: start, Resources: []Resource{}}, err
	}
	if plan.exact {
		return s.pageGroups(ctx, plan.query, start, count, render)
	}
	return s.scanGroups(ctx, plan, f, start, count, withMembers)
}

func (s *Service) pageGroups(ctx context.Context, q legacyclient.GroupQuery, start, count int, render func([]legacyclient.Group) []Resource) (*ListResult, error) {
	return pageWindow(start, count, func(page, per int) ([]Resource, int, error) {
		p, err := s.hector.ListGroups(ctx, q, page, per)
		if err != nil {
			return nil, 0, err
		}
		return render(p.Groups), p.Total, nil
	})
}

// groupPlan is how a group filter runs against Hector.
type groupPlan struct {
	query   legacyclient.GroupQuery
	id      int64
	members map[int64]bool // groups of the user named by members eq, when asked
	member  string
	none    bool
	exact   bool
}

func (s *Service) planGroups(ctx context.Context, f *filter.Filter) (groupPlan, error) {
	terms, exact := f.Conjuncts()
	var p groupPlan
	for _, t := range terms {
		v, isString := t.Value.(string)
		switch {
		case t.Op != "eq" || !isString:
			exact = false
		case t.Path == "displayName":
			p.query.Name = v
		case t.Path == "externalId":
			p.query.ExternalID, exact = v, false // Hector compares case-insensitively; SCIM does not
			p.none = p.none || isGenerated(v)
		case t.Path == "id":
			id, err := parseID("Group", v)
			p.id, p.none, exact = id, p.none || err != nil, false
		case t.Path == "members.value":
			if err := s.memberOracle(ctx, &p, v); err != nil {
				return p, err
			}
			exact = false
		default:
			exact = false
		}
	}
	p.exact = exact
	return p, nil
}

// memberOracle learns the groups of the user a `members eq X` term names,
// from that user's own record: one call, whatever the groups' sizes.
func (s *Service) memberOracle(ctx context.Context, p *groupPlan, uid string) error {
	p.member, p.members = uid, map[int64]bool{}
	id, err := parseID("User", uid)
	if err != nil {
		return nil
	}
	rec, err := s.hector.GetUser(ctx, id)
	if legacyclient.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, gid := range groupIDs(rec, 0) {
		p.members[gid] = true
	}
	return nil
}

// scanGroups evaluates a filter in memory over the groups the plan
// narrows to (one group for id eq), bounded by MaxFilterScan.
func (s *Service) scanGroups(ctx context.Context, p groupPlan, f *filter.Filter, start, count int, withMembers bool) (*ListResult, error) {
	res := &ListResult{StartIndex: start, Resources: []Resource{}}
	scanned := 0
	for g, err := range s.groupsOf(ctx, p) {
		if err != nil {
			return nil, err
		}
		if scanned++; scanned > s.cfg.MaxFilterScan {
			return nil, badRequest(TooMany, "the filter would scan more than %d groups; narrow it with displayName eq or externalId eq", s.cfg.MaxFilterScan)
		}
		doc := s.renderGroup(ctx, g, false)
		if p.members != nil && p.members[g.ID] {
			doc["members"] = []any{map[string]any{"value": p.member}}
		}
		if !f.Match(doc) {
			continue
		}
		if res.TotalResults++; res.TotalResults >= start && len(res.Resources) < count {
			res.Resources = append(res.Resources, s.renderGroup(ctx, g, withMembers))
		}
	}
	return res, nil
}

func (s *Service) groupsOf(ctx context.Context, p groupPlan) func(func(legacyclient.Group, error) bool) {
	if p.id == 0 {
		return s.hector.Groups(ctx, p.query)
	}
	return func(yield func(legacyclient.Group, error) bool) {
		g, err := s.hector.GetGroup(ctx, p.id)
		if legacyclient.IsNotFound(err) {
			return
		}
		yield(g, err)
	}
}

// PatchGroup applies a SCIM PatchOp to a group: displayName and externalId
// changes, and member adds and removes in every Entra and Okta form. It
// returns the group without members.
func (s *Service) PatchGroup(ctx context.Context, id string, body []byte) (Resource, error) {
	n, err := parseID("Group", id)
	if err != nil {
		return nil, err
	}
	ops, err := ParsePatch(body, schema.Group)
	if err != nil {
		return nil, err
	}
	change, err := groupPatch(ops)
	if err != nil {
		return nil, err
	}
	g, unlock, err := s.readGroupForWrite(ctx, n, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if g, err = s.applyGroupChange(ctx, g, change); err != nil {
		return nil, err
	}
	return s.renderGroup(ctx, g, false), nil
}

// groupPatch folds PATCH operations into one group change, in order:
// Okta's remove-then-add of the same member leaves them a member.
func groupPatch(ops []Operation) (groupChange, error) {
	var c groupChange
	m := memberFold{explicit: map[int64]bool{}}
	for _, o := range ops {
		if o.Path.Ignored {
			continue
		}
		var err error
		switch strings.ToLower(o.Path.Ref.Attr.Name) {
		case "displayname":
			c.name, err = groupName(o)
		case "externalid":
			c.externalID, err = groupExternalID(o)
		case "members":
			err = m.fold(o)
		default:
			err = badRequest(Mutability, "%s cannot be changed", o.Path.String())
		}
		if err != nil {
			return c, err
		}
	}
	c.members = m.delta()
	return c, nil
}

func groupName(o Operation) (*string, error) {
	v, _ := o.Value.(string)
	if o.Op == "remove" || strings.TrimSpace(v) == "" || o.Path.Ref.Sub != nil {
		return nil, badRequest(InvalidValue, "displayName must be a non-empty string")
	}
	return &v, nil
}

func groupExternalID(o Operation) (*string, error) {
	v := ""
	if o.Op != "remove" && o.Value != nil {
		s, ok := o.Value.(string)
		if !ok {
			return nil, badRequest(InvalidValue, "externalId must be a string")
		}
		v = s
	}
	return &v, nil
}
