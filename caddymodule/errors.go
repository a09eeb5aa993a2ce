package caddymodule

import (
	"net/http"
	"strconv"

	"go.uber.org/zap"

	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// writeError is the one place where errors become SCIM error documents
// (RFC 7644 §3.12): status as a string, scimType where defined, a detail
// safe to show, Retry-After on 429 and 503, WWW-Authenticate on 401. Faults
// of the sidecar or Hector are logged with their cause.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) int {
	e := provision.AsError(err)
	if e.Status >= 500 {
		h.logger.Error("scim request failed",
			zap.String("method", r.Method), zap.String("path", r.URL.Path),
			zap.Int("status", e.Status), zap.Error(err))
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+999_999_999)/1_000_000_000)))
	}
	return writeSCIMError(w, e.Status, e.ScimType, e.Detail)
}

func writeSCIMError(w http.ResponseWriter, status int, scimType, detail string) int {
	if rec, ok := w.(*recorder); ok {
		rec.failed, rec.scimType, rec.detail = true, scimType, detail
	}
	body := map[string]any{
		"schemas": []string{schema.ErrorURN},
		"status":  strconv.Itoa(status),
		"detail":  detail,
	}
	if scimType != "" {
		body["scimType"] = scimType
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hector-scim"`)
	}
	writeJSON(w, status, body)
	return status
}

// errorf builds a SCIM error of the HTTP layer.
func errorf(status int, scimType, detail string) error {
	return &translate.Error{Status: status, ScimType: scimType, Detail: detail}
}
