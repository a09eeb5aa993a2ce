package caddymodule

import (
	"net/http"
	"slices"
	"testing"
)

// listIDs returns the ids of a ListResponse's resources.
func listIDs(list map[string]any) []string {
	var ids []string
	res, _ := list["Resources"].([]any)
	for _, r := range res {
		m, _ := r.(map[string]any)
		id, _ := m["id"].(string)
		ids = append(ids, id)
	}
	return ids
}

// TestQueryParameters checks the query strings that are accepted: SCIM
// parameter names in any case (a "Filter" is a filter, never ignored),
// Entra's flag and other unknown parameters ignored, spaces as + or %20.
func TestQueryParameters(t *testing.T) {
	e := newHostileEnv(t)
	alice, _ := hostileSeed(t, e)
	tests := []struct {
		name, path string
		want       []string // ids; nil: any, with totalResults > 1
	}{
		{"filter", "/Users?filter=userName%20eq%20%22alice@contoso.example%22", []string{alice}},
		{"Filter capitalised", "/Users?Filter=userName+eq+%22alice@contoso.example%22", []string{alice}},
		{"FILTER and COUNT", "/Users?FILTER=userName+eq+%22alice@contoso.example%22&COUNT=5&StartIndex=1", []string{alice}},
		{"Entra's flag", "/Users?aadOptscim062020&filter=userName+eq+%22alice@contoso.example%22", []string{alice}},
		{"unknown parameter twice", "/Users?x=1&x=2&filter=userName+eq+%22alice@contoso.example%22", []string{alice}},
		{"percent-escaped name", "/Users?%66ilter=userName+eq+%22alice@contoso.example%22", []string{alice}},
		{"no match", "/Users?filter=userName+eq+%2252c0c43e-5f0a-4a7e-9d61-3c6d2b7f8e11%22", []string{}},
		{"no filter", "/Users?startIndex=1&count=10", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.state(t)
			list := e.must(t, http.StatusOK, hostileRequest{method: http.MethodGet, path: tt.path})
			got := listIDs(list)
			switch {
			case tt.want == nil:
				if total, _ := list["totalResults"].(float64); total < 2 {
					t.Errorf("got totalResults %v, want every user", list["totalResults"])
				}
			case !slices.Equal(got, tt.want) && len(got)+len(tt.want) > 0:
				t.Errorf("got ids %v, want %v", got, tt.want)
			}
			for _, d := range before.diff(e.state(t)) {
				t.Errorf("Hector: %s", d)
			}
		})
	}
}
