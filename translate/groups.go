package translate

import (
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/hector-scim/hector-scim/translate/schema"
)

// GeneratedPrefix marks an external_id the sidecar generated for a user
// or group the IdP sent (or took over) without externalId, so that it
// counts as managed. It is never reported back as externalId.
const GeneratedPrefix = "hector-scim:"

// IsGenerated reports whether an external_id is one the sidecar
// generated, comparing as Hector does (plain lower-casing: "hector-ſcim:"
// is not the prefix).
func IsGenerated(ext string) bool {
	return strings.HasPrefix(strings.ToLower(ext), GeneratedPrefix)
}

// Stream is a lazily produced JSON array, such as a group's members read
// page by page from Hector: the encoder writes each element as it comes,
// so the whole list never sits in memory.
type Stream iter.Seq2[any, error]

// Group is what the SCIM layer reads of a Hector group.
type Group struct {
	ID          int64
	Name        string
	ExternalID  string // "" when Hector holds none
	MemberCount int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Synchronized reports whether the group is one the IdP manages (it has an
// external_id), so that leaving it can deactivate a user.
func (g Group) Synchronized() bool { return g.ExternalID != "" }

// RenderGroup turns a Hector group into a SCIM Group resource without
// members; base is the absolute URL of the SCIM base path.
func RenderGroup(g Group, base string) Resource {
	id := strconv.FormatInt(g.ID, 10)
	doc := Resource{"schemas": []any{schema.GroupURN}, "id": id, "displayName": g.Name}
	if g.ExternalID != "" && !IsGenerated(g.ExternalID) {
		doc["externalId"] = g.ExternalID
	}
	v := version([]byte(g.Name), []byte(g.ExternalID), []byte(strconv.Itoa(g.MemberCount)), []byte(stamp(g.UpdatedAt)))
	doc["meta"] = meta(base, "Group", "/Groups/"+id, stamp(g.CreatedAt), stamp(g.UpdatedAt), v)
	return doc
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// MemberRef is the SCIM member entry of user id.
func MemberRef(id int64, display, base string) map[string]any {
	s := strconv.FormatInt(id, 10)
	m := map[string]any{"value": s, "$ref": base + "/Users/" + s}
	if display != "" {
		m["display"] = display
	}
	return m
}

// MemberRefs lists the SCIM member entries of ids.
func MemberRefs(ids []int64, base string) []any {
	out := make([]any, 0, len(ids))
	for _, n := range ids {
		out = append(out, MemberRef(n, "", base))
	}
	return out
}

// GroupBody is a decoded Group body (POST or PUT).
type GroupBody struct {
	Name       string
	ExternalID string
	Members    []int64
	HasMembers bool // the body has a members attribute that is not null
}

// DecodeGroup decodes and checks a Group body; displayName is required.
// Names that belong to no schema are ignored.
func DecodeGroup(body []byte) (GroupBody, error) { return DecodeGroupNoting(body, nil) }

// DecodeGroupNoting is DecodeGroup that passes each ignored name (as
// DecodeUserNoting does) to ignored when it is not nil.
func DecodeGroupNoting(body []byte, ignored func(name string)) (GroupBody, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return GroupBody{}, err
	}
	doc, unknown, err := normalizeResource(obj, schema.Group, func(schema.Ref) bool { return true })
	if err != nil {
		return GroupBody{}, err
	}
	var g GroupBody
	g.Name, _ = doc["displayName"].(string)
	if strings.TrimSpace(g.Name) == "" {
		return g, BadRequest(InvalidValue, "displayName is required")
	}
	g.ExternalID, _ = doc["externalId"].(string)
	// "members": null is unassigned (RFC 7643 §2.5), like an omitted
	// members: it leaves the members as they are, never empties the group.
	_, v, has := lookupKey(obj, "members")
	g.HasMembers = has && v != nil
	if g.Members, err = parseMemberIDs(asList(doc["members"])); err != nil {
		return g, err
	}
	noteAll(ignored, unknown)
	return g, nil
}

// parseMemberIDs reads member values as Hector user ids, without duplicates.
func parseMemberIDs(list []any) ([]int64, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, e := range list {
		m, _ := e.(map[string]any)
		v, _ := m["value"].(string)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, BadRequest(InvalidValue, "member %q is not the id of a user", v)
		}
		if !seen[n] {
			seen[n] = true
			ids = append(ids, n)
		}
	}
	return ids, nil
}

// MemberDelta is a membership change: explicit adds and removes, or a
// replacement of the whole member list by Set.
type MemberDelta struct {
	Add, Remove []int64
	Replace     bool
	Set         []int64
}

// GroupChange is a change of a group's attributes and members; nil
// attributes stay.
type GroupChange struct {
	Name, ExternalID *string
	Members          MemberDelta
}

// ParseGroupPatch parses a SCIM PatchOp on a group and folds its
// operations into one group change, in order: Okta's remove-then-add of
// the same member leaves them a member.
func ParseGroupPatch(body []byte) (GroupChange, error) {
	ops, err := ParsePatch(body, schema.Group)
	if err != nil {
		return GroupChange{}, err
	}
	return groupPatch(ops)
}

func groupPatch(ops []Operation) (GroupChange, error) {
	var c GroupChange
	m := memberFold{explicit: map[int64]bool{}}
	for _, o := range ops {
		if o.Path.Ignored {
			continue
		}
		var err error
		switch strings.ToLower(o.Path.Ref.Attr.Name) {
		case "displayname":
			c.Name, err = groupName(o)
		case "externalid":
			c.ExternalID, err = groupExternalID(o)
		case "members":
			err = m.fold(o)
		default:
			err = BadRequest(Mutability, "%s cannot be changed", o.Path.String())
		}
		if err != nil {
			return c, err
		}
	}
	c.Members = m.delta()
	return c, nil
}

func groupName(o Operation) (*string, error) {
	v, _ := o.Value.(string)
	if o.Op == "remove" || strings.TrimSpace(v) == "" || o.Path.Ref.Sub != nil {
		return nil, BadRequest(InvalidValue, "displayName must be a non-empty string")
	}
	if err := CheckPlainText("displayName", v); err != nil {
		return nil, err
	}
	return &v, nil
}

func groupExternalID(o Operation) (*string, error) {
	v := ""
	if o.Op != "remove" && o.Value != nil {
		s, ok := o.Value.(string)
		if !ok {
			return nil, BadRequest(InvalidValue, "externalId must be a string")
		}
		if err := CheckPlainText("externalId", s); err != nil {
			return nil, err
		}
		v = s
	}
	return &v, nil
}

// ReplacementDelta computes the adds and removes that turn the current
// member list into set.
func ReplacementDelta(current, set []int64) MemberDelta {
	want := make(map[int64]bool, len(set))
	for _, id := range set {
		want[id] = true
	}
	var d MemberDelta
	for _, id := range current {
		if want[id] {
			delete(want, id)
		} else {
			d.Remove = append(d.Remove, id)
		}
	}
	for _, id := range set {
		if want[id] {
			d.Add = append(d.Add, id)
		}
	}
	return d
}
