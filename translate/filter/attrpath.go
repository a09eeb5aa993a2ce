package filter

// RFC 7644's rule for attribute paths applies once the parser has placed
// every token, so what it rejects ("1abc", "a.b.c", and the operator
// "ſw" that only Unicode case folding spells) is reported after any
// misplaced token, and before or after what the schema rejects depending
// on where it is (rejects).

// attrPath checks an attribute path of a filter against the RFC's rule
// and reports whether it is a bare attribute name.
func (p *parser) attrPath(t token) (plain bool) {
	ok, plain := attrSyntax(t.text)
	if !ok {
		p.rej.addPath(t, p.region)
	}
	return plain
}

// rejects records what the RFC's rules rejected while a filter was read.
// One outside value filters makes the filter fail before the schema is
// consulted. One inside a value filter (or Entra's suffix, which is read
// as a filter of its own) comes after the schema errors of what precedes
// that value filter, and before those of the value filter and what
// follows it: Parse compares inner with where the schema error is.
type rejects struct {
	path  token // the first attribute path rejected, if found
	found bool
	outer bool // one is outside value filters
	inner int  // where the value filter of the first one inside starts, or -1
}

// add records a rejection in the region (parser.region) being read.
func (r *rejects) add(region int) {
	switch {
	case region < 0:
		r.outer = true
	case r.inner < 0:
		r.inner = region
	}
}

// addPath records a rejected attribute path.
func (r *rejects) addPath(t token, region int) {
	if !r.found {
		r.path, r.found = t, true
	}
	r.add(region)
}

// err names the first attribute path rejected, or cites rfc.
func (r *rejects) err(rfc string) error {
	if r.found {
		return fail("invalid attribute path %q at position %d", r.path.text, r.path.pos+1)
	}
	return fail("syntax error; see %s", rfc)
}

// attrSyntax reports whether w is, whole, an attrPath of RFC 7644's
// grammar:
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
