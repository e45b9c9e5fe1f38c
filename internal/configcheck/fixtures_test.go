package configcheck

import (
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/read"
	"github.com/replmon/replmon/internal/configcheck/render"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/clitest"
)

// versionCase is what the recorded m1 <-> m2 ring (m2 without
// log_slave_updates) and its writable replica r1 must yield on one version.
type versionCase struct {
	dir        string
	lsuVar     string   // the name log_slave_updates has there
	m2Queries  []string // statements sent to m2 after the variables
	r1Extra    []string // rules r1 breaks besides read-only
	superRO    bool     // the server has super_read_only
	registered bool     // replicas are listed by a hosts statement (else the processlist)
}

var versionCases = []versionCase{
	{dir: "mysql-5.1", lsuVar: "log_slave_updates",
		m2Queries: []string{"SHOW SLAVE STATUS", "SHOW PROCESSLIST", "SHOW MASTER STATUS", "SHOW BINARY LOGS"}},
	{dir: "mysql-5.7", lsuVar: "log_slave_updates", superRO: true, registered: true,
		m2Queries: []string{"SHOW SLAVE STATUS", "SHOW SLAVE HOSTS", "SHOW MASTER STATUS", "SHOW BINARY LOGS"}, r1Extra: []string{judge.RuleRelayLogInfoRepo}},
	{dir: "mysql-8.0", lsuVar: "log_replica_updates", superRO: true,
		m2Queries: []string{"SHOW REPLICA STATUS", "SHOW REPLICAS", "SHOW PROCESSLIST", "SHOW MASTER STATUS", "SHOW BINARY LOGS"}},
	{dir: "mysql-8.4", lsuVar: "log_replica_updates", superRO: true, registered: true,
		m2Queries: []string{"SHOW REPLICA STATUS", "SHOW REPLICAS", "SHOW BINARY LOG STATUS", "SHOW BINARY LOGS"}},
	{dir: "mariadb-10.11", lsuVar: "log_slave_updates",
		m2Queries: []string{"SHOW ALL SLAVES STATUS", "SHOW REPLICA HOSTS", "SHOW PROCESSLIST", "SHOW BINLOG STATUS", read.StatusQuery, "SHOW BINARY LOGS", read.BinlogStartQuery("mysqld-bin.000001")}},
	{dir: "mariadb-10.11-root", lsuVar: "log_slave_updates", registered: true,
		m2Queries: []string{"SHOW ALL SLAVES STATUS", "SHOW REPLICA HOSTS", "SHOW BINLOG STATUS", read.StatusQuery, "SHOW BINARY LOGS", read.BinlogStartQuery("mysqld-bin.000001")}},
}

// output returns the complete plugin output of an audit.
func output(t *topology.Topology, fs []judge.Finding) string {
	r := plugin.NewReport(io.Discard, 0)
	render.Render(r, t, fs)
	return r.Render("REPL_CONFIG")
}

// only returns the findings of one rule on the named server (by address).
func only(fs []judge.Finding, rule, addr string) []judge.Finding {
	var out []judge.Finding
	for _, f := range fs {
		if f.Rule == rule && f.Node.Addr.String() == addr {
			out = append(out, f)
		}
	}
	return out
}

// find returns the one finding of a rule on the named server.
func find(t *testing.T, fs []judge.Finding, rule, addr string) judge.Finding {
	t.Helper()
	got := only(fs, rule, addr)
	if len(got) != 1 {
		t.Fatalf("%d findings of %s on %s, want 1: %v", len(got), rule, addr, fs)
	}
	return got[0]
}

