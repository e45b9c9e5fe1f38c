package configcheck

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/read"
	"github.com/replmon/replmon/internal/configcheck/render"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/fakedb"
)

func str(s string) *string { return &s }

// fakeMaria makes a MariaDB 10.11 fixture server replicating from sources
// (addresses with their server_id) and serving dumps Binlog Dump sessions;
// the monitoring account may not run SHOW REPLICA HOSTS.
func fakeMaria(addr string, id int, vars map[string]string, dumps int, sources ...string) *fixtureServer {
	_, port, _ := strings.Cut(addr, ":")
	fs := &fixtureServer{Name: addr, Addr: addr, Answers: map[string]fakedb.Result{}}
	fs.Answers[server.DetectQuery] = fakedb.Result{Columns: []string{"@@version", "@@version_comment"},
		Rows: [][]*string{{str("10.11.6-MariaDB-log"), str("MariaDB Server")}}}
	v := map[string]string{"server_id": strconv.Itoa(id), "port": port, "hostname": "h" + strconv.Itoa(id), "log_bin": "ON",
		"log_slave_updates": "ON", "read_only": "OFF", "auto_increment_increment": "3", "auto_increment_offset": strconv.Itoa(id),
		"relay_log_recovery": "ON"}
	for k, x := range vars {
		v[k] = x
	}
	vr := fakedb.Result{Columns: []string{"Variable_name", "Value"}}
	for k, x := range v {
		vr.Rows = append(vr.Rows, []*string{str(k), str(x)})
	}
	fs.Answers[variablesSection] = vr
	st := fakedb.Result{Columns: []string{"Connection_name", "Master_Host", "Master_Port", "Slave_IO_Running", "Slave_SQL_Running", "Master_Server_Id"}}
	for _, s := range sources {
		a, sid, _ := strings.Cut(s, "#")
		h, p, _ := strings.Cut(a, ":")
		st.Rows = append(st.Rows, []*string{str(""), str(h), str(p), str("Yes"), str("Yes"), str(sid)})
	}
	fs.Answers["SHOW ALL SLAVES STATUS"] = st
	fs.Answers["SHOW REPLICA HOSTS"] = fakedb.Result{Err: &mysql.MySQLError{Number: 1227, SQLState: [5]byte{'4', '2', '0', '0', '0'},
		Message: "Access denied; you need (at least one of) the REPLICATION MASTER ADMIN privilege(s) for this operation"}}
	pl := fakedb.Result{Columns: []string{"Id", "User", "Host", "db", "Command", "Time", "State", "Info", "Progress"}}
	pl.Rows = append(pl.Rows, []*string{str("1"), str("system user"), str(""), nil, str("Slave_IO"), str("0"), str(""), nil, str("0")})
	for i := range dumps {
		pl.Rows = append(pl.Rows, []*string{str(strconv.Itoa(i + 2)), str("repl"), str(fmt.Sprintf("10.0.0.%d:4%04d", i, i)), nil, str("Binlog Dump"), str("0"), str(""), nil, str("0")})
	}
	pl.Rows = append(pl.Rows, []*string{str("99"), str("monitor"), str("10.9.9.9:1"), nil, str("Query"), str("0"), str("starting"), str("SHOW PROCESSLIST"), str("0")})
	fs.Answers[read.ProcesslistQuery] = pl
	return fs
}

func TestSingleFollowsARingOfThree(t *testing.T) {
	ft := &fixtureTopology{fakes: map[string]*fakedb.Server{}, Servers: []*fixtureServer{
		fakeMaria("a:3306", 1, nil, 2, "c:3306#3"),
		fakeMaria("b:3306", 2, map[string]string{"log_slave_updates": "OFF"}, 1, "a:3306#1"),
		fakeMaria("c:3306", 3, nil, 1, "b:3306#2"),
		fakeMaria("x:3306", 9, nil, 0, "b:3306#2"),
	}}
	tp := ft.crawl(t, topology.Single, nil, "b:3306")
	if len(tp.Nodes) != 3 || len(tp.Rings) != 1 || len(tp.Rings[0].Members) != 3 {
		t.Fatalf("read %d servers, rings %v; want the ring of 3 (a, c read for context)", len(tp.Nodes), tp.Rings)
	}
	if got := tp.Audited(); len(got) != 1 || got[0].Addr.String() != "b:3306" {
		t.Errorf("audited %v, want b alone", got)
	}
	fs := judge.Evaluate(tp, judge.Options{})
	f := find(t, fs, judge.RuleLogSlaveUpdates, "b:3306")
	if f.Level != judge.Critical || !strings.Contains(f.Text, "a member of a ring of 3 masters") || !strings.Contains(f.Text, "its replica c:3306 (server_id 3) never receives them") {
		t.Errorf("b: %s %q", f.Level, f.Text)
	}
	// A pure replica is judged against everything upstream: the whole ring.
	tp = ft.crawl(t, topology.Single, nil, "x:3306")
	if len(tp.Nodes) != 4 {
		t.Errorf("single x read %d servers, want x, b and b's ring", len(tp.Nodes))
	}
	// A standalone server, no more than itself.
	ft.Servers = append(ft.Servers, fakeMaria("s:3306", 8, nil, 0))
	if tp = ft.crawl(t, topology.Single, nil, "s:3306"); len(tp.Nodes) != 1 {
		t.Errorf("single s read %d servers, want s alone", len(tp.Nodes))
	}
}

