package hectorsim

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

const (
	defaultPerPage = 25
	maxPerPage     = 100
)

// pageReq is a validated page request; perPage is already clamped.
type pageReq struct {
	page, perPage int
}

// parseList validates the query of a list endpoint: page, per_page and the
// named filters, each at most once; anything else is 400. It returns the
// page and the filters present.
func parseList(rawQuery string, filters ...string) (pageReq, map[string]string, *apiError) {
	p := pageReq{page: 1, perPage: defaultPerPage}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return p, nil, badRequest("malformed query string")
	}
	found := make(map[string]string)
	for name, vals := range q {
		if len(vals) != 1 {
			return p, nil, badRequest("query parameter " + name + " given more than once")
		}
		ok := true
		switch {
		case name == "page":
			p.page, ok = positive(vals[0])
		case name == "per_page":
			p.perPage, ok = positive(vals[0])
		case slices.Contains(filters, name):
			found[name] = vals[0]
		default:
			return p, nil, badRequest("unknown query parameter " + name)
		}
		if !ok {
			return p, nil, badRequest(name + " must be a positive integer")
		}
	}
	p.perPage = min(p.perPage, maxPerPage)
	return p, found, nil
}

// positive parses a positive decimal integer made of digits only.
func positive(s string) (int, bool) {
	if !digits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0
}

// bounds returns the [lo, hi) indexes of the page within total items; a
// page past the end is empty.
func (p pageReq) bounds(total int) (lo, hi int) {
	pages := (total + p.perPage - 1) / p.perPage
	if p.page-1 >= pages {
		return total, total
	}
	lo = (p.page - 1) * p.perPage
	return lo, min(lo+p.perPage, total)
}

// listReply renders {"data":[items...],"meta":{page, per_page, total}}.
func listReply(items [][]byte, p pageReq, total int) reply {
	n := 64
	for _, it := range items {
		n += len(it) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, `{"data":[`...)
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	b = append(b, `],"meta":{"page":`...)
	b = strconv.AppendInt(b, int64(p.page), 10)
	b = append(b, `,"per_page":`...)
	b = strconv.AppendInt(b, int64(p.perPage), 10)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, "}}"...)
	return reply{status: http.StatusOK, body: b}
}

// parseID parses an id path segment: a canonical positive decimal integer.
func parseID(s string) (int64, bool) {
	if !digits(s) || s[0] == '0' {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// digits reports whether s is a non-empty run of ASCII digits.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
