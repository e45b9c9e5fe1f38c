package reliability

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/faultproxy"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// faultRig is a pair of servers and an option file for fault tests.
type faultRig struct {
	sb     *sandbox.Sandbox
	m1, r1 *sandbox.Server
	cnf    string
}

// args returns the arguments running p on the rig, with src and rep
// standing for the source and the replica (proxies, for instance).
func (f faultRig) args(p plug, src, rep string, extra ...string) []string {
	args := append([]string{"--defaults-file=" + f.cnf}, p.target(src, rep)...)
	return append(args, extra...)
}

// healthy runs p on the rig and requires OK, after replication is running.
func (f faultRig) healthy(t *testing.T, p plug) {
	t.Helper()
	if err := f.r1.WaitReplicating(context.Background()); err != nil {
		t.Fatal(err)
	}
	res := p.run(t, nil, f.args(p, f.m1.Addr(), f.r1.Addr())...)
	if verdict(t, p, res, sandbox.MonitorPassword) != 0 {
		t.Errorf("%s on the healthy pair: exit %d, want OK", p.name, res.Code)
	}
}

// TestConnectionFailures: a closed port, a host that does not exist and a
// refused login give every plugin the same state, with the cause in the
// summary, the server's own message for a refused login, and no password.
func TestConnectionFailures(t *testing.T) {
	sb := sharedPair(t)
	rig := faultRig{sb: sb, m1: sb.Server("m1"), r1: sb.Server("r1"), cnf: monitorCnf(t)}
	const wrong = "Wrong-Pass-4242"
	closed := "127.0.0.1:" + freePort(t)
	cases := []struct {
		name  string
		args  func(p plug) []string
		wants []string
	}{
		{"connection refused", func(p plug) []string {
			return rig.args(p, closed, closed)
		}, []string{closed, "connection refused"}},
		{"unknown host", func(p plug) []string {
			return rig.args(p, "db1.invalid:3306", "db1.invalid:3306")
		}, []string{"db1.invalid", "no such host"}},
		{"authentication failure", func(p plug) []string {
			return append([]string{"--no-defaults", "-u", sandbox.MonitorUser, "-p", wrong}, p.target(rig.m1.Addr(), rig.r1.Addr())...)
		}, []string{"Access denied for user 'monitor'@'127.0.0.1' (using password: YES)"}},
		{"authentication failure, password in MYSQL_PWD", func(p plug) []string {
			return append([]string{"--no-defaults", "-u", sandbox.MonitorUser}, p.target(rig.m1.Addr(), rig.r1.Addr())...)
		}, []string{"Access denied for user 'monitor'"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ref := -1
			for _, p := range plugins {
				t.Run(p.name, func(t *testing.T) {
					res := p.run(t, []string{"MYSQL_PWD=" + wrong}, c.args(p)...)
					code := verdict(t, p, res, wrong, sandbox.MonitorPassword)
					for _, w := range c.wants {
						if !strings.Contains(res.Summary(), w) {
							t.Errorf("summary lacks %q: %s", w, res.Summary())
						}
					}
					if res.Elapsed > 5*time.Second {
						t.Errorf("took %v", res.Elapsed)
					}
					if p == pIO {
						ref = code
						if code != 2 && code != 3 {
							t.Errorf("exit %d, want CRITICAL or UNKNOWN", code)
						}
						return
					}
					if ref < 0 {
						t.Skip("needs the result of check_repl_io for the same failure")
					}
					check(t, code == ref, "%s: exit %d, but check_repl_io gives %d for the same failure", p.name, code, ref)
				})
			}
		})
	}
}

