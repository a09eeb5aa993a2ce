// Command hector-scim is a Caddy binary with Caddy's standard modules plus
// the hector-scim SCIM bridge and the Hector legacy API simulator.
package main

import (
	"runtime/debug"
	_ "time/tzdata"

	"github.com/caddyserver/caddy/v2"
	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	_ "github.com/caddyserver/caddy/v2/modules/standard"

	_ "github.com/hector-scim/hector-scim/caddymodule"
	_ "github.com/hector-scim/hector-scim/hectorsim/simcaddy"
)

func main() {
	// Caddy's documented hooks for a binary that embeds it: the name in
	// usage lines and help, the root help text, and a version that Caddy
	// prints before its own (`hector-scim version`, `--version`).
	caddy.CustomBinaryName = "hector-scim"
	caddy.CustomLongDescription = longDescription
	caddy.CustomVersion = versionPrefix(debug.ReadBuildInfo())
	caddycmd.Main()
}

const longDescription = `hector-scim is a SCIM 2.0 bridge for Hector's legacy REST API: a Caddy
binary with Caddy's standard modules, the scim handler and the hector_sim
simulator of Hector.

Run it with a Caddyfile:

	hector-scim run --config Caddyfile

Check a configuration against Hector before going live:

	hector-scim scim-check --config Caddyfile

Apply an edited Caddyfile to the running process (this needs Caddy's
admin endpoint, on localhost:2019 unless the Caddyfile says otherwise):

	hector-scim reload --config Caddyfile

Print hector-scim's version and revision, and Caddy's:

	hector-scim version

The other commands are Caddy's own, documented at
https://caddyserver.com/docs/command-line.
`
