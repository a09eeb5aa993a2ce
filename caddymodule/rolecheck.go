package caddymodule

import (
	"context"
	"slices"
	"time"

	"go.uber.org/zap"
)

// roleCheckDelay lets `caddy validate` (which provisions and cleans up at
// once) finish before the start-up role check makes any network call.
const roleCheckDelay = time.Second

// rolesLister is what the start-up check needs of the legacy client.
type rolesLister interface {
	Roles(ctx context.Context) ([]string, error)
}

// checkRoles compares the configured role names with Hector's GET /roles,
// in the background after start-up, and logs an error for each role
// Hector does not know. It gives up when stop is closed.
func (h *Handler) checkRoles(client rolesLister, stop <-chan struct{}) {
	names := h.configuredRoles()
	if len(names) == 0 {
		return
	}
	select {
	case <-stop:
		return
	case <-time.After(roleCheckDelay):
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	known, err := client.Roles(ctx)
	if err != nil {
		h.logger.Error("could not check the configured roles against Hector's GET /roles", zap.Error(err))
		return
	}
	for _, name := range names {
		if !slices.Contains(known, name) {
			h.logger.Error("configured role is not a Hector role; users cannot be given it",
				zap.String("role", name), zap.Strings("hector_roles", known))
		}
	}
	h.logger.Info("configured roles checked against Hector", zap.Strings("roles", names))
}

// configuredRoles lists the role names of roles and default_role.
func (h *Handler) configuredRoles() []string {
	var names []string
	for _, r := range h.Roles {
		names = append(names, r.Name)
	}
	if h.DefaultRole != "" && !slices.Contains(names, h.DefaultRole) {
		names = append(names, h.DefaultRole)
	}
	return names
}
