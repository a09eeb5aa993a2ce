package provision

import (
	"context"
	"encoding/json"
	"time"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"

	"github.com/hector-scim/hector-scim/translate"
)

// GetUser reads one user; a protected account is not found.
func (s *Service) GetUser(ctx context.Context, req Request, id string) (translate.Resource, error) {
	n, err := translate.ParseID("User", id)
	if err != nil {
		return nil, err
	}
	raw, err := s.hector.GetUser(ctx, n)
	if err == nil && s.protect.Record(raw) {
		return nil, translate.NotFound("User", id)
	}
	if err != nil {
		return nil, userErr(err, id)
	}
	return s.mapping.RenderUser(raw, req.BaseURL), nil
}

// CreateUser creates a user from a SCIM User body. A user sent without
// externalId gets a generated external_id, so that it is managed. After a
// lost answer only this request's own record is adopted (see
// legacyclient.Client.CreateUser); a record that already existed before
// the request (the IdP's externalId found on it) is audited as adopted,
// not created. A username that is a protected account's is 409.
func (s *Service) CreateUser(ctx context.Context, req Request, body []byte) (translate.Resource, error) {
	began := time.Now()
	doc, err := s.mapping.DecodeUserNoting(body, req.Unknown)
	if err != nil {
		return nil, err
	}
	rec, err := s.mapping.NewRecord(doc, s.cfg.Roles.Default)
	if err != nil {
		return nil, err
	}
	if s.protect.Record(rec) {
		return nil, taken("userName")
	}
	if translate.ExternalID(rec) == "" {
		if rec, err = sjson.SetBytes(rec, "external_id", generatedExternalID()); err != nil {
			return nil, err
		}
	}
	raw, adopted, err := s.hector.CreateUserAdopted(ctx, rec)
	if err != nil {
		return nil, err
	}
	if s.protect.Record(raw) {
		return nil, taken("userName")
	}
	action := "create"
	if adopted && createdBefore(gjson.GetBytes(raw, "created_at").String(), began) {
		action = "adopt"
	}
	s.auditUser(ctx, action, nil, raw)
	return s.mapping.RenderUser(raw, req.BaseURL), nil
}

// createdBefore reports whether a Hector created_at (whole seconds) is
// before the moment a request began.
func createdBefore(createdAt string, began time.Time) bool {
	t, err := time.Parse(time.RFC3339, createdAt)
	return err == nil && t.Before(began.Truncate(time.Second))
}

// taken is the 409 of a value that another account holds.
func taken(attr string) error {
	return &translate.Error{Status: translate.StatusConflict, ScimType: translate.Uniqueness, Detail: "Hector already has a resource with this " + attr}
}

