// Command hector-scim is a Caddy binary with Caddy's standard modules plus
// the hector-scim SCIM bridge and the Hector legacy API simulator.
package main

import (
	_ "time/tzdata"

	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	_ "github.com/caddyserver/caddy/v2/modules/standard"

	_ "github.com/hector-scim/hector-scim/caddymodule"
	_ "github.com/hector-scim/hector-scim/hectorsim/simcaddy"
)

func main() {
	caddycmd.Main()
}
