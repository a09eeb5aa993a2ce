package translate

import (
	"fmt"
	"testing"
)

func TestExternalIDAfter(t *testing.T) {
	gen := GeneratedPrefix + "1"
	tests := []struct {
		name, stored, sent string
		keep               bool
		want               string
	}{
		{"the IdP sends one", "old", "new", false, "new"},
		{"a PUT without one keeps the IdP's", "okta-1", "", true, "okta-1"},
		{"a PATCH that clears the IdP's: a new generated one", "okta-1", "", false, ""},
		{"the bridge's own stays", gen, "", false, gen},
		{"a hand-made record: adopted with a generated one", "", "", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExternalIDAfter(tt.stored, tt.sent, tt.keep); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsGenerated(t *testing.T) {
	for ext, want := range map[string]bool{"hector-scim:1": true, "HECTOR-SCIM:1": true, "hector-ſcim:1": false, "hector": false, "": false} {
		if got := IsGenerated(ext); got != want {
			t.Errorf("IsGenerated(%q) = %v, want %v", ext, got, want)
		}
	}
}

func TestProtected(t *testing.T) {
	p := NewProtected([]string{"BreakGlass@x.example", ""})
	for name, want := range map[string]bool{"breakglass@x.example": true, "BREAKGLASS@X.EXAMPLE": true, "breakglaſs@x.example": false, "": false} {
		if got := p.Has(name); got != want {
			t.Errorf("Has(%q) = %v, want %v", name, got, want)
		}
	}
	if !p.Record([]byte(`{"username":"breakglass@X.example"}`)) || NewProtected(nil).Record([]byte(`{"username":"a"}`)) {
		t.Error("Record: got the wrong answer")
	}
}

func TestVisibleWindow(t *testing.T) {
	all := []int64{1, 2, 3, 4, 5, 6, 7, 8}
	hidden := map[int64]bool{2: true, 6: true}
	var visible []int64
	for _, id := range all {
		if !hidden[id] {
			visible = append(visible, id)
		}
	}
	for start := 1; start <= len(all); start++ {
		for count := 1; count <= 4; count++ {
			// What Hector answers from start, count+len(hidden) long.
			items := all[min(start-1, len(all)):min(start-1+count+len(hidden), len(all))]
			got := VisibleWindow(items, func(id int64) int64 { return id }, hidden, count)
			want := visible[min(start-1, len(visible)):min(start-1+count, len(visible))]
			if fmt.Sprint(got) != fmt.Sprint(want) && len(got)+len(want) > 0 {
				t.Errorf("start %d count %d: got %v, want %v", start, count, got, want)
			}
		}
	}
}
