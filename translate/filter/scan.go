package filter

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The scanner splits a filter or path into tokens, one at a time, for the
// parser: words (attribute paths, operators, keywords and bare values),
// quoted strings, parentheses and brackets. Whitespace (space, tab, CR,
// LF) separates tokens and is otherwise ignored; a quote, parenthesis or
// bracket ends a word, so no space is needed around them.

// kind is the kind of a token.
type kind uint8

const (
	kWord   kind = iota // attribute path, operator, keyword or bare value
	kString             // quoted string, decoded
	kLParen
	kRParen
	kLBrack
	kRBrack
	kEnd // end of input
)

// token is one lexical token of a filter or path.
type token struct {
	kind kind
	text string // the word, or the decoded string
	pos  int    // byte offset in the input
}

// nextToken returns the token at or after byte i of s (a kEnd token at the
// end) and the offset just after it. Quoted strings are decoded with the
// JSON rules (RFC 8259 §7), which RFC 7644's grammar refers to.
func nextToken(s string, i int) (token, int, error) {
	for i < len(s) && class[s[i]]&space != 0 {
		i++
	}
	if i == len(s) {
		return token{kind: kEnd, pos: len(s)}, i, nil
	}
	switch c := s[i]; {
	case c == '"':
		text, n, err := lexString(s, i)
		if err != nil {
			return token{}, i, err
		}
		return token{kString, text, i}, i + n, nil
	case class[c]&endsWord != 0:
		return token{delim(c), s[i : i+1], i}, i + 1, nil
	}
	j := i + 1
	for j < len(s) && class[s[j]]&endsWord == 0 {
		j++
	}
	return token{kWord, s[i:j], i}, j, nil
}

// lexError returns the first lexical error at or after byte i of s, or
// nil. A lexical error anywhere in the input is reported before any
// grammatical one.
func lexError(s string, i int) error {
	for {
		t, j, err := nextToken(s, i)
		if err != nil || t.kind == kEnd {
			return err
		}
		i = j
	}
}

// Byte classes, as bits of class.
const (
	space     = 1 << iota // space, tab, CR, LF: between tokens
	endsWord              // a space, a quote, a parenthesis or a bracket
	endsPlain             // a quote, a backslash or a control character: a string needs decoding from here
)

// class holds the classes of every byte. It is never written after
// initialisation.
var class = func() (c [256]uint8) {
	for b := range 0x20 {
		c[b] = endsPlain
	}
	for _, b := range []byte(" \t\r\n") {
		c[b] |= space | endsWord
	}
	for _, b := range []byte("()[]") {
		c[b] = endsWord
	}
	c['"'], c['\\'] = endsWord|endsPlain, endsPlain
	return c
}()

// delim returns the kind of a one-byte delimiter, or kWord.
func delim(c byte) kind {
	switch c {
	case '(':
		return kLParen
	case ')':
		return kRParen
	case '[':
		return kLBrack
	case ']':
		return kRBrack
	}
	return kWord
}

// lexString decodes the JSON string starting at s[start] and returns it
// with its length in bytes, quotes included.
func lexString(s string, start int) (string, int, error) {
	i := start + 1
	for i < len(s) && class[s[i]]&endsPlain == 0 {
		i++
	}
	if i < len(s) && s[i] == '"' {
		return s[start+1 : i], i + 1 - start, nil
	}
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			raw := s[start : i+1]
			var v string
			if err := json.Unmarshal([]byte(raw), &v); err != nil {
				return "", 0, fail("invalid string %s at position %d: use JSON escapes (\\\" \\\\ \\uXXXX)", raw, start+1)
			}
			return v, len(raw), nil
		}
	}
	return "", 0, fail("unterminated string starting at position %d", start+1)
}

// quote renders s as a JSON string.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// describe names a token for an error message.
func describe(t token) string {
	switch t.kind {
	case kEnd:
		return "the end"
	case kString:
		return "the string " + quote(t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// isNumber reports whether s is a JSON number (RFC 8259 §6).
func isNumber(s string) bool {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	return json.Valid([]byte(s))
}

// isWord reports whether t is the word w (lower-case ASCII letters)
// spelt in ASCII letters of any case.
func isWord(t token, w string) bool {
	if t.kind != kWord || len(t.text) != len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if t.text[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

// operators are the comparison operators of RFC 7644 §3.4.2.2.
var operators = [...]string{"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"}

// noOp is the index opIndex returns for a word that is no operator.
const noOp = len(operators)

// opIndex returns the index in operators of the operator a word spells in
// ASCII letters of any case, or noOp. grammar is false for a word that
// only Unicode case folding makes an operator ("ſw", as strings.EqualFold
// has it): it reads as one, but the RFC's grammar rejects it.
func opIndex(t token) (op int, grammar bool) {
	if t.kind != kWord {
		return noOp, false
	}
	if len(t.text) == 2 {
		switch uint16(t.text[0]|0x20)<<8 | uint16(t.text[1]|0x20) {
		case 'e'<<8 | 'q':
			return 0, true
		case 'n'<<8 | 'e':
			return 1, true
		case 'c'<<8 | 'o':
			return 2, true
		case 's'<<8 | 'w':
			return 3, true
		case 'e'<<8 | 'w':
			return 4, true
		case 'g'<<8 | 't':
			return 5, true
		case 'g'<<8 | 'e':
			return 6, true
		case 'l'<<8 | 't':
			return 7, true
		case 'l'<<8 | 'e':
			return 8, true
		case 'p'<<8 | 'r':
			return 9, true
		}
	}
	if n := len(t.text); n > 2 && n <= 2*utf8.UTFMax {
		for i, o := range operators {
			if strings.EqualFold(t.text, o) {
				return i, false
			}
		}
	}
	return noOp, false
}

// opSpelling is the operator as error messages quote it: in lower case.
func opSpelling(t token) string { return strings.ToLower(t.text) }
