package translate

import (
	"context"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate/schema"
)

// generatedPrefix marks an external_id the sidecar generated for a group
// the IdP sent without externalId (Okta), so that the group counts as
// synchronized. It is never reported back as externalId.
const generatedPrefix = "hector-scim:"

func generatedExternalID() string { return generatedPrefix + uuid.NewString() }

func isGenerated(ext string) bool {
	return len(ext) >= len(generatedPrefix) && strings.EqualFold(ext[:len(generatedPrefix)], generatedPrefix)
}

// Stream is a lazily produced JSON array, such as a group's members read
// page by page from Hector: the encoder writes each element as it comes,
// so the whole list never sits in memory.
type Stream iter.Seq2[any, error]

// renderGroup turns a Hector group into a SCIM Group resource; members,
// when wanted, are a Stream.
func (s *Service) renderGroup(ctx context.Context, g legacyclient.Group, withMembers bool) Resource {
	id := strconv.FormatInt(g.ID, 10)
	doc := Resource{"schemas": []any{schema.GroupURN}, "id": id, "displayName": g.Name}
	if g.ExternalID != "" && !isGenerated(g.ExternalID) {
		doc["externalId"] = g.ExternalID
	}
	v := version([]byte(g.Name), []byte(g.ExternalID), []byte(strconv.Itoa(g.MemberCount)), []byte(stamp(g.UpdatedAt)))
	doc["meta"] = meta(ctx, "Group", "/Groups/"+id, stamp(g.CreatedAt), stamp(g.UpdatedAt), v)
	if withMembers {
		doc["members"] = s.memberStream(ctx, g.ID)
	}
	return doc
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *Service) memberStream(ctx context.Context, groupID int64) Stream {
	base := BaseURL(ctx)
	return func(yield func(any, error) bool) {
		for m, err := range s.hector.Members(ctx, groupID) {
			if err != nil {
				yield(nil, err)
				return
			}
			id := strconv.FormatInt(m.ID, 10)
			if !yield(map[string]any{"value": id, "display": m.Username, "$ref": base + "/Users/" + id}, nil) {
				return
			}
		}
	}
}

func groupErr(err error, id string) error {
	if legacyclient.IsNotFound(err) {
		return notFound("Group", id)
	}
	return err
}

// GetGroup reads one group; its members are streamed from Hector's paged
// member list only when withMembers is set.
func (s *Service) GetGroup(ctx context.Context, id string, withMembers bool) (Resource, error) {
	n, err := parseID("Group", id)
	if err != nil {
		return nil, err
	}
	g, err := s.hector.GetGroup(ctx, n)
	if err != nil {
		return nil, groupErr(err, id)
	}
	return s.renderGroup(ctx, g, withMembers), nil
}

// groupBody is a decoded Group body.
type groupBody struct {
	name       string
	externalID string
	members    []int64
	hasMembers bool
}

func (s *Service) decodeGroup(body []byte) (groupBody, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return groupBody{}, err
	}
	doc, err := normalizeResource(obj, schema.Group, func(schema.Ref) bool { return true })
	if err != nil {
		return groupBody{}, err
	}
	var g groupBody
	g.name, _ = doc["displayName"].(string)
	if strings.TrimSpace(g.name) == "" {
		return g, badRequest(InvalidValue, "displayName is required")
	}
	g.externalID, _ = doc["externalId"].(string)
	_, _, g.hasMembers = lookupKey(obj, "members")
	g.members, err = memberIDs(asList(doc["members"]))
	return g, err
}

// memberIDs reads member values as Hector user ids, without duplicates.
func memberIDs(list []any) ([]int64, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, e := range list {
		m, _ := e.(map[string]any)
		v, _ := m["value"].(string)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, badRequest(InvalidValue, "member %q is not the id of a user", v)
		}
		if !seen[n] {
			seen[n] = true
			ids = append(ids, n)
		}
	}
	return ids, nil
}

// CreateGroup creates a group and adds its members. A group sent without
// externalId gets a generated one, so that it counts as synchronized.
func (s *Service) CreateGroup(ctx context.Context, body []byte) (Resource, error) {
	gb, err := s.decodeGroup(body)
	if err != nil {
		return nil, err
	}
	ext := gb.externalID
	if ext == "" {
		ext = generatedExternalID()
	}
	g, err := s.hector.CreateGroup(ctx, legacyclient.GroupInput{Name: gb.name, ExternalID: ext})
	if err != nil {
		return nil, err
	}
	s.auditGroup(ctx, "create", g.ID, FieldChange{Field: "name", After: g.Name}, FieldChange{Field: "external_id", After: g.ExternalID})
	if len(gb.members) > 0 {
		defer s.locks.lock("group", g.ID)()
		if err := s.changeMembers(ctx, g, memberDelta{add: gb.members}); err != nil {
			return nil, err
		}
		g.MemberCount = len(gb.members)
	}
	doc := s.renderGroup(ctx, g, false)
	doc["members"] = memberList(ctx, gb.members)
	return doc, nil
}

func memberList(ctx context.Context, ids []int64) []any {
	out := make([]any, 0, len(ids))
	for _, n := range ids {
		id := strconv.FormatInt(n, 10)
		out = append(out, map[string]any{"value": id, "$ref": BaseURL(ctx) + "/Users/" + id})
	}
	return out
}

// ReplaceGroup replaces a group's name and externalId and, when the body
// has members, its members (by difference with Hector's list). A body
// without members leaves them as they are.
func (s *Service) ReplaceGroup(ctx context.Context, id string, body []byte) (Resource, error) {
	n, err := parseID("Group", id)
	if err != nil {
		return nil, err
	}
	gb, err := s.decodeGroup(body)
	if err != nil {
		return nil, err
	}
	g, unlock, err := s.readGroupForWrite(ctx, n, id)
	if err != nil {
		return nil, err
	}
	defer unlock()
	change := groupChange{name: &gb.name, externalID: &gb.externalID}
	if gb.hasMembers {
		change.members = memberDelta{replace: true, set: gb.members}
	}
	g, err = s.applyGroupChange(ctx, g, change)
	if err != nil {
		return nil, err
	}
	return s.renderGroup(ctx, g, false), nil
}

// DeleteGroup deletes a group. Its members' roles are recomputed and a
// member left in no synchronized group is disabled, before the group goes,
// so that a retry after a failure finishes the work.
func (s *Service) DeleteGroup(ctx context.Context, id string) error {
	n, err := parseID("Group", id)
	if err != nil {
		return err
	}
	g, unlock, err := s.readGroupForWrite(ctx, n, id)
	if err != nil {
		return err
	}
	defer unlock()
	if s.groupAffectsUsers(g.Name, g) {
		if err := s.settleDeletion(ctx, g); err != nil {
			return err
		}
	}
	if err := s.hector.DeleteGroup(ctx, n); err != nil {
		return groupErr(err, id)
	}
	s.auditGroup(ctx, "delete", n, FieldChange{Field: "name", Before: g.Name})
	return nil
}

// readGroupForWrite locks a group for a change, reads it and enforces
// If-Match; the caller unlocks.
func (s *Service) readGroupForWrite(ctx context.Context, n int64, id string) (legacyclient.Group, func(), error) {
	unlock := s.locks.lock("group", n)
	g, err := s.hector.GetGroup(ctx, n)
	if err == nil {
		err = checkVersion(ctx, s.renderGroup(ctx, g, false))
	}
	if err != nil {
		unlock()
		return g, nil, groupErr(err, id)
	}
	return g, unlock, nil
}
