package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// scenario is one SCIM request shape, and the Hector calls that stand for
// it sent through Caddy's reverse_proxy (the floor) and straight to the
// simulator (the limit).
type scenario struct {
	key, name string
	sidecar   opFunc
	floor     opFunc // the direct op's calls through the sidecar's /floor route; nil for a reference row
	direct    opFunc
	distinct  int64  // operations per side before values repeat; 0 = never
	reference string // for a row without targets: what it stands for
	goFloor   bool   // the sidecar side runs through the Go floor, not the sidecar
	caddy     bool   // the sidecar side is the sidecar's /floor route itself
}

// world is what the scenarios run against.
type world struct {
	scim    *target
	direct  hectorCalls // straight to the simulator
	floor   hectorCalls // through the sidecar's reverse_proxy (its /floor route)
	goFloor hectorCalls // through the Go floor (goproxy.go)
	seed    seeded
	run     string // distinguishes the names this run creates
}

// hectorCalls sends the Hector calls that stand for each SCIM operation to
// one target: the simulator, or a proxy in front of it. Each phase that
// writes has its own tag and groups, so that no two phases collide.
type hectorCalls struct {
	t      *target
	tag    string  // in the user names and values it writes
	groups []int64 // the empty groups PATCH +100 adds to
	seed   seeded
	run    string
}

// newWorld lays out the targets; scim, simulator, caddyFloor and goFloor
// are base URLs ("" for a Go floor not started).
func newWorld(scim, simulator, caddyFloor, goFloor string, conns int, seed seeded) *world {
	w := &world{scim: scimTarget(scim, conns), seed: seed, run: runID()}
	calls := func(base, tag string, groups []int64) hectorCalls {
		hc := hectorCalls{tag: tag, groups: groups, seed: seed, run: w.run}
		if base != "" {
			hc.t = hectorTarget(base, conns)
		}
		return hc
	}
	w.direct = calls(simulator, "d", seed.directGroups)
	w.floor = calls(caddyFloor, "f", seed.floorGroups)
	w.goFloor = calls(goFloor, "g", nil)
	return w
}

// close drops the idle connections of every target.
func (w *world) close() {
	for _, t := range []*target{w.scim, w.direct.t, w.floor.t, w.goFloor.t} {
		if t != nil {
			t.close()
		}
	}
}

const patchOpURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

func (w *world) scenarios() map[string]scenario {
	chunks := w.seed.nPool / 100
	return map[string]scenario{
		"get": {key: "get", name: "GET /Users/{id}",
			sidecar: w.scimGet, floor: w.floor.get, direct: w.direct.get},
		"filter": {key: "filter", name: `GET /Users?filter=userName eq`,
			sidecar: w.scimFilter, floor: w.floor.filter, direct: w.direct.filter},
		"post": {key: "post", name: "POST /Users",
			sidecar: w.scimPost, floor: w.floor.post, direct: w.direct.post},
		"patch-user": {key: "patch-user", name: "PATCH /Users/{id} givenName",
			sidecar: w.scimPatchUser, floor: w.floor.patchUser, direct: w.direct.patchUser},
		"patch-group": {key: "patch-group", name: "PATCH /Groups/{id} +100",
			sidecar: w.scimPatchGroup, floor: w.floor.patchGroup, direct: w.direct.patchGroup,
			distinct: chunks * int64(len(w.seed.sideGroups))},
		"floor-go": {key: "floor-go", name: "floor: bare Go net/http proxy GET", sidecar: w.goFloor.get, direct: w.direct.get,
			reference: "reference: what any Go HTTP bridge making this call costs", goFloor: true},
		// Its sidecar side is the GET scenario's floor; kept for -scenarios.
		"floor": {key: "floor", name: "floor: Caddy reverse_proxy GET", sidecar: w.floor.get, direct: w.direct.get,
			reference: "reference: what any Caddy module making this call costs", caddy: true},
	}
}

func (w *world) scimGet(ctx context.Context, k int64) error {
	_, err := w.scim.do(ctx, http.MethodGet, "/Users/"+itoa(w.seed.loadUser(k)), nil, http.StatusOK, false)
	return err
}

// get is GET /users/{id}.
func (h hectorCalls) get(ctx context.Context, k int64) error {
	_, err := h.t.do(ctx, http.MethodGet, "/users/"+itoa(h.seed.loadUser(k)), nil, http.StatusOK, false)
	return err
}

func (w *world) scimFilter(ctx context.Context, k int64) error {
	f := url.QueryEscape(`userName eq "` + loadUserName(w.seed.loadUser(k)) + `"`)
	b, err := w.scim.do(ctx, http.MethodGet, "/Users?filter="+f, nil, http.StatusOK, true)
	if err == nil && !bytes.Contains(b, []byte(`"totalResults":1`)) {
		err = fmt.Errorf("filter: want one user, got %.200s", b)
	}
	return err
}