// TestHungServer: a server stopped with SIGSTOP (it accepts connections and
// never answers) gets a verdict within -t + 1s that names what was being
// waited for or that the server did not answer (unreachable). check_repl_io's own test covers its -H server.
func TestHungServer(t *testing.T) {
	sb := faultPair(t)
	rig := faultRig{sb: sb, m1: sb.Server("m1"), r1: sb.Server("r1"), cnf: monitorCnf(t)}
	cases := []struct {
		name  string
		p     plug
		hung  *sandbox.Server
		args  []string
		wants []string
	}{
		{"checksum source", pChecksum, rig.m1, rig.args(pChecksum, rig.m1.Addr(), rig.r1.Addr()), []string{"source " + rig.m1.Addr()}},
		{"checksum replica", pChecksum, rig.r1, rig.args(pChecksum, rig.m1.Addr(), rig.r1.Addr()), []string{"replica " + rig.r1.Addr()}},
		{"config audited server", pConfig, rig.r1, rig.args(pConfig, rig.m1.Addr(), rig.r1.Addr()), []string{rig.r1.Addr()}},
		{"config one of a set", pConfig, rig.m1, append([]string{"--defaults-file=" + rig.cnf}, "--server", rig.r1.Addr(), "--server", rig.m1.Addr()),
			[]string{rig.m1.Addr(), "cannot be audited"}},
		{"io through a stalled replica", pIO, nil, nil, []string{"cannot connect to", "no answer within"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			if c.hung != nil {
				if err := c.hung.Pause(); err != nil {
					t.Fatal(err)
				}
				defer c.hung.Resume()
			} else {
				// The same at the network level: a link that went dead.
				px := faultproxy.NewT(t, rig.r1.Addr())
				px.Stall()
				args = rig.args(c.p, rig.m1.Addr(), px.Addr())
			}
			res := c.p.run(t, nil, append(args, "-t", "2")...)
			code := verdict(t, c.p, res, sandbox.MonitorPassword)
			if code == 0 || res.Elapsed > 3*time.Second {
				t.Errorf("exit %d after %v; want a failure within 3s", code, res.Elapsed)
			}
			for _, w := range c.wants {
				if !strings.Contains(res.Summary(), w) {
					t.Errorf("summary does not name %q: %s", w, res.Summary())
				}
			}
		})
	}
	for _, p := range plugins {
		rig.healthy(t, p)
	}
}

// TestServerRestartedDuringRun: the server a plugin talks to crashes and
// comes back while the plugin waits for it; the plugin gives a failure
// verdict in time, and the next run is OK again.
func TestServerRestartedDuringRun(t *testing.T) {
	sb := faultPair(t)
	rig := faultRig{sb: sb, m1: sb.Server("m1"), r1: sb.Server("r1"), cnf: monitorCnf(t)}
	for _, p := range plugins {
		t.Run(p.name, func(t *testing.T) {
			target := rig.r1
			if p == pChecksum {
				target = rig.m1
			}
			// Paused, the server has accepted the plugin's connection (the
			// kernel did) without answering: the plugin is mid-run.
			if err := target.Pause(); err != nil {
				t.Fatal(err)
			}
			done := make(chan clitest.Result, 1)
			go func() { done <- p.run(t, nil, rig.args(p, rig.m1.Addr(), rig.r1.Addr(), "-t", "8")...) }()
			time.Sleep(700 * time.Millisecond)
			if err := target.Kill(); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := target.StartAgain(ctx); err != nil {
				t.Fatal(err)
			}
			res := <-done
			code := verdict(t, p, res, sandbox.MonitorPassword)
			if code == 0 || res.Elapsed > 9*time.Second || !strings.Contains(res.Stdout, target.Addr()) {
				t.Errorf("exit %d after %v; want a failure naming %s within 9s", code, res.Elapsed, target.Addr())
			}
			rig.healthy(t, p)
		})
	}
}

