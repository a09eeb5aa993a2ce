package filter

// attrSyntax reports whether w is, whole, an attrPath of the grammar:
//
//	attrPath = [URI ":"] ATTRNAME ["." ATTRNAME]
//	URI      = 1*(1*(ALPHA / DIGIT / "-" / ".") ":")
//	ATTRNAME = ["$"] ALPHA *(ALPHA / DIGIT / "-" / "_")
//
// read as the grammar reads it (URI takes every segment it can), and
// whether it is a bare ATTRNAME.
func attrSyntax(w string) (ok, plain bool) {
	i := 0
	for {
		j := i
		for j < len(w) && uriChar(w[j]) {
			j++
		}
		if j == i || j == len(w) || w[j] != ':' {
			break
		}
		i = j + 1
	}
	uri := i > 0
	n := nameLen(w[i:])
	if n == 0 {
		return false, false
	}
	i += n
	if i == len(w) {
		return true, !uri
	}
	if w[i] != '.' {
		return false, false
	}
	n = nameLen(w[i+1:])
	return n > 0 && i+1+n == len(w), false
}

// nameLen is the length of the ATTRNAME at the start of s, or 0.
func nameLen(s string) int {
	i := 0
	if i < len(s) && s[i] == '$' {
		i++
	}
	if i == len(s) || !isAlpha(s[i]) {
		return 0
	}
	for i++; i < len(s) && (isAlpha(s[i]) || isDigit(s[i]) || s[i] == '-' || s[i] == '_'); i++ {
	}
	return i
}

func uriChar(c byte) bool { return isAlpha(c) || isDigit(c) || c == '-' || c == '.' }

func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// opName is the lowercase operator a word spells in ASCII letters of any
// case, or "".
func opName(t token) string {
	if t.kind != kWord {
		return ""
	}
	for _, op := range [...]string{"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"} {
		if isWord(t, op) {
			return op
		}
	}
	return ""
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
