package hectorsim

import (
	"net/http"
	"strconv"
)

// reply is a complete answer, built before anything is written so that an
// ambiguous POST can still lose it.
type reply struct {
	status     int
	body       []byte // nil: no body
	allow      string // Allow header of a 405
	retryAfter int    // Retry-After header in seconds; 0: none
}

// apiError is an error answer of the contract.
type apiError struct {
	status  int
	code    string
	message string
	fields  map[string]string
}

// errorDoc is the error body: {"error":{"code","message","fields"?}}.
type errorDoc struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (e *apiError) reply() reply {
	return reply{status: e.status, body: marshal(errorDoc{Error: errorBody{Code: e.code, Message: e.message, Fields: e.fields}})}
}

func badRequest(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "bad_request", message: msg}
}

func notFound(what string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "not_found", message: what + " not found"}
}

func conflict(fields map[string]string) *apiError {
	return &apiError{status: http.StatusConflict, code: "conflict", message: "a unique field is already taken", fields: fields}
}

func invalid(fields map[string]string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: "invalid", message: "invalid or missing fields", fields: fields}
}

func serverError(status int) *apiError {
	return &apiError{status: status, code: "server_error", message: http.StatusText(status)}
}

// dataReply wraps a rendered object: {"data": obj}.
func dataReply(status int, obj []byte) reply {
	body := make([]byte, 0, len(obj)+9)
	body = append(body, `{"data":`...)
	body = append(body, obj...)
	body = append(body, '}')
	return reply{status: status, body: body}
}

// noContent is the 204 answer.
var noContent = reply{status: http.StatusNoContent}

// write sends rep. Every answer is application/json, bodiless ones too.
func (rep reply) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if rep.allow != "" {
		h.Set("Allow", rep.allow)
	}
	if rep.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(rep.retryAfter))
	}
	if rep.body != nil {
		h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	}
	w.WriteHeader(rep.status)
	if rep.body != nil {
		_, _ = w.Write(rep.body)
	}
}
