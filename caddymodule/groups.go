package caddymodule

import (
	"context"
	"net/http"

	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// groupItem serves /Groups/{id}. PATCH answers 204, or 200 with the group
// when the request names attributes (RFC 7644 §3.5.2); a member list can
// be huge and Entra advises against returning it.
func (h *Handler) groupItem(ctx context.Context, w http.ResponseWriter, r *http.Request, req provision.Request, id string) (int, error) {
	proj := projection(schema.Group, r.URL.Query())
	var res translate.Resource
	var err error
	if r.Method != http.MethodGet {
		ctx = withRequestID(ctx, r)
	}
	switch r.Method {
	case http.MethodGet:
		res, err = h.service.GetGroup(ctx, req, id, proj.Includes("members"))
	case http.MethodDelete:
		if err := h.service.DeleteGroup(ctx, req, id); err != nil {
			return 0, err
		}
		return noContent(w), nil
	default:
		var body []byte
		if body, err = h.readBody(w, r); err != nil {
			return 0, err
		}
		if r.Method == http.MethodPut {
			res, err = h.service.ReplaceGroup(ctx, req, id, body)
			break
		}
		if res, err = h.service.PatchGroup(ctx, req, id, body); err == nil && !proj.Requested() {
			return noContent(w), nil
		}
		if err == nil && proj.Includes("members") {
			res, err = h.service.GetGroup(ctx, req, id, true)
		}
	}
	if err != nil {
		return 0, err
	}
	return respond(w, r, http.StatusOK, res, proj), nil
}
