// Package filter parses, validates and evaluates SCIM 2.0 filters
// (RFC 7644 §3.4.2.2) and PATCH paths (RFC 7644 §3.5.2) against the
// resource types of package schema.
//
// One hand-written grammar reads both (parse.go); what a server needs
// comes with it: attribute paths resolved case-insensitively against the
// schema (an unknown attribute is an error, never a filter that silently
// matches nothing), typed comparison values, in-memory evaluation over
// resources decoded from JSON, and the top-level conjuncts a caller can
// push down to a backend. The grammar is checked against
// github.com/scim2/filter-parser by differential fuzzing
// (FuzzParseAgreesWithOracle), which only the tests import.
//
// It also tolerates what Microsoft Entra ID and Okta send: unquoted values
// (externalId eq jyoung), the non-RFC form
// emails[type eq "work"].value eq "x", comparisons on a complex attribute
// without a sub-attribute (manager eq "42" means manager.value eq "42"),
// booleans written as strings ("True"), and unqualified extension
// attributes (employeeNumber, manager).
//
// Everything here is pure: no I/O, no package-level mutable state. Parsed
// filters and paths are immutable and safe for concurrent use.
package filter

import (
	"strings"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// Limits that keep the parser safe on hostile input.
const (
	// MaxLength is the longest filter or path accepted, in bytes.
	MaxLength = 4096
	// MaxDepth is the deepest nesting of parentheses a filter may have.
	MaxDepth = 32
)

// Filter is a parsed filter whose attribute paths are all resolved against
// one resource type.
type Filter struct {
	root node
}

// Parse parses and validates a filter for rt. Syntax errors, unknown
// attributes (including a sub-attribute of a simple attribute), unknown
// schema URNs and comparisons that cannot apply to an attribute's type (gt
// on a boolean) are an *Error with ScimType "invalidFilter".
//
// Tolerated beyond RFC 7644: unquoted values (taken as strings, except
// true, false, null and JSON numbers); Entra's
// emails[type eq "work"].value eq "x", read as
// emails[type eq "work" and value eq "x"]; a complex attribute compared
// without a sub-attribute (manager eq X, members eq X) compares its "value"
// sub-attribute; "True" and "false" compared with a boolean attribute are
// booleans; an unqualified attribute that only an extension has
// (employeeNumber) is that extension's.
func Parse(s string, rt *schema.ResourceType) (*Filter, error) {
	var p parser
	root, err := p.filter(s)
	if err != nil {
		return nil, typed(err, InvalidFilter)
	}
	b := builder{rt: rt, tree: &p.tree}
	n, err := b.node(root)
	if r := &p.rej; r.inner >= 0 && (err == nil || r.inner < b.at) {
		err = r.err("RFC 7644 §3.4.2.2")
	}
	if err != nil {
		return nil, typed(err, InvalidFilter)
	}
	return &Filter{root: n}, nil
}

// String returns the filter in canonical form: attribute names spelt as in
// the schema (extension attributes URN-qualified), lowercase operators,
// JSON values, and Entra's forms rewritten as RFC 7644 ones. It parses back
// to the same filter.
func (f *Filter) String() string {
	var b strings.Builder
	f.root.write(&b)
	return b.String()
}

// Match evaluates the filter against a resource decoded from JSON
// (map[string]any holding string, bool, float64 or json.Number, []any and
// map[string]any values), following RFC 7644 §3.4.2.2. Keys are matched
// case-insensitively. A comparison on a multi-valued attribute is true when
// any value matches, and "ne" is the negation of "eq" (so a missing
// attribute is ne anything); strings compare case-insensitively unless the
// attribute is caseExact; dateTimes compare chronologically; "pr" is true
// for a present value that is not null, "" or empty.
func (f *Filter) Match(resource map[string]any) bool {
	return f.root.match(resource)
}
