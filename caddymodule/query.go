package caddymodule

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/hector-scim/hector-scim/translate"
)

// canonicalParam returns the canonical name of a SCIM query parameter
// (RFC 7644 §3.4.2), compared case-insensitively, or "" for a parameter
// SCIM does not define.
func canonicalParam(name string) string {
	for _, p := range [...]string{"filter", "startIndex", "count", "attributes", "excludedAttributes", "sortBy", "sortOrder"} {
		if strings.EqualFold(name, p) {
			return p
		}
	}
	return ""
}

// parseQuery reads a query string strictly, so that a filter is never
// dropped on the way: a query that does not parse (a bad percent escape, a
// semicolon) is 400, where Go's lenient reading would skip the bad pair and
// perhaps the filter with it — invalidFilter when the query mentions a
// filter, else invalidValue. A SCIM parameter given twice (in any case) is
// 400 too: which one counts would be a guess. SCIM parameter names compare
// case-insensitively and come back under their canonical names; any other
// parameter (Entra's aadOptscim062020) is kept as it is, and ignored.
func parseQuery(raw string) (url.Values, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		if strings.Contains(strings.ToLower(raw), "filter") {
			return nil, errorf(http.StatusBadRequest, translate.InvalidFilter, "the query string does not parse, so its filter cannot be read")
		}
		return nil, errorf(http.StatusBadRequest, translate.InvalidValue, "the query string does not parse")
	}
	out := make(url.Values, len(q))
	for k, vs := range q {
		name := canonicalParam(k)
		if name == "" {
			out[k] = vs
			continue
		}
		if len(vs) > 1 || out[name] != nil {
			return nil, repeatedParam(name)
		}
		out[name] = vs
	}
	return out, nil
}

func repeatedParam(name string) error {
	scimType := translate.InvalidValue
	if name == "filter" {
		scimType = translate.InvalidFilter
	}
	return errorf(http.StatusBadRequest, scimType, "the query parameter "+name+" is given more than once")
}

// withQuery returns a shallow copy of r whose query string is q, encoded:
// the handlers read the parameters under their canonical names.
func withQuery(r *http.Request, q url.Values) *http.Request {
	u := *r.URL
	u.RawQuery = q.Encode()
	r = r.WithContext(r.Context())
	r.URL = &u
	return r
}
