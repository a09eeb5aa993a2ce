package observability

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/rules"
	"go.yaml.in/yaml/v2"
)

// The alert_rule_test part of promtool's unit-test format, read strictly:
// a field this evaluator does not implement (promql_expr_test,
// external_labels, group_eval_order, …) is an error, never ignored.
type unitTestFile struct {
	RuleFiles          []string       `yaml:"rule_files"`
	EvaluationInterval model.Duration `yaml:"evaluation_interval"`
	Tests              []testGroup    `yaml:"tests"`
}

type testGroup struct {
	Name        string         `yaml:"name"`
	Interval    model.Duration `yaml:"interval"`
	InputSeries []struct {
		Series string `yaml:"series"`
		Values string `yaml:"values"`
	} `yaml:"input_series"`
	AlertRuleTests []alertTest `yaml:"alert_rule_test"`
}

type alertTest struct {
	EvalTime  model.Duration `yaml:"eval_time"`
	Alertname string         `yaml:"alertname"`
	ExpAlerts []struct {
		ExpLabels      map[string]string `yaml:"exp_labels"`
		ExpAnnotations map[string]string `yaml:"exp_annotations"`
	} `yaml:"exp_alerts"`
}

// TestRuleUnitTests evaluates prometheus-rules.test.yml with Prometheus's
// rule engine, as `promtool test rules` does.
func TestRuleUnitTests(t *testing.T) {
	b, err := os.ReadFile(rulesTestFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range runUnitTests(t, b) {
		t.Error(err)
	}
}

// TestRuleUnitTestsCatchAMismatch: the evaluator reports an expected
// annotation, a missing alert and an extra one that the rules do not give.
func TestRuleUnitTestsCatchAMismatch(t *testing.T) {
	b, err := os.ReadFile(rulesTestFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, old, new, want string }{
		{"annotation", `'25% of the SCIM requests`, `'26% of the SCIM requests`, `HectorScimErrorRatioHigh at 20m`},
		{"alert expected too early", "- eval_time: 5m\n        alertname: HectorScimErrorRatioHigh\n        exp_alerts: []",
			"- eval_time: 5m\n        alertname: HectorScimErrorRatioHigh\n        exp_alerts:\n          - exp_labels: {severity: critical, tenant: acme}",
			`HectorScimErrorRatioHigh at 5m`},
		{"label", `{severity: warning, tenant: globex, token: "1"}`, `{severity: critical, tenant: globex, token: "1"}`, `HectorScimTokenExpiringSoon at 15m`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed := strings.Replace(string(b), tt.old, tt.new, 1)
			if changed == string(b) {
				t.Fatalf("%s: got no %q to change", rulesTestFile, tt.old)
			}
			errs := runUnitTests(t, []byte(changed))
			if !slices.ContainsFunc(errs, func(err error) bool { return strings.Contains(err.Error(), tt.want) }) {
				t.Errorf("got errors %v, want one containing %q", errs, tt.want)
			}
		})
	}
}

// runUnitTests runs every test group of a unit-test file and returns the
// failures.
func runUnitTests(t *testing.T, b []byte) []error {
	t.Helper()
	var f unitTestFile
	if err := yaml.UnmarshalStrict(b, &f); err != nil {
		t.Fatalf("%s: %v", rulesTestFile, err)
	}
	if f.EvaluationInterval == 0 {
		f.EvaluationInterval = model.Duration(time.Minute)
	}
	var files []string
	for _, rf := range f.RuleFiles {
		files = append(files, filepath.Join(filepath.Dir(rulesTestFile), rf))
	}
	var errs []error
	for _, g := range f.Tests {
		if g.Interval == 0 {
			g.Interval = f.EvaluationInterval
		}
		for _, err := range g.run(time.Duration(f.EvaluationInterval), files) {
			errs = append(errs, fmt.Errorf("test %q: %w", g.Name, err))
		}
	}
	return errs
}

