package legacyclient

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
)

// Membership and role routes, as reported to the Observer and in Error.Op.
const (
	RouteListMembers  = "GET /groups/{id}/members"
	RouteAddMembers   = "POST /groups/{id}/members"
	RouteRemoveMember = "DELETE /groups/{id}/members/{user_id}"
	RouteRoles        = "GET /roles"
)

// MaxMembersPerCall is the contract's limit of user ids per POST
// /groups/{id}/members; AddMembers splits longer lists.
const MaxMembersPerCall = 100

// Member is one member of a group.
type Member struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
}

// MemberPage is one page of a group's members.
type MemberPage struct {
	Members              []Member
	Page, PerPage, Total int
}

// ListMembers returns one page of the members of group groupID. page and
// perPage <= 0 select Hector's defaults.
func (c *Client) ListMembers(ctx context.Context, groupID int64, page, perPage int) (MemberPage, error) {
	body, err := c.send(ctx, request{
		route: RouteListMembers, method: http.MethodGet, path: idPath("/groups", groupID) + "/members",
		query: pageQuery(nil, page, perPage), want: http.StatusOK, idempotent: true,
	})
	if err != nil {
		return MemberPage{}, err
	}
	members, m, err := decodeList[Member](RouteListMembers, body)
	if err != nil {
		return MemberPage{}, err
	}
	return MemberPage{Members: members, Page: m.Page, PerPage: m.PerPage, Total: m.Total}, nil
}

// Members yields every member of group groupID, fetching 100 a page as it
// goes, so that a large group never sits in memory. It stops after
// yielding an error.
func (c *Client) Members(ctx context.Context, groupID int64) iter.Seq2[Member, error] {
	return walk(func(page int) ([]Member, meta, error) {
		p, err := c.ListMembers(ctx, groupID, page, iterPerPage)
		return p.Members, meta{Page: p.Page, PerPage: p.PerPage, Total: p.Total}, err
	})
}

// AddMembers adds the users to group groupID, MaxMembersPerCall at a time,
// in order. It stops at the first failure and returns it; the chunks
// already added stay, and since adding is idempotent, repeating the call
// completes it.
func (c *Client) AddMembers(ctx context.Context, groupID int64, userIDs []int64) error {
	for len(userIDs) > 0 {
		n := min(len(userIDs), MaxMembersPerCall)
		body, err := json.Marshal(struct {
			UserIDs []int64 `json:"user_ids"`
		}{userIDs[:n]})
		if err != nil {
			return &Error{Code: CodeBadRequest, Op: RouteAddMembers, Message: "cannot encode user ids"}
		}
		if _, err := c.send(ctx, request{
			route: RouteAddMembers, method: http.MethodPost, path: idPath("/groups", groupID) + "/members",
			body: body, want: http.StatusNoContent, idempotent: true,
		}); err != nil {
			return err
		}
		userIDs = userIDs[n:]
	}
	return nil
}

// RemoveMember removes user userID from group groupID. It succeeds when
// the user was no member; IsNotFound holds only for an unknown group.
func (c *Client) RemoveMember(ctx context.Context, groupID, userID int64) error {
	_, err := c.send(ctx, request{
		route: RouteRemoveMember, method: http.MethodDelete,
		path: idPath(idPath("/groups", groupID)+"/members", userID),
		want: http.StatusNoContent, idempotent: true,
	})
	return err
}

// Roles returns the names of the tenant's roles, every page of them.
func (c *Client) Roles(ctx context.Context) ([]string, error) {
	var names []string
	seq := walk(func(page int) ([]struct{ Name string }, meta, error) {
		body, err := c.send(ctx, request{
			route: RouteRoles, method: http.MethodGet, path: "/roles",
			query: pageQuery(nil, page, iterPerPage), want: http.StatusOK, idempotent: true,
		})
		if err != nil {
			return nil, meta{}, err
		}
		return decodeList[struct{ Name string }](RouteRoles, body)
	})
	for role, err := range seq {
		if err != nil {
			return nil, err
		}
		names = append(names, role.Name)
	}
	return names, nil
}
