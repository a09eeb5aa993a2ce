package filter

import (
	"iter"
	"strings"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// resolve resolves an attribute path written as text ("userName",
// "name.givenName", "urn:…:User:manager.value", the legacy
// "urn:…:User.employeeNumber") against rt, case-insensitively. A path
// that is exactly a schema URN resolves to a Ref with only Schema set.
// Ignored is a path under an unknown "urn:" schema; Unknown comes with an
// error that says what is wrong.
func resolve(rt *schema.ResourceType, p string) (schema.Ref, schema.Result, error) {
	uri, rest, ok := splitURN(rt, p)
	return resolveSplit(rt, p, uri, rest, ok)
}

// resolveSplit is resolve of a path p that splitURN split into uri, rest
// and ok. Errors quote p, or uri:rest when p is "".
func resolveSplit(rt *schema.ResourceType, p, uri, rest string, ok bool) (schema.Ref, schema.Result, error) {
	if ok && rest == "" {
		return schema.Ref{Schema: schemaByURN(rt, uri)}, schema.Found, nil
	}
	if i := strings.LastIndexByte(rest, ':'); !ok && i >= 0 {
		uri, rest = rest[:i], rest[i+1:]
	}
	name, sub, _ := strings.Cut(rest, ".")
	ref, res := lookupAttr(rt, uri, name)
	if res == schema.Unknown && p == "" {
		p = uri + ":" + rest // ok: uri and rest are as split
	}
	switch {
	case res == schema.Ignored:
		return ref, res, nil
	case res == schema.Unknown && uri != "" && schemaByURN(rt, uri) == nil:
		return ref, res, fail("unknown schema %q in %q", uri, p)
	case res == schema.Unknown:
		return ref, res, fail("unknown attribute %q", p)
	case sub == "":
		return ref, res, nil
	}
	if ref.Sub = ref.Attr.Sub(sub); ref.Sub == nil {
		return ref, schema.Unknown, unknownSub(ref.Path(), ref.Attr, sub)
	}
	return ref, res, nil
}

// splitURN is rt.SplitURN, also accepting the legacy dot after a URN
// ("urn:…:enterprise:2.0:User.employeeNumber").
func splitURN(rt *schema.ResourceType, p string) (uri, rest string, ok bool) {
	for s := range schemas(rt) {
		n := len(s.ID)
		switch {
		case len(p) < n || !strings.EqualFold(p[:n], s.ID):
		case len(p) == n:
			return s.ID, "", true
		case p[n] == ':':
			return s.ID, p[n+1:], true
		}
	}
	for s := range schemas(rt) {
		n := len(s.ID)
		if len(p) > n+1 && p[n] == '.' && strings.EqualFold(p[:n], s.ID) {
			return s.ID, p[n+1:], true
		}
	}
	return "", p, false
}

// schemas yields rt.Schemas() without allocating them: the core schema,
// then the extensions.
func schemas(rt *schema.ResourceType) iter.Seq[*schema.Schema] {
	return func(yield func(*schema.Schema) bool) {
		if !yield(rt.Core) {
			return
		}
		for _, s := range rt.Extensions {
			if !yield(s) {
				return
			}
		}
	}
}

func schemaByURN(rt *schema.ResourceType, uri string) *schema.Schema {
	for s := range schemas(rt) {
		if strings.EqualFold(s.ID, uri) {
			return s
		}
	}
	return nil
}

// lookupAttr is rt.Lookup of a top-level attribute, where an unqualified name
// that no core attribute has is looked up in the extensions, as RFC 7644
// §3.10 allows when it is unambiguous (Entra's "manager eq …").
func lookupAttr(rt *schema.ResourceType, uri, name string) (schema.Ref, schema.Result) {
	ref, res := rt.Lookup(uri, name, "")
	if res != schema.Unknown || uri != "" {
		return ref, res
	}
	found := 0
	for _, ext := range rt.Extensions {
		if r, res := rt.Lookup(ext.ID, name, ""); res == schema.Found {
			ref, found = r, found+1
		}
	}
	if found != 1 {
		return schema.Ref{}, schema.Unknown
	}
	return ref, schema.Found
}

// unknownSub explains why attr has no sub-attribute called sub.
func unknownSub(path string, attr *schema.Attribute, sub string) error {
	if len(attr.SubAttributes) == 0 {
		return fail("%q has no sub-attributes (it is a %s), so %q is not an attribute", path, attr.Type, path+"."+sub)
	}
	return fail("%q has no sub-attribute %q", path, sub)
}

// extURN is the URN of the extension that holds ref's attribute in a
// resource, or "" for core and common attributes.
func extURN(rt *schema.ResourceType, ref schema.Ref) string {
	for _, s := range rt.Extensions {
		if s == ref.Schema {
			return s.ID
		}
	}
	return ""
}
