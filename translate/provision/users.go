package provision

import (
	"context"
	"encoding/json"

	"github.com/hector-scim/hector-scim/translate"
)

// GetUser reads one user.
func (s *Service) GetUser(ctx context.Context, req Request, id string) (translate.Resource, error) {
	n, err := translate.ParseID("User", id)
	if err != nil {
		return nil, err
	}
	raw, err := s.hector.GetUser(ctx, n)
	if err != nil {
		return nil, userErr(err, id)
	}
	return s.mapping.RenderUser(raw, req.BaseURL), nil
}

// CreateUser creates a user from a SCIM User body.
func (s *Service) CreateUser(ctx context.Context, req Request, body []byte) (translate.Resource, error) {
	doc, err := s.mapping.DecodeUserNoting(body, req.Unknown)
	if err != nil {
		return nil, err
	}
	rec, err := s.mapping.NewRecord(doc, s.cfg.Roles.Default)
	if err != nil {
		return nil, err
	}
	raw, err := s.hector.CreateUser(ctx, rec)
	if err != nil {
		return nil, err
	}
	s.auditUser(ctx, "create", nil, raw)
	return s.mapping.RenderUser(raw, req.BaseURL), nil
}

// ReplaceUser replaces what Hector stores of a user from a full SCIM User
// body (Okta's PUT): omitted stored attributes are cleared; id, meta,
// groups and password are ignored; the role, memberships and, when the
// body has no active, the status stay.
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
	return s.writeUser(ctx, req, raw, s.mapping.ToHector(doc))
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
	return s.writeUser(ctx, req, raw, fields)
}

// writeUser writes fields over the stored record with a full-replace PUT,
// carrying every other Hector field (role included) as it is. It makes no
// call when no field changes. A nil field (status absent) keeps its value.
func (s *Service) writeUser(ctx context.Context, req Request, raw []byte, fields map[string]any) (translate.Resource, error) {
	rec, changed, err := translate.MergeRecord(raw, fields)
	if err != nil {
		return nil, err
	}
	if !changed {
		return s.mapping.RenderUser(raw, req.BaseURL), nil
	}
	id := translate.RecordID(raw)
	out, err := s.hector.UpdateUser(ctx, id, rec)
	if err != nil {
		return nil, userErr(err, translate.IDString(id))
	}
	s.auditUser(ctx, "update", raw, out)
	return s.mapping.RenderUser(out, req.BaseURL), nil
}

// DeleteUser disables the user (the default: assets stay with them) or,
// with HardDelete, deletes them. Deleting a disabled user again is a
// success that changes nothing. With If-Match the user is read first.
func (s *Service) DeleteUser(ctx context.Context, req Request, id string) error {
	n, err := translate.ParseID("User", id)
	if err != nil {
		return err
	}
	if s.cfg.HardDelete && req.IfMatch == "" {
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
	_, err = s.writeUser(ctx, req, raw, map[string]any{"status": translate.StatusDisabled})
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
// enforces If-Match; the caller unlocks.
func (s *Service) readUserForWrite(ctx context.Context, req Request, n int64, id string) (json.RawMessage, func(), error) {
	unlock := s.locks.lock("user", n)
	raw, err := s.hector.GetUser(ctx, n)
	if err == nil && req.IfMatch != "" {
		err = translate.CheckVersion(req.IfMatch, s.mapping.RenderUser(raw, req.BaseURL))
	}
	if err != nil {
		unlock()
		return nil, nil, userErr(err, id)
	}
	return raw, unlock, nil
}
