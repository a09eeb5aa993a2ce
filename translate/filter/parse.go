package filter

import (
	"strings"
	"unicode/utf8"
)

// The one grammar of this package: filters (RFC 7644 §3.4.2.2) and PATCH
// paths (§3.5.2), read by recursive descent over the scanner's tokens
// into a syntax tree of what was written, which build.go then resolves
// against a schema:
//
//	filter    = and *("or" and)
//	and       = operand *("and" operand)
//	operand   = "(" filter ")" / "not" "(" filter ")"
//	          / attrPath "pr" / attrPath compareOp value
//	          / attrPath "[" filter "]" [ "." ATTRNAME compareOp value ]
//	value     = string / word
//	path      = attrPath [ "[" filter "]" [ "." ATTRNAME ] ]
//
// "and" binds tighter than "or", and both lean left; keywords and
// operators are read in any case; "not" is an attribute name when an
// operator or "[" follows it, as in the RFC. Beyond RFC 7644, as Entra and
// Okta send them: any whitespace between tokens, and none needed next to
// a quote, parenthesis or bracket; strings with every JSON escape; a
// value filter that is a whole filter (only "[" cannot nest); a bare word
// as a value (build.go reads true, false, null and numbers as such where
// the attribute's type asks for them, anything else as a string); and
// Entra's emails[type eq "work"].value eq "x", read as
// emails[type eq "work" and value eq "x"]. FuzzParseAgreesWithOracle
// holds this to github.com/scim2/filter-parser on every RFC filter and
// path, and checks that it accepts nothing else but these extensions.
//
// Errors are reported in this order: a limit (length, UTF-8), the first
// bad string anywhere, the first misplaced token, what the RFC's rule for
// attribute paths rejects (attrpath.go), and what only the schema can
// tell (build.go).

// parser reads one filter or path.
type parser struct {
	s      string
	tok    token // the current token
	next   int   // offset just after tok
	tree   exprs
	end    kind // what ends the filter being read: kEnd, or kRBrack in a value filter
	depth  int  // open parentheses
	base   int  // depth at the start of the filter being read
	peak   int  // deepest depth in the value filter being read
	open   int  // offset of the "[" of the value filter being read, or -1
	region int  // offset where the text being read starts as a filter of its own: -1 outside value filters, else a "[" or Entra's suffix
	rej    rejects
}

// start readies p for s, a filter or a path (what), at its first token.
func (p *parser) start(s, what string) error {
	if err := checkInput(s, what); err != nil {
		return err
	}
	if !utf8.ValidString(s) {
		return fail("not valid UTF-8")
	}
	p.s, p.end, p.open, p.region, p.rej.inner = s, kEnd, -1, -1, -1
	return p.advance()
}

// checkInput applies the limits every filter and path shares. Only a
// string that starts with a space (ASCII or not) can be blank.
func checkInput(s, what string) error {
	switch {
	case s == "" || (s[0] <= ' ' || s[0] >= utf8.RuneSelf) && strings.TrimSpace(s) == "":
		return fail("empty %s", what)
	case len(s) > MaxLength:
		return fail("%s is %d bytes long; the limit is %d", what, len(s), MaxLength)
	}
	return nil
}

func (p *parser) advance() (err error) {
	p.tok, p.next, err = nextToken(p.s, p.next)
	return err
}

// errorf reports a misplaced token, unless the input has a bad string
// further on, or the value filter being read has no "]" or a "[" inside:
// those come first.
func (p *parser) errorf(format string, args ...any) error {
	if err := lexError(p.s, p.next); err != nil {
		return err
	}
	if err := p.bracketError(); err != nil {
		return err
	}
	return fail(format, args...)
}

// bracketError is what is wrong with the value filter being read as a
// whole: a "[" before its "]", or no "]".
func (p *parser) bracketError() error {
	if p.open < 0 {
		return nil
	}
	for i := p.open + 1; ; {
		t, j, _ := nextToken(p.s, i)
		switch t.kind {
		case kRBrack:
			return nil
		case kLBrack:
			return fail("value filters cannot be nested (position %d)", t.pos+1)
		case kEnd:
			return fail(`missing "]" for the "[" at position %d`, p.open+1)
		}
		i = j
	}
}

