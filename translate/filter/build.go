package filter

import (
	"strings"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// schemasAttr is the "schemas" attribute every resource has (RFC 7643
// §3), which the schema tables leave out; filters may compare it
// (RFC 7644 §3.4.2.2: schemas eq "urn:…:enterprise:2.0:User").
var schemasAttr = &schema.Attribute{Name: "schemas", Type: schema.Reference, MultiValued: true}

// builder turns a syntax tree into resolved, typed nodes, in the order
// the text reads, and stops at the first attribute or value the schema
// rejects.
type builder struct {
	rt     *schema.ResourceType
	tree   *exprs
	parent *schema.Ref // inside a value filter: the filtered attribute
	at     int         // byte offset of the attribute at fault, after an error
}

// fail notes that the error is at e's attribute.
func (b *builder) fail(e *expr, err error) (node, error) {
	b.at = int(e.pos)
	return nil, err
}

// node builds node i of the tree and what is under it.
func (b *builder) node(i int32) (node, error) {
	e := b.tree.at(i)
	switch e.kind {
	case exAnd, exOr:
		l, err := b.node(e.x)
		if err != nil {
			return nil, err
		}
		r, err := b.node(e.y)
		if err != nil {
			return nil, err
		}
		return &logic{and: e.kind == exAnd, l: l, r: r}, nil
	case exNot:
		x, err := b.node(e.x)
		if err != nil {
			return nil, err
		}
		return &negation{x: x}, nil
	case exValuePath:
		return b.valuePath(e)
	}
	ref, err := b.attr(e.attr, e.plain)
	if err != nil {
		return b.fail(e, err)
	}
	n, err := b.comparison(ref, operators[e.op], literal{quoted: e.quoted, text: e.val})
	if err != nil {
		return b.fail(e, err)
	}
	return n, nil
}

// attr resolves an attribute path as written; plain reports that it is
// a bare attribute name, without URN or sub-attribute.
func (b *builder) attr(text string, plain bool) (schema.Ref, error) {
	if p := b.parent; p != nil {
		if !plain {
			return schema.Ref{}, fail("%q inside %s[…] must be a sub-attribute name", text, p.Path())
		}
		sub := p.Attr.Sub(text)
		if sub == nil {
			return schema.Ref{}, unknownSub(p.Path(), p.Attr, text)
		}
		return schema.Ref{Schema: p.Schema, Attr: p.Attr, Sub: sub}, nil
	}
	if strings.EqualFold(text, schemasAttr.Name) {
		return schema.Ref{Schema: schema.Common, Attr: schemasAttr}, nil
	}
	ref, res, err := resolve(b.rt, text)
	switch {
	case err != nil:
		return ref, err
	case res == schema.Ignored:
		return ref, fail("%q is under a schema this server does not know", text)
	case ref.Attr == nil:
		return ref, fail("%q is a schema, not an attribute", text)
	case ref.Attr.Returned == schema.Never:
		return ref, fail("%q is never returned, so it cannot be filtered on", ref.Path())
	}
	return ref, nil
}

// literal is a comparison value as written.
type literal struct {
	quoted bool
	text   string // decoded string, or the bare word
}

// isNull reports whether the literal is the bare keyword null.
func (l literal) isNull() bool { return !l.quoted && strings.EqualFold(l.text, "null") }

// comparison builds "ref op lit", or "ref pr" (lit unused), with op in
// lower case.
func (b *builder) comparison(ref schema.Ref, op string, lit literal) (node, error) {
	c := &compare{ref: ref, rel: b.parent != nil, ext: extURN(b.rt, ref), op: op}
	if c.op == "pr" {
		return c, nil
	}
	if lit.isNull() {
		return nullCompare(c)
	}
	var err error
	if c.ref, err = valueOf(c.ref, c.op); err != nil {
		return nil, err
	}
	c.val, err = newOperand(c, lit)
	return c, err
}

// nullCompare reads "eq null" as "not present" and "ne null" as present.
func nullCompare(c *compare) (node, error) {
	op := c.op
	c.op = "pr"
	switch op {
	case "eq":
		return &negation{x: c}, nil
	case "ne":
		return c, nil
	}
	return nil, fail("%q %s null: null can only be compared with eq or ne", c.path(), op)
}

// valueOf makes a comparison on a complex attribute without a
// sub-attribute (manager eq "42", emails co "@x") one on its "value"
// sub-attribute.
func valueOf(ref schema.Ref, op string) (schema.Ref, error) {
	if ref.Sub != nil || ref.Attr.Type != schema.Complex {
		return ref, nil
	}
	if ordering(op) {
		return ref, fail("%q is complex: %s does not apply to it", ref.Path(), op)
	}
	if ref.Sub = ref.Attr.Sub("value"); ref.Sub == nil {
		return ref, fail("%q is complex: compare one of its sub-attributes", ref.Path())
	}
	return ref, nil
}

// valuePath builds attr[filter], with Entra's suffix as one more term of
// the filter.
func (b *builder) valuePath(e *expr) (node, error) {
	ref, err := b.attr(e.attr, e.plain)
	if err == nil {
		err = filterable(ref)
	}
	if err != nil {
		return b.fail(e, err)
	}
	in := builder{rt: b.rt, tree: b.tree, parent: &ref}
	f, err := in.node(e.x)
	if err == nil && e.y >= 0 {
		var s node
		if s, err = in.node(e.y); err == nil {
			f = &logic{and: true, l: f, r: s}
		}
	}
	if err != nil {
		b.at = in.at
		return nil, err
	}
	return &valuePath{ref: ref, ext: extURN(b.rt, ref), filter: f}, nil
}

// filterable checks that ref can have a value filter: a complex attribute.
func filterable(ref schema.Ref) error {
	if ref.Sub != nil || ref.Attr.Type != schema.Complex {
		return fail("%q is not a complex attribute: a value filter [ ] does not apply to it", ref.Path())
	}
	return nil
}
