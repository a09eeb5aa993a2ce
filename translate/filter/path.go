package filter

import (
	"strings"

	lib "github.com/scim2/filter-parser/v2"

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
	if p, ok := fastPath(s, rt); ok {
		return p, nil
	}
	p, err := parsePath(s, rt)
	if err != nil {
		return Path{}, typed(err, InvalidPath)
	}
	return p, nil
}

func parsePath(s string, rt *schema.ResourceType) (Path, error) {
	if err := checkInput(s, "path"); err != nil {
		return Path{}, err
	}
	toks, err := lex(s)
	if err != nil {
		return Path{}, err
	}
	lx := &lexed{}
	parts, err := lx.path(toks)
	if err != nil {
		return Path{}, err
	}
	ref, res, err := resolvePath(rt, lx, parts)
	switch {
	case res == schema.Ignored:
		return Path{Ignored: true, raw: s}, nil
	case err != nil:
		return Path{}, err
	case parts.vf < 0:
		return Path{Ref: ref, raw: s}, nil
	case ref.Attr == nil:
		return Path{}, fail("%q is a schema: a value filter [ ] does not apply to it", ref.Schema.ID)
	}
	b := &builder{rt: rt, lx: lx}
	root, err := b.valueFilter(ref, lx.vfs[parts.vf])
	if err != nil {
		return Path{}, err
	}
	p := Path{Ref: ref, Filter: &ValueFilter{root: root}, raw: s}
	if parts.sub != "" {
		if p.Sub = ref.Attr.Sub(parts.sub); p.Sub == nil {
			return Path{}, unknownSub(ref.Path(), ref.Attr, parts.sub)
		}
	}
	return p, nil
}

// resolvePath checks the syntax of a scanned path's attribute with the
// grammar and resolves it. A leading URN the resource type knows is
// matched here, not by the grammar, which is slow on long URNs and cannot
// tell a URN alone from a URN and a name.
func resolvePath(rt *schema.ResourceType, lx *lexed, parts pathParts) (schema.Ref, schema.Result, error) {
	text := parts.attr.text
	uri, rest, known := splitURN(rt, text)
	if known && rest == "" {
		return schema.Ref{Schema: schemaByURN(rt, uri)}, schema.Found, nil
	}
	if known {
		text = rest
	}
	ap, err := lib.ParseAttrPath([]byte(text))
	if err != nil {
		return schema.Ref{}, schema.Unknown, lx.diagnose("RFC 7644 §3.5.2")
	}
	text = joinAttr(ap)
	if known {
		text = uri + ":" + text
	}
	return resolve(rt, text)
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
