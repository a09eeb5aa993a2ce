package translate

import (
	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// A SCIM document is a map[string]any whose keys are canonical attribute
// names; extension attributes sit in a nested object under the extension's
// URN, as on the wire.

func isExtension(s *schema.Schema) bool {
	return s != nil && s != schema.Common && s.ID != schema.UserURN && s.ID != schema.GroupURN
}

// container returns the object that holds the reference's top-level
// attribute: the document itself, or the extension object (created when
// create is set).
func container(doc map[string]any, r schema.Ref, create bool) map[string]any {
	if !isExtension(r.Schema) {
		return doc
	}
	ext, _ := doc[r.Schema.ID].(map[string]any)
	if ext == nil && create {
		ext = map[string]any{}
		doc[r.Schema.ID] = ext
	}
	return ext
}

func asList(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case map[string]any:
		return []any{t}
	}
	return nil
}

// getPath reads the value a path points at, or nil.
func getPath(doc map[string]any, p filter.Path) any {
	c := container(doc, p.Ref, false)
	if c == nil {
		return nil
	}
	v := c[p.Ref.Attr.Name]
	switch {
	case p.Filter != nil:
		for _, e := range asList(v) {
			if m, ok := e.(map[string]any); ok && p.Filter.MatchElement(m) {
				if p.Sub == nil {
					return m
				}
				return m[p.Sub.Name]
			}
		}
		return nil
	case p.Ref.Sub != nil:
		for _, e := range asList(v) {
			if m, ok := e.(map[string]any); ok && m[p.Ref.Sub.Name] != nil {
				return m[p.Ref.Sub.Name]
			}
		}
		return nil
	}
	return v
}

// setPath sets the value at a path with replace semantics. A value filter
// that matches no element creates one from the filter's equalities
// (Entra's upsert), so several operations with the same filter land in one
// element.
func setPath(doc map[string]any, p filter.Path, v any) error {
	c := container(doc, p.Ref, true)
	name := p.Ref.Attr.Name
	switch {
	case p.Filter != nil:
		return setFiltered(c, p, v)
	case p.Ref.Sub != nil && p.Ref.Attr.MultiValued:
		list := asList(c[name])
		if len(list) == 0 {
			c[name] = []any{map[string]any{p.Ref.Sub.Name: v}}
			return nil
		}
		for _, e := range list {
			if m, ok := e.(map[string]any); ok {
				m[p.Ref.Sub.Name] = v
			}
		}
	case p.Ref.Sub != nil:
		m, _ := c[name].(map[string]any)
		if m == nil {
			m = map[string]any{}
			c[name] = m
		}
		m[p.Ref.Sub.Name] = v
	default:
		c[name] = v
	}
	return nil
}

func setFiltered(c map[string]any, p filter.Path, v any) error {
	name := p.Ref.Attr.Name
	list := asList(c[name])
	matched := false
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok || !p.Filter.MatchElement(m) {
			continue
		}
		matched = true
		if p.Sub != nil {
			m[p.Sub.Name] = v
		} else if nv, ok := v.(map[string]any); ok {
			list[i] = nv
		}
	}
	if !matched {
		eq, ok := p.Filter.Equalities()
		if !ok {
			return BadRequest(NoTarget, "%s matches no value and cannot be created", p.String())
		}
		elem := make(map[string]any, len(eq)+1)
		for k, ev := range eq {
			elem[k] = ev
		}
		if p.Sub != nil {
			elem[p.Sub.Name] = v
		} else if nv, ok := v.(map[string]any); ok {
			for k, ev := range nv {
				elem[k] = ev
			}
		}
		list = append(list, elem)
	}
	if p.Ref.Attr.MultiValued {
		c[name] = list
	} else if len(list) > 0 {
		c[name] = list[len(list)-1]
	}
	return nil
}

// removePath removes what a path points at. A filter that matches nothing
// removes nothing.
func removePath(doc map[string]any, p filter.Path) {
	c := container(doc, p.Ref, false)
	if c == nil {
		return
	}
	name := p.Ref.Attr.Name
	switch {
	case p.Filter != nil:
		c[name] = filterOut(asList(c[name]), func(m map[string]any) (map[string]any, bool) {
			if !p.Filter.MatchElement(m) {
				return m, true
			}
			if p.Sub == nil {
				return nil, false
			}
			delete(m, p.Sub.Name)
			return m, m["value"] != nil
		})
	case p.Ref.Sub != nil:
		c[name] = filterOut(asList(c[name]), func(m map[string]any) (map[string]any, bool) {
			delete(m, p.Ref.Sub.Name)
			return m, len(m) > 0 && (!p.Ref.Attr.MultiValued || m["value"] != nil)
		})
		if !p.Ref.Attr.MultiValued {
			if l := asList(c[name]); len(l) == 1 {
				c[name] = l[0]
			}
		}
	default:
		delete(c, name)
	}
	tidy(doc, c, p.Ref)
}

// removeValues removes the elements of a multi-valued attribute whose
// "value" equals one of the given elements' (Entra's remove with a value
// array).
func removeValues(doc map[string]any, p filter.Path, values []any) {
	c := container(doc, p.Ref, false)
	if c == nil {
		return
	}
	drop := map[string]bool{}
	for _, v := range values {
		if m, ok := v.(map[string]any); ok {
			if s, ok := m["value"].(string); ok {
				drop[s] = true
			}
		}
	}
	name := p.Ref.Attr.Name
	c[name] = filterOut(asList(c[name]), func(m map[string]any) (map[string]any, bool) {
		s, _ := m["value"].(string)
		return m, !drop[s]
	})
	tidy(doc, c, p.Ref)
}

func filterOut(list []any, keep func(map[string]any) (map[string]any, bool)) []any {
	out := list[:0]
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		if nm, k := keep(m); k {
			out = append(out, nm)
		}
	}
	return out
}

// tidy drops an attribute left empty, and an extension object left empty.
func tidy(doc, c map[string]any, r schema.Ref) {
	name := r.Attr.Name
	switch v := c[name].(type) {
	case []any:
		if len(v) == 0 {
			delete(c, name)
		}
	case map[string]any:
		if len(v) == 0 {
			delete(c, name)
		}
	}
	if isExtension(r.Schema) && len(c) == 0 {
		delete(doc, r.Schema.ID)
	}
}
