package caddymodule

import (
	"context"
	"net/http"
	"strings"

	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// serviceProviderConfig answers GET /ServiceProviderConfig: honest about
// what is supported.
func (h *Handler) serviceProviderConfig(_ context.Context, w http.ResponseWriter, _ *http.Request, req provision.Request, _ string) (int, error) {
	writeJSON(w, http.StatusOK, map[string]any{
		"schemas":          []string{schema.ServiceProviderConfigURN},
		"documentationUri": "https://github.com/hector-scim/hector-scim",
		"patch":            map[string]any{"supported": true},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": translate.MaxResults},
		"changePassword":   map[string]any{"supported": false},
		"sort":             map[string]any{"supported": false},
		"etag":             map[string]any{"supported": true},
		"authenticationSchemes": []any{map[string]any{
			"type":        "oauthbearertoken",
			"name":        "OAuth Bearer Token",
			"description": "Authentication with a bearer token in the Authorization header.",
			"primary":     true,
		}},
		"meta": map[string]any{
			"resourceType": "ServiceProviderConfig",
			"location":     req.BaseURL + "/ServiceProviderConfig",
		},
	})
	return http.StatusOK, nil
}

func resourceTypeDoc(base string, rt *schema.ResourceType) map[string]any {
	exts := make([]any, 0, len(rt.Extensions))
	for _, e := range rt.Extensions {
		exts = append(exts, map[string]any{"schema": e.ID, "required": false})
	}
	return map[string]any{
		"schemas":          []string{schema.ResourceTypeURN},
		"id":               rt.Name,
		"name":             rt.Name,
		"endpoint":         rt.Endpoint,
		"description":      rt.Description,
		"schema":           rt.Core.ID,
		"schemaExtensions": exts,
		"meta": map[string]any{
			"resourceType": "ResourceType",
			"location":     base + "/ResourceTypes/" + rt.Name,
		},
	}
}

func (h *Handler) resourceTypes(_ context.Context, w http.ResponseWriter, _ *http.Request, req provision.Request, id string) (int, error) {
	var docs []map[string]any
	for _, rt := range []*schema.ResourceType{schema.User, schema.Group} {
		if id == "" || strings.EqualFold(id, rt.Name) {
			docs = append(docs, resourceTypeDoc(req.BaseURL, rt))
		}
	}
	return writeDiscovery(w, id, "resource type", docs)
}

func schemaDoc(base string, s *schema.Schema) map[string]any {
	return map[string]any{
		"schemas":     []string{schema.SchemaURN},
		"id":          s.ID,
		"name":        s.Name,
		"description": s.Description,
		"attributes":  s.Attributes,
		"meta": map[string]any{
			"resourceType": "Schema",
			"location":     base + "/Schemas/" + s.ID,
		},
	}
}

func (h *Handler) schemas(_ context.Context, w http.ResponseWriter, _ *http.Request, req provision.Request, id string) (int, error) {
	var docs []map[string]any
	for _, rt := range []*schema.ResourceType{schema.User, schema.Group} {
		for _, s := range rt.Schemas() {
			if id == "" || strings.EqualFold(id, s.ID) {
				docs = append(docs, schemaDoc(req.BaseURL, s))
			}
		}
	}
	return writeDiscovery(w, id, "schema", docs)
}

// writeDiscovery answers a discovery collection (a ListResponse) or one of
// its members.
func writeDiscovery(w http.ResponseWriter, id, kind string, docs []map[string]any) (int, error) {
	if id != "" {
		if len(docs) == 0 {
			return 0, errorf(http.StatusNotFound, "", "no such "+kind+": "+id)
		}
		writeJSON(w, http.StatusOK, docs[0])
		return http.StatusOK, nil
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"schemas":      []string{schema.ListResponseURN},
		"totalResults": len(docs),
		"startIndex":   1,
		"itemsPerPage": len(docs),
		"Resources":    docs,
	})
	return http.StatusOK, nil
}
