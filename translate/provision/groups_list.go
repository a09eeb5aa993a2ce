package provision

import (
	"context"
	"iter"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/filter"
)

// ListGroups answers GET /Groups. displayName, externalId and id equality
// are pushed down; `members eq X` is answered from user X's own group
// list; anything else is evaluated in memory over a bounded scan. Members
// are streamed only when withMembers is set.
func (s *Service) ListGroups(ctx context.Context, req Request, q translate.ListQuery, withMembers bool) (*translate.ListResult, error) {
	start, count := q.Window()
	if q.Filter == "" {
		return s.pageGroups(ctx, req, legacyclient.GroupQuery{}, start, count, withMembers)
	}
	f, err := translate.ParseGroupFilter(q.Filter)
	if err != nil {
		return nil, err
	}
	plan := translate.PlanGroups(f)
	if plan.None {
		return &translate.ListResult{StartIndex: start, Resources: []translate.Resource{}}, nil
	}
	query := legacyclient.GroupQuery{Equal: plan.Equal}
	if plan.Exact {
		return s.pageGroups(ctx, req, query, start, count, withMembers)
	}
	memberOf, err := s.groupsOfMember(ctx, plan.Member)
	if err != nil {
		return nil, err
	}
	return s.scanGroups(ctx, req, plan, query, memberOf, f, start, count, withMembers)
}

func (s *Service) pageGroups(ctx context.Context, req Request, q legacyclient.GroupQuery, start, count int, withMembers bool) (*translate.ListResult, error) {
	return translate.PageWindow(start, count, func(page, per int) ([]translate.Resource, int, error) {
		p, err := s.hector.ListGroups(ctx, q, page, per)
		if err != nil {
			return nil, 0, err
		}
		docs := make([]translate.Resource, len(p.Groups))
		for i, g := range p.Groups {
			docs[i] = s.renderGroup(ctx, req, g, withMembers)
		}
		return docs, p.Total, nil
	})
}

// groupsOfMember learns the groups of the user a `members eq X` term
// names, from that user's own record: one call, whatever the groups'
// sizes. It returns nil when the filter names no member.
func (s *Service) groupsOfMember(ctx context.Context, uid string) (map[int64]bool, error) {
	if uid == "" {
		return nil, nil
	}
	groups := map[int64]bool{}
	id, err := translate.ParseID("User", uid)
	if err != nil {
		return groups, nil
	}
	rec, err := s.hector.GetUser(ctx, id)
	if legacyclient.IsNotFound(err) || err == nil && s.protect.Record(rec) {
		return groups, nil
	}
	if err != nil {
		return nil, err
	}
	for _, gid := range translate.GroupIDs(rec, 0) {
		groups[gid] = true
	}
	return groups, nil
}

// scanGroups evaluates a filter in memory over the groups the plan
// narrows to (one group for id eq), bounded by MaxFilterScan.
func (s *Service) scanGroups(ctx context.Context, req Request, p translate.GroupPlan, q legacyclient.GroupQuery, memberOf map[int64]bool, f *filter.Filter, start, count int, withMembers bool) (*translate.ListResult, error) {
	res := &translate.ListResult{StartIndex: start, Resources: []translate.Resource{}}
	scanned := 0
	for g, err := range s.groupsOf(ctx, p.ID, q) {
		if err != nil {
			return nil, err
		}
		if scanned++; scanned > s.cfg.MaxFilterScan {
			return nil, translate.BadRequest(translate.TooMany, "the filter would scan more than %d groups; narrow it with displayName eq or externalId eq", s.cfg.MaxFilterScan)
		}
		doc := translate.RenderGroup(group(g), req.BaseURL)
		if memberOf[g.ID] {
			doc["members"] = []any{map[string]any{"value": p.Member}}
		}
		if !f.Match(doc) {
			continue
		}
		if res.TotalResults++; res.TotalResults >= start && len(res.Resources) < count {
			res.Resources = append(res.Resources, s.renderGroup(ctx, req, g, withMembers))
		}
	}
	return res, nil
}

// groupsOf yields the groups of a query, or the one group id names.
func (s *Service) groupsOf(ctx context.Context, id int64, q legacyclient.GroupQuery) iter.Seq2[legacyclient.Group, error] {
	if id == 0 {
		return s.hector.Groups(ctx, q)
	}
	return func(yield func(legacyclient.Group, error) bool) {
		g, err := s.hector.GetGroup(ctx, id)
		if legacyclient.IsNotFound(err) {
			return
		}
		yield(g, err)
	}
}
