package translate

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// coerce normalises a client value for attribute a: JSON null and "" become
// nil (removal), string booleans ("True") become booleans, keys of complex
// values take their canonical names, a single element given for a
// multi-valued attribute becomes a one-element list, and a bare string given
// for a complex attribute becomes {"value": s} (Entra's manager). name is
// the attribute path, for the error.
func coerce(a *schema.Attribute, v any, name string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if a.MultiValued {
		return coerceMulti(a, v, name)
	}
	return coerceSingle(a, v, name)
}

func coerceMulti(a *schema.Attribute, v any, name string) (any, error) {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	out := make([]any, 0, len(list))
	for _, e := range list {
		c, err := coerceSingle(a, e, name)
		if err != nil {
			return nil, err
		}
		if c != nil {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func coerceSingle(a *schema.Attribute, v any, name string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if a.Type == schema.Complex {
		return coerceComplex(a, v, name)
	}
	return coerceSimple(a.Type, v, name)
}

func coerceComplex(a *schema.Attribute, v any, name string) (any, error) {
	switch t := v.(type) {
	case string:
		if t == "" {
			return nil, nil
		}
		if a.Sub("value") != nil {
			return map[string]any{"value": t}, nil
		}
	case []any:
		if len(t) == 0 {
			return nil, nil
		}
		if _, nested := t[0].([]any); !nested {
			return coerceComplex(a, t[0], name)
		}
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, sv := range t {
			sub := a.Sub(k)
			if sub == nil {
				continue // unknown sub-attributes of a complex value are ignored
			}
			c, err := coerce(sub, sv, name+"."+sub.Name)
			if err != nil {
				return nil, err
			}
			if c != nil {
				out[sub.Name] = c
			}
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	}
	return nil, BadRequest(InvalidValue, "%s must be a complex value", name)
}

func coerceSimple(t schema.Type, v any, name string) (any, error) {
	switch t {
	case schema.Boolean:
		return coerceBool(v, name)
	case schema.Integer, schema.Decimal:
		if n, ok := v.(json.Number); ok {
			return n, nil
		}
		return nil, BadRequest(InvalidValue, "%s must be a number", name)
	}
	if s, ok := v.(string); ok {
		if s == "" {
			return nil, nil
		}
		return s, nil
	}
	return nil, BadRequest(InvalidValue, "%s must be a string", name)
}

func coerceBool(v any, name string) (any, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(b)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return nil, BadRequest(InvalidValue, "%s must be a boolean", name)
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
	return v, nil
}

// maxFastDepth bounds the nesting the gjson path builds: each level
// rescans its own text, so the cost grows with depth times size. SCIM
// bodies nest a few levels; deeper ones go through encoding/json, which
// has its own limit (10,000) and error.
const maxFastDepth = 32

// jsonValue builds the value encoding/json would decode r into: objects as
// map[string]any (the last of duplicate keys wins), arrays as []any,
// numbers as json.Number. ok is false when r nests deeper than
// maxFastDepth, or holds a string escape whose decoding is left to
// encoding/json (a \u escape of a surrogate).
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
		if surrogateEscape(k.Raw) {
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
