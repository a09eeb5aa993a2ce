package caddymodule

import "slices"

// unknownRoles returns the configured roles (roles and default_role, in
// configuration order) that Hector's GET /roles does not list. It is the
// one comparison of configured roles with Hector's, for scim-check and the
// start-up check alike.
func unknownRoles(configured, hector []string) []string {
	var out []string
	for _, name := range configured {
		if !slices.Contains(hector, name) {
			out = append(out, name)
		}
	}
	return out
}
