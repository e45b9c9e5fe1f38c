package configcheck

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/clitest"
)

// mk builds the snapshot of a healthy-looking server: id is its server_id,
// version its @@version ("10.11.6-MariaDB" or "8.0.36"), kv overrides
// variables ("read_only", "OFF", ...).
func mk(addr string, id int, version string, kv ...string) *Snapshot {
	ident, err := server.Parse(version, "")
	if err != nil {
		panic(err)
	}
	_, port, _ := net.SplitHostPort(addr)
	vars := map[string]string{
		"server_id": strconv.Itoa(id), "port": port, "hostname": "h" + strconv.Itoa(id),
		"log_bin": "ON", ident.LogReplicaUpdatesVar(): "ON", "read_only": "ON",
		"auto_increment_increment": "1", "auto_increment_offset": "1",
		"relay_log_recovery": "ON", "sync_binlog": "1", "innodb_flush_log_at_trx_commit": "1",
	}
	if ident.Flavor != server.MariaDB && ident.Version.AtLeast(5, 7, 8) {
		vars["super_read_only"] = "ON"
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "-" {
			delete(vars, kv[i])
		} else {
			vars[kv[i]] = kv[i+1]
		}
	}
	a, err := address.Parse(addr)
	if err != nil {
		panic(err)
	}
	return &Snapshot{Addr: a, ID: ident, Vars: vars, Replicas: Replicas{Stmt: "SHOW SLAVE HOSTS"}}
}

// from adds a running channel to each source address.
func (s *Snapshot) from(addrs ...string) *Snapshot {
	for _, a := range addrs {
		h, p, _ := net.SplitHostPort(a)
		port, _ := strconv.Atoi(p)
		s.Channels = append(s.Channels, replica.Channel{SourceHost: h, SourcePort: port, IO: replica.Running, SQL: replica.Running, SSLAllowed: "No"})
	}
	return s
}

// dumps makes the server list n Binlog Dump sessions from host.
func (s *Snapshot) dumps(n int, host string) *Snapshot {
	s.Replicas = Replicas{Stmt: ProcesslistQuery, Processlist: true, OthersVisible: true}
	for range n {
		s.Replicas.Dumps = append(s.Replicas.Dumps, DumpThread{User: "repl", Host: host, Command: "Binlog Dump"})
	}
	return s
}

// topo builds a topology of audited, given servers.
func topo(mode Mode, snaps ...*Snapshot) *Topology {
	var nodes []*Node
	for _, s := range snaps {
		nodes = append(nodes, &Node{Snapshot: s, Audited: true, Given: true})
	}
	return Build(mode, nodes)
}

// bad returns "LEVEL rule@addr" for every finding above Info.
func bad(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		if f.Level > Info {
			out = append(out, fmt.Sprintf("%s %s@%s", f.Level, f.Rule, f.Node.Addr))
		}
	}
	return out
}

func find(t *testing.T, fs []Finding, rule, addr string) Finding {
	t.Helper()
	got := only(fs, rule, addr)
	if len(got) != 1 {
		t.Fatalf("%d findings of %s on %s, want 1: %v", len(got), rule, addr, fs)
	}
	return got[0]
}

