package caddymodule

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// MediaType is the SCIM media type, used for every response.
const MediaType = "application/scim+json"

// writeJSON writes v as a SCIM JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"response encoding failed"}`)
	}
	w.Header().Set("Content-Type", MediaType+"; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
