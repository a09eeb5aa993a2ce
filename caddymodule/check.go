package caddymodule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
	caddycmd "github.com/caddyserver/caddy/v2/cmd"
	"github.com/spf13/cobra"
	"github.com/tidwall/gjson"
	"go.uber.org/zap"

	"github.com/hector-scim/hector-scim/legacyclient"
	"github.com/hector-scim/hector-scim/translate"
)

func init() {
	caddycmd.RegisterCommand(caddycmd.Command{
		Name:  "scim-check",
		Usage: "--config <path> [--adapter <name>]",
		Short: "Checks a hector-scim configuration against Hector before going live",
		Long: `
Loads the configuration and, for every scim handler in it: lists every unset
placeholder ({$VAR} of a Caddyfile, {env.*} and {file.*}), prints each token's
expiry (an expired token left in the config is a problem), the role rules in
priority order with default_role and overwrite_roles, and the effective field
mapping; checks that Hector answers with the API key and that every
configured role exists in Hector, and says whether each protected account
exists. Exits non-zero on any problem. Secrets are never printed.
`,
		CobraFunc: func(cmd *cobra.Command) {
			cmd.Flags().StringP("config", "c", "Caddyfile", "Configuration file")
			cmd.Flags().StringP("adapter", "a", "", "Name of config adapter")
			cmd.RunE = caddycmd.WrapCommandFuncForCobra(cmdCheck)
		},
	})
}

func cmdCheck(fl caddycmd.Flags) (int, error) {
	path, adapter := fl.String("config"), fl.String("adapter")
	problems := 0
	env, runtime, err := unsetInCaddyfile(path, adapter)
	if err != nil {
		return caddy.ExitCodeFailedStartup, err
	}
	for _, u := range env {
		problems++
		fmt.Printf("PROBLEM: %s (%s) is unset and has no default: Caddy reads it as empty\n", u.placeholder, u.where)
	}
	handlers, err := loadHandlers(path, adapter)
	if err != nil {
		for _, u := range runtime { // no handler to check them on
			problems++
			fmt.Printf("PROBLEM: %s (%s) is unset or empty\n", u.placeholder, u.where)
		}
		if problems > 0 {
			return caddy.ExitCodeFailedStartup, fmt.Errorf("%d problem(s) found; the configuration does not load: %w", problems, err)
		}
		return caddy.ExitCodeFailedStartup, err
	}
	for i, h := range handlers {
		problems += h.check(context.Background(), os.Stdout, i+1, time.Now())
	}
	if problems > 0 {
		return caddy.ExitCodeFailedStartup, fmt.Errorf("%d problem(s) found", problems)
	}
	fmt.Println("OK: ready to go live")
	return caddy.ExitCodeSuccess, nil
}

// loadHandlers loads a configuration and returns its scim handlers.
func loadHandlers(path, adapter string) ([]*Handler, error) {
	input, _, _, err := caddycmd.LoadConfig(path, adapter)
	if err != nil {
		return nil, err
	}
	handlers, err := scimHandlers(input)
	if err != nil {
		return nil, err
	}
	if len(handlers) == 0 {
		return nil, errors.New("the configuration has no scim handler")
	}
	return handlers, nil
}

