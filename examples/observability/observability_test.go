// Package observability holds hector-scim's Prometheus alerting rules and
// Grafana dashboard; it has no Go code of its own, only their tests. The
// tests parse the rules with Prometheus's own rule-file parser, evaluate
// their unit tests with Prometheus's rule engine, and check every metric
// that a rule or a dashboard panel names against the metrics that the real
// hector-scim binary exposes.
package observability

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

const (
	rulesFile     = "prometheus-rules.yml"
	rulesTestFile = "prometheus-rules.test.yml"
	dashboardFile = "grafana-dashboard.json"
)

// promql is the PromQL parser Prometheus itself uses, with its default
// options.
var promql = parser.NewParser(parser.Options{})

// expr is one PromQL expression and where it comes from.
type expr struct {
	where string // "rule X", "panel Y, target A"
	text  string
}

// loadRules parses the rule file as Prometheus does at load (unknown
// fields are errors) and returns every rule's expression.
func loadRules(t *testing.T) []expr {
	t.Helper()
	groups, errs := rulefmt.ParseFile(rulesFile, false, model.UTF8Validation, promql, slog.New(slog.DiscardHandler))
	for _, err := range errs {
		t.Errorf("parsing %s: %v", rulesFile, err)
	}
	if groups == nil {
		t.FailNow()
	}
	var out []expr
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			out = append(out, expr{where: "rule " + r.Alert + r.Record, text: r.Expr})
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: got no rules, want some", rulesFile)
	}
	return out
}

// TestRulesParse: the rule file loads in Prometheus, and it alerts on what
// issue #14 asks for.
func TestRulesParse(t *testing.T) {
	rules := loadRules(t)
	want := []string{
		"HectorScimTokenExpiringSoon", "HectorScimErrorRatioHigh", "HectorScimThrottledRatioHigh",
		"HectorUnreachable", "HectorErrorRatioHigh", "HectorScimAuthFailures",
	}
	for _, name := range want {
		if !slices.ContainsFunc(rules, func(e expr) bool { return e.where == "rule "+name }) {
			t.Errorf("%s: got no alert %s, want one", rulesFile, name)
		}
	}
}

// panel is the part of a Grafana panel the checks read; rows nest panels.
type panel struct {
	Title   string  `json:"title"`
	Panels  []panel `json:"panels"`
	Targets []struct {
		RefID string `json:"refId"`
		Expr  string `json:"expr"`
	} `json:"targets"`
}

