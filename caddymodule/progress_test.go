package caddymodule

import (
	"strings"
	"testing"
	"time"

	"github.com/hector-scim/hector-scim/translate/provision"
)

// TestProgressLine: on a terminal the line is redrawn at most every
// progressEvery, always when the read completes, and cleared at the end;
// elsewhere nothing is drawn.
func TestProgressLine(t *testing.T) {
	var out strings.Builder
	now := time.Unix(0, 0)
	p := &progressLine{w: &out, on: true, now: func() time.Time { return now }}
	p.update(provision.Progress{Users: 100, UsersTotal: 5000, Groups: 5, GroupsTotal: 5})
	now = now.Add(progressEvery / 2)
	p.update(provision.Progress{Users: 200, UsersTotal: 5000, Groups: 5, GroupsTotal: 5})
	p.update(provision.Progress{Users: 5000, UsersTotal: 5000, Groups: 5, GroupsTotal: 5})
	p.done()
	want := "\rreading Hector: users 100/5000, groups 5/5\x1b[K\rreading Hector: users 5000/5000, groups 5/5\x1b[K\r\x1b[K"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}

	out.Reset()
	p = &progressLine{w: &out, now: time.Now}
	p.update(provision.Progress{Users: 5000, UsersTotal: 5000})
	p.done()
	if out.Len() != 0 {
		t.Errorf("not a terminal: got %q, want nothing", out.String())
	}
}