// scimHandlers finds every scim handler in a JSON config, wherever routes
// nest it.
func scimHandlers(config []byte) ([]*Handler, error) {
	var root any
	if err := json.Unmarshal(config, &root); err != nil {
		return nil, fmt.Errorf("decoding config: %w", err)
	}
	var out []*Handler
	var walk func(v any) error
	walk = func(v any) error {
		switch t := v.(type) {
		case map[string]any:
			if t["handler"] == "scim" {
				b, _ := json.Marshal(t)
				h := new(Handler)
				if err := json.Unmarshal(b, h); err != nil {
					return fmt.Errorf("decoding a scim handler: %w", err)
				}
				out = append(out, h)
			}
			for _, k := range slices.Sorted(mapKeys(t)) {
				if err := walk(t[k]); err != nil {
					return err
				}
			}
		case []any:
			for _, e := range t {
				if err := walk(e); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return out, walk(root)
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// check reports on one handler and returns the number of problems.
func (h *Handler) check(ctx context.Context, w io.Writer, n int, now time.Time) int {
	h.logger, h.metrics = zap.NewNop(), newMetrics(nil)
	h.setDefaults()
	fmt.Fprintf(w, "scim handler %d at %s\n", n, h.BasePath)
	problems := 0
	fail := func(format string, args ...any) {
		problems++
		fmt.Fprintf(w, "  PROBLEM: "+format+"\n", args...)
	}
	repl := caddy.NewReplacer()
	unset := h.unsetPlaceholders(repl)
	for _, u := range unset {
		fail("%s (%s) is unset or empty", u.placeholder, u.where)
	}
	h.checkExpiries(w, repl, now, unset, fail)
	h.printRules(w)
	if err := checkUserFields(h.UserFields); err != nil {
		fail("%v", err)
	} else if cfg, err := h.serviceConfig(nil); err != nil {
		fail("%v", err)
	} else {
		printMapping(w, cfg.Mapping)
	}
	if hasUnset(unset, "legacy url") || hasUnset(unset, "legacy api_key") {
		return problems
	}
	url, key, err := h.legacyTarget(repl)
	if err != nil {
		fail("%v", err)
		return problems
	}
	defer h.releaseShared()
	client, err := h.newClient(url, key)
	if err != nil {
		fail("%v", err)
		return problems
	}
	h.checkHector(ctx, w, client, fail)
	return problems
}

// checkExpiries prints each token's expiry, through the steps provisioning
// takes: an expired token left in the config is a problem, as is one that
// provisioning refuses. Tokens with an unset placeholder are reported
// already.
func (h *Handler) checkExpiries(w io.Writer, repl *caddy.Replacer, now time.Time, unset []unsetPlaceholder, fail func(string, ...any)) {
	fmt.Fprintf(w, "  tokens:\n")
	complete := true
	rules := newTokenRules(now)
	for i, t := range h.Tokens {
		if hasUnset(unset, fmt.Sprintf("token %d", i+1)) {
			fmt.Fprintf(w, "    token %d: not checked (a placeholder is unset)\n", i+1)
			complete = false
			continue
		}
		d, err := digestToken(t, repl, rules)
		d.index = i + 1
		switch {
		case err != nil:
			complete = false
			fail("token %d: %v", i+1, err)
		case d.expires.IsZero():
			fmt.Fprintf(w, "    token %d: never expires\n", d.index)
		case !now.Before(d.expires):
			fail("token %d EXPIRED on %s and is refused; remove it from the config", d.index, d.expires.Format(time.RFC3339))
		default:
			days := int(d.expires.Sub(now).Hours() / 24)
			note := ""
			if d.expires.Sub(now) <= expiryWarnAhead {
				note = " — add a new token now"
			}
			fmt.Fprintf(w, "    token %d: expires %s (in %d days)%s\n", d.index, d.expires.Format(time.RFC3339), days, note)
		}
	}
	if complete {
		if _, err := newAuthenticator(h.Tokens, repl, func() time.Time { return now }); err != nil {
			fail("%v", err)
		}
	}
}

// printRules prints the role rules in priority order, default_role and
// overwrite_roles.
func (h *Handler) printRules(w io.Writer) {
	if len(h.Roles) == 0 && h.DefaultRole == "" {
		fmt.Fprintf(w, "  role rules: none (the bridge never changes a role)\n")
		return
	}
	overwrite := "overwrite_roles off: a role set by hand in Hector stays"
	if h.OverwriteRoles {
		overwrite = "overwrite_roles on: the rules always win"
	}
	fmt.Fprintf(w, "  role rules (highest first; %s):\n", overwrite)
	width := 0
	for _, r := range h.Roles {
		width = max(width, len(r.Name))
	}
	for i, r := range h.Roles {
		groups := "no group (set by hand in Hector)"
		if len(r.Groups) > 0 {
			groups = strings.Join(r.Groups, "; ")
		}
		fmt.Fprintf(w, "    %d. %-*s ← %s\n", i+1, width, r.Name, groups)
	}
	switch {
	case h.DefaultRole != "":
		fmt.Fprintf(w, "    default_role %s (a user in no role-granting group)\n", h.DefaultRole)
	default:
		fmt.Fprintf(w, "    no default_role: a user in no role-granting group keeps their role\n")
	}
}

func printMapping(w io.Writer, m *translate.Mapping) {
	fmt.Fprintf(w, "  field mapping (Hector field ← SCIM attributes, first non-empty):\n")
	for _, l := range m.Lines() {
		fmt.Fprintf(w, "    %-12s ← %s\n", l.Field, strings.Join(l.Sources, ", "))
	}
}

// checkHector asks Hector for its roles: that proves it answers and that
// the API key is accepted, and tells which configured roles it knows. It
// then looks up each protected account.
func (h *Handler) checkHector(ctx context.Context, w io.Writer, c *legacyclient.Client, fail func(string, ...any)) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	roles, err := c.Roles(ctx)
	if err != nil {
		fail("Hector at %s: %v", c.BaseURL(), err)
		return
	}
	fmt.Fprintf(w, "  hector: %s answers, API key accepted; its roles: %s\n", c.BaseURL(), strings.Join(roles, ", "))
	for _, name := range unknownRoles(h.configuredRoles(), roles) {
		fail("role %q is configured but Hector does not know it", name)
	}
	h.checkProtected(ctx, w, c, fail)
}

// checkProtected says, for each protected account, whether Hector has it.
// A name Hector lacks is a warning (the account may come later, and it is
// then protected), not a problem.
func (h *Handler) checkProtected(ctx context.Context, w io.Writer, c *legacyclient.Client, fail func(string, ...any)) {
	if len(h.Protect) == 0 {
		fmt.Fprintf(w, "  protected accounts: none\n")
		return
	}
	fmt.Fprintf(w, "  protected accounts (the bridge never reads or writes them):\n")
	for _, name := range h.Protect {
		page, err := c.ListUsers(ctx, legacyclient.UserQuery{Equal: map[string]string{"username": name}}, 1, 1)
		switch {
		case err != nil:
			fail("looking up protected account %s: %v", name, err)
		case len(page.Users) == 0:
			fmt.Fprintf(w, "    %s: WARNING: Hector has no such user; a typo protects no one\n", name)
		default:
			rec := page.Users[0]
			kind := "managed (external_id set)"
			if gjson.GetBytes(rec, "external_id").String() == "" {
				kind = "hand-made"
			}
			fmt.Fprintf(w, "    %s: in Hector (id %d, %s, %s, role %s)\n", name, translate.RecordID(rec), kind,
				translate.Status(rec), translate.Role(rec))
		}
	}
}
