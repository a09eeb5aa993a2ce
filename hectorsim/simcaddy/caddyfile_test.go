package simcaddy

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
)

func ptr[T any](v T) *T { return &v }

func TestUnmarshalCaddyfile(t *testing.T) {
	tests := []struct {
		name, input string
		want        Handler
	}{
		{"full", `hector_sim {
			api_key {env.KEY}
			rate 50
			burst 100
			latency 20ms
			fault_rate 0.1
			ambiguous_post_rate 0.05
			data_file /var/lib/hector-sim.json
			roles admin staff user
			default_role user
		}`, Handler{
			APIKey: "{env.KEY}", Rate: ptr(50.0), Burst: 100, Latency: caddy.Duration(20 * time.Millisecond),
			FaultRate: 0.1, AmbiguousPostRate: 0.05, DataFile: "/var/lib/hector-sim.json",
			Roles: []string{"admin", "staff", "user"}, DefaultRole: "user",
		}},
		{"minimal", "hector_sim {\n api_key k\n}", Handler{APIKey: "k"}},
		{"unlimited", "hector_sim {\n api_key k\n rate 0\n}", Handler{APIKey: "k", Rate: ptr(0.0)}},
		{"no block", "hector_sim", Handler{}},
		{"days", "hector_sim {\n latency 1d\n fault_rate 1\n ambiguous_post_rate 0\n}",
			Handler{Latency: caddy.Duration(24 * time.Hour), FaultRate: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Handler
			if err := got.UnmarshalCaddyfile(caddyfile.NewTestDispenser(tt.input)); err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestUnmarshalCaddyfileErrors(t *testing.T) {
	tests := []struct{ name, input, want string }{
		{"inline argument", "hector_sim key", "Testfile:1"},
		{"unknown", "hector_sim {\n api_key k\n colour blue\n}", "unrecognized hector_sim subdirective 'colour', at Testfile:3"},
		{"duplicate", "hector_sim {\n api_key k\n rate 1\n rate 2\n}", "duplicate hector_sim subdirective 'rate', at Testfile:4"},
		{"api_key missing arg", "hector_sim {\n api_key\n}", "Testfile:2"},
		{"api_key two args", "hector_sim {\n api_key a b\n}", "Testfile:2"},
		{"rate word", "hector_sim {\n rate fast\n}", "rate must be a non-negative number of requests a second, got 'fast', at Testfile:2"},
		{"rate negative", "hector_sim {\n\n rate -1\n}", "Testfile:3"},
		{"rate NaN", "hector_sim {\n rate NaN\n}", "Testfile:2"},
		{"burst float", "hector_sim {\n burst 1.5\n}", "burst must be a non-negative integer, got '1.5', at Testfile:2"},
		{"burst negative", "hector_sim {\n burst -3\n}", "Testfile:2"},
		{"latency", "hector_sim {\n latency soon\n}", "latency must be a non-negative duration, got 'soon', at Testfile:2"},
		{"latency negative", "hector_sim {\n latency -1s\n}", "Testfile:2"},
		{"fault_rate above 1", "hector_sim {\n fault_rate 1.5\n}", "fault_rate must be a number between 0 and 1, got '1.5', at Testfile:2"},
		{"fault_rate negative", "hector_sim {\n fault_rate -0.1\n}", "Testfile:2"},
		{"ambiguous above 1", "hector_sim {\n ambiguous_post_rate 2\n}", "ambiguous_post_rate must be a number between 0 and 1, got '2', at Testfile:2"},
		{"roles empty", "hector_sim {\n roles\n}", "Testfile:2"},
		{"data_file missing", "hector_sim {\n api_key k\n data_file\n}", "Testfile:3"},
		{"default_role two", "hector_sim {\n default_role a b\n}", "Testfile:2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Handler
			err := h.UnmarshalCaddyfile(caddyfile.NewTestDispenser(tt.input))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
