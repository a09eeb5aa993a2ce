package legacyclient

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// User routes, as reported to the Observer and in Error.Op.
const (
	RouteListUsers  = "GET /users"
	RouteGetUser    = "GET /users/{id}"
	RouteCreateUser = "POST /users"
	RouteUpdateUser = "PUT /users/{id}"
	RouteDeleteUser = "DELETE /users/{id}"
)

// UserQuery filters ListUsers and Users.
type UserQuery struct {
	// Equal holds equality filters by user field name (username, email,
	// identifier, external_id, status), sent as query parameters of the
	// same names: exact and case-insensitive on Hector's side. Every entry
	// is sent, an empty value included (it matches only empty fields);
	// Hector answers a field it cannot filter on with 400.
	Equal map[string]string
	// UpdatedSince keeps users with updated_at >= it; it is sent in UTC
	// with whole seconds (truncated).
	UpdatedSince time.Time
}

func (q UserQuery) values() url.Values {
	v := url.Values{}
	for field, value := range q.Equal {
		v.Set(field, value)
	}
	if !q.UpdatedSince.IsZero() {
		v.Set("updated_since", q.UpdatedSince.UTC().Format(time.RFC3339))
	}
	return v
}

// UserPage is one page of users, each the raw JSON object from Hector.
type UserPage struct {
	Users                []json.RawMessage
	Page, PerPage, Total int
}

// ListUsers returns one page of the users matching q. page and perPage <= 0
// select Hector's defaults (1 and 25); Hector clamps perPage to 100.
func (c *Client) ListUsers(ctx context.Context, q UserQuery, page, perPage int) (UserPage, error) {
	body, err := c.send(ctx, request{
		route: RouteListUsers, method: http.MethodGet, path: "/users",
		query: pageQuery(q.values(), page, perPage), want: http.StatusOK, idempotent: true,
	})
	if err != nil {
		return UserPage{}, err
	}
	users, m, err := decodeRawList(RouteListUsers, body)
	if err != nil {
		return UserPage{}, err
	}
	return UserPage{Users: users, Page: m.Page, PerPage: m.PerPage, Total: m.Total}, nil
}

// Users yields every user matching q, fetching 100 a page as it goes. It
// stops after yielding an error.
func (c *Client) Users(ctx context.Context, q UserQuery) iter.Seq2[json.RawMessage, error] {
	return walk(func(page int) ([]json.RawMessage, meta, error) {
		p, err := c.ListUsers(ctx, q, page, iterPerPage)
		return p.Users, meta{Page: p.Page, PerPage: p.PerPage, Total: p.Total}, err
	})
}

