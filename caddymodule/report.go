package caddymodule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/caddyserver/caddy/v2"
	caddycmd "github.com/caddyserver/caddy/v2/cmd"
	"github.com/google/uuid"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
)

// The exit codes of scim-report.
const (
	// ReportClean: no drift (inventory may remain: it is informational).
	ReportClean = 0
	// ReportDrift: drift found, or left after --apply --yes.
	ReportDrift = 1
	// ReportError: the configuration, Hector or a write failed.
	ReportError = 2
)

// ReportSchema names the version of scim-report's --json document.
const ReportSchema = "hector-scim/scim-report/v1"

func init() {
	caddycmd.RegisterCommand(caddycmd.Command{
		Name:  "scim-report",
		Usage: "--config <path> [--adapter <name>] [--user <userName>] [--json] [--apply [--yes] [--audit-log <path>]]",
		Short: "Reports drift between Hector and the role and deprovisioning rules",
		Long: `
Reads Hector once (users and groups, paged, within the configured rate) for
every scim handler of the configuration and reports drift against its rules:
managed users active in no synchronized group, users whose role is not the
one the rules give, role rules naming a group Hector does not have; and, as
inventory, hand-set roles kept by overwrite_roles off, hand-made and
protected accounts, and synchronized groups without members that no rule
names.

--user <userName> explains one user's role and status rule by rule.
--json prints one JSON document (schema ` + ReportSchema + `).
--apply prints the fixes (roles as overwrite_roles says; deactivations) and
writes them only with --yes, with audit lines as live provisioning writes
them, named by a run id (on stderr, or appended to --audit-log). Protected
and hand-made accounts are never touched.

Exit status: 0 no drift, 1 drift found (or left after --apply --yes),
2 an error.
`,
		CobraFunc: func(cmd *cobra.Command) {
			cmd.Flags().StringP("config", "c", "Caddyfile", "Configuration file")
			cmd.Flags().StringP("adapter", "a", "", "Name of config adapter")
			cmd.Flags().String("user", "", "Explain one user's role and status (their userName)")
			cmd.Flags().Bool("json", false, "Print one JSON document")
			cmd.Flags().Bool("apply", false, "Print the fixes; write them with --yes")
			cmd.Flags().Bool("yes", false, "With --apply: write the fixes")
			cmd.Flags().String("audit-log", "", "With --apply --yes: append the audit lines to this file instead of stderr")
			cmd.RunE = caddycmd.WrapCommandFuncForCobra(cmdReport)
		},
	})
}

// reportOptions are scim-report's flags.
type reportOptions struct {
	user        string
	json, apply bool
	yes         bool
	auditLog    string
	runID       string
}

func cmdReport(fl caddycmd.Flags) (int, error) {
	o := reportOptions{user: fl.String("user"), json: fl.Bool("json"), apply: fl.Bool("apply"), yes: fl.Bool("yes"), auditLog: fl.String("audit-log")}
	if o.yes && !o.apply {
		return ReportError, errors.New("--yes goes with --apply")
	}
	handlers, err := loadHandlers(fl.String("config"), fl.String("adapter"))
	if err != nil {
		return ReportError, err
	}
	audit := io.Writer(os.Stderr)
	if o.auditLog != "" {
		f, err := os.OpenFile(o.auditLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return ReportError, fmt.Errorf("audit log: %w", err)
		}
		defer f.Close()
		audit = f
	}
	if o.apply && o.yes {
		o.runID = uuid.NewString()
	}
	env := reportEnv{out: os.Stdout, progress: newProgress(os.Stderr), audit: audit}
	doc := reportDoc{Schema: ReportSchema, Reports: []*handlerReport{}}
	code, found := ReportClean, false
	for i, h := range handlers {
		r, err := h.report(context.Background(), env, o, i+1)
		if err != nil {
			return ReportError, fmt.Errorf("scim handler %d: %w", i+1, err)
		}
		doc.Reports = append(doc.Reports, r)
		code, found = max(code, r.code), found || r.User != nil
	}
	if o.user != "" && !found {
		return ReportError, fmt.Errorf("Hector has no user %q", o.user)
	}
	if o.json {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return ReportError, err
		}
	}
	switch code {
	case ReportError:
		return code, errors.New("some fixes failed")
	case ReportDrift:
		return code, errors.New("drift found")
	}
	return ReportClean, nil
}

// reportEnv is where a report writes: its text, the progress line, and
// the audit lines of --apply.
type reportEnv struct {
	out      io.Writer
	progress *progressLine
	audit    io.Writer
}

// auditLogger writes audit lines in JSON as Caddy's default log does, on
// the handler's logger name, so that they are the lines live provisioning
// writes.
func (e reportEnv) auditLogger(tenant string) *zap.Logger {
	core := zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(e.audit), zapcore.InfoLevel)
	return tenantLogger(zap.New(core).Named("http.handlers.scim"), tenant)
}

// tenantLogger names the tenant on every line, as the handler does.
func tenantLogger(l *zap.Logger, tenant string) *zap.Logger {
	if tenant != "" {
		return l.With(zap.String("tenant", tenant))
	}
	return l
}

// report reads Hector for one handler, analyses it, prints, and applies
// the fixes when asked.
func (h *Handler) report(ctx context.Context, env reportEnv, o reportOptions, n int) (*handlerReport, error) {
	h.logger, h.metrics = tenantLogger(caddy.Log().Named("http.handlers.scim"), h.Tenant), newMetrics(nil)
	h.setDefaults()
	url, key, err := h.legacyTarget(caddy.NewReplacer())
	if err != nil {
		return nil, err
	}
	defer h.releaseShared()
	client, err := h.newClient(url, key)
	if err != nil {
		return nil, err
	}
	svc, err := h.newService(client, h.auditor(env.auditLogger(h.Tenant), o.runID))
	if err != nil {
		return nil, err
	}
	start := time.Now()
	snap, err := svc.Snapshot(ctx, o.user, env.progress.update)
	env.progress.done()
	if err != nil {
		return nil, fmt.Errorf("reading Hector at %s: %w", client.BaseURL(), err)
	}
	r := &handlerReport{
		Handler: n, Tenant: h.Tenant, BasePath: h.BasePath, Hector: client.BaseURL(), ReadAt: start.UTC().Truncate(time.Second),
		Rules: h.rulesDoc(), Protect: append([]string{}, h.Protect...), users: len(snap.Users), groups: len(snap.Groups),
	}
	d := translate.NewDrift(snap.Groups, translate.Policy{Roles: h.roles(), Protect: h.Protect})
	r.analyze(d, snap, o.user)
	if !o.json {
		r.print(env.out, h, time.Since(start))
	}
	if o.apply {
		r.apply(ctx, env.out, svc, d, o, h.DryRun)
	}
	return r, nil
}

// analyze fills the report from a read: the whole tenant, or one user
// (whom the tenant may lack).
func (r *handlerReport) analyze(d *translate.Drift, snap *provision.Snapshot, user string) {
	r.Held, r.Findings, r.Fixes = d.Held(), []translate.Finding{}, []translate.Fix{}
	switch {
	case user == "":
		rep := d.Analyze(snap.Users)
		r.Summary, r.Findings, r.Fixes = &rep.Summary, rep.Findings, rep.Fixes
	case len(snap.Users) > 0:
		e := d.Explain(snap.Users[0])
		r.User, r.Findings = &e, e.Findings
		if fix, ok := d.Fix(snap.Users[0]); ok {
			r.Fixes = append(r.Fixes, fix)
		}
	}
	for _, f := range r.Findings {
		if f.Drift {
			r.code = ReportDrift
		}
	}
}
