package caddymodule

import (
	"net/http"
	"reflect"
	"testing"
)

// TestDeliberateChoices holds, through the real handler, the choices the
// README's conformance notes list where the bridge picks among what RFC
// 7644 allows or departs from it on purpose; each subtest names its note.
func TestDeliberateChoices(t *testing.T) {
	e := newHostileEnv(t)
	uid, gid := hostileSeed(t, e)

	t.Run("user PATCH answers 200 with the user", func(t *testing.T) {
		got := e.must(t, http.StatusOK, hostileRequest{method: http.MethodPatch, path: "/Users/" + uid,
			body: hostilePatch(`{"op":"replace","path":"title","value":"Architect"}`)})
		if got["id"] != uid || got["title"] != "Architect" || got["userName"] != "alice@contoso.example" {
			t.Errorf("got %v, want the whole patched user", got)
		}
	})

	t.Run("group PATCH answers 204, or 200 with attributes", func(t *testing.T) {
		resp, body := e.do(t, hostileRequest{method: http.MethodPatch, path: "/Groups/" + gid,
			body: hostilePatch(`{"op":"replace","path":"displayName","value":"Engineering"}`)})
		if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
			t.Errorf("got %d %q, want 204 without a body", resp.StatusCode, body)
		}
		got := e.must(t, http.StatusOK, hostileRequest{method: http.MethodPatch, path: "/Groups/" + gid + "?attributes=displayName",
			body: hostilePatch(`{"op":"replace","path":"displayName","value":"Engineering"}`)})
		if got["displayName"] != "Engineering" || got["id"] != gid || got["members"] != nil {
			t.Errorf("got %v, want id and displayName only", got)
		}
	})

	t.Run("replace on a filtered element that does not exist creates it", func(t *testing.T) {
		id := e.create(t, "Users", `{"userName":"nophone@contoso.example"}`)
		got := e.must(t, http.StatusOK, hostileRequest{method: http.MethodPatch, path: "/Users/" + id,
			body: hostilePatch(`{"op":"Replace","path":"phoneNumbers[type eq \"work\"].value","value":"+1 425 555 0100"}`)})
		checkRecord(t, hectorUser(t, e, id), map[string]string{"phone": "+1 425 555 0100"})
		phones, _ := got["phoneNumbers"].([]any)
		if len(phones) != 1 {
			t.Errorf("got phoneNumbers %v, want the one work number", got["phoneNumbers"])
		}
	})

	t.Run("colliding email or externalId is 409 uniqueness", func(t *testing.T) {
		e.create(t, "Users", `{"userName":"first@contoso.example","externalId":"ext-first","emails":[{"type":"work","value":"shared@contoso.example"}]}`)
		for _, body := range []string{
			`{"userName":"second@contoso.example","emails":[{"type":"work","value":"shared@contoso.example"}]}`,
			`{"userName":"third@contoso.example","externalId":"ext-first"}`,
		} {
			before := e.state(t)
			resp, out := e.do(t, hostileRequest{method: http.MethodPost, path: "/Users", body: body})
			checkSCIMError(t, resp, out, http.StatusConflict, "uniqueness")
			if !reflect.DeepEqual(before.users, e.state(t).users) {
				t.Errorf("Hector's users changed, want them as before (Hector refuses the create)")
			}
		}
	})

	t.Run("attributes Hector does not store are not echoed", func(t *testing.T) {
		created := e.must(t, http.StatusCreated, hostileRequest{method: http.MethodPost, path: "/Users",
			body: `{"userName":"echo@contoso.example","displayName":"Echo","nickName":"E","addresses":[{"type":"work","locality":"Leeds"}],"roles":[{"value":"Admin"}],"password":"Hunter2!"}`})
		id, _ := created["id"].(string)
		read := e.must(t, http.StatusOK, hostileRequest{method: http.MethodGet, path: "/Users/" + id})
		for _, doc := range []map[string]any{created, read} {
			for _, absent := range []string{"displayName", "nickName", "addresses", "roles", "password"} {
				if v, ok := doc[absent]; ok {
					t.Errorf("got %s %v, want it not echoed", absent, v)
				}
			}
		}
	})

	t.Run("DELETE deactivates", func(t *testing.T) {
		id := e.create(t, "Users", `{"userName":"leaver@contoso.example"}`)
		for range 2 {
			e.must(t, http.StatusNoContent, hostileRequest{method: http.MethodDelete, path: "/Users/" + id})
		}
		checkRecord(t, hectorUser(t, e, id), map[string]string{"status": "disabled", "username": "leaver@contoso.example"})
		if got := e.must(t, http.StatusOK, hostileRequest{method: http.MethodGet, path: "/Users/" + id}); got["active"] != false {
			t.Errorf("got active %v, want false", got["active"])
		}
	})
}