// run follows promtool's algorithm: load the input series, evaluate every
// rule group at each evaluation interval from 0 to the last eval_time, and
// compare the firing alerts at each eval_time with the expected ones.
func (g testGroup) run(evalInterval time.Duration, ruleFiles []string) []error {
	var load strings.Builder
	fmt.Fprintf(&load, "load %s\n", time.Duration(g.Interval))
	for _, s := range g.InputSeries {
		fmt.Fprintf(&load, "  %s %s\n", s.Series, s.Values)
	}
	suite, err := promqltest.NewLazyLoader(load.String(), promqltest.LazyLoaderOpts{EnableAtModifier: true, EnableNegativeOffset: true})
	if err != nil {
		return []error{err}
	}
	defer suite.Close()
	suite.SubqueryInterval = evalInterval

	m := rules.NewManager(&rules.ManagerOptions{
		QueryFunc:  rules.EngineQueryFunc(suite.QueryEngine(), suite.Storage()),
		Appendable: suite.Storage(),
		Context:    context.Background(),
		NotifyFunc: func(context.Context, string, ...*rules.Alert) {},
		Logger:     slog.New(slog.DiscardHandler),
		Parser:     promql,
	})
	groups, errs := m.LoadGroups(time.Duration(g.Interval), labels.EmptyLabels(), "", nil, false, ruleFiles...)
	if errs != nil {
		return errs
	}
	for _, grp := range groups {
		for _, r := range grp.Rules() {
			if ar, ok := r.(*rules.AlertingRule); ok {
				ar.SetRestored(true)
			}
		}
	}

	byTime := map[time.Duration][]alertTest{}
	var last time.Duration
	for _, at := range g.AlertRuleTests {
		d := time.Duration(at.EvalTime)
		byTime[d] = append(byTime[d], at)
		last = max(last, d)
	}
	start := time.Unix(0, 0).UTC()
	var failures []error
	for ts := start; !ts.After(start.Add(last)); ts = ts.Add(evalInterval) {
		var evalErr error
		suite.WithSamplesTill(ts, func(err error) {
			if err != nil {
				evalErr = err
				return
			}
			for _, grp := range groups {
				grp.Eval(suite.Context(), ts)
				for _, r := range grp.Rules() {
					if r.LastError() != nil {
						evalErr = fmt.Errorf("rule %s at %s: %w", r.Name(), ts.Sub(start), r.LastError())
					}
				}
			}
		})
		if evalErr != nil {
			return append(failures, evalErr)
		}
		// An eval_time between two evaluations is checked against the
		// earlier one, as promtool does.
		for d, tests := range byTime {
			if ts.Sub(start) <= d && d < ts.Add(evalInterval).Sub(start) {
				for _, at := range tests {
					if err := compareAlerts(at, firing(groups, at.Alertname)); err != nil {
						failures = append(failures, err)
					}
				}
			}
		}
	}
	return failures
}

// firing returns the firing alerts of a name, each as its labels and
// annotations in one comparable string.
func firing(groups map[string]*rules.Group, name string) []string {
	var out []string
	for _, grp := range groups {
		for _, r := range grp.Rules() {
			ar, ok := r.(*rules.AlertingRule)
			if !ok || ar.Name() != name {
				continue
			}
			for _, a := range ar.ActiveAlerts() {
				if a.State == rules.StateFiring {
					out = append(out, a.Labels.String()+" "+a.Annotations.String())
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// compareAlerts checks the firing alerts against a test's expected ones.
func compareAlerts(at alertTest, got []string) error {
	var want []string
	for _, a := range at.ExpAlerts {
		ls := map[string]string{labels.AlertName: at.Alertname}
		for k, v := range a.ExpLabels {
			ls[k] = v
		}
		want = append(want, labels.FromMap(ls).String()+" "+labels.FromMap(a.ExpAnnotations).String())
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("%s at %s:\n  got  %s\n  want %s", at.Alertname, at.EvalTime,
			strings.Join(got, "\n       "), strings.Join(want, "\n       "))
	}
	return nil
}
