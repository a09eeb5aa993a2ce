package translate

import (
	"strings"

	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// normalizeResource reads a POST or PUT body into a document holding only
// the attributes keep reports true for, coerced (strictly: see coercion)
// and under canonical names. Read-only and message attributes (id, meta,
// schemas, groups) are ignored. So are the names that belong to no schema
// (a misspelt attribute, an unknown extension URN, an unknown
// sub-attribute), as Microsoft's reference tests expect: they are
// returned, sorted, for the caller to report. Extension attributes written
// unqualified at the top level ("department", "manager", as Entra's
// documented example sends them) are read as the extension's. An attribute
// given twice (in two spellings, or unqualified and in its extension
// object) is 400 invalidSyntax; a null counts as not given.
func normalizeResource(body map[string]any, rt *schema.ResourceType, keep func(schema.Ref) bool) (Resource, []string, error) {
	n := normalizer{rt: rt, keep: keep, doc: Resource{}, seen: map[string]bool{}, unknown: map[string]bool{}}
	for _, k := range sortedKeys(body) {
		if err := n.top(k, body[k]); err != nil {
			return nil, nil, err
		}
	}
	return n.doc, sortedKeys(n.unknown), nil
}

// normalizer is the state of one normalizeResource.
type normalizer struct {
	rt      *schema.ResourceType
	keep    func(schema.Ref) bool
	doc     Resource
	seen    map[string]bool // canonical paths given a value
	unknown map[string]bool // names ignored as belonging to no schema
}

func (n *normalizer) top(k string, v any) error {
	if isMessageKey(k) {
		return nil
	}
	if uri, rest, ok := n.rt.SplitURN(k); ok && rest == "" {
		return n.extension(uri, v)
	}
	if strings.HasPrefix(strings.ToLower(k), "urn:") {
		n.unknown[k] = true // an unknown extension, or Entra's malformed URN
		return nil
	}
	ref, ok := n.lookup(k)
	if !ok {
		n.unknown[k] = true
		return nil
	}
	return n.put(ref, v)
}

// lookup resolves a top-level name in the core and common schemas, then,
// unqualified, in the extensions.
func (n *normalizer) lookup(k string) (schema.Ref, bool) {
	if ref, res := n.rt.Lookup("", k, ""); res == schema.Found {
		return ref, true
	}
	for _, ext := range n.rt.Extensions {
		if ref, res := n.rt.Lookup(ext.ID, k, ""); res == schema.Found {
			return ref, true
		}
	}
	return schema.Ref{}, false
}

func (n *normalizer) extension(uri string, v any) error {
	if v == nil {
		return nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return BadRequest(InvalidValue, "%s must be an object", uri)
	}
	for _, k := range sortedKeys(obj) {
		ref, res := n.rt.Lookup(uri, k, "")
		if res != schema.Found {
			n.unknown[uri+":"+k] = true
			continue
		}
		if err := n.put(ref, obj[k]); err != nil {
			return err
		}
	}
	return nil
}

// put reads one attribute's value, strictly when it is stored.
func (n *normalizer) put(ref schema.Ref, v any) error {
	if ref.Attr.Mutability == schema.ReadOnly {
		return nil
	}
	keep := n.keep(ref)
	c := coercion{strict: keep, unknown: func(name string) { n.unknown[name] = true }}
	x, err := c.value(ref.Attr, v, ref.Path())
	if err != nil || x == nil {
		return err
	}
	if n.seen[ref.Path()] {
		return givenTwice(ref.Path())
	}
	n.seen[ref.Path()] = true
	if keep {
		container(n.doc, ref, true)[ref.Attr.Name] = x
	}
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
