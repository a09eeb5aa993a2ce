package provision

import (
	"context"
	"time"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
)

// group is what the SCIM layer reads of a Hector group.
func group(g legacyclient.Group) translate.Group {
	return translate.Group{ID: g.ID, Name: g.Name, ExternalID: g.ExternalID, MemberCount: g.MemberCount, CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt}
}

// renderGroup turns a Hector group into a SCIM Group; members, when
// wanted, are a translate.Stream read page by page from Hector.
func (s *Service) renderGroup(ctx context.Context, req Request, g legacyclient.Group, withMembers bool) translate.Resource {
	doc := translate.RenderGroup(group(g), req.BaseURL)
	if withMembers {
		doc["members"] = s.memberStream(ctx, req, g.ID)
	}
	return doc
}

func (s *Service) memberStream(ctx context.Context, req Request, groupID int64) translate.Stream {
	return func(yield func(any, error) bool) {
		for m, err := range s.hector.Members(ctx, groupID) {
			if err != nil {
				yield(nil, err)
				return
			}
			if s.protect.Has(m.Username) {
				continue // protected accounts do not exist to SCIM
			}
			if !yield(translate.MemberRef(m.ID, m.Username, req.BaseURL), nil) {
				return
			}
		}
	}
}

// GetGroup reads one group; its members are streamed from Hector's paged
// member list only when withMembers is set.
func (s *Service) GetGroup(ctx context.Context, req Request, id string, withMembers bool) (translate.Resource, error) {
	n, err := translate.ParseID("Group", id)
	if err != nil {
		return nil, err
	}
	g, err := s.hector.GetGroup(ctx, n)
	if err != nil {
		return nil, groupErr(err, id)
	}
	return s.renderGroup(ctx, req, g, withMembers), nil
}

// CreateGroup creates a group and adds its members. A group sent without
// externalId gets a generated one, so that it counts as synchronized. The
// members are checked first: an unknown or protected member is 400
// invalidValue, and then no group is created. After a lost answer only
// this request's own group is adopted; one that existed before the
// request (the IdP's externalId found on it) is audited as adopted.
func (s *Service) CreateGroup(ctx context.Context, req Request, body []byte) (translate.Resource, error) {
	began := time.Now()
	gb, err := translate.DecodeGroupNoting(body, req.Unknown)
	if err != nil {
		return nil, err
	}
	ext := gb.ExternalID
	if ext == "" {
		ext = generatedExternalID()
	}
	defer s.locks.lockMany("user", gb.Members)()
	p, err := s.planMembers(ctx, 0, translate.MemberDelta{Add: gb.Members})
	if err != nil {
		return nil, err
	}
	g, adopted, err := s.hector.CreateGroupAdopted(ctx, legacyclient.GroupInput{Name: gb.Name, ExternalID: ext})
	if err != nil {
		return nil, err
	}
	action := "create"
	if adopted && g.CreatedAt.Before(began.Truncate(time.Second)) {
		action = "adopt"
	}
	s.auditGroup(ctx, action, g.ID, translate.FieldChange{Field: "name", After: g.Name}, translate.FieldChange{Field: "external_id", After: g.ExternalID})
	if len(gb.Members) > 0 {
		if err := s.applyMembers(ctx, g, g, p, &groupIndex{s: s}); err != nil {
			return nil, err
		}
		g.MemberCount = len(gb.Members)
	}
	doc := s.renderGroup(ctx, req, g, false)
	doc["members"] = translate.MemberRefs(gb.Members, req.BaseURL)
	return doc, nil
}

// ReplaceGroup replaces a group's name and externalId and, when the body
// has members, its members (by difference with Hector's list). A body
// without members (or with "members": null) leaves them as they are; one
// without externalId keeps the stored one.
func (s *Service) ReplaceGroup(ctx context.Context, req Request, id string, body []byte) (translate.Resource, error) {
	n, err := translate.ParseID("Group", id)
	if err != nil {
		return nil, err
	}
	gb, err := translate.DecodeGroupNoting(body, req.Unknown)
	if err != nil {
		return nil, err
	}
	g, unlock, err := s.readGroupForWrite(ctx, req, n, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	change := translate.GroupChange{Name: &gb.Name}
	if gb.ExternalID != "" {
		change.ExternalID = &gb.ExternalID // without one, the stored one stays
	}
	if gb.HasMembers {
		change.Members = translate.MemberDelta{Replace: true, Set: gb.Members}
	}
	g, err = s.applyGroupChange(ctx, g, change)
	if err != nil {
		return nil, err
	}
	return s.renderGroup(ctx, req, g, false), nil
}

// PatchGroup applies a SCIM PatchOp to a group: displayName and externalId
// changes, and member adds and removes in every Entra and Okta form. It
// returns the group without members.
func (s *Service) PatchGroup(ctx context.Context, req Request, id string, body []byte) (translate.Resource, error) {
	n, err := translate.ParseID("Group", id)
	if err != nil {
		return nil, err
	}
	change, err := translate.ParseGroupPatch(body)
	if err != nil {
		return nil, err
	}
	g, unlock, err := s.readGroupForWrite(ctx, req, n, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if g, err = s.applyGroupChange(ctx, g, change); err != nil {
		return nil, err
	}
	return s.renderGroup(ctx, req, g, false), nil
}

// DeleteGroup deletes a group. Its members' roles are recomputed and a
// member left in no synchronized group is disabled, before the group goes,
// so that a retry after a failure finishes the work.
func (s *Service) DeleteGroup(ctx context.Context, req Request, id string) error {
	n, err := translate.ParseID("Group", id)
	if err != nil {
		return err
	}
	g, unlock, err := s.readGroupForWrite(ctx, req, n, id)
	if err != nil {
		return err
	}
	defer unlock()
	if s.groupAffectsUsers(g) {
		if err := s.settleDeletion(ctx, g); err != nil {
			return err
		}
	}
	if err := s.hector.DeleteGroup(ctx, n); err != nil {
		return groupErr(err, id)
	}
	s.auditGroup(ctx, "delete", n, translate.FieldChange{Field: "name", Before: g.Name})
	return nil
}

// readGroupForWrite locks a group for a change, reads it and enforces
// If-Match; the caller unlocks.
func (s *Service) readGroupForWrite(ctx context.Context, req Request, n int64, id string) (legacyclient.Group, func(), error) {
	unlock := s.locks.lock("group", n)
	g, err := s.hector.GetGroup(ctx, n)
	if err == nil && req.IfMatch != "" {
		err = translate.CheckVersion(req.IfMatch, s.renderGroup(ctx, req, g, false))
	}
	if err != nil {
		unlock()
		return g, nil, groupErr(err, id)
	}
	return g, unlock, nil
}

// groupAffectsUsers reports whether changing the members of group g (or
// deleting it) changes anything on them: it grants a role, or it is
// synchronized.
func (s *Service) groupAffectsUsers(g legacyclient.Group) bool {
	return s.grantsRole(g) || g.ExternalID != ""
}

// grantsRole reports whether group g, by its name or its external_id,
// grants a role.
func (s *Service) grantsRole(g legacyclient.Group) bool {
	return s.cfg.Roles.Enabled() && s.cfg.Roles.Grants(groupRef(g))
}
