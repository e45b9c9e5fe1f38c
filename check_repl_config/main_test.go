package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// seedEnv runs check_repl_config against a running seed sandbox.
type seedEnv struct {
	t        *testing.T
	bin      string
	sb       *sandbox.Sandbox
	defaults string // option file with the monitoring account
}

func (e *seedEnv) addr(name string) string { return e.sb.Server(name).Addr() }

// run runs the plugin with the monitoring account's option file.
func (e *seedEnv) run(t *testing.T, args ...string) clitest.Result {
	t.Helper()
	return clitest.Run(t, e.bin, nil, append([]string{"--defaults-file=" + e.defaults}, args...)...)
}

// one runs the plugin against the named server alone.
func (e *seedEnv) one(t *testing.T, name string, args ...string) clitest.Result {
	t.Helper()
	s := e.sb.Server(name)
	return e.run(t, append([]string{"-H", "127.0.0.1", "-P", strconv.Itoa(s.Port)}, args...)...)
}

// all runs the plugin against every seed server, in topology order.
func (e *seedEnv) all(t *testing.T, args ...string) clitest.Result {
	t.Helper()
	for _, s := range e.sb.Servers() {
		args = append(args, "--server", s.Addr())
	}
	return e.run(t, args...)
}

// names replaces each server's address with {name} and the MariaDB
// release with {version}, so that golden files survive new ports and
// upgrades.
func (e *seedEnv) names(out string) string {
	servers := e.sb.Servers()
	sort.Slice(servers, func(i, j int) bool { return len(servers[i].Addr()) > len(servers[j].Addr()) })
	for _, s := range servers {
		out = strings.ReplaceAll(out, s.Addr(), "{"+s.Name+"}")
	}
	return regexp.MustCompile(`MariaDB \d+\.\d+\.\d+`).ReplaceAllString(out, "MariaDB {version}")
}

// exec runs statements as root on a server (test setup; the plugin itself
// never writes).
func (e *seedEnv) exec(t *testing.T, name string, stmts ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.sb.Server(name).Exec(ctx, stmts...); err != nil {
		t.Fatal(err)
	}
}

// want checks exit code and that the output has every fragment.
func want(t *testing.T, r clitest.Result, code int, fragments ...string) {
	t.Helper()
	if r.Code != code {
		t.Errorf("exit %d, want %d\n%s", r.Code, code, r.Stdout)
	}
	for _, f := range fragments {
		if !strings.Contains(r.Stdout, f) {
			t.Errorf("output lacks %q:\n%s", f, r.Stdout)
		}
	}
	if strings.Contains(r.Stdout+r.Stderr, sandbox.MonitorPassword) {
		t.Errorf("the password is printed:\n%s%s", r.Stdout, r.Stderr)
	}
}

// closedPort returns a TCP port on 127.0.0.1 that nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := l.Addr().String()
	l.Close()
	port, _ := strconv.Atoi(p[strings.LastIndexByte(p, ':')+1:])
	return port
}

