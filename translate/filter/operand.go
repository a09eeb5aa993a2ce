package filter

import (
	"cmp"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// operand is a comparison value typed for the attribute it is compared
// with.
type operand struct {
	typ       schema.Type
	caseExact bool
	text      string // as written; a JSON number for integer and decimal
	fold      string // text in lower case, unless caseExact
	b         bool
	n         float64
	t         time.Time
	isTime    bool // t is set: the comparison is chronological
}

// newOperand types a literal for the attribute c compares, with c's
// operator. Error messages name the attribute as c.path spells it.
func newOperand(c *compare, lit literal) (operand, error) {
	typ, caseExact, op := c.ref.Type(), c.ref.CaseExact(), c.op
	o := operand{typ: typ, caseExact: caseExact, text: lit.text}
	switch typ {
	case schema.Boolean:
		if op != "eq" && op != "ne" {
			return o, fail("%q is boolean: only eq, ne and pr apply to it, not %s", c.path(), op)
		}
		if !strings.EqualFold(lit.text, "true") && !strings.EqualFold(lit.text, "false") {
			return o, fail("%q is boolean: compare it with true or false, not %s", c.path(), quote(lit.text))
		}
		o.b = strings.EqualFold(lit.text, "true")
		o.text = strconv.FormatBool(o.b)
	case schema.Integer, schema.Decimal:
		f, err := strconv.ParseFloat(lit.text, 64)
		if err != nil || !isNumber(lit.text) {
			return o, fail("%q is a number: %s is not one", c.path(), quote(lit.text))
		}
		o.n = f
	case schema.DateTime:
		if op == "co" || op == "sw" || op == "ew" {
			break
		}
		t, err := time.Parse(time.RFC3339Nano, lit.text)
		if err != nil {
			return o, fail("%q is a dateTime: %s is not an RFC 3339 date-time such as \"2011-05-13T04:42:34Z\"", c.path(), quote(lit.text))
		}
		o.t, o.isTime = t, true
	case schema.Binary:
		if ordering(op) {
			return o, fail("%q is binary: %s does not apply to it", c.path(), op)
		}
	}
	if !caseExact {
		o.fold = strings.ToLower(o.text)
	}
	return o, nil
}

// literal is the operand in canonical filter syntax.
func (o *operand) literal() string {
	switch o.typ {
	case schema.Boolean, schema.Integer, schema.Decimal:
		return o.text
	}
	return quote(o.text)
}

// value is the operand as a Term value: bool, float64 or string.
func (o *operand) value() any {
	switch o.typ {
	case schema.Boolean:
		return o.b
	case schema.Integer, schema.Decimal:
		return o.n
	}
	return o.text
}

// isEmptyString reports whether the operand is the empty string, which an
// absent value equals.
func (o *operand) isEmptyString() bool {
	switch o.typ {
	case schema.Boolean, schema.Integer, schema.Decimal:
		return false
	}
	return !o.isTime && o.text == ""
}

// test reports whether the attribute value v satisfies "v op operand";
// op is never ne (the negation of eq) nor pr.
func (o *operand) test(op string, v any) bool {
	switch {
	case o.typ == schema.Boolean:
		b, ok := asBool(v)
		return ok && b == o.b
	case (o.typ == schema.Integer || o.typ == schema.Decimal) && (op == "eq" || ordering(op)):
		f, ok := asFloat(v)
		return ok && order(op, cmp.Compare(f, o.n))
	case o.isTime:
		t, ok := asTime(v)
		return ok && order(op, t.Compare(o.t))
	}
	s, ok := asString(v)
	if !ok {
		return false
	}
	want := o.text
	if !o.caseExact {
		s, want = strings.ToLower(s), o.fold
	}
	switch op {
	case "co":
		return strings.Contains(s, want)
	case "sw":
		return strings.HasPrefix(s, want)
	case "ew":
		return strings.HasSuffix(s, want)
	}
	return order(op, strings.Compare(s, want))
}

func asBool(v any) (bool, bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		switch {
		case strings.EqualFold(v, "true"):
			return true, true
		case strings.EqualFold(v, "false"):
			return false, true
		}
	}
	return false, false
}

func asFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil && isNumber(v)
	}
	return 0, false
}

func asTime(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

func asString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return string(v), true
	case bool:
		return strconv.FormatBool(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}