func TestRecordedVersions(t *testing.T) {
	for _, vc := range versionCases {
		t.Run(vc.dir, func(t *testing.T) {
			ft := loadFixtureTopology(t, filepath.Join("testdata", vc.dir))
			m2, r1 := ft.server(t, "m2"), ft.server(t, "r1")

			topo := ft.crawl(t, topology.Set, nil, "m1", "m2", "r1")
			fs := judge.Evaluate(topo, defaults)

			if got := topo.Facts(topo.Nodes[1]); got.Ring != topology.Yes || got.RingSize != 2 {
				t.Errorf("m2 facts %+v, want a ring of 2", got)
			}
			lsu := only(fs, judge.RuleLogSlaveUpdates, m2.Addr)
			if len(lsu) != 1 || lsu[0].Level != judge.Critical {
				t.Fatalf("m2 log-slave-updates findings %+v, want one CRITICAL", lsu)
			}
			f := lsu[0]
			if !strings.HasPrefix(f.Text, vc.lsuVar+" is OFF on a member of a ring of 2 masters") ||
				!strings.Contains(f.Text, "from "+ft.server(t, "m1").Addr) || !strings.Contains(f.Text, r1.Addr+" (server_id 21) never receives them") {
				t.Errorf("m2 finding text %q", f.Text)
			}
			if f.Fix.Cnf != vc.lsuVar+" = ON" || !f.Fix.Restart {
				t.Errorf("m2 fix %+v, want %s = ON with a restart", f.Fix, vc.lsuVar)
			}
			if ro := only(fs, judge.RuleReadOnly, r1.Addr); len(ro) != 1 || ro[0].Level != judge.Warning {
				t.Errorf("r1 read-only findings %+v, want one WARNING", ro)
			}
			var bad []string
			for _, f := range fs {
				if f.Level > judge.Info && f.Node.Addr.String() == r1.Addr && f.Rule != judge.RuleReadOnly {
					bad = append(bad, f.Rule)
				}
			}
			if !reflect.DeepEqual(bad, vc.r1Extra) {
				t.Errorf("r1 also breaks %v, want %v", bad, vc.r1Extra)
			}
			for _, f := range fs {
				if f.Level > judge.Info && f.Node.Addr.String() != r1.Addr && f.Node.Addr.String() != m2.Addr {
					t.Errorf("unexpected finding on %s: %s", f.Node.Addr, f)
				}
			}
			sent := ft.queries(m2.Addr)
			want := append([]string{server.DetectQuery, read.VariablesQuery(read.VariableNames(nil))}, vc.m2Queries...)
			if !reflect.DeepEqual(sent, want) {
				t.Errorf("statements sent to m2:\n%q\nwant\n%q", sent, want)
			}
			if got := topo.Nodes[1].Replicas.Processlist; got == vc.registered {
				t.Errorf("m2 replicas read from the processlist: %v, want %v", got, !vc.registered)
			}
			clitest.Golden(t, filepath.Join("testdata", "golden", vc.dir+"-topology.txt"), output(topo, fs))

			single := ft.crawl(t, topology.Single, nil, "m2")
			sfs := judge.Evaluate(single, defaults)
			if c := render.Count(single, sfs); c.Servers != 1 || c.Critical != 1 || c.Warning != 0 {
				t.Errorf("single m2: %+v, want 1 server, 1 critical", c)
			}
			if lsu := only(sfs, judge.RuleLogSlaveUpdates, m2.Addr); len(lsu) != 1 || !strings.Contains(lsu[0].Text, "never receive") {
				t.Errorf("single m2 log-slave-updates: %+v", lsu)
			}
			clitest.Golden(t, filepath.Join("testdata", "golden", vc.dir+"-single-m2.txt"), output(single, sfs))

			r1single := ft.crawl(t, topology.Single, nil, "r1")
			rfs := judge.Evaluate(r1single, defaults)
			if ro := only(rfs, judge.RuleReadOnly, r1.Addr); len(ro) != 1 || ro[0].Level != judge.Warning {
				t.Errorf("single r1 read-only: %+v", ro)
			}
			if len(r1single.Nodes) != 3 {
				t.Errorf("single r1 read %d servers, want r1 and every server upstream (m2, m1)", len(r1single.Nodes))
			}
		})
	}
}
