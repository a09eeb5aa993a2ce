package filter

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	lib "github.com/scim2/filter-parser/v2"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// github.com/scim2/filter-parser implements RFC 7644's grammar for
// filters and PATCH paths. It is this package's oracle: on every input it
// parses, our parser must read the same tree; on every input it rejects,
// ours must reject it too, or accept it only through one of the
// extensions below. The comparison is on syntax trees, before any
// attribute is resolved: the library knows no schema.
//
// Out of scope are inputs beyond our limits (MaxLength, MaxDepth, UTF-8),
// which the library has not.

// Extensions to RFC 7644's grammar our parser has (parse.go), as Entra
// and Okta send them. Each is found in what our parser read.
const (
	extUnquoted   = "a bare value other than true, false, null or a number (taken as a string)"
	extSuffix     = `Entra's attr[filter].sub op value`
	extValFilter  = "a value filter beyond the RFC's valFilter (more than two terms, parentheses, not of a not)"
	extLegacyDot  = `a dot after a schema URN in a PATCH path ("urn:…:core:2.0:User.name.givenName")`
	extSpelling   = "spelling only: any whitespace between tokens (none next to a quote, parenthesis or bracket), any Unicode space around a PATCH path, JSON escapes the RFC's string rule lacks (\\u00e9), redundant parentheses in a value filter; the tokens are the same"
	oracleGlueBug = "the library reads \"and\" and \"or\" in a value filter glued to a neighbouring token (emails[type prand value pr], emails[a pr orb pr]); RFC 7644 requires SP around them, and so do we: the input with the keyword spaced out must read the same in both"
)

// FuzzParseAgreesWithOracle checks every input as a filter and as a PATCH
// path against the library (see above), and attrSyntax against the
// library's attrPath rule.
func FuzzParseAgreesWithOracle(f *testing.F) {
	for _, s := range testInputs(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		diffAttrSyntax(t, s)
		if !inScope(s) {
			return
		}
		oracleFilter(t, s)
		oraclePath(t, s)
	})
}

// inScope reports whether s is within our limits: UTF-8, MaxLength, and
// parentheses nested at most MaxDepth deep.
func inScope(s string) bool {
	if !utf8.ValidString(s) || len(s) > MaxLength {
		return false
	}
	depth := 0
	for i := 0; ; {
		t, j, err := nextToken(s, i)
		switch {
		case err != nil || t.kind == kEnd:
			return true
		case t.kind == kLParen:
			if depth++; depth > MaxDepth {
				return false
			}
		case t.kind == kRParen:
			depth--
		}
		i = j
	}
}

// oracleFilter checks s as a filter and returns what allowed our parser
// to disagree with the library, or nil.
func oracleFilter(t *testing.T, s string) []string {
	t.Helper()
	want, libErr := lib.ParseFilter([]byte(s))
	var p parser
	root, err := p.filter(s)
	if err == nil && p.rej.inner >= 0 {
		err = p.rej.err("RFC 7644 §3.4.2.2")
	}
	switch {
	case libErr == nil && err != nil:
		same := func(d string) bool {
			again, libErr := lib.ParseFilter([]byte(d))
			var q parser
			root, err := q.filter(d)
			return libErr == nil && libCanon(again) == libCanon(want) && err == nil && q.rej.inner < 0 && canon(&q.tree, root) == libCanon(want)
		}
		if !unglued(s, same) {
			t.Fatalf("filter %q: the library reads %s; we reject it: %v", s, libCanon(want), err)
		}
		return []string{oracleGlueBug}
	case libErr == nil:
		if got, want := canon(&p.tree, root), libCanon(want); got != want {
			t.Fatalf("filter %q: we read %s; the library reads %s", s, got, want)
		}
	case err == nil:
		if ext := extensions(&p.tree, root); len(ext) > 0 {
			return ext
		}
		rfc := rfcText(&p.tree, root)
		got, err := lib.ParseFilter([]byte(rfc))
		if err != nil || libCanon(got) != canon(&p.tree, root) || !sameTokens(s, rfc) {
			t.Fatalf("filter %q: the library rejects it (%v); we read %s, use no extension, and the library reads its RFC spelling %q as %v (%v)", s, libErr, canon(&p.tree, root), rfc, got, err)
		}
		return []string{extSpelling}
	}
	return nil
}

