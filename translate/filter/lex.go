package filter

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

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

// lex splits a filter or path into tokens. Quoted strings are decoded with
// the JSON rules (RFC 7159 §7), which the grammar's own string rule only
// half implements; whitespace separates tokens.
func lex(s string) ([]token, error) {
	if !utf8.ValidString(s) {
		return nil, fail("not valid UTF-8")
	}
	toks := make([]token, 0, 8)
	for i := 0; ; {
		t, j, err := nextToken(s, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		if t.kind == kEnd {
			return toks, nil
		}
		i = j
	}
}

// nextToken returns the token at or after byte i of s (a kEnd token at the
// end) and the offset just after it.
func nextToken(s string, i int) (token, int, error) {
	for i < len(s) && isSpace(s[i]) {
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
	case delim(c) != kWord:
		return token{delim(c), s[i : i+1], i}, i + 1, nil
	}
	j := i + 1
	for j < len(s) && !isSpace(s[j]) && s[j] != '"' && delim(s[j]) == kWord {
		j++
	}
	return token{kWord, s[i:j], i}, j, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

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
	plain := true
	for i := start + 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			plain = false
			i++
		case c < 0x20:
			plain = false
		case c == '"':
			raw := s[start : i+1]
			if plain {
				return raw[1 : len(raw)-1], len(raw), nil
			}
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

// isNumber reports whether s is a JSON number (RFC 7159 §6).
func isNumber(s string) bool {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	return json.Valid([]byte(s))
}
