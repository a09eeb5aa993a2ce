package caddymodule

import (
	"context"
	"net/http"

	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// searchID is the last path segment of a search (RFC 7644 §3.4.3):
// POST /Users/.search, POST /Groups/.search.
const searchID = ".search"

// search answers a POST to /.search: the SearchRequest body carries what
// the query string of a GET does, and the answer is the same ListResponse.
// The query string may not carry those parameters as well, since which
// one counts would be a guess.
func (h *Handler) search(ctx context.Context, w http.ResponseWriter, r *http.Request, req provision.Request, rt *schema.ResourceType, list lister) (int, error) {
	q := r.URL.Query()
	for _, p := range []string{"filter", "startIndex", "count", "attributes", "excludedAttributes"} {
		if q.Has(p) {
			return 0, errorf(http.StatusBadRequest, translate.InvalidSyntax, "a search takes "+p+" from its body, not from the query string")
		}
	}
	body, err := h.readBody(w, r)
	if err != nil {
		return 0, err
	}
	s, err := translate.DecodeSearch(body)
	if err != nil {
		return 0, err
	}
	proj := translate.NewProjection(rt, s.Attributes, s.ExcludedAttributes)
	res, err := list(ctx, req, s.Query, proj.Includes("members"))
	if err != nil {
		return 0, err
	}
	return respondList(w, res, proj), nil
}
