package translate

import "testing"

// TestRecordID reads a Hector record's numeric id, and nothing else.
func TestRecordID(t *testing.T) {
	for _, tt := range []struct {
		rec  string
		want int64
	}{
		{`{"id":1042,"username":"ada"}`, 1042},
		{`{"username":"ada","id":7}`, 7},
		{`{"id":"7"}`, 0},
		{`{}`, 0},
		{``, 0},
		{`{"data":{"id":3}}`, 0},
		{`{"id":null}`, 0},
	} {
		if got := RecordID([]byte(tt.rec)); got != tt.want {
			t.Errorf("RecordID(%s) = %d, want %d", tt.rec, got, tt.want)
		}
	}
}
