package main

import (
	"runtime/debug"
	"testing"
)

func TestVersionPrefix(t *testing.T) {
	rev := "2ac4560841469f84d0c36713fb86d66e9c747554"
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"tagged, clean", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "false"}}},
			true, "hector-scim v1.2.0, revision " + rev + "; Caddy"},
		{"work tree with changes", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"}}},
			true, "hector-scim (devel), revision " + rev + " (modified); Caddy"},
		{"no VCS information", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "hector-scim (devel), revision unknown; Caddy"},
		{"no build information", nil, false, "hector-scim unknown, revision unknown; Caddy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionPrefix(tt.bi, tt.ok); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
