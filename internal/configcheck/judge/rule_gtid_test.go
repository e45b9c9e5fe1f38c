package judge

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

const (
	uuidM1 = "aaaaaaaa-0000-0000-0000-000000000001"
	uuidM2 = "aaaaaaaa-0000-0000-0000-000000000002"
	uuidR1 = "aaaaaaaa-0000-0000-0000-000000000011"
	uuidR2 = "aaaaaaaa-0000-0000-0000-000000000012"
	uuidX  = "bbbbbbbb-0000-0000-0000-000000000099"
)

// mysqlRing is m1 <-> m2 (MySQL 8.0, GTID) with replicas r1 and r2 of m1;
// r1's gtid_executed is executed.
func mysqlRing(mode topology.Mode, executed string) *topology.Topology {
	const v = "8.0.36"
	g := func(uuid, exe string, kv ...string) []string {
		return append([]string{"gtid_mode", "ON", "enforce_gtid_consistency", "ON", "server_uuid", uuid, "gtid_executed", exe}, kv...)
	}
	return topo(mode,
		from(mk("m1:3306", 1, v, g(uuidM1, uuidM1+":1-10,"+uuidM2+":1-5", "read_only", "OFF", "auto_increment_increment", "2", "auto_increment_offset", "1")...), "m2:3306"),
		// m2 was read before m1's last write reached it, and has written since m1 was read.
		from(mk("m2:3306", 2, v, g(uuidM2, uuidM1+":1-9,"+uuidM2+":1-6", "read_only", "OFF", "auto_increment_increment", "2", "auto_increment_offset", "2")...), "m1:3306"),
		from(mk("r1:3306", 11, v, g(uuidR1, executed)...), "m1:3306"),
		from(mk("r2:3306", 12, v, g(uuidR2, uuidM1+":1-10,"+uuidM2+":1-5,"+uuidR2+":1-3")...), "m1:3306"),
	)
}

func TestErrantMySQL(t *testing.T) {
	for _, tc := range []struct {
		name, executed string
		level          Level
		text           string
	}{
		{"caught up", uuidM1 + ":1-10," + uuidM2 + ":1-5", Pass,
			"every GTID of gtid_executed is also on a server upstream (m1:3306 (server_id 1), m2:3306 (server_id 2))"},
		{"read after its sources wrote more", uuidM1 + ":1-12," + uuidM2 + ":1-7", Pass, "every GTID"},
		{"a write on the replica", uuidM1 + ":1-10," + uuidM2 + ":1-5," + uuidR1 + ":1-2", Critical,
			"gtid_executed holds 2 transactions that no server upstream (m1:3306 (server_id 1), m2:3306 (server_id 2)) has: " +
				uuidR1 + ":1-2 (written on this server itself). A write made directly on a replica"},
		{"from a server outside the topology", uuidM1 + ":1-10," + uuidM2 + ":1-5," + uuidX + ":7", Critical,
			"has: " + uuidX + ":7 (written on a server outside the topology)"},
		{"from another replica", uuidM1 + ":1-10," + uuidM2 + ":1-5," + uuidR2 + ":1", Critical,
			"has: " + uuidR2 + ":1 (written on r2:3306 (server_id 12), which is not upstream of this server)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := Evaluate(mysqlRing(topology.Set, tc.executed), Options{})
			f := find(t, fs, RuleErrant, "r1:3306")
			if f.Level != tc.level || !strings.Contains(f.Text, tc.text) {
				t.Errorf("%s %q, want %s %q", f.Level, f.Text, tc.level, tc.text)
			}
			if tc.level == Critical && !strings.Contains(f.Fix.String(), "mysqlbinlog --include-gtids=") {
				t.Errorf("fix %q", f.Fix)
			}
			// Either master's writes are legitimate everywhere in the ring.
			for _, m := range []string{"m1:3306", "m2:3306"} {
				if f := find(t, fs, RuleErrant, m); f.Level != Pass {
					t.Errorf("%s: %s %q", m, f.Level, f.Text)
				}
			}
			if f := find(t, fs, RuleErrant, "r2:3306"); f.Level != Critical || !strings.Contains(f.Text, uuidR2+":1-3 (written on this server itself)") {
				t.Errorf("r2: %s %q", f.Level, f.Text)
			}
		})
	}
	// Without GTIDs there is nothing to tell a write from a replicated one.
	tp := topo(topology.Set, mk("m:3306", 1, "8.0.36", "read_only", "OFF"), from(mk("r:3306", 2, "8.0.36"), "m:3306"))
	if fs := only(Evaluate(tp, Options{}), RuleErrant, "r:3306"); len(fs) != 0 {
		t.Errorf("gtid_mode OFF: %v", fs)
	}
	// A source outside a --server set: source-in-set says so, this rule is silent.
	tp = topo(topology.Set, from(mk("r:3306", 2, "8.0.36", "gtid_mode", "ON", "gtid_executed", uuidR1+":1"), "elsewhere:3306"))
	if fs := only(Evaluate(tp, Options{}), RuleErrant, "r:3306"); len(fs) != 0 {
		t.Errorf("source outside the set: %v", fs)
	}
}

