package translate

import (
	"strings"

	"github.com/hector-scim/hector-scim/translate/filter"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// Operation is one normalised PATCH operation (RFC 7644 §3.5.2): op is
// lowercase, every operation has a path (a no-path add or replace is
// expanded into one operation per key of its value), and Value is the raw
// client value.
type Operation struct {
	Op    string // "add", "replace" or "remove"
	Path  filter.Path
	Value any
	// HasValue records whether the client sent a "value" (a remove with a
	// value array removes only the listed values).
	HasValue bool
	// ids are the member ids of an operation parseMemberPatch read; its
	// Value is then nil.
	ids []int64
}

// MaxOperations bounds the operations of one PATCH request.
const MaxOperations = 1000

// ParsePatch decodes a PatchOp body for a resource type and normalises it
// as Entra and Okta send it: capitalised ops, no-path values whose keys are
// dotted, filtered or URN-qualified paths, nested extension objects, and
// read-only keys (id, meta, schemas) inside no-path values, which are
// ignored.
func ParsePatch(body []byte, rt *schema.ResourceType) ([]Operation, error) {
	if ops, ok := parseMemberPatch(body, rt); ok {
		return ops, nil
	}
	return parsePatchGeneral(body, rt)
}

// parsePatchGeneral is ParsePatch for any body.
func parsePatchGeneral(body []byte, rt *schema.ResourceType) ([]Operation, error) {
	msg, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	raw, _, err := lookupOnce(msg, "Operations")
	if err != nil {
		return nil, err
	}
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		return nil, BadRequest(InvalidSyntax, "a PATCH body needs a non-empty \"Operations\" array")
	}
	if len(list) > MaxOperations {
		return nil, BadRequest(InvalidSyntax, "a PATCH body may hold at most %d operations", MaxOperations)
	}
	var ops []Operation
	for i, item := range list {
		o, ok := item.(map[string]any)
		if !ok {
			return nil, BadRequest(InvalidSyntax, "operation %d is not an object", i+1)
		}
		parsed, err := parseOperation(o, rt)
		if err != nil {
			return nil, err
		}
		ops = append(ops, parsed...)
	}
	return ops, nil
}

func parseOperation(o map[string]any, rt *schema.ResourceType) ([]Operation, error) {
	rawOp, _, err := lookupOnce(o, "op")
	if err != nil {
		return nil, err
	}
	opName, _ := rawOp.(string)
	op := strings.ToLower(opName)
	if op != "add" && op != "replace" && op != "remove" {
		return nil, BadRequest(InvalidSyntax, "unknown PATCH op %q: want add, replace or remove", opName)
	}
	rawPath, hasPath, err := lookupOnce(o, "path")
	if err != nil {
		return nil, err
	}
	value, hasValue, err := lookupOnce(o, "value")
	if err != nil {
		return nil, err
	}
	if op != "remove" && !hasValue {
		return nil, BadRequest(InvalidSyntax, "an %s operation needs a value (null clears)", op)
	}
	path, _ := rawPath.(string)
	if hasPath && rawPath != nil {
		if _, ok := rawPath.(string); !ok {
			return nil, BadRequest(InvalidPath, "\"path\" must be a string")
		}
	}
	if path == "" {
		if op == "remove" {
			return nil, BadRequest(NoTarget, "a remove operation needs a path")
		}
		obj, ok := value.(map[string]any)
		if !ok {
			return nil, BadRequest(InvalidValue, "an %s operation without a path needs an object value", op)
		}
		return expandValue(op, "", obj, rt)
	}
	p, err := filter.ParsePath(path, rt)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Ignored:
	case p.Ref.Attr == nil:
		return nil, BadRequest(InvalidPath, "the path %q names a schema, not an attribute (RFC 7644 §3.5.2)", clip(path))
	case op == "remove" && p.Ref.Attr.Required && p.Ref.Sub == nil && p.Filter == nil:
		return nil, BadRequest(Mutability, "%s is required and cannot be removed", p.String())
	}
	return []Operation{{Op: op, Path: p, Value: value, HasValue: hasValue}}, nil
}

// expandValue turns the value object of a no-path operation into one
// operation per key, each key read as a path under prefix.
func expandValue(op, prefix string, obj map[string]any, rt *schema.ResourceType) ([]Operation, error) {
	var ops []Operation
	for _, k := range sortedKeys(obj) {
		v := obj[k]
		if prefix == "" && isMessageKey(k) {
			continue
		}
		if uri, rest, ok := rt.SplitURN(k); ok && rest == "" {
			sub, ok := v.(map[string]any)
			if !ok {
				return nil, BadRequest(InvalidValue, "%s must be an object", k)
			}
			more, err := expandValue(op, uri+":", sub, rt)
			if err != nil {
				return nil, err
			}
			ops = append(ops, more...)
			continue
		}
		p, err := filter.ParsePath(prefix+k, rt)
		if err != nil {
			return nil, err
		}
		if !p.Ignored && p.Ref.Attr != nil && p.Ref.Attr.Mutability == schema.ReadOnly {
			continue // read-only attributes in a value object are ignored (Okta sends id)
		}
		ops = append(ops, Operation{Op: op, Path: p, Value: v, HasValue: true})
	}
	return ops, nil
}

