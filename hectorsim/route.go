package hectorsim

import (
	"net/http"
	"strings"
)

// handlerFunc handles one method of one route and returns the answer.
type handlerFunc func(s *Server, w http.ResponseWriter, r *http.Request, p params) reply

// params are the id segments of a path: id, and the user_id of a member.
type params struct {
	id, sub string
}

// route is one path pattern of the contract and the methods it serves.
type route struct {
	pattern string
	methods map[string]handlerFunc
	allow   string // Allow header of a 405
	creates bool   // POST creates an object (ambiguous-POST candidate)
}

// routes is the contract's route table; it is never modified.
var routes = struct {
	users, user, groups, group, members, member, roles route
}{
	users: route{pattern: "/users", allow: "GET, POST", creates: true,
		methods: map[string]handlerFunc{http.MethodGet: listUsers, http.MethodPost: postUser}},
	user: route{pattern: "/users/{id}", allow: "GET, PUT, DELETE",
		methods: map[string]handlerFunc{http.MethodGet: getUser, http.MethodPut: putUser, http.MethodDelete: deleteUser}},
	groups: route{pattern: "/groups", allow: "GET, POST", creates: true,
		methods: map[string]handlerFunc{http.MethodGet: listGroups, http.MethodPost: postGroup}},
	group: route{pattern: "/groups/{id}", allow: "GET, PUT, DELETE",
		methods: map[string]handlerFunc{http.MethodGet: getGroup, http.MethodPut: putGroup, http.MethodDelete: deleteGroup}},
	members: route{pattern: "/groups/{id}/members", allow: "GET, POST",
		methods: map[string]handlerFunc{http.MethodGet: listMembers, http.MethodPost: postMembers}},
	member: route{pattern: "/groups/{id}/members/{user_id}", allow: "DELETE",
		methods: map[string]handlerFunc{http.MethodDelete: deleteMember}},
	roles: route{pattern: "/roles", allow: "GET",
		methods: map[string]handlerFunc{http.MethodGet: listRoles}},
}

// match finds the route of path, or nil.
func match(path string) (*route, params) {
	rest, ok := strings.CutPrefix(path, "/")
	if !ok {
		return nil, params{}
	}
	seg := strings.SplitN(rest, "/", 5)
	switch {
	case len(seg) == 1 && seg[0] == "users":
		return &routes.users, params{}
	case len(seg) == 2 && seg[0] == "users":
		return &routes.user, params{id: seg[1]}
	case len(seg) == 1 && seg[0] == "groups":
		return &routes.groups, params{}
	case len(seg) == 2 && seg[0] == "groups":
		return &routes.group, params{id: seg[1]}
	case len(seg) == 3 && seg[0] == "groups" && seg[2] == "members":
		return &routes.members, params{id: seg[1]}
	case len(seg) == 4 && seg[0] == "groups" && seg[2] == "members":
		return &routes.member, params{id: seg[1], sub: seg[3]}
	case len(seg) == 1 && seg[0] == "roles":
		return &routes.roles, params{}
	}
	return nil, params{}
}
