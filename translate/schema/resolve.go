package schema

import "strings"

// Result says how a path resolved.
type Result int

// The outcomes of [ResourceType.Lookup].
const (
	// Found: the path names an attribute of the resource type.
	Found Result = iota
	// Unknown: the path names no attribute of a known schema
	// (400 invalidPath or invalidFilter).
	Unknown
	// Ignored: the path is under a schema URN this server does not know
	// (a custom extension); callers accept and ignore it.
	Ignored
)

// Ref is a resolved attribute path.
type Ref struct {
	// Schema is the schema the attribute belongs to; Common for id,
	// externalId and meta.
	Schema *Schema
	// Attr is the top-level attribute.
	Attr *Attribute
	// Sub is the sub-attribute, or nil.
	Sub *Attribute
}

// Path is the canonical spelling of the reference: core and common
// attributes without a URN ("name.givenName"), extension attributes with
// theirs ("urn:…:enterprise:2.0:User:employeeNumber").
func (r Ref) Path() string {
	p := r.Attr.Name
	if r.Sub != nil {
		p += "." + r.Sub.Name
	}
	if r.Schema != nil && r.Schema != Common && !isCore(r.Schema) {
		p = r.Schema.ID + ":" + p
	}
	return p
}

// Type is the data type of the attribute the reference ends at.
func (r Ref) Type() Type {
	if r.Sub != nil {
		return r.Sub.Type
	}
	return r.Attr.Type
}

// CaseExact reports whether values of the referenced attribute compare
// case-sensitively.
func (r Ref) CaseExact() bool {
	if r.Sub != nil {
		return r.Sub.CaseExact
	}
	return r.Attr.CaseExact
}

func isCore(s *Schema) bool { return s == userSchema || s == groupSchema }

// Lookup resolves an attribute path given as an optional schema URN, an
// attribute name and an optional sub-attribute name, all compared
// case-insensitively. A sub-attribute of a simple attribute is Unknown.
func (rt *ResourceType) Lookup(uri, name, sub string) (Ref, Result) {
	var s *Schema
	switch {
	case uri == "" || strings.EqualFold(uri, rt.Core.ID):
		s = rt.Core
	case rt.Extension(uri) != nil:
		s = rt.Extension(uri)
	case strings.HasPrefix(strings.ToLower(uri), "urn:"):
		return Ref{}, Ignored
	default:
		return Ref{}, Unknown
	}
	a := s.Attr(name)
	if a == nil && s == rt.Core {
		s, a = Common, Common.Attr(name)
	}
	if a == nil {
		return Ref{}, Unknown
	}
	r := Ref{Schema: s, Attr: a}
	if sub != "" {
		if r.Sub = a.Sub(sub); r.Sub == nil {
			return Ref{}, Unknown
		}
	}
	return r, Found
}

// SplitURN splits a path that starts with one of the resource type's schema
// URNs (case-insensitively) into that URN and the rest after the colon:
// "urn:…:enterprise:2.0:User:manager" → (EnterpriseURN, "manager"). A path
// equal to a URN returns it with an empty rest. ok is false when the path
// starts with no known URN.
func (rt *ResourceType) SplitURN(path string) (uri, rest string, ok bool) {
	for i := range 1 + len(rt.Extensions) {
		s := rt.schema(i)
		if len(path) < len(s.ID) || !strings.EqualFold(path[:len(s.ID)], s.ID) {
			continue
		}
		rest = path[len(s.ID):]
		if rest == "" {
			return s.ID, "", true
		}
		if rest[0] == ':' {
			return s.ID, rest[1:], true
		}
	}
	return "", path, false
}
