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
// username (else email, identifier, external_id) and adopted when every
// unique field of body matches; only when absent is the POST repeated, at
// most Retries times. A 409 on a repeated POST is adopted the same way,
// otherwise returned.
func (c *Client) CreateUser(ctx context.Context, body json.RawMessage) (json.RawMessage, error) {
	if !gjson.ValidBytes(body) {
		return nil, &Error{Code: CodeBadRequest, Op: RouteCreateUser, Message: "body is not valid JSON"}
	}
	r := request{
		route: RouteCreateUser, method: http.MethodPost, path: "/users",
		body: body, want: http.StatusCreated,
	}
	created, err := c.create(ctx, r, func(ctx context.Context) ([]byte, bool, error) {
		return c.findUser(ctx, body)
	})
	if err != nil {
		return nil, err
	}
	return dataObject(RouteCreateUser, http.StatusCreated, created)
}

// userKeys returns the user's unique fields, in lookup order.
func userKeys() []string { return []string{"username", "email", "identifier", "external_id"} }

// findUser looks up the user body describes; see find.
func (c *Client) findUser(ctx context.Context, body []byte) ([]byte, bool, error) {
	return c.find(ctx, RouteListUsers, "/users", userKeys(), body)
}

// find looks up, through the list at path, the object body describes by
// its first non-empty unique field among keys, and returns it, wrapped as
// {"data": ...}, when every unique field of body matches.
func (c *Client) find(ctx context.Context, route, path string, keys []string, body []byte) ([]byte, bool, error) {
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
			if sameKeys(o, body, keys) {
				return wrapData(o), true, nil
			}
		}
		return nil, false, nil
	}
	return nil, false, nil
}

// sameKeys reports whether found has, case-insensitively, every non-empty
// value that want has under keys (null and "" being the same).
func sameKeys(found, want []byte, keys []string) bool {
	for _, key := range keys {
		w := gjson.GetBytes(want, key).String()
		if w != "" && !strings.EqualFold(gjson.GetBytes(found, key).String(), w) {
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
