package provision

import (
	"context"
	"encoding/json"
	"slices"

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

// pageUsers lists users page by page, as Hector orders them, leaving out
// protected accounts: totalResults does not count them, and the window
// shifts past those before it.
func (s *Service) pageUsers(ctx context.Context, req Request, q legacyclient.UserQuery, start, count int) (*translate.ListResult, error) {
	recs, total, err := s.userWindow(ctx, q, start, count)
	if err != nil {
		return nil, err
	}
	if len(s.protect) > 0 && (start > 1 || total > len(recs) || slices.ContainsFunc(recs, func(r json.RawMessage) bool { return s.protect.Record(r) })) {
		hidden, err := s.protectedIn(ctx, q)
		if err != nil {
			return nil, err
		}
		if len(hidden) > 0 {
			if recs, total, err = s.userWindow(ctx, q, start, count+len(hidden)); err != nil {
				return nil, err
			}
			recs = translate.VisibleWindow(recs, func(r json.RawMessage) int64 { return translate.RecordID(r) }, hidden, count)
			total = max(total-len(hidden), 0)
		}
	}
	res := &translate.ListResult{TotalResults: total, StartIndex: start, Resources: make([]translate.Resource, len(recs))}
	for i, raw := range recs {
		res.Resources[i] = s.mapping.RenderUser(raw, req.BaseURL)
	}
	return res, nil
}

// userWindow reads the Hector records of a window of a user query, and
// the query's total.
func (s *Service) userWindow(ctx context.Context, q legacyclient.UserQuery, start, count int) ([]json.RawMessage, int, error) {
	return translate.Window(start, count, func(page, per int) ([]json.RawMessage, int, error) {
		p, err := s.hector.ListUsers(ctx, q, page, per)
		return p.Users, p.Total, err
	})
}

// protectedIn finds the protected accounts in the answer of a user query:
// one lookup by username each.
func (s *Service) protectedIn(ctx context.Context, q legacyclient.UserQuery) (map[int64]bool, error) {
	hidden := map[int64]bool{}
	for name := range s.protect {
		p, err := s.hector.ListUsers(ctx, legacyclient.UserQuery{Equal: map[string]string{"username": name}}, 1, 1)
		if err != nil {
			return nil, err
		}
		for _, rec := range p.Users {
			if translate.MatchesQuery(rec, q.Equal, q.UpdatedSince) {
				hidden[translate.RecordID(rec)] = true
			}
		}
	}
	return hidden, nil
}

// userByID answers a filter with id eq: one GET, then the rest of the
// filter in memory.
func (s *Service) userByID(ctx context.Context, req Request, id int64, f *filter.Filter, start, count int) (*translate.ListResult, error) {
	res := &translate.ListResult{StartIndex: start, Resources: []translate.Resource{}}
	raw, err := s.hector.GetUser(ctx, id)
	if legacyclient.IsNotFound(err) || err == nil && s.protect.Record(raw) {
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
		if s.protect.Record(raw) {
			continue
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
