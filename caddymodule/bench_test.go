package caddymodule

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// Benchmarks of one SCIM request through the handler in process: the
// request and response stay in memory, the Hector calls go over loopback
// to the simulator, so the figures are the sidecar's work plus its HTTP
// client's (and the simulator's answer).
//
//	go test -run '^$' -bench Handler -benchmem ./caddymodule/

// benchHandler sends method path with body b.N times and fails on any
// status of 300 or more. In body, {i} becomes 1 to 7 x's (values that
// change) and {n} the iteration's number (values that never repeat).
// Every benchmark reports its allocations.
func benchHandler(b *testing.B, method, path, body string) {
	e := newHostileEnv(b)
	uid := e.create(b, "Users", `{"userName":"ada@contoso.example","name":{"givenName":"Ada","familyName":"Lovelace"},"emails":[{"type":"work","value":"ada@contoso.example"}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"E1"}}`)
	path = strings.ReplaceAll(path, "{uid}", uid)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		bd := body
		if strings.Contains(bd, "{i}") {
			bd = strings.ReplaceAll(bd, "{i}", strings.Repeat("x", i%7+1))
		}
		if strings.Contains(bd, "{n}") {
			bd = strings.ReplaceAll(bd, "{n}", strconv.Itoa(i))
		}
		req := httptest.NewRequest(method, hostileBase+path, strings.NewReader(bd))
		req.Header.Set("Authorization", "Bearer "+hostileToken)
		if bd != "" {
			req.Header.Set("Content-Type", "application/scim+json")
		}
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		if rec.Code >= 300 {
			b.Fatalf("got %d %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkHandlerGetUser(b *testing.B) {
	benchHandler(b, http.MethodGet, "/Users/{uid}", "")
}

func BenchmarkHandlerFilterUserName(b *testing.B) {
	benchHandler(b, http.MethodGet, `/Users?filter=userName+eq+%22ada@contoso.example%22`, "")
}

func BenchmarkHandlerPatchUser(b *testing.B) {
	benchHandler(b, http.MethodPatch, "/Users/{uid}", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"name.givenName","value":"A{i}"}]}`)
}

// BenchmarkHandlerPostUser creates a user per iteration, with the body
// cmd/scim-load sends: a distinct userName each time.
func BenchmarkHandlerPostUser(b *testing.B) {
	benchHandler(b, http.MethodPost, "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],`+
		`"userName":"new-{n}@contoso.example","externalId":"x-new-{n}@contoso.example","active":true,`+
		`"name":{"givenName":"New","familyName":"User {n}"},`+
		`"emails":[{"type":"work","value":"new-{n}@contoso.example","primary":true}]}`)
}