// filter reads a whole filter and returns the root of its tree.
func (p *parser) filter(s string) (int32, error) {
	if err := p.start(s, "filter"); err != nil {
		return 0, err
	}
	x, err := p.or()
	if err == nil {
		err = p.atEnd()
	}
	if err == nil && p.rej.outer {
		err = p.rej.err("RFC 7644 §3.4.2.2")
	}
	return x, err
}

// atEnd checks that the filter just read is followed by what ends it.
func (p *parser) atEnd() error {
	switch t := p.tok; {
	case t.kind == p.end:
		return nil
	case t.kind == kRParen:
		return p.errorf(`unbalanced ")" at position %d`, t.pos+1)
	default:
		return p.errorf(`expected "and", "or" or ")" at position %d, found %s`, t.pos+1, describe(t))
	}
}

// or reads: and *("or" and).
func (p *parser) or() (int32, error) {
	x, err := p.and()
	for err == nil && isWord(p.tok, "or") {
		if err = p.advance(); err != nil {
			break
		}
		var y int32
		if y, err = p.and(); err == nil {
			x = p.tree.add(expr{kind: exOr, x: x, y: y})
		}
	}
	return x, err
}

// and reads: operand *("and" operand).
func (p *parser) and() (int32, error) {
	x, err := p.operand()
	for err == nil && isWord(p.tok, "and") {
		if err = p.advance(); err != nil {
			break
		}
		var y int32
		if y, err = p.operand(); err == nil {
			x = p.tree.add(expr{kind: exAnd, x: x, y: y})
		}
	}
	return x, err
}

// operand reads a parenthesised filter, a negation or a term. "not" not
// followed by "(" is an attribute name, as the RFC's grammar has it, when
// an operator or "[" follows.
func (p *parser) operand() (int32, error) {
	switch t := p.tok; {
	case t.kind == kLParen:
		return p.group()
	case isWord(t, "not"):
		next, _, err := nextToken(p.s, p.next)
		if err != nil {
			return 0, err
		}
		if next.kind == kLParen {
			if err := p.advance(); err != nil {
				return 0, err
			}
			x, err := p.group()
			if err != nil {
				return 0, err
			}
			return p.tree.add(expr{kind: exNot, x: x}), nil
		}
		if op, _ := opIndex(next); op == noOp && next.kind != kLBrack {
			return 0, p.errorf(`"not" at position %d must be followed by "("`, t.pos+1)
		}
	case t.kind != kWord:
		return 0, p.errorf("expected an attribute name at position %d, found %s", t.pos+1, describe(t))
	}
	return p.term()
}

// group reads "(" filter ")".
func (p *parser) group() (int32, error) {
	if p.depth++; p.depth > MaxDepth {
		return 0, p.errorf("parentheses nest deeper than %d levels", MaxDepth)
	}
	p.peak = max(p.peak, p.depth)
	if err := p.advance(); err != nil {
		return 0, err
	}
	x, err := p.or()
	switch t := p.tok; {
	case err != nil:
		return 0, err
	case t.kind == p.end:
		return 0, p.errorf(`missing ")": %d parenthesis left open`, p.depth-p.base)
	case t.kind != kRParen:
		return 0, p.errorf(`expected "and", "or" or ")" at position %d, found %s`, t.pos+1, describe(t))
	}
	p.depth--
	return x, p.advance()
}

