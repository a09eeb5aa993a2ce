package translate

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// parseMemberPatch is ParsePatch's fast path for the body clients send to
// change a group's members, read once with gjson and without building a
// map per member:
//
//	{"schemas": [...], "Operations": [{"op": "Add", "path": "members",
//	  "value": [{"$ref": null, "value": "<id>"}, ...]}, ...]}
//
// Only that shape qualifies: exactly those keys, in that case, none twice;
// ops add, replace or remove; the path "members"; values that are lists of
// plain members (see plainMemberIDs) whose ids Hector could have issued. The
// operations it returns carry their member ids instead of a Value. ok is
// false for any other body, which takes the general path; for a body that
// qualifies, both paths give the same group change (FuzzMemberPatchAgrees).
func parseMemberPatch(body []byte, rt *schema.ResourceType) (ops []Operation, ok bool) {
	if rt != schema.Group || !utf8.Valid(body) || !gjson.ValidBytes(body) {
		return nil, false
	}
	msg := gjson.ParseBytes(body)
	if !msg.IsObject() {
		return nil, false
	}
	var list gjson.Result
	ok = eachKeyOnce(msg, func(k string, v gjson.Result) bool {
		switch k {
		case "schemas":
			return v.IsArray()
		case "Operations":
			list = v
			return v.IsArray()
		}
		return false
	})
	if !ok || !list.Exists() {
		return nil, false
	}
	path, err := filter.ParsePath("members", rt)
	if err != nil {
		return nil, false
	}
	n := 0
	list.ForEach(func(_, item gjson.Result) bool {
		n++
		var o Operation
		if o, ok = memberOperation(item, path); ok {
			ops = append(ops, o)
		}
		return ok && n <= MaxOperations
	})
	if !ok || n == 0 || n > MaxOperations {
		return nil, false
	}
	return ops, true
}

// memberOperation reads one operation of parseMemberPatch's shape.
func memberOperation(item gjson.Result, path filter.Path) (Operation, bool) {
	o := Operation{Path: path}
	var value gjson.Result
	hasPath := false
	ok := item.IsObject() && eachKeyOnce(item, func(k string, v gjson.Result) bool {
		switch k {
		case "op":
			o.Op = strings.ToLower(v.Str)
			return v.Type == gjson.String
		case "path":
			hasPath = true
			return v.Type == gjson.String && v.Raw == `"members"`
		case "value":
			value, o.HasValue = v, true
			return true
		}
		return false
	})
	if !ok || !hasPath {
		return o, false
	}
	switch o.Op {
	case "add", "replace":
		if !o.HasValue {
			return o, false
		}
	case "remove":
		if !o.HasValue {
			return o, true // remove every member
		}
	default:
		return o, false
	}
	o.ids, ok = plainMemberIDs(value)
	return o, ok
}

// plainMemberIDs reads a non-empty list of plain members: objects with a
// non-empty string "value" that is a user id, and nothing beside it but
// "display", "type" or "$ref", each a string or null (coerce drops a
// null, and parseMemberIDs reads only "value"). The ids come once each, in
// order, as parseMemberIDs gives them.
func plainMemberIDs(list gjson.Result) ([]int64, bool) {
	if !list.IsArray() {
		return nil, false
	}
	var ids []int64
	seen := map[int64]bool{}
	ok := true
	list.ForEach(func(_, e gjson.Result) bool {
		var id int64
		ok = e.IsObject() && eachKeyOnce(e, func(k string, v gjson.Result) bool {
			if v.Type == gjson.Null && k != "value" {
				return k == "display" || k == "type" || k == "$ref"
			}
			if v.Type != gjson.String || surrogateEscape(v.Raw) {
				return false
			}
			switch k {
			case "value":
				n, err := strconv.ParseInt(v.Str, 10, 64)
				id = n
				return err == nil && n > 0
			case "display", "type", "$ref":
				return true
			}
			return false
		})
		if ok = ok && id > 0; ok && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
		return ok
	})
	return ids, ok && len(ids) > 0
}

// eachKeyOnce calls fn for each key of obj and reports whether every call
// returned true and no key came twice. Keys with escapes that encoding/json
// decodes by its own rules make it report false.
func eachKeyOnce(obj gjson.Result, fn func(k string, v gjson.Result) bool) bool {
	var buf [4]string // members and operations have at most four keys
	seen := buf[:0]
	ok := true
	obj.ForEach(func(k, v gjson.Result) bool {
		for _, s := range seen {
			if s == k.Str {
				ok = false
				return false
			}
		}
		seen = append(seen, k.Str)
		ok = !surrogateEscape(k.Raw) && fn(k.Str, v)
		return ok
	})
	return ok
}
