package caddymodule

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestEncodeValueMatchesEncodingJSON: the direct encoder writes what
// encoding/json writes (without HTML escaping) for the documents the
// handler produces, strings with every kind of character included.
func TestEncodeValueMatchesEncodingJSON(t *testing.T) {
	docs := []any{
		map[string]any{"b": "x", "a": []any{map[string]any{"value": "1", "primary": true}}, "n": json.Number("12.5"), "i": 3, "z": nil, "s": []string{"u", "v"}},
		"quote \" backslash \\ newline \n tab \t cr \r bell \x07 nul \x00 <html> & é 日本 \u2028",
		"invalid \xff\xfe utf-8",
		map[string]any{},
		[]any{},
		map[string]any{"nested": map[string]any{"deep": map[string]any{"k": false}}},
	}
	for _, d := range docs {
		var got bytes.Buffer
		if err := encodeValue(&got, d); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(d); err != nil {
			t.Fatal(err)
		}
		if got.String()+"\n" != want.String() {
			t.Errorf("got  %s\nwant %s", got.String(), want.String())
		}
	}
}

func FuzzEncodeString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\\n\x00\x1f", "é日本", "\xff", "\u2028\u2029", "<>&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got bytes.Buffer
		writeString(&got, s)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s)
		if got.String()+"\n" != want.String() {
			t.Errorf("writeString(%q) = %s, want %s", s, got.String(), want.String())
		}
	})
}
