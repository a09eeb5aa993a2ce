package hectorsim

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// ids lists the ids of a list answer.
func ids(t *testing.T, r resp) []int64 {
	t.Helper()
	items, meta := r.list(t)
	out := make([]int64, 0, len(items))
	for _, it := range items {
		out = append(out, id(t, it.(map[string]any), "id"))
	}
	if total := id(t, meta, "total"); total != int64(len(out)) {
		t.Errorf("got total %d, want %d", total, len(out))
	}
	return out
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Rule: GET /users filters are exact, case-insensitive, combinable.
func TestContractUserFilters(t *testing.T) {
	h := newHarness(t, Options{})
	h.must(http.StatusCreated, "POST", "/users", `{"username":"Ada","email":"ada@x","identifier":"E1","external_id":"Ext-1"}`)
	h.must(http.StatusCreated, "POST", "/users", `{"username":"bob","email":"bob@x","identifier":"E2","status":"disabled"}`)
	h.must(http.StatusCreated, "POST", "/users", `{"username":"ada2","email":"ada2@x","identifier":"E3","status":"disabled"}`)
	tests := []struct {
		query string
		want  []int64
	}{
		{"username=ada", []int64{1}},
		{"username=ADA", []int64{1}},
		{"username=ad", nil},
		{"email=BOB@X", []int64{2}},
		{"identifier=e3", []int64{3}},
		{"external_id=ext-1", []int64{1}},
		{"external_id=", []int64{2, 3}},
		{"status=disabled", []int64{2, 3}},
		{"status=ACTIVE", []int64{1}},
		{"status=gone", nil},
		{"status=disabled&username=bob", []int64{2}},
		{"status=active&username=bob", nil},
		{"username=nobody", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if got := ids(t, h.must(http.StatusOK, "GET", "/users?"+tt.query, "")); !equalIDs(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// Rule: updated_since is updated_at >= value (RFC 3339); malformed is 400.
func TestContractUpdatedSince(t *testing.T) {
	h := newHarness(t, Options{})
	h.createUser("a") // 03:04:05
	h.clock.Advance(10 * time.Second)
	h.createUser("b") // 03:04:15
	tests := []struct {
		since string
		want  []int64
	}{
		{"2026-01-02T03:04:05Z", []int64{1, 2}},
		{"2026-01-02T03:04:06Z", []int64{2}},
		{"2026-01-02T03:04:15Z", []int64{2}},
		{"2026-01-02T03:04:16Z", nil},
		{"2026-01-02T04:04:10+01:00", []int64{2}},
		{"2026-01-02T03:04:14.5Z", []int64{2}},
	}
	for _, tt := range tests {
		t.Run(tt.since, func(t *testing.T) {
			q := "/users?updated_since=" + url.QueryEscape(tt.since)
			if got := ids(t, h.must(http.StatusOK, "GET", q, "")); !equalIDs(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"yesterday", "2026-01-02", "2026-01-02 03:04:05Z", "1767323045", ""} {
		t.Run("malformed "+bad, func(t *testing.T) {
			h.wantErr(h.do("GET", "/users?updated_since="+url.QueryEscape(bad), ""), http.StatusBadRequest, "bad_request", "")
		})
	}
}

// Rule: GET /groups filters name and external_id, exact, case-insensitive.
func TestContractGroupFilters(t *testing.T) {
	h := newHarness(t, Options{})
	h.must(http.StatusCreated, "POST", "/groups", `{"name":"Hector Staff","external_id":"E-1"}`)
	h.must(http.StatusCreated, "POST", "/groups", `{"name":"hector_admins"}`)
	tests := []struct {
		query string
		want  []int64
	}{
		{"name=hector+staff", []int64{1}},
		{"name=HECTOR_ADMINS", []int64{2}},
		{"name=hector", nil},
		{"external_id=e-1", []int64{1}},
		{"external_id=", []int64{2}},
		{"name=hector_admins&external_id=e-1", nil},
		{"name=Hector%20Staff&external_id=E-1", []int64{1}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			if got := ids(t, h.must(http.StatusOK, "GET", "/groups?"+tt.query, "")); !equalIDs(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
