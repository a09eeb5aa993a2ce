package filter

import (
	"testing"

	lib "github.com/scim2/filter-parser/v2"
)

// TestAttrSyntax checks attrSyntax against the RFC's attrPath rule, and
// against the library that implements it.
func TestAttrSyntax(t *testing.T) {
	tests := []struct {
		in          string
		ok, isPlain bool
	}{
		{"userName", true, true},
		{"$ref", true, true},
		{"a-b_c9", true, true},
		{"name.givenName", true, false},
		{"members.$ref", true, false},
		{ent + ":manager.value", true, false},
		{ent + ".employeeNumber", true, false},
		{"a:b", true, false},
		{"", false, false},
		{"1abc", false, false},
		{"-a", false, false},
		{"a.b.c", false, false},
		{"a.", false, false},
		{"a:", false, false},
		{":a", false, false},
		{"a::b", false, false},
		{"a:1b", false, false},
		{"a_b:c", false, false}, // "_" is no URI character
		{"$", false, false},
		{"a$b", false, false},
		{"é", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ok, isPlain := attrSyntax(tt.in)
			if ok != tt.ok || isPlain != tt.isPlain {
				t.Errorf("got %v, %v, want %v, %v", ok, isPlain, tt.ok, tt.isPlain)
			}
			diffAttrSyntax(t, tt.in)
		})
	}
}

// diffAttrSyntax checks attrSyntax against the library on one word.
func diffAttrSyntax(t *testing.T, w string) {
	t.Helper()
	ok, isPlain := attrSyntax(w)
	ap, err := lib.ParseAttrPath([]byte(w))
	wantPlain := err == nil && ap.URIPrefix == nil && ap.SubAttribute == nil
	if ok != (err == nil) || isPlain != wantPlain || (ok && libAttr(ap) != w) {
		t.Fatalf("attrSyntax(%q) = %v, %v; the library says %v, %v (%v)", w, ok, isPlain, err == nil, wantPlain, err)
	}
}

// libAttr spells an attribute path the library parsed.
func libAttr(ap lib.AttributePath) string {
	s := ap.AttributeName
	if ap.URIPrefix != nil {
		s = *ap.URIPrefix + ":" + s
	}
	if ap.SubAttribute != nil {
		s += "." + *ap.SubAttribute
	}
	return s
}
