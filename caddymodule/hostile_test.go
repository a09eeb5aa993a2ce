package caddymodule

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"

	"github.com/hector-scim/hector-scim/hectorsim"
	"github.com/hector-scim/hector-scim/translate/schema"
)

const (
	hostileToken  = "hostile-token-0123456789abcdef"
	hostileAPIKey = "hostile-hector-key"
	hostileBase   = "/scim/v2"
)

// hostileEnv is the scim handler, provisioned as Caddy does it from a
// Caddyfile, in front of an in-memory simulator whose every call is
// recorded.
type hostileEnv struct {
	sim     *hectorsim.Server
	calls   *hostileCalls
	scim    *httptest.Server
	handler http.Handler // the same handler, for requests no HTTP client can send
	h       *Handler
}

// hostileCalls records the requests the simulator received.
type hostileCalls struct {
	mu   sync.Mutex
	list []*url.URL
	next http.Handler
}

func (c *hostileCalls) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	u := *r.URL
	c.list = append(c.list, &u)
	next := c.next
	c.mu.Unlock()
	next.ServeHTTP(w, r)
}

// use forgets the recorded requests and serves the next ones with next.
func (c *hostileCalls) use(next http.Handler) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.list, c.next = nil, next
}

// since returns the requests received after the first n.
func (c *hostileCalls) since(n int) []*url.URL {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.list[n:])
}

func (c *hostileCalls) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.list)
}

func newHostileEnv(t testing.TB) *hostileEnv {
	t.Helper()
	sim, err := hectorsim.New(hectorsim.Options{APIKey: hostileAPIKey, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	calls := &hostileCalls{next: sim}
	legacy := httptest.NewServer(calls)
	t.Cleanup(legacy.Close)

	d := caddyfile.NewTestDispenser(`scim {
		token ` + hostileToken + `
		legacy ` + legacy.URL + ` {
			api_key ` + hostileAPIKey + `
			retries 0
			rate 0
		}
		max_body 64KiB
		auth_failure_limit 1000 1m
	}`)
	h := new(Handler)
	if err := h.UnmarshalCaddyfile(d); err != nil {
		t.Fatalf("UnmarshalCaddyfile: %v", err)
	}
	provisionHandler(t, h)
	notFound := caddyhttp.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		w.WriteHeader(http.StatusNotFound)
		return nil
	})
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = h.ServeHTTP(w, r, notFound)
	})
	scim := httptest.NewServer(handler)
	t.Cleanup(scim.Close)
	return &hostileEnv{sim: sim, calls: calls, scim: scim, handler: handler, h: h}
}

// hostileRequest is one request to the SCIM endpoint. path is below the
// base path, already escaped, and may carry a query.
type hostileRequest struct {
	method, path, body string
	ctype              string            // default application/scim+json when there is a body
	auth               string            // the Authorization header; default the valid bearer token
	noAuth             bool              // send no Authorization header
	header             map[string]string // further headers
	// direct serves the request in process, bypassing the HTTP client and
	// server, which trim the white space around header values.
	direct bool
}

func (e *hostileEnv) do(t testing.TB, req hostileRequest) (*http.Response, []byte) {
	t.Helper()
	r, err := http.NewRequest(req.method, e.scim.URL+hostileBase+req.path, strings.NewReader(req.body))
	if err != nil {
		t.Fatalf("NewRequest(%s %s): %v", req.method, req.path, err)
	}
	switch {
	case req.noAuth:
	case req.auth != "":
		r.Header.Set("Authorization", req.auth)
	default:
		r.Header.Set("Authorization", "Bearer "+hostileToken)
	}
	switch {
	case req.ctype != "":
		r.Header.Set("Content-Type", req.ctype)
	case req.body != "":
		r.Header.Set("Content-Type", MediaType)
	}
	for k, v := range req.header {
		r.Header.Set(k, v)
	}
	if req.direct {
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, r)
		return w.Result(), w.Body.Bytes()
	}
	resp, err := e.scim.Client().Do(r)
	if err != nil {
		t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", req.method, req.path, err)
	}
	return resp, b
}

// must sends a request that has to succeed with status want and returns
// its decoded body (nil for 204).
func (e *hostileEnv) must(t testing.TB, want int, req hostileRequest) map[string]any {
	t.Helper()
	resp, b := e.do(t, req)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: got status %d, want %d; body %s", req.method, req.path, resp.StatusCode, want, b)
	}
	if len(b) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: got body %q, want a JSON object: %v", req.method, req.path, b, err)
	}
	return m
}

// create posts a resource and returns its id.
func (e *hostileEnv) create(t testing.TB, resource, body string) string {
	t.Helper()
	m := e.must(t, http.StatusCreated, hostileRequest{method: http.MethodPost, path: "/" + resource, body: body})
	id, _ := m["id"].(string)
	if id == "" {
		t.Fatalf("POST /%s: got no id in %v", resource, m)
	}
	return id
}

// hostileState is what Hector holds and the write calls it received.
type hostileState struct {
	users, groups []json.RawMessage
	members       map[int64][]int64
	writes        map[string]int64
	requests      int64
}

func (e *hostileEnv) state(t testing.TB) hostileState {
	t.Helper()
	st := hostileState{users: e.sim.Users(), groups: e.sim.Groups(), members: map[int64][]int64{}, writes: map[string]int64{}}
	for _, g := range st.groups {
		var v struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(g, &v); err != nil {
			t.Fatal(err)
		}
		st.members[v.ID] = e.sim.Members(v.ID)
	}
	stats := e.sim.Stats()
	st.requests = stats.Requests
	for route, n := range stats.ByRoute {
		if m, _, _ := strings.Cut(route, " "); m != http.MethodGet {
			st.writes[route] = n
		}
	}
	return st
}

// diff names what changed between two states.
func (st hostileState) diff(after hostileState) []string {
	var d []string
	if !reflect.DeepEqual(st.users, after.users) {
		d = append(d, "users changed")
	}
	if !reflect.DeepEqual(st.groups, after.groups) {
		d = append(d, "groups changed")
	}
	if !reflect.DeepEqual(st.members, after.members) {
		d = append(d, "members changed")
	}
	if !reflect.DeepEqual(st.writes, after.writes) {
		d = append(d, "write calls made: before "+hostileShow(st.writes)+", after "+hostileShow(after.writes))
	}
	return d
}

