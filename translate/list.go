package translate

import (
	"time"

	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// MaxResults is the largest page a list answers (advertised in
// ServiceProviderConfig filter.maxResults); it equals Hector's per_page
// limit.
const MaxResults = 100

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

// Window is the 1-based start and the page size a query asks for.
func (q ListQuery) Window() (start, count int) {
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

// PageWindow maps startIndex/count onto Hector's pages: one fetch when the
// window is aligned with a page of size count, otherwise the (at most two)
// pages of 100 that cover it; count 0 asks one item for the total.
func PageWindow(start, count int, fetch func(page, per int) ([]Resource, int, error)) (*ListResult, error) {
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

// UserPlan is how a user filter runs against Hector.
type UserPlan struct {
	// Equal are the equality filters pushed down, by Hector field.
	Equal map[string]string
	// UpdatedSince is a pushed-down meta.lastModified ge/gt.
	UpdatedSince time.Time
	// ID is set for id eq: a direct GET.
	ID int64
	// None is set when the filter can match nothing (id eq a non-id).
	None bool
	// Exact is set when Hector's answer is exactly the filter's, so that
	// no evaluation in memory is needed.
	Exact bool
}

// ParseUserFilter parses a filter on users.
func ParseUserFilter(s string) (*filter.Filter, error) { return filter.Parse(s, schema.User) }

// ParseGroupFilter parses a filter on groups.
func ParseGroupFilter(s string) (*filter.Filter, error) { return filter.Parse(s, schema.Group) }

// PlanUsers pushes down the conjuncts of f that Hector can answer. The
// plan is exact when every conjunct was pushed and Hector's
// case-insensitive equality is what SCIM asks for.
func (m *Mapping) PlanUsers(f *filter.Filter) UserPlan {
	terms, exact := f.Conjuncts()
	var p UserPlan
	pushed := 0
	for _, t := range terms {
		ok, caseSafe := m.pushUserTerm(&p, t)
		if ok {
			pushed++
		}
		if !ok || !caseSafe {
			exact = false
		}
	}
	p.Exact = exact && pushed == len(terms) && p.ID == 0
	return p
}

// pushUserTerm adds one term to the Hector query when it can; caseSafe is
// false when Hector's case-insensitive match may be wider than SCIM's.
func (m *Mapping) pushUserTerm(p *UserPlan, t filter.Term) (ok, caseSafe bool) {
	if t.Path == "id" && t.Op == "eq" {
		id, err := ParseID("User", toString(t.Value))
		if err != nil {
			p.None = true
			return true, true
		}
		p.ID = id
		return true, true
	}
	if t.Path == "meta.lastModified" && (t.Op == "ge" || t.Op == "gt") {
		ts, err := time.Parse(time.RFC3339, toString(t.Value))
		if err != nil {
			return false, false
		}
		p.UpdatedSince = ts.UTC().Truncate(time.Second)
		return true, false
	}
	if t.Op != "eq" {
		return false, false
	}
	field, caseExact := m.searchField(t.Path)
	if field == "" {
		return false, false
	}
	v := toString(t.Value)
	if field == "status" {
		b, isBool := t.Value.(bool)
		if !isBool {
			return false, false
		}
		v = StatusOf(b)
	}
	if p.Equal == nil {
		p.Equal = map[string]string{}
	}
	p.Equal[field] = v
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

// GroupPlan is how a group filter runs against Hector.
type GroupPlan struct {
	// Name and ExternalID are pushed-down equalities ("" for none).
	Name, ExternalID string
	// ID is set for id eq: a direct GET.
	ID int64
	// Member is the user id of a `members eq X` term: the groups are then
	// those listed on that user's record.
	Member string
	// None is set when the filter can match nothing.
	None bool
	// Exact is set when Hector's answer is exactly the filter's.
	Exact bool
}

// PlanGroups pushes down the conjuncts of f that Hector can answer.
func PlanGroups(f *filter.Filter) GroupPlan {
	terms, exact := f.Conjuncts()
	var p GroupPlan
	for _, t := range terms {
		v, isString := t.Value.(string)
		switch {
		case t.Op != "eq" || !isString:
			exact = false
		case t.Path == "displayName":
			p.Name = v
		case t.Path == "externalId":
			p.ExternalID, exact = v, false // Hector compares case-insensitively; SCIM does not
			p.None = p.None || IsGenerated(v)
		case t.Path == "id":
			id, err := ParseID("Group", v)
			p.ID, p.None, exact = id, p.None || err != nil, false
		case t.Path == "members.value":
			p.Member, exact = v, false
		default:
			exact = false
		}
	}
	p.Exact = exact
	return p
}
