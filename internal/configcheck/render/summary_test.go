package render

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/testkit/configtopo"
)

// TestSummaryWithoutSemicolon: Nagios rewrites ';' in the first line of
// plugin output, so the summary's own wording never uses one (the plugin
// layer's replacement is a last resort for the text of a finding).
func TestSummaryWithoutSemicolon(t *testing.T) {
	tp := configtopo.Build(topology.Set,
		configtopo.Server("m:3306", 1, "8.0.36", "read_only", "OFF"),
		configtopo.From(configtopo.Server("r:3306", 2, "8.0.36", "read_only", "OFF"), "m:3306"))
	fs := judge.Evaluate(tp, judge.Options{})
	st, text := Summary(tp, fs)
	if st != plugin.WARNING || strings.Contains(text, ";") {
		t.Errorf("summary %s %q: want WARNING without ';'", st, text)
	}
	if want := "2 servers audited: 0 critical, 1 warning. Worst: [read-only] r:3306 (server_id 2): read_only is OFF on a replica"; !strings.HasPrefix(text, want) {
		t.Errorf("summary %q, want it to start %q", text, want)
	}
}
