package translate

import (
	"strings"

	"github.com/tidwall/gjson"
)

// Change is one change written to Hector.
type Change struct {
	// Object is "user", "group" or "membership".
	Object string
	// Action is "create", "update", "adopt" (a write that takes over a
	// hand-made record, or a create that found the IdP's existing one),
	// "delete", "add" or "remove".
	Action string
	// ID is the Hector id of the user or group.
	ID string
	// Fields are the field changes of a create or an update, in field
	// order; Before is "" on create.
	Fields []FieldChange
	// Users are the Hector ids of the users the change touched: the user
	// of a user change, the members of a membership change. Empty for
	// group changes.
	Users []int64
	// UserNames are the usernames of Users, in the same order, when the
	// change knew them without another Hector call; nil otherwise.
	UserNames []string
}

// FieldChange is one Hector field before and after a change.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// FieldChanges lists the fields that differ between two Hector records
// over the given fields (role and status included). Each record is read
// once, whatever the number of fields.
func FieldChanges(before, after []byte, fields []string) []FieldChange {
	b, a := fieldValues(before, fields), fieldValues(after, fields)
	var out []FieldChange
	for i, f := range fields {
		if b[i] != a[i] {
			out = append(out, FieldChange{Field: f, Before: b[i], After: a[i]})
		}
	}
	return out
}

// fieldValues returns the values of fields (gjson paths) in rec as
// strings, as gjson.GetBytes(rec, f).String() would, from one pass over
// rec's top level.
func fieldValues(rec []byte, fields []string) []string {
	res := fieldResults(rec, fields)
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = r.String()
	}
	return out
}

// fieldResults returns what gjson.GetBytes(rec, f) returns for each of
// fields, from one pass over rec's top level.
func fieldResults(rec []byte, fields []string) []gjson.Result {
	out := make([]gjson.Result, len(fields))
	if len(rec) == 0 {
		return out
	}
	type path struct {
		key, rest string
		nested    bool
		done      bool
	}
	paths := make([]path, len(fields))
	for i, f := range fields {
		if strings.Contains(f, `\`) { // an escaped dot: leave it to gjson
			out[i], paths[i].done = gjson.GetBytes(rec, f), true
			continue
		}
		p := &paths[i]
		p.key, p.rest, p.nested = strings.Cut(f, ".")
	}
	gjson.ParseBytes(rec).ForEach(func(k, v gjson.Result) bool {
		for i := range paths {
			p := &paths[i]
			if p.done || p.key != k.Str {
				continue
			}
			val := v
			if p.nested {
				val = v.Get(p.rest)
			}
			out[i], p.done = val, true // the first of duplicate keys, as Get
		}
		return true
	})
	return out
}

// Changed is a field change, or an empty one when nothing changed.
func Changed(field, before, after string) FieldChange {
	if before == after {
		return FieldChange{}
	}
	return FieldChange{Field: field, Before: before, After: after}
}