// ReplaceUser replaces what Hector stores of a user from a full SCIM User
// body (Okta's PUT): omitted stored attributes are cleared, except
// externalId, which a PUT without it keeps; id, meta, groups and password
// are ignored; the role, memberships and, when the body has no active, the
// status stay.
func (s *Service) ReplaceUser(ctx context.Context, req Request, id string, body []byte) (translate.Resource, error) {
	n, err := translate.ParseID("User", id)
	if err != nil {
		return nil, err
	}
	doc, err := s.mapping.DecodeUserNoting(body, req.Unknown)
	if err != nil {
		return nil, err
	}
	raw, unlock, err := s.readUserForWrite(ctx, req, n, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return s.writeUser(ctx, req, raw, s.mapping.ToHector(doc), true)
}

// PatchUser applies a SCIM PatchOp to a user: read, apply, and write the
// full record back, touching only what the PATCH names. Nothing is written
// when nothing Hector stores changes.
func (s *Service) PatchUser(ctx context.Context, req Request, id string, body []byte) (translate.Resource, error) {
	n, err := translate.ParseID("User", id)
	if err != nil {
		return nil, err
	}
	ops, err := translate.ParseUserPatch(body)
	if err != nil {
		return nil, err
	}
	raw, unlock, err := s.readUserForWrite(ctx, req, n, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	fields, err := s.mapping.PatchFields(raw, ops)
	if err != nil {
		return nil, err
	}
	return s.writeUser(ctx, req, raw, fields, false)
}

// writeUser writes what the IdP asked over the stored record. The user
// stays managed, or becomes managed: its external_id is the one the IdP
// sends, else the stored one (kept when keepExternalID is set, as by a PUT
// without externalId, or when the bridge generated it), else a generated
// one. Writing to a hand-made account adopts it, and is audited as such.
func (s *Service) writeUser(ctx context.Context, req Request, raw []byte, fields map[string]any, keepExternalID bool) (translate.Resource, error) {
	stored := translate.ExternalID(raw)
	sent, _ := fields["external_id"].(string)
	ext := translate.ExternalIDAfter(stored, sent, keepExternalID)
	if ext == "" {
		ext = generatedExternalID()
	}
	fields["external_id"] = ext
	action := "update"
	if stored == "" {
		action = "adopt"
	}
	out, err := s.writeRecord(ctx, raw, fields, action)
	if err != nil {
		return nil, err
	}
	return s.mapping.RenderUser(out, req.BaseURL), nil
}

// writeRecord writes fields over the stored record with a full-replace
// PUT, carrying every other Hector field (role included) as it is, and
// audits it as action. It makes no call when no field changes, and
// returns the record as Hector holds it. A nil field keeps its value.
func (s *Service) writeRecord(ctx context.Context, raw []byte, fields map[string]any, action string) (json.RawMessage, error) {
	rec, changed, err := translate.MergeRecord(raw, fields)
	if err != nil {
		return nil, err
	}
	if !changed {
		return raw, nil
	}
	id := translate.RecordID(raw)
	out, err := s.hector.UpdateUser(ctx, id, rec)
	if err != nil {
		return nil, userErr(err, translate.IDString(id))
	}
	s.auditUser(ctx, action, raw, out)
	return out, nil
}

// DeleteUser disables the user (the default: assets stay with them) or,
// with HardDelete, deletes them. Deleting a disabled user again is a
// success that changes nothing. The user is read first (for If-Match, and
// because a protected account is not found), unless a hard delete needs
// neither.
func (s *Service) DeleteUser(ctx context.Context, req Request, id string) error {
	n, err := translate.ParseID("User", id)
	if err != nil {
		return err
	}
	if s.cfg.HardDelete && req.IfMatch == "" && len(s.protect) == 0 {
		return s.hardDelete(ctx, n, id)
	}
	raw, unlock, err := s.readUserForWrite(ctx, req, n, id)
	if err != nil {
		return err
	}
	defer unlock()
	if s.cfg.HardDelete {
		return s.hardDelete(ctx, n, id)
	}
	_, err = s.writeUser(ctx, req, raw, map[string]any{"status": translate.StatusDisabled}, true)
	return err
}

func (s *Service) hardDelete(ctx context.Context, n int64, id string) error {
	if err := s.hector.DeleteUser(ctx, n); err != nil {
		return userErr(err, id)
	}
	s.audit.Change(ctx, translate.Change{Object: "user", Action: "delete", ID: id, Users: []int64{n}})
	return nil
}

// readUserForWrite locks a user for a read-modify-write, reads them and
// enforces If-Match; the caller unlocks. A protected account is not found.
func (s *Service) readUserForWrite(ctx context.Context, req Request, n int64, id string) (json.RawMessage, func(), error) {
	unlock := s.locks.lock("user", n)
	raw, err := s.hector.GetUser(ctx, n)
	if err == nil && s.protect.Record(raw) {
		err = translate.NotFound("User", id)
	}
	if err == nil && req.IfMatch != "" {
		err = translate.CheckVersion(req.IfMatch, s.mapping.RenderUser(raw, req.BaseURL))
	}
	if err != nil {
		unlock()
		return nil, nil, userErr(err, id)
	}
	return raw, unlock, nil
}
