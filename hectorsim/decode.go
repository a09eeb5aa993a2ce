package hectorsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// readObject reads a request body that must be one JSON object, keyed by
// field name. Any failure is 400 bad_request.
func readObject(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, *apiError) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return nil, badRequest("request body unreadable or larger than 1 MiB")
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, badRequest("request body must be a JSON object")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, badRequest("malformed JSON body")
	}
	return obj, nil
}

// fieldReader reads optional string fields of a body, collecting 422
// messages by field name.
type fieldReader struct {
	obj  map[string]json.RawMessage
	errs map[string]string
}

// str returns the string field name; absent and null read as "".
func (fr *fieldReader) str(name string) string {
	raw, ok := fr.obj[name]
	if !ok || string(raw) == "null" {
		return ""
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		fr.fail(name, "must be a string")
		return ""
	}
	return v
}

// required returns the string field name, which must be present and
// non-empty.
func (fr *fieldReader) required(name string) string {
	v := fr.str(name)
	if v == "" && fr.errs[name] == "" {
		fr.fail(name, "required")
	}
	return v
}

func (fr *fieldReader) fail(name, msg string) {
	if fr.errs == nil {
		fr.errs = make(map[string]string)
	}
	fr.errs[name] = msg
}

func (fr *fieldReader) err() *apiError {
	if len(fr.errs) > 0 {
		return invalid(fr.errs)
	}
	return nil
}

// decodeUser turns a POST or PUT body into the complete writable fields of
// a user: omitted fields take their defaults (full replacement).
func (s *Server) decodeUser(obj map[string]json.RawMessage) (userFields, *apiError) {
	fr := fieldReader{obj: obj}
	f := userFields{
		Username: fr.required("username"), Email: fr.required("email"),
		Identifier: fr.required("identifier"),
		FirstName:  fr.str("first_name"), LastName: fr.str("last_name"),
		ExternalID: fr.str("external_id"), Status: fr.str("status"), Role: fr.str("role"),
		Title: fr.str("title"), Department: fr.str("department"),
		Phone: fr.str("phone"), Locale: fr.str("locale"),
	}
	switch f.Status {
	case "":
		f.Status = "active"
	case "active", "disabled":
	default:
		fr.fail("status", `must be "active" or "disabled"`)
	}
	switch {
	case f.Role == "":
		f.Role = s.opts.DefaultRole
	case !slices.Contains(s.opts.Roles, f.Role):
		fr.fail("role", "unknown role")
	}
	return f, fr.err()
}

// decodeGroup reads the writable fields of a group.
func decodeGroup(obj map[string]json.RawMessage) (name, externalID string, e *apiError) {
	fr := fieldReader{obj: obj}
	name = fr.required("name")
	externalID = fr.str("external_id")
	return name, externalID, fr.err()
}

// decodeMembers reads {"user_ids": [...]}: at most 100 integers, returned
// sorted without duplicates.
func decodeMembers(obj map[string]json.RawMessage) ([]int64, *apiError) {
	raw, ok := obj["user_ids"]
	if !ok || string(raw) == "null" {
		return nil, invalid(map[string]string{"user_ids": "required"})
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, invalid(map[string]string{"user_ids": "must be an array of integers"})
	}
	if len(elems) > maxMembersPerPost {
		return nil, invalid(map[string]string{"user_ids": "at most 100 ids per request"})
	}
	ids := make([]int64, 0, len(elems))
	for _, e := range elems {
		id, err := strconv.ParseInt(string(e), 10, 64)
		if err != nil {
			return nil, invalid(map[string]string{"user_ids": "must be an array of integers"})
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// unknownUsers is the 422 naming user ids that do not exist.
func unknownUsers(ids []int64) *apiError {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return invalid(map[string]string{"user_ids": "unknown users: " + strings.Join(parts, ", ")})
}
