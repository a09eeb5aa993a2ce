package filter

import (
	"strconv"
	"strings"

	lib "github.com/scim2/filter-parser/v2"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// schemasAttr is the "schemas" attribute every resource has (RFC 7643
// §3), which the schema tables leave out; filters may compare it
// (RFC 7644 §3.4.2.2: schemas eq "urn:…:enterprise:2.0:User").
var schemasAttr = &schema.Attribute{Name: "schemas", Type: schema.Reference, MultiValued: true}

// builder turns the grammar's tree into resolved, typed nodes.
type builder struct {
	rt     *schema.ResourceType
	lx     *lexed
	parent *schema.Ref // inside a value filter: the filtered attribute
}

// parse runs the grammar on text the scanner rewrote and builds its nodes.
func (b *builder) parse(text string) (node, error) {
	e, err := lib.ParseFilter([]byte(text))
	if err != nil {
		return nil, b.lx.diagnose("RFC 7644 §3.4.2.2")
	}
	return b.expr(e)
}

// diagnose explains a grammar error the scanner did not catch: in
// practice an attribute path that is not one.
func (lx *lexed) diagnose(rfc string) error {
	for _, t := range lx.paths {
		if _, err := lib.ParseAttrPath([]byte(t.text)); err != nil {
			return fail("invalid attribute path %q at position %d", t.text, t.pos+1)
		}
	}
	return fail("syntax error; see %s", rfc)
}

func (b *builder) expr(e lib.Expression) (node, error) {
	switch e := e.(type) {
	case *lib.LogicalExpression:
		l, err := b.expr(e.Left)
		if err != nil {
			return nil, err
		}
		r, err := b.expr(e.Right)
		if err != nil {
			return nil, err
		}
		return &logic{and: e.Operator == lib.AND, l: l, r: r}, nil
	case *lib.NotExpression:
		x, err := b.expr(e.Expression)
		if err != nil {
			return nil, err
		}
		return &negation{x: x}, nil
	case *lib.AttributeExpression:
		return b.compare(e)
	case *lib.ValuePath:
		return b.valuePath(e)
	}
	return nil, fail("unsupported expression %v", e)
}

// attr resolves the attribute path of a comparison.
func (b *builder) attr(ap lib.AttributePath) (schema.Ref, error) {
	return b.attrText(joinAttr(ap), ap.URIPrefix == nil && ap.SubAttribute == nil)
}

// attrText resolves an attribute path as written; plain reports that it is
// a bare attribute name, without URN or sub-attribute.
func (b *builder) attrText(text string, plain bool) (schema.Ref, error) {
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
	ref, res, err := resolve(b.rt, text)
	switch {
	case strings.EqualFold(text, schemasAttr.Name):
		return schema.Ref{Schema: schema.Common, Attr: schemasAttr}, nil
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

func (b *builder) compare(e *lib.AttributeExpression) (node, error) {
	ref, err := b.attr(e.AttributePath)
	if err != nil {
		return nil, err
	}
	op := string(e.Operator)
	var lit literal
	if op != "pr" {
		if lit, err = b.lx.literal(e.CompareValue); err != nil {
			return nil, err
		}
	}
	return b.comparison(ref, op, lit)
}

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
	c.val, err = newOperand(c.ref.Type(), c.ref.CaseExact(), c.op, lit, c.path())
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

func (b *builder) valuePath(e *lib.ValuePath) (node, error) {
	ref, err := b.attr(e.AttributePath)
	if err != nil {
		return nil, err
	}
	idx, err := index(e.ValueFilter, len(b.lx.vfs))
	if err != nil || b.parent != nil {
		return nil, fail("syntax error in value filter")
	}
	f, err := b.valueFilter(ref, b.lx.vfs[idx])
	if err != nil {
		return nil, err
	}
	return &valuePath{ref: ref, ext: extURN(b.rt, ref), filter: f}, nil
}

// valueFilter builds the filter inside ref[…], with Entra's suffix if any.
func (b *builder) valueFilter(ref schema.Ref, vf vfText) (node, error) {
	in, err := b.within(ref)
	if err != nil {
		return nil, err
	}
	n, err := in.parse(vf.filter)
	if err != nil || vf.suffix == "" {
		return n, err
	}
	s, err := in.parse(vf.suffix)
	if err != nil {
		return nil, err
	}
	return &logic{and: true, l: n, r: s}, nil
}

// within returns the builder for the value filter of ref[…].
func (b *builder) within(ref schema.Ref) (*builder, error) {
	if ref.Sub != nil || ref.Attr.Type != schema.Complex {
		return nil, fail("%q is not a complex attribute: a value filter [ ] does not apply to it", ref.Path())
	}
	return &builder{rt: b.rt, lx: b.lx, parent: &ref}, nil
}

// literal returns the comparison value a placeholder stands for.
func (lx *lexed) literal(v any) (literal, error) {
	s, _ := v.(string)
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i >= len(lx.lits) {
		return literal{}, fail("syntax error in comparison value")
	}
	return lx.lits[i], nil
}

// index reads the marker the scanner put in place of a value filter.
func index(e lib.Expression, n int) (int, error) {
	a, ok := e.(*lib.AttributeExpression)
	if !ok || a.AttributePath.AttributeName != marker {
		return 0, fail("syntax error in value filter")
	}
	s, _ := a.CompareValue.(string)
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i >= n {
		return 0, fail("syntax error in value filter")
	}
	return i, nil
}
