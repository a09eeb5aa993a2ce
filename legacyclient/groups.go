package legacyclient

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"time"
)

// Group routes, as reported to the Observer and in Error.Op.
const (
	RouteListGroups  = "GET /groups"
	RouteGetGroup    = "GET /groups/{id}"
	RouteCreateGroup = "POST /groups"
	RouteUpdateGroup = "PUT /groups/{id}"
	RouteDeleteGroup = "DELETE /groups/{id}"
)

// Group is a Hector group.
type Group struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	ExternalID  string    `json:"external_id"` // "" when null
	MemberCount int       `json:"member_count"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// GroupInput is the writable part of a group, for CreateGroup and UpdateGroup.
type GroupInput struct {
	Name       string
	ExternalID string // "" is sent as null
}

// MarshalJSON encodes in as the contract's group body.
func (in GroupInput) MarshalJSON() ([]byte, error) {
	var ext *string
	if in.ExternalID != "" {
		ext = &in.ExternalID
	}
	return json.Marshal(struct {
		Name       string  `json:"name"`
		ExternalID *string `json:"external_id"`
	}{in.Name, ext})
}

// GroupQuery filters ListGroups and Groups.
type GroupQuery struct {
	// Equal holds equality filters by group field name (name,
	// external_id), sent as query parameters of the same names: exact and
	// case-insensitive on Hector's side. Every entry is sent, an empty
	// value included (it matches only empty fields), so that a filter is
	// never dropped or widened on the way.
	Equal map[string]string
}

func (q GroupQuery) values() url.Values {
	v := url.Values{}
	for field, value := range q.Equal {
		v.Set(field, value)
	}
	return v
}

// GroupPage is one page of groups.
type GroupPage struct {
	Groups               []Group
	Page, PerPage, Total int
}

// ListGroups returns one page of the groups matching q. page and perPage
// <= 0 select Hector's defaults.
func (c *Client) ListGroups(ctx context.Context, q GroupQuery, page, perPage int) (GroupPage, error) {
	body, err := c.send(ctx, request{
		route: RouteListGroups, method: http.MethodGet, path: "/groups",
		query: pageQuery(q.values(), page, perPage), want: http.StatusOK, idempotent: true,
	})
	if err != nil {
		return GroupPage{}, err
	}
	groups, m, err := decodeList[Group](RouteListGroups, body)
	if err != nil {
		return GroupPage{}, err
	}
	return GroupPage{Groups: groups, Page: m.Page, PerPage: m.PerPage, Total: m.Total}, nil
}

// Groups yields every group matching q, fetching 100 a page as it goes. It
// stops after yielding an error.
func (c *Client) Groups(ctx context.Context, q GroupQuery) iter.Seq2[Group, error] {
	return walk(func(page int) ([]Group, meta, error) {
		p, err := c.ListGroups(ctx, q, page, iterPerPage)
		return p.Groups, meta{Page: p.Page, PerPage: p.PerPage, Total: p.Total}, err
	})
}

// GetGroup returns the group with id; IsNotFound holds for a missing one.
func (c *Client) GetGroup(ctx context.Context, id int64) (Group, error) {
	body, err := c.send(ctx, request{
		route: RouteGetGroup, method: http.MethodGet, path: idPath("/groups", id),
		want: http.StatusOK, idempotent: true,
	})
	if err != nil {
		return Group{}, err
	}
	return decodeData[Group](RouteGetGroup, http.StatusOK, body)
}

// CreateGroup creates a group. Like CreateUser, it never re-sends blindly a
// POST that may have reached Hector: it looks the group up by name (else
// external_id) and adopts only its own: the same name and external_id,
// or, when in has no external_id, the same name and created after the
// call began.
func (c *Client) CreateGroup(ctx context.Context, in GroupInput) (Group, error) {
	g, _, err := c.CreateGroupAdopted(ctx, in)
	return g, err
}

// CreateGroupAdopted is CreateGroup that also reports whether the group
// was adopted (found by the lookup after a lost answer) rather than
// answered by the POST.
func (c *Client) CreateGroupAdopted(ctx context.Context, in GroupInput) (Group, bool, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return Group{}, false, &Error{Code: CodeBadRequest, Op: RouteCreateGroup, Message: "cannot encode group"}
	}
	r := request{
		route: RouteCreateGroup, method: http.MethodPost, path: "/groups",
		body: body, want: http.StatusCreated,
	}
	began := time.Now()
	created, adopted, err := c.create(ctx, r, func(ctx context.Context) ([]byte, bool, error) {
		return c.find(ctx, RouteListGroups, "/groups", []string{"name", "external_id"}, body, began)
	})
	if err != nil {
		return Group{}, false, err
	}
	g, err := decodeData[Group](RouteCreateGroup, http.StatusCreated, created)
	return g, adopted, err
}

// UpdateGroup replaces the group's name and external_id with in.
func (c *Client) UpdateGroup(ctx context.Context, id int64, in GroupInput) (Group, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return Group{}, &Error{Code: CodeBadRequest, Op: RouteUpdateGroup, Message: "cannot encode group"}
	}
	out, err := c.send(ctx, request{
		route: RouteUpdateGroup, method: http.MethodPut, path: idPath("/groups", id),
		body: body, want: http.StatusOK, idempotent: true,
	})
	if err != nil {
		return Group{}, err
	}
	return decodeData[Group](RouteUpdateGroup, http.StatusOK, out)
}

// DeleteGroup deletes the group with id; its memberships go with it.
func (c *Client) DeleteGroup(ctx context.Context, id int64) error {
	_, err := c.send(ctx, request{
		route: RouteDeleteGroup, method: http.MethodDelete, path: idPath("/groups", id),
		want: http.StatusNoContent, idempotent: true,
	})
	return err
}
