package filter

import (
	"strings"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// Path is a parsed PATCH path (RFC 7644 §3.5.2: attrPath, or valuePath
// with an optional ".subAttr").
type Path struct {
	// Ref is the attribute; Ref.Sub is set for "name.givenName" or
	// "urn:…:User:manager.value". When the path is exactly a schema URN,
	// Ref.Attr is nil and Ref.Schema is that schema: an extension (the
	// operation's value is the whole extension object) or the core schema
	// (the value is a resource fragment, as for an operation without path).
	Ref schema.Ref
	// Filter is the value filter inside [ ], or nil.
	Filter *ValueFilter
	// Sub is the sub-attribute after a value filter
	// (emails[type eq "work"].value → value), or nil.
	Sub *schema.Attribute
	// Ignored is set when the path is under an unknown extension URN:
	// callers accept and ignore the operation. Nothing else is set.
	Ignored bool

	raw string // the path as given, for String of an ignored path
}

// ParsePath parses and resolves a PATCH path against rt, case-insensitively.
// Bad syntax, an unknown attribute or sub-attribute of a known schema, or a
// value filter on a simple attribute is an *Error with ScimType
// "invalidPath". A value filter on a single-valued complex attribute
// (Entra's manager[value eq "x"]) is allowed, as are unqualified extension
// attributes ("manager") and the legacy dot after a URN
// ("urn:…:enterprise:2.0:User.employeeNumber").
func ParsePath(s string, rt *schema.ResourceType) (Path, error) {
	s = strings.TrimSpace(s)
	var p parser
	attr, vf, sub, err := p.path(s)
	if err == nil {
		var path Path
		if path, err = p.resolvePath(rt, attr, vf, sub); err == nil {
			return path, nil
		}
	}
	return Path{}, typed(err, InvalidPath)
}

// path reads a whole PATCH path: the attribute path as a token, the value
// filter's root or -1, and the sub-attribute after it or "".
func (p *parser) path(s string) (attr token, vf int32, sub string, err error) {
	if err := p.start(s, "path"); err != nil {
		return token{}, -1, "", err
	}
	if attr = p.tok; attr.kind != kWord {
		return attr, -1, "", p.errorf("a path starts with an attribute name, found %s", describe(attr))
	}
	if err := p.advance(); err != nil {
		return attr, -1, "", err
	}
	vf = -1
	if p.tok.kind == kLBrack {
		if vf, _, err = p.bracket(); err != nil {
			return attr, -1, "", err
		}
		if t := p.tok; t.kind == kWord && t.text[0] == '.' {
			if len(t.text) == 1 || strings.ContainsAny(t.text[1:], ".:") {
				return attr, -1, "", p.errorf("invalid sub-attribute %q after \"]\" at position %d", t.text, t.pos+1)
			}
			sub = t.text[1:]
			if err := p.advance(); err != nil {
				return attr, -1, "", err
			}
		}
	}
	if t := p.tok; t.kind != kEnd {
		return attr, -1, "", p.errorf("unexpected %s at position %d", describe(t), t.pos+1)
	}
	return attr, vf, sub, nil
}

// resolvePath resolves a path p read: attr, the value filter vf (or -1)
// and the sub-attribute after it (or ""). A leading URN the resource type
// knows is matched before the RFC's attrPath rule applies to the rest,
// which may then also follow the URN with a dot.
func (p *parser) resolvePath(rt *schema.ResourceType, attr token, vf int32, sub string) (Path, error) {
	text := attr.text
	uri, rest, known := splitURN(rt, text)
	if known && rest == "" {
		if vf >= 0 {
			return Path{}, fail("%q is a schema: a value filter [ ] does not apply to it", uri)
		}
		return Path{Ref: schema.Ref{Schema: schemaByURN(rt, uri)}, raw: p.s}, nil
	}
	written := text // as errors quote it
	if known {
		text, written = rest, ""
	}
	if ok, _ := attrSyntax(text); !ok {
		return Path{}, p.rejected(attr, "RFC 7644 §3.5.2")
	}
	ref, res, err := resolveSplit(rt, written, uri, rest, known)
	switch {
	case res == schema.Ignored:
		return Path{Ignored: true, raw: p.s}, nil
	case err != nil:
		return Path{}, err
	case vf < 0:
		return Path{Ref: ref, raw: p.s}, nil
	}
	if err := filterable(ref); err != nil {
		return Path{}, err
	}
	if p.rej.inner >= 0 {
		return Path{}, p.rejected(attr, "RFC 7644 §3.4.2.2")
	}
	in := builder{rt: rt, tree: &p.tree, parent: &ref}
	root, err := in.node(vf)
	if err != nil {
		return Path{}, err
	}
	path := Path{Ref: ref, Filter: &ValueFilter{root: root}, raw: p.s}
	if sub != "" {
		if path.Sub = ref.Attr.Sub(sub); path.Sub == nil {
			return Path{}, unknownSub(ref.Path(), ref.Attr, sub)
		}
	}
	return path, nil
}

// rejected names the first attribute path of a PATCH path that the RFC's
// rule rejects, the path's own first, or cites rfc.
func (p *parser) rejected(attr token, rfc string) error {
	if ok, _ := attrSyntax(attr.text); !ok {
		return fail("invalid attribute path %q at position %d", attr.text, attr.pos+1)
	}
	return p.rej.err(rfc)
}

// String returns the path in canonical form: names spelt as in the
// schema, extension attributes URN-qualified, the value filter in
// canonical filter syntax. An ignored path is returned as given.
func (p Path) String() string {
	switch {
	case p.Ignored || p.Ref.Schema == nil:
		return p.raw
	case p.Ref.Attr == nil:
		return p.Ref.Schema.ID
	case p.Filter == nil:
		return p.Ref.Path()
	}
	s := p.Ref.Path() + "[" + p.Filter.String() + "]"
	if p.Sub != nil {
		s += "." + p.Sub.Name
	}
	return s
}

// ValueFilter is the filter inside [ ] of a value path, evaluated against
// one element of a multi-valued (or a single complex) attribute.
type ValueFilter struct {
	root node
}

// MatchElement evaluates the filter against one element of the attribute;
// keys are matched case-insensitively and values compare as in
// Filter.Match.
func (v *ValueFilter) MatchElement(elem map[string]any) bool {
	return v.root.match(elem)
}

// String returns the filter in canonical form, without the brackets:
// `type eq "work"`.
func (v *ValueFilter) String() string {
	var b strings.Builder
	v.root.write(&b)
	return b.String()
}

// Equalities returns sub-attribute canonical name → value when the filter
// is an AND of `sub eq value` comparisons (type eq "work" → {"type":
// "work"}), so that an add or replace that matches no element can create
// one (Entra's upsert). Values are typed as in Term. ok is false for any
// other shape, or when one sub-attribute is given two values.
func (v *ValueFilter) Equalities() (map[string]any, bool) {
	m := make(map[string]any, 2)
	if !equalities(v.root, m) {
		return nil, false
	}
	return m, true
}

func equalities(n node, m map[string]any) bool {
	switch n := n.(type) {
	case *logic:
		return n.and && equalities(n.l, m) && equalities(n.r, m)
	case *compare:
		if n.op != "eq" {
			return false
		}
		name, val := n.ref.Sub.Name, n.val.value()
		if old, ok := m[name]; ok && old != val {
			return false
		}
		m[name] = val
		return true
	}
	return false
}
