package filter

import (
	"strings"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// compare is "path op value" or "path pr".
type compare struct {
	ref schema.Ref // the attribute; in a value filter Attr is the filtered attribute and Sub the compared one
	rel bool       // inside a value filter: evaluated against one element
	ext string     // URN of the extension holding the attribute, or ""
	op  string     // lowercase operator
	val operand    // zero for pr
}

// path is the attribute as written in canonical form: the sub-attribute
// alone inside a value filter.
func (c *compare) path() string {
	if c.rel {
		return c.ref.Sub.Name
	}
	return c.ref.Path()
}

func (c *compare) write(b *strings.Builder) {
	b.WriteString(c.path())
	b.WriteByte(' ')
	b.WriteString(c.op)
	if c.op != "pr" {
		b.WriteByte(' ')
		b.WriteString(c.val.literal())
	}
}

// match applies the comparison; "ne" is the negation of "eq", so it holds
// for a list with no equal value. An absent value counts as empty, as
// Hector stores it (and the bridge omits empty values): `eq ""` matches
// only empty or absent values, `ne ""` only present ones.
func (c *compare) match(obj map[string]any) bool {
	if c.op == "ne" {
		return !c.any(obj, "eq")
	}
	return c.any(obj, c.op)
}

// any reports whether some value the attribute path reaches in obj
// satisfies op.
func (c *compare) any(obj map[string]any, op string) bool {
	if c.rel {
		return c.test(op, lookup(obj, c.ref.Sub.Name))
	}
	v := lookupIn(obj, c.ext, c.ref.Attr.Name)
	if c.ref.Sub == nil {
		return c.test(op, v)
	}
	switch v := v.(type) {
	case nil:
		// An absent single-valued complex attribute has empty
		// sub-attributes; a multi-valued one has no element to compare.
		return !c.ref.Attr.MultiValued && c.test(op, nil)
	case map[string]any:
		return c.test(op, lookup(v, c.ref.Sub.Name))
	case []any:
		for _, e := range v {
			if m, ok := e.(map[string]any); ok && c.test(op, lookup(m, c.ref.Sub.Name)) {
				return true
			}
		}
	}
	return false
}

// test applies op to a value, or to each value of a list.
func (c *compare) test(op string, v any) bool {
	if list, ok := v.([]any); ok {
		for _, e := range list {
			if c.test1(op, e) {
				return true
			}
		}
		return false
	}
	return c.test1(op, v)
}

func (c *compare) test1(op string, v any) bool {
	switch {
	case op == "pr":
		return present(v)
	case v == nil:
		return op == "eq" && c.val.isEmptyString()
	}
	return c.val.test(op, v)
}

// term is the comparison as a Term with the given canonical path.
func (c *compare) term(path string) Term {
	t := Term{Path: path, Op: c.op}
	if c.op != "pr" {
		t.Value = c.val.value()
	}
	return t
}

// ordering reports whether op is gt, ge, lt or le.
func ordering(op string) bool {
	return op == "gt" || op == "ge" || op == "lt" || op == "le"
}

// order reports whether a comparison result c satisfies op.
func order(op string, c int) bool {
	switch op {
	case "eq":
		return c == 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	}
	return false
}
