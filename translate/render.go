package translate

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/translate/schema"
)

type baseURLKey struct{}

// WithBaseURL returns a context carrying the absolute URL of the SCIM base
// path (e.g. "https://scim.example/scim/v2"), from which meta.location is
// built.
func WithBaseURL(ctx context.Context, base string) context.Context {
	return context.WithValue(ctx, baseURLKey{}, base)
}

// BaseURL returns the base URL carried by ctx, or "".
func BaseURL(ctx context.Context) string {
	s, _ := ctx.Value(baseURLKey{}).(string)
	return s
}

// Resource is a SCIM resource as a document ready to encode.
type Resource = map[string]any

// renderUser turns a Hector user into a SCIM User resource.
func (s *Service) renderUser(ctx context.Context, raw []byte) Resource {
	doc := s.mapping.FromHector(raw)
	id := gjson.GetBytes(raw, "id").String()
	doc["id"] = id
	schemas := []any{schema.UserURN}
	if doc[schema.EnterpriseURN] != nil {
		schemas = append(schemas, schema.EnterpriseURN)
	}
	doc["schemas"] = schemas
	doc["meta"] = meta(ctx, "User", "/Users/"+id, gjson.GetBytes(raw, "created_at").String(), gjson.GetBytes(raw, "updated_at").String(), doc)
	return doc
}

// meta builds the meta attribute; version is a weak ETag of the
// resource's content, so it changes with every change.
func meta(ctx context.Context, resourceType, path, created, modified string, content Resource) map[string]any {
	m := map[string]any{
		"resourceType": resourceType,
		"location":     BaseURL(ctx) + path,
		"version":      version(content),
	}
	if created != "" {
		m["created"] = created
	}
	if modified != "" {
		m["lastModified"] = modified
	}
	return m
}

func version(content Resource) string {
	b, _ := json.Marshal(content) // map keys are sorted: stable
	h := fnv.New64a()
	h.Write(b)
	return fmt.Sprintf("W/\"%016x\"", h.Sum64())
}