func isMessageKey(k string) bool {
	return strings.EqualFold(k, "schemas") || strings.EqualFold(k, "id") || strings.EqualFold(k, "meta")
}

// applyOps applies operations to a document, skipping those on attributes
// that keep reports false for (accepted and ignored).
func applyOps(doc map[string]any, ops []Operation, keep func(schema.Ref) bool) error {
	for _, o := range ops {
		if o.Path.Ignored {
			continue
		}
		if o.Path.Ref.Attr.Mutability == schema.ReadOnly {
			return BadRequest(Mutability, "%s is read-only", o.Path.String())
		}
		if !keep(o.Path.Ref) {
			if err := checkValue(o); err != nil {
				return err
			}
			continue
		}
		if err := applyOp(doc, o); err != nil {
			return err
		}
	}
	return nil
}

// checkValue checks the type of the value of an operation that is not
// applied (its attribute is not stored), so that it is refused as an
// applied one would be.
func checkValue(o Operation) error {
	if o.Op == "remove" {
		return nil
	}
	target, name := targetAttr(o.Path)
	_, err := coerceTarget(coercion{}, o.Path, target, o.Value, name)
	return err
}

// applyOp applies an operation on a stored attribute, whose value must
// have the schema's shape.
func applyOp(doc map[string]any, o Operation) error {
	c := coercion{strict: true}
	target, name := targetAttr(o.Path)
	if o.Op == "remove" {
		if o.HasValue && o.Path.Filter == nil && o.Path.Ref.Sub == nil && target.MultiValued {
			v, err := c.value(target, o.Value, name)
			if err != nil {
				return err
			}
			removeValues(doc, o.Path, asList(v))
			return nil
		}
		removePath(doc, o.Path)
		return nil
	}
	v, err := coerceTarget(c, o.Path, target, o.Value, name)
	if err != nil {
		return err
	}
	if v == nil {
		removePath(doc, o.Path)
		return nil
	}
	if o.Path.Filter == nil && o.Path.Ref.Sub == nil {
		return setWhole(doc, o, target, v)
	}
	return setPath(doc, o.Path, v)
}

// targetAttr is the attribute an operation's value is for.
func targetAttr(p filter.Path) (*schema.Attribute, string) {
	switch {
	case p.Sub != nil:
		return p.Sub, p.String()
	case p.Ref.Sub != nil:
		return p.Ref.Sub, p.String()
	}
	return p.Ref.Attr, p.String()
}

// coerceTarget coerces a value; under a value filter without a
// sub-attribute the value is one element of the multi-valued attribute.
func coerceTarget(c coercion, p filter.Path, target *schema.Attribute, v any, name string) (any, error) {
	if p.Filter != nil && p.Sub == nil {
		return c.single(target, v, name)
	}
	if p.Ref.Sub != nil && p.Ref.Attr.MultiValued {
		return c.single(target, v, name)
	}
	return c.value(target, v, name)
}

// setWhole applies add or replace to a whole attribute: complex values
// merge their sub-attributes, add on a multi-valued attribute appends
// (replacing an element of the same type), replace sets.
func setWhole(doc map[string]any, o Operation, a *schema.Attribute, v any) error {
	c := container(doc, o.Path.Ref, true)
	switch {
	case a.MultiValued && o.Op == "add":
		c[a.Name] = appendValues(asList(c[a.Name]), asList(v))
	case !a.MultiValued && a.Type == schema.Complex:
		old, _ := c[a.Name].(map[string]any)
		if old == nil {
			old = map[string]any{}
		}
		for k, sv := range v.(map[string]any) {
			old[k] = sv
		}
		c[a.Name] = old
	default:
		c[a.Name] = v
	}
	return nil
}

// appendValues adds elements to a list: an element with the same "type"
// as an existing one replaces it (types stay unique), an equal "value" is
// not added twice.
func appendValues(list, add []any) []any {
	for _, e := range add {
		m, _ := e.(map[string]any)
		replaced := false
		for i, old := range list {
			om, _ := old.(map[string]any)
			if om == nil || m == nil {
				continue
			}
			if (m["type"] != nil && om["type"] == m["type"]) || (m["type"] == nil && om["value"] == m["value"]) {
				list[i], replaced = m, true
				break
			}
		}
		if !replaced {
			list = append(list, e)
		}
	}
	return list
}
