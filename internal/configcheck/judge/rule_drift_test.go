package judge

import (
	"errors"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

// TestSettingsThatHideDrift: the settings that skip conflicts, binary log
// formats, replication filters and MySQL GTID modes, each judged with its
// value, why it matters and the fix.
func TestSettingsThatHideDrift(t *testing.T) {
	const maria, mysql80 = "10.11.6-MariaDB", "8.0.36"
	withFilter := func(s *topology.Snapshot, col, v string) *topology.Snapshot {
		for i := range s.Channels {
			if s.Channels[i].Raw == nil {
				s.Channels[i].Raw = map[string]string{}
			}
			s.Channels[i].Raw[col] = v
		}
		return s
	}
	logFilter := func(s *topology.Snapshot, do, ignore string) *topology.Snapshot {
		s.BinlogsRead = true
		s.Binlog = topology.BinlogStatus{File: "b.000001", Pos: 4, DoDB: do, IgnoreDB: ignore}
		return s
	}
	tests := []struct {
		name  string
		snaps []*topology.Snapshot
		want  []string          // "LEVEL rule@addr" of every finding above Info
		text  map[string]string // fragment of the text, by rule@addr
		fix   map[string]string // fragment of the fix, by rule@addr
		pass  map[string]string // a Pass text, by rule@addr
	}{
		{
			name: "conflicts skipped on a replica",
			snaps: []*topology.Snapshot{mk("m:3306", 1, maria, "read_only", "OFF"),
				from(mk("r:3306", 2, maria, "slave_exec_mode", "IDEMPOTENT", "slave_skip_errors", "1062,1032,9999", "sql_slave_skip_counter", "3"), "m:3306")},
			want: []string{"WARNING exec-mode@r:3306", "WARNING skip-errors@r:3306", "WARNING skip-counter@r:3306"},
			text: map[string]string{
				"exec-mode@r:3306":    "slave_exec_mode is IDEMPOTENT: the replica silently skips the duplicate-key and row-not-found errors a conflict raises",
				"skip-errors@r:3306":  "slave_skip_errors is 1062,1032,9999: the replica skips every statement that fails with error 1062 (duplicate key) or 1032 (row not found) or 9999 and goes on",
				"skip-counter@r:3306": "global sql_slave_skip_counter is 3: the next events the applier reads are thrown away unapplied",
			},
			fix: map[string]string{
				"exec-mode@r:3306":    "fix: slave_exec_mode = STRICT in [mysqld] of my.cnf; SET GLOBAL slave_exec_mode = 'STRICT' applies it without a restart",
				"skip-errors@r:3306":  "fix: remove slave_skip_errors from [mysqld] of my.cnf, then restart (it is not dynamic)",
				"skip-counter@r:3306": "fix: SET GLOBAL sql_slave_skip_counter = 0; with replication stopped",
			},
		},
		{
			name: "skip everything, MySQL 8.0 names, a channel's skip counter",
			snaps: []*topology.Snapshot{mk("m:3306", 1, mysql80, "read_only", "OFF"),
				withFilter(from(mk("r:3306", 2, mysql80, "replica_skip_errors", "all", "sql_replica_skip_counter", "0"), "m:3306"), "Skip_Counter", "1")},
			want: []string{"WARNING skip-errors@r:3306", "WARNING skip-counter@r:3306"},
			text: map[string]string{
				"skip-errors@r:3306":  "replica_skip_errors is all: the replica skips every statement that fails with any error",
				"skip-counter@r:3306": "Skip_Counter of replication from m:3306 (server_id 1) is 1",
			},
		},
		{
			name:  "strict replicas pass",
			snaps: []*topology.Snapshot{mk("m:3306", 1, maria, "read_only", "OFF"), from(mk("r:3306", 2, maria, "slave_exec_mode", "STRICT", "slave_skip_errors", "OFF", "sql_slave_skip_counter", "0"), "m:3306")},
			pass:  map[string]string{"exec-mode@r:3306": "slave_exec_mode is STRICT", "skip-errors@r:3306": "slave_skip_errors is OFF", "skip-counter@r:3306": "sql_slave_skip_counter is 0"},
		},
		{
			name: "statements on a relay",
			snaps: []*topology.Snapshot{mk("m:3306", 1, mysql80, "read_only", "OFF"),
				from(mk("i:3306", 2, mysql80, "binlog_format", "STATEMENT"), "m:3306"), from(mk("r:3306", 3, mysql80, "binlog_format", "STATEMENT"), "i:3306")},
			want: []string{"WARNING binlog-format@i:3306"},
			text: map[string]string{"binlog-format@i:3306": "binlog_format is STATEMENT on a relay (a replica that has replicas): the row events its source sends cannot be logged as statements (MySQL stops replication with error 1666)"},
			fix:  map[string]string{"binlog-format@i:3306": "fix: binlog_format = ROW in [mysqld] of my.cnf"},
		},
		{
			name: "a ring logging two formats",
			snaps: []*topology.Snapshot{
				from(mk("a:3306", 1, maria, "binlog_format", "ROW", "auto_increment_increment", "2", "auto_increment_offset", "1"), "b:3306"),
				from(mk("b:3306", 2, maria, "binlog_format", "MIXED", "auto_increment_increment", "2", "auto_increment_offset", "2"), "a:3306")},
			want: []string{"WARNING binlog-format@a:3306"},
			text: map[string]string{"binlog-format@a:3306": "the members of its ring log in different formats (a:3306 (server_id 1) logs ROW, b:3306 (server_id 2) logs MIXED)"},
			pass: map[string]string{"binlog-format@b:3306": "binlog_format is MIXED"},
		},
		{
			name: "one replica filters what the others apply",
			snaps: []*topology.Snapshot{mk("m:3306", 1, maria, "read_only", "OFF"),
				from(mk("r1:3306", 11, maria), "m:3306"), from(mk("r2:3306", 12, maria), "m:3306"),
				withFilter(from(mk("r3:3306", 13, maria), "m:3306"), "Replicate_Wild_Ignore_Table", "scratch.%")},
			want: []string{"WARNING replication-filters@r3:3306"},
			text: map[string]string{"replication-filters@r3:3306": "it filters what it applies otherwise than the 2 other replicas (r1:3306 (server_id 11), r2:3306 (server_id 12)): " +
				"here Replicate_Wild_Ignore_Table=scratch.%, there they filter nothing; it silently holds other data than they do"},
			pass: map[string]string{"replication-filters@r1:3306": "it and 1 other replicas filter nothing"},
		},
		{
			name: "one master leaves a schema out of its binary log",
			snaps: []*topology.Snapshot{
				logFilter(from(mk("a:3306", 1, maria, "auto_increment_increment", "2", "auto_increment_offset", "1"), "b:3306"), "", ""),
				logFilter(from(mk("b:3306", 2, maria, "auto_increment_increment", "2", "auto_increment_offset", "2"), "a:3306"), "", "scratch"),
				logFilter(from(mk("r:3306", 3, maria), "a:3306"), "", "")},
			want: []string{"WARNING replication-filters@b:3306"},
			text: map[string]string{"replication-filters@b:3306": "it filters what it logs otherwise than the 2 other servers with a binary log (a:3306 (server_id 1), r:3306 (server_id 3)): here Binlog_Ignore_DB=scratch, there they filter nothing"},
			fix:  map[string]string{"replication-filters@b:3306": "binlog_do_db and binlog_ignore_db in [mysqld] of my.cnf"},
		},
		{
			name: "binary log status refused",
			snaps: []*topology.Snapshot{func() *topology.Snapshot {
				s := logFilter(mk("m:3306", 1, maria, "read_only", "OFF"), "", "")
				s.BinlogErr = errors.New("SHOW BINLOG STATUS: boom")
				return s
			}(), logFilter(from(mk("r:3306", 2, maria), "m:3306"), "", "")},
			want: []string{"UNKNOWN replication-filters@m:3306"},
			text: map[string]string{"replication-filters@m:3306": "not judged (the servers of one topology filter their binary logs alike): SHOW BINLOG STATUS: boom"},
		},
		{
			name: "MySQL GTID modes along the edges",
			snaps: []*topology.Snapshot{
				mk("on:3306", 1, mysql80, "read_only", "OFF", "gtid_mode", "ON", "enforce_gtid_consistency", "ON"),
				mk("offp:3306", 2, mysql80, "read_only", "OFF", "gtid_mode", "OFF_PERMISSIVE", "enforce_gtid_consistency", "OFF"),
				mk("onp:3306", 3, mysql80, "read_only", "OFF", "gtid_mode", "ON_PERMISSIVE", "enforce_gtid_consistency", "WARN"),
				from(mk("off:3306", 11, mysql80, "gtid_mode", "OFF"), "on:3306"),
				from(mk("on2:3306", 12, mysql80, "gtid_mode", "ON", "enforce_gtid_consistency", "ON"), "offp:3306"),
				func() *topology.Snapshot {
					s := from(mk("auto:3306", 13, mysql80, "gtid_mode", "ON_PERMISSIVE", "enforce_gtid_consistency", "ON"), "onp:3306")
					s.Channels[0].Raw = map[string]string{"Auto_Position": "1"}
					return s
				}(),
				from(mk("enf:3306", 14, mysql80, "gtid_mode", "ON_PERMISSIVE", "enforce_gtid_consistency", "ON"), "onp:3306"),
				from(mk("fine:3306", 15, mysql80, "gtid_mode", "ON", "enforce_gtid_consistency", "ON"), "on:3306"),
			},
			want: []string{"CRITICAL gtid-mode@off:3306", "CRITICAL gtid-mode@on2:3306", "CRITICAL gtid-mode@auto:3306", "WARNING gtid-mode@enf:3306"},
			text: map[string]string{
				"gtid-mode@off:3306":  "gtid_mode is OFF here and ON on its source on:3306 (server_id 1): the source writes GTID transactions, which a replica with OFF cannot apply",
				"gtid-mode@on2:3306":  "gtid_mode is ON here and OFF_PERMISSIVE on its source offp:3306 (server_id 2): the source writes anonymous transactions",
				"gtid-mode@auto:3306": "replication from onp:3306 (server_id 3) uses auto-positioning, which needs gtid_mode ON on the source, and onp:3306 (server_id 3) has ON_PERMISSIVE",
				"gtid-mode@enf:3306":  "enforce_gtid_consistency is ON here and WARN on its source onp:3306 (server_id 3)",
			},
			pass: map[string]string{"gtid-mode@fine:3306": "gtid_mode ON works with its source's ON (on:3306 (server_id 1))"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := Evaluate(topo(topology.Set, tc.snaps...), Options{})
			var got []string
			for _, b := range bad(fs) {
				for _, r := range []string{RuleExecMode, RuleSkipErrors, RuleSkipCounter, RuleBinlogFormat, RuleFilters, RuleGTIDMode} {
					if strings.Contains(b, " "+r+"@") {
						got = append(got, b)
					}
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s\nall: %v", strings.Join(got, "\n"), strings.Join(tc.want, "\n"), bad(fs))
			}
			// pick returns the one finding of rule@key that is (not) a pass.
			pick := func(key string, pass bool) Finding {
				rule, addr, _ := strings.Cut(key, "@")
				var out []Finding
				for _, f := range only(fs, rule, addr) {
					if (f.Level == Pass) == pass {
						out = append(out, f)
					}
				}
				if len(out) != 1 {
					t.Fatalf("%s: %d findings (pass %v), want 1: %v", key, len(out), pass, only(fs, rule, addr))
				}
				return out[0]
			}
			for key, frag := range tc.text {
				if f := pick(key, false); !strings.Contains(f.Text, frag) {
					t.Errorf("%s: text %q lacks %q", key, f.Text, frag)
				}
			}
			for key, frag := range tc.fix {
				if f := pick(key, false); !strings.Contains(f.Fix.String(), frag) {
					t.Errorf("%s: fix %q lacks %q", key, f.Fix, frag)
				}
			}
			for key, frag := range tc.pass {
				if f := pick(key, true); !strings.Contains(f.Text, frag) {
					t.Errorf("%s: pass %q lacks %q", key, f.Text, frag)
				}
			}
		})
	}
}