// newSeedEnv starts topo and writes the monitoring account's option file.
func newSeedEnv(t *testing.T, topo sandbox.Topology) *seedEnv {
	t.Helper()
	e := &seedEnv{t: t, bin: clitest.Build(t, "check_repl_config"), sb: sandbox.StartT(t, topo)}
	e.defaults = filepath.Join(t.TempDir(), "monitor.cnf")
	if err := os.WriteFile(e.defaults, []byte(fmt.Sprintf("[client]\nuser=%s\npassword=%s\n",
		sandbox.MonitorUser, sandbox.MonitorPassword)), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

// replicated waits until every replica has applied what its sources logged.
func (e *seedEnv) replicated(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.sb.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestSeed audits the seed's topology (m1 <-> m2, three replicas each) on
// real servers: healthy first, then with each fault the issue lists, and
// last with m2 restarted without log_slave_updates, the seed's lost writes.
// One sandbox serves every step; each fault is undone before the next.
func TestSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("starts eight mariadbd servers")
	}
	e := newSeedEnv(t, sandbox.Seed())

	t.Run("healthy/each server", func(t *testing.T) {
		for _, s := range e.sb.Servers() {
			r := e.one(t, s.Name)
			want(t, r, 0, "REPL_CONFIG OK - 1 server audited: 0 critical, 0 warning (",
				fmt.Sprintf("%s (server_id %d) MariaDB ", s.Addr(), s.ServerID),
				"| servers=1;;;0 rules=", " critical=0;;;0 warning=0;;;0 unknown=0;;;0")
			switch s.Name {
			case "m1":
				want(t, r, 0, "ring member (2 masters), replica of "+e.addr("m2")+", source of 4 replicas; OK, 17 rule checks pass",
					"ring: "+e.addr("m1")+" (server_id 1) <-> "+e.addr("m2")+" (server_id 2)")
			case "m2":
				want(t, r, 0, "ring member (2 masters), replica of "+e.addr("m1")+", source of 4 replicas; OK")
			default:
				src := s.Spec.Sources[0].Source
				want(t, r, 0, ": replica of "+e.addr(src)+"; OK, 11 rule checks pass",
					"`-- "+s.Addr()+fmt.Sprintf(" (server_id %d) replica", s.ServerID))
			}
		}
	})

	t.Run("healthy/topology", func(t *testing.T) {
		r := e.all(t)
		want(t, r, 0, "REPL_CONFIG OK - 8 servers audited: 0 critical, 0 warning (108 rule checks pass)")
		clitest.Golden(t, filepath.Join("testdata", "seed-healthy.txt"), e.names(r.Stdout))
		if r.Elapsed > 5*time.Second {
			t.Errorf("auditing 8 servers took %v", r.Elapsed)
		}
		// --graph writes the picture and changes nothing else.
		dot := filepath.Join(t.TempDir(), "seed.dot")
		g := e.all(t, "--graph", dot)
		if g.Code != r.Code || g.Stdout != r.Stdout {
			t.Errorf("--graph changed the output:\n%s", g.Stdout)
		}
		b, err := os.ReadFile(dot)
		if err != nil {
			t.Fatal(err)
		}
		clitest.Dot(t, string(b))
		if n := strings.Count(string(b), `fillcolor="#c8e6c9"`); n != 8 {
			t.Errorf("%d green servers in the picture, want 8:\n%s", n, b)
		}
		// A picture that cannot be written is a line of output, not a state.
		g = e.all(t, "--graph", filepath.Join(t.TempDir(), "missing", "seed.dot"))
		want(t, g, 0, "REPL_CONFIG OK - 8 servers audited", "\ngraph: not written: open ")
	})

	t.Run("healthy/discover", func(t *testing.T) {
		r := e.one(t, "m1", "--discover")
		// The monitoring account may not run SHOW REPLICA HOSTS (REPLICATION
		// MASTER ADMIN): discovery follows the ring only, and says so in the
		// state and the summary, with the fix (issue 16, item 7).
		want(t, r, 1, "REPL_CONFIG WARNING - Discovery incomplete: 6 replicas of "+e.addr("m1")+", "+e.addr("m2")+
			" not followed (grant REPLICATION MASTER ADMIN, with report_host and report_port set on the replicas). 2 servers audited: 0 critical, 2 warning |",
			"- WARNING [discover-complete] 3 replicas could not be followed: the processlist gives only their client hosts (127.0.0.1), not their ports "+
				"(SHOW REPLICA HOSTS: access denied (error 1227): Access denied; you need (at least one of) the REPLICATION MASTER ADMIN privilege(s) for this operation), "+
				"so neither they nor what replicates from them is audited; fix: GRANT REPLICATION MASTER ADMIN ON *.* TO the monitoring account on "+e.addr("m1"))
		want(t, e.one(t, "m1", "--discover", "--incomplete", "critical"), 2, "REPL_CONFIG CRITICAL - Discovery incomplete: 6 replicas of ")
		want(t, e.one(t, "m1", "--discover", "--incomplete", "ok"), 0, "REPL_CONFIG OK - Discovery incomplete: 6 replicas of ")
	})

	t.Run("-H with --server", func(t *testing.T) {
		// The shipped Nagios and Icinga 2 definitions pass the service's host
		// with -H besides the --server list: it is one more server of the audit.
		r := e.run(t, "-H", "127.0.0.1", "-P", strconv.Itoa(e.sb.Server("m1r1").Port), "--server", e.addr("m1"), "--server", e.addr("m2"))
		want(t, r, 0, "REPL_CONFIG OK - 3 servers audited: 0 critical, 0 warning (")
		// Named twice, it is audited once.
		r = e.run(t, "-H", "127.0.0.1", "-P", strconv.Itoa(e.sb.Server("m1").Port), "--server", e.addr("m1"), "--server", e.addr("m2"))
		want(t, r, 0, "REPL_CONFIG OK - 2 servers audited: 0 critical, 0 warning (")
	})

	t.Run("expect", func(t *testing.T) {
		r := e.one(t, "m1", "--expect", "binlog_format=STATEMENT", "--expect", "log_slave_updates=1")
		want(t, r, 1, "REPL_CONFIG WARNING - 1 server audited: 0 critical, 1 warning. Worst: [expect] "+e.addr("m1")+
			" (server_id 1): binlog_format is ROW, expected STATEMENT (--expect)",
			"- WARNING [expect] binlog_format is ROW, expected STATEMENT (--expect); fix: binlog_format = STATEMENT in [mysqld] of my.cnf")
		want(t, e.one(t, "m2", "--expect", "binlog_format=row", "--expect", "log_slave_updates=1"), 0,
			"REPL_CONFIG OK - 1 server audited: 0 critical, 0 warning (19 rule checks pass)")
		r = e.all(t, "--expect", "log_replica_updates=ON")
		want(t, r, 1, "8 servers audited: 0 critical, 6 warning. Worst: [expect] "+e.addr("m1r1")+" (server_id 11): log_slave_updates is OFF, expected ON (--expect)")
		r = e.one(t, "m1", "--expect", "no_such_variable=1")
		want(t, r, 3, "REPL_CONFIG UNKNOWN - 1 server audited: 0 critical, 0 warning, 1 unknown. Worst: [expect] "+e.addr("m1")+
			" (server_id 1): no_such_variable does not exist on MariaDB ")
	})

	t.Run("writable replica", func(t *testing.T) {
		e.exec(t, "m2r3", "SET GLOBAL read_only = OFF")
		defer e.exec(t, "m2r3", "SET GLOBAL read_only = ON")
		want(t, e.one(t, "m2r3"), 1, "REPL_CONFIG WARNING - 1 server audited: 0 critical, 1 warning. Worst: [read-only] "+e.addr("m2r3")+
			" (server_id 23): read_only is OFF on a replica: applications can write to it",
			"fix: read_only = ON in [mysqld] of my.cnf; SET GLOBAL read_only = ON applies it without a restart")
		want(t, e.all(t), 1, "8 servers audited: 0 critical, 1 warning. Worst: [read-only] "+e.addr("m2r3"),
			e.addr("m2r3")+" (server_id 23) replica [WARNING: read-only]")
		want(t, e.one(t, "m1", "--role", "replica"), 1, "[read-only] "+e.addr("m1")+" (server_id 1): read_only is OFF on a replica",
			"role replica (--role)")
	})

	t.Run("increment 1 on a ring member", func(t *testing.T) {
		e.exec(t, "m1", "SET GLOBAL auto_increment_increment = 1")
		defer e.exec(t, "m1", "SET GLOBAL auto_increment_increment = 2")
		want(t, e.one(t, "m1"), 2, "REPL_CONFIG CRITICAL - 1 server audited: 1 critical, 0 warning. Worst: [auto-increment] "+e.addr("m1")+
			" (server_id 1): auto_increment_increment is 1 but the ring has 2 masters",
			"fix: auto_increment_increment = 2 in [mysqld] of my.cnf; SET GLOBAL auto_increment_increment = 2 applies it without a restart")
		want(t, e.all(t), 2, "8 servers audited: 1 critical, 0 warning. Worst: [auto-increment] "+e.addr("m1"))
	})

	t.Run("both masters with the same offset", func(t *testing.T) {
		e.exec(t, "m2", "SET GLOBAL auto_increment_offset = 1")
		defer e.exec(t, "m2", "SET GLOBAL auto_increment_offset = 2")
		frag := "[auto-increment-offsets] " + e.addr("m1") + " (server_id 1): auto_increment_offset 1 (increment 2) collides with " +
			e.addr("m2") + " (server_id 2), offset 1 (increment 2), in the same ring"
		want(t, e.all(t), 2, "8 servers audited: 1 critical, 0 warning. Worst: "+frag)
		want(t, e.one(t, "m2"), 2, "1 server audited: 1 critical, 0 warning. Worst: [auto-increment-offsets] "+e.addr("m2")+
			" (server_id 2): auto_increment_offset 1 (increment 2) collides with "+e.addr("m1"))
	})

	t.Run("two servers with the same server_id", func(t *testing.T) {
		e.exec(t, "m1r2", "SET GLOBAL server_id = 11")
		defer e.exec(t, "m1r2", "SET GLOBAL server_id = 12")
		want(t, e.all(t), 2, "8 servers audited: 1 critical, 0 warning. Worst: [server-id-unique] "+e.addr("m1r1")+
			" (server_id 11): server_id 11 is also the server_id of "+e.addr("m1r2")+" (server_id 11): a replica ignores every event that carries its own server_id")
	})

	t.Run("unreachable server in the list", func(t *testing.T) {
		gone := fmt.Sprintf("127.0.0.1:%d", closedPort(t))
		r := e.all(t, "--server", gone)
		want(t, r, 2, "REPL_CONFIG CRITICAL - 9 servers audited: 1 critical, 0 warning. Worst: [reachable] "+gone+": cannot be audited: cannot connect to monitor@"+gone,
			"\n8 servers pass every rule (", gone+" unreachable [CRITICAL: reachable]")
		r = e.all(t, "--server", gone, "--full-output")
		want(t, r, 2, e.addr("m2r3")+" (server_id 23) MariaDB ")
		if n := strings.Count(r.Stdout, "; OK, "); n != 8 {
			t.Errorf("%d servers judged OK, want the 8 reachable ones", n)
		}
		want(t, e.all(t, "--server", gone, "--unreachable", "warning"), 1, "REPL_CONFIG WARNING - 9 servers audited: 0 critical, 1 warning. Worst: [reachable] "+gone)
		want(t, e.run(t, "-H", "127.0.0.1", "-P", gone[strings.LastIndexByte(gone, ':')+1:]), 2,
			"REPL_CONFIG CRITICAL - 1 server audited: 1 critical, 0 warning. Worst: [reachable] "+gone+": cannot be audited: cannot connect to")
	})

	t.Run("hung server", func(t *testing.T) {
		hung := e.sb.Server("m2r3")
		if err := hung.Pause(); err != nil {
			t.Fatal(err)
		}
		defer hung.Resume()
		r := e.all(t, "-t", "2")
		want(t, r, 2, "REPL_CONFIG CRITICAL - 8 servers audited: 1 critical, 0 warning. Worst: [reachable] "+hung.Addr()+": cannot be audited: ")
		if r.Elapsed > 2*time.Second {
			t.Errorf("took %v with -t 2", r.Elapsed)
		}
	})

	t.Run("account without a privilege", func(t *testing.T) {
		e.exec(t, "m2r1", "SET SESSION sql_log_bin = 0",
			"CREATE USER cfgcheck@'127.0.0.1' IDENTIFIED BY 'cfgcheck-pw'",
			"GRANT SELECT, PROCESS, BINLOG MONITOR ON *.* TO cfgcheck@'127.0.0.1'")
		defer e.exec(t, "m2r1", "SET SESSION sql_log_bin = 0", "DROP USER cfgcheck@'127.0.0.1'")
		r := clitest.Run(t, e.bin, nil, "-H", "127.0.0.1", "-P", strconv.Itoa(e.sb.Server("m2r1").Port),
			"-u", "cfgcheck", "-p", "cfgcheck-pw", "--require-ssl", "-vvv")
		want(t, r, 3, "REPL_CONFIG UNKNOWN - The monitoring account lacks SLAVE MONITOR on "+e.addr("m2r1")+": 4 rules not judged. "+
			"1 server audited: 0 critical, 0 warning, 4 unknown |",
			"- UNKNOWN [replication-ssl] not judged (--require-ssl: its replication links must use SSL): cannot tell whether it replicates: "+
				"the monitoring account lacks SLAVE MONITOR (SHOW ALL SLAVES STATUS: access denied (error 1227): Access denied; you need (at least one of) the SUPER, SLAVE MONITOR privilege(s) for this operation); "+
				"fix: GRANT SLAVE MONITOR ON *.* TO the monitoring account on "+e.addr("m2r1"),
			"- UNKNOWN [version-order] not judged (a replica must not be older than its sources): cannot tell whether it replicates: the monitoring account lacks SLAVE MONITOR",
			"replication channels unknown")
		if strings.Contains(r.Stdout+r.Stderr, "cfgcheck-pw") {
			t.Errorf("password printed")
		}
	})

	t.Run("USAGE-only account on a ring master", func(t *testing.T) {
		// Issue 16, item 5: no advice from data the account could not
		// read — not "SET GLOBAL read_only = ON" for a ring master.
		e.exec(t, "m1", "SET SESSION sql_log_bin = 0", "CREATE USER usageonly@'127.0.0.1' IDENTIFIED BY 'usage-pw'")
		defer e.exec(t, "m1", "SET SESSION sql_log_bin = 0", "DROP USER usageonly@'127.0.0.1'")
		r := clitest.Run(t, e.bin, nil, "-H", "127.0.0.1", "-P", strconv.Itoa(e.sb.Server("m1").Port), "-u", "usageonly", "-p", "usage-pw")
		want(t, r, 3, "REPL_CONFIG UNKNOWN - The monitoring account lacks SLAVE MONITOR on "+e.addr("m1")+" and BINLOG MONITOR on "+e.addr("m1")+": ",
			"- UNKNOWN [replication-filters] not judged (the servers of one topology filter their binary logs alike): SHOW BINLOG STATUS: access denied (error 1227)",
			"fix: GRANT BINLOG MONITOR ON *.* TO the monitoring account on "+e.addr("m1"),
			"- UNKNOWN [read-only] not judged (read_only must be ON on a replica outside a ring of masters): cannot tell whether it replicates: the monitoring account lacks SLAVE MONITOR",
			"fix: GRANT SLAVE MONITOR ON *.* TO the monitoring account on "+e.addr("m1"))
		for _, advice := range []string{"SET GLOBAL", "read_only = ON", "auto_increment_increment ="} {
			if strings.Contains(r.Stdout, advice) {
				t.Errorf("advice %q from data the account could not read:\n%s", advice, r.Stdout)
			}
		}
	})

	t.Run("require-ssl and durability", func(t *testing.T) {
		want(t, e.one(t, "m1r1", "--require-ssl"), 2, "Worst: [replication-ssl] "+e.addr("m1r1")+" (server_id 11): replication from "+e.addr("m1")+
			" (server_id 1) does not use SSL (--require-ssl, Master_SSL_Allowed: No)",
			"fix: STOP SLAVE; CHANGE MASTER TO MASTER_SSL = 1; START SLAVE; and REQUIRE SSL for the replication account")
		want(t, e.one(t, "m1", "--durability"), 1, "1 server audited: 0 critical, 2 warning. Worst: [sync-binlog] "+e.addr("m1")+
			" (server_id 1): sync_binlog is 0, not 1 (--durability)",
			"- WARNING [flush-log-at-trx-commit] innodb_flush_log_at_trx_commit is 2, not 1 (--durability)")
	})

	t.Run("settings that hide drift", func(t *testing.T) {
		// m2r1 stopped with a pending skip, a filter of its own and
		// conflicts skipped; m1 logging statements in a ring logging rows.
		e.exec(t, "m2r1", "STOP SLAVE", "SET GLOBAL sql_slave_skip_counter = 2", "SET GLOBAL replicate_ignore_db = 'scratch'",
			"SET GLOBAL slave_exec_mode = 'IDEMPOTENT'")
		e.exec(t, "m1", "SET GLOBAL binlog_format = 'STATEMENT'")
		defer func() {
			e.exec(t, "m1", "SET GLOBAL binlog_format = 'ROW'")
			e.exec(t, "m2r1", "SET GLOBAL sql_slave_skip_counter = 0", "SET GLOBAL replicate_ignore_db = ''", "SET GLOBAL slave_exec_mode = 'STRICT'", "START SLAVE")
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := e.sb.Server("m2r1").WaitReplicating(ctx); err != nil {
				t.Fatal(err)
			}
		}()
		r := e.all(t)
		want(t, r, 1, "REPL_CONFIG WARNING - 8 servers audited: 0 critical, 5 warning. Worst: [binlog-format] "+e.addr("m1")+" (server_id 1): binlog_format is STATEMENT on a member of a ring of 2 masters",
			"- WARNING [binlog-format] the members of its ring log in different formats ("+e.addr("m1")+" (server_id 1) logs STATEMENT, "+e.addr("m2")+" (server_id 2) logs ROW)",
			"- WARNING [exec-mode] slave_exec_mode is IDEMPOTENT: the replica silently skips",
			"- WARNING [skip-counter] Skip_Counter of replication from "+e.addr("m2")+" (server_id 2) is 2: the next events the applier reads are thrown away unapplied",
			"- WARNING [replication-filters] it filters what it applies otherwise than the 7 other replicas (",
			"here Replicate_Ignore_DB=scratch, there they filter nothing",
			e.addr("m2r1")+" (server_id 21) replica [WARNING: exec-mode, skip-counter, replication-filters]")
	})

	t.Run("m2 without log-slave-updates", func(t *testing.T) {
		restartWithout(t, e.sb.Server("m2"), "log_slave_updates=OFF")
		r := e.one(t, "m2")
		want(t, r, 2, "REPL_CONFIG CRITICAL - 1 server audited: 1 critical, 0 warning. Worst: [log-slave-updates] "+e.addr("m2")+
			" (server_id 2): log_slave_updates is OFF on a member of a ring of 2 masters: the changes it replicates from "+e.addr("m1")+
			" (server_id 1) are not written to its binary log, so the 3 replicas it serves (Binlog Dump sessions from 127.0.0.1) never receive them",
			"fix: log_slave_updates = ON in [mysqld] of my.cnf, then restart (the variable is not dynamic)")
		clitest.Golden(t, filepath.Join("testdata", "seed-m2-no-log-slave-updates-single.txt"), e.names(r.Stdout))
		r = e.all(t)
		want(t, r, 2, "8 servers audited: 1 critical, 0 warning. Worst: [log-slave-updates] "+e.addr("m2")+
			" (server_id 2): log_slave_updates is OFF on a member of a ring of 2 masters",
			"so its replicas "+e.addr("m2r1")+" (server_id 21), "+e.addr("m2r2")+" (server_id 22), "+e.addr("m2r3")+" (server_id 23) never receive them",
			e.addr("m2r1")+" (server_id 21) replica [misses relayed writes]")
		clitest.Golden(t, filepath.Join("testdata", "seed-m2-no-log-slave-updates.txt"), e.names(r.Stdout))
		dot := filepath.Join(t.TempDir(), "broken.dot")
		if g := e.all(t, "--graph", dot); g.Code != 2 || g.Stdout != r.Stdout {
			t.Errorf("--graph changed the output (exit %d):\n%s", g.Code, g.Stdout)
		}
		b, err := os.ReadFile(dot)
		if err != nil {
			t.Fatal(err)
		}
		clitest.Dot(t, string(b))
		if n := strings.Count(string(b), `[color="#c62828", label="misses relayed writes"]`); n != 3 {
			t.Errorf("%d red arrows to the replicas that miss writes, want 3:\n%s", n, b)
		}
	})
}

// restartWithout restarts s with an extra my.cnf line and waits until its
// replicas and its ring partner are connected again.
func restartWithout(t *testing.T, s *sandbox.Server, line string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Restart(ctx, line); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitDumpThreads(ctx, 4); err != nil {
		t.Fatal(err)
	}
}
