package caddymodule

import (
	"time"

	"github.com/hector-scim/hector-scim/translate"
)

// reportDoc is scim-report's --json document, version ReportSchema. Its
// fields are documented in docs/troubleshooting.md ("scim-report --json");
// fields may be added, none is renamed or removed within a version.
type reportDoc struct {
	Schema  string           `json:"schema"`
	Reports []*handlerReport `json:"reports"`
}

// handlerReport is the report of one scim handler.
type handlerReport struct {
	Handler  int       `json:"handler"`
	Tenant   string    `json:"tenant"`
	BasePath string    `json:"base_path"`
	Hector   string    `json:"hector"`
	ReadAt   time.Time `json:"read_at"`
	Rules    rulesDoc  `json:"rules"`
	Protect  []string  `json:"protect"`
	// Summary counts the tenant; absent with --user.
	Summary *translate.Summary `json:"summary,omitempty"`
	// Findings are every finding (with --user: that user's).
	Findings []translate.Finding `json:"findings"`
	// Fixes are what --apply writes, one per user.
	Fixes []translate.Fix `json:"fixes"`
	// Held says which kinds of fix are held back, and why.
	Held []string `json:"held"`
	// User is --user's explanation.
	User *translate.Explanation `json:"user,omitempty"`
	// Apply is what --apply did.
	Apply *applyDoc `json:"apply,omitempty"`

	code          int // the exit code this report calls for
	users, groups int // records read
}

// rulesDoc are the role rules the report compared Hector with.
type rulesDoc struct {
	Roles          []Role `json:"roles"`
	DefaultRole    string `json:"default_role"`
	OverwriteRoles bool   `json:"overwrite_roles"`
}

// applyDoc is what --apply did: with --yes, the run's id (on its audit
// lines) and the outcome of each fix; without, nothing was written.
type applyDoc struct {
	Wrote   bool     `json:"wrote"`
	RunID   string   `json:"run_id,omitempty"`
	DryRun  bool     `json:"dry_run,omitempty"`
	Written int      `json:"written"`
	Stale   int      `json:"stale"`
	Failed  int      `json:"failed"`
	Errors  []string `json:"errors,omitempty"`
}

func (h *Handler) rulesDoc() rulesDoc {
	roles := append([]Role{}, h.Roles...)
	return rulesDoc{Roles: roles, DefaultRole: h.DefaultRole, OverwriteRoles: h.OverwriteRoles}
}