func hostileShow(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// hostileNest wraps inner in n JSON arrays.
func hostileNest(n int, inner string) string {
	return strings.Repeat("[", n) + inner + strings.Repeat("]", n)
}

// hostileNestObj wraps inner in n JSON objects {"a": …}.
func hostileNestObj(n int, inner string) string {
	return strings.Repeat(`{"a":`, n) + inner + strings.Repeat("}", n)
}

func hostilePatch(ops string) string {
	return `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` + ops + `]}`
}

// hostileCase is one bad request and the SCIM error it must get.
type hostileCase struct {
	name string
	hostileRequest
	status   int
	scimType string
	// reads allows the request to read from Hector (it never writes);
	// without it the request must make no Hector call at all.
	reads bool
}

func hostileCases() []hostileCase {
	const (
		userURN = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]`
		grpURN  = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]`
	)
	post := func(resource, body string) hostileRequest {
		return hostileRequest{method: http.MethodPost, path: "/" + resource, body: body}
	}
	postUser := func(attrs string) hostileRequest {
		return post("Users", `{`+userURN+`,`+attrs+`}`)
	}
	postGroup := func(attrs string) hostileRequest {
		return post("Groups", `{`+grpURN+`,`+attrs+`}`)
	}
	patchUser := func(ops string) hostileRequest {
		return hostileRequest{method: http.MethodPatch, path: "/Users/{uid}", body: hostilePatch(ops)}
	}
	patchGroup := func(ops string) hostileRequest {
		return hostileRequest{method: http.MethodPatch, path: "/Groups/{gid}", body: hostilePatch(ops)}
	}
	get := func(path string) hostileRequest { return hostileRequest{method: http.MethodGet, path: path} }
	filter := func(resource, f string) hostileRequest {
		return get("/" + resource + "?filter=" + url.QueryEscape(f))
	}
	withType := func(r hostileRequest, ct string) hostileRequest { r.ctype = ct; return r }
	withAuth := func(r hostileRequest, auth string) hostileRequest { r.auth = auth; return r }
	direct := func(r hostileRequest) hostileRequest { r.direct = true; return r }
	validUser := `{` + userURN + `,"userName":"mallory@contoso.example"}`
	validGroup := `{` + grpURN + `,"displayName":"Mallory"}`
	validPatch := hostilePatch(`{"op":"replace","path":"title","value":"x"}`)
	big := strings.Repeat("x", 70_000)
	badUTF8 := string([]byte{0xff, 0xfe, 'a'})

	const (
		inv    = http.StatusBadRequest
		syntax = "invalidSyntax"
		value  = "invalidValue"
		path   = "invalidPath"
		filt   = "invalidFilter"
	)
	return []hostileCase{
		// Malformed JSON.
		{name: "json/truncated", hostileRequest: post("Users", `{"userName":"x"`), status: inv, scimType: syntax},
		{name: "json/trailing garbage", hostileRequest: post("Users", `{"userName":"x"} garbage`), status: inv, scimType: syntax},
		{name: "json/trailing close brace", hostileRequest: post("Users", `{"userName":"x"}}`), status: inv, scimType: syntax},
		{name: "json/trailing close bracket", hostileRequest: post("Users", `{"userName":"x"}]`), status: inv, scimType: syntax},
		{name: "json/two values", hostileRequest: post("Users", `{"userName":"x"}{"userName":"y"}`), status: inv, scimType: syntax},
		{name: "json/NaN", hostileRequest: postUser(`"userName":"x","active":NaN`), status: inv, scimType: syntax},
		{name: "json/Infinity", hostileRequest: postUser(`"userName":"x","title":Infinity`), status: inv, scimType: syntax},
		{name: "json/single quotes", hostileRequest: post("Users", `{'userName':'x'}`), status: inv, scimType: syntax},
		{name: "json/trailing comma", hostileRequest: postGroup(`"displayName":"x",`), status: inv, scimType: syntax},
		{name: "json/comment", hostileRequest: post("Users", "// hi\n"+validUser), status: inv, scimType: syntax},
		{name: "json/byte order mark", hostileRequest: post("Users", "\ufeff"+validUser), status: inv, scimType: syntax},
		{name: "json/array", hostileRequest: post("Users", `[`+validUser+`]`), status: inv, scimType: syntax},
		{name: "json/null", hostileRequest: post("Users", `null`), status: inv, scimType: syntax},
		{name: "json/string", hostileRequest: post("Groups", `"Engineering"`), status: inv, scimType: syntax},
		{name: "json/truncated PATCH", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Users/{uid}", body: `{"Operations":[`}, status: inv, scimType: syntax},
		{name: "json/truncated PUT", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users/{uid}", body: `{"userName":`}, status: inv, scimType: syntax},
		{name: "json/unquoted key on group PUT", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Groups/{gid}", body: `{displayName:"x"}`}, status: inv, scimType: syntax},

		// Wrong types.
		{name: "type/userName number", hostileRequest: postUser(`"userName":42`), status: inv, scimType: value},
		{name: "type/userName array", hostileRequest: postUser(`"userName":["a@b"]`), status: inv, scimType: value},
		{name: "type/userName object", hostileRequest: postUser(`"userName":{"value":"a@b"}`), status: inv, scimType: value},
		{name: "type/userName bool", hostileRequest: postUser(`"userName":true`), status: inv, scimType: value},
		{name: "type/userName null", hostileRequest: postUser(`"userName":null`), status: inv, scimType: value},
		{name: "type/userName blank", hostileRequest: postUser(`"userName":"   "`), status: inv, scimType: value},
		{name: "type/userName missing", hostileRequest: postUser(`"title":"x"`), status: inv, scimType: value},
		{name: "type/active maybe", hostileRequest: postUser(`"userName":"m@x","active":"maybe"`), status: inv, scimType: value},
		{name: "type/active 3", hostileRequest: postUser(`"userName":"m@x","active":3`), status: inv, scimType: value},
		{name: "type/emails 7", hostileRequest: postUser(`"userName":"m@x","emails":7`), status: inv, scimType: value},
		{name: "type/emails list of numbers", hostileRequest: postUser(`"userName":"m@x","emails":[7]`), status: inv, scimType: value},
		{name: "type/emails value object", hostileRequest: postUser(`"userName":"m@x","emails":[{"value":{"a":1}}]`), status: inv, scimType: value},
		{name: "type/name a string", hostileRequest: postUser(`"userName":"m@x","name":"Mallory"`), status: inv, scimType: value},
		{name: "type/name.givenName number", hostileRequest: postUser(`"userName":"m@x","name":{"givenName":5}`), status: inv, scimType: value},
		{name: "type/displayName number", hostileRequest: postUser(`"userName":"m@x","displayName":12`), status: inv, scimType: value},
		{name: "type/externalId object", hostileRequest: postUser(`"userName":"m@x","externalId":{"id":1}`), status: inv, scimType: value},
		{name: "type/enterprise extension a string", hostileRequest: postUser(`"userName":"m@x","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":"E1"`), status: inv, scimType: value},
		{name: "type/employeeNumber number", hostileRequest: postUser(`"userName":"m@x","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":1234}`), status: inv, scimType: value},
		{name: "type/group displayName number", hostileRequest: postGroup(`"displayName":42`), status: inv, scimType: value},
		{name: "type/group displayName missing", hostileRequest: postGroup(`"externalId":"g-x"`), status: inv, scimType: value},
		{name: "type/group externalId number", hostileRequest: postGroup(`"displayName":"G","externalId":7`), status: inv, scimType: value},
		{name: "type/group members a string", hostileRequest: postGroup(`"displayName":"G","members":"abc"`), status: inv, scimType: value},
		{name: "type/group member abc", hostileRequest: postGroup(`"displayName":"G","members":[{"value":"abc"}]`), status: inv, scimType: value},
		{name: "type/group member -1", hostileRequest: postGroup(`"displayName":"G","members":[{"value":"-1"}]`), status: inv, scimType: value},
		{name: "type/group member 0", hostileRequest: postGroup(`"displayName":"G","members":[{"value":"0"}]`), status: inv, scimType: value},
		{name: "type/group member number", hostileRequest: postGroup(`"displayName":"G","members":[{"value":1}]`), status: inv, scimType: value},
		{name: "type/group member overflow", hostileRequest: postGroup(`"displayName":"G","members":[{"value":"99999999999999999999"}]`), status: inv, scimType: value},
		{name: "type/group member without value", hostileRequest: postGroup(`"displayName":"G","members":[{"display":"alice"}]`), status: inv, scimType: value},
		{name: "type/PUT userName number", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users/{uid}", body: `{"userName":42}`}, status: inv, scimType: value},
		{name: "type/PUT group members abc", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Groups/{gid}", body: `{"displayName":"Engineering","members":[{"value":"abc"}]}`}, status: inv, scimType: value},
		{name: "type/PATCH active maybe", hostileRequest: patchUser(`{"op":"Replace","path":"active","value":"maybe"}`), status: inv, scimType: value, reads: true},
		{name: "type/PATCH userName number", hostileRequest: patchUser(`{"op":"replace","path":"userName","value":42}`), status: inv, scimType: value, reads: true},
		{name: "type/PATCH userName null", hostileRequest: patchUser(`{"op":"replace","path":"userName","value":null}`), status: inv, scimType: value, reads: true},
		{name: "type/PATCH emails 7", hostileRequest: patchUser(`{"op":"replace","path":"emails","value":7}`), status: inv, scimType: value, reads: true},
		{name: "type/PATCH name a string", hostileRequest: patchUser(`{"op":"replace","path":"name","value":"Mallory"}`), status: inv, scimType: value, reads: true},
		{name: "type/PATCH filtered email number", hostileRequest: patchUser(`{"op":"Replace","path":"emails[type eq \"work\"].value","value":7}`), status: inv, scimType: value, reads: true},
		{name: "type/PATCH group member abc", hostileRequest: patchGroup(`{"op":"Add","path":"members","value":[{"value":"abc"}]}`), status: inv, scimType: value},
		{name: "type/PATCH group member -1", hostileRequest: patchGroup(`{"op":"add","path":"members","value":[{"value":"-1"}]}`), status: inv, scimType: value},
		{name: "type/PATCH group member 0", hostileRequest: patchGroup(`{"op":"add","path":"members","value":"0"}`), status: inv, scimType: value},
		{name: "type/PATCH group displayName number", hostileRequest: patchGroup(`{"op":"replace","path":"displayName","value":5}`), status: inv, scimType: value},
		{name: "type/PATCH group externalId object", hostileRequest: patchGroup(`{"op":"replace","path":"externalId","value":{"a":1}}`), status: inv, scimType: value},

		// Stored attributes of the wrong shape: refused, never dropped.
		{name: "shape/emails a string", hostileRequest: postUser(`"userName":"m@x","emails":"m@x"`), status: inv, scimType: value},
		{name: "shape/emails strings", hostileRequest: postUser(`"userName":"m@x","emails":["m@x"]`), status: inv, scimType: value},
		{name: "shape/emails an object", hostileRequest: postUser(`"userName":"m@x","emails":{"type":"work","value":"m@x"}`), status: inv, scimType: value},
		{name: "shape/emails an object of types", hostileRequest: postUser(`"userName":"m@x","emails":{"work":"m@x"}`), status: inv, scimType: value},
		{name: "shape/emails in an array of arrays", hostileRequest: postUser(`"userName":"m@x","emails":[[{"type":"work","value":"m@x"}]]`), status: inv, scimType: value},
		{name: "shape/phoneNumbers a string", hostileRequest: postUser(`"userName":"m@x","phoneNumbers":"+1 555 0100"`), status: inv, scimType: value},
		{name: "shape/name a list", hostileRequest: postUser(`"userName":"m@x","name":[{"givenName":"M"}]`), status: inv, scimType: value},
		{name: "shape/name an empty list", hostileRequest: postUser(`"userName":"m@x","name":[]`), status: inv, scimType: value},
		{name: "shape/department unqualified number", hostileRequest: postUser(`"userName":"m@x","department":7`), status: inv, scimType: value},
		{name: "shape/employeeNumber a list", hostileRequest: postUser(`"userName":"m@x","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":["E1"]}`), status: inv, scimType: value},
		{name: "shape/PUT emails a string", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users/{uid}", body: `{"userName":"alice@contoso.example","emails":"alice@contoso.example"}`}, status: inv, scimType: value},
		{name: "shape/PUT emails an object", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users/{uid}", body: `{"userName":"alice@contoso.example","emails":{"type":"work","value":"alice@contoso.example"}}`}, status: inv, scimType: value},
		{name: "shape/PATCH emails a string", hostileRequest: patchUser(`{"op":"replace","path":"emails","value":"x@contoso.example"}`), status: inv, scimType: value, reads: true},
		{name: "shape/PATCH add emails an object", hostileRequest: patchUser(`{"op":"add","path":"emails","value":{"type":"work","value":"x@contoso.example"}}`), status: inv, scimType: value, reads: true},
		{name: "shape/PATCH filtered email a string", hostileRequest: patchUser(`{"op":"replace","path":"emails[type eq \"work\"]","value":"x@contoso.example"}`), status: inv, scimType: value, reads: true},
		{name: "shape/PATCH name a list", hostileRequest: patchUser(`{"op":"replace","path":"name","value":[{"givenName":"X"}]}`), status: inv, scimType: value, reads: true},
		{name: "shape/PATCH no-path emails a string", hostileRequest: patchUser(`{"op":"replace","value":{"emails":"x@contoso.example"}}`), status: inv, scimType: value, reads: true},
		{name: "shape/PATCH remove emails with an object", hostileRequest: patchUser(`{"op":"remove","path":"emails","value":{"value":"alice@contoso.example"}}`), status: inv, scimType: value, reads: true},
		{name: "shape/group members an object", hostileRequest: postGroup(`"displayName":"G","members":{"value":"1"}`), status: inv, scimType: value},
		{name: "shape/group members strings", hostileRequest: postGroup(`"displayName":"G","members":["1"]`), status: inv, scimType: value},
		{name: "shape/group PATCH members an object", hostileRequest: patchGroup(`{"op":"add","path":"members","value":{"value":"1"}}`), status: inv, scimType: value},
		{name: "shape/group PATCH members a string", hostileRequest: patchGroup(`{"op":"add","path":"members","value":"1"}`), status: inv, scimType: value},

		// One attribute given twice, in two spellings: refused.
		{name: "twice/userName in two cases", hostileRequest: post("Users", `{"userName":"a@x","USERNAME":"b@x"}`), status: inv, scimType: syntax},
		{name: "twice/department unqualified and in the extension", hostileRequest: postUser(`"userName":"m@x","department":"A","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"B"}`), status: inv, scimType: syntax},
		{name: "twice/email value in two cases", hostileRequest: postUser(`"userName":"m@x","emails":[{"type":"work","value":"a@x","Value":"b@x"}]`), status: inv, scimType: syntax},
		{name: "twice/PUT group displayName in two cases", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Groups/{gid}", body: `{"displayName":"Engineering","DisplayName":"Sales"}`}, status: inv, scimType: syntax},

		// A member named twice in one object: refused, not last-one-wins.
		{name: "dup/userName twice", hostileRequest: post("Users", `{"userName":"a@x","userName":"b@x"}`), status: inv, scimType: syntax},
		{name: "dup/userName twice, once escaped", hostileRequest: post("Users", `{"userName":"a@x","user\u004eame":"b@x"}`), status: inv, scimType: syntax},
		{name: "dup/email value twice", hostileRequest: postUser(`"userName":"m@x","emails":[{"type":"work","value":"a@x","value":"b@x"}]`), status: inv, scimType: syntax},
		{name: "dup/group displayName twice", hostileRequest: postGroup(`"displayName":"A","displayName":"B"`), status: inv, scimType: syntax},
		{name: "dup/PUT active twice", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users/{uid}", body: `{"userName":"alice@contoso.example","active":true,"active":false}`}, status: inv, scimType: syntax},
		{name: "dup/PATCH active twice in a value", hostileRequest: patchUser(`{"op":"replace","value":{"active":false,"active":true}}`), status: inv, scimType: syntax},
		{name: "dup/PATCH op twice", hostileRequest: patchUser(`{"op":"add","op":"remove","path":"title","value":"x"}`), status: inv, scimType: syntax},
		{name: "dup/PATCH op in two cases", hostileRequest: patchUser(`{"op":"add","Op":"remove","path":"title","value":"x"}`), status: inv, scimType: syntax},
		{name: "dup/PATCH value in two cases", hostileRequest: patchUser(`{"op":"replace","path":"title","value":"x","VALUE":"y"}`), status: inv, scimType: syntax},
		{name: "dup/PATCH Operations in two cases", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Users/{uid}", body: `{"Operations":[{"op":"replace","path":"title","value":"x"}],"operations":[]}`}, status: inv, scimType: syntax},
		{name: "dup/group PATCH member value twice", hostileRequest: patchGroup(`{"op":"add","path":"members","value":[{"value":"1","value":"2"}]}`), status: inv, scimType: syntax},
		{name: "dup/group PATCH path twice", hostileRequest: patchGroup(`{"op":"remove","path":"members[value eq \"1\"]","path":"members"}`), status: inv, scimType: syntax},

		// Control characters in the names of accounts and groups.
		{name: "ctl/userName newline", hostileRequest: postUser(`"userName":"a\nb@x"`), status: inv, scimType: value},
		{name: "ctl/userName NUL", hostileRequest: postUser(`"userName":"a\u0000b@x"`), status: inv, scimType: value},
		{name: "ctl/userName DEL", hostileRequest: postUser(`"userName":"a\u007fb@x"`), status: inv, scimType: value},
		{name: "ctl/userName escape", hostileRequest: postUser(`"userName":"a\u001b[31mb@x"`), status: inv, scimType: value},
		{name: "ctl/email tab", hostileRequest: postUser(`"userName":"m@x","emails":[{"type":"work","value":"m\t@x"}]`), status: inv, scimType: value},
		{name: "ctl/externalId carriage return", hostileRequest: postUser(`"userName":"m@x","externalId":"e\r1"`), status: inv, scimType: value},
		{name: "ctl/displayName", hostileRequest: postUser(`"userName":"m@x","displayName":"M\u0007X"`), status: inv, scimType: value},
		{name: "ctl/group displayName", hostileRequest: postGroup(`"displayName":"G\n"`), status: inv, scimType: value},
		{name: "ctl/group externalId", hostileRequest: postGroup(`"displayName":"G","externalId":"g\u0000"`), status: inv, scimType: value},
		{name: "ctl/PUT userName", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users/{uid}", body: `{"userName":"alice@contoso.example\n"}`}, status: inv, scimType: value},
		{name: "ctl/PUT group displayName", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Groups/{gid}", body: `{"displayName":"Engineering\u001f"}`}, status: inv, scimType: value},
		{name: "ctl/PATCH userName", hostileRequest: patchUser(`{"op":"replace","path":"userName","value":"a\u0007@x"}`), status: inv, scimType: value, reads: true},
		{name: "ctl/PATCH filtered email", hostileRequest: patchUser(`{"op":"Replace","path":"emails[type eq \"work\"].value","value":"x\n@y"}`), status: inv, scimType: value, reads: true},
		{name: "ctl/PATCH no-path externalId", hostileRequest: patchUser(`{"op":"replace","value":{"externalId":"e\u007f"}}`), status: inv, scimType: value, reads: true},
		{name: "ctl/PATCH displayName", hostileRequest: patchUser(`{"op":"replace","path":"displayName","value":"D\r"}`), status: inv, scimType: value, reads: true},
		{name: "ctl/PATCH group displayName", hostileRequest: patchGroup(`{"op":"replace","path":"displayName","value":"G\u0001"}`), status: inv, scimType: value},
		{name: "ctl/PATCH group externalId", hostileRequest: patchGroup(`{"op":"replace","path":"externalId","value":"g\n"}`), status: inv, scimType: value},

		// Deep nesting, below and above encoding/json's limit of 10000.
		{name: "nest/userName in 9990 arrays", hostileRequest: postUser(`"userName":` + hostileNest(9990, `"x"`)), status: inv, scimType: value},
		{name: "nest/userName in 10000 arrays", hostileRequest: postUser(`"userName":` + hostileNest(10_000, `"x"`)), status: inv, scimType: syntax},
		{name: "nest/title in 9990 objects", hostileRequest: postUser(`"userName":"m@x","title":` + hostileNestObj(9990, `"x"`)), status: inv, scimType: value},
		{name: "nest/emails in 9990 arrays", hostileRequest: postUser(`"userName":"m@x","emails":` + hostileNest(9990, `{"value":"m@x"}`)), status: inv, scimType: value},
		{name: "nest/group members in 9990 arrays", hostileRequest: postGroup(`"displayName":"G","members":` + hostileNest(9990, `{"value":"1"}`)), status: inv, scimType: value},
		{name: "nest/PATCH value in 9990 arrays", hostileRequest: patchUser(`{"op":"replace","path":"title","value":` + hostileNest(9990, `"x"`) + `}`), status: inv, scimType: value, reads: true},
		{name: "nest/PATCH no-path value in 9990 objects", hostileRequest: patchUser(`{"op":"replace","value":{"name":{"givenName":` + hostileNestObj(9990, `"x"`) + `}}}`), status: inv, scimType: value, reads: true},
		{name: "nest/PATCH operations in 9990 arrays", hostileRequest: patchUser(hostileNest(9990, `{"op":"add","path":"title","value":"x"}`)), status: inv, scimType: syntax},
		{name: "nest/PATCH in 10000 objects", hostileRequest: patchUser(`{"op":"replace","path":"title","value":` + hostileNestObj(10_000, `"x"`) + `}`), status: inv, scimType: syntax},
		{name: "nest/group PATCH members in 9990 arrays", hostileRequest: patchGroup(`{"op":"add","path":"members","value":` + hostileNest(9990, `{"value":"1"}`) + `}`), status: inv, scimType: value},

		// Bodies over max_body (64KiB in this configuration).
		{name: "size/POST user", hostileRequest: postUser(`"userName":"m@x","title":"` + big + `"`), status: http.StatusRequestEntityTooLarge},
		{name: "size/POST group of whitespace", hostileRequest: post("Groups", validGroup+strings.Repeat(" ", 70_000)), status: http.StatusRequestEntityTooLarge},
		{name: "size/PUT user", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users/{uid}", body: `{"userName":"` + big + `"}`}, status: http.StatusRequestEntityTooLarge},
		{name: "size/PATCH user of 1MiB", hostileRequest: patchUser(`{"op":"replace","path":"title","value":"` + strings.Repeat("y", 1<<20) + `"}`), status: http.StatusRequestEntityTooLarge},
		{name: "size/PATCH group", hostileRequest: patchGroup(strings.Repeat(`{"op":"add","path":"members","value":[{"value":"1"}]},`, 1500) + `{"op":"add","path":"members","value":[]}`), status: http.StatusRequestEntityTooLarge},

		// Invalid UTF-8.
		{name: "utf8/userName", hostileRequest: postUser(`"userName":"` + badUTF8 + `"`), status: inv, scimType: syntax},
		{name: "utf8/title", hostileRequest: postUser(`"userName":"m@x","title":"a` + badUTF8 + `"`), status: inv, scimType: syntax},
		{name: "utf8/key", hostileRequest: post("Users", `{"user`+badUTF8+`Name":"m@x"}`), status: inv, scimType: syntax},
		{name: "utf8/overlong slash", hostileRequest: postUser(`"userName":"a` + string([]byte{0xc0, 0xaf}) + `b"`), status: inv, scimType: syntax},
		{name: "utf8/group displayName", hostileRequest: postGroup(`"displayName":"` + badUTF8 + `"`), status: inv, scimType: syntax},
		{name: "utf8/PATCH value", hostileRequest: patchUser(`{"op":"replace","path":"title","value":"` + badUTF8 + `"}`), status: inv, scimType: syntax},
		{name: "utf8/filter", hostileRequest: get("/Users?filter=userName%20eq%20%22%FF%FE%22"), status: inv, scimType: filt},
		{name: "utf8/group filter", hostileRequest: get("/Groups?filter=displayName%20eq%20%22%C3%28%22"), status: inv, scimType: filt},

		// Media types other than application/scim+json and application/json.
		{name: "ctype/text/plain", hostileRequest: withType(post("Users", validUser), "text/plain"), status: http.StatusUnsupportedMediaType},
		{name: "ctype/application/xml", hostileRequest: withType(post("Users", `<User><userName>m@x</userName></User>`), "application/xml"), status: http.StatusUnsupportedMediaType},
		{name: "ctype/multipart/form-data", hostileRequest: withType(post("Users", "--x\r\nContent-Disposition: form-data; name=\"userName\"\r\n\r\nm@x\r\n--x--\r\n"), "multipart/form-data; boundary=x"), status: http.StatusUnsupportedMediaType},
		{name: "ctype/form-urlencoded", hostileRequest: withType(post("Users", "userName=m%40x"), "application/x-www-form-urlencoded"), status: http.StatusUnsupportedMediaType},
		{name: "ctype/unparsable", hostileRequest: withType(post("Users", validUser), ";;;"), status: http.StatusUnsupportedMediaType},
		{name: "ctype/PUT text/plain", hostileRequest: withType(hostileRequest{method: http.MethodPut, path: "/Users/{uid}", body: validUser}, "text/plain"), status: http.StatusUnsupportedMediaType},
		{name: "ctype/PATCH application/xml", hostileRequest: withType(patchUser(`{"op":"replace","path":"title","value":"x"}`), "application/xml"), status: http.StatusUnsupportedMediaType},
		{name: "ctype/group POST text/html", hostileRequest: withType(post("Groups", validGroup), "text/html; charset=utf-8"), status: http.StatusUnsupportedMediaType},
		{name: "ctype/group PATCH json-patch", hostileRequest: withType(patchGroup(`{"op":"add","path":"members","value":[{"value":"1"}]}`), "application/json-patch+json"), status: http.StatusUnsupportedMediaType},

		// Empty bodies.
		{name: "empty/POST user", hostileRequest: hostileRequest{method: http.MethodPost, path: "/Users", ctype: MediaType}, status: inv, scimType: syntax},
		{name: "empty/POST user whitespace", hostileRequest: post("Users", " \r\n\t "), status: inv, scimType: syntax},
		{name: "empty/PUT user", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users/{uid}", ctype: MediaType}, status: inv, scimType: syntax},
		{name: "empty/PATCH user", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Users/{uid}"}, status: inv, scimType: syntax},
		{name: "empty/POST group", hostileRequest: hostileRequest{method: http.MethodPost, path: "/Groups"}, status: inv, scimType: syntax},
		{name: "empty/PUT group whitespace", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Groups/{gid}", body: "\n\n"}, status: inv, scimType: syntax},
		{name: "empty/PATCH group whitespace", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Groups/{gid}", body: "   "}, status: inv, scimType: syntax},

		// Bad PATCH operations and paths.
		{name: "patch/op move", hostileRequest: patchUser(`{"op":"move","path":"title","value":"x"}`), status: inv, scimType: syntax},
		{name: "patch/op missing", hostileRequest: patchUser(`{"path":"title","value":"x"}`), status: inv, scimType: syntax},
		{name: "patch/op number", hostileRequest: patchUser(`{"op":1,"path":"title","value":"x"}`), status: inv, scimType: syntax},
		{name: "patch/op with a space", hostileRequest: patchUser(`{"op":"Replace ","path":"title","value":"x"}`), status: inv, scimType: syntax},
		{name: "patch/Operations not an array", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Users/{uid}", body: `{"Operations":{"op":"replace","path":"title","value":"x"}}`}, status: inv, scimType: syntax},
		{name: "patch/Operations empty", hostileRequest: patchUser(``), status: inv, scimType: syntax},
		{name: "patch/Operations missing", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Users/{uid}", body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}`}, status: inv, scimType: syntax},
		{name: "patch/operation a string", hostileRequest: patchUser(`"replace"`), status: inv, scimType: syntax},
		{name: "patch/1001 operations", hostileRequest: patchUser(strings.Repeat(`{"op":"add","path":"title","value":"x"},`, 1000) + `{"op":"add","path":"title","value":"x"}`), status: inv, scimType: syntax},
		{name: "patch/path favoriteColor", hostileRequest: patchUser(`{"op":"replace","path":"favoriteColor","value":"red"}`), status: inv, scimType: path},
		{name: "patch/path name.shoeSize", hostileRequest: patchUser(`{"op":"replace","path":"name.shoeSize","value":"44"}`), status: inv, scimType: path},
		{name: "patch/path emails[type eq", hostileRequest: patchUser(`{"op":"replace","path":"emails[type eq","value":"x"}`), status: inv, scimType: path},
		{name: "patch/path emails[type eq work]]", hostileRequest: patchUser(`{"op":"replace","path":"emails[type eq \"work\"]]","value":"x"}`), status: inv, scimType: path},
		{name: "patch/path a number", hostileRequest: patchUser(`{"op":"replace","path":7,"value":"x"}`), status: inv, scimType: path},
		{name: "patch/no-path key favoriteColor", hostileRequest: patchUser(`{"op":"replace","value":{"favoriteColor":"red"}}`), status: inv, scimType: path},
		{name: "patch/remove without path", hostileRequest: patchUser(`{"op":"remove"}`), status: inv, scimType: "noTarget"},
		{name: "patch/replace id", hostileRequest: patchUser(`{"op":"replace","path":"id","value":"7"}`), status: inv, scimType: "mutability", reads: true},
		{name: "patch/replace meta.created", hostileRequest: patchUser(`{"op":"replace","path":"meta.created","value":"2020-01-01T00:00:00Z"}`), status: inv, scimType: "mutability", reads: true},
		{name: "patch/add groups to a user", hostileRequest: patchUser(`{"op":"add","path":"groups","value":[{"value":"1"}]}`), status: inv, scimType: "mutability", reads: true},
		{name: "patch/add no-path string", hostileRequest: patchUser(`{"op":"add","value":"x"}`), status: inv, scimType: value},
		{name: "patch/add no-path array", hostileRequest: patchUser(`{"op":"add","value":[{"title":"x"}]}`), status: inv, scimType: value},
		{name: "patch/group remove displayName", hostileRequest: patchGroup(`{"op":"remove","path":"displayName"}`), status: inv, scimType: "mutability"},
		{name: "patch/group Remove DisplayName qualified", hostileRequest: patchGroup(`{"op":"Remove","path":"urn:ietf:params:scim:schemas:core:2.0:Group:DisplayName"}`), status: inv, scimType: "mutability"},
		{name: "patch/remove userName", hostileRequest: patchUser(`{"op":"remove","path":"userName"}`), status: inv, scimType: "mutability"},
		{name: "patch/remove userName qualified", hostileRequest: patchUser(`{"op":"Remove","path":"urn:ietf:params:scim:schemas:core:2.0:User:userName"}`), status: inv, scimType: "mutability"},
		{name: "patch/remove userName after a good op", hostileRequest: patchUser(`{"op":"replace","path":"title","value":"x"},{"op":"remove","path":"userName"}`), status: inv, scimType: "mutability"},
		{name: "patch/add without value", hostileRequest: patchUser(`{"op":"add","path":"title"}`), status: inv, scimType: syntax},
		{name: "patch/replace givenName without value", hostileRequest: patchUser(`{"op":"replace","path":"name.givenName"}`), status: inv, scimType: syntax},
		{name: "patch/Replace without value or path", hostileRequest: patchUser(`{"op":"Replace"}`), status: inv, scimType: syntax},
		{name: "patch/add without value after a good op", hostileRequest: patchUser(`{"op":"replace","path":"title","value":"x"},{"op":"add","path":"nickName"}`), status: inv, scimType: syntax},
		{name: "patch/add filtered email without value", hostileRequest: patchUser(`{"op":"Add","path":"emails[type eq \"work\"].value"}`), status: inv, scimType: syntax},
		{name: "patch/group add members without value", hostileRequest: patchGroup(`{"op":"Add","path":"members"}`), status: inv, scimType: syntax},
		{name: "patch/group replace displayName without value", hostileRequest: patchGroup(`{"op":"replace","path":"displayName"}`), status: inv, scimType: syntax},
		{name: "patch/path the core schema", hostileRequest: patchUser(`{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User","value":{"title":"x"}}`), status: inv, scimType: path},
		{name: "patch/path the enterprise schema", hostileRequest: patchUser(`{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"department":"x"}}`), status: inv, scimType: path},
		{name: "patch/remove the core schema", hostileRequest: patchUser(`{"op":"remove","path":"urn:ietf:params:scim:schemas:core:2.0:User"}`), status: inv, scimType: path},
		{name: "patch/path the group schema", hostileRequest: patchGroup(`{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:Group","value":{"displayName":"x"}}`), status: inv, scimType: path},
		{name: "patch/group replace displayName empty", hostileRequest: patchGroup(`{"op":"Replace","path":"displayName","value":""}`), status: inv, scimType: value},
		{name: "patch/group replace id", hostileRequest: patchGroup(`{"op":"replace","path":"id","value":"9"}`), status: inv, scimType: "mutability"},
		{name: "patch/group replace meta.created", hostileRequest: patchGroup(`{"op":"replace","path":"meta.created","value":"x"}`), status: inv, scimType: "mutability"},
		{name: "patch/group add with member filter", hostileRequest: patchGroup(`{"op":"add","path":"members[value eq \"1\"]","value":[{"value":"1"}]}`), status: inv, scimType: path},
		{name: "patch/group remove by display", hostileRequest: patchGroup(`{"op":"remove","path":"members[display eq \"alice\"]"}`), status: inv, scimType: filt},
		{name: "patch/group members.value", hostileRequest: patchGroup(`{"op":"replace","path":"members.value","value":"1"}`), status: inv, scimType: path},
		{name: "patch/group unknown path", hostileRequest: patchGroup(`{"op":"add","path":"owners","value":[{"value":"1"}]}`), status: inv, scimType: path},

		// Bad filters.
		{name: "filter/userName eq", hostileRequest: filter("Users", `userName eq`), status: inv, scimType: filt},
		{name: "filter/unknown operator", hostileRequest: filter("Users", `userName zz "a"`), status: inv, scimType: filt},
		{name: "filter/unknown attribute", hostileRequest: filter("Users", `favoriteColor eq "x"`), status: inv, scimType: filt},
		{name: "filter/open parenthesis", hostileRequest: filter("Users", `(userName eq "a"`), status: inv, scimType: filt},
		{name: "filter/close parenthesis", hostileRequest: filter("Users", `userName eq "a")`), status: inv, scimType: filt},
		{name: "filter/5000 characters", hostileRequest: filter("Users", `userName eq "`+strings.Repeat("a", 5000)+`"`), status: inv, scimType: filt},
		{name: "filter/active gt true", hostileRequest: filter("Users", `active gt true`), status: inv, scimType: filt},
		{name: "filter/open value filter", hostileRequest: filter("Users", `emails[type eq "work"`), status: inv, scimType: filt},
		{name: "filter/dangling and", hostileRequest: filter("Users", `userName eq "a" and`), status: inv, scimType: filt},
		{name: "filter/unterminated string", hostileRequest: filter("Users", `userName eq "a`), status: inv, scimType: filt},
		{name: "filter/40 parentheses", hostileRequest: filter("Users", strings.Repeat("(", 40)+`userName eq "a"`+strings.Repeat(")", 40)), status: inv, scimType: filt},
		{name: "filter/group displayName eq", hostileRequest: filter("Groups", `displayName eq`), status: inv, scimType: filt},
		{name: "filter/group unknown attribute", hostileRequest: filter("Groups", `owner eq "x"`), status: inv, scimType: filt},
		{name: "filter/group open value filter", hostileRequest: filter("Groups", `members[value eq "1"`), status: inv, scimType: filt},

		// Query strings that do not parse, or name a parameter twice: never
		// read leniently, which could drop the filter (issue #12).
		{name: "query/bad escape before the filter", hostileRequest: get("/Users?filter=%ZZuserName%20eq%20%22x%22"), status: inv, scimType: filt},
		{name: "query/bad escape beside the filter", hostileRequest: get("/Users?filter=userName%20eq%20%22alice@contoso.example%22&x=%ZZ"), status: inv, scimType: filt},
		{name: "query/semicolon after the filter", hostileRequest: get("/Users?filter=userName%20eq%20%22x%22;count=1"), status: inv, scimType: filt},
		{name: "query/bad escape in a FILTER key", hostileRequest: get("/Users?FILTER%ZZ=userName%20eq%20%22x%22"), status: inv, scimType: filt},
		{name: "query/group bad escape", hostileRequest: get("/Groups?excludedAttributes=members&filter=displayName%20eq%20%22Engineering%22&%G0"), status: inv, scimType: filt},
		{name: "query/bad escape without a filter", hostileRequest: get("/Users?count=%ZZ"), status: inv, scimType: value},
		{name: "query/bad escape on a resource", hostileRequest: get("/Users/{uid}?attributes=%ZZ"), status: inv, scimType: value},
		{name: "query/bad escape on POST", hostileRequest: hostileRequest{method: http.MethodPost, path: "/Users?%ZZ", body: validUser}, status: inv, scimType: value},
		{name: "query/bad escape on PATCH", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Users/{uid}?attributes=%", body: validPatch}, status: inv, scimType: value},
		{name: "query/filter twice", hostileRequest: get("/Users?filter=userName%20eq%20%22a%22&filter=userName%20eq%20%22b%22"), status: inv, scimType: filt},
		{name: "query/filter twice in two cases", hostileRequest: get("/Users?filter=userName%20eq%20%22a%22&Filter=userName%20eq%20%22b%22"), status: inv, scimType: filt},
		{name: "query/group filter twice", hostileRequest: get("/Groups?filter=displayName%20eq%20%22a%22&filter=displayName%20eq%20%22b%22"), status: inv, scimType: filt},
		{name: "query/count twice", hostileRequest: get("/Users?count=1&count=2"), status: inv, scimType: value},
		{name: "query/attributes twice", hostileRequest: get("/Users/{uid}?attributes=userName&ATTRIBUTES=title"), status: inv, scimType: value},
		{name: "query/empty filter", hostileRequest: get("/Users?filter="), status: inv, scimType: filt},
		{name: "query/blank filter", hostileRequest: get("/Users?filter=%20%20"), status: inv, scimType: filt},

		// Bad pagination.
		{name: "page/startIndex abc", hostileRequest: get("/Users?startIndex=abc"), status: inv, scimType: value},
		{name: "page/count 1.5", hostileRequest: get("/Users?count=1.5"), status: inv, scimType: value},
		{name: "page/count huge", hostileRequest: get("/Users?count=99999999999999999999"), status: inv, scimType: value},
		{name: "page/startIndex huge", hostileRequest: get("/Users?startIndex=99999999999999999999"), status: inv, scimType: value},
		{name: "page/count 1e3", hostileRequest: get("/Users?count=1e3"), status: inv, scimType: value},
		{name: "page/group count abc", hostileRequest: get("/Groups?count=abc&filter=" + url.QueryEscape(`displayName eq "Engineering"`)), status: inv, scimType: value},

		// Ids that are not positive decimal integers: 404 with no Hector call.
		{name: "id/traversal to groups", hostileRequest: get("/Users/..%2F..%2Fgroups"), status: http.StatusNotFound},
		{name: "id/traversal up", hostileRequest: get("/Users/1%2F.."), status: http.StatusNotFound},
		{name: "id/semicolon", hostileRequest: get("/Users/1;DROP"), status: http.StatusNotFound},
		{name: "id/NUL", hostileRequest: get("/Users/%00"), status: http.StatusNotFound},
		{name: "id/question mark", hostileRequest: get("/Users/1%3Fx"), status: http.StatusNotFound},
		{name: "id/SQL", hostileRequest: get("/Users/1%20OR%201=1"), status: http.StatusNotFound},
		{name: "id/word", hostileRequest: get("/Users/abc"), status: http.StatusNotFound},
		{name: "id/negative", hostileRequest: get("/Users/-1"), status: http.StatusNotFound},
		{name: "id/zero", hostileRequest: get("/Users/0"), status: http.StatusNotFound},
		{name: "id/leading zero", hostileRequest: get("/Users/01"), status: http.StatusNotFound},
		{name: "id/plus sign", hostileRequest: get("/Users/+1"), status: http.StatusNotFound},
		{name: "id/overflow", hostileRequest: get("/Users/9223372036854775808"), status: http.StatusNotFound},
		{name: "id/exponent", hostileRequest: get("/Users/1e3"), status: http.StatusNotFound},
		{name: "id/dot dot", hostileRequest: get("/Users/%2e%2e"), status: http.StatusNotFound},
		{name: "id/right-to-left mark", hostileRequest: get("/Users/%E2%80%AE1"), status: http.StatusNotFound},
		{name: "id/DELETE word", hostileRequest: hostileRequest{method: http.MethodDelete, path: "/Users/abc"}, status: http.StatusNotFound},
		{name: "id/DELETE semicolon", hostileRequest: hostileRequest{method: http.MethodDelete, path: "/Users/1;DROP"}, status: http.StatusNotFound},
		{name: "id/PUT word", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users/abc", body: validUser}, status: http.StatusNotFound},
		{name: "id/PATCH traversal", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Users/..%2Fgroups", body: validPatch}, status: http.StatusNotFound},
		{name: "id/group GET traversal", hostileRequest: get("/Groups/..%2Fusers"), status: http.StatusNotFound},
		{name: "id/group DELETE zero", hostileRequest: hostileRequest{method: http.MethodDelete, path: "/Groups/0"}, status: http.StatusNotFound},
		{name: "id/group PATCH negative", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Groups/-5", body: hostilePatch(`{"op":"add","path":"members","value":[{"value":"1"}]}`)}, status: http.StatusNotFound},
		{name: "id/group PUT dot dot", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Groups/%2e%2e", body: validGroup}, status: http.StatusNotFound},

		// Searches (RFC 7644 §3.4.3): POST only, and a body that says exactly
		// what to search, or 400.
		{name: "search/GET", hostileRequest: get("/Users/.search"), status: http.StatusMethodNotAllowed},
		{name: "search/GET with a filter", hostileRequest: get("/Users/.search?filter=" + url.QueryEscape(`userName eq "x"`)), status: http.StatusMethodNotAllowed},
		{name: "search/PUT", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users/.search", body: validUser}, status: http.StatusMethodNotAllowed},
		{name: "search/PATCH groups", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Groups/.search", body: validPatch}, status: http.StatusMethodNotAllowed},
		{name: "search/DELETE groups", hostileRequest: hostileRequest{method: http.MethodDelete, path: "/Groups/.SEARCH"}, status: http.StatusMethodNotAllowed},
		{name: "search/misspelt filter", hostileRequest: post("Users/.search", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filtr":"userName eq \"x\""}`), status: inv, scimType: syntax},
		{name: "search/bad filter", hostileRequest: post("Users/.search", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName eq"}`), status: inv, scimType: filt},
		{name: "search/unknown attribute in the filter", hostileRequest: post("Users/.search", `{"filter":"favoriteColor eq \"x\""}`), status: inv, scimType: filt},
		{name: "search/filter a number", hostileRequest: post("Users/.search", `{"filter":7}`), status: inv, scimType: filt},
		{name: "search/empty filter", hostileRequest: post("Users/.search", `{"filter":" "}`), status: inv, scimType: filt},
		{name: "search/filter twice", hostileRequest: post("Users/.search", `{"filter":"userName eq \"a\"","filter":"userName eq \"b\""}`), status: inv, scimType: syntax},
		{name: "search/filter in two cases", hostileRequest: post("Users/.search", `{"filter":"userName eq \"a\"","Filter":"userName eq \"b\""}`), status: inv, scimType: syntax},
		{name: "search/filter in the query too", hostileRequest: post("Users/.search?filter="+url.QueryEscape(`userName eq "a"`), `{"filter":"userName eq \"b\""}`), status: inv, scimType: syntax},
		{name: "search/count a string", hostileRequest: post("Users/.search", `{"count":"5"}`), status: inv, scimType: value},
		{name: "search/count 1.5", hostileRequest: post("Users/.search", `{"count":1.5}`), status: inv, scimType: value},
		{name: "search/count huge", hostileRequest: post("Users/.search", `{"count":99999999999999999999}`), status: inv, scimType: value},
		{name: "search/startIndex a boolean", hostileRequest: post("Users/.search", `{"startIndex":true}`), status: inv, scimType: value},
		{name: "search/attributes a number", hostileRequest: post("Users/.search", `{"attributes":7}`), status: inv, scimType: value},
		{name: "search/attributes numbers", hostileRequest: post("Users/.search", `{"attributes":[1,2]}`), status: inv, scimType: value},
		{name: "search/schemas of a User", hostileRequest: post("Users/.search", validUser), status: inv, scimType: syntax},
		{name: "search/not JSON", hostileRequest: post("Users/.search", `{`), status: inv, scimType: syntax},
		{name: "search/an array", hostileRequest: post("Groups/.search", `[]`), status: inv, scimType: syntax},
		{name: "search/empty body", hostileRequest: hostileRequest{method: http.MethodPost, path: "/Users/.search", ctype: MediaType}, status: inv, scimType: syntax},
		{name: "search/text/plain", hostileRequest: withType(post("Users/.search", `{}`), "text/plain"), status: http.StatusUnsupportedMediaType},
		{name: "search/group bad filter", hostileRequest: post("Groups/.search", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"displayName eq"}`), status: inv, scimType: filt},
		{name: "search/group sortBy a number", hostileRequest: post("Groups/.search", `{"sortBy":1}`), status: inv, scimType: value},
		{name: "search/below an id", hostileRequest: post("Users/{uid}/.search", `{}`), status: http.StatusNotFound},
		{name: "search/at the root", hostileRequest: post(".search", `{}`), status: http.StatusNotFound},
		{name: "search/no token", hostileRequest: hostileRequest{method: http.MethodPost, path: "/Users/.search", body: `{}`, noAuth: true}, status: http.StatusUnauthorized},

		// Wrong methods.
		{name: "method/DELETE Users", hostileRequest: hostileRequest{method: http.MethodDelete, path: "/Users"}, status: http.StatusMethodNotAllowed},
		{name: "method/PATCH Users", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Users", body: validPatch}, status: http.StatusMethodNotAllowed},
		{name: "method/PUT Users", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Users", body: validUser}, status: http.StatusMethodNotAllowed},
		{name: "method/POST Users id", hostileRequest: hostileRequest{method: http.MethodPost, path: "/Users/{uid}", body: validUser}, status: http.StatusMethodNotAllowed},
		{name: "method/PUT Groups", hostileRequest: hostileRequest{method: http.MethodPut, path: "/Groups", body: validGroup}, status: http.StatusMethodNotAllowed},
		{name: "method/DELETE Groups", hostileRequest: hostileRequest{method: http.MethodDelete, path: "/Groups"}, status: http.StatusMethodNotAllowed},
		{name: "method/POST Groups id", hostileRequest: hostileRequest{method: http.MethodPost, path: "/Groups/{gid}", body: validGroup}, status: http.StatusMethodNotAllowed},
		{name: "method/POST ServiceProviderConfig", hostileRequest: hostileRequest{method: http.MethodPost, path: "/ServiceProviderConfig", body: `{}`}, status: http.StatusMethodNotAllowed},
		{name: "method/DELETE Schemas", hostileRequest: hostileRequest{method: http.MethodDelete, path: "/Schemas"}, status: http.StatusMethodNotAllowed},
		{name: "method/PUT ResourceTypes", hostileRequest: hostileRequest{method: http.MethodPut, path: "/ResourceTypes/User", body: `{}`}, status: http.StatusMethodNotAllowed},
		{name: "method/invented", hostileRequest: hostileRequest{method: "FROB", path: "/Users"}, status: http.StatusMethodNotAllowed},

		// Unknown routes.
		{name: "route/Foo", hostileRequest: get("/Foo"), status: http.StatusNotFound},
		{name: "route/user subresource", hostileRequest: get("/Users/{uid}/extra"), status: http.StatusNotFound},
		{name: "route/base path with slash", hostileRequest: get("/"), status: http.StatusNotFound},
		{name: "route/base path", hostileRequest: get(""), status: http.StatusNotFound},
		{name: "route/group members", hostileRequest: get("/Groups/{gid}/members"), status: http.StatusNotFound},
		{name: "route/empty segment", hostileRequest: get("/Users//{uid}"), status: http.StatusNotFound},
		{name: "route/Me", hostileRequest: get("/Me"), status: http.StatusNotFound},
		{name: "route/Bulk", hostileRequest: post("Bulk", `{"Operations":[]}`), status: http.StatusNotFound},
		{name: "route/ServiceProviderConfig id", hostileRequest: get("/ServiceProviderConfig/x"), status: http.StatusNotFound},

		// Authentication.
		{name: "auth/no header", hostileRequest: hostileRequest{method: http.MethodGet, path: "/Users", noAuth: true}, status: http.StatusUnauthorized},
		{name: "auth/no header on POST", hostileRequest: hostileRequest{method: http.MethodPost, path: "/Users", body: validUser, noAuth: true}, status: http.StatusUnauthorized},
		{name: "auth/Basic", hostileRequest: withAuth(get("/Users"), "Basic "+hostileToken), status: http.StatusUnauthorized},
		{name: "auth/wrong token", hostileRequest: withAuth(post("Users", validUser), "Bearer wrong-token-0123456789abcdef"), status: http.StatusUnauthorized},
		{name: "auth/trailing space", hostileRequest: direct(withAuth(get("/Users"), "Bearer "+hostileToken+" ")), status: http.StatusUnauthorized},
		{name: "auth/trailing tab", hostileRequest: direct(withAuth(get("/Users"), "Bearer "+hostileToken+"\t")), status: http.StatusUnauthorized},
		{name: "auth/trailing no-break space", hostileRequest: withAuth(get("/Users"), "Bearer "+hostileToken+"\u00a0"), status: http.StatusUnauthorized},
		{name: "auth/two spaces", hostileRequest: withAuth(get("/Users"), "Bearer  "+hostileToken), status: http.StatusUnauthorized},
		{name: "auth/upper case token", hostileRequest: withAuth(get("/Users"), "Bearer "+strings.ToUpper(hostileToken)), status: http.StatusUnauthorized},
		{name: "auth/truncated token", hostileRequest: withAuth(get("/Users"), "Bearer "+hostileToken[:len(hostileToken)-1]), status: http.StatusUnauthorized},
		{name: "auth/5000-character token", hostileRequest: withAuth(get("/Users"), "Bearer "+strings.Repeat("t", 5000)), status: http.StatusUnauthorized},
		{name: "auth/Bearer alone", hostileRequest: withAuth(get("/Users"), "Bearer"), status: http.StatusUnauthorized},
		{name: "auth/Bearer empty", hostileRequest: withAuth(get("/Users"), "Bearer "), status: http.StatusUnauthorized},
		{name: "auth/Token scheme", hostileRequest: withAuth(get("/Users"), "Token "+hostileToken), status: http.StatusUnauthorized},
		{name: "auth/DELETE wrong token", hostileRequest: withAuth(hostileRequest{method: http.MethodDelete, path: "/Users/{uid}"}, "Bearer nope"), status: http.StatusUnauthorized},
		{name: "auth/PATCH group no header", hostileRequest: hostileRequest{method: http.MethodPatch, path: "/Groups/{gid}", body: validPatch, noAuth: true}, status: http.StatusUnauthorized},
		{name: "auth/unknown route", hostileRequest: hostileRequest{method: http.MethodGet, path: "/Foo", noAuth: true}, status: http.StatusUnauthorized},
	}
}

// hostileSeed creates users and groups through the SCIM handler and
// returns the ids of a user and a group with members.
func hostileSeed(t testing.TB, e *hostileEnv) (uid, gid string) {
	t.Helper()
	alice := e.create(t, "Users", `{"userName":"alice@contoso.example","name":{"givenName":"Alice","familyName":"Smith"},"emails":[{"type":"work","value":"alice@contoso.example","primary":true}],"title":"Engineer"}`)
	bob := e.create(t, "Users", `{"userName":"bob@contoso.example","externalId":"bob-ext","active":true}`)
	e.create(t, "Users", `{"userName":"carol@contoso.example","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"E3","department":"Sales"}}`)
	eng := e.create(t, "Groups", `{"displayName":"Engineering","externalId":"eng-ext","members":[{"value":"`+alice+`"},{"value":"`+bob+`"}]}`)
	e.create(t, "Groups", `{"displayName":"Sales","members":[]}`)
	return alice, eng
}

// hostileFlow provisions as Entra does: create a user, patch them, add
// them to a group; it checks each step in Hector.
func hostileFlow(t *testing.T, e *hostileEnv, gid, tag string) {
	t.Helper()
	id := e.create(t, "Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"flow-`+tag+`@contoso.example","active":true,"name":{"givenName":"Flo","familyName":"W"},"emails":[{"primary":true,"type":"work","value":"flow-`+tag+`@contoso.example"}]}`)
	got := e.must(t, http.StatusOK, hostileRequest{method: http.MethodPatch, path: "/Users/" + id, body: hostilePatch(`{"op":"Replace","path":"name.givenName","value":"Flora"},{"op":"Replace","path":"active","value":"False"}`)})
	if name, _ := got["name"].(map[string]any); name["givenName"] != "Flora" || got["active"] != false {
		t.Errorf("PATCH /Users/%s: got name %v, active %v, want givenName Flora, active false", id, got["name"], got["active"])
	}
	e.must(t, http.StatusNoContent, hostileRequest{method: http.MethodPatch, path: "/Groups/" + gid, body: hostilePatch(`{"op":"Add","path":"members","value":[{"$ref":null,"value":"` + id + `"}]}`)})
	n, _ := strconv.ParseInt(id, 10, 64)
	g, _ := strconv.ParseInt(gid, 10, 64)
	raw, ok := e.sim.User(n)
	if !ok {
		t.Fatalf("user %s is not in Hector", id)
	}
	var u struct {
		FirstName string `json:"first_name"`
		Status    string `json:"status"`
	}
	if err := json.Unmarshal(raw, &u); err != nil {
		t.Fatal(err)
	}
	if u.FirstName != "Flora" || u.Status != "disabled" {
		t.Errorf("Hector user %s: got first_name %q, status %q, want Flora, disabled", id, u.FirstName, u.Status)
	}
	if !slices.Contains(e.sim.Members(g), n) {
		t.Errorf("Hector group %s: got members %v, want %d among them", gid, e.sim.Members(g), n)
	}
}

// TestHostileRequests sends bad requests through the real handler: each
// gets the right 4xx as a SCIM error, and Hector is left untouched. A
// normal provisioning flow works before and after them.
func TestHostileRequests(t *testing.T) {
	e := newHostileEnv(t)
	uid, gid := hostileSeed(t, e)
	hostileFlow(t, e, gid, "before")
	ids := strings.NewReplacer("{uid}", uid, "{gid}", gid)
	cases := hostileCases()
	if len(cases) < 80 {
		t.Fatalf("got %d cases, want at least 80", len(cases))
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("case %q is listed twice", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			req := tc.hostileRequest
			req.path = ids.Replace(req.path)
			before, calls := e.state(t), e.calls.count()
			resp, body := e.do(t, req)
			checkSCIMError(t, resp, body, tc.status, tc.scimType)
			for _, d := range before.diff(e.state(t)) {
				t.Errorf("Hector: %s", d)
			}
			if tc.reads {
				return
			}
			for _, u := range e.calls.since(calls) {
				t.Errorf("got Hector call %s, want none", u)
			}
			if got := e.sim.Stats().Requests; got != before.requests {
				t.Errorf("got %d Hector requests in all, want %d as before", got, before.requests)
			}
		})
	}
	hostileFlow(t, e, gid, "after")
}

// checkSCIMError checks an answer is a SCIM error (RFC 7644 §3.12) of the
// given status and scimType ("" for none).
func checkSCIMError(t testing.TB, resp *http.Response, body []byte, status int, scimType string) {
	t.Helper()
	short := body
	if len(short) > 300 {
		short = short[:300]
	}
	if resp.StatusCode != status {
		t.Errorf("got status %d, want %d; body %s", resp.StatusCode, status, short)
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != MediaType {
		t.Errorf("got Content-Type %q, want %s", resp.Header.Get("Content-Type"), MediaType)
	}
	var doc struct {
		Schemas  []string `json:"schemas"`
		Status   any      `json:"status"`
		ScimType string   `json:"scimType"`
		Detail   string   `json:"detail"`
	}
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&doc); err != nil {
		t.Fatalf("got body %q, want a SCIM error: %v", short, err)
	}
	if !slices.Contains(doc.Schemas, schema.ErrorURN) {
		t.Errorf("got schemas %v, want %s among them", doc.Schemas, schema.ErrorURN)
	}
	if s, ok := doc.Status.(string); !ok || s != strconv.Itoa(resp.StatusCode) {
		t.Errorf("got status member %#v, want the string %q", doc.Status, strconv.Itoa(resp.StatusCode))
	}
	if doc.ScimType != scimType {
		t.Errorf("got scimType %q, want %q; detail %q", doc.ScimType, scimType, doc.Detail)
	}
	if doc.Detail == "" {
		t.Errorf("got an empty detail, want one")
	}
	switch status {
	case http.StatusUnauthorized:
		if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("got WWW-Authenticate %q, want a Bearer challenge", got)
		}
	case http.StatusMethodNotAllowed:
		if got := resp.Header.Get("Allow"); got == "" || strings.Contains(got, resp.Request.Method) {
			t.Errorf("got Allow %q, want the allowed methods", got)
		}
	}
}

// TestHostileFilterValues checks that filter values reach Hector as one
// query parameter each, intact: no value can add a parameter or change the
// path of the Hector call.
func TestHostileFilterValues(t *testing.T) {
	e := newHostileEnv(t)
	trap := e.create(t, "Users", `{"userName":"a&status=active","externalId":"a&b"}`)
	e.create(t, "Users", `{"userName":"a","externalId":"a%26b-not"}`)
	e.create(t, "Users", `{"userName":"x","emails":[{"type":"work","value":"y@contoso.example"}]}`)
	tests := []struct {
		filter string
		param  string // the Hector query parameter the value must arrive in
		value  string
		want   []string // ids found
	}{
		{`userName eq "a&status=active"`, "username", "a&status=active", []string{trap}},
		{`userName eq "x\u0026email=y"`, "username", "x&email=y", nil},
		{`externalId eq "a%26b"`, "external_id", "a%26b", nil},
		{`externalId eq "a&b"`, "external_id", "a&b", []string{trap}},
		{`userName eq "a#frag"`, "username", "a#frag", nil},
		{`userName eq "a?page=2"`, "username", "a?page=2", nil},
		{`userName eq "a+b"`, "username", "a+b", nil},
		{`userName eq "../groups/1"`, "username", "../groups/1", nil},
		{`userName eq "a\nX-Api-Key: k"`, "username", "a\nX-Api-Key: k", nil},
		{`emails[type eq "work"].value eq "y@contoso.example&per_page=1000"`, "email", "y@contoso.example&per_page=1000", nil},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			before, calls := e.state(t), e.calls.count()
			list := e.must(t, http.StatusOK, hostileRequest{method: http.MethodGet, path: "/Users?filter=" + url.QueryEscape(tt.filter)})
			var got []string
			res, _ := list["Resources"].([]any)
			for _, r := range res {
				m, _ := r.(map[string]any)
				id, _ := m["id"].(string)
				got = append(got, id)
			}
			if !slices.Equal(got, tt.want) || list["totalResults"] != float64(len(tt.want)) {
				t.Errorf("got ids %v (totalResults %v), want %v", got, list["totalResults"], tt.want)
			}
			made := e.calls.since(calls)
			if len(made) != 1 {
				t.Fatalf("got Hector calls %v, want exactly one", made)
			}
			u := made[0]
			if u.Path != "/users" {
				t.Errorf("got Hector path %q, want /users", u.Path)
			}
			q := u.Query()
			if got := q[tt.param]; len(got) != 1 || got[0] != tt.value {
				t.Errorf("got %s=%q, want exactly %q", tt.param, got, tt.value)
			}
			for k := range q {
				if k != tt.param && k != "page" && k != "per_page" {
					t.Errorf("got Hector query parameter %s=%q, want only %s and paging", k, q[k], tt.param)
				}
			}
			for _, d := range before.diff(e.state(t)) {
				t.Errorf("Hector: %s", d)
			}
		})
	}
}
