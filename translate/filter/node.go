package filter

import (
	"strings"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// node is one resolved expression of a filter.
type node interface {
	// match evaluates the expression against a resource, or against one
	// element of a multi-valued attribute inside a value filter.
	match(obj map[string]any) bool
	// write appends the canonical form of the expression.
	write(b *strings.Builder)
}

// logic is "l and r" or "l or r".
type logic struct {
	and  bool
	l, r node
}

func (n *logic) match(obj map[string]any) bool {
	if n.and {
		return n.l.match(obj) && n.r.match(obj)
	}
	return n.l.match(obj) || n.r.match(obj)
}

func (n *logic) write(b *strings.Builder) {
	n.side(b, n.l)
	if n.and {
		b.WriteString(" and ")
	} else {
		b.WriteString(" or ")
	}
	n.side(b, n.r)
}

// side writes an operand, in parentheses when it is an "or" under an "and".
func (n *logic) side(b *strings.Builder, x node) {
	if c, ok := x.(*logic); ok && n.and && !c.and {
		b.WriteByte('(')
		x.write(b)
		b.WriteByte(')')
		return
	}
	x.write(b)
}

// negation is "not (x)".
type negation struct{ x node }

func (n *negation) match(obj map[string]any) bool { return !n.x.match(obj) }

func (n *negation) write(b *strings.Builder) {
	b.WriteString("not (")
	n.x.write(b)
	b.WriteByte(')')
}

// valuePath is "attr[filter]": true when an element of attr matches the
// filter. A single-valued complex attribute is its only element.
type valuePath struct {
	ref    schema.Ref // the filtered attribute; Sub is nil
	ext    string     // URN of the extension holding it, or ""
	filter node
}

func (n *valuePath) match(obj map[string]any) bool {
	switch v := lookupIn(obj, n.ext, n.ref.Attr.Name).(type) {
	case map[string]any:
		return n.filter.match(v)
	case []any:
		for _, e := range v {
			if m, ok := e.(map[string]any); ok && n.filter.match(m) {
				return true
			}
		}
	}
	return false
}

func (n *valuePath) write(b *strings.Builder) {
	b.WriteString(n.ref.Path())
	b.WriteByte('[')
	n.filter.write(b)
	b.WriteByte(']')
}

// lookup returns m[key], matching the key case-insensitively when no key
// is spelt exactly so.
func lookup(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// lookupIn returns the attribute name of a resource, under the extension
// object ext unless ext is "".
func lookupIn(obj map[string]any, ext, name string) any {
	if ext != "" {
		m, ok := lookup(obj, ext).(map[string]any)
		if !ok {
			return nil
		}
		obj = m
	}
	return lookup(obj, name)
}

// present reports whether a value counts as present for "pr": not null,
// not "", not an empty list or object, and not made only of such values.
func present(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return v != ""
	case []any:
		for _, e := range v {
			if present(e) {
				return true
			}
		}
		return false
	case map[string]any:
		for _, e := range v {
			if present(e) {
				return true
			}
		}
		return false
	}
	return true
}
