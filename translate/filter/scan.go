package filter

import (
	"strconv"
	"strings"
)

// The scanner walks the tokens of a filter once, before the grammar sees
// it. It replaces every comparison value by a placeholder ("0", "1", …)
// and every value filter by a marker (vf eq "0"), so the grammar parses
// only structure: values are decoded here with the JSON rules, bare values
// are accepted, and value filters (which the grammar limits to two terms)
// are parsed on their own as full filters. On the way it reports the
// mistakes people make with a message that says where.

// marker is the attribute name of the placeholder that stands for a value
// filter in the text handed to the grammar.
const marker = "vf"

// lexed holds what the scanner took out of the text it hands to the
// grammar.
type lexed struct {
	lits  []literal
	vfs   []vfText
	paths []token // attribute paths, to diagnose a grammar error
}

// literal is a comparison value as written.
type literal struct {
	quoted bool
	text   string // decoded string, or the bare token
}

// isNull reports whether the literal is the bare keyword null.
func (l literal) isNull() bool { return !l.quoted && strings.EqualFold(l.text, "null") }

// vfText is a value filter, rewritten for the grammar.
type vfText struct {
	filter string // the filter inside [ ]
	suffix string // Entra's "].sub op value", as "sub op value", or ""
}

// state is what the scanner expects next.
type state uint8

const (
	sOperand    state = iota // attribute path, "not" or "("
	sOperator                // comparison operator or "["
	sValue                   // comparison value
	sConnective              // "and", "or", ")" or the end
)

// scanner rewrites one token stream: a whole filter, or the filter inside
// one pair of brackets.
type scanner struct {
	lx    *lexed
	toks  []token
	i     int
	inner bool            // inside [ ]: "]" ends the scan
	depth int             // open parentheses, counting those around a value filter
	base  int             // depth at the start of the scan
	peak  int             // deepest depth reached
	last  token           // the last attribute path (and operator), for messages
	b     strings.Builder // the text for the grammar
}

// filter rewrites a whole filter for the grammar.
func (lx *lexed) filter(toks []token) (string, error) {
	s := &scanner{lx: lx, toks: toks}
	return s.run()
}

// sub returns a scanner for the tokens of a value filter (ending with "]"
// or an end token) at the current depth.
func (s *scanner) sub(toks []token) *scanner {
	return &scanner{lx: s.lx, toks: toks, inner: true, depth: s.depth, base: s.depth, peak: s.depth}
}

func (s *scanner) run() (string, error) {
	st := sOperand
	for {
		t := s.toks[s.i]
		if t.kind == kEnd || (s.inner && t.kind == kRBrack) {
			return s.b.String(), s.finish(st, t)
		}
		s.i++
		var err error
		switch st {
		case sOperand:
			st, err = s.operand(t)
		case sOperator:
			st, err = s.operator(t)
		case sValue:
			st, err = s.value(t)
		default:
			st, err = s.connective(t)
		}
		if err != nil {
			return "", err
		}
	}
}

func (s *scanner) finish(st state, end token) error {
	switch {
	case st == sOperand && s.b.Len() == 0 && s.inner:
		return fail("empty value filter at position %d", end.pos+1)
	case st == sOperand:
		return fail("expected an attribute name at position %d, found %s", end.pos+1, describe(end))
	case st == sOperator:
		return fail("missing operator after %q", s.last.text)
	case st == sValue:
		return fail("missing comparison value after %q", s.last.text)
	case s.depth > s.base:
		return fail(`missing ")": %d parenthesis left open`, s.depth-s.base)
	}
	return nil
}

func (s *scanner) emit(text string) {
	if s.b.Len() > 0 {
		s.b.WriteByte(' ')
	}
	s.b.WriteString(text)
}

func (s *scanner) operand(t token) (state, error) {
	switch {
	case t.kind == kLParen:
		if s.depth++; s.depth > MaxDepth {
			return 0, fail("parentheses nest deeper than %d levels", MaxDepth)
		}
		s.peak = max(s.peak, s.depth)
		s.emit("(")
		return sOperand, nil
	case t.kind == kWord && strings.EqualFold(t.text, "not"):
		if s.toks[s.i].kind != kLParen {
			return 0, fail(`"not" at position %d must be followed by "("`, t.pos+1)
		}
		s.emit(t.text)
		return sOperand, nil
	case t.kind == kWord:
		s.last = t
		s.lx.paths = append(s.lx.paths, t)
		s.emit(t.text)
		return sOperator, nil
	}
	return 0, fail("expected an attribute name at position %d, found %s", t.pos+1, describe(t))
}

func (s *scanner) operator(t token) (state, error) {
	switch {
	case t.kind == kWord && isOp(t.text):
		s.last.text += " " + strings.ToLower(t.text)
		s.emit(t.text)
		if strings.EqualFold(t.text, "pr") {
			return sConnective, nil
		}
		return sValue, nil
	case t.kind == kLBrack && !s.inner:
		return sConnective, s.valuePath(t)
	case t.kind == kLBrack:
		return 0, fail("value filters cannot be nested (position %d)", t.pos+1)
	case t.kind == kWord:
		return 0, fail("unknown operator %q after %q at position %d; use eq, ne, co, sw, ew, gt, ge, lt, le or pr", t.text, s.last.text, t.pos+1)
	}
	return 0, fail("expected an operator after %q at position %d, found %s", s.last.text, t.pos+1, describe(t))
}

func (s *scanner) value(t token) (state, error) {
	if t.kind != kWord && t.kind != kString {
		return 0, fail("missing comparison value after %q at position %d", s.last.text, t.pos+1)
	}
	s.lx.lits = append(s.lx.lits, literal{quoted: t.kind == kString, text: t.text})
	s.emit(`"` + strconv.Itoa(len(s.lx.lits)-1) + `"`)
	return sConnective, nil
}

func (s *scanner) connective(t token) (state, error) {
	switch {
	case t.kind == kWord && (strings.EqualFold(t.text, "and") || strings.EqualFold(t.text, "or")):
		s.emit(t.text)
		return sOperand, nil
	case t.kind == kRParen && s.depth == s.base:
		return 0, fail(`unbalanced ")" at position %d`, t.pos+1)
	case t.kind == kRParen:
		s.depth--
		s.emit(")")
		return sConnective, nil
	}
	return 0, fail(`expected "and", "or" or ")" at position %d, found %s`, t.pos+1, describe(t))
}

func isOp(w string) bool {
	for _, op := range [...]string{"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"} {
		if strings.EqualFold(w, op) {
			return true
		}
	}
	return false
}
