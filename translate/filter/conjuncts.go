package filter

import (
	"strings"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// Term is one simple comparison "Path Op Value" of a filter.
type Term struct {
	// Path is the canonical attribute path, as schema.Ref.Path spells it
	// ("userName", "emails.value", "meta.lastModified",
	// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"),
	// or, for a value filter that is `type eq "<t>"` and one comparison of
	// another sub-attribute, the attribute, `[type eq "<t>"]` with <t> in
	// lower case, and that sub-attribute: `emails[type eq "work"].value`.
	Path string
	// Op is the lowercase operator: eq, ne, co, sw, ew, gt, ge, lt, le or pr.
	Op string
	// Value is a string, a bool (boolean attributes, "True" included), a
	// float64 (integer and decimal attributes), or nil for pr.
	Value any
}

// Conjuncts returns the filter's top-level AND-ed simple comparisons, in
// order, and exact=true when the whole filter is exactly the AND of the
// returned terms (no or, no not, nothing left out). A value filter counts
// as one term when it is a single comparison (emails[value eq "x"] is
// emails.value eq "x") or `type eq "<t>"` and one more comparison
// (emails[type eq "work" and value eq "x"]).
//
// A caller pushes down the terms it can and, unless exact and all were
// pushed, evaluates Match on what the backend returns.
func (f *Filter) Conjuncts() (terms []Term, exact bool) {
	return conjuncts(f.root, nil, true)
}

func conjuncts(n node, terms []Term, exact bool) ([]Term, bool) {
	if l, ok := n.(*logic); ok && l.and {
		terms, exact = conjuncts(l.l, terms, exact)
		return conjuncts(l.r, terms, exact)
	}
	t, ok := asTerm(n)
	if !ok {
		return terms, false
	}
	return append(terms, t), exact
}

func asTerm(n node) (Term, bool) {
	switch n := n.(type) {
	case *compare:
		return n.term(n.ref.Path()), true
	case *valuePath:
		return n.term()
	}
	return Term{}, false
}

// term is the value path as one Term, when it has that shape.
func (n *valuePath) term() (Term, bool) {
	switch f := n.filter.(type) {
	case *compare:
		return f.term(f.ref.Path()), true
	case *logic:
		a, ok1 := f.l.(*compare)
		c, ok2 := f.r.(*compare)
		if !f.and || !ok1 || !ok2 {
			break
		}
		if !isTypeEq(a) {
			a, c = c, a
		}
		if !isTypeEq(a) || c.ref.Sub.Name == "type" {
			break
		}
		return c.term(n.ref.Path() + "[type eq " + quote(strings.ToLower(a.val.text)) + "]." + c.ref.Sub.Name), true
	}
	return Term{}, false
}

// isTypeEq reports whether c is `type eq "<string>"`.
func isTypeEq(c *compare) bool {
	return c.ref.Sub.Name == "type" && c.op == "eq" && c.val.typ == schema.String
}
