package render

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/testkit/configtopo"
)

// bigTopology is 64 servers: masters m1 <-> m2 with 31 replicas each; ten
// replicas of m1 writable, one replica of m2 not crash-safe, one on an
// older patch release, and m2 without log_replica_updates.
func bigTopology() *topology.Topology {
	const v = "8.0.36"
	snaps := []*topology.Snapshot{
		configtopo.From(configtopo.Server("10.0.1.1:3306", 1, v, "auto_increment_increment", "2", "auto_increment_offset", "1", "read_only", "OFF"), "10.0.2.1:3306"),
		configtopo.From(configtopo.Server("10.0.2.1:3306", 2, v, "auto_increment_increment", "2", "auto_increment_offset", "2", "read_only", "OFF",
			"log_replica_updates", "OFF"), "10.0.1.1:3306"),
	}
	for site := 1; site <= 2; site++ {
		for i := 1; i <= 31; i++ {
			id := site*100 + i
			var kv []string
			switch {
			case site == 1 && i <= 10:
				kv = []string{"read_only", "OFF"}
			case id == 201:
				kv = []string{"relay_log_recovery", "OFF"}
			}
			version := v
			if id == 231 {
				version = "8.0.30"
			}
			snaps = append(snaps, configtopo.From(configtopo.Server(fmt.Sprintf("10.0.%d.%d:3306", site, 100+i), id, version, kv...), fmt.Sprintf("10.0.%d.1:3306", site)))
		}
	}
	return configtopo.Build(topology.Set, snaps...)
}

// render renders an audit with the output bound of a plugin run, and --full-output's.
func renderBound(t *topology.Topology, fs []judge.Finding, full bool) string {
	r := plugin.NewReport(io.Discard, 0)
	if full {
		r.SetOutput(0, true)
	} else {
		r.SetOutput(plugin.DefaultLimit, false)
	}
	Render(r, t, fs)
	return r.Render("REPL_CONFIG")
}

// TestLargeTopologyWithinBound: by default the problems of 64 servers are
// listed in full and what is fine is counted, within 8 KiB without the
// report having to cut anything; --full-output lists every server.
func TestLargeTopologyWithinBound(t *testing.T) {
	tp := bigTopology()
	fs := judge.Evaluate(tp, judge.Options{})
	out := renderBound(tp, fs, false)
	if len(out) > plugin.DefaultLimit || strings.Contains(out, "more lines not shown") {
		t.Errorf("default output is %d bytes (bound %d) or was cut:\n%s", len(out), plugin.DefaultLimit, out)
	}
	for _, want := range []string{
		"REPL_CONFIG CRITICAL - 64 servers audited: 1 critical, 12 warning. Worst: [log-slave-updates] 10.0.2.1:3306 (server_id 2)",
		"10.0.2.1:3306 (server_id 2) MySQL 8.0.36: ring member (2 masters), replica of 10.0.1.1:3306, source of 32 replicas\n- CRITICAL [log-slave-updates] log_replica_updates is OFF",
		"10.0.2.101:3306 (server_id 201) MySQL 8.0.36: replica of 10.0.2.1:3306\n- WARNING [relay-log-recovery] relay_log_recovery is OFF on a replica",
		"10.0.2.131:3306 (server_id 231) MySQL 8.0.30: replica of 10.0.2.1:3306\n- WARNING [version-order] MySQL 8.0.30 is an older patch release",
		"\nWARNING [read-only] on 10 servers (server_id 101-110): read_only is OFF on a replica: applications can write to it",
		"\n51 servers pass every rule (",
		"\ntopology:\nring: 10.0.1.1:3306 (server_id 1) <-> 10.0.2.1:3306 (server_id 2)\n10.0.1.1:3306 (server_id 1) ring master\n",
		"\n+-- 10 replicas [WARNING: read-only]: server_id 101-110\n`-- 21 replicas: server_id 111-131\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("default output lacks %q:\n%s", want, out)
		}
	}
	full := renderBound(tp, fs, true)
	for id := 101; id <= 231; id++ {
		if id%100 > 31 || id%100 == 0 {
			continue
		}
		if !strings.Contains(full, fmt.Sprintf(" (server_id %d) MySQL 8.0", id)) {
			t.Errorf("--full-output lacks the line of server_id %d", id)
		}
	}
	if strings.Contains(full, "more lines not shown") || strings.Contains(full, "pass every rule") {
		t.Errorf("--full-output cut or counted:\n%s", full)
	}
}
