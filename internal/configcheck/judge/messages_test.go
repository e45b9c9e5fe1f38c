package judge

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
)

// TestDiscoverCompleteMessages: each way discovery can miss replicas has
// its words and its fix.
func TestDiscoverCompleteMessages(t *testing.T) {
	const maria = "10.11.6-MariaDB"
	m := func(r topology.Replicas) *topology.Topology {
		s := mk("m:3306", 1, maria, "read_only", "OFF")
		s.Replicas = r
		tp := topo(topology.Discover, s)
		tp.Unfollowed = nil
		return tp
	}
	denied := fmt.Errorf("SHOW PROCESSLIST: %w", query.Explain(&query.ServerError{Number: 1227, Message: "Access denied; you need (at least one of) the PROCESS privilege(s) for this operation"}))
	for _, tc := range []struct {
		name string
		u    topology.Unfollowed
		text string
		fix  string
	}{
		{"registered without an address", topology.Unfollowed{Count: 1, ReportHost: true, Why: "the replica with server_id 21 reports no report_host/report_port"},
			"1 replica could not be followed: the replica with server_id 21 reports no report_host/report_port, so neither it nor what replicates from it is audited",
			"fix: set report_host and report_port in [mysqld] of each replica (then restart it), or name the replicas with --server"},
		{"hidden without PROCESS", topology.Unfollowed{Privilege: "PROCESS", Why: "its replicas may be hidden: the processlist shows only the monitoring account's own sessions (it lacks PROCESS)"},
			"its replicas could not all be followed: its replicas may be hidden", "fix: GRANT PROCESS ON *.* TO the monitoring account on m:3306"},
		{"not listed", topology.Unfollowed{Privilege: topology.PrivilegeOf(denied), Why: "its replicas could not be listed: " + denied.Error()},
			"its replicas could not all be followed: its replicas could not be listed: SHOW PROCESSLIST: access denied (error 1227)", "fix: GRANT PROCESS ON *.* TO the monitoring account on m:3306"},
		{"followed by name only", topology.Unfollowed{Count: 2, Why: "they are elsewhere"}, "2 replicas could not be followed: they are elsewhere, so neither they nor what replicates from them is audited",
			"fix: name the replicas with --server"},
	} {
		tp := m(topology.Replicas{Stmt: "SHOW REPLICA HOSTS"})
		tc.u.Node = tp.Nodes[0]
		tp.Unfollowed = []topology.Unfollowed{tc.u}
		f := find(t, Evaluate(tp, Options{Incomplete: Warning}), RuleDiscoverComplete, "m:3306")
		if f.Level != Warning || !strings.HasPrefix(f.Text, tc.text) || f.Fix.String() != tc.fix {
			t.Errorf("%s: %s %q %q", tc.name, f.Level, f.Text, f.Fix)
		}
	}
}

// TestUnjudgedMessages: what the GTID and retention rules say when what
// they need is missing.
func TestUnjudgedMessages(t *testing.T) {
	// Single mode, source unreadable: neither rule judges.
	r := from(mk("r:3306", 2, "8.0.36", "gtid_mode", "ON", "gtid_executed", uuidR1+":1"), "m:3306")
	gone := &topology.Snapshot{Addr: address.TCP("m", 3306), Err: errors.New("cannot connect to m:3306: connection refused")}
	fs := Evaluate(topo(topology.Single, r, gone), Options{RetentionWarning: time.Hour, RetentionCritical: time.Minute})
	for rule, want := range map[string]string{
		RuleErrant:    "not judged (a replica holds no transaction its sources lack): source m:3306 could not be read (cannot connect to m:3306: connection refused)",
		RuleRetention: "not judged (a replica needs the binary logs of its source from where it stopped): source m:3306 could not be read (cannot connect to m:3306: connection refused)",
	} {
		if f := find(t, fs, rule, "r:3306"); f.Level != Unknown || f.Text != want {
			t.Errorf("%s: %s %q, want %q", rule, f.Level, f.Text, want)
		}
	}
	// A source without gtid_executed, a MariaDB position that does not parse.
	tp := topo(topology.Set, mk("m:3306", 1, "8.0.36", "read_only", "OFF", "gtid_mode", "ON", "gtid_executed", "-"),
		from(mk("r:3306", 2, "8.0.36", "gtid_mode", "ON", "gtid_executed", uuidR1+":1"), "m:3306"))
	if f := find(t, Evaluate(tp, Options{}), RuleErrant, "r:3306"); f.Level != Unknown || f.Text != "not judged: gtid_executed was not returned by m:3306 (server_id 1) (MySQL 8.0.36)" {
		t.Errorf("missing gtid_executed: %s %q", f.Level, f.Text)
	}
	tp = topo(topology.Set, mk("m:3306", 1, "10.11.6-MariaDB", "read_only", "OFF", "gtid_current_pos", "0-1-x"),
		from(mk("r:3306", 2, "10.11.6-MariaDB"), "m:3306"))
	if f := find(t, Evaluate(tp, Options{}), RuleErrant, "r:3306"); f.Level != Unknown || !strings.HasPrefix(f.Text, `not judged: gtid_current_pos of m:3306 (server_id 1): bad GTID "0-1-x"`) {
		t.Errorf("bad MariaDB position: %s %q", f.Level, f.Text)
	}
	// MariaDB by GTID: where the source's oldest binary log starts is unknown.
	src := withBinlogs(mk("m:3306", 1, "10.11.6-MariaDB", "read_only", "OFF"), "b.000001:4096")
	src.BinlogsStartErr = errors.New("BINLOG_GTID_POS('b.000001', 4) is NULL: the binary log could not be read")
	rep := from(mk("r:3306", 2, "10.11.6-MariaDB"), "m:3306")
	rep.Channels[0].UsingGTID = "Slave_Pos"
	if f := find(t, Evaluate(topo(topology.Set, src, rep), retentionOpts), RuleRetention, "r:3306"); f.Level != Unknown ||
		f.Text != "not judged (a replica needs the binary logs of its source from where it stopped): replication from m:3306 (server_id 1): where the oldest binary log of m:3306 starts is unknown: BINLOG_GTID_POS('b.000001', 4) is NULL: the binary log could not be read" {
		t.Errorf("start unknown: %s %q", f.Level, f.Text)
	}
}

// TestStrictModeOnOneMaster: gtid_strict_mode ON on one master only is named.
func TestStrictModeOnOneMaster(t *testing.T) {
	tp := mariaRing("0", "0", "")
	tp.Nodes[0].Vars["gtid_strict_mode"] = "ON"
	f := find(t, Evaluate(tp, Options{}), RuleGTIDDomain, "m1:3306")
	if !strings.HasSuffix(f.Text, "(gtid_strict_mode is ON on m1:3306: replication stops there on the first GTID out of order, error 1950; OFF elsewhere, where such GTIDs pass unnoticed)") {
		t.Errorf("%q", f.Text)
	}
}
