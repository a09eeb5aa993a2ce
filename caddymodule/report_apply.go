package caddymodule

import (
	"context"
	"fmt"
	"io"

	"github.com/hector-scim/hector-scim/translate"
	"github.com/hector-scim/hector-scim/translate/provision"
)

// apply prints the plan and, with --yes, writes it through provision's
// write path; the audit lines carry the run's id. It sets the exit code
// the report calls for afterwards: drift is left when a drift finding had
// no fix (held, or not for --apply to fix: a rule's typo) or a user
// changed since the read; a failed write is an error.
func (r *handlerReport) apply(ctx context.Context, w io.Writer, svc *provision.Service, d *translate.Drift, o reportOptions, dryRun bool) {
	r.Apply = &applyDoc{Wrote: o.yes, RunID: o.runID, DryRun: dryRun}
	if !o.json {
		printPlan(w, r.Fixes)
	}
	if !o.yes {
		if !o.json {
			fmt.Fprintf(w, "  nothing written: run again with --yes to write %d fix(es)\n", len(r.Fixes))
		}
		return
	}
	if !o.json && len(r.Fixes) > 0 {
		fmt.Fprintf(w, "  writing %d fix(es), run_id %s\n", len(r.Fixes), o.runID)
	}
	a := r.Apply
	err := svc.ApplyFixes(ctx, d, r.Fixes, func(f translate.Fix, out provision.Outcome, err error) {
		switch out {
		case provision.Written:
			a.Written++
		case provision.Stale:
			a.Stale++
		default:
			a.Failed++
			a.Errors = append(a.Errors, fmt.Sprintf("user %d: %v", f.UserID, err))
		}
	})
	if err != nil && len(a.Errors) == 0 {
		a.Errors = append(a.Errors, err.Error())
	}
	unfixed := 0
	for _, f := range r.Findings {
		if f.Drift && len(f.Fix) == 0 {
			unfixed++
		}
	}
	switch {
	case len(a.Errors) > 0:
		r.code = ReportError
	case unfixed > 0 || a.Stale > 0:
		r.code = ReportDrift
	default:
		r.code = ReportClean
	}
	if !o.json {
		fmt.Fprintf(w, "  applied: %d written, %d changed since the read (left alone), %d failed; %d drift finding(s) not for --apply\n",
			a.Written, a.Stale, a.Failed, unfixed)
		if dryRun {
			fmt.Fprintf(w, "  dry_run: the writes were logged, not sent to Hector\n")
		}
		for _, e := range a.Errors {
			fmt.Fprintf(w, "  ERROR: %s\n", e)
		}
	}
}

// printPlan lists every fix --apply writes.
func printPlan(w io.Writer, fixes []translate.Fix) {
	fmt.Fprintf(w, "  plan: %d fix(es)\n", len(fixes))
	for _, f := range fixes {
		fmt.Fprintf(w, "    user %d %s:", f.UserID, f.UserName)
		for i, c := range f.Changes {
			sep := ","
			if i == 0 {
				sep = ""
			}
			fmt.Fprintf(w, "%s %s %s → %s", sep, c.Field, c.Before, c.After)
		}
		fmt.Fprintln(w)
	}
}
