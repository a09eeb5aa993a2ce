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
Loads the configuration and, for every scim handler in it: checks that Hector
answers with the API key, that every configured role exists in Hector, prints
the effective field mapping and each token's expiry. Exits non-zero on any
problem. Secrets are never printed.
`,
		CobraFunc: func(cmd *cobra.Command) {
			cmd.Flags().StringP("config", "c", "Caddyfile", "Configuration file")
			cmd.Flags().StringP("adapter", "a", "", "Name of config adapter")
			cmd.RunE = caddycmd.WrapCommandFuncForCobra(cmdCheck)
		},
	})
}

func cmdCheck(fl caddycmd.Flags) (int, error) {
	input, _, _, err := caddycmd.LoadConfig(fl.String("config"), fl.String("adapter"))
	if err != nil {
		return caddy.ExitCodeFailedStartup, err
	}
	handlers, err := scimHandlers(input)
	if err != nil {
		return caddy.ExitCodeFailedStartup, err
	}
	if len(handlers) == 0 {
		return caddy.ExitCodeFailedStartup, errors.New("the configuration has no scim handler")
	}
	problems := 0
	for i, h := range handlers {
		problems += h.check(context.Background(), os.Stdout, i+1, time.Now())
	}
	if problems > 0 {
		return caddy.ExitCodeFailedStartup, fmt.Errorf("%d problem(s) found", problems)
	}
	fmt.Println("OK: ready to go live")
	return caddy.ExitCodeSuccess, nil
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
	auth, err := newAuthenticator(h.Tokens, repl, func() time.Time { return now })
	if err != nil {
		fail("%v", err)
	} else {
		h.printTokens(w, auth, now)
	}
	if err := checkUserFields(h.UserFields); err != nil {
		fail("%v", err)
	} else if mapping, err := translate.NewMapping(h.UserFields); err != nil {
		fail("%v", err)
	} else {
		printMapping(w, mapping)
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

func (h *Handler) printTokens(w io.Writer, auth *authenticator, now time.Time) {
	fmt.Fprintf(w, "  tokens:\n")
	for _, d := range auth.digests {
		switch {
		case d.expires.IsZero():
			fmt.Fprintf(w, "    token %d: never expires\n", d.index)
		case !now.Before(d.expires):
			fmt.Fprintf(w, "    token %d: EXPIRED on %s\n", d.index, d.expires.Format(time.RFC3339))
		default:
			days := int(d.expires.Sub(now).Hours() / 24)
			note := ""
			if d.expires.Sub(now) <= expiryWarnAhead {
				note = " — add a new token now"
			}
			fmt.Fprintf(w, "    token %d: expires %s (in %d days)%s\n", d.index, d.expires.Format(time.RFC3339), days, note)
		}
	}
}

func printMapping(w io.Writer, m *translate.Mapping) {
	fmt.Fprintf(w, "  field mapping (Hector field ← SCIM attributes, first non-empty):\n")
	for _, l := range m.Lines() {
		fmt.Fprintf(w, "    %-12s ← %s\n", l.Field, strings.Join(l.Sources, ", "))
	}
}

// checkHector asks Hector for its roles: that proves it answers and that
// the API key is accepted, and tells which configured roles it knows.
func (h *Handler) checkHector(ctx context.Context, w io.Writer, c *legacyclient.Client, fail func(string, ...any)) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	roles, err := c.Roles(ctx)
	if err != nil {
		fail("Hector at %s: %v", c.BaseURL(), err)
		return
	}
	fmt.Fprintf(w, "  hector: %s answers, API key accepted; its roles: %s\n", c.BaseURL(), strings.Join(roles, ", "))
	for _, name := range h.configuredRoles() {
		if !slices.Contains(roles, name) {
			fail("role %q is configured but Hector does not know it", name)
		}
	}
}
