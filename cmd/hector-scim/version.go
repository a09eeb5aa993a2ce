package main

import (
	"runtime/debug"
	"strings"
)

// versionPrefix names hector-scim's own build: the main module's version
// and the VCS revision it was built from, with "(modified)" when the work
// tree had uncommitted changes. Caddy prints it before its own version:
//
//	hector-scim (devel), revision 2ac4560…5554 (modified); Caddy v2.11.9 h1:…
//
// Without VCS information (a build outside a git clone, or with
// -buildvcs=false) the revision is "unknown".
func versionPrefix(bi *debug.BuildInfo, ok bool) string {
	version, revision, modified := "unknown", "unknown", false
	if ok {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	var b strings.Builder
	b.WriteString("hector-scim " + version + ", revision " + revision)
	if modified {
		b.WriteString(" (modified)")
	}
	b.WriteString("; Caddy")
	return b.String()
}
