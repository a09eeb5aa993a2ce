package provision_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/hector-scim/hector-scim/hectorsim"
	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
)

// gate holds the first request whose "METHOD path" has the given prefix
// until released, telling when it arrived: it forces one interleaving of
// two replicas.
type gate struct {
	next    http.Handler
	prefix  string
	once    sync.Once
	arrived chan struct{}
	release chan struct{}
}

func newGate(next http.Handler, prefix string) *gate {
	return &gate{next: next, prefix: prefix, arrived: make(chan struct{}), release: make(chan struct{})}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.Method+" "+r.URL.Path, g.prefix) {
		g.once.Do(func() {
			close(g.arrived)
			<-g.release
		})
	}
	g.next.ServeHTTP(w, r)
}

// replica is a Service of its own (its own per-object locks, as another
// process) over a shared simulator.
func replica(t *testing.T, h http.Handler, roles translate.Roles) *provision.Service {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := legacyclient.New(legacyclient.Config{BaseURL: srv.URL, APIKey: "k", Retries: new(0)})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := provision.NewService(c, provision.Config{Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

var ctxBase = context.Background()

func addBody(uid string) []byte {
	return []byte(fmt.Sprintf(`{"Operations":[{"op":"Add","path":"members","value":[{"value":%q}]}]}`, uid))
}

func removeBody(uid string) []byte {
	return []byte(fmt.Sprintf(`{"Operations":[{"op":"remove","path":"members[value eq \"%s\"]"}]}`, uid))
}

// TestReplicaRaces runs two replicas on one user at once, with replica A's
// member call held until replica B has finished: the interleaving where
// each computes from a state without the other's change. The
// verification after the member calls makes the last one fix the result.
func TestReplicaRaces(t *testing.T) {
	roles := translate.Roles{Order: []translate.RoleRule{
		{Name: "admin", Groups: []string{"hector_admins"}},
		{Name: "staff", Groups: []string{"hector_staff"}},
	}, Default: "user"}
	tests := []struct {
		name       string
		setup      []string // groups the user is in first
		held       string   // A's call that waits for B
		a, b       func(uid string) []byte
		aGroup     string
		bGroup     string
		wantRole   string
		wantStatus string
	}{
		{"adds to two role groups", nil, "POST /groups/1/members", addBody, addBody, "hector_staff", "hector_admins", "admin", "active"},
		{"adds, the other way round", nil, "POST /groups/2/members", addBody, addBody, "hector_admins", "hector_staff", "admin", "active"},
		{"removals from the last two synchronized groups", []string{"hector_staff", "hector_admins"}, "DELETE /groups/1/members", removeBody, removeBody, "hector_staff", "hector_admins", "user", "disabled"},
		{"a removal and an add", []string{"hector_admins"}, "DELETE /groups/2/members", removeBody, addBody, "hector_admins", "hector_staff", "staff", "active"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, err := hectorsim.New(hectorsim.Options{APIKey: "k"})
			if err != nil {
				t.Fatal(err)
			}
			g := newGate(sim, tt.held)
			a, b := replica(t, g, roles), replica(t, sim, roles)
			ids := map[string]string{}
			for _, name := range []string{"hector_staff", "hector_admins"} {
				res, err := b.CreateGroup(ctxBase, testReq, []byte(fmt.Sprintf(`{"displayName":%q,"externalId":%q}`, name, "x-"+name)))
				if err != nil {
					t.Fatal(err)
				}
				ids[name] = res["id"].(string)
			}
			u, err := b.CreateUser(ctxBase, testReq, []byte(`{"userName":"ada@x"}`))
			if err != nil {
				t.Fatal(err)
			}
			uid := u["id"].(string)
			for _, name := range tt.setup {
				if _, err := b.PatchGroup(ctxBase, testReq, ids[name], addBody(uid)); err != nil {
					t.Fatal(err)
				}
			}
			done := make(chan error)
			go func() {
				_, err := a.PatchGroup(ctxBase, testReq, ids[tt.aGroup], tt.a(uid))
				done <- err
			}()
			<-g.arrived
			if _, err := b.PatchGroup(ctxBase, testReq, ids[tt.bGroup], tt.b(uid)); err != nil {
				t.Fatal(err)
			}
			close(g.release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			raw, _ := sim.User(1)
			if got := gjson.GetBytes(raw, "role").String(); got != tt.wantRole {
				t.Errorf("got role %q, want %q", got, tt.wantRole)
			}
			if got := gjson.GetBytes(raw, "status").String(); got != tt.wantStatus {
				t.Errorf("got status %q, want %q", got, tt.wantStatus)
			}
		})
	}
}
