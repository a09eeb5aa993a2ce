package translate

import (
	"strings"
	"time"

	"github.com/tidwall/gjson"

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
	items, total, err := Window(start, count, fetch)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []Resource{}
	}
	return &ListResult{TotalResults: total, StartIndex: start, Resources: items}, nil
}

// Window is PageWindow over items of any kind: the items of the 1-based
// window [start, start+count) and the total. count may exceed MaxResults
// (a window widened past hidden items); it is then read 100 a page.
func Window[T any](start, count int, fetch func(page, per int) ([]T, int, error)) ([]T, int, error) {
	if count == 0 {
		_, total, err := fetch(1, 1)
		return nil, total, err
	}
	per, first := count, (start-1)/count+1
	if count > MaxResults || (start-1)%count != 0 {
		per, first = MaxResults, (start-1)/MaxResults+1 // Hector's pages hold 100 at most
	}
	offset := (start - 1) - (first-1)*per
	var out []T
	total := 0
	for pg := first; len(out) < count; pg++ {
		items, t, err := fetch(pg, per)
		if err != nil {
			return nil, 0, err
		}
		total = t
		for i := offset; i < len(items) && len(out) < count; i++ {
			out = append(out, items[i])
		}
		offset = 0
		if pg*per >= total || len(items) < per {
			break
		}
	}
	return out, total, nil
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
	if field == "external_id" {
		switch {
		case v == "":
			return false, false // empty also where the bridge's own key is hidden: in memory
		case IsGenerated(v):
			p.None = true // the bridge's own keys are never an externalId
			return true, true
		}
	}
	if field == "status" {
		b, isBool := t.Value.(bool)
		if !isBool {
			return false, false
		}
		v = StatusOf(b)
	}
	p.None = p.None || !pushEqual(&p.Equal, field, v, caseExact)
	return true, !caseExact
}

// pushEqual adds field = v to a pushed-down query. Two equalities on one
// field can hold together only when the values are the same (as Hector
// compares them, or exactly for a case-exact attribute); otherwise it
// reports false: the filter matches nothing, and is never widened to one
// of the two.
func pushEqual(eq *map[string]string, field, v string, caseExact bool) bool {
	if *eq == nil {
		*eq = map[string]string{}
	}
	if have, ok := (*eq)[field]; ok {
		return have == v || (!caseExact && SameName(have, v))
	}
	(*eq)[field] = v
	return true
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
	// Equal are the equality filters pushed down, by Hector group field
	// (name, external_id); an empty value is an equality too.
	Equal map[string]string
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
	push := func(field, v string) { p.None = p.None || !pushEqual(&p.Equal, field, v, field == "external_id") }
	for _, t := range terms {
		v, isString := t.Value.(string)
		switch {
		case t.Op != "eq" || !isString:
			exact = false
		case t.Path == "displayName":
			push("name", v)
		case t.Path == "externalId" && v == "":
			exact = false // empty also where the bridge's own key is hidden: in memory
		case t.Path == "externalId":
			push("external_id", v)
			exact = false // Hector compares case-insensitively; SCIM does not
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

// VisibleWindow turns part of Hector's list, read from the window's start
// (1-based, in Hector's id order) and at least count+len(hidden) long,
// into the window SCIM sees when the records hidden (protected accounts in
// that list, by id) are left out: the hidden records before the start
// shift the window by as many visible ones, those within it are skipped.
// Hector orders lists by id, so a hidden id below the first item's was
// before the start.
func VisibleWindow[T any](items []T, id func(T) int64, hidden map[int64]bool, count int) []T {
	if len(items) == 0 {
		return nil
	}
	skip := 0
	for h := range hidden {
		if h < id(items[0]) {
			skip++
		}
	}
	var out []T
	for _, it := range items {
		switch {
		case hidden[id(it)]:
		case skip > 0:
			skip--
		case len(out) < count:
			out = append(out, it)
		}
	}
	return out
}

// MatchesQuery reports whether a Hector user record is in the answer of a
// user query, as Hector filters: each equality exact after lower-casing
// both sides (null is ""), and updated_at >= since.
func MatchesQuery(rec []byte, equal map[string]string, since time.Time) bool {
	for field, v := range equal {
		if strings.ToLower(gjson.GetBytes(rec, field).String()) != strings.ToLower(v) {
			return false
		}
	}
	if since.IsZero() {
		return true
	}
	t, err := time.Parse(time.RFC3339, gjson.GetBytes(rec, "updated_at").String())
	return err == nil && !t.Before(since)
}
