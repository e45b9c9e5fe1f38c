package configcheck

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/testkit/clitest"
)

// TestRecordedMySQLGTID replays a MySQL 8.0 ring with GTIDs: r1 holds two
// transactions written on it, which no master has; the masters' own writes
// are legitimate everywhere; single-server mode judges r1 against the
// sources it follows.
func TestRecordedMySQLGTID(t *testing.T) {
	ft := loadFixtureTopology(t, filepath.Join("testdata", "mysql-8.0-gtid"))
	tp := ft.crawl(t, topology.Set, nil, "m1", "m2", "r1", "r2")
	fs := judge.Evaluate(tp, defaults)

	f := find(t, fs, judge.RuleErrant, "r1.db:3306")
	if f.Level != judge.Critical || !strings.HasPrefix(f.Text, "gtid_executed holds 2 transactions that no server upstream "+
		"(m1.db:3306 (server_id 1), m2.db:3306 (server_id 2)) has: d3f4a0b2-1c5e-11ee-8f7a-525400a1b2c3:1-2 (written on this server itself)") ||
		!strings.Contains(f.Fix.String(), "mysqlbinlog --include-gtids='d3f4a0b2-1c5e-11ee-8f7a-525400a1b2c3:1-2'") {
		t.Errorf("r1: %s %q %q", f.Level, f.Text, f.Fix)
	}
	for _, addr := range []string{"m1.db:3306", "m2.db:3306", "r2.db:3306"} {
		if f := find(t, fs, judge.RuleErrant, addr); f.Level != judge.Pass {
			t.Errorf("%s: %s %q", addr, f.Level, f.Text)
		}
	}
	// r2 skips conflicts and filters a schema the other replicas apply.
	for rule, text := range map[string]string{
		judge.RuleExecMode:   "replica_exec_mode is IDEMPOTENT: ",
		judge.RuleSkipErrors: "replica_skip_errors is 1062,1032: the replica skips every statement that fails with error 1062 (duplicate key) or 1032 (row not found)",
		judge.RuleFilters: "it filters what it applies otherwise than the 3 other replicas (m1.db:3306 (server_id 1), m2.db:3306 (server_id 2), r1.db:3306 (server_id 21)): " +
			"here Replicate_Ignore_DB=scratch, there they filter nothing",
	} {
		var got []judge.Finding
		for _, f := range only(fs, rule, "r2.db:3306") {
			if f.Level == judge.Warning {
				got = append(got, f)
			}
		}
		if len(got) != 1 || !strings.HasPrefix(got[0].Text, text) {
			t.Errorf("r2 %s: %v, want one WARNING %q", rule, got, text)
		}
	}
	// The GTID modes of every edge work together.
	for _, addr := range []string{"m1.db:3306", "m2.db:3306", "r1.db:3306", "r2.db:3306"} {
		if f := find(t, fs, judge.RuleGTIDMode, addr); f.Level != judge.Pass || !strings.HasPrefix(f.Text, "gtid_mode ON works with its source's ON") {
			t.Errorf("%s gtid-mode: %s %q", addr, f.Level, f.Text)
		}
	}
	clitest.Golden(t, filepath.Join("testdata", "golden", "mysql-8.0-gtid-topology.txt"), output(tp, fs))

	single := ft.crawl(t, topology.Single, nil, "r1")
	sfs := judge.Evaluate(single, defaults)
	if f := find(t, sfs, judge.RuleErrant, "r1.db:3306"); f.Level != judge.Critical || !strings.Contains(f.Text, "(m1.db:3306 (server_id 1), m2.db:3306 (server_id 2))") {
		t.Errorf("single r1: %s %q", f.Level, f.Text)
	}
	clitest.Golden(t, filepath.Join("testdata", "golden", "mysql-8.0-gtid-single-r1.txt"), output(single, sfs))
}
