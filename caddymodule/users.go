package caddymodule

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// lister lists a collection: the query, and whether members are wanted.
type lister func(context.Context, provision.Request, translate.ListQuery, bool) (*translate.ListResult, error)

// collection serves GET (list) and POST (create) on /Users or /Groups,
// and POST on their /.search.
func (h *Handler) collection(rt *schema.ResourceType,
	create func(context.Context, provision.Request, []byte) (translate.Resource, error),
	list lister,
) handlerFunc {
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req provision.Request, id string) (int, error) {
		if id == searchID {
			return h.search(ctx, w, r, req, rt, list)
		}
		proj := projection(rt, r.URL.Query())
		if r.Method == http.MethodPost {
			ctx = withRequestID(ctx, r)
			body, err := h.readBody(w, r)
			if err != nil {
				return 0, err
			}
			res, err := create(ctx, req, body)
			if err != nil {
				return 0, err
			}
			return respond(w, r, http.StatusCreated, res, proj), nil
		}
		q, err := listQuery(r.URL.Query())
		if err != nil {
			return 0, err
		}
		res, err := list(ctx, req, q, proj.Includes("members"))
		if err != nil {
			return 0, err
		}
		return respondList(w, res, proj), nil
	}
}

func (h *Handler) listUsers(ctx context.Context, req provision.Request, q translate.ListQuery, _ bool) (*translate.ListResult, error) {
	return h.service.ListUsers(ctx, req, q)
}

func (h *Handler) userItem(ctx context.Context, w http.ResponseWriter, r *http.Request, req provision.Request, id string) (int, error) {
	proj := projection(schema.User, r.URL.Query())
	var res translate.Resource
	var err error
	if r.Method != http.MethodGet {
		ctx = withRequestID(ctx, r)
	}
	switch r.Method {
	case http.MethodGet:
		res, err = h.service.GetUser(ctx, req, id)
	case http.MethodDelete:
		if err := h.service.DeleteUser(ctx, req, id); err != nil {
			return 0, err
		}
		return noContent(w), nil
	default:
		var body []byte
		if body, err = h.readBody(w, r); err != nil {
			return 0, err
		}
		if r.Method == http.MethodPut {
			res, err = h.service.ReplaceUser(ctx, req, id, body)
		} else {
			res, err = h.service.PatchUser(ctx, req, id, body)
		}
	}
	if err != nil {
		return 0, err
	}
	return respond(w, r, http.StatusOK, res, proj), nil
}

func projection(rt *schema.ResourceType, q url.Values) translate.Projection {
	return translate.NewProjection(rt, q.Get("attributes"), q.Get("excludedAttributes"))
}

// listQuery reads filter, startIndex and count (parseQuery has checked
// the query string). A filter given empty is 400 invalidFilter, never
// read as no filter. Unknown parameters (Entra's aadOptscim062020) are
// ignored.
func listQuery(q url.Values) (translate.ListQuery, error) {
	lq := translate.ListQuery{Filter: q.Get("filter"), StartIndex: 1, Count: -1}
	if q.Has("filter") && strings.TrimSpace(lq.Filter) == "" {
		return lq, errorf(http.StatusBadRequest, translate.InvalidFilter, "the filter is empty")
	}
	if s := q.Get("startIndex"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return lq, errorf(http.StatusBadRequest, translate.InvalidValue, "startIndex must be an integer")
		}
		lq.StartIndex = n
	}
	if s := q.Get("count"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return lq, errorf(http.StatusBadRequest, translate.InvalidValue, "count must be an integer")
		}
		lq.Count = max(n, 0)
	}
	return lq, nil
}

// respond writes one resource: ETag and Location come from the full
// resource, the body is projected. A GET whose If-None-Match holds the
// current version answers 304.
func respond(w http.ResponseWriter, r *http.Request, status int, res translate.Resource, proj translate.Projection) int {
	if m, ok := res["meta"].(map[string]any); ok {
		if v, ok := m["version"].(string); ok {
			w.Header().Set("ETag", v)
			if r.Method == http.MethodGet && noneMatch(r.Header.Get("If-None-Match"), v) {
				w.WriteHeader(http.StatusNotModified)
				return http.StatusNotModified
			}
		}
		if loc, ok := m["location"].(string); ok && status == http.StatusCreated {
			w.Header().Set("Location", loc)
		}
	}
	writeDoc(w, status, proj.Apply(res))
	return status
}

// respondList writes a ListResponse; totalResults, startIndex and
// itemsPerPage are always integers.
func respondList(w http.ResponseWriter, list *translate.ListResult, proj translate.Projection) int {
	resources := make([]any, len(list.Resources))
	for i, r := range list.Resources {
		resources[i] = proj.Apply(r)
	}
	writeDoc(w, http.StatusOK, map[string]any{
		"schemas":      []any{schema.ListResponseURN},
		"totalResults": list.TotalResults,
		"startIndex":   list.StartIndex,
		"itemsPerPage": len(resources),
		"Resources":    resources,
	})
	return http.StatusOK
}

// writeDoc writes a document, streaming it when it holds a stream.
func writeDoc(w http.ResponseWriter, status int, doc map[string]any) {
	if hasStream(doc) {
		writeStreaming(w, status, doc)
		return
	}
	writeJSON(w, status, doc)
}

// noneMatch reports whether an If-None-Match header names version (or *).
func noneMatch(header, version string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || (tag != "" && strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(version, "W/")) {
			return true
		}
	}
	return false
}

// noContent answers 204.
func noContent(w http.ResponseWriter) int {
	w.WriteHeader(http.StatusNoContent)
	return http.StatusNoContent
}
