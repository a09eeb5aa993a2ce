package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// scenario is one SCIM request shape and the Hector calls that stand for
// it when sent straight to the simulator.
type scenario struct {
	key, name string
	minRatio  float64       // target for sidecar/direct throughput
	maxCPU    time.Duration // target for sidecar CPU per request; 0 = none
	sidecar   opFunc
	direct    opFunc
	distinct  int64  // operations per side before values repeat; 0 = never
	reference string // for a row without targets: what it stands for
	goFloor   bool   // the sidecar side runs through the Go floor, not the sidecar
}

// world is what the scenarios run against.
type world struct {
	scim, hector *target
	floor        *target // the sidecar's reverse_proxy to the simulator
	goFloor      *target // the Go floor (goproxy.go) in front of the simulator
	seed         seeded
	run          string // distinguishes the names this run creates
}

const patchOpURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

func (w *world) scenarios() map[string]scenario {
	chunks := w.seed.nPool / 100
	return map[string]scenario{
		"get": {key: "get", name: "GET /Users/{id}", minRatio: 0.5, maxCPU: 100 * time.Microsecond,
			sidecar: w.scimGet, direct: w.hectorGet},
		"filter": {key: "filter", name: `GET /Users?filter=userName eq`, minRatio: 0.5, maxCPU: 100 * time.Microsecond,
			sidecar: w.scimFilter, direct: w.hectorFilter},
		"post": {key: "post", name: "POST /Users", minRatio: 0.5,
			sidecar: w.scimPost, direct: w.hectorPost},
		"patch-user": {key: "patch-user", name: "PATCH /Users/{id} givenName", minRatio: 0.4,
			sidecar: w.scimPatchUser, direct: w.hectorPatchUser},
		"floor-go": {key: "floor-go", name: "floor: bare Go net/http proxy GET", sidecar: w.goFloorGet, direct: w.hectorGet,
			reference: "reference: what any Go HTTP bridge making this call costs", goFloor: true},
		"floor": {key: "floor", name: "floor: Caddy reverse_proxy GET", sidecar: w.floorGet, direct: w.hectorGet,
			reference: "reference: what any Caddy module making this call costs"},
		"patch-group": {key: "patch-group", name: "PATCH /Groups/{id} +100", minRatio: 0.4,
			sidecar: w.scimPatchGroup, direct: w.hectorPatchGroup,
			distinct: chunks * int64(len(w.seed.sideGroups))},
	}
}

// loadUser is the id of the load user operation k works on; consecutive
// operations (those in flight together) touch different users.
func (w *world) loadUser(k int64) int64 { return w.seed.firstLoad + k%w.seed.nLoad }

func (w *world) scimGet(ctx context.Context, k int64) error {
	_, err := w.scim.do(ctx, http.MethodGet, "/Users/"+itoa(w.loadUser(k)), nil, http.StatusOK, false)
	return err
}

// floorGet is GET /users/{id} through Caddy's reverse_proxy in the
// sidecar's process: what any Caddy module making one call costs at least.
func (w *world) floorGet(ctx context.Context, k int64) error {
	_, err := w.floor.do(ctx, http.MethodGet, "/users/"+itoa(w.loadUser(k)), nil, http.StatusOK, false)
	return err
}

// goFloorGet is GET /users/{id} through the Go floor: a plain net/http
// server making the call with a plain http.Client, in its own process.
func (w *world) goFloorGet(ctx context.Context, k int64) error {
	_, err := w.goFloor.do(ctx, http.MethodGet, "/users/"+itoa(w.loadUser(k)), nil, http.StatusOK, false)
	return err
}

func (w *world) hectorGet(ctx context.Context, k int64) error {
	_, err := w.hector.do(ctx, http.MethodGet, "/users/"+itoa(w.loadUser(k)), nil, http.StatusOK, false)
	return err
}

