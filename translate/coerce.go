package translate

import (
	"encoding/json"
	"strings"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// coercion reads client values for attributes. Every value is normalised:
// JSON null and "" become nil (removal), string booleans ("True") become
// booleans, keys of complex values take their canonical names.
//
// The shape of a value is checked as strictly as what is at stake asks:
// leniently for an attribute Hector does not store (a single element
// given for a multi-valued attribute becomes a one-element list, a bare
// string given for a complex attribute becomes {"value": s}, a list given
// for a single complex value yields its first element), and by the
// schema's shape for an attribute that feeds a Hector field (strict), so
// that emails sent as a string or an object are refused rather than
// silently dropped. A strict single-valued complex attribute with a
// "value" sub-attribute (Entra's manager, when a user_field maps it) still
// takes the bare string and the one-element list Entra sends.
type coercion struct {
	strict bool
	// unknown is told the path of each sub-attribute of a complex value
	// that belongs to no schema (ignored); nil ignores them silently.
	unknown func(name string)
}

// coerce reads a value leniently, for an attribute Hector does not store.
func coerce(a *schema.Attribute, v any, name string) (any, error) {
	return coercion{}.value(a, v, name)
}

// coerceStrict reads a value by the schema's shape, for a stored attribute.
func coerceStrict(a *schema.Attribute, v any, name string) (any, error) {
	return coercion{strict: true}.value(a, v, name)
}

// value reads v for attribute a; name is the attribute path, for errors.
func (c coercion) value(a *schema.Attribute, v any, name string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if a.MultiValued {
		return c.multi(a, v, name)
	}
	return c.single(a, v, name)
}

func (c coercion) multi(a *schema.Attribute, v any, name string) (any, error) {
	list, ok := v.([]any)
	if !ok {
		if c.strict {
			return nil, BadRequest(InvalidValue, "%s must be an array", name)
		}
		list = []any{v}
	}
	out := make([]any, 0, len(list))
	for _, e := range list {
		x, err := c.single(a, e, name)
		if err != nil {
			return nil, err
		}
		if x != nil {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// single reads one value of a: the attribute's value, or one element of
// a multi-valued attribute.
func (c coercion) single(a *schema.Attribute, v any, name string) (any, error) {
	if v == nil {
		return nil, nil
	}
	if a.Type == schema.Complex {
		return c.complex(a, v, name)
	}
	return coerceSimple(a, v, name)
}

func (c coercion) complex(a *schema.Attribute, v any, name string) (any, error) {
	// reference is a single complex value with a "value": Entra sends its
	// manager as a bare string or a one-element list.
	reference := !a.MultiValued && a.Sub("value") != nil
	switch t := v.(type) {
	case string:
		if t == "" {
			return nil, nil
		}
		if a.Sub("value") != nil && (!c.strict || reference) {
			return c.single(a, map[string]any{"value": t}, name)
		}
	case []any:
		if c.strict && !reference {
			break
		}
		if len(t) == 0 {
			return nil, nil
		}
		if _, nested := t[0].([]any); !nested {
			return c.complex(a, t[0], name)
		}
	case map[string]any:
		return c.object(a, t, name)
	}
	return nil, BadRequest(InvalidValue, "%s must be a complex value (an object)", name)
}

// object reads a complex value; unknown sub-attributes are ignored.
func (c coercion) object(a *schema.Attribute, obj map[string]any, name string) (any, error) {
	out := make(map[string]any, len(obj))
	for k, sv := range obj {
		sub := a.Sub(k)
		if sub == nil {
			if c.unknown != nil {
				c.unknown(name + "." + k)
			}
			continue
		}
		x, err := c.value(sub, sv, name+"."+sub.Name)
		if err != nil {
			return nil, err
		}
		if x != nil {
			if _, twice := out[sub.Name]; twice {
				return nil, givenTwice(name + "." + sub.Name)
			}
			out[sub.Name] = x
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// givenTwice is the error for an attribute a body gives twice (in two
// spellings, or unqualified and in its extension object).
func givenTwice(name string) error {
	return BadRequest(InvalidSyntax, "%s is given twice", clip(name))
}

func coerceSimple(a *schema.Attribute, v any, name string) (any, error) {
	switch a.Type {
	case schema.Boolean:
		return coerceBool(v, name)
	case schema.Integer, schema.Decimal:
		if n, ok := v.(json.Number); ok {
			return n, nil
		}
		return nil, BadRequest(InvalidValue, "%s must be a number", name)
	}
	s, ok := v.(string)
	switch {
	case !ok:
		return nil, BadRequest(InvalidValue, "%s must be a string", name)
	case s == "":
		return nil, nil
	case plainText[a]:
		if err := CheckPlainText(name, s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// plainText are the attributes that name an account or a group, which
// may hold no control character: Hector, audit lines and the admins who
// read them compare and display these values.
var plainText = map[*schema.Attribute]bool{
	schema.User.Core.Attr("userName"):            true,
	schema.User.Core.Attr("displayName"):         true,
	schema.User.Core.Attr("emails").Sub("value"): true,
	schema.Common.Attr("externalId"):             true,
	schema.Group.Core.Attr("displayName"):        true,
}

// CheckPlainText refuses a value of attribute name that holds a control
// character (U+0000–U+001F, U+007F): 400 invalidValue.
func CheckPlainText(name, s string) error {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return BadRequest(InvalidValue, "%s must not hold control characters", name)
		}
	}
	return nil
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
