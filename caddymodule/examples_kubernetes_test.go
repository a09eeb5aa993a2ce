package caddymodule

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"
)

// TestKubernetesExample: every manifest of the Kubernetes example parses,
// the ConfigMap holds exactly the Caddyfile that TestExamples validates,
// and the probes ask paths that Caddyfile serves.
func TestKubernetesExample(t *testing.T) {
	dir := filepath.Join("..", "examples", "deploy", "kubernetes")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("got manifests %v (%v), want some", files, err)
	}
	manifests := map[string]map[string]any{} // by kind
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.UnmarshalStrict(b, &m); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		kind, _ := m["kind"].(string)
		if kind == "" || m["apiVersion"] == nil {
			t.Errorf("%s: got kind %q and apiVersion %v, want both", f, kind, m["apiVersion"])
		}
		manifests[kind] = m
	}
	for _, kind := range []string{"ConfigMap", "Deployment", "Service", "Ingress", "Secret", "PodDisruptionBudget", "NetworkPolicy"} {
		if manifests[kind] == nil {
			t.Errorf("got no %s manifest, want one", kind)
		}
	}

	caddyfile, err := os.ReadFile(filepath.Join(dir, "Caddyfile"))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := manifests["ConfigMap"]["data"].(map[any]any)
	if got, _ := data["Caddyfile"].(string); got != string(caddyfile) {
		t.Errorf("configmap.yaml's Caddyfile differs from Caddyfile beside it:\n%s", got)
	}

	deployment, err := os.ReadFile(filepath.Join(dir, "deployment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, probe := range []struct{ path, serves string }{
		{"/healthz", "scim_health /healthz"},
		{"/livez", "respond /livez 200"},
	} {
		if !strings.Contains(string(deployment), "path: "+probe.path) {
			t.Errorf("deployment.yaml: got no probe of %s, want one", probe.path)
		}
		if !strings.Contains(string(caddyfile), probe.serves) {
			t.Errorf("Caddyfile: got no %q, want it to serve the probe", probe.serves)
		}
	}
}