// filter is GET /users?username=….
func (h hectorCalls) filter(ctx context.Context, k int64) error {
	b, err := h.t.do(ctx, http.MethodGet, "/users?username="+url.QueryEscape(loadUserName(h.seed.loadUser(k))), nil, http.StatusOK, true)
	if err == nil && !bytes.Contains(b, []byte(`"total":1`)) {
		err = fmt.Errorf("filter: want one user, got %.200s", b)
	}
	return err
}

// newName is a userName no other operation of the run uses: tag tells
// apart the phases that create users.
func newName(run, tag string, k int64) string {
	return fmt.Sprintf("new-%s-%s-%d@contoso.example", run, tag, k)
}

func (w *world) scimPost(ctx context.Context, k int64) error {
	name := newName(w.run, "s", k)
	body := fmt.Appendf(nil, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],`+
		`"userName":%q,"externalId":%q,"active":true,"name":{"givenName":"New","familyName":"User %d"},`+
		`"emails":[{"type":"work","value":%q,"primary":true}]}`, name, "x-"+name, k, name)
	_, err := w.scim.do(ctx, http.MethodPost, "/Users", body, http.StatusCreated, false)
	return err
}

// post is POST /users of a new user.
func (h hectorCalls) post(ctx context.Context, k int64) error {
	name := newName(h.run, h.tag, k)
	body := fmt.Appendf(nil, `{"username":%q,"email":%q,"identifier":%q,"first_name":"New","last_name":"User %d",`+
		`"external_id":%q,"status":"active"}`, name, name, name, k, "x-"+name)
	_, err := h.t.do(ctx, http.MethodPost, "/users", body, http.StatusCreated, false)
	return err
}

func (w *world) scimPatchUser(ctx context.Context, k int64) error {
	body := fmt.Appendf(nil, `{"schemas":[%q],"Operations":[{"op":"Replace","path":"name.givenName","value":"S%s-%d"}]}`,
		patchOpURN, w.run, k)
	_, err := w.scim.do(ctx, http.MethodPatch, "/Users/"+itoa(w.seed.loadUser(k)), body, http.StatusOK, false)
	return err
}

// patchUser is what a PATCH of one field costs in Hector: read the
// record, write it back whole with the field changed.
func (h hectorCalls) patchUser(ctx context.Context, k int64) error {
	path := "/users/" + itoa(h.seed.loadUser(k))
	b, err := h.t.do(ctx, http.MethodGet, path, nil, http.StatusOK, true)
	if err != nil {
		return err
	}
	rec := []byte(gjson.GetBytes(b, "data").Raw)
	if len(rec) == 0 {
		return errors.New("patch: no data in GET answer")
	}
	for _, ro := range []string{"id", "groups", "created_at", "updated_at"} {
		rec, _ = sjson.DeleteBytes(rec, ro)
	}
	if rec, err = sjson.SetBytes(rec, "first_name", strings.ToUpper(h.tag)+h.run+"-"+itoa(k)); err != nil {
		return err
	}
	_, err = h.t.do(ctx, http.MethodPut, path, rec, http.StatusOK, false)
	return err
}

func (w *world) scimPatchGroup(ctx context.Context, k int64) error {
	gid, first := w.seed.memberChunk(w.seed.sideGroups, k)
	body := fmt.Appendf(make([]byte, 0, 2048), `{"schemas":[%q],"Operations":[{"op":"Add","path":"members","value":[`, patchOpURN)
	for i := range int64(100) {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, `{"$ref":null,"value":"`...) // as Entra sends it
		body = strconv.AppendInt(body, first+i, 10)
		body = append(body, `"}`...)
	}
	body = append(body, "]}]}"...)
	_, err := w.scim.do(ctx, http.MethodPatch, "/Groups/"+itoa(gid), body, http.StatusNoContent, false)
	return err
}

// patchGroup is what adding 100 members costs in Hector: read the group,
// post the ids.
func (h hectorCalls) patchGroup(ctx context.Context, k int64) error {
	gid, first := h.seed.memberChunk(h.groups, k)
	path := "/groups/" + itoa(gid)
	if _, err := h.t.do(ctx, http.MethodGet, path, nil, http.StatusOK, false); err != nil {
		return err
	}
	body := append(make([]byte, 0, 1024), `{"user_ids":[`...)
	for i := range int64(100) {
		if i > 0 {
			body = append(body, ',')
		}
		body = strconv.AppendInt(body, first+i, 10)
	}
	body = append(body, "]}"...)
	_, err := h.t.do(ctx, http.MethodPost, path+"/members", body, http.StatusNoContent, false)
	return err
}
