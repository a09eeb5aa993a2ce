package caddymodule

import (
	"context"
	"errors"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// fakeRoles is a rolesLister that counts its calls.
type fakeRoles struct {
	roles []string
	err   error
	calls int
}

func (f *fakeRoles) Roles(ctx context.Context) ([]string, error) {
	f.calls++
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return f.roles, f.err
}

// TestRoleCheck: the configured roles are checked once per shared
// roleCheck (a reload keeping them does not check again); a check that
// could not reach Hector, or whose configuration was unloaded first, is
// left to the next configuration.
func TestRoleCheck(t *testing.T) {
	names := []string{"admin", "wizard"}
	tests := []struct {
		name      string
		lister    *fakeRoles
		cancelled bool
		wantMsgs  []string
		wantAgain bool // the next configuration checks again
	}{
		{
			name:     "Hector answers",
			lister:   &fakeRoles{roles: []string{"admin", "user"}},
			wantMsgs: []string{"configured role is not a Hector role; users cannot be given it", "configured roles checked against Hector"},
		},
		{
			name:      "Hector fails",
			lister:    &fakeRoles{err: errors.New("unreachable")},
			wantMsgs:  []string{"could not check the configured roles against Hector's GET /roles"},
			wantAgain: true,
		},
		{
			name:      "configuration unloaded",
			lister:    &fakeRoles{roles: []string{"admin"}},
			cancelled: true,
			wantAgain: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			core, logs := observer.New(zapcore.InfoLevel)
			h := &Handler{logger: zap.New(core)}
			ctx, cancel := context.WithCancel(context.Background())
			if tt.cancelled {
				cancel()
			}
			defer cancel()
			rc := new(roleCheck)
			h.checkRoles(ctx, tt.lister, rc, names)
			var got []string
			for _, e := range logs.All() {
				got = append(got, e.Message)
			}
			if len(got) != len(tt.wantMsgs) {
				t.Fatalf("log lines: got %q, want %q", got, tt.wantMsgs)
			}
			for i := range got {
				if got[i] != tt.wantMsgs[i] {
					t.Errorf("log line %d: got %q, want %q", i, got[i], tt.wantMsgs[i])
				}
			}
			// The next configuration, sharing rc.
			h.checkRoles(context.Background(), tt.lister, rc, names)
			if again := tt.lister.calls == 2; again != tt.wantAgain {
				t.Errorf("next configuration: got %d calls in all, want a second check: %v", tt.lister.calls, tt.wantAgain)
			}
		})
	}
}

// TestRoleCheckShared: two handlers with the same tenant, Hector URL and
// roles share one roleCheck; other roles have their own.
func TestRoleCheckShared(t *testing.T) {
	load := func(tenant string, roles ...string) *roleCheck {
		h := new(Handler)
		t.Cleanup(func() { _ = h.releaseShared() })
		rc, err := loadShared(h, newRolesKey(tenant, "http://h.example/api/v1", roles), func() (*roleCheck, error) { return new(roleCheck), nil })
		if err != nil {
			t.Fatal(err)
		}
		return rc
	}
	a := load("acme", "admin", "user")
	if b := load("acme", "admin", "user"); a != b {
		t.Errorf("same tenant, URL and roles: got two role checks, want one")
	}
	if c := load("acme", "admin", "staff"); a == c {
		t.Errorf("other roles: got the same role check, want another")
	}
	if d := load("globex", "admin", "user"); a == d {
		t.Errorf("other tenant: got the same role check, want another")
	}
}
