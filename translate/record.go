package translate

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// This file is the one home of what the bridge knows about Hector's user
// record beyond the field mapping: its status values, its read-only
// fields, the fields the legacy API searches on, and its group list.

// Hector's user statuses.
const (
	StatusActive   = "active"
	StatusDisabled = "disabled"
)

// StatusOf is Hector's status for SCIM's active.
func StatusOf(active bool) string {
	if active {
		return StatusActive
	}
	return StatusDisabled
}

// readOnlyFields are the fields of a Hector user that a PUT must not send.
var readOnlyFields = []string{"id", "groups", "created_at", "updated_at"}

// searchableFields are the Hector user fields the legacy API filters on
// with equality (query parameters of the same names).
var searchableFields = []string{"username", "email", "identifier", "external_id", "status"}

// Searchable reports whether the legacy API filters users on field.
func Searchable(field string) bool {
	for _, f := range searchableFields {
		if f == field {
			return true
		}
	}
	return false
}

// RecordID reads a Hector record's id (a user's or a group's).
func RecordID(rec []byte) int64 {
	id := gjson.GetBytes(rec, "id")
	if id.Type != gjson.Number {
		return 0
	}
	return id.Int()
}

// IDString formats a Hector id as a SCIM id.
func IDString(id int64) string { return strconv.FormatInt(id, 10) }

// ParseID reads a SCIM id of a resource ("User", "Group"); an id Hector
// could not have issued is not found.
func ParseID(resource, id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != id {
		return 0, NotFound(resource, id)
	}
	return n, nil
}

// InGroup reports whether a Hector user record lists group gid.
func InGroup(rec []byte, gid int64) bool {
	for _, g := range gjson.GetBytes(rec, "groups.#.id").Array() {
		if g.Int() == gid {
			return true
		}
	}
	return false
}

// GroupNames lists a user's group names, leaving out group skip (0: none).
func GroupNames(rec []byte, skip int64) []string {
	var names []string
	for _, g := range gjson.GetBytes(rec, "groups").Array() {
		if skip != 0 && g.Get("id").Int() == skip {
			continue
		}
		names = append(names, g.Get("name").String())
	}
	return names
}

// GroupIDs lists a user's group ids, leaving out group skip (0: none).
func GroupIDs(rec []byte, skip int64) []int64 {
	var ids []int64
	for _, g := range gjson.GetBytes(rec, "groups.#.id").Array() {
		if g.Int() != skip {
			ids = append(ids, g.Int())
		}
	}
	return ids
}

// GroupRefs lists a user's groups as Hector's record names them: id and
// name, without external_id (the record does not carry it).
func GroupRefs(rec []byte) []GroupRef {
	var refs []GroupRef
	for _, g := range gjson.GetBytes(rec, "groups").Array() {
		refs = append(refs, GroupRef{ID: g.Get("id").Int(), Name: g.Get("name").String()})
	}
	return refs
}

// Managed reports whether a Hector user is one the IdP manages: it has an
// external_id (the IdP's, or one the bridge generated). Hand-made
// accounts have none; the group → role rules and deactivation never
// apply to them.
func Managed(rec []byte) bool { return ExternalID(rec) != "" }

// ExternalID reads a Hector record's external_id ("" for null).
func ExternalID(rec []byte) string { return gjson.GetBytes(rec, "external_id").String() }

// Username reads a Hector user's username.
func Username(rec []byte) string { return gjson.GetBytes(rec, "username").String() }

// Role reads a Hector user's role.
func Role(rec []byte) string { return gjson.GetBytes(rec, "role").String() }

// Status reads a Hector user's status.
func Status(rec []byte) string { return gjson.GetBytes(rec, "status").String() }

// MergeRecord sets fields on a stored Hector record for a full-replace
// PUT, dropping the read-only fields, and reports whether any value
// changed. A nil field keeps its stored value.
func MergeRecord(raw []byte, fields map[string]any) (json.RawMessage, bool, error) {
	rec := append([]byte(nil), raw...)
	var err error
	for _, ro := range readOnlyFields {
		rec, _ = sjson.DeleteBytes(rec, ro)
	}
	changed := false
	keys := sortedKeys(fields)
	curs := fieldResults(raw, keys)
	for i, field := range keys {
		v := fields[field]
		if v == nil {
			continue
		}
		cur := curs[i]
		if cur.String() == v || (v == "" && cur.Type == gjson.Null) {
			continue
		}
		changed = true
		if rec, err = sjson.SetBytes(rec, field, v); err != nil {
			return nil, false, err
		}
	}
	return rec, changed, nil
}

// SameName compares two group names as Hector does: both lower-cased
// (Unicode simple lower case), then byte for byte. Unlike strings.EqualFold
// there is no other folding: "ſ" (U+017F) is not "s".
func SameName(a, b string) bool {
	return a == b || strings.ToLower(a) == strings.ToLower(b)
}