func TestSingleWithSourceUnreachable(t *testing.T) {
	ft := loadFixtureTopology(t, filepath.Join("testdata", "mariadb-10.11-root"))
	ft.Servers = ft.Servers[1:] // m1 is gone
	tp := ft.crawl(t, topology.Single, nil, "m2")
	fs := judge.Evaluate(tp, judge.Options{Unreachable: judge.Critical})
	// SHOW REPLICA HOSTS lists m1 (server_id 1), the source: a ring of two.
	if f := tp.Facts(tp.Nodes[0]); f.Ring != topology.Yes || f.RingSize != 2 {
		t.Errorf("facts %+v", f)
	}
	f := find(t, fs, judge.RuleLogSlaveUpdates, "127.0.0.1:3307")
	if f.Level != judge.Critical || !strings.HasSuffix(f.Text, "so its replica 127.0.0.1:3308 (server_id 21) never receives them") {
		t.Errorf("m2: %s %q", f.Level, f.Text)
	}
	v := find(t, fs, judge.RuleVersionOrder, "127.0.0.1:3307")
	if v.Level != judge.Unknown || !strings.HasPrefix(v.Text, "cannot compare versions: source 127.0.0.1:3306 could not be read (cannot connect to 127.0.0.1:3306: connection refused)") {
		t.Errorf("version order: %s %q", v.Level, v.Text)
	}
}

func TestDiscover(t *testing.T) {
	ft := loadFixtureTopology(t, filepath.Join("testdata", "mariadb-10.11-root"))
	tp := ft.crawl(t, topology.Discover, nil, "m1")
	if len(tp.Audited()) != 3 || len(tp.Notes) != 0 || len(tp.Unfollowed) != 0 {
		t.Errorf("discovered %d servers, notes %q, unfollowed %v; want m1, m2 (its source) and r1 (registered with m2)", len(tp.Audited()), tp.Notes, tp.Unfollowed)
	}
	if n := tp.Nodes[2]; n.Addr.String() != "127.0.0.1:3308" || n.FoundVia != "replica of 127.0.0.1:3307" {
		t.Errorf("third server %s found via %q", n.Addr, n.FoundVia)
	}
	if fs := judge.Evaluate(tp, judge.Options{Incomplete: judge.Warning}); len(only(fs, judge.RuleDiscoverComplete, "127.0.0.1:3307")) != 0 {
		t.Errorf("complete discovery judged incomplete: %v", fs)
	}

	// The monitoring account may not run SHOW REPLICA HOSTS: m2's replica
	// r1 is only a Binlog Dump session, which has no port to follow.
	ft = loadFixtureTopology(t, filepath.Join("testdata", "mariadb-10.11"))
	tp = ft.crawl(t, topology.Discover, nil, "m1")
	if len(tp.Audited()) != 2 || len(tp.Unfollowed) != 1 || tp.Unfollowed[0].Count != 1 || tp.Unfollowed[0].Node.Addr.String() != "127.0.0.1:3307" {
		t.Fatalf("discovered %d servers, unfollowed %+v", len(tp.Audited()), tp.Unfollowed)
	}
	// m2 lacks log_slave_updates (CRITICAL): the state is at least that,
	// and the summary leads with the incomplete discovery whatever its level.
	for _, tc := range []struct {
		level judge.Level
		state string
	}{{judge.Warning, "WARNING"}, {judge.Critical, "CRITICAL"}, {judge.Info, "OK"}} {
		fs := judge.Evaluate(tp, judge.Options{Incomplete: tc.level})
		f := find(t, fs, judge.RuleDiscoverComplete, "127.0.0.1:3307")
		wantText := "1 replica could not be followed: the processlist gives only its client host (127.0.0.1), not its port " +
			"(SHOW REPLICA HOSTS: access denied (error 1227): Access denied; you need (at least one of) the REPLICATION MASTER ADMIN privilege(s) for this operation), " +
			"so neither it nor what replicates from it is audited"
		wantFix := "fix: GRANT REPLICATION MASTER ADMIN ON *.* TO the monitoring account on 127.0.0.1:3307 (SHOW REPLICA HOSTS then lists the replicas), " +
			"with report_host and report_port set on each replica"
		if f.Level != tc.level || f.Text != wantText || f.Fix.String() != wantFix {
			t.Errorf("%s: %s %q %q", tc.state, f.Level, f.Text, f.Fix)
		}
		if c := render.Count(tp, fs); (c.Warning == 1) != (tc.level == judge.Warning) || c.Critical != 1+map[bool]int{true: 1}[tc.level == judge.Critical] {
			t.Errorf("%s: counts %+v", tc.state, c)
		}
		out := output(tp, fs)
		lead := "REPL_CONFIG CRITICAL - Discovery incomplete: 1 replica of 127.0.0.1:3307 not followed " +
			"(grant REPLICATION MASTER ADMIN, with report_host and report_port set on the replicas). 2 servers audited: "
		if !strings.HasPrefix(out, lead) {
			t.Errorf("--incomplete %s: output does not start %q:\n%s", tc.state, lead, out)
		}
	}
}