// oraclePath checks s as a PATCH path and returns what allowed our
// parser to disagree with the library, or nil.
func oraclePath(t *testing.T, s string) []string {
	t.Helper()
	want, libErr := lib.ParsePath([]byte(s))
	var p parser
	attr, vf, sub, err := p.path(strings.TrimSpace(s))
	if err == nil && p.rej.inner >= 0 {
		err = p.rej.err("RFC 7644 §3.4.2.2")
	}
	if ok, _ := attrSyntax(attr.text); err == nil && !ok {
		err = fmt.Errorf("attribute path %q", attr.text)
	}
	switch {
	case libErr == nil && err != nil:
		same := func(d string) bool {
			again, libErr := lib.ParsePath([]byte(d))
			var q parser
			attr, vf, sub, err := q.path(d)
			return libErr == nil && libPathCanon(again) == libPathCanon(want) && err == nil && q.rej.inner < 0 && pathCanon(&q.tree, attr.text, vf, sub) == libPathCanon(want)
		}
		if !unglued(s, same) {
			t.Fatalf("path %q: the library reads %s; we reject it: %v", s, libPathCanon(want), err)
		}
		return []string{oracleGlueBug}
	case libErr == nil:
		if got, want := pathCanon(&p.tree, attr.text, vf, sub), libPathCanon(want); got != want {
			t.Fatalf("path %q: we read %s; the library reads %s", s, got, want)
		}
		return nil
	}
	// The library rejects the path. Ours is decided by ParsePath, which
	// reads the attribute path after a known schema URN, and checks the
	// sub-attribute name against the schema; a path under an unknown
	// schema URN is accepted and ignored, its value filter unchecked.
	accepted := false
	for _, rt := range resourceTypes {
		if q, err := ParsePath(s, rt); err == nil && !q.Ignored {
			accepted = true
		}
	}
	if !accepted {
		return nil
	}
	var ext []string
	if ok, _ := attrSyntax(attr.text); !ok {
		ext = append(ext, extLegacyDot)
	}
	if vf >= 0 {
		ext = append(ext, valueFilterExtensions(&p.tree, vf)...)
	}
	if len(ext) > 0 {
		return ext
	}
	rfc := attr.text
	if vf >= 0 {
		rfc += "[" + rfcText(&p.tree, vf) + "]"
	}
	if sub != "" {
		rfc += "." + sub
	}
	got, err := lib.ParsePath([]byte(rfc))
	if err != nil || libPathCanon(got) != pathCanon(&p.tree, attr.text, vf, sub) || !sameTokens(strings.TrimSpace(s), rfc) {
		t.Fatalf("path %q: the library rejects it (%v); we accept it, use no extension, and the library reads its RFC spelling %q as %v (%v)", s, libErr, rfc, got, err)
	}
	return []string{extSpelling}
}

// canon is the canonical form of one of our syntax trees: every logical
// expression in parentheses, values typed as the RFC's grammar types
// them.
func canon(t *exprs, i int32) string {
	e := t.at(i)
	switch e.kind {
	case exAnd:
		return "(" + canon(t, e.x) + " and " + canon(t, e.y) + ")"
	case exOr:
		return "(" + canon(t, e.x) + " or " + canon(t, e.y) + ")"
	case exNot:
		return "not(" + canon(t, e.x) + ")"
	case exValuePath:
		s := e.attr + "[" + canon(t, e.x) + "]"
		if e.y >= 0 {
			s += "." + canon(t, e.y)
		}
		return s
	}
	op := operators[e.op]
	if op == "pr" {
		return e.attr + " pr"
	}
	return e.attr + " " + op + " " + valueCanon(e)
}

// valueCanon types a comparison value as the RFC's grammar would: a
// string, true, false, null, an integer or a decimal number, or (our
// extension) a bare word.
func valueCanon(e *expr) string {
	switch v := e.val; {
	case e.quoted:
		return "string " + strconv.Quote(v)
	case strings.EqualFold(v, "true") || strings.EqualFold(v, "false") || strings.EqualFold(v, "null"):
		return strings.ToLower(v)
	case rfcNumber(v):
		f, _ := strconv.ParseFloat(v, 64)
		if strings.ContainsAny(v, ".eE") {
			return "decimal " + strconv.FormatFloat(f, 'g', -1, 64)
		}
		return "integer " + strconv.Itoa(int(f))
	default:
		return "word " + strconv.Quote(v)
	}
}

// rfcNumber reports whether a bare word is a number the RFC's grammar
// (JSON's) reads, and a float64 can hold.
func rfcNumber(w string) bool {
	_, err := strconv.ParseFloat(w, 64)
	return isNumber(w) && err == nil
}