func TestRulesTable(t *testing.T) {
	const maria, mysql80 = "10.11.6-MariaDB", "8.0.36"
	ring3 := func(kv ...string) []*Snapshot {
		a := mk("a:3306", 1, maria, append([]string{"auto_increment_increment", "3", "auto_increment_offset", "1", "read_only", "OFF"}, kv...)...).from("c:3306")
		b := mk("b:3306", 2, maria, "auto_increment_increment", "3", "auto_increment_offset", "2", "read_only", "OFF", "log_slave_updates", "OFF").from("a:3306")
		c := mk("c:3306", 3, maria, "auto_increment_increment", "3", "auto_increment_offset", "3", "read_only", "OFF").from("b:3306")
		return []*Snapshot{a, b, c}
	}
	tests := []struct {
		name  string
		mode  Mode
		opts  Options
		snaps []*Snapshot
		want  []string // "LEVEL rule@addr" of every finding above Info
		text  map[string]string
	}{
		{
			name:  "healthy source and replica",
			mode:  Set,
			snaps: []*Snapshot{mk("m:3306", 1, maria, "read_only", "OFF"), mk("r:3306", 2, maria, "log_bin", "OFF").from("m:3306")},
		},
		{
			name:  "ring of three, one member without log_slave_updates",
			mode:  Set,
			snaps: ring3(),
			want:  []string{"CRITICAL log-slave-updates@b:3306"},
			text: map[string]string{"log-slave-updates@b:3306": "log_slave_updates is OFF on a member of a ring of 3 masters: the changes it replicates from " +
				"a:3306 (server_id 1) are not written to its binary log, so its replica c:3306 (server_id 3) never receives them"},
		},
		{
			name:  "ring of three spaced for two",
			mode:  Set,
			snaps: ring3("auto_increment_increment", "2"),
			want:  []string{"CRITICAL auto-increment@a:3306", "CRITICAL log-slave-updates@b:3306"},
			text:  map[string]string{"auto-increment@a:3306": "auto_increment_increment is 2 but the ring has 3 masters"},
		},
		{
			name: "ring members whose offsets collide modulo the common increment",
			mode: Set,
			snaps: []*Snapshot{
				mk("a:3306", 1, maria, "auto_increment_increment", "2", "auto_increment_offset", "1", "read_only", "OFF").from("b:3306"),
				mk("b:3306", 2, maria, "auto_increment_increment", "4", "auto_increment_offset", "3", "read_only", "OFF").from("a:3306"),
			},
			want: []string{"CRITICAL auto-increment-offsets@a:3306"},
			text: map[string]string{"auto-increment-offsets@a:3306": "auto_increment_offset 1 (increment 2) collides with b:3306 (server_id 2), offset 3 (increment 4)"},
		},
		{
			name: "offset beyond the increment",
			mode: Set,
			snaps: []*Snapshot{
				mk("a:3306", 1, maria, "auto_increment_increment", "2", "auto_increment_offset", "1").from("b:3306"),
				mk("b:3306", 2, maria, "auto_increment_increment", "2", "auto_increment_offset", "5").from("a:3306"),
			},
			want: []string{"CRITICAL auto-increment@b:3306"},
			text: map[string]string{"auto-increment@b:3306": "auto_increment_offset is 5, outside 1..2 (auto_increment_increment): the server ignores it and uses 1"},
		},
		{
			name: "ring of two with no other replica: nothing lost yet",
			mode: Set,
			snaps: []*Snapshot{
				mk("a:3306", 1, maria, "auto_increment_increment", "2", "auto_increment_offset", "1").from("b:3306"),
				mk("b:3306", 2, maria, "auto_increment_increment", "2", "auto_increment_offset", "2", "log_slave_updates", "OFF").from("a:3306"),
			},
			want: []string{"WARNING log-slave-updates@b:3306"},
			text: map[string]string{"log-slave-updates@b:3306": "no replica misses them today, but any replica attached later would"},
		},
		{
			name: "relay without log_replica_updates (MySQL 8.0)",
			mode: Set,
			snaps: []*Snapshot{
				mk("m:3306", 1, mysql80, "read_only", "OFF"),
				mk("i:3306", 2, mysql80, "log_replica_updates", "OFF", "log_slave_updates", "OFF").from("m:3306"),
				mk("r:3306", 3, mysql80).from("i:3306"),
			},
			want: []string{"CRITICAL log-slave-updates@i:3306"},
			text: map[string]string{"log-slave-updates@i:3306": "log_replica_updates is OFF on a relay (a replica that has replicas): the changes it replicates from m:3306 (server_id 1) are not written to its binary log, so its replica r:3306 (server_id 3) never receives them"},
		},
		{
			name:  "source without binary log",
			mode:  Set,
			snaps: []*Snapshot{mk("m:3306", 1, maria, "log_bin", "OFF", "read_only", "OFF"), mk("r:3306", 2, maria).from("m:3306")},
			want:  []string{"CRITICAL log-bin@m:3306"},
			text:  map[string]string{"log-bin@m:3306": "log_bin is OFF on a source: without a binary log it has nothing to send its replicas"},
		},
		{
			name:  "server_id 0",
			mode:  Set,
			snaps: []*Snapshot{mk("m:3306", 0, maria, "read_only", "OFF"), mk("r:3306", 2, maria).from("m:3306"), mk("s:3306", 0, maria, "read_only", "OFF")},
			want:  []string{"CRITICAL server-id@m:3306", "WARNING server-id@s:3306"},
		},
		{
			name: "duplicate server_uuid",
			mode: Set,
			snaps: []*Snapshot{
				mk("m:3306", 1, mysql80, "read_only", "OFF", "server_uuid", "3E11FA47-71CA-11E1-9E33-C80AA9429562"),
				mk("r:3306", 2, mysql80, "server_uuid", "3e11fa47-71ca-11e1-9e33-c80aa9429562").from("m:3306"),
			},
			want: []string{"CRITICAL server-uuid-unique@m:3306"},
		},
		{
			name: "writable replicas and crash safety",
			mode: Set,
			snaps: []*Snapshot{
				mk("m:3306", 1, "5.7.44-log", "read_only", "OFF"),
				mk("r:3306", 2, "5.7.44-log", "read_only", "OFF", "relay_log_recovery", "OFF", "relay_log_info_repository", "FILE").from("m:3306"),
			},
			want: []string{"WARNING read-only@r:3306", "WARNING relay-log-recovery@r:3306", "WARNING relay-log-info-repository@r:3306"},
			text: map[string]string{"relay-log-recovery@r:3306": "relay_log_recovery is OFF on a replica: after a crash it resumes from a relay log that may be torn"},
		},
		{
			name:  "no relay_log_recovery before MySQL 5.1.46: information only",
			mode:  Set,
			snaps: []*Snapshot{mk("m:3306", 1, "5.0.95-log", "read_only", "OFF"), mk("r:3306", 2, "5.0.95-log", "relay_log_recovery", "-").from("m:3306")},
			text:  map[string]string{"relay-log-recovery@r:3306": "MySQL 5.0.95 has no relay_log_recovery"},
		},
		{
			name:  "source outside the set",
			mode:  Set,
			snaps: []*Snapshot{mk("r:3306", 2, maria).from("elsewhere:3306")},
			want:  []string{"WARNING source-in-set@r:3306"},
			text:  map[string]string{"source-in-set@r:3306": "replication from elsewhere:3306: that source is not among the audited servers"},
		},
		{
			name: "source not read in single mode",
			mode: Single,
			snaps: []*Snapshot{
				mk("r:3306", 2, maria).from("elsewhere:3306"),
				mk("i:3306", 3, maria, "log_slave_updates", "OFF", "read_only", "OFF").from("elsewhere:3306").dumps(1, "10.0.0.9"),
			},
			want: []string{"UNKNOWN version-order@r:3306", "CRITICAL log-slave-updates@i:3306", "UNKNOWN auto-increment@i:3306", "UNKNOWN version-order@i:3306"},
			text: map[string]string{
				"version-order@r:3306":     "cannot compare versions: source elsewhere:3306 was not read",
				"log-slave-updates@i:3306": "so the replica it serves (Binlog Dump sessions from 10.0.0.9) never receives them",
				"auto-increment@i:3306":    "auto_increment_increment is 1 but the ring has 2 masters: masters generate the same AUTO_INCREMENT values and replication stops on the duplicate key, if this server is in a ring; cannot tell whether it is in a ring: its source elsewhere:3306 was not read",
			},
		},
		{
			name: "versions along the edges",
			mode: Set,
			snaps: []*Snapshot{
				mk("m:3306", 1, mysql80, "read_only", "OFF"),
				mk("old:3306", 2, "5.7.44-log").from("m:3306"),
				mk("patch:3306", 3, "8.0.30").from("m:3306"),
				mk("maria:3306", 4, maria).from("m:3306"),
			},
			want: []string{"WARNING version-order@old:3306"},
			text: map[string]string{"version-order@old:3306": "MySQL 5.7.44 is older than its source m:3306 (server_id 1) (MySQL 8.0.36): a replica must not be older than its source"},
		},
		{
			name:  "require SSL",
			mode:  Set,
			opts:  Options{RequireSSL: true},
			snaps: []*Snapshot{mk("m:3306", 1, mysql80, "read_only", "OFF"), mk("r:3306", 2, mysql80).from("m:3306")},
			want:  []string{"CRITICAL replication-ssl@r:3306"},
		},
		{
			name: "durability",
			mode: Set,
			opts: Options{Durability: true},
			snaps: []*Snapshot{
				mk("m:3306", 1, maria, "read_only", "OFF", "sync_binlog", "0", "innodb_flush_log_at_trx_commit", "2"),
				mk("r:3306", 2, maria, "log_bin", "OFF", "sync_binlog", "0").from("m:3306"),
			},
			want: []string{"WARNING sync-binlog@m:3306", "WARNING flush-log-at-trx-commit@m:3306"},
		},
		{
			name: "channels unknown: rules that depend on them say so",
			mode: Single,
			snaps: []*Snapshot{func() *Snapshot {
				s := mk("r:3306", 2, maria, "read_only", "OFF", "relay_log_recovery", "OFF", "log_bin", "OFF")
				s.ChannelsErr = errors.New("SHOW ALL SLAVES STATUS: access denied")
				return s
			}()},
			want: []string{"UNKNOWN read-only@r:3306", "UNKNOWN relay-log-recovery@r:3306", "UNKNOWN version-order@r:3306"},
			text: map[string]string{"read-only@r:3306": "read_only is OFF, which is wrong on a replica; cannot tell whether it replicates: SHOW ALL SLAVES STATUS: access denied"},
		},
		{
			name: "replicas hidden without PROCESS",
			mode: Set,
			snaps: []*Snapshot{func() *Snapshot {
				s := mk("m:3306", 1, maria, "log_bin", "OFF", "log_slave_updates", "OFF", "read_only", "OFF")
				s.Replicas = Replicas{Stmt: ProcesslistQuery, Processlist: true, HostsErr: errors.New("SHOW REPLICA HOSTS: access denied")}
				return s
			}()},
			want: []string{"UNKNOWN log-bin@m:3306"},
			text: map[string]string{"log-bin@m:3306": "log_bin is OFF, which is wrong if anything replicates from this server; cannot tell whether it has replicas: SHOW REPLICA HOSTS: access denied; the processlist shows only this account's own sessions, so Binlog Dump threads may be hidden (needs PROCESS)"},
		},
		{
			name:  "expectations",
			mode:  Set,
			opts:  Options{Expect: []Expectation{{"binlog_format", "row"}, {"log_replica_updates", "1"}, {"sync_binlog", "01"}, {"gtid_mode", "ON"}, {"innodb_flush_log_at_trx_commit", "2"}}},
			snaps: []*Snapshot{mk("m:3306", 1, maria, "read_only", "OFF", "binlog_format", "ROW")},
			want:  []string{"UNKNOWN expect@m:3306", "WARNING expect@m:3306"},
		},
		{
			name:  "unreachable",
			mode:  Set,
			opts:  Options{Unreachable: Critical},
			snaps: []*Snapshot{mk("m:3306", 1, maria, "read_only", "OFF"), {Addr: address.TCP("gone", 3306), Err: errors.New("cannot connect to gone:3306: connection refused")}},
			want:  []string{"CRITICAL reachable@gone:3306"},
			text:  map[string]string{"reachable@gone:3306": "cannot be audited: cannot connect to gone:3306: connection refused"},
		},
		{
			name: "variables unreadable",
			mode: Single,
			snaps: []*Snapshot{func() *Snapshot {
				s := mk("m:3306", 1, maria)
				s.Vars, s.VarsErr = map[string]string{}, errors.New("SHOW GLOBAL VARIABLES: boom")
				return s
			}()},
			want: []string{"UNKNOWN variables@m:3306"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp := topo(tc.mode, tc.snaps...)
			fs := Evaluate(tp, tc.opts)
			got := bad(fs)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for key, frag := range tc.text {
				rule, addr, _ := strings.Cut(key, "@")
				if f := find(t, fs, rule, addr); !strings.Contains(f.Text, frag) {
					t.Errorf("%s: text %q lacks %q", key, f.Text, frag)
				}
			}
		})
	}
}

