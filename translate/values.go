package translate

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// lookupOnce finds key in m case-insensitively; two keys that differ only
// in case make the message ambiguous (400 invalidSyntax), since SCIM
// names are case-insensitive (RFC 7643 §2.1).
func lookupOnce(m map[string]any, key string) (any, bool, error) {
	var v any
	found := ""
	for k, e := range m {
		if !strings.EqualFold(k, key) {
			continue
		}
		if found != "" {
			return nil, false, BadRequest(InvalidSyntax, "%q and %q name the same member", clip(found), clip(k))
		}
		found, v = k, e
	}
	return v, found != "", nil
}

// clip shortens a client string for an error detail.
func clip(s string) string { return Clip(s, 64) }

// Clip shortens a client-chosen string to at most limit bytes (plus "…"),
// on a rune boundary, for an error detail or a log line.
func Clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	i := limit
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// lookupKey finds key in m case-insensitively.
func lookupKey(m map[string]any, key string) (string, any, bool) {
	if v, ok := m[key]; ok {
		return key, v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return k, v, true
		}
	}
	return "", nil, false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// decodeJSON decodes a request body into a generic value, keeping numbers
// exact (json.Number), exactly as encoding/json with UseNumber would: a
// body gjson finds valid is built from gjson's parse, which is several
// times faster for the member lists of a group PATCH; anything else
// (invalid, or nested deeper than maxFastDepth) goes through
// encoding/json for its verdict and message. FuzzDecodeJSONAgrees holds
// the two to the same results.
func decodeJSON(body []byte) (any, error) {
	if !utf8.Valid(body) {
		return nil, BadRequest(InvalidSyntax, "the body is not valid UTF-8")
	}
	if gjson.ValidBytes(body) {
		if v, ok := jsonValue(gjson.ParseBytes(body), 0); ok {
			return v, nil
		}
	}
	return decodeJSONStd(body)
}

// decodeJSONStd is decodeJSON through encoding/json.
func decodeJSONStd(body []byte) (any, error) {
	if !utf8.Valid(body) {
		return nil, BadRequest(InvalidSyntax, "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, BadRequest(InvalidSyntax, "the body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, BadRequest(InvalidSyntax, "the body holds more than one JSON value")
	}
	if k, dup := duplicateKey(body); dup {
		return nil, duplicateErr(k)
	}
	return v, nil
}

func duplicateErr(k string) error {
	return BadRequest(InvalidSyntax, "an object of the body names %q twice", clip(k))
}

// duplicateKey walks the tokens of one valid JSON value and reports the
// first member name that an object holds twice. encoding/json keeps the
// last of them silently; a SCIM body that names an attribute twice is
// refused instead (RFC 8259 §4 leaves its meaning open).
func duplicateKey(body []byte) (string, bool) {
	type object struct {
		names   map[string]bool
		wantKey bool // the next string is a member name
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []*object // nil entries are arrays
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *object
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if s, ok := tok.(string); ok && top != nil && top.wantKey {
			if top.names[s] {
				return s, true
			}
			top.names[s], top.wantKey = true, false
			continue
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if top != nil {
			top.wantKey = true // a member's value starts: a name comes next
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &object{names: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			stack = append(stack, nil)
		}
	}
}

// maxFastDepth bounds the nesting the gjson path builds: each level
// rescans its own text, so the cost grows with depth times size. SCIM
// bodies nest a few levels; deeper ones go through encoding/json, which
// has its own limit (10,000) and error.
const maxFastDepth = 32

// jsonValue builds the value encoding/json would decode r into: objects as
// map[string]any, arrays as []any, numbers as json.Number. ok is false
// when r nests deeper than maxFastDepth, holds a string escape whose
// decoding is left to encoding/json (a \u escape of a surrogate), or an
// object that names a member twice (decodeJSONStd refuses it, naming it).
func jsonValue(r gjson.Result, depth int) (v any, ok bool) {
	switch r.Type {
	case gjson.Null:
		return nil, true
	case gjson.False:
		return false, true
	case gjson.True:
		return true, true
	case gjson.Number:
		return json.Number(r.Raw), true
	case gjson.String:
		return r.Str, !surrogateEscape(r.Raw)
	}
	if depth >= maxFastDepth {
		return nil, false
	}
	ok = true
	if r.IsArray() {
		list := []any{}
		r.ForEach(func(_, e gjson.Result) bool {
			var x any
			x, ok = jsonValue(e, depth+1)
			list = append(list, x)
			return ok
		})
		return list, ok
	}
	obj := map[string]any{}
	r.ForEach(func(k, e gjson.Result) bool {
		if _, dup := obj[k.Str]; dup || surrogateEscape(k.Raw) {
			ok = false
			return false
		}
		var x any
		x, ok = jsonValue(e, depth+1)
		obj[k.Str] = x
		return ok
	})
	return obj, ok
}

// surrogateEscape reports whether a raw JSON string holds a \u escape in
// the surrogate range, which encoding/json decodes by its own rules (pairs
// joined, lone halves replaced by U+FFFD).
func surrogateEscape(raw string) bool {
	for i := strings.Index(raw, `\u`); i >= 0 && i+6 <= len(raw); {
		if c := raw[i+2] | 0x20; c == 'd' && raw[i+3] >= '8' {
			return true
		}
		j := strings.Index(raw[i+2:], `\u`)
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return false
}

func decodeObject(body []byte) (map[string]any, error) {
	v, err := decodeJSON(body)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, BadRequest(InvalidSyntax, "the body must be a JSON object")
	}
	return m, nil
}

func marshalScalar(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