// libCanon is canon of the library's tree.
func libCanon(e lib.Expression) string {
	switch e := e.(type) {
	case *lib.LogicalExpression:
		return "(" + libCanon(e.Left) + " " + string(e.Operator) + " " + libCanon(e.Right) + ")"
	case *lib.NotExpression:
		return "not(" + libCanon(e.Expression) + ")"
	case *lib.ValuePath:
		return libAttr(e.AttributePath) + "[" + libCanon(e.ValueFilter) + "]"
	case *lib.AttributeExpression:
		s := libAttr(e.AttributePath) + " " + string(e.Operator)
		if e.Operator == lib.PR {
			return s
		}
		switch v := e.CompareValue.(type) {
		case nil:
			return s + " null"
		case bool:
			return s + " " + strconv.FormatBool(v)
		case int:
			return s + " integer " + strconv.Itoa(v)
		case float64:
			return s + " decimal " + strconv.FormatFloat(v, 'g', -1, 64)
		case string:
			// The library keeps escapes as written.
			var d string
			if err := json.Unmarshal([]byte(`"`+v+`"`), &d); err != nil {
				return s + " undecodable " + strconv.Quote(v)
			}
			return s + " string " + strconv.Quote(d)
		}
	}
	return fmt.Sprintf("%#v", e)
}

func pathCanon(t *exprs, attr string, vf int32, sub string) string {
	s := attr
	if vf >= 0 {
		s += "[" + canon(t, vf) + "]"
	}
	if sub != "" {
		s += "." + sub
	}
	return s
}

func libPathCanon(p lib.Path) string {
	s := libAttr(p.AttributePath)
	if p.ValueExpression != nil {
		s += "[" + libCanon(p.ValueExpression) + "]"
	}
	if p.SubAttribute != nil {
		s += "." + *p.SubAttribute
	}
	return s
}

// extensions lists the extensions to the RFC's grammar a filter uses,
// bar spelling.
func extensions(t *exprs, i int32) []string {
	var ext []string
	switch e := t.at(i); e.kind {
	case exAnd, exOr:
		ext = append(extensions(t, e.x), extensions(t, e.y)...)
	case exNot:
		ext = extensions(t, e.x)
	case exValuePath:
		if e.y >= 0 {
			ext = append(ext, extSuffix)
		}
		ext = append(ext, valueFilterExtensions(t, e.x)...)
	default:
		if !e.quoted && operators[e.op] != "pr" && valueCanon(e) == "word "+strconv.Quote(e.val) {
			ext = append(ext, extUnquoted)
		}
	}
	return ext
}

// valueFilterExtensions lists the extensions a value filter uses.
func valueFilterExtensions(t *exprs, i int32) []string {
	ext := extensions(t, i)
	if !valFilter(t, i, true) {
		ext = append(ext, extValFilter)
	}
	return ext
}

// valFilter reports whether a value filter is the RFC's valFilter:
// attrExp, attrExp and/or attrExp, or not of either (if not is allowed).
func valFilter(t *exprs, i int32, not bool) bool {
	switch e := t.at(i); e.kind {
	case exCompare:
		return true
	case exAnd, exOr:
		return t.at(e.x).kind == exCompare && t.at(e.y).kind == exCompare
	case exNot:
		return not && valFilter(t, e.x, false)
	}
	return false
}

// rfcText spells a filter in the RFC's grammar: single spaces, strings
// with only the escapes its string rule has, parentheses only around
// logical expressions within logical expressions.
func rfcText(t *exprs, i int32) string {
	e := t.at(i)
	side := func(j int32) string {
		if k := t.at(j).kind; k == exAnd || k == exOr {
			return "(" + rfcText(t, j) + ")"
		}
		return rfcText(t, j)
	}
	switch e.kind {
	case exAnd:
		return side(e.x) + " and " + side(e.y)
	case exOr:
		return side(e.x) + " or " + side(e.y)
	case exNot:
		return "not (" + rfcText(t, e.x) + ")"
	case exValuePath:
		return e.attr + "[" + rfcText(t, e.x) + "]"
	}
	s := e.attr + " " + operators[e.op]
	switch {
	case operators[e.op] == "pr":
		return s
	case e.quoted:
		return s + " " + rfcString(e.val)
	}
	return s + " " + e.val
}

// rfcString quotes s with the escapes of the RFC's string rule only:
// \", \\ and \uXXXX in upper case.
func rfcString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// sameTokens reports whether a and b are the same tokens but for
// whitespace, string escapes, parentheses and the case of words.
func sameTokens(a, b string) bool {
	i, j := 0, 0
	for {
		var t, u token
		var err error
		for t.kind = kLParen; t.kind == kLParen || t.kind == kRParen; {
			if t, i, err = nextToken(a, i); err != nil {
				return false
			}
		}
		for u.kind = kLParen; u.kind == kLParen || u.kind == kRParen; {
			if u, j, err = nextToken(b, j); err != nil {
				return false
			}
		}
		switch {
		case t.kind != u.kind || !strings.EqualFold(t.text, u.text) || t.kind == kString && t.text != u.text:
			return false
		case t.kind == kEnd:
			return true
		}
	}
}