func TestSuperReadOnly(t *testing.T) {
	tests := []struct {
		version string
		kv      []string
		level   Level
		text    string
	}{
		{"8.0.36", []string{"super_read_only", "OFF"}, Info, "super_read_only is OFF: accounts with SUPER (CONNECTION_ADMIN) can still write despite read_only"},
		{"8.0.36", nil, Pass, "super_read_only is ON"},
		{"5.6.51-log", nil, Info, "MySQL 5.6.51 has no super_read_only (MySQL 5.7.8+)"},
		{"10.6.16-MariaDB", nil, Info, "MariaDB 10.6.16 has no super_read_only, and its read_only does not stop accounts with SUPER"},
		{"10.11.6-MariaDB", nil, Pass, "read_only stops SUPER accounts too on MariaDB 10.11+"},
	}
	for _, tc := range tests {
		src := mk("m:3306", 1, tc.version, "read_only", "OFF")
		r := mk("r:3306", 2, tc.version, tc.kv...).from("m:3306")
		fs := Evaluate(topo(Set, src, r), Options{})
		f := find(t, fs, RuleSuperReadOnly, "r:3306")
		if f.Level != tc.level || f.Text != tc.text && !strings.HasPrefix(f.Text, tc.text) {
			t.Errorf("%s %v: %s %q, want %s %q", tc.version, tc.kv, f.Level, f.Text, tc.level, tc.text)
		}
	}
}

