package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/query"
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

// TestSummaryLeadsWithMissingPrivileges: when the account could not read
// what rules need, the summary says so first, naming the privilege and
// the server, before the counts.
func TestSummaryLeadsWithMissingPrivileges(t *testing.T) {
	s := configtopo.Server("m1:3306", 1, "10.11.6-MariaDB", "read_only", "OFF", "relay_log_recovery", "OFF")
	s.ChannelsErr = fmt.Errorf("SHOW ALL SLAVES STATUS: %w", query.Explain(&query.ServerError{Number: 1227, SQLState: "42000",
		Message: "Access denied; you need (at least one of) the SUPER, SLAVE MONITOR privilege(s) for this operation"}))
	tp := configtopo.Build(topology.Single, s)
	fs := judge.Evaluate(tp, judge.Options{})
	st, text := Summary(tp, fs)
	n := 0
	for _, f := range fs {
		if f.Level == judge.Unknown && f.Privilege == "SLAVE MONITOR" && f.PrivilegeOn == "m1:3306" {
			n++
		}
	}
	if n < 4 {
		t.Fatalf("%d rules not judged for lack of SLAVE MONITOR, want read-only, relay-log-recovery, version-order, errant-transactions and more: %v", n, fs)
	}
	want := fmt.Sprintf("The monitoring account lacks SLAVE MONITOR on m1:3306: %d rules not judged. 1 server audited: 0 critical, 0 warning, %d unknown", n, n)
	if st != plugin.UNKNOWN || text != want {
		t.Errorf("summary %s %q, want UNKNOWN %q", st, text, want)
	}
	// A finding above UNKNOWN keeps its place after the lead.
	s.Vars["server_id"] = "0"
	tp = configtopo.Build(topology.Single, s)
	st, text = Summary(tp, judge.Evaluate(tp, judge.Options{}))
	if want := fmt.Sprintf("The monitoring account lacks SLAVE MONITOR on m1:3306: %d rules not judged. 1 server audited: 1 critical, 0 warning, %d unknown. Worst: [server-id]", n, n); st != plugin.CRITICAL || !strings.HasPrefix(text, want) {
		t.Errorf("summary %s %q", st, text)
	}
}

// TestPrivilegeLeadCounts: one rule is "rule", more than two servers are
// counted, several privileges are joined.
func TestPrivilegeLeadCounts(t *testing.T) {
	f := func(priv, on string) judge.Finding {
		return judge.Finding{Rule: judge.RuleReadOnly, Level: judge.Unknown, Privilege: priv, PrivilegeOn: on}
	}
	for _, tc := range []struct {
		fs   []judge.Finding
		want string
	}{
		{[]judge.Finding{f("SLAVE MONITOR", "a:1")}, "The monitoring account lacks SLAVE MONITOR on a:1: 1 rule not judged"},
		{[]judge.Finding{f("SLAVE MONITOR", "a:1"), f("SLAVE MONITOR", "b:1"), f("SLAVE MONITOR", "c:1"), f("BINLOG MONITOR", "a:1")},
			"The monitoring account lacks SLAVE MONITOR on 3 servers and BINLOG MONITOR on a:1: 4 rules not judged"},
		{[]judge.Finding{{Rule: judge.RuleReadOnly, Level: judge.Unknown}}, ""},
	} {
		if got := privilegeLead(tc.fs); got != tc.want {
			t.Errorf("privilegeLead = %q, want %q", got, tc.want)
		}
	}
}
