package provision

import (
	"context"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/filter"
)

// ListUsers answers GET /Users. Equality on attributes Hector can search is
// pushed down to Hector's query parameters; the rest of a filter is
// evaluated in memory over a paged scan bounded by MaxFilterScan.
func (s *Service) ListUsers(ctx context.Context, req Request, q translate.ListQuery) (*translate.ListResult, error) {
	start, count := q.Window()
	if q.Filter == "" {
		return s.pageUsers(ctx, req, legacyclient.UserQuery{}, start, count)
	}
	f, err := translate.ParseUserFilter(q.Filter)
	if err != nil {
		return nil, err
	}
	plan := s.mapping.PlanUsers(f)
	query := legacyclient.UserQuery{Equal: plan.Equal, UpdatedSince: plan.UpdatedSince}
	switch {
	case plan.None:
		return &translate.ListResult{StartIndex: start, Resources: []translate.Resource{}}, nil
	case plan.ID != 0:
		return s.userByID(ctx, req, plan.ID, f, start, count)
	case plan.Exact:
		return s.pageUsers(ctx, req, query, start, count)
	}
	return s.scanUsers(ctx, req, query, f, start, count)
}

// pageUsers lists users page by page, as Hector orders them.
func (s *Service) pageUsers(ctx context.Context, req Request, q legacyclient.UserQuery, start, count int) (*translate.ListResult, error) {
	return translate.PageWindow(start, count, func(page, per int) ([]translate.Resource, int, error) {
		p, err := s.hector.ListUsers(ctx, q, page, per)
		if err != nil {
			return nil, 0, err
		}
		docs := make([]translate.Resource, len(p.Users))
		for i, raw := range p.Users {
			docs[i] = s.mapping.RenderUser(raw, req.BaseURL)
		}
		return docs, p.Total, nil
	})
}

// userByID answers a filter with id eq: one GET, then the rest of the
// filter in memory.
func (s *Service) userByID(ctx context.Context, req Request, id int64, f *filter.Filter, start, count int) (*translate.ListResult, error) {
	res := &translate.ListResult{StartIndex: start, Resources: []translate.Resource{}}
	raw, err := s.hector.GetUser(ctx, id)
	if legacyclient.IsNotFound(err) {
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	if doc := s.mapping.RenderUser(raw, req.BaseURL); f.Match(doc) {
		res.TotalResults = 1
		if start == 1 && count > 0 {
			res.Resources = append(res.Resources, doc)
		}
	}
	return res, nil
}

// scanUsers walks Hector's (narrowed) user list and evaluates the filter in
// memory; more than MaxFilterScan users scanned is 400 tooMany.
func (s *Service) scanUsers(ctx context.Context, req Request, q legacyclient.UserQuery, f *filter.Filter, start, count int) (*translate.ListResult, error) {
	res := &translate.ListResult{StartIndex: start, Resources: []translate.Resource{}}
	scanned := 0
	for raw, err := range s.hector.Users(ctx, q) {
		if err != nil {
			return nil, err
		}
		if scanned++; scanned > s.cfg.MaxFilterScan {
			return nil, translate.BadRequest(translate.TooMany, "the filter would scan more than %d users; narrow it with an eq on userName, externalId, emails or employeeNumber", s.cfg.MaxFilterScan)
		}
		doc := s.mapping.RenderUser(raw, req.BaseURL)
		if !f.Match(doc) {
			continue
		}
		res.TotalResults++
		if res.TotalResults >= start && len(res.Resources) < count {
			res.Resources = append(res.Resources, doc)
		}
	}
	return res, nil
}