// term reads a comparison or a value path, at its attribute path.
func (p *parser) term() (int32, error) {
	attr := p.tok
	plain := p.attrPath(attr)
	if err := p.advance(); err != nil {
		return 0, err
	}
	t := p.tok
	if op, grammar := opIndex(t); op != noOp {
		return p.compare(attr, plain, op, grammar, false)
	}
	switch {
	case t.kind == kLBrack && p.open < 0:
		return p.valuePath(attr, plain)
	case t.kind == kLBrack:
		return 0, p.errorf("value filters cannot be nested (position %d)", t.pos+1)
	case t.kind == kWord:
		return 0, p.errorf("unknown operator %q after %q at position %d; use eq, ne, co, sw, ew, gt, ge, lt, le or pr", t.text, attr.text, t.pos+1)
	case t.kind == p.end:
		return 0, p.errorf("missing operator after %q", attr.text)
	}
	return 0, p.errorf("expected an operator after %q at position %d, found %s", attr.text, t.pos+1, describe(t))
}

// compare reads the rest of a comparison on attr from its operator, op
// (grammar as opIndex has it). In Entra's suffix (short), whatever is not
// a value ends it.
func (p *parser) compare(attr token, plain bool, op int, grammar, short bool) (int32, error) {
	if !grammar {
		p.rej.add(p.region)
	}
	spelt := p.tok
	if err := p.advance(); err != nil {
		return 0, err
	}
	e := expr{kind: exCompare, plain: plain, op: uint8(op), attr: attr.text, pos: int32(attr.pos)}
	if operators[op] != "pr" {
		switch v := p.tok; {
		case v.kind == kWord || v.kind == kString:
			e.val, e.quoted = v.text, v.kind == kString
		case v.kind == p.end || short:
			return 0, p.errorf("missing comparison value after %q", attr.text+" "+opSpelling(spelt))
		default:
			return 0, p.errorf("missing comparison value after %q at position %d", attr.text+" "+opSpelling(spelt), v.pos+1)
		}
		if err := p.advance(); err != nil {
			return 0, err
		}
	}
	return p.tree.add(e), nil
}

// valuePath reads attr[filter] from its "[", and Entra's ".sub op value"
// after it.
func (p *parser) valuePath(attr token, plain bool) (int32, error) {
	x, peak, err := p.bracket()
	if err != nil {
		return 0, err
	}
	e := expr{kind: exValuePath, plain: plain, attr: attr.text, pos: int32(attr.pos), x: x, y: -1}
	if t := p.tok; t.kind == kWord && t.text[0] == '.' {
		if e.y, err = p.suffix(peak); err != nil {
			return 0, err
		}
	}
	return p.tree.add(e), nil
}

// bracket reads "[" filter "]" and returns the filter with the deepest
// nesting of parentheses in it.
func (p *parser) bracket() (x int32, peak int, err error) {
	p.open, p.region, p.end, p.base, p.peak = p.tok.pos, p.tok.pos, kRBrack, p.depth, p.depth
	if err := p.advance(); err != nil {
		return 0, 0, err
	}
	if t := p.tok; t.kind == kRBrack {
		return 0, 0, p.errorf("empty value filter at position %d", t.pos+1)
	}
	if x, err = p.or(); err == nil {
		err = p.atEnd()
	}
	if err != nil {
		return 0, 0, err
	}
	p.open, p.region, p.end, p.base = -1, -1, kEnd, 0
	return x, p.peak, p.advance()
}

// suffix reads Entra's ".sub op value" after a value filter, which joins
// it as one more term: "and" binds it to the rest, which may then need
// one more level of parentheses.
func (p *parser) suffix(peak int) (int32, error) {
	t := p.tok
	if len(t.text) == 1 {
		return 0, p.errorf(`missing sub-attribute name after "]." at position %d`, t.pos+1)
	}
	if peak+1 > MaxDepth {
		return 0, p.errorf("parentheses nest deeper than %d levels", MaxDepth)
	}
	if err := p.advance(); err != nil {
		return 0, err
	}
	name := token{kind: kWord, text: t.text[1:], pos: t.pos + 1}
	op, grammar := opIndex(p.tok)
	switch {
	case op == noOp && isWord(name, "not"):
		return 0, p.errorf(`"not" at position %d must be followed by "("`, name.pos+1)
	case op == noOp:
		return 0, p.errorf("missing operator after %q", name.text)
	}
	p.region = t.pos
	x, err := p.compare(name, p.attrPath(name), op, grammar, true)
	p.region = -1
	return x, err
}
