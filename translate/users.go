package translate

import (
	"encoding/json"
	"strings"

	"github.com/tidwall/sjson"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// keep reports whether a User attribute feeds a Hector field; every other
// attribute is accepted and ignored.
func (m *Mapping) keep(r schema.Ref) bool {
	return m.Stores(topKey(r))
}

// DecodeUser decodes and normalises a User body (POST or PUT); userName is
// required. Names that belong to no schema are ignored.
func (m *Mapping) DecodeUser(body []byte) (Resource, error) {
	return m.DecodeUserNoting(body, nil)
}

// DecodeUserNoting is DecodeUser that passes each name of an accepted
// body that belongs to no schema, and so was ignored (a misspelt
// "adreses", an unknown extension URN, "name.shoeSize"), to ignored when
// it is not nil, once each.
func (m *Mapping) DecodeUserNoting(body []byte, ignored func(name string)) (Resource, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	doc, unknown, err := normalizeResource(obj, schema.User, m.keep)
	if err != nil {
		return nil, err
	}
	if u, _ := doc["userName"].(string); strings.TrimSpace(u) == "" {
		return nil, BadRequest(InvalidValue, "userName is required")
	}
	noteAll(ignored, unknown)
	return doc, nil
}

// noteAll passes each name to note, when note is not nil.
func noteAll(note func(string), names []string) {
	if note == nil {
		return
	}
	for _, n := range names {
		note(n)
	}
}

// NewRecord is the Hector record that creates the user of doc: every
// non-empty mapped field, in mapping order, and the role (when not "").
func (m *Mapping) NewRecord(doc Resource, role string) (json.RawMessage, error) {
	rec := []byte(`{}`)
	fields := m.ToHector(doc)
	var err error
	for _, field := range m.Fields() {
		if v := fields[field]; v != nil && v != "" {
			if rec, err = sjson.SetBytes(rec, field, v); err != nil {
				return nil, err
			}
		}
	}
	if role != "" {
		rec, _ = sjson.SetBytes(rec, "role", role)
	}
	return rec, nil
}

// ParseUserPatch parses a SCIM PatchOp body on a user.
func ParseUserPatch(body []byte) ([]Operation, error) {
	return ParsePatch(body, schema.User)
}

// PatchFields applies parsed PATCH operations to the stored Hector user
// raw and returns the Hector fields it gives, to be merged with MergeRecord.
// Only what the PATCH names changes. A field filled from a fallback
// follows its source: when the first source is untouched and the stored
// value equals (case-insensitively) the old value of a later source that
// changed, the field takes that source's new value.
func (m *Mapping) PatchFields(raw []byte, ops []Operation) (map[string]any, error) {
	old := m.FromHector(raw)
	doc := deepCopy(old).(map[string]any)
	if err := applyOps(doc, ops, m.keep); err != nil {
		return nil, err
	}
	if u, _ := doc["userName"].(string); strings.TrimSpace(u) == "" {
		return nil, BadRequest(InvalidValue, "userName is required")
	}
	return m.patchedFields(raw, old, doc), nil
}

func (m *Mapping) patchedFields(raw []byte, old, doc Resource) map[string]any {
	fields := m.ToHector(doc)
	var stored []string // the record's value of each line's field, read once when needed
	for i, l := range m.lines {
		if l.boolean || !samePath(old, doc, l.sources[0]) {
			continue
		}
		if stored == nil {
			stored = fieldValues(raw, m.Fields())
		}
		for _, src := range l.sources[1:] {
			was, _ := getPath(old, src).(string)
			if samePath(old, doc, src) || !strings.EqualFold(stored[i], was) {
				continue
			}
			if now, _ := getPath(doc, src).(string); now != "" {
				fields[l.field] = now
			}
			break
		}
	}
	return fields
}
