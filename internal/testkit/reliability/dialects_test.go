package reliability

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/fakeserver"
	"github.com/replmon/replmon/internal/testkit/fixture"
	"github.com/replmon/replmon/internal/testkit/recorded"
)

// Credentials of the fake servers.
const (
	fakeUser     = "monitor"
	fakePassword = "fake-Pw-7731"
)

// fakeArgs points a plugin at a fake server with its credentials.
func fakeArgs(s *fakeserver.Server) []string {
	return []string{"--no-defaults", "-H", "127.0.0.1", "-P", strconv.Itoa(s.Port()), "-u", fakeUser, "-p", fakePassword}
}

// perfLabels returns the perfdata labels of a summary line, in order.
func perfLabels(summary string) []string {
	_, perf, ok := strings.Cut(summary, " | ")
	if !ok {
		return nil
	}
	var labels []string
	for _, p := range strings.Fields(perf) {
		labels = append(labels, strings.SplitN(p, "=", 2)[0])
	}
	return labels
}

// TestIODialects runs the built check_repl_io over the wire against a fake
// server replaying each recorded replica status result set: the server
// announces the recorded version, the plugin must send the statement of
// that version (falling back only after a syntax error), judge every
// channel, and print exactly what the golden file of the in-process test
// holds.
func TestIODialects(t *testing.T) {
	root := clitest.Root(t)
	fixtures, err := fixture.LoadDir(filepath.Join(root, "testdata", "replica_status"))
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string][]string{} // healthy single default channel: fixture -> labels
	for _, fx := range fixtures {
		t.Run(fx.Name(), func(t *testing.T) {
			s := fakeserver.StartT(t, fakeserver.FromFixture(fx, fakeUser, fakePassword))
			res := pIO.run(t, nil, fakeArgs(s)...)
			code := verdict(t, pIO, res, fakePassword)

			golden, err := os.ReadFile(filepath.Join(root, "internal", "iocheck", "testdata", "golden", fx.Name()+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			if res.Stdout != string(golden) {
				t.Errorf("stdout differs from the golden file\n--- want\n%s--- got\n%s", golden, res.Stdout)
			}
			if want := codes[strings.Fields(string(golden))[1]]; code != want {
				t.Errorf("exit %d, want %d", code, want)
			}

			// The right statement, chosen from the announced version, then
			// only the further read-only statements the fixture answers.
			want := []string{server.DetectQuery, fx.Identity.ReplicaStatusQuery()}
			if want[1] != fx.Statement {
				want = append(want, fx.Identity.FallbackReplicaStatusQuery())
			}
			if want[len(want)-1] != fx.Statement {
				t.Errorf("the version's statements %q do not end with the recorded %q", want, fx.Statement)
			}
			want = append(want, fx.AnswerStatements()...)
			if got := s.Queries(); !reflect.DeepEqual(got, want) {
				t.Errorf("statements sent %q, want %q", got, want)
			}
			for _, q := range fx.AnswerStatements() {
				if !readStatement.MatchString(q) || writeWords.MatchString(q) {
					t.Errorf("further statement %q is not a read-only SELECT or SHOW", q)
				}
			}
			for _, e := range fx.Errors {
				if e.Number == 1064 && e.Statement != fx.Statement && contains(s.Queries(), e.Statement) {
					t.Errorf("%s was sent although this version rejects it", e.Statement)
				}
			}

			// Every channel judged: one long-output line per row.
			long := strings.Split(strings.TrimSuffix(res.Stdout, "\n"), "\n")[1:]
			if len(fx.Rows) > 0 && len(long) != len(fx.Rows) {
				t.Errorf("%d long-output lines for %d channels:\n%s", len(long), len(fx.Rows), res.Stdout)
			}
			for i, name := range channelNames(fx) {
				words := "default channel"
				if name != "" {
					words = "channel '" + name + "'"
				}
				if i < len(long) && !strings.Contains(long[i], " "+words+" ") {
					t.Errorf("long line %d %q does not judge the %s", i+1, long[i], words)
				}
			}
			if len(fx.Rows) == 1 && code == 0 && channelNames(fx)[0] == "" {
				labels[fx.Name()] = perfLabels(res.Summary())
			}
		})
	}

	// The explicit dialects of the issue.
	for name, stmt := range map[string]string{
		"mysql-5.0": "SHOW SLAVE STATUS", "mysql-5.1": "SHOW SLAVE STATUS", "mysql-5.5": "SHOW SLAVE STATUS",
		"mysql-5.6": "SHOW SLAVE STATUS", "mysql-5.7": "SHOW SLAVE STATUS", "mysql-8.0.22": "SHOW REPLICA STATUS",
		"mysql-8.4": "SHOW REPLICA STATUS", "mariadb-10.11": "SHOW ALL SLAVES STATUS",
	} {
		fx := find(t, fixtures, name)
		if got := fx.Identity.ReplicaStatusQuery(); got != stmt || fx.Statement != stmt {
			t.Errorf("%s: statement %q (recorded %q), want %q", name, got, fx.Statement, stmt)
		}
	}
	if fx := find(t, fixtures, "mariadb-10.11"); len(fx.Rows) < 3 {
		t.Errorf("mariadb-10.11 holds %d named connections, want several", len(fx.Rows))
	}

	// Perfdata labels do not depend on the dialect.
	if len(labels) < 6 {
		t.Fatalf("only %d healthy single-channel dialects: %v", len(labels), labels)
	}
	var ref string
	var refLabels []string
	for name, l := range labels {
		if refLabels == nil {
			ref, refLabels = name, l
		}
		if !reflect.DeepEqual(l, refLabels) {
			t.Errorf("perfdata labels of %s %q differ from those of %s %q", name, l, ref, refLabels)
		}
	}
}

// TestIOUnknownStatement: a server that knows neither statement of its
// version gives UNKNOWN naming the statement and the server's error.
func TestIOUnknownStatement(t *testing.T) {
	s := fakeserver.StartT(t, fakeserver.Config{
		Version: "8.4.0", User: fakeUser, Password: fakePassword,
		Script: map[string]fakeserver.Result{server.DetectQuery: {
			Columns: []string{"@@version", "@@version_comment"},
			Rows:    [][]*string{{strp("8.4.0"), strp("MySQL Community Server - GPL")}},
		}},
	})
	res := pIO.run(t, nil, fakeArgs(s)...)
	if verdict(t, pIO, res, fakePassword) != 3 || !strings.Contains(res.Summary(), "SHOW REPLICA STATUS") ||
		!strings.Contains(res.Summary(), "1064") {
		t.Errorf("want UNKNOWN naming SHOW REPLICA STATUS and error 1064, got %q", res.Summary())
	}
	if got := s.Queries(); !reflect.DeepEqual(got, []string{server.DetectQuery, "SHOW REPLICA STATUS"}) {
		t.Errorf("statements %q: 8.4 has no fallback", got)
	}
}

func strp(s string) *string { return &s }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func find(t *testing.T, fixtures []fixture.Fixture, name string) fixture.Fixture {
	t.Helper()
	for _, fx := range fixtures {
		if fx.Name() == name {
			return fx
		}
	}
	t.Fatalf("no fixture %s", name)
	return fixture.Fixture{}
}

// channelNames returns the channel (connection) name of each row.
func channelNames(fx fixture.Fixture) []string {
	col := -1
	for i, c := range fx.Columns {
		if c == "Channel_Name" || c == "Connection_name" {
			col = i
		}
	}
	names := make([]string, len(fx.Rows))
	for i, r := range fx.Rows {
		if col >= 0 && r[col] != nil {
			names[i] = *r[col]
		}
	}
	return names
}

// loadConfigServer reads one recorded server of internal/configcheck/testdata.
func loadConfigServer(t *testing.T, path string) *recorded.Server {
	t.Helper()
	cs, err := recorded.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// relocate returns the answers with every address of the recorded
// topology (addr: old "host:port" -> new "host:port") replaced: the
// server's own port, report_host/report_port, the source of each channel
// and the registered replicas.
func relocate(cs *recorded.Server, addrs map[string]string) map[string]fakeserver.Result {
	mapPair := func(host, port *string) {
		if host == nil || port == nil {
			return
		}
		if to, ok := addrs[*host+":"+*port]; ok {
			h, p := split(to)
			*host, *port = h, p
		}
	}
	own := addrs[cs.Addr]
	out := map[string]fakeserver.Result{}
	for stmt, r := range cs.Answers {
		rows := make([][]*string, len(r.Rows))
		for i, row := range r.Rows {
			rows[i] = make([]*string, len(row))
			for j, v := range row {
				if v != nil {
					c := *v
					rows[i][j] = &c
				}
			}
		}
		col := func(names ...string) int {
			for i, c := range r.Columns {
				for _, n := range names {
					if strings.EqualFold(c, n) {
						return i
					}
				}
			}
			return -1
		}
		switch {
		case stmt == "SHOW GLOBAL VARIABLES":
			vars := map[string]*string{}
			for _, row := range rows {
				vars[*row[0]] = row[1]
			}
			if p := vars["port"]; p != nil {
				_, *p = split(own)
			}
			if rh, rp := vars["report_host"], vars["report_port"]; rh != nil && rp != nil {
				if *rp == "0" || *rp == "" {
					_, oldPort := split(cs.Addr)
					if to, ok := addrs[*rh+":"+oldPort]; ok {
						*rh, _ = split(to)
					}
				} else {
					mapPair(rh, rp)
				}
			}
		case strings.HasSuffix(stmt, "STATUS"):
			h, p := col("Source_Host", "Master_Host"), col("Source_Port", "Master_Port")
			for _, row := range rows {
				if h >= 0 && p >= 0 {
					mapPair(row[h], row[p])
				}
			}
		case strings.Contains(stmt, "HOSTS") || stmt == "SHOW REPLICAS":
			h, p := col("Host"), col("Port")
			for _, row := range rows {
				if h >= 0 && p >= 0 {
					mapPair(row[h], row[p])
				}
			}
		}
		out[stmt] = fakeserver.Result{Columns: r.Columns, Rows: rows, Err: r.Err}
	}
	return out
}

// answerVariables answers SHOW GLOBAL VARIABLES WHERE Variable_name IN
// (...) from the recorded SHOW GLOBAL VARIABLES, as a server does.
func answerVariables(answers map[string]fakeserver.Result) func(string) (fakeserver.Result, bool) {
	const prefix = "SHOW GLOBAL VARIABLES WHERE Variable_name IN ("
	rs := &recorded.Server{Answers: answers}
	return func(q string) (fakeserver.Result, bool) {
		if !strings.HasPrefix(q, prefix) || !strings.HasSuffix(q, ")") {
			return fakeserver.Result{}, false
		}
		var names []string
		for _, n := range strings.Split(q[len(prefix):len(q)-1], ",") {
			names = append(names, strings.Trim(strings.TrimSpace(n), "'"))
		}
		return rs.Variables(names)
	}
}

// configDialect is what the recorded ring m1 <-> m2 (m2 without
// log_slave_updates) with r1 must give on one version.
type configDialect struct {
	dir       string
	lsuVar    string   // name of log_slave_updates there
	m2Queries []string // statements sent to m2 after the version and variables
}

var configDialects = []configDialect{
	{"mysql-5.1", "log_slave_updates", []string{"SHOW SLAVE STATUS", "SHOW PROCESSLIST", "SHOW MASTER STATUS", "SHOW BINARY LOGS"}},
	{"mysql-5.7", "log_slave_updates", []string{"SHOW SLAVE STATUS", "SHOW SLAVE HOSTS", "SHOW MASTER STATUS", "SHOW BINARY LOGS"}},
	{"mysql-8.0", "log_replica_updates", []string{"SHOW REPLICA STATUS", "SHOW REPLICAS", "SHOW PROCESSLIST", "SHOW MASTER STATUS", "SHOW BINARY LOGS"}},
	{"mysql-8.4", "log_replica_updates", []string{"SHOW REPLICA STATUS", "SHOW REPLICAS", "SHOW BINARY LOG STATUS", "SHOW BINARY LOGS"}},
	{"mariadb-10.11", "log_slave_updates", []string{"SHOW ALL SLAVES STATUS", "SHOW REPLICA HOSTS", "SHOW PROCESSLIST", "SHOW BINLOG STATUS",
		"SHOW GLOBAL STATUS WHERE Variable_name IN ('Binlog_bytes_written', 'Uptime')", "SHOW BINARY LOGS", "SELECT BINLOG_GTID_POS('mysqld-bin.000001', 4)"}},
	{"mariadb-10.11-root", "log_slave_updates", []string{"SHOW ALL SLAVES STATUS", "SHOW REPLICA HOSTS", "SHOW BINLOG STATUS",
		"SHOW GLOBAL STATUS WHERE Variable_name IN ('Binlog_bytes_written', 'Uptime')", "SHOW BINARY LOGS", "SELECT BINLOG_GTID_POS('mysqld-bin.000001', 4)"}},
}

// TestConfigDialects runs the built check_repl_config over the wire on the
// recorded topologies of every version, each server a fake one announcing
// its version: the statements sent must be those of the version, the
// variable named log_replica_updates where the server calls it so, and the
// output, addresses mapped back, what the in-process golden file holds.
func TestConfigDialects(t *testing.T) {
	root := clitest.Root(t)
	var labels []string
	for _, cd := range configDialects {
		t.Run(cd.dir, func(t *testing.T) {
			dir := filepath.Join(root, "internal", "configcheck", "testdata", cd.dir)
			names := []string{"m1", "m2", "r1"}
			var servers []*recorded.Server
			for _, n := range names {
				servers = append(servers, loadConfigServer(t, filepath.Join(dir, n+".txt")))
			}
			// Start the fakes first, then give m1, m2, r1 increasing ports
			// so that the output keeps the recorded order.
			// The three servers of a directory run the same version.
			version := *servers[0].Answers[server.DetectQuery].Rows[0][0]
			var mu sync.Mutex // the fakes answer from their own goroutines
			handlers := map[*fakeserver.Server]func(string) (fakeserver.Result, bool){}
			var fakes []*fakeserver.Server
			for range servers {
				var s *fakeserver.Server
				s = fakeserver.StartT(t, fakeserver.Config{
					Version: version, User: fakeUser, Password: fakePassword,
					Answer: func(q string) (fakeserver.Result, bool) {
						mu.Lock()
						h := handlers[s]
						mu.Unlock()
						return h(q)
					},
				})
				fakes = append(fakes, s)
			}
			sort.Slice(fakes, func(a, b int) bool { return fakes[a].Port() < fakes[b].Port() })
			addrs := map[string]string{}
			back := map[string]string{}
			for i, s := range servers {
				addrs[s.Addr] = fakes[i].Addr()
				back[fakes[i].Addr()] = s.Addr
			}
			mu.Lock()
			for i, s := range servers {
				answers := relocate(s, addrs)
				vars := answerVariables(answers)
				handlers[fakes[i]] = func(q string) (fakeserver.Result, bool) {
					if r, ok := answers[q]; ok && q != recorded.VariablesStatement {
						return r, true
					}
					return vars(q)
				}
			}
			mu.Unlock()

			args := append(fakeArgs(fakes[0]), "--server", fakes[0].Addr(), "--server", fakes[1].Addr(), "--server", fakes[2].Addr())
			res := pConfig.run(t, nil, args...)
			verdict(t, pConfig, res, fakePassword)
			out := res.Stdout
			for from, to := range back {
				out = strings.ReplaceAll(out, from, to)
			}
			golden, err := os.ReadFile(filepath.Join(root, "internal", "configcheck", "testdata", "golden", cd.dir+"-topology.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if out != string(golden) {
				t.Errorf("stdout (addresses mapped back) differs from the golden file\n--- want\n%s--- got\n%s", golden, out)
			}
			if !strings.Contains(res.Summary(), cd.lsuVar+" is OFF") {
				t.Errorf("summary does not name %s: %s", cd.lsuVar, res.Summary())
			}
			sent := fakes[1].Queries()
			if len(sent) < 2 || sent[0] != server.DetectQuery ||
				!strings.HasPrefix(sent[1], "SHOW GLOBAL VARIABLES WHERE Variable_name IN (") ||
				!strings.Contains(sent[1], "'"+cd.lsuVar+"'") || !reflect.DeepEqual(sent[2:], cd.m2Queries) {
				t.Errorf("statements sent to m2:\n%q\nwant the version query, the variables (with %s), then %q", sent, cd.lsuVar, cd.m2Queries)
			}
			l := perfLabels(res.Summary())
			if labels == nil {
				labels = l
			} else if !reflect.DeepEqual(l, labels) {
				t.Errorf("perfdata labels %q differ from %q", l, labels)
			}
		})
	}
}

// TestConfigFixtureStatements guards the fixture loader: a wrong statement text
// in a recorded file would silently turn into a syntax error.
func TestConfigFixtureStatements(t *testing.T) {
	root := clitest.Root(t)
	for _, cd := range configDialects {
		cs := loadConfigServer(t, filepath.Join(root, "internal", "configcheck", "testdata", cd.dir, "m2.txt"))
		for _, stmt := range append([]string{server.DetectQuery, "SHOW GLOBAL VARIABLES"}, cd.m2Queries...) {
			if _, ok := cs.Answers[stmt]; !ok {
				t.Errorf("%s/m2.txt has no answer to %s", cd.dir, stmt)
			}
		}
	}
}