// unglued reports whether some spelling of s with "and" or "or" spaced
// out of words inside brackets, where the library may read them glued to
// what precedes them (pr, or a value such as true or 1) or follows them
// (an attribute path), satisfies same (oracleGlueBug). It tries every
// combination of such words, of which there are few.
func unglued(s string, same func(string) bool) bool {
	type cut struct {
		pos, end int
		text     string
	}
	var cuts []cut
	in := false
	for i := 0; ; {
		t, j, err := nextToken(s, i)
		if err != nil || t.kind == kEnd {
			break
		}
		switch {
		case t.kind == kLBrack:
			in = true
		case t.kind == kRBrack:
			in = false
		case in && t.kind == kWord:
			if k, n := gluedAt(strings.ToLower(t.text)); n > 0 {
				cuts = append(cuts, cut{t.pos, j, strings.TrimSpace(t.text[:k] + " " + t.text[k:k+n] + " " + t.text[k+n:])})
			}
		}
		i = j
	}
	if len(cuts) > 8 {
		cuts = cuts[:8]
	}
	for mask := 1; mask < 1<<len(cuts); mask++ {
		var b strings.Builder
		last := 0
		for i, c := range cuts {
			if mask&(1<<i) != 0 {
				b.WriteString(s[last:c.pos] + c.text)
				last = c.end
			}
		}
		if same(b.String() + s[last:]) {
			return true
		}
	}
	return false
}

// gluedAt finds in a word w (in lower case) "and" or "or" with pr or a
// value before it, or the start of an attribute path after it, or both,
// and returns its offset and length; n is 0 if there is none.
func gluedAt(w string) (k, n int) {
	for _, kw := range []string{"and", "or"} {
		for i := 0; i+len(kw) <= len(w); i++ {
			if w[i:i+len(kw)] != kw {
				continue
			}
			l, r := w[:i], w[i+len(kw):]
			left := l == "" || l == "pr" || l == "true" || l == "false" || l == "null" || rfcNumber(l)
			right := r == "" || uriChar(r[0]) || r[0] == '$'
			if left && right && (l != "" || r != "") {
				return i, len(kw)
			}
		}
	}
	return 0, 0
}

// TestOracleAllowances checks that each allowance of the oracle is what
// lets an input through, and that inputs both read agree: the allowances
// stay as narrow as documented.
func TestOracleAllowances(t *testing.T) {
	tests := []struct {
		in   string
		want string // the allowance, or "" when the library and we agree
	}{
		{`userName eq "x"`, ""},
		{`title pr or userType pr and nickName pr`, ""},
		{`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`, ""},
		{`emails[not (type eq "work")]`, ""},
		{`members[value eq "42"].display`, ""},
		{`not eq "x"`, ""},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`, ""},
		{`active eq TRUE and x eq -1.5E+3 and y eq 12 and z eq NULL`, ""},
		{`favoriteColor eq "x"`, ""}, // the schema rejects it, not the grammar
		{`externalId eq jyoung`, extUnquoted},
		{`employeeNumber eq 007`, extUnquoted},
		{`emails[type eq "work"].value eq "x"`, extSuffix},
		{`emails[type eq "work" and value co "@x" and primary eq true]`, extValFilter},
		{`emails[not (not (type eq "work"))]`, extValFilter},
		{ent + `.employeeNumber`, ""}, // URI "…:2.0:", name "User", sub-attribute "employeeNumber"
		{schema.UserURN + `.name.givenName`, extLegacyDot},
		{"userName\teq \"Ren\\u00e9e\" ", extSpelling},
		{`userName eq"x"and(title pr)`, extSpelling},
		{`emails[(type eq "work")]`, extSpelling},
		{` emails[type eq "work"] .value `, extSpelling},
		{"\fuserName\u00a0", extSpelling},
		{`emails[type prand value pr]`, oracleGlueBug},
		{`emails[type pr orb pr]`, oracleGlueBug},
		{`A[A prAndA pr]`, oracleGlueBug},
		{`A[prAnd prAndA pr]`, oracleGlueBug},
		{`emails[value eq 1or type pr]`, oracleGlueBug},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := append(oracleFilter(t, tt.in), oraclePath(t, tt.in)...)
			if tt.want == "" && len(got) > 0 {
				t.Errorf("got allowances %q, want none", got)
			}
			if tt.want != "" && !slices.Contains(got, tt.want) {
				t.Errorf("got allowances %q, want %q", got, tt.want)
			}
		})
	}
}
