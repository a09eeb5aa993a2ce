package translate

import (
	"strings"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// Projection is the attributes / excludedAttributes of a request
// (RFC 7644 §3.4.2.5), resolved against a resource type. Names that match
// no attribute are ignored.
type Projection struct {
	attrs    []schema.Ref
	excluded []schema.Ref
}

// NewProjection parses the comma-separated attributes and
// excludedAttributes parameters.
func NewProjection(rt *schema.ResourceType, attributes, excluded string) Projection {
	return Projection{attrs: parseAttrList(rt, attributes), excluded: parseAttrList(rt, excluded)}
}

func parseAttrList(rt *schema.ResourceType, list string) []schema.Ref {
	if list == "" {
		return nil
	}
	var refs []schema.Ref
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		uri, rest, _ := rt.SplitURN(name)
		attr, sub, _ := strings.Cut(rest, ".")
		if ref, res := rt.Lookup(uri, attr, sub); res == schema.Found {
			refs = append(refs, ref)
		}
	}
	return refs
}

// Requested reports whether the request named attributes or
// excludedAttributes.
func (p Projection) Requested() bool { return len(p.attrs) > 0 || len(p.excluded) > 0 }

// Includes reports whether a top-level core attribute (e.g. "members")
// is returned under this projection.
func (p Projection) Includes(name string) bool {
	if len(p.attrs) > 0 {
		for _, r := range p.attrs {
			if strings.EqualFold(r.Attr.Name, name) && !isExtension(r.Schema) {
				return true
			}
		}
		return false
	}
	for _, r := range p.excluded {
		if strings.EqualFold(r.Attr.Name, name) && r.Sub == nil && !isExtension(r.Schema) {
			return false
		}
	}
	return true
}

// Apply trims a resource in place to the projection. id and schemas are
// always returned.
func (p Projection) Apply(doc Resource) Resource {
	if len(p.attrs) > 0 {
		out := Resource{"id": doc["id"], "schemas": doc["schemas"]}
		for _, r := range p.attrs {
			copyRef(out, doc, r)
		}
		if out["id"] == nil {
			delete(out, "id")
		}
		return out
	}
	for _, r := range p.excluded {
		if r.Attr.Name == "id" && !isExtension(r.Schema) {
			continue
		}
		dropRef(doc, r)
	}
	return doc
}

func copyRef(dst, src Resource, r schema.Ref) {
	sc := container(src, r, false)
	if sc == nil {
		return
	}
	v, ok := sc[r.Attr.Name]
	if !ok {
		return
	}
	dc := container(dst, r, true)
	if r.Sub == nil {
		dc[r.Attr.Name] = v
		return
	}
	switch t := v.(type) {
	case map[string]any:
		if sv, ok := t[r.Sub.Name]; ok {
			m, _ := dc[r.Attr.Name].(map[string]any)
			if m == nil {
				m = map[string]any{}
				dc[r.Attr.Name] = m
			}
			m[r.Sub.Name] = sv
		}
	case []any:
		var list []any
		for _, e := range t {
			if m, ok := e.(map[string]any); ok && m[r.Sub.Name] != nil {
				list = append(list, map[string]any{r.Sub.Name: m[r.Sub.Name]})
			}
		}
		if list != nil {
			dc[r.Attr.Name] = list
		}
	}
}

func dropRef(doc Resource, r schema.Ref) {
	c := container(doc, r, false)
	if c == nil {
		return
	}
	if r.Sub == nil {
		delete(c, r.Attr.Name)
	} else {
		for _, e := range asList(c[r.Attr.Name]) {
			if m, ok := e.(map[string]any); ok {
				delete(m, r.Sub.Name)
			}
		}
	}
	tidy(doc, c, r)
}
