package translate

import (
	"hash/fnv"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// Resource is a SCIM resource as a document ready to encode.
type Resource = map[string]any

// RenderUser turns a Hector user into a SCIM User resource; base is the
// absolute URL of the SCIM base path (e.g. "https://scim.example/scim/v2"),
// from which meta.location is built.
func (m *Mapping) RenderUser(raw []byte, base string) Resource {
	doc, rm := m.fromHector(raw)
	id := rm.id
	doc["id"] = id
	schemas := []any{schema.UserURN}
	if doc[schema.EnterpriseURN] != nil {
		schemas = append(schemas, schema.EnterpriseURN)
	}
	doc["schemas"] = schemas
	doc["meta"] = meta(base, "User", "/Users/"+id, rm.created, rm.updated, version(raw))
	return doc
}

// meta builds the meta attribute.
func meta(base, resourceType, path, created, modified, version string) map[string]any {
	m := map[string]any{
		"resourceType": resourceType,
		"location":     base + path,
		"version":      version,
	}
	if created != "" {
		m["created"] = created
	}
	if modified != "" {
		m["lastModified"] = modified
	}
	return m
}

// version is a weak ETag of what Hector holds for a resource: a hash of
// its record, so that it changes with every change, even within the same
// second, and costs no second encoding.
func version(parts ...[]byte) string {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write(p)
		h.Write([]byte{0})
	}
	var b [21]byte
	out := append(b[:0], `W/"`...)
	out = appendHex(out, h.Sum64())
	return string(append(out, '"'))
}

func appendHex(b []byte, v uint64) []byte {
	const digits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, digits[(v>>uint(shift))&0xf])
	}
	return b
}