// mariaRing is m1 <-> m2 (MariaDB 10.11, GTID, domains d1 and d2, both
// writable) with r1, a replica of m1 with a binary log whose state is state.
func mariaRing(d1, d2, state string, kv ...string) *topology.Topology {
	const v = "10.11.6-MariaDB"
	ring := func(id int, dom string, st string) []string {
		return append([]string{"read_only", "OFF", "auto_increment_increment", "2", "auto_increment_offset", dom, "gtid_domain_id", dom, "gtid_binlog_state", st}, kv...)
	}
	tp := topo(topology.Set,
		from(mk("m1:3306", 1, v, ring(1, d1, "1-1-10,2-2-5,1-9-3")...), "m2:3306"),
		from(mk("m2:3306", 2, v, ring(2, d2, "1-1-10,2-2-5,1-9-3")...), "m1:3306"),
		from(mk("r1:3306", 21, v, "gtid_binlog_state", state), "m1:3306"),
	)
	for _, n := range tp.Nodes {
		for _, e := range n.In {
			e.Channel.UsingGTID = "Slave_Pos"
		}
	}
	return tp
}

func TestErrantMariaDB(t *testing.T) {
	for _, tc := range []struct {
		name, state string
		level       Level
		text        string
	}{
		{"caught up", "1-1-10,2-2-5", Pass, "every GTID of its binary log state is also on a server upstream (m1:3306 (server_id 1), m2:3306 (server_id 2))"},
		{"an old master's GTIDs, held upstream", "1-1-10,2-2-5,1-9-3", Pass, "every GTID"},
		{"ahead of a master read earlier", "1-1-12,2-2-6", Pass, "every GTID"},
		{"a write on the replica", "0-21-1,1-1-10,2-2-5", Critical,
			"gtid_binlog_state holds 0-21-1 (domain 0, server_id 21: written on this server itself), which no server upstream (m1:3306 (server_id 1), m2:3306 (server_id 2)) has"},
		{"from a server outside the topology", "1-1-10,2-2-5,1-7-2", Critical, "1-7-2 (domain 1, server_id 7: written on a server outside the topology)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := Evaluate(mariaRing("1", "2", tc.state), Options{})
			f := find(t, fs, RuleErrant, "r1:3306")
			if f.Level != tc.level || !strings.Contains(f.Text, tc.text) {
				t.Errorf("%s %q, want %s %q", f.Level, f.Text, tc.level, tc.text)
			}
			if tc.level == Critical && !strings.Contains(f.Fix.String(), "FLUSH BINARY LOGS DELETE_DOMAIN_ID") {
				t.Errorf("fix %q", f.Fix)
			}
		})
	}
	// Without a binary log a write on the replica gets no GTID: not judged here.
	tp := mariaRing("1", "2", "0-21-1")
	tp.Nodes[2].Vars["log_bin"] = "OFF"
	if fs := only(Evaluate(tp, Options{}), RuleErrant, "r1:3306"); len(fs) != 0 {
		t.Errorf("no binary log: %v", fs)
	}
}

func TestGTIDDomains(t *testing.T) {
	fs := Evaluate(mariaRing("0", "0", ""), Options{})
	f := find(t, fs, RuleGTIDDomain, "m1:3306")
	if f.Level != Warning || !strings.HasPrefix(f.Text, "gtid_domain_id 0 is also the domain of m2:3306 (server_id 2), and these masters of one ring both take writes (read_only OFF) "+
		"and replicate each other with GTID: MariaDB numbers a domain's transactions as one sequence") ||
		!strings.HasSuffix(f.Text, "(gtid_strict_mode is OFF: GTIDs out of order pass unnoticed)") ||
		f.Fix.String() != "fix: gtid_domain_id = <a number of its own for each master, e.g. its server_id> in [mysqld] of my.cnf; SET GLOBAL gtid_domain_id = <that number> applies it without a restart" {
		t.Errorf("%s %q %q", f.Level, f.Text, f.Fix)
	}
	fs = Evaluate(mariaRing("0", "0", "", "gtid_strict_mode", "ON"), Options{})
	if f := find(t, fs, RuleGTIDDomain, "m1:3306"); !strings.HasSuffix(f.Text, "(gtid_strict_mode is ON: replication stops on the first GTID out of order, error 1950)") {
		t.Errorf("strict: %q", f.Text)
	}
	fs = Evaluate(mariaRing("1", "2", ""), Options{})
	for _, m := range []string{"m1:3306", "m2:3306"} {
		if f := find(t, fs, RuleGTIDDomain, m); f.Level != Pass {
			t.Errorf("distinct domains: %s %s %q", m, f.Level, f.Text)
		}
	}
	// One master read-only: only one takes writes, nothing interleaves.
	tp := mariaRing("0", "0", "")
	tp.Nodes[1].Vars["read_only"] = "ON"
	if fs := only(Evaluate(tp, Options{}), RuleGTIDDomain, "m1:3306"); len(fs) != 0 {
		t.Errorf("one writer: %v", fs)
	}
	// Replication by file and position: no GTID positions to confuse.
	tp = mariaRing("0", "0", "")
	for _, n := range tp.Nodes {
		for _, e := range n.In {
			e.Channel.UsingGTID = "No"
		}
	}
	if fs := only(Evaluate(tp, Options{}), RuleGTIDDomain, "m1:3306"); len(fs) != 0 {
		t.Errorf("no GTID: %v", fs)
	}
}
