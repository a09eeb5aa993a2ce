package filter

import (
	"strings"
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// TestSplitURN checks that splitURN, which allocates nothing, reads paths
// as schema.ResourceType.SplitURN does, and takes the legacy dot after a
// URN too.
func TestSplitURN(t *testing.T) {
	reference := func(rt *schema.ResourceType, p string) (string, string, bool) {
		if uri, rest, ok := rt.SplitURN(p); ok {
			return uri, rest, ok
		}
		for _, s := range rt.Schemas() {
			n := len(s.ID)
			if len(p) > n+1 && p[n] == '.' && strings.EqualFold(p[:n], s.ID) {
				return s.ID, p[n+1:], true
			}
		}
		return "", p, false
	}
	extra := []string{ent + ".", ent + ".x", ent + ":", strings.ToUpper(ent) + ":x", schema.UserURN + ".", "urn:x", ""}
	for _, s := range append(testInputs(t), extra...) {
		for _, rt := range resourceTypes {
			uri, rest, ok := splitURN(rt, s)
			wantURI, wantRest, wantOK := reference(rt, s)
			if uri != wantURI || rest != wantRest || ok != wantOK {
				t.Errorf("%s: splitURN(%q) = %q, %q, %v, want %q, %q, %v", rt.Name, s, uri, rest, ok, wantURI, wantRest, wantOK)
			}
		}
	}
}
