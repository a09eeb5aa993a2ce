package translate

import (
	"strings"

	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// normalizeResource reads a POST or PUT body into a document holding only
// the attributes that keep reports true for, coerced and under canonical
// names. Read-only and message attributes (id, meta, schemas, groups) and
// objects under unknown extension URNs are ignored; a top-level name that
// belongs to no schema is 400 invalidValue.
func normalizeResource(body map[string]any, rt *schema.ResourceType, keep func(schema.Ref) bool) (Resource, error) {
	doc := Resource{}
	for _, k := range sortedKeys(body) {
		v := body[k]
		if isMessageKey(k) {
			continue
		}
		if uri, rest, ok := rt.SplitURN(k); ok && rest == "" {
			if err := normalizeExtension(doc, uri, v, rt, keep); err != nil {
				return nil, err
			}
			continue
		}
		if strings.HasPrefix(strings.ToLower(k), "urn:") {
			continue // an unknown extension (or Entra's malformed URN): ignored
		}
		ref, res := rt.Lookup("", k, "")
		if res != schema.Found {
			return nil, BadRequest(InvalidValue, "unknown attribute %q", k)
		}
		if err := putAttr(doc, ref, v, keep); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

func normalizeExtension(doc Resource, uri string, v any, rt *schema.ResourceType, keep func(schema.Ref) bool) error {
	if v == nil {
		return nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return BadRequest(InvalidValue, "%s must be an object", uri)
	}
	for _, k := range sortedKeys(obj) {
		ref, res := rt.Lookup(uri, k, "")
		if res != schema.Found {
			return BadRequest(InvalidValue, "unknown attribute %q in %s", k, uri)
		}
		if err := putAttr(doc, ref, obj[k], keep); err != nil {
			return err
		}
	}
	return nil
}

func putAttr(doc Resource, ref schema.Ref, v any, keep func(schema.Ref) bool) error {
	if ref.Attr.Mutability == schema.ReadOnly {
		return nil
	}
	c, err := coerce(ref.Attr, v, ref.Path())
	if err != nil || c == nil || !keep(ref) {
		return err
	}
	container(doc, ref, true)[ref.Attr.Name] = c
	return nil
}

// deepCopy copies a document so that a PATCH can be applied to the copy.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, e := range t {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// samePath compares the values a path has in two documents.
func samePath(a, b Resource, p filter.Path) bool {
	return equalValues(getPath(a, p), getPath(b, p))
}

func equalValues(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	}
	return false
}
