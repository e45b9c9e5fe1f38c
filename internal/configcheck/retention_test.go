package configcheck

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/testkit/clitest"
)

// defaults are the judgement options of a run without flags.
var defaults = judge.Options{Unreachable: judge.Critical, Incomplete: judge.Warning, RetentionWarning: 12 * time.Hour, RetentionCritical: 2 * time.Hour}

// TestRecordedRetention replays how long replicas can stay disconnected:
// MySQL 8.0 (r2 stopped at a binary log m2 purged; r1 reading m1's current
// one, which m1 keeps a day after rotation) and MariaDB 11.4 (a source with
// its binary logs capped at 2 GiB: r2 stopped three files behind, r1
// connected, whose absence would pause purges).
func TestRecordedRetention(t *testing.T) {
	ft := loadFixtureTopology(t, filepath.Join("testdata", "mysql-8.0-gtid"))
	tp := ft.crawl(t, topology.Set, nil, "m1", "m2", "r1", "r2")
	fs := judge.Evaluate(tp, defaults)
	for _, c := range []struct {
		addr  string
		level judge.Level
		text  string
	}{
		{"r2.db:3306", judge.Critical, "replication from m2.db:3306 (server_id 2) needs the binary log mysql-bin.000031, which m2.db:3306 no longer has (its oldest is mysql-bin.000040): " +
			"replication stops with error 1236 when it reconnects, and the replica must be rebuilt"},
		{"r1.db:3306", judge.Pass, "replication from m1.db:3306 (server_id 1) can stay disconnected at least 1d more: it needs the binary log mysql-bin.000042 of m1.db:3306 (server_id 1) (the one it writes now), " +
			"which it deletes 1d after it is rotated (binlog_expire_logs_seconds 86400)"},
		{"m2.db:3306", judge.Pass, "replication from m1.db:3306 (server_id 1) can stay disconnected at least 1d more"},
		{"m1.db:3306", judge.Pass, "replication from m2.db:3306 (server_id 2) can stay disconnected at least 7d more"},
	} {
		if f := find(t, fs, judge.RuleRetention, c.addr); f.Level != c.level || !strings.HasPrefix(f.Text, c.text) {
			t.Errorf("%s: %s %q, want %s %q", c.addr, f.Level, f.Text, c.level, c.text)
		}
	}
	warn := defaults
	warn.RetentionWarning = 48 * time.Hour
	if f := find(t, judge.Evaluate(tp, warn), judge.RuleRetention, "r1.db:3306"); f.Level != judge.Warning || !strings.Contains(f.Text, "below --retention-warning 2d") {
		t.Errorf("r1 with --retention-warning 2d: %s %q", f.Level, f.Text)
	}

	ft = loadFixtureTopology(t, filepath.Join("testdata", "mariadb-11.4"))
	tp = ft.crawl(t, topology.Set, nil, "m1", "r1", "r2")
	fs = judge.Evaluate(tp, defaults)
	f := find(t, fs, judge.RuleRetention, "10.0.3.22:3306")
	if f.Level != judge.Warning || !strings.HasPrefix(f.Text, "replication from 10.0.3.1:3306 (server_id 1) can stay disconnected about 10h2m more: "+
		"it needs the binary log mysqld-bin.000007 of 10.0.3.1:3306 (server_id 1) (2 files and 356.0 MiB behind the one it writes now), "+
		"purged after 1.4 GiB more binary log (max_binlog_total_size 2.0 GiB, 612.0 MiB kept from it on), about 10h2m at the source's average rate of 40.7 KiB/s, below --retention-warning 12h") {
		t.Errorf("r2: %s %q", f.Level, f.Text)
	}
	if f := find(t, fs, judge.RuleRetention, "10.0.3.21:3306"); f.Level != judge.Pass ||
		!strings.HasSuffix(f.Text, "which purges none while fewer than 1 replicas are connected (slave_connections_needed_for_purge): with this one away it keeps them") {
		t.Errorf("r1: %s %q", f.Level, f.Text)
	}
	clitest.Golden(t, filepath.Join("testdata", "golden", "mariadb-11.4-topology.txt"), output(tp, fs))
}
