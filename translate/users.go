package translate

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate/schema"
)

func (s *Service) keepUser(r schema.Ref) bool {
	return s.mapping.Stores(topKey(r))
}

// GetUser reads one user.
func (s *Service) GetUser(ctx context.Context, id string) (Resource, error) {
	n, err := parseID("User", id)
	if err != nil {
		return nil, err
	}
	raw, err := s.hector.GetUser(ctx, n)
	if err != nil {
		return nil, userErr(err, id)
	}
	return s.renderUser(ctx, raw), nil
}

func userErr(err error, id string) error {
	if legacyclient.IsNotFound(err) {
		return notFound("User", id)
	}
	return err
}

// CreateUser creates a user from a SCIM User body.
func (s *Service) CreateUser(ctx context.Context, body []byte) (Resource, error) {
	doc, err := s.userDoc(body)
	if err != nil {
		return nil, err
	}
	rec := []byte(`{}`)
	fields := s.mapping.ToHector(doc)
	for _, field := range s.mapping.Fields() {
		if v := fields[field]; v != nil && v != "" {
			if rec, err = sjson.SetBytes(rec, field, v); err != nil {
				return nil, err
			}
		}
	}
	if role := s.cfg.Roles.Default; role != "" {
		rec, _ = sjson.SetBytes(rec, "role", role)
	}
	raw, err := s.hector.CreateUser(ctx, rec)
	if err != nil {
		return nil, err
	}
	s.auditUser(ctx, "create", nil, raw)
	return s.renderUser(ctx, raw), nil
}

// userDoc decodes and normalises a User body; userName is required.
func (s *Service) userDoc(body []byte) (Resource, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	doc, err := normalizeResource(obj, schema.User, s.keepUser)
	if err != nil {
		return nil, err
	}
	if u, _ := doc["userName"].(string); strings.TrimSpace(u) == "" {
		return nil, badRequest(InvalidValue, "userName is required")
	}
	return doc, nil
}