// TestMasterKilled: with its master killed, the replica's IO thread is
// Connecting; check_repl_io says so, the others report the master as
// unreachable, and all recover when it is back.
func TestMasterKilled(t *testing.T) {
	sb := faultPair(t)
	rig := faultRig{sb: sb, m1: sb.Server("m1"), r1: sb.Server("r1"), cnf: monitorCnf(t)}
	if err := rig.m1.Kill(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "connecting", func() bool { return slaveStatus(t, rig.r1, "Slave_IO_Running") == "Connecting" })
	src := rig.m1.Addr()

	res := pIO.run(t, nil, rig.args(pIO, src, rig.r1.Addr())...)
	verdict(t, pIO, res, sandbox.MonitorPassword)
	if res.Code != 2 || !strings.Contains(res.Summary(), "default channel (from "+src+"): IO thread connecting (error 20") {
		t.Errorf("want CRITICAL: IO thread connecting with a 20xx client error, got %s", res.Summary())
	}
	if !strings.Contains(res.Stdout, "io_running=0;") || !strings.Contains(res.Stdout, "lag=U;") {
		t.Errorf("perfdata should show io_running=0 and an unknown lag: %s", res.Summary())
	}

	res = pConfig.run(t, nil, rig.args(pConfig, src, rig.r1.Addr())...)
	if verdict(t, pConfig, res, sandbox.MonitorPassword) == 0 || !strings.Contains(res.Stdout, src+" could not be read") {
		t.Errorf("want a non-OK audit saying the source %s could not be read, got:\n%s", src, res.Stdout)
	}

	res = pChecksum.run(t, nil, rig.args(pChecksum, src, rig.r1.Addr())...)
	if verdict(t, pChecksum, res, sandbox.MonitorPassword) == 0 || !strings.Contains(res.Summary(), src) {
		t.Errorf("want a failure naming the source %s, got %s", src, res.Summary())
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := rig.m1.StartAgain(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range plugins {
		rig.healthy(t, p)
	}
}

// cutStatements are statements each plugin sends once connected.
var cutStatements = map[plug]string{pIO: "SHOW ALL SLAVES STATUS", pChecksum: "CHECKSUM TABLE", pConfig: "SHOW GLOBAL VARIABLES"}

// TestNetworkFaults puts a proxy between each plugin and its first server:
// a delay within -t changes nothing, a delay beyond it gives a verdict in
// time, and a connection cut in the middle of a query gives a failure
// naming the statement, never a hang or a crash.
func TestNetworkFaults(t *testing.T) {
	sb := sharedPair(t)
	rig := faultRig{sb: sb, m1: sb.Server("m1"), r1: sb.Server("r1"), cnf: monitorCnf(t)}
	for _, p := range plugins {
		t.Run(p.name, func(t *testing.T) {
			px := faultproxy.NewT(t, p.first(rig.m1.Addr(), rig.r1.Addr()))
			src, rep := rig.m1.Addr(), px.Addr()
			if p == pChecksum {
				src, rep = px.Addr(), rig.r1.Addr()
			}
			run := func(timeout string) clitest.Result {
				return p.run(t, nil, rig.args(p, src, rep, "-t", timeout)...)
			}

			px.SetDelay(20 * time.Millisecond)
			if res := run("10"); verdict(t, p, res, sandbox.MonitorPassword) != 0 {
				t.Errorf("slow network (20ms per packet): exit %d, want OK", res.Code)
			}

			px.SetDelay(800 * time.Millisecond)
			res := run("1")
			if verdict(t, p, res, sandbox.MonitorPassword) == 0 || res.Elapsed > 2*time.Second || !strings.Contains(res.Summary(), px.Addr()) {
				t.Errorf("network slower than -t: exit %d after %v; want a failure naming %s within 2s", res.Code, res.Elapsed, px.Addr())
			}

			px.SetDelay(0)
			stmt := cutStatements[p]
			px.CutOn(stmt)
			res = run("10")
			if verdict(t, p, res, sandbox.MonitorPassword) == 0 || res.Elapsed > 5*time.Second {
				t.Errorf("connection cut during %s: exit %d after %v; want a failure", stmt, res.Code, res.Elapsed)
			}
			if px.Cuts() == 0 {
				t.Errorf("%s was never sent through the proxy", stmt)
			}
			if !strings.Contains(res.Stdout, "invalid connection") && !strings.Contains(res.Stdout, "connection reset") {
				t.Errorf("the output does not say the connection broke:\n%s", res.Stdout)
			}
			if p == pIO && !strings.Contains(res.Summary(), stmt) {
				t.Errorf("summary does not name the statement %s: %s", stmt, res.Summary())
			}
		})
	}
}

// midRunTables is the number of tables of the mid database.
const midRunTables = 30

// midRig is the fault pair holding the mid database (dropped when the test
// ends), its replica reached through a proxy so that faults can be placed
// at an exact statement.
func midRig(t *testing.T) (faultRig, *faultproxy.Proxy) {
	sb := faultPair(t)
	rig := faultRig{sb: sb, m1: sb.Server("m1"), r1: sb.Server("r1"), cnf: monitorCnf(t)}
	stmts := []string{"DROP DATABASE IF EXISTS mid", "CREATE DATABASE mid"}
	for i := 1; i <= midRunTables; i++ {
		stmts = append(stmts,
			fmt.Sprintf("CREATE TABLE mid.t%02d (id INT PRIMARY KEY, v INT)", i),
			fmt.Sprintf("INSERT INTO mid.t%02d SELECT seq, seq FROM mid.seq_1_to_20", i))
	}
	mustExec(t, rig.m1, stmts...)
	waitReplicated(t, sb)
	t.Cleanup(func() {
		mustExec(t, rig.m1, "DROP DATABASE IF EXISTS mid")
		waitReplicated(t, sb)
	})
	return rig, faultproxy.NewT(t, rig.r1.Addr())
}

// perfValue returns the value of one perfdata label of a summary.
func perfValue(summary, label string) (float64, bool) {
	_, perf, _ := strings.Cut(summary, " | ")
	for _, p := range strings.Fields(perf) {
		if v, ok := strings.CutPrefix(p, label+"="); ok {
			v, _, _ = strings.Cut(v, ";")
			v = strings.TrimRight(v, "csBU%")
			f, err := strconv.ParseFloat(v, 64)
			return f, err == nil
		}
	}
	return 0, false
}

// TestChecksumReplicaStopsMidRun: the replica's replication stops while
// tables are compared and the source keeps changing; the tables it cannot
// catch up on are lagging (WARNING), never drifted.
func TestChecksumReplicaStopsMidRun(t *testing.T) {
	needServers(t)
	rig, px := midRig(t)
	var once sync.Once
	px.Before("`t10`", func() {
		once.Do(func() {
			mustExec(t, rig.r1, "STOP SLAVE")
			var upd []string
			for i := 11; i <= midRunTables; i++ {
				upd = append(upd, fmt.Sprintf("UPDATE mid.t%02d SET v = v + 1 WHERE id = 1", i))
			}
			mustExec(t, rig.m1, upd...)
		})
	})
	defer func() {
		mustExec(t, rig.r1, "START SLAVE")
		waitReplicated(t, rig.sb)
	}()
	res := pChecksum.run(t, nil, rig.args(pChecksum, rig.m1.Addr(), px.Addr(), "-d", "mid", "--parallel", "1", "-t", "8")...)
	verdict(t, pChecksum, res, sandbox.MonitorPassword)
	drifted, _ := perfValue(res.Summary(), "drifted")
	lagging, _ := perfValue(res.Summary(), "lagging")
	inSync, _ := perfValue(res.Summary(), "in_sync")
	if res.Code != 1 || drifted != 0 || lagging < 1 || inSync < 9 {
		t.Errorf("want WARNING with lagging tables, the first ones in sync and none drifted; got exit %d, %s", res.Code, res.Summary())
	}
	if strings.Contains(res.Stdout, "drifted (") || strings.Contains(res.Stdout, "CRITICAL") {
		t.Errorf("a stopped replica was reported as drifted:\n%s", res.Stdout)
	}
}

// TestChecksumTableDroppedMidRun: a table dropped on the source (and so on
// the replica) after the tables were listed is reported as dropped, not
// as drifted or missing, and the run is OK.
func TestChecksumTableDroppedMidRun(t *testing.T) {
	needServers(t)
	rig, px := midRig(t)
	px.Before("`t10`", func() { mustExec(t, rig.m1, "DROP TABLE mid.t20") })
	res := pChecksum.run(t, nil, rig.args(pChecksum, rig.m1.Addr(), px.Addr(), "-d", "mid", "--parallel", "1", "-t", "20")...)
	verdict(t, pChecksum, res, sandbox.MonitorPassword)
	drifted, _ := perfValue(res.Summary(), "drifted")
	if res.Code != 0 || drifted != 0 || !strings.Contains(res.Stdout, "mid.t20") || !strings.Contains(res.Stdout, "dropped during the run") {
		t.Errorf("want OK with mid.t20 dropped during the run, got exit %d:\n%s", res.Code, res.Stdout)
	}
}
