package translate

import (
	"context"
	"time"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// ListQuery is a SCIM list request.
type ListQuery struct {
	// Filter is the raw filter, "" for none.
	Filter string
	// StartIndex is 1-based; values below 1 mean 1.
	StartIndex int
	// Count is the page size; negative means not given (MaxResults), values
	// above MaxResults are clamped, 0 returns totals only.
	Count int
}

func (q ListQuery) window() (start, count int) {
	start, count = q.StartIndex, q.Count
	if start < 1 {
		start = 1
	}
	if count < 0 || count > MaxResults {
		count = MaxResults
	}
	return start, count
}

// ListResult is a page of a list: TotalResults counts every match.
type ListResult struct {
	TotalResults int
	StartIndex   int
	Resources    []Resource
}

// ListUsers answers GET /Users. Equality on attributes Hector can search is
// pushed down to Hector's query parameters; the rest of a filter is
// evaluated in memory over a paged scan bounded by MaxFilterScan.
func (s *Service) ListUsers(ctx context.Context, q ListQuery) (*ListResult, error) {
	start, count := q.window()
	if q.Filter == "" {
		return s.pageUsers(ctx, legacyclient.UserQuery{}, start, count)
	}
	f, err := filter.Parse(q.Filter, schema.User)
	if err != nil {
		return nil, err
	}
	plan := s.planUsers(f)
	if plan.none {
		return &ListResult{StartIndex: start, Resources: []Resource{}}, nil
	}
	if plan.id != 0 {
		return s.userByID(ctx, plan.id, f, start, count)
	}
	if plan.exact {
		return s.pageUsers(ctx, plan.query, start, count)
	}
	return s.scanUsers(ctx, plan.query, f, start, count)
}

// userPlan is how a filter runs against Hector.
type userPlan struct {
	query legacyclient.UserQuery
	id    int64 // id eq: a direct GET
	none  bool  // the filter can match nothing (id eq a non-id)
	exact bool  // Hector's query answers the filter exactly
}

// planUsers pushes down the conjuncts Hector can answer. The plan is exact
// when every conjunct was pushed and Hector's case-insensitive equality is
// what SCIM asks for.
func (s *Service) planUsers(f *filter.Filter) userPlan {
	terms, exact := f.Conjuncts()
	var p userPlan
	pushed := 0
	for _, t := range terms {
		ok, caseSafe := s.pushUserTerm(&p, t)
		if ok {
			pushed++
		}
		if !ok || !caseSafe {
			exact = false
		}
	}
	p.exact = exact && pushed == len(terms) && p.id == 0
	return p
}

// pushUserTerm adds one term to the Hector query when it can; caseSafe is
// false when Hector's case-insensitive match may be wider than SCIM's.
func (s *Service) pushUserTerm(p *userPlan, t filter.Term) (ok, caseSafe bool) {
	if t.Path == "id" && t.Op == "eq" {
		id, err := parseID("User", toString(t.Value))
		if err != nil {
			p.none = true
			return true, true
		}
		p.id = id
		return true, true
	}
	if t.Path == "meta.lastModified" && (t.Op == "ge" || t.Op == "gt") {
		ts, err := time.Parse(time.RFC3339, toString(t.Value))
		if err != nil {
			return false, false
		}
		p.query.UpdatedSince = ts.UTC().Truncate(time.Second)
		return true, false
	}
	if t.Op != "eq" {
		return false, false
	}
	field, caseExact := s.mapping.searchField(t.Path)
	v := toString(t.Value)
	switch field {
	case "username":
		p.query.Username = v
	case "email":
		p.query.Email = v
	case "identifier":
		p.query.Identifier = v
	case "external_id":
		p.query.ExternalID = v
	case "status":
		b, isBool := t.Value.(bool)
		if !isBool {
			return false, false
		}
		p.query.Status = map[bool]string{true: "active", false: "disabled"}[b]
	default:
		return false, false
	}
	return true, !caseExact
}

func toString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return ""
	}
	b, _ := marshalScalar(v)
	return b
}

// pageUsers lists users page by page, as Hector orders them.
func (s *Service) pageUsers(ctx context.Context, q legacyclient.UserQuery, start, count int) (*ListResult, error) {
	return pageWindow(start, count, func(page, per int) ([]Resource, int, error) {
		p, err := s.hector.ListUsers(ctx, q, page, per)
		if err != nil {
			return nil, 0, err
		}
		docs := make([]Resource, len(p.Users))
		for i, raw := range p.Users {
			docs[i] = s.renderUser(ctx, raw)
		}
		return docs, p.Total, nil
	})
}

// pageWindow maps startIndex/count onto Hector's pages: one call when the
// window is aligned with a page of size count, otherwise the (at most two)
// pages of 100 that cover it; count 0 asks one item for the total.
func pageWindow(start, count int, fetch func(page, per int) ([]Resource, int, error)) (*ListResult, error) {
	res := &ListResult{StartIndex: start, Resources: []Resource{}}
	if count == 0 {
		_, total, err := fetch(1, 1)
		res.TotalResults = total
		return res, err
	}
	per, first := count, (start-1)/count+1
	if (start-1)%count != 0 {
		per, first = MaxResults, (start-1)/MaxResults+1
	}
	offset := (start - 1) - (first-1)*per
	for pg := first; len(res.Resources) < count; pg++ {
		docs, total, err := fetch(pg, per)
		if err != nil {
			return nil, err
		}
		res.TotalResults = total
		for i := offset; i < len(docs) && len(res.Resources) < count; i++ {
			res.Resources = append(res.Resources, docs[i])
		}
		offset = 0
		if pg*per >= total || len(docs) < per {
			break
		}
	}
	return res, nil
}

// userByID answers a filter with id eq: one GET, then the rest of the
// filter in memory.
func (s *Service) userByID(ctx context.Context, id int64, f *filter.Filter, start, count int) (*ListResult, error) {
	res := &ListResult{StartIndex: start, Resources: []Resource{}}
	raw, err := s.hector.GetUser(ctx, id)
	if legacyclient.IsNotFound(err) {
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	if doc := s.renderUser(ctx, raw); f.Match(doc) {
		res.TotalResults = 1
		if start == 1 && count > 0 {
			res.Resources = append(res.Resources, doc)
		}
	}
	return res, nil
}

// scanUsers walks Hector's (narrowed) user list and evaluates the filter in
// memory; more than MaxFilterScan users scanned is 400 tooMany.
func (s *Service) scanUsers(ctx context.Context, q legacyclient.UserQuery, f *filter.Filter, start, count int) (*ListResult, error) {
	res := &ListResult{StartIndex: start, Resources: []Resource{}}
	scanned := 0
	for raw, err := range s.hector.Users(ctx, q) {
		if err != nil {
			return nil, err
		}
		if scanned++; scanned > s.cfg.MaxFilterScan {
			return nil, badRequest(TooMany, "the filter would scan more than %d users; narrow it with an eq on userName, externalId, emails or employeeNumber", s.cfg.MaxFilterScan)
		}
		doc := s.renderUser(ctx, raw)
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