// ReplaceUser replaces what Hector stores of a user from a full SCIM User
// body (Okta's PUT): omitted stored attributes are cleared; id, meta,
// groups and password are ignored; the role, memberships and, when the
// body has no active, the status stay.
func (s *Service) ReplaceUser(ctx context.Context, id string, body []byte) (Resource, error) {
	n, err := parseID("User", id)
	if err != nil {
		return nil, err
	}
	doc, err := s.userDoc(body)
	if err != nil {
		return nil, err
	}
	raw, unlock, err := s.readUserForWrite(ctx, n, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	fields := s.mapping.ToHector(doc)
	return s.writeUser(ctx, n, raw, fields)
}

// PatchUser applies a SCIM PatchOp to a user: read, apply, and write the
// full record back, touching only what the PATCH names. Nothing is written
// when nothing Hector stores changes.
func (s *Service) PatchUser(ctx context.Context, id string, body []byte) (Resource, error) {
	n, err := parseID("User", id)
	if err != nil {
		return nil, err
	}
	ops, err := ParsePatch(body, schema.User)
	if err != nil {
		return nil, err
	}
	raw, unlock, err := s.readUserForWrite(ctx, n, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	old := s.mapping.FromHector(raw)
	doc := deepCopy(old).(map[string]any)
	if err := applyOps(doc, ops, s.keepUser); err != nil {
		return nil, err
	}
	if u, _ := doc["userName"].(string); strings.TrimSpace(u) == "" {
		return nil, badRequest(InvalidValue, "userName is required")
	}
	return s.writeUser(ctx, n, raw, s.patchedFields(raw, old, doc))
}

// patchedFields computes the Hector fields after a PATCH. A field filled
// from a fallback follows its source: when the first source is untouched
// and the stored value equals (case-insensitively) the old value of a later
// source that changed, the field takes that source's new value.
func (s *Service) patchedFields(raw []byte, old, doc Resource) map[string]any {
	fields := s.mapping.ToHector(doc)
	var stored []string // the record's value of each line's field, read once when needed
	for i, l := range s.mapping.lines {
		if l.boolean || samePath(old, doc, l.sources[0]) == false {
			continue
		}
		if stored == nil {
			stored = fieldValues(raw, s.mapping.Fields())
		}
		for _, src := range l.sources[1:] {
			was, _ := getPath(old, src).(string)
			if samePath(old, doc, src) || !strings.EqualFold(stored[i], was) {
				continue
			}
			if now, _ := getPath(doc, src).(string); now != "" {
				fields[l.field] = now
			}
			break
		}
	}
	return fields
}

// writeUser writes fields over the stored record with a full-replace PUT,
// carrying every other Hector field (role included) as it is. It makes no
// call when no field changes. A nil field (status absent) keeps its value.
func (s *Service) writeUser(ctx context.Context, id int64, raw []byte, fields map[string]any) (Resource, error) {
	rec, changed, err := mergeRecord(raw, fields)
	if err != nil {
		return nil, err
	}
	if !changed {
		return s.renderUser(ctx, raw), nil
	}
	out, err := s.hector.UpdateUser(ctx, id, rec)
	if err != nil {
		return nil, userErr(err, gjson.GetBytes(raw, "id").String())
	}
	s.auditUser(ctx, "update", raw, out)
	return s.renderUser(ctx, out), nil
}

// mergeRecord sets fields on a stored Hector record, dropping the
// read-only fields, and reports whether any value changed.
func mergeRecord(raw []byte, fields map[string]any) (json.RawMessage, bool, error) {
	rec := append([]byte(nil), raw...)
	var err error
	for _, ro := range []string{"id", "groups", "created_at", "updated_at"} {
		rec, _ = sjson.DeleteBytes(rec, ro)
	}
	changed := false
	keys := sortedKeys(fields)
	curs := fieldResults(raw, keys)
	for i, field := range keys {
		v := fields[field]
		if v == nil {
			continue
		}
		cur := curs[i]
		if cur.String() == v || (v == "" && cur.Type == gjson.Null) {
			continue
		}
		changed = true
		if rec, err = sjson.SetBytes(rec, field, v); err != nil {
			return nil, false, err
		}
	}
	return rec, changed, nil
}

// DeleteUser disables the user (the default: assets stay with them) or,
// with HardDelete, deletes them. Deleting a disabled user again is a
// success that changes nothing.
func (s *Service) DeleteUser(ctx context.Context, id string) error {
	n, err := parseID("User", id)
	if err != nil {
		return err
	}
	if s.cfg.HardDelete && ctx.Value(ifMatchKey{}) == nil {
		if err := s.hector.DeleteUser(ctx, n); err != nil {
			return userErr(err, id)
		}
		s.audit.Change(ctx, Change{Object: "user", Action: "delete", ID: id})
		return nil
	}
	raw, unlock, err := s.readUserForWrite(ctx, n, id)
	if err != nil {
		return err
	}
	defer unlock()
	if s.cfg.HardDelete {
		if err := s.hector.DeleteUser(ctx, n); err != nil {
			return userErr(err, id)
		}
		s.audit.Change(ctx, Change{Object: "user", Action: "delete", ID: id})
		return nil
	}
	_, err = s.writeUser(ctx, n, raw, map[string]any{"status": "disabled"})
	return err
}

// readUserForWrite locks a user for a read-modify-write, reads them and
// enforces If-Match; the caller unlocks.
func (s *Service) readUserForWrite(ctx context.Context, n int64, id string) (json.RawMessage, func(), error) {
	unlock := s.locks.lock("user", n)
	raw, err := s.hector.GetUser(ctx, n)
	if err == nil && ctx.Value(ifMatchKey{}) != nil {
		err = checkVersion(ctx, s.renderUser(ctx, raw))
	}
	if err != nil {
		unlock()
		return nil, nil, userErr(err, id)
	}
	return raw, unlock, nil
}