func (w *world) scimFilter(ctx context.Context, k int64) error {
	f := url.QueryEscape(`userName eq "` + loadUserName(w.loadUser(k)) + `"`)
	b, err := w.scim.do(ctx, http.MethodGet, "/Users?filter="+f, nil, http.StatusOK, true)
	if err == nil && !bytes.Contains(b, []byte(`"totalResults":1`)) {
		err = fmt.Errorf("filter: want one user, got %.200s", b)
	}
	return err
}

func (w *world) hectorFilter(ctx context.Context, k int64) error {
	b, err := w.hector.do(ctx, http.MethodGet, "/users?username="+url.QueryEscape(loadUserName(w.loadUser(k))), nil, http.StatusOK, true)
	if err == nil && !bytes.Contains(b, []byte(`"total":1`)) {
		err = fmt.Errorf("filter: want one user, got %.200s", b)
	}
	return err
}

// newName is a userName no other operation of the run uses.
func (w *world) newName(side string, k int64) string {
	return fmt.Sprintf("new-%s-%s-%d@contoso.example", w.run, side, k)
}

func (w *world) scimPost(ctx context.Context, k int64) error {
	name := w.newName("s", k)
	body := fmt.Appendf(nil, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],`+
		`"userName":%q,"externalId":%q,"active":true,"name":{"givenName":"New","familyName":"User %d"},`+
		`"emails":[{"type":"work","value":%q,"primary":true}]}`, name, "x-"+name, k, name)
	_, err := w.scim.do(ctx, http.MethodPost, "/Users", body, http.StatusCreated, false)
	return err
}

func (w *world) hectorPost(ctx context.Context, k int64) error {
	name := w.newName("d", k)
	body := fmt.Appendf(nil, `{"username":%q,"email":%q,"identifier":%q,"first_name":"New","last_name":"User %d",`+
		`"external_id":%q,"status":"active"}`, name, name, name, k, "x-"+name)
	_, err := w.hector.do(ctx, http.MethodPost, "/users", body, http.StatusCreated, false)
	return err
}

func (w *world) scimPatchUser(ctx context.Context, k int64) error {
	body := fmt.Appendf(nil, `{"schemas":[%q],"Operations":[{"op":"Replace","path":"name.givenName","value":"S%s-%d"}]}`,
		patchOpURN, w.run, k)
	_, err := w.scim.do(ctx, http.MethodPatch, "/Users/"+itoa(w.loadUser(k)), body, http.StatusOK, false)
	return err
}

// hectorPatchUser is what a PATCH of one field costs in Hector: read the
// record, write it back whole with the field changed.
func (w *world) hectorPatchUser(ctx context.Context, k int64) error {
	path := "/users/" + itoa(w.loadUser(k))
	b, err := w.hector.do(ctx, http.MethodGet, path, nil, http.StatusOK, true)
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
	if rec, err = sjson.SetBytes(rec, "first_name", "D"+w.run+"-"+itoa(k)); err != nil {
		return err
	}
	_, err = w.hector.do(ctx, http.MethodPut, path, rec, http.StatusOK, false)
	return err
}

// memberChunk is the group and the 100 pool users operation k adds:
// consecutive operations go to different groups (the sidecar serializes
// changes to one group), and each group gets each chunk once before the
// values repeat.
func (w *world) memberChunk(groups []int64, k int64) (int64, int64) {
	n := int64(len(groups))
	chunk := (k / n) % (w.seed.nPool / 100)
	return groups[k%n], w.seed.firstPool + chunk*100
}

func (w *world) scimPatchGroup(ctx context.Context, k int64) error {
	gid, first := w.memberChunk(w.seed.sideGroups, k)
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

// hectorPatchGroup is what adding 100 members costs in Hector: read the
// group, post the ids.
func (w *world) hectorPatchGroup(ctx context.Context, k int64) error {
	gid, first := w.memberChunk(w.seed.directGroups, k)
	path := "/groups/" + itoa(gid)
	if _, err := w.hector.do(ctx, http.MethodGet, path, nil, http.StatusOK, false); err != nil {
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
	_, err := w.hector.do(ctx, http.MethodPost, path+"/members", body, http.StatusNoContent, false)
	return err
}
