package judge

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/read"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/testkit/configtopo"
)

// Short names for the builders of hand-made topologies.
var (
	mk    = configtopo.Server
	from  = configtopo.From
	dumps = configtopo.Dumps
	topo  = configtopo.Build
)

// only returns the findings of one rule on the named server (by address).
func only(fs []Finding, rule, addr string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule == rule && f.Node.Addr.String() == addr {
			out = append(out, f)
		}
	}
	return out
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
	ring3 := func(kv ...string) []*topology.Snapshot {
		a := from(mk("a:3306", 1, maria, append([]string{"auto_increment_increment", "3", "auto_increment_offset", "1", "read_only", "OFF"}, kv...)...), "c:3306")
		b := from(mk("b:3306", 2, maria, "auto_increment_increment", "3", "auto_increment_offset", "2", "read_only", "OFF", "log_slave_updates", "OFF"), "a:3306")
		c := from(mk("c:3306", 3, maria, "auto_increment_increment", "3", "auto_increment_offset", "3", "read_only", "OFF"), "b:3306")
		return []*topology.Snapshot{a, b, c}
	}
	tests := []struct {
		name  string
		mode  topology.Mode
		opts  Options
		snaps []*topology.Snapshot
		want  []string // "LEVEL rule@addr" of every finding above Info
		text  map[string]string
	}{
		{
			name:  "healthy source and replica",
			mode:  topology.Set,
			snaps: []*topology.Snapshot{mk("m:3306", 1, maria, "read_only", "OFF"), from(mk("r:3306", 2, maria, "log_bin", "OFF"), "m:3306")},
		},
		{
			name:  "ring of three, one member without log_slave_updates",
			mode:  topology.Set,
			snaps: ring3(),
			want:  []string{"CRITICAL log-slave-updates@b:3306"},
			text: map[string]string{"log-slave-updates@b:3306": "log_slave_updates is OFF on a member of a ring of 3 masters: the changes it replicates from " +
				"a:3306 (server_id 1) are not written to its binary log, so its replica c:3306 (server_id 3) never receives them"},
		},
		{
			name:  "ring of three spaced for two",
			mode:  topology.Set,
			snaps: ring3("auto_increment_increment", "2"),
			want:  []string{"CRITICAL auto-increment@a:3306", "CRITICAL log-slave-updates@b:3306"},
			text:  map[string]string{"auto-increment@a:3306": "auto_increment_increment is 2 but the ring has 3 masters"},
		},
		{
			name: "ring members whose offsets collide modulo the common increment",
			mode: topology.Set,
			snaps: []*topology.Snapshot{
				from(mk("a:3306", 1, maria, "auto_increment_increment", "2", "auto_increment_offset", "1", "read_only", "OFF"), "b:3306"),
				from(mk("b:3306", 2, maria, "auto_increment_increment", "4", "auto_increment_offset", "3", "read_only", "OFF"), "a:3306"),
			},
			want: []string{"CRITICAL auto-increment-offsets@a:3306"},
			text: map[string]string{"auto-increment-offsets@a:3306": "auto_increment_offset 1 (increment 2) collides with b:3306 (server_id 2), offset 3 (increment 4)"},
		},
		{
			name: "offset beyond the increment",
			mode: topology.Set,
			snaps: []*topology.Snapshot{
				from(mk("a:3306", 1, maria, "auto_increment_increment", "2", "auto_increment_offset", "1"), "b:3306"),
				from(mk("b:3306", 2, maria, "auto_increment_increment", "2", "auto_increment_offset", "5"), "a:3306"),
			},
			want: []string{"CRITICAL auto-increment@b:3306"},
			text: map[string]string{"auto-increment@b:3306": "auto_increment_offset is 5, outside 1..2 (auto_increment_increment): the server ignores it and uses 1"},
		},
		{
			name: "ring of two with no other replica: nothing lost yet",
			mode: topology.Set,
			snaps: []*topology.Snapshot{
				from(mk("a:3306", 1, maria, "auto_increment_increment", "2", "auto_increment_offset", "1"), "b:3306"),
				from(mk("b:3306", 2, maria, "auto_increment_increment", "2", "auto_increment_offset", "2", "log_slave_updates", "OFF"), "a:3306"),
			},
			want: []string{"WARNING log-slave-updates@b:3306"},
			text: map[string]string{"log-slave-updates@b:3306": "no replica misses them today, but any replica attached later would"},
		},
		{
			name: "relay without log_replica_updates (MySQL 8.0)",
			mode: topology.Set,
			snaps: []*topology.Snapshot{
				mk("m:3306", 1, mysql80, "read_only", "OFF"),
				from(mk("i:3306", 2, mysql80, "log_replica_updates", "OFF", "log_slave_updates", "OFF"), "m:3306"),
				from(mk("r:3306", 3, mysql80), "i:3306"),
			},
			want: []string{"CRITICAL log-slave-updates@i:3306"},
			text: map[string]string{"log-slave-updates@i:3306": "log_replica_updates is OFF on a relay (a replica that has replicas): the changes it replicates from m:3306 (server_id 1) are not written to its binary log, so its replica r:3306 (server_id 3) never receives them"},
		},
		{
			name:  "source without binary log",
			mode:  topology.Set,
			snaps: []*topology.Snapshot{mk("m:3306", 1, maria, "log_bin", "OFF", "read_only", "OFF"), from(mk("r:3306", 2, maria), "m:3306")},
			want:  []string{"CRITICAL log-bin@m:3306"},
			text:  map[string]string{"log-bin@m:3306": "log_bin is OFF on a source: without a binary log it has nothing to send its replicas"},
		},
		{
			name:  "server_id 0",
			mode:  topology.Set,
			snaps: []*topology.Snapshot{mk("m:3306", 0, maria, "read_only", "OFF"), from(mk("r:3306", 2, maria), "m:3306"), mk("s:3306", 0, maria, "read_only", "OFF")},
			want:  []string{"CRITICAL server-id@m:3306", "WARNING server-id@s:3306"},
		},
		{
			name: "duplicate server_uuid",
			mode: topology.Set,
			snaps: []*topology.Snapshot{
				mk("m:3306", 1, mysql80, "read_only", "OFF", "server_uuid", "3E11FA47-71CA-11E1-9E33-C80AA9429562"),
				from(mk("r:3306", 2, mysql80, "server_uuid", "3e11fa47-71ca-11e1-9e33-c80aa9429562"), "m:3306"),
			},
			want: []string{"CRITICAL server-uuid-unique@m:3306"},
		},
		{
			name: "writable replicas and crash safety",
			mode: topology.Set,
			snaps: []*topology.Snapshot{
				mk("m:3306", 1, "5.7.44-log", "read_only", "OFF"),
				from(mk("r:3306", 2, "5.7.44-log", "read_only", "OFF", "relay_log_recovery", "OFF", "relay_log_info_repository", "FILE"), "m:3306"),
			},
			want: []string{"WARNING read-only@r:3306", "WARNING relay-log-recovery@r:3306", "WARNING relay-log-info-repository@r:3306"},
			text: map[string]string{"relay-log-recovery@r:3306": "relay_log_recovery is OFF on a replica: after a crash it resumes from a relay log that may be torn"},
		},
		{
			name: "writable relay outside any ring",
			mode: topology.Set,
			snaps: []*topology.Snapshot{
				mk("m:3306", 1, mysql80, "read_only", "OFF"),
				from(mk("i:3306", 2, mysql80, "read_only", "OFF", "super_read_only", "OFF"), "m:3306"),
				from(mk("r:3306", 3, mysql80), "i:3306"),
			},
			want: []string{"WARNING read-only@i:3306"},
			text: map[string]string{
				"read-only@i:3306": "read_only is OFF on a relay (a replica that has replicas): applications can write to it, " +
					"and what they write reaches its replicas but never its source (the relay and its replicas silently diverge from the rest of the topology)",
			},
		},
		{
			name:  "no relay_log_recovery before MySQL 5.1.46: information only",
			mode:  topology.Set,
			snaps: []*topology.Snapshot{mk("m:3306", 1, "5.0.95-log", "read_only", "OFF"), from(mk("r:3306", 2, "5.0.95-log", "relay_log_recovery", "-"), "m:3306")},
			text:  map[string]string{"relay-log-recovery@r:3306": "MySQL 5.0.95 has no relay_log_recovery"},
		},
		{
			name:  "source outside the set",
			mode:  topology.Set,
			snaps: []*topology.Snapshot{from(mk("r:3306", 2, maria), "elsewhere:3306")},
			want:  []string{"WARNING source-in-set@r:3306"},
			text:  map[string]string{"source-in-set@r:3306": "replication from elsewhere:3306: that source is not among the audited servers"},
		},
		{
			name: "source not read in single mode",
			mode: topology.Single,
			snaps: []*topology.Snapshot{
				from(mk("r:3306", 2, maria), "elsewhere:3306"),
				dumps(from(mk("i:3306", 3, maria, "log_slave_updates", "OFF", "read_only", "OFF"), "elsewhere:3306"), 1, "10.0.0.9"),
			},
			want: []string{"UNKNOWN version-order@r:3306", "UNKNOWN errant-transactions@r:3306", "UNKNOWN binlog-retention@r:3306", "CRITICAL log-slave-updates@i:3306",
				"UNKNOWN auto-increment@i:3306", "UNKNOWN read-only@i:3306", "UNKNOWN version-order@i:3306", "UNKNOWN errant-transactions@i:3306", "UNKNOWN binlog-retention@i:3306"},
			text: map[string]string{
				"version-order@r:3306":     "cannot compare versions: source elsewhere:3306 was not read",
				"log-slave-updates@i:3306": "so the replica it serves (Binlog Dump sessions from 10.0.0.9) never receives them",
				"auto-increment@i:3306":    "not judged (a member of a ring of 2 masters needs auto_increment_increment of at least 2 and an offset within it): cannot tell whether it is in a ring: its source elsewhere:3306 was not read",
			},
		},
		{
			name: "versions along the edges",
			mode: topology.Set,
			snaps: []*topology.Snapshot{
				mk("m:3306", 1, mysql80, "read_only", "OFF"),
				from(mk("old:3306", 2, "5.7.44-log"), "m:3306"),
				from(mk("patch:3306", 3, "8.0.30"), "m:3306"),
				from(mk("maria:3306", 4, maria), "m:3306"),
				mk("m57:3306", 5, "5.7.44-log", "read_only", "OFF"),
				from(mk("patch57:3306", 6, "5.7.40-log"), "m57:3306"),
			},
			want: []string{"WARNING version-order@old:3306", "WARNING version-order@patch:3306"},
			text: map[string]string{
				"version-order@old:3306": "MySQL 5.7.44 is older than its source m:3306 (server_id 1) (MySQL 8.0.36): a replica must not be older than its source",
				"version-order@patch:3306": "MySQL 8.0.30 is an older patch release than its source m:3306 (server_id 1) (MySQL 8.0.36): " +
					"from MySQL 8.0 on, replication to a replica of an older release is not supported, even within one release series",
				"version-order@patch57:3306": "MySQL 5.7.40 is an older patch release than its source m57:3306 (server_id 5) (MySQL 5.7.44)",
			},
		},
		{
			name:  "require SSL",
			mode:  topology.Set,
			opts:  Options{RequireSSL: true},
			snaps: []*topology.Snapshot{mk("m:3306", 1, mysql80, "read_only", "OFF"), from(mk("r:3306", 2, mysql80), "m:3306")},
			want:  []string{"CRITICAL replication-ssl@r:3306"},
		},
		{
			name: "durability",
			mode: topology.Set,
			opts: Options{Durability: true},
			snaps: []*topology.Snapshot{
				mk("m:3306", 1, maria, "read_only", "OFF", "sync_binlog", "0", "innodb_flush_log_at_trx_commit", "2"),
				from(mk("r:3306", 2, maria, "log_bin", "OFF", "sync_binlog", "0"), "m:3306"),
			},
			want: []string{"WARNING sync-binlog@m:3306", "WARNING flush-log-at-trx-commit@m:3306"},
		},
		{
			name: "channels unknown: rules that depend on them say so",
			mode: topology.Single,
			snaps: []*topology.Snapshot{func() *topology.Snapshot {
				s := mk("r:3306", 2, maria, "read_only", "OFF", "relay_log_recovery", "OFF", "log_bin", "OFF")
				s.ChannelsErr = errors.New("SHOW ALL SLAVES STATUS: access denied")
				return s
			}()},
			want: []string{"UNKNOWN read-only@r:3306", "UNKNOWN relay-log-recovery@r:3306", "UNKNOWN version-order@r:3306", "UNKNOWN errant-transactions@r:3306",
				"UNKNOWN binlog-retention@r:3306"},
			text: map[string]string{"read-only@r:3306": "not judged (read_only must be ON on a replica outside a ring of masters): cannot tell whether it replicates: SHOW ALL SLAVES STATUS: access denied"},
		},
		{
			name: "replicas hidden without PROCESS",
			mode: topology.Set,
			snaps: []*topology.Snapshot{func() *topology.Snapshot {
				s := mk("m:3306", 1, maria, "log_bin", "OFF", "log_slave_updates", "OFF", "read_only", "OFF")
				s.Replicas = topology.Replicas{Stmt: read.ProcesslistQuery, Processlist: true, HostsErr: errors.New("SHOW REPLICA HOSTS: access denied")}
				return s
			}()},
			want: []string{"UNKNOWN log-bin@m:3306"},
			text: map[string]string{"log-bin@m:3306": "not judged (a server with replicas, or in a ring, needs log_bin): cannot tell whether it has replicas: SHOW REPLICA HOSTS: access denied; the monitoring account lacks PROCESS: the processlist shows only its own sessions, so Binlog Dump threads may be hidden"},
		},
		{
			name:  "expectations",
			mode:  topology.Set,
			opts:  Options{Expect: []Expectation{{Name: "binlog_format", Value: "row"}, {Name: "log_replica_updates", Value: "1"}, {Name: "sync_binlog", Value: "01"}, {Name: "gtid_mode", Value: "ON"}, {Name: "innodb_flush_log_at_trx_commit", Value: "2"}}},
			snaps: []*topology.Snapshot{mk("m:3306", 1, maria, "read_only", "OFF", "binlog_format", "ROW")},
			want:  []string{"UNKNOWN expect@m:3306", "WARNING expect@m:3306"},
		},
		{
			name:  "unreachable",
			mode:  topology.Set,
			opts:  Options{Unreachable: Critical},
			snaps: []*topology.Snapshot{mk("m:3306", 1, maria, "read_only", "OFF"), {Addr: address.TCP("gone", 3306), Err: errors.New("cannot connect to gone:3306: connection refused")}},
			want:  []string{"CRITICAL reachable@gone:3306"},
			text:  map[string]string{"reachable@gone:3306": "cannot be audited: cannot connect to gone:3306: connection refused"},
		},
		{
			name: "variables unreadable",
			mode: topology.Single,
			snaps: []*topology.Snapshot{func() *topology.Snapshot {
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
		r := from(mk("r:3306", 2, tc.version, tc.kv...), "m:3306")
		fs := Evaluate(topo(topology.Set, src, r), Options{})
		f := find(t, fs, RuleSuperReadOnly, "r:3306")
		if f.Level != tc.level || f.Text != tc.text && !strings.HasPrefix(f.Text, tc.text) {
			t.Errorf("%s %v: %s %q, want %s %q", tc.version, tc.kv, f.Level, f.Text, tc.level, tc.text)
		}
	}
}

func TestRoleOverride(t *testing.T) {
	s := mk("s:3306", 1, "8.0.36", "read_only", "OFF", "log_replica_updates", "OFF")
	tp := topo(topology.Single, s)
	tp.Role = topology.RoleRing
	fs := Evaluate(tp, Options{})
	if got := strings.Join(bad(fs), ","); got != "WARNING log-slave-updates@s:3306,CRITICAL auto-increment@s:3306" {
		t.Errorf("--role ring: %s", got)
	}
	tp.Role = topology.RoleReplica
	if got := strings.Join(bad(Evaluate(tp, Options{})), ","); got != "WARNING read-only@s:3306" {
		t.Errorf("--role replica: %s", got)
	}
}