func TestRoleOverride(t *testing.T) {
	s := mk("s:3306", 1, "8.0.36", "read_only", "OFF", "log_replica_updates", "OFF")
	tp := topo(Single, s)
	tp.Role = RoleRing
	fs := Evaluate(tp, Options{})
	if got := strings.Join(bad(fs), ","); got != "WARNING log-slave-updates@s:3306,CRITICAL auto-increment@s:3306" {
		t.Errorf("--role ring: %s", got)
	}
	if d := tp.Describe(tp.Nodes[0]); !strings.HasPrefix(d, "role ring (--role), ring member (2 masters)") {
		t.Errorf("describe %q", d)
	}
	tp.Role = RoleReplica
	if got := strings.Join(bad(Evaluate(tp, Options{})), ","); got != "WARNING read-only@s:3306" {
		t.Errorf("--role replica: %s", got)
	}
}

// TestTreeGolden draws a topology with every shape the tree knows: a ring
// of three, a relay chain, a multi-source replica, an unreachable server
// and a source outside the set.
func TestTreeGolden(t *testing.T) {
	ring := func(addr string, id int, src string) *Snapshot {
		return mk(addr, id, "8.0.36", "auto_increment_increment", "3", "auto_increment_offset", strconv.Itoa(id), "read_only", "OFF").from(src)
	}
	snaps := []*Snapshot{
		ring("a:3306", 1, "c:3306"), ring("b:3306", 2, "a:3306"), ring("c:3306", 3, "b:3306"),
		mk("ra:3306", 11, "8.0.36").from("a:3306"),
		mk("i:3306", 12, "8.0.36", "read_only", "OFF").from("a:3306"),
		mk("ri1:3306", 21, "8.0.36").from("i:3306"),
		mk("ri2:3306", 22, "8.0.36", "read_only", "OFF").from("i:3306"),
		mk("m:3306", 30, "8.0.36", "read_only", "OFF"),
		mk("multi:3306", 31, "8.0.36").from("m:3306", "c:3306"),
		mk("lost:3306", 40, "8.0.36").from("outside:3306"),
		mk("gone-child:3306", 41, "8.0.36").from("gone:3306"),
		{Addr: address.TCP("gone", 3306), Err: errors.New("connection refused")},
	}
	tp := topo(Set, snaps...)
	fs := Evaluate(tp, Options{Unreachable: Critical})
	if len(tp.Rings) != 1 || ringLink(tp.Rings[0]) != "a:3306 (server_id 1) -> b:3306 (server_id 2) -> c:3306 (server_id 3) -> a:3306 (server_id 1)" {
		t.Errorf("rings %v", tp.Rings)
	}
	clitest.Golden(t, filepath.Join("testdata", "golden", "tree.txt"), render(tp, fs))
}