// dashboard is the part of the Grafana dashboard the checks read.
type dashboard struct {
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name       string `json:"name"`
			Type       string `json:"type"`
			Definition string `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
}

// labelValuesRe reads Grafana's label_values(<selector>, <label>) query.
var labelValuesRe = regexp.MustCompile(`^label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\)$`)

// loadDashboard returns every PromQL expression of the dashboard: each
// panel target, and the selector of each label_values() variable.
func loadDashboard(t *testing.T) []expr {
	t.Helper()
	b, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	var out []expr
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			for _, tg := range p.Targets {
				out = append(out, expr{where: fmt.Sprintf("panel %q, target %s", p.Title, tg.RefID), text: tg.Expr})
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		m := labelValuesRe.FindStringSubmatch(v.Definition)
		if m == nil {
			t.Errorf("%s: variable %s: got query %q, want label_values(<selector>, <label>)", dashboardFile, v.Name, v.Definition)
			continue
		}
		out = append(out, expr{where: "variable " + v.Name, text: m[1] + `{` + m[2] + `!=""}`})
	}
	if len(out) == 0 {
		t.Fatalf("%s: got no PromQL expression, want some", dashboardFile)
	}
	return out
}

// grafanaVars are the Grafana variables the dashboard's queries may use,
// with a value that makes the query plain PromQL. Any other `$` outside a
// string fails to parse.
var grafanaVars = strings.NewReplacer("$__rate_interval", "5m", "$__interval", "1m", "$__range", "1h")

// selector is one vector selector of an expression: the metric it names
// and the labels it matches on.
type selector struct {
	metric string
	labels []string
}

// selectors parses an expression with Prometheus's PromQL parser and
// returns its vector selectors.
func selectors(text string) ([]selector, error) {
	e, err := promql.ParseExpr(grafanaVars.Replace(text))
	if err != nil {
		return nil, err
	}
	var out []selector
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		s := selector{metric: vs.Name}
		for _, m := range vs.LabelMatchers {
			switch {
			case m.Name != labels.MetricName:
				s.labels = append(s.labels, m.Name)
			case m.Type == labels.MatchEqual:
				s.metric = m.Value
			}
		}
		out = append(out, s)
		return nil
	})
	return out, nil
}

// exposition is what a /metrics scrape holds: each sample name (histogram
// and summary families as their _bucket, _sum and _count series) with its
// label names.
type exposition map[string]map[string]bool

// parseExposition reads Prometheus's text format.
func parseExposition(r io.Reader) (exposition, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(r)
	if err != nil {
		return nil, err
	}
	out := exposition{}
	add := func(name string, extra string, ls []string) {
		set := out[name]
		if set == nil {
			set = map[string]bool{}
			out[name] = set
		}
		for _, l := range ls {
			set[l] = true
		}
		if extra != "" {
			set[extra] = true
		}
	}
	for name, f := range families {
		for _, m := range f.GetMetric() {
			var ls []string
			for _, lp := range m.GetLabel() {
				ls = append(ls, lp.GetName())
			}
			switch f.GetType().String() {
			case "HISTOGRAM", "GAUGE_HISTOGRAM":
				add(name+"_bucket", "le", ls)
				add(name+"_sum", "", ls)
				add(name+"_count", "", ls)
			case "SUMMARY":
				add(name, "quantile", ls)
				add(name+"_sum", "", ls)
				add(name+"_count", "", ls)
			default:
				add(name, "", ls)
			}
		}
	}
	return out, nil
}

// check returns what is wrong with an expression against an exposition:
// a parse error, a selector without a metric name, a metric the binary
// does not expose, or a label that metric does not carry.
func check(exp exposition, e expr) []error {
	sels, err := selectors(e.text)
	if err != nil {
		return []error{fmt.Errorf("%s: %w", e.where, err)}
	}
	if len(sels) == 0 {
		return []error{fmt.Errorf("%s: names no metric", e.where)}
	}
	var errs []error
	for _, s := range sels {
		if s.metric == "" {
			errs = append(errs, fmt.Errorf("%s: a selector names no metric", e.where))
			continue
		}
		have, ok := exp[s.metric]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: metric %s is not exposed by hector-scim", e.where, s.metric))
			continue
		}
		for _, l := range s.labels {
			if !have[l] {
				errs = append(errs, fmt.Errorf("%s: metric %s has no label %q (it has %s)", e.where, s.metric, l, strings.Join(slices.Sorted(mapKeys(have)), ", ")))
			}
		}
	}
	return errs
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestMetricsExist: every metric (and every label matched on) of every rule
// and dashboard panel is one the real binary exposes, as scraped from its
// /metrics after requests that make every series appear.
func TestMetricsExist(t *testing.T) {
	exp := scrapeBinary(t)
	exprs := append(loadRules(t), loadDashboard(t)...)
	for _, e := range exprs {
		for _, err := range check(exp, e) {
			t.Error(err)
		}
	}

	// The same check refuses what the binary does not expose.
	bogus := []struct{ name, expr, want string }{
		{"misspelt counter", `sum(rate(hector_scim_request_total[5m]))`, "metric hector_scim_request_total is not exposed"},
		{"histogram without suffix", `histogram_quantile(0.9, rate(hector_scim_request_duration_seconds[5m]))`, "metric hector_scim_request_duration_seconds is not exposed"},
		{"name matcher", `{__name__="hector_scim_bogus_total"}`, "metric hector_scim_bogus_total is not exposed"},
		{"label the metric lacks", `hector_scim_auth_failures_total{status="401"}`, `has no label "status"`},
		{"no metric name", `sum(rate({tenant="acme"}[5m]))`, "a selector names no metric"},
		{"not PromQL", `sum(rate(hector_scim_requests_total[5m])`, "unclosed left parenthesis"},
	}
	for _, tt := range bogus {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			errs := check(exp, expr{where: "bogus", text: tt.expr})
			if err := errors.Join(errs...); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("check(%s): got %v, want an error containing %q", tt.expr, err, tt.want)
			}
		})
	}
	t.Run("accepts histogram series", func(t *testing.T) {
		for _, s := range []string{"_bucket", "_sum", "_count"} {
			e := `rate(hector_scim_hector_call_duration_seconds` + s + `{tenant="",route!=""}[5m])`
			if errs := check(exp, expr{where: "histogram", text: e}); len(errs) > 0 {
				t.Errorf("check(%s): got %v, want no error", e, errs)
			}
		}
	})
}
