package hectorsim

import (
	"net/http"
	"time"
)

// listUsers serves GET /users.
func listUsers(s *Server, _ http.ResponseWriter, r *http.Request, _ params) reply {
	p, filters, e := parseList(r.URL.RawQuery, "username", "email", "identifier", "external_id", "status", "updated_since")
	if e != nil {
		return e.reply()
	}
	uf := userFilter{exact: filters}
	if v, ok := filters["updated_since"]; ok {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return badRequest("updated_since must be an RFC 3339 timestamp").reply()
		}
		uf.since, uf.hasSince = t, true
		delete(filters, "updated_since")
	}
	return s.store.listUsers(&uf, p)
}

// getUser serves GET /users/{id}.
func getUser(s *Server, _ http.ResponseWriter, _ *http.Request, p params) reply {
	id, ok := parseID(p.id)
	if !ok {
		return notFound("user").reply()
	}
	body, ok := s.store.getUser(id)
	if !ok {
		return notFound("user").reply()
	}
	return dataReply(http.StatusOK, body)
}

// postUser serves POST /users.
func postUser(s *Server, w http.ResponseWriter, r *http.Request, _ params) reply {
	obj, e := readObject(w, r)
	if e != nil {
		return e.reply()
	}
	f, e := s.decodeUser(obj)
	if e != nil {
		return e.reply()
	}
	body, e := s.store.createUser(f, s.now())
	if e != nil {
		return e.reply()
	}
	return dataReply(http.StatusCreated, body)
}

// putUser serves PUT /users/{id}: full replacement.
func putUser(s *Server, w http.ResponseWriter, r *http.Request, p params) reply {
	id, ok := parseID(p.id)
	if !ok || !s.store.hasUser(id) {
		return notFound("user").reply()
	}
	obj, e := readObject(w, r)
	if e != nil {
		return e.reply()
	}
	f, e := s.decodeUser(obj)
	if e != nil {
		return e.reply()
	}
	body, e := s.store.replaceUser(id, f, s.now())
	if e != nil {
		return e.reply()
	}
	return dataReply(http.StatusOK, body)
}

// deleteUser serves DELETE /users/{id}: hard delete.
func deleteUser(s *Server, _ http.ResponseWriter, _ *http.Request, p params) reply {
	id, ok := parseID(p.id)
	if !ok {
		return notFound("user").reply()
	}
	if e := s.store.deleteUser(id, s.now()); e != nil {
		return e.reply()
	}
	return noContent
}

// listRoles serves GET /roles, paged, in the configured order.
func listRoles(s *Server, _ http.ResponseWriter, r *http.Request, _ params) reply {
	p, _, e := parseList(r.URL.RawQuery)
	if e != nil {
		return e.reply()
	}
	roles := s.opts.Roles
	lo, hi := p.bounds(len(roles))
	items := make([][]byte, 0, hi-lo)
	for _, name := range roles[lo:hi] {
		items = append(items, renderRole(name))
	}
	return listReply(items, p, len(roles))
}
