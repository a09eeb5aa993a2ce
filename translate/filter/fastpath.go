package filter

import (
	"strings"
	"unicode/utf8"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// The fast path parses the filters and paths clients send on every request
// in one pass over the tokens, without the grammar, which costs about a
// hundred times more: comparisons "attrPath op value" and "attrPath pr"
// joined by "and", value filters made of such comparisons, Entra's
// attr[filter].sub op value, and PATCH paths attrPath, attr[filter] and
// attr[filter].sub. It reads the input with the same lexer, checks
// attribute paths against the grammar's attrPath rule, and builds the same
// nodes through the same resolution and typing code as the full parser. It
// accepts a subset of what the full parser accepts: on anything else, and
// on any error, it declines, and the full parser runs (and words the
// error). FuzzFastPathFilter and FuzzFastPathPath check it against the full
// parser.

// cursor reads the tokens of a filter or path one at a time.
type cursor struct {
	s string
	i int
}

// next returns the next token; ok is false on a lexical error.
func (c *cursor) next() (t token, ok bool) {
	t, i, err := nextToken(c.s, c.i)
	if err != nil {
		return token{}, false
	}
	c.i = i
	return t, true
}

// fastFilter parses s as the full parser would, when s is an AND of simple
// terms; ok is false when it declines.
func fastFilter(s string, rt *schema.ResourceType) (n node, ok bool) {
	if len(s) > MaxLength || !utf8.ValidString(s) {
		return nil, false
	}
	c := cursor{s: s}
	b := builder{rt: rt}
	return b.fastTerms(&c, kEnd)
}

// fastTerms reads terms joined by "and" up to a token of kind end: the end
// of a filter, or the "]" of a value filter. The tree leans left, as the
// grammar builds it.
func (b *builder) fastTerms(c *cursor, end kind) (node, bool) {
	var root node
	for {
		n, t, ok := b.fastTerm(c)
		if !ok {
			return nil, false
		}
		if root == nil {
			root = n
		} else {
			root = &logic{and: true, l: root, r: n}
		}
		switch {
		case t.kind == end:
			return root, true
		case !isWord(t, "and"):
			return nil, false
		}
	}
}

// fastTerm reads one term and returns it with the token after it.
func (b *builder) fastTerm(c *cursor) (node, token, bool) {
	attr, ok := c.next()
	if !ok || attr.kind != kWord || strings.EqualFold(attr.text, "not") {
		return nil, token{}, false
	}
	t, ok := c.next()
	switch {
	case !ok:
		return nil, token{}, false
	case t.kind == kLBrack && b.parent == nil:
		return b.fastValuePath(c, attr.text)
	}
	n, ok := b.fastCompare(c, attr.text, t)
	if !ok {
		return nil, token{}, false
	}
	t, ok = c.next()
	return n, t, ok
}

// fastCompare reads the rest of a comparison whose attribute path and
// operator token have been read.
func (b *builder) fastCompare(c *cursor, attr string, opTok token) (node, bool) {
	op := opName(opTok)
	if op == "" {
		return nil, false
	}
	var lit literal
	if op != "pr" {
		v, ok := c.next()
		if !ok || (v.kind != kWord && v.kind != kString) {
			return nil, false
		}
		lit = literal{quoted: v.kind == kString, text: v.text}
	}
	syntax, plain := attrSyntax(attr)
	if !syntax {
		return nil, false
	}
	ref, err := b.attrText(attr, plain)
	if err != nil {
		return nil, false
	}
	n, err := b.comparison(ref, op, lit)
	return n, err == nil
}

// fastValuePath reads attr[filter] after its "[", and Entra's ".sub op
// value" after it, and returns it with the token after it.
func (b *builder) fastValuePath(c *cursor, attr string) (node, token, bool) {
	syntax, plain := attrSyntax(attr)
	if !syntax {
		return nil, token{}, false
	}
	ref, err := b.attrText(attr, plain)
	if err != nil {
		return nil, token{}, false
	}
	in, err := b.within(ref)
	if err != nil {
		return nil, token{}, false
	}
	f, ok := in.fastTerms(c, kRBrack)
	if !ok {
		return nil, token{}, false
	}
	t, ok := c.next()
	if ok && t.kind == kWord && strings.HasPrefix(t.text, ".") {
		sub := t.text[1:]
		if strings.EqualFold(sub, "not") {
			return nil, token{}, false
		}
		if t, ok = c.next(); !ok {
			return nil, token{}, false
		}
		s, ok := in.fastCompare(c, sub, t)
		if !ok {
			return nil, token{}, false
		}
		f = &logic{and: true, l: f, r: s}
		t, ok = c.next()
	}
	return &valuePath{ref: ref, ext: extURN(b.rt, ref), filter: f}, t, ok
}

// fastPath parses a trimmed PATCH path as the full parser would, when it is
// an attribute path, a schema URN, or attr[filter] with an optional ".sub"
// and a filter of comparisons joined by "and"; ok is false when it
// declines.
func fastPath(s string, rt *schema.ResourceType) (p Path, ok bool) {
	if len(s) > MaxLength || !utf8.ValidString(s) {
		return Path{}, false
	}
	c := cursor{s: s}
	attr, ok := c.next()
	if !ok || attr.kind != kWord {
		return Path{}, false
	}
	t, ok := c.next()
	if !ok || (t.kind != kEnd && t.kind != kLBrack) {
		return Path{}, false
	}
	ref, ok := fastResolvePath(rt, attr.text)
	switch {
	case !ok:
		return Path{}, false
	case t.kind == kEnd:
		return Path{Ref: ref, raw: s}, true
	case ref.Attr == nil:
		return Path{}, false
	}
	return fastFilteredPath(&c, rt, ref, s)
}

// fastFilteredPath reads the rest of attr[filter] and its optional ".sub"
// after the "[".
func fastFilteredPath(c *cursor, rt *schema.ResourceType, ref schema.Ref, s string) (Path, bool) {
	b := builder{rt: rt}
	in, err := b.within(ref)
	if err != nil {
		return Path{}, false
	}
	f, ok := in.fastTerms(c, kRBrack)
	if !ok {
		return Path{}, false
	}
	p := Path{Ref: ref, Filter: &ValueFilter{root: f}, raw: s}
	t, ok := c.next()
	if ok && t.kind == kWord && strings.HasPrefix(t.text, ".") {
		name := t.text[1:]
		if name == "" || strings.ContainsAny(name, ".:") {
			return Path{}, false
		}
		if p.Sub = ref.Attr.Sub(name); p.Sub == nil {
			return Path{}, false
		}
		t, ok = c.next()
	}
	if !ok || t.kind != kEnd {
		return Path{}, false
	}
	return p, true
}

// fastResolvePath is resolvePath with the grammar's attrPath rule checked
// by attrSyntax; ok is false unless the path names an attribute or schema
// the resource type has.
func fastResolvePath(rt *schema.ResourceType, text string) (schema.Ref, bool) {
	uri, rest, known := splitURN(rt, text)
	if known && rest == "" {
		return schema.Ref{Schema: schemaByURN(rt, uri)}, true
	}
	if known {
		text = rest
	}
	if syntax, _ := attrSyntax(text); !syntax {
		return schema.Ref{}, false
	}
	if known {
		text = uri + ":" + text
	}
	ref, res, err := resolve(rt, text)
	return ref, err == nil && res == schema.Found
}
