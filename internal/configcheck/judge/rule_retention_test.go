package judge

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
)

// withBinlogs gives s the binary logs files ("name:size" each, oldest first).
func withBinlogs(s *topology.Snapshot, files ...string) *topology.Snapshot {
	s.BinlogsRead = true
	for _, f := range files {
		name, size, _ := strings.Cut(f, ":")
		var n int64
		fmt.Sscan(size, &n)
		s.Binlogs = append(s.Binlogs, topology.BinlogFile{Name: name, Size: n})
	}
	return s
}

// at sets where the replica's channel reads and applies (file), its lag
// (-1: NULL) and whether it replicates.
func at(s *topology.Snapshot, file string, lag int64, running bool) *topology.Snapshot {
	c := &s.Channels[0]
	c.SourceLogFile, c.RelaySourceLogFile = file, file
	c.Lag = replica.Lag{Seconds: lag, Known: lag >= 0}
	if !running {
		c.IO = replica.Stopped
		c.Lag = replica.Lag{}
	}
	return s
}

const gib = 1 << 30

var retentionOpts = Options{RetentionWarning: 12 * time.Hour, RetentionCritical: 2 * time.Hour}

func TestRetention(t *testing.T) {
	logs := []string{fmt.Sprintf("b.000040:%d", gib), fmt.Sprintf("b.000041:%d", gib), "b.000042:4096"}
	mysqlSrc := func(kv ...string) *topology.Snapshot {
		return withBinlogs(mk("m:3306", 1, "8.0.36", append([]string{"read_only", "OFF"}, kv...)...), logs...)
	}
	mariaSrc := func(kv ...string) *topology.Snapshot {
		s := withBinlogs(mk("m:3306", 1, "11.4.5-MariaDB", append([]string{"read_only", "OFF"}, kv...)...), logs...)
		// 3.6 GB in 24h: 41.7 KB/s on average.
		s.Status = map[string]string{"binlog_bytes_written": "3600000000", "uptime": "86400"}
		return s
	}
	for _, tc := range []struct {
		name    string
		opts    Options
		src     *topology.Snapshot
		rep     *topology.Snapshot
		level   Level
		text    string
		fix     string
		seconds float64 // the headroom carried for perfdata, -1 when none
	}{
		{"no expiry", retentionOpts, mysqlSrc("binlog_expire_logs_seconds", "0"), at(from(mk("r:3306", 2, "8.0.36"), "m:3306"), "b.000042", 0, true), Pass,
			"replication from m:3306 (server_id 1): it needs the binary log b.000042 of m:3306 (server_id 1) (the one it writes now), which keeps its binary logs until they are purged by hand", "", -1},
		{"current file, a day of expiry", retentionOpts, mysqlSrc("binlog_expire_logs_seconds", "86400"), at(from(mk("r:3306", 2, "8.0.36"), "m:3306"), "b.000042", 0, true), Pass,
			"replication from m:3306 (server_id 1) can stay disconnected at least 1d more: it needs the binary log b.000042 of m:3306 (server_id 1) (the one it writes now), which it deletes 1d after it is rotated (binlog_expire_logs_seconds 86400)", "", 86400},
		{"a day of expiry, warning at two", Options{RetentionWarning: 48 * time.Hour, RetentionCritical: 2 * time.Hour}, mysqlSrc("binlog_expire_logs_seconds", "86400"),
			at(from(mk("r:3306", 2, "8.0.36"), "m:3306"), "b.000042", 0, true), Warning, "can stay disconnected at least 1d more: it needs the binary log b.000042 of m:3306 (server_id 1) (the one it writes now), which it deletes 1d after it is rotated (binlog_expire_logs_seconds 86400), below --retention-warning 2d: an outage longer than that ends in error 1236 and a rebuild",
			"fix: on m:3306: binlog_expire_logs_seconds = 172800 in [mysqld] of its my.cnf (SET GLOBAL binlog_expire_logs_seconds = 172800 applies it now); and watch the disk space the longer retention takes", 86400},
		{"lagging twenty hours behind a day", retentionOpts, mysqlSrc("binlog_expire_logs_seconds", "0", "expire_logs_days", "1"), at(from(mk("r:3306", 2, "5.7.44-log"), "m:3306"), "b.000041", 72000, true), Warning,
			"can stay disconnected at least 4h more: it needs the binary log b.000041 of m:3306 (server_id 1) (1 files and 4.0 KiB behind the one it writes now), written at most 20h ago (the replica's lag), deleted 1d after it is rotated (expire_logs_days 1)", "", 4 * 3600},
		{"lagging beyond the critical", Options{RetentionWarning: 12 * time.Hour, RetentionCritical: 6 * time.Hour}, mysqlSrc("binlog_expire_logs_seconds", "86400"),
			at(from(mk("r:3306", 2, "8.0.36"), "m:3306"), "b.000041", 72000, true), Critical, "below --retention-critical 6h", "", 4 * 3600},
		{"needs a purged binary log", retentionOpts, mysqlSrc(), at(from(mk("r:3306", 2, "8.0.36"), "m:3306"), "b.000031", 0, false), Critical,
			"replication from m:3306 (server_id 1) needs the binary log b.000031, which m:3306 no longer has (its oldest is b.000040): replication stops with error 1236 when it reconnects, and the replica must be rebuilt",
			"fix: rebuild this replica from a fresh copy of m:3306", -1},
		{"after a RESET MASTER", retentionOpts, mysqlSrc(), at(from(mk("r:3306", 2, "8.0.36"), "m:3306"), "b.000077", 0, true), Critical,
			"needs the binary log b.000077, which is not among the binary logs of m:3306 (b.000040 to b.000042): they were reset, or this is another server", "", -1},
		{"auto-positioning, purged transactions missing", retentionOpts,
			mysqlSrc("gtid_mode", "ON", "gtid_purged", uuidM1+":1-500"), func() *topology.Snapshot {
				s := at(from(mk("r:3306", 2, "8.0.36", "gtid_mode", "ON", "gtid_executed", uuidM1+":1-450"), "m:3306"), "b.000042", 0, false)
				s.Channels[0].Raw = map[string]string{"Auto_Position": "1"}
				return s
			}(), Critical, "m:3306 has purged transactions this replica has not received (" + uuidM1 + ":451-500): with auto-positioning it asks for them when it reconnects", "", -1},
		{"disconnected, age estimated from the write rate", retentionOpts, mariaSrc("binlog_expire_logs_seconds", "86400"),
			at(from(mk("r:3306", 2, "11.4.5-MariaDB"), "m:3306"), "b.000040", 0, false), Pass,
			"can stay disconnected about 16h51m more: it needs the binary log b.000040 of m:3306 (server_id 1) (2 files and 1.0 GiB behind the one it writes now), rotated about 7h9m ago at the source's average binary log rate (40.7 KiB/s since it started), deleted 1d after it is rotated (binlog_expire_logs_seconds 86400)", "", 60630},
		{"size cap", retentionOpts, mariaSrc("max_binlog_total_size", fmt.Sprint(3*gib)), at(from(mk("r:3306", 2, "11.4.5-MariaDB"), "m:3306"), "b.000040", 0, false), Warning,
			"can stay disconnected about 7h9m more: it needs the binary log b.000040 of m:3306 (server_id 1) (2 files and 1.0 GiB behind the one it writes now), purged after 1.0 GiB more binary log (max_binlog_total_size 3.0 GiB, 2.0 GiB kept from it on), about 7h9m at the source's average rate of 40.7 KiB/s, below --retention-warning 12h",
			"fix: raise the size cap on m:3306 (max_binlog_total_size) to hold 12h of binary logs; reconnect the replica (START SLAVE) before then", 25770},
		{"past the size cap", retentionOpts, mariaSrc("max_binlog_total_size", fmt.Sprint(2*gib)), at(from(mk("r:3306", 2, "11.4.5-MariaDB"), "m:3306"), "b.000040", 0, false), Critical,
			"can stay disconnected no longer: it needs the binary log b.000040 of m:3306 (server_id 1) (2 files and 1.0 GiB behind the one it writes now), past the size cap already (max_binlog_total_size 2.0 GiB, 2.0 GiB kept from it on): purged at the next rotation once nothing reads it, below --retention-critical 2h", "", 0},
		{"purges pause while too few replicas are connected", retentionOpts, mariaSrc("max_binlog_total_size", fmt.Sprint(3*gib), "slave_connections_needed_for_purge", "1"),
			at(from(mk("r:3306", 2, "11.4.5-MariaDB"), "m:3306"), "b.000040", 0, false), Pass,
			"which purges none while fewer than 1 replicas are connected (slave_connections_needed_for_purge): with this one away it keeps them", "", -1},
		{"disconnected, age unknown", retentionOpts, mysqlSrc("binlog_expire_logs_seconds", "86400"), at(from(mk("r:3306", 2, "8.0.36"), "m:3306"), "b.000041", 0, false), Unknown,
			"not judged: replication from m:3306 (server_id 1): it needs the binary log b.000041 of m:3306 (server_id 1) (1 files and 4.0 KiB behind the one it writes now), deleted 1d after it is rotated (binlog_expire_logs_seconds 86400), and how long ago that was cannot be read", "fix: reconnect the replica (START SLAVE)", -1},
		{"binary logs refused", retentionOpts, func() *topology.Snapshot {
			s := mysqlSrc()
			s.Binlogs, s.BinlogsErr = nil, fmt.Errorf("SHOW BINARY LOGS: %w", query.Explain(&query.ServerError{Number: 1227, Message: "Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT privilege(s) for this operation"}))
			return s
		}(), at(from(mk("r:3306", 2, "8.0.36"), "m:3306"), "b.000042", 0, true), Unknown,
			"not judged (a replica needs the binary logs of its source from where it stopped): the binary logs of m:3306 (server_id 1) could not be listed: SHOW BINARY LOGS: access denied (error 1227)",
			"fix: GRANT REPLICATION CLIENT ON *.* TO the monitoring account on m:3306", -1},
		{"binary logs stalled", retentionOpts, func() *topology.Snapshot {
			s := mysqlSrc()
			s.Binlogs, s.BinlogsErr = nil, errors.New("SHOW BINARY LOGS did not answer within 2s (it waits for the binary log's lock, which a busy server can hold for long)")
			return s
		}(), at(from(mk("r:3306", 2, "8.0.36"), "m:3306"), "b.000042", 0, true), Unknown, "could not be listed: SHOW BINARY LOGS did not answer within 2s", "", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := Evaluate(topo(topology.Set, tc.src, tc.rep), tc.opts)
			f := find(t, fs, RuleRetention, "r:3306")
			if f.Level != tc.level || !strings.Contains(f.Text, tc.text) || !strings.Contains(f.Fix.String(), tc.fix) {
				t.Errorf("%s %q\n%q\nwant %s %q\n%q", f.Level, f.Text, f.Fix, tc.level, tc.text, tc.fix)
			}
			switch {
			case tc.seconds < 0 && f.Headroom != nil:
				t.Errorf("headroom %v, want none", f.Headroom.Left)
			case tc.seconds >= 0 && (f.Headroom == nil || f.Headroom.Left.Seconds() < tc.seconds-1 || f.Headroom.Left.Seconds() > tc.seconds+1):
				t.Errorf("headroom %+v, want %vs", f.Headroom, tc.seconds)
			}
		})
	}
}