func TestSameServerTwice(t *testing.T) {
	ft := loadFixtureTopology(t, filepath.Join("testdata", "mariadb-10.11"))
	alias := *ft.server(t, "m2")
	alias.Name, alias.Addr = "m2-again", "vm:3307"
	ft.Servers = append(ft.Servers, &alias)
	tp := ft.crawl(t, topology.Set, nil, "m1", "m2", "r1", "m2-again")
	if len(tp.Audited()) != 3 || len(tp.Notes) != 1 || tp.Notes[0] != "127.0.0.1:3307 and vm:3307 are the same server; it is audited once" {
		t.Errorf("%d audited, notes %q", len(tp.Audited()), tp.Notes)
	}
	if fs := only(judge.Evaluate(tp, judge.Options{}), judge.RuleServerIDUnique, "127.0.0.1:3307"); len(fs) != 1 || fs[0].Level != judge.Pass {
		t.Errorf("server-id-unique %v", fs)
	}
}

func TestHungServerIsNamed(t *testing.T) {
	ft := loadFixtureTopology(t, filepath.Join("testdata", "mariadb-10.11"))
	serve := ft.dialer(nil)
	c := &read.Crawler{User: "monitor", Dial: func(ctx context.Context, addr address.Addr) (query.Runner, func(), error) {
		if addr.String() == "127.0.0.1:3308" {
			<-ctx.Done()
			return nil, nil, fmt.Errorf("cannot connect to %s: %w", addr, ctx.Err())
		}
		return serve(ctx, addr)
	}}
	var stages []string
	c.Stage = func(f string, a ...any) { stages = append(stages, fmt.Sprintf(f, a...)) }
	// The crawl keeps a margin of the budget (here 200ms) to report the
	// hung server by name: it must return while the caller's context is
	// still alive.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	tp := c.Crawl(ctx, topology.Set, parseAddrs(t, "127.0.0.1:3306", "127.0.0.1:3307", "127.0.0.1:3308"))
	if ctx.Err() != nil {
		t.Errorf("the crawl returned after the caller's deadline: %v", ctx.Err())
	}
	r := tp.Nodes[2]
	if r.Reachable() || !strings.HasPrefix(r.Err.Error(), "no answer within ") || !strings.HasSuffix(r.Err.Error(), "context deadline exceeded)") {
		t.Errorf("hung server: %v", r.Err)
	}
	if len(stages) == 0 || stages[len(stages)-1] != "waiting for 1 of 3 servers: 127.0.0.1:3308" {
		t.Errorf("stages %q", stages)
	}
	if !tp.Nodes[0].Reachable() || !tp.Nodes[1].Reachable() {
		t.Errorf("the other servers were not read")
	}
}
