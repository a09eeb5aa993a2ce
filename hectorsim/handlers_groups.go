package hectorsim

import (
	"net/http"
)

// listGroups serves GET /groups.
func listGroups(s *Server, _ http.ResponseWriter, r *http.Request, _ params) reply {
	p, filters, e := parseList(r.URL.RawQuery, "name", "external_id")
	if e != nil {
		return e.reply()
	}
	return s.store.listGroups(filters, p)
}

// getGroup serves GET /groups/{id}.
func getGroup(s *Server, _ http.ResponseWriter, _ *http.Request, p params) reply {
	id, ok := parseID(p.id)
	if !ok {
		return notFound("group").reply()
	}
	body, ok := s.store.getGroup(id)
	if !ok {
		return notFound("group").reply()
	}
	return dataReply(http.StatusOK, body)
}

// postGroup serves POST /groups.
func postGroup(s *Server, w http.ResponseWriter, r *http.Request, _ params) reply {
	obj, e := readObject(w, r)
	if e != nil {
		return e.reply()
	}
	name, ext, e := decodeGroup(obj)
	if e != nil {
		return e.reply()
	}
	body, e := s.store.createGroup(name, ext, s.now())
	if e != nil {
		return e.reply()
	}
	return dataReply(http.StatusCreated, body)
}

// putGroup serves PUT /groups/{id}: full replacement of name and
// external_id.
func putGroup(s *Server, w http.ResponseWriter, r *http.Request, p params) reply {
	id, ok := parseID(p.id)
	if !ok || !s.store.hasGroup(id) {
		return notFound("group").reply()
	}
	obj, e := readObject(w, r)
	if e != nil {
		return e.reply()
	}
	name, ext, e := decodeGroup(obj)
	if e != nil {
		return e.reply()
	}
	body, e := s.store.replaceGroup(id, name, ext, s.now())
	if e != nil {
		return e.reply()
	}
	return dataReply(http.StatusOK, body)
}

// deleteGroup serves DELETE /groups/{id}.
func deleteGroup(s *Server, _ http.ResponseWriter, _ *http.Request, p params) reply {
	id, ok := parseID(p.id)
	if !ok {
		return notFound("group").reply()
	}
	if e := s.store.deleteGroup(id, s.now()); e != nil {
		return e.reply()
	}
	return noContent
}

// listMembers serves GET /groups/{id}/members.
func listMembers(s *Server, _ http.ResponseWriter, r *http.Request, p params) reply {
	id, ok := parseID(p.id)
	if !ok {
		return notFound("group").reply()
	}
	pg, _, e := parseList(r.URL.RawQuery)
	if e != nil {
		return e.reply()
	}
	rep, e := s.store.listMembers(id, pg)
	if e != nil {
		return e.reply()
	}
	return rep
}

// postMembers serves POST /groups/{id}/members.
func postMembers(s *Server, w http.ResponseWriter, r *http.Request, p params) reply {
	id, ok := parseID(p.id)
	if !ok || !s.store.hasGroup(id) {
		return notFound("group").reply()
	}
	obj, e := readObject(w, r)
	if e != nil {
		return e.reply()
	}
	ids, e := decodeMembers(obj)
	if e != nil {
		return e.reply()
	}
	if e := s.store.addMembers(id, ids, s.now()); e != nil {
		return e.reply()
	}
	return noContent
}

// deleteMember serves DELETE /groups/{id}/members/{user_id}.
func deleteMember(s *Server, _ http.ResponseWriter, _ *http.Request, p params) reply {
	gid, ok := parseID(p.id)
	if !ok {
		return notFound("group").reply()
	}
	uid, ok := parseID(p.sub)
	if !ok {
		return notFound("member").reply()
	}
	if e := s.store.removeMember(gid, uid, s.now()); e != nil {
		return e.reply()
	}
	return noContent
}