// GetUser returns the user with id; a missing user is an *Error for which
// IsNotFound holds.
func (c *Client) GetUser(ctx context.Context, id int64) (json.RawMessage, error) {
	body, err := c.send(ctx, request{
		route: RouteGetUser, method: http.MethodGet, path: idPath("/users", id),
		want: http.StatusOK, idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return dataObject(RouteGetUser, http.StatusOK, body)
}

// CreateUser creates a user from body, a JSON object of the contract's
// user fields, and returns the created user. When the POST may have
// reached Hector without an answer (a dropped connection, a timeout after
// sending, a 5xx), it is never re-sent blindly: the user is looked up by
// username (else email, identifier, external_id) and adopted only when it
// is this call's own record: every unique field of body matches, and
// either body has an external_id (then equal, so it is the caller's key)
// or the user was created after the call began. Anyone else's account,
// with the same username, is never adopted. Only when absent is the POST
// repeated, at most Retries times. A 409 on a repeated POST is adopted the
// same way, otherwise returned.
func (c *Client) CreateUser(ctx context.Context, body json.RawMessage) (json.RawMessage, error) {
	u, _, err := c.CreateUserAdopted(ctx, body)
	return u, err
}

// CreateUserAdopted is CreateUser that also reports whether the user was
// adopted (found by the lookup after a lost answer) rather than answered
// by the POST: then it may be a user created before the call, such as
// one holding the caller's external_id.
func (c *Client) CreateUserAdopted(ctx context.Context, body json.RawMessage) (json.RawMessage, bool, error) {
	if !gjson.ValidBytes(body) {
		return nil, false, &Error{Code: CodeBadRequest, Op: RouteCreateUser, Message: "body is not valid JSON"}
	}
	r := request{
		route: RouteCreateUser, method: http.MethodPost, path: "/users",
		body: body, want: http.StatusCreated,
	}
	began := time.Now()
	created, adopted, err := c.create(ctx, r, func(ctx context.Context) ([]byte, bool, error) {
		return c.find(ctx, RouteListUsers, "/users", userKeys(), body, began)
	})
	if err != nil {
		return nil, false, err
	}
	u, err := dataObject(RouteCreateUser, http.StatusCreated, created)
	return u, adopted, err
}

// userKeys returns the user's unique fields, in lookup order.
func userKeys() []string { return []string{"username", "email", "identifier", "external_id"} }

// find looks up, through the list at path, the object body describes by
// its first non-empty unique field among keys, and returns it, wrapped as
// {"data": ...}, when it is the caller's own (see ownRecord).
func (c *Client) find(ctx context.Context, route, path string, keys []string, body []byte, began time.Time) ([]byte, bool, error) {
	for _, key := range keys {
		v := gjson.GetBytes(body, key).String()
		if v == "" {
			continue
		}
		page, err := c.send(ctx, request{
			route: route, method: http.MethodGet, path: path,
			query: pageQuery(url.Values{key: {v}}, 1, iterPerPage), want: http.StatusOK, idempotent: true,
		})
		if err != nil {
			return nil, false, err
		}
		objs, _, err := decodeRawList(route, page)
		if err != nil {
			return nil, false, err
		}
		for _, o := range objs {
			if ownRecord(o, body, keys, began) {
				return wrapData(o), true, nil
			}
		}
		return nil, false, nil
	}
	return nil, false, nil
}

// ownRecord reports whether found is the object a POST of want created:
// every non-empty unique field of want matches, and either want carries
// an external_id (matched: the caller's own key) or found was created
// after began (Hector's timestamps have whole seconds). A record someone
// else made with the same values is not adopted.
func ownRecord(found, want []byte, keys []string, began time.Time) bool {
	if !sameKeys(found, want, keys) {
		return false
	}
	if gjson.GetBytes(want, "external_id").String() != "" {
		return true
	}
	created, err := time.Parse(time.RFC3339, gjson.GetBytes(found, "created_at").String())
	return err == nil && !created.Before(began.Truncate(time.Second))
}

// sameKeys reports whether found has, compared as Hector compares (both
// lower-cased), every non-empty value that want has under keys (null and
// "" being the same).
func sameKeys(found, want []byte, keys []string) bool {
	for _, key := range keys {
		w := gjson.GetBytes(want, key).String()
		if w != "" && strings.ToLower(gjson.GetBytes(found, key).String()) != strings.ToLower(w) {
			return false
		}
	}
	return true
}

// wrapData wraps an object as a single-object answer, {"data": obj}.
func wrapData(obj []byte) []byte {
	out := make([]byte, 0, len(obj)+9)
	out = append(out, `{"data":`...)
	out = append(out, obj...)
	return append(out, '}')
}

// UpdateUser replaces the user with id by body (full replacement: every
// writable field left out is reset by Hector) and returns the result.
func (c *Client) UpdateUser(ctx context.Context, id int64, body json.RawMessage) (json.RawMessage, error) {
	if !gjson.ValidBytes(body) {
		return nil, &Error{Code: CodeBadRequest, Op: RouteUpdateUser, Message: "body is not valid JSON"}
	}
	out, err := c.send(ctx, request{
		route: RouteUpdateUser, method: http.MethodPut, path: idPath("/users", id),
		body: body, want: http.StatusOK, idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return dataObject(RouteUpdateUser, http.StatusOK, out)
}

// DeleteUser deletes the user with id (a hard delete).
func (c *Client) DeleteUser(ctx context.Context, id int64) error {
	_, err := c.send(ctx, request{
		route: RouteDeleteUser, method: http.MethodDelete, path: idPath("/users", id),
		want: http.StatusNoContent, idempotent: true,
	})
	return err
}
