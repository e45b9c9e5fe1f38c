package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// monitorFile writes a client option file holding the monitoring account.
func monitorFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "monitor.cnf")
	body := fmt.Sprintf("[client]\nuser=%s\npassword=%s\n", sandbox.MonitorUser, sandbox.MonitorPassword)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// checker runs check_repl_io against one sandbox server.
type checker struct {
	t        *testing.T
	bin      string
	defaults string
}

func (c checker) run(s *sandbox.Server, args ...string) clitest.Result {
	c.t.Helper()
	base := []string{"--defaults-file=" + c.defaults, "-H", "127.0.0.1", "-P", fmt.Sprint(s.Port)}
	return clitest.Run(c.t, c.bin, nil, append(base, args...)...)
}

// expect asserts exit code and that the summary line contains every want.
func expect(t *testing.T, res clitest.Result, code int, wants ...string) {
	t.Helper()
	if res.Code != code {
		t.Errorf("exit %d, want %d; output:\n%s%s", res.Code, code, res.Stdout, res.Stderr)
	}
	for _, w := range wants {
		if !strings.Contains(res.Summary(), w) {
			t.Errorf("summary %q lacks %q", res.Summary(), w)
		}
	}
	if strings.Contains(res.Stdout+res.Stderr, sandbox.MonitorPassword) {
		t.Errorf("password printed: %s%s", res.Stdout, res.Stderr)
	}
}

// slaveColumn reads one column of the default connection's SHOW SLAVE STATUS, as root.
func slaveColumn(ctx context.Context, s *sandbox.Server, column string) (string, error) {
	db, err := s.RootDB()
	if err != nil {
		return "", err
	}
	rows, err := db.QueryContext(ctx, "SHOW SLAVE STATUS")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil || !rows.Next() {
		return "", fmt.Errorf("no slave status row (%v)", err)
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return "", err
	}
	for i, c := range cols {
		if c == column {
			return vals[i].String, nil
		}
	}
	return "", fmt.Errorf("no column %s", column)
}

// waitSlave polls the replica's SHOW SLAVE STATUS until column equals want, bounded.
func waitSlave(t *testing.T, s *sandbox.Server, column, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		got, err := slaveColumn(ctx, s, column)
		if err == nil && got == want {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s of %s: got %q (%v), want %q", column, s.Name, got, err, want)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitQuery polls until query returns want, bounded.
func waitQuery(t *testing.T, s *sandbox.Server, query, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		got, err := s.QueryString(ctx, query)
		if err == nil && got == want {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s on %s: got %q (%v), want %q", query, s.Name, got, err, want)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func must(t *testing.T, s *sandbox.Server, stmts ...string) {
	t.Helper()
	if err := s.Exec(context.Background(), stmts...); err != nil {
		t.Fatal(err)
	}
}

func TestReplicaScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: needs mariadbd")
	}
	bin := clitest.Build(t, "check_repl_io")
	sb := sandbox.StartT(t, sandbox.Pair())
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	c := checker{t, bin, monitorFile(t)}
	src := m1.Addr()
	must(t, m1, "CREATE DATABASE app", "CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO app.t VALUES (1,'a')")
	if err := sb.WaitReplicated(context.Background()); err != nil {
		t.Fatal(err)
	}

	t.Run("healthy", func(t *testing.T) {
		res := c.run(r1)
		expect(t, res, 0, "REPL_IO OK - default channel (from "+src+"): replicating, lag 0s |")
		for _, p := range []string{"lag=0s;60;300;0", "io_running=1;;;0;1", "sql_running=1;;;0;1", "read_exec_distance=0B;;;0", "relay_log_space="} {
			if !strings.Contains(res.Summary(), " "+p) {
				t.Errorf("perfdata lacks %q: %s", p, res.Summary())
			}
		}
		if !strings.Contains(res.Stdout, "\nOK default channel (from "+src+"): IO running (Waiting for master to send event), SQL running") {
			t.Errorf("long output: %s", res.Stdout)
		}
	})
	t.Run("verbose detail goes to stderr", func(t *testing.T) {
		quiet, loud := c.run(r1), c.run(r1, "-vv")
		if quiet.Stderr != "" {
			t.Errorf("stderr without -v: %q", quiet.Stderr)
		}
		for _, w := range []string{"stage: connecting to " + r1.Addr(), "is MariaDB 10.11.", "SHOW ALL SLAVES STATUS returned 1 channel(s)"} {
			if !strings.Contains(loud.Stderr, w) {
				t.Errorf("-vv stderr lacks %q: %q", w, loud.Stderr)
			}
		}
		if loud.Summary() == "" || loud.Code != quiet.Code || !strings.HasPrefix(loud.Stdout, "REPL_IO OK - ") {
			t.Errorf("-vv changed the plugin output: %q", loud.Stdout)
		}
	})
	t.Run("expected source", func(t *testing.T) {
		expect(t, c.run(r1, "--expect-source", src), 0, "REPL_IO OK")
		expect(t, c.run(r1, "--expect-source", "127.0.0.1:1"), 2,
			"REPL_IO CRITICAL - default channel (from "+src+"): replicates from "+src+", expected 127.0.0.1:1")
	})
	t.Run("require ssl on a plain link", func(t *testing.T) {
		expect(t, c.run(r1, "--require-ssl"), 2, "REPL_IO CRITICAL - default channel (from "+src+"): replication link without SSL")
	})
	t.Run("io thread stopped", func(t *testing.T) {
		must(t, r1, "STOP SLAVE IO_THREAD")
		defer func() {
			// The next scenario needs the IO thread connected again, not
			// still Connecting.
			must(t, r1, "START SLAVE IO_THREAD")
			if err := r1.WaitReplicating(context.Background()); err != nil {
				t.Error(err)
			}
		}()
		waitSlave(t, r1, "Slave_IO_Running", "No")
		res := c.run(r1)
		expect(t, res, 2, "REPL_IO CRITICAL - default channel (from "+src+"): IO thread stopped")
		if !strings.Contains(res.Stdout, "io_running=0;;;0;1") || !strings.Contains(res.Stdout, "lag=U") {
			t.Errorf("perfdata should show io_running=0 and an unknown lag: %s", res.Stdout)
		}
	})
	t.Run("sql thread stopped", func(t *testing.T) {
		must(t, r1, "STOP SLAVE SQL_THREAD")
		defer must(t, r1, "START SLAVE SQL_THREAD")
		expect(t, c.run(r1), 2, "REPL_IO CRITICAL - default channel (from "+src+"): SQL thread stopped")
	})
	t.Run("duplicate key 1062", func(t *testing.T) {
		must(t, r1, "SET SESSION sql_log_bin=0", "INSERT INTO app.t VALUES (2,'replica only')")
		must(t, m1, "INSERT INTO app.t VALUES (2,'from source')")
		waitSlave(t, r1, "Last_SQL_Errno", "1062")
		expect(t, c.run(r1), 2, "REPL_IO CRITICAL - default channel (from "+src+"): SQL thread stopped (error 1062: ", "Duplicate entry '2'")
		must(t, r1, "SET SESSION sql_log_bin=0", "DELETE FROM app.t WHERE id=2", "START SLAVE SQL_THREAD")
		waitQuery(t, r1, "SELECT v FROM app.t WHERE id=2", "from source")
		expect(t, c.run(r1), 0, "REPL_IO OK")
	})
	t.Run("wrong replication password", func(t *testing.T) {
		must(t, r1, "STOP SLAVE", "CHANGE MASTER TO MASTER_PASSWORD='wrong-password'", "START SLAVE")
		defer func() {
			must(t, r1, "STOP SLAVE", "CHANGE MASTER TO MASTER_PASSWORD='"+sandbox.ReplPassword+"'", "START SLAVE")
			if err := r1.WaitReplicating(context.Background()); err != nil {
				t.Error(err)
			}
		}()
		waitSlave(t, r1, "Last_IO_Errno", "1045")
		res := c.run(r1)
		expect(t, res, 2, "REPL_IO CRITICAL - default channel (from "+src+"): IO thread connecting (error 1045: ", "Access denied for user 'repl'")
		if strings.Contains(res.Stdout, "wrong-password") {
			t.Errorf("replication password printed: %s", res.Stdout)
		}
	})
	t.Run("delayed replica crosses warning then critical", func(t *testing.T) {
		must(t, r1, "STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY=60", "START SLAVE")
		defer func() {
			must(t, r1, "STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY=0", "START SLAVE")
			if err := sb.WaitReplicated(context.Background()); err != nil {
				t.Error(err)
			}
		}()
		// Both threads running again first: a run during the reconnect
		// would see the IO thread Connecting, not the lag.
		if err := r1.WaitReplicating(context.Background()); err != nil {
			t.Fatal(err)
		}
		must(t, m1, "INSERT INTO app.t VALUES (3,'delayed')")
		var sawWarn, sawCrit bool
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) && !sawCrit {
			res := c.run(r1, "-w", "2", "-c", "4")
			switch res.Code {
			case 1:
				sawWarn = true
				expect(t, res, 1, "REPL_IO WARNING - default channel (from "+src+"): lag ", "(warning 2)")
			case 2:
				sawCrit = true
				expect(t, res, 2, "REPL_IO CRITICAL - default channel (from "+src+"): lag ", "(critical 4)")
				if !strings.Contains(res.Stdout, "(configured delay 60s)") {
					t.Errorf("long output should show the configured delay: %s", res.Stdout)
				}
				sub := c.run(r1, "-w", "2", "-c", "4", "--subtract-delay")
				expect(t, sub, 0, "REPL_IO OK", "(configured delay 60s, ", "s beyond it)", " sql_delay=60s;;;0")
				// The judged value carries the thresholds, the raw lag none.
				if !regexp.MustCompile(` lag=[0-9]+s;;;0 .* lag_beyond_delay=[0-9]s;2;4;0 `).MatchString(sub.Summary()) {
					t.Errorf("--subtract-delay perfdata: %s", sub.Summary())
				}
			}
			time.Sleep(300 * time.Millisecond)
		}
		if !sawWarn || !sawCrit {
			t.Errorf("lag did not cross warning (%v) and then critical (%v)", sawWarn, sawCrit)
		}
	})
	t.Run("not a replica", func(t *testing.T) {
		expect(t, c.run(m1), 2, "REPL_IO CRITICAL - not a replica (no replication channel configured)")
		expect(t, c.run(m1, "--not-replica=ok"), 0, "REPL_IO OK - not a replica")
		expect(t, c.run(m1, "--not-replica=warning"), 1, "REPL_IO WARNING - not a replica")
	})
	t.Run("missing privilege", func(t *testing.T) {
		must(t, r1, "SET SESSION sql_log_bin=0",
			"CREATE USER 'weak'@'127.0.0.1' IDENTIFIED BY 'weak-secret'",
			"GRANT PROCESS ON *.* TO 'weak'@'127.0.0.1'")
		res := clitest.Run(t, bin, nil, "--no-defaults", "-H", "127.0.0.1", "-P", fmt.Sprint(r1.Port), "-u", "weak", "-p", "weak-secret")
		expect(t, res, 3, "REPL_IO UNKNOWN - ", "SLAVE MONITOR")
		if strings.Contains(res.Stdout, "weak-secret") {
			t.Errorf("password printed: %s", res.Stdout)
		}
	})
	t.Run("bad monitoring password", func(t *testing.T) {
		res := clitest.Run(t, bin, nil, "--no-defaults", "-H", "127.0.0.1", "-P", fmt.Sprint(r1.Port), "-u", sandbox.MonitorUser, "-p", "not-the-password")
		expect(t, res, 2, "REPL_IO CRITICAL - ", "Access denied for user 'monitor'")
		if strings.Contains(res.Stdout, "not-the-password") {
			t.Errorf("password printed: %s", res.Stdout)
		}
		res = clitest.Run(t, bin, []string{"MYSQL_PWD=" + sandbox.MonitorPassword}, "--no-defaults", "-H", "127.0.0.1", "-P", fmt.Sprint(r1.Port), "-u", sandbox.MonitorUser)
		expect(t, res, 0, "REPL_IO OK")
	})
	t.Run("hung server answered within -t", func(t *testing.T) {
		if err := r1.Pause(); err != nil {
			t.Fatal(err)
		}
		defer r1.Resume()
		res := c.run(r1, "-t", "2")
		// Unreachable, as check_repl_config and check_repl_checksum say
		// of a server that does not complete the handshake in time.
		expect(t, res, 2, "REPL_IO CRITICAL - cannot connect to monitor@"+r1.Addr()+" (TLS preferred): no answer within ")
		if res.Elapsed > 3*time.Second {
			t.Errorf("took %v with -t 2", res.Elapsed)
		}
	})
}

func TestClosedPort(t *testing.T) {
	bin := clitest.Build(t, "check_repl_io")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	res := clitest.Run(t, bin, nil, "--no-defaults", "-H", "127.0.0.1", "-P", fmt.Sprint(port), "-u", "monitor", "-p", "s3cret-pw")
	expect(t, res, 2, "REPL_IO CRITICAL - ", fmt.Sprintf("127.0.0.1:%d", port), "connection refused")
	res = clitest.Run(t, bin, nil, "--no-defaults", "-H", "127.0.0.1", "-P", fmt.Sprint(port), "-u", "monitor", "--unreachable=warning")
	expect(t, res, 1, "REPL_IO WARNING - ", "connection refused")
	if strings.Contains(res.Stdout, "s3cret-pw") {
		t.Errorf("password printed: %s", res.Stdout)
	}
}

func TestBadArguments(t *testing.T) {
	bin := clitest.Build(t, "check_repl_io")
	cases := map[string][]string{
		"unknown long flag '--bogus'":                           {"--bogus"},
		"threshold \"10:5\"":                                    {"-w", "10:5"},
		"threshold \"@\" has no range":                          {"-c", "@"},
		"\"NaN\" is not a number":                               {"-w", "NaN"},
		"out of range":                                          {"-c", "1e400"},
		"threshold is empty":                                    {"-w", ""},
		"\"maybe\" is not a state":                              {"--not-replica", "maybe"},
		"expected argument for flag '--channel'":                {"--channel"},
		"timeout \"-3\" must be positive":                       {"--timeout=-3"},
		"--expect-source: invalid server address \"db1:99999\"": {"--expect-source", "db1:99999"},
		"-w 5 can never fire: every lag it alerts on is already critical by -c 2": {"-w", "5", "-c", "2"},
		"-h is --help: give the server's host with -H (-H 127.0.0.1)":             {"-h", "127.0.0.1"},
		"heartbeat table \"heartbeat\": want DB.TABLE":                            {"--heartbeat", "heartbeat"},
		"--heartbeat-origin needs --heartbeat DB.TABLE":                           {"--heartbeat-origin", "1"},
		"--heartbeat-utc needs --heartbeat DB.TABLE":                              {"--heartbeat-utc"},
		"--heartbeat-max-age needs --heartbeat DB.TABLE":                          {"--heartbeat-max-age", "2h"},
		"--heartbeat-origin 0: a server_id is 1 to 4294967295":                    {"--heartbeat", "hb.t", "--heartbeat-origin", "0"},
		"--heartbeat-origin: \"two\" is not a whole number":                       {"--heartbeat", "hb.t", "--heartbeat-origin", "two"},
		"\"0s\" must be positive":                                                 {"--heartbeat", "hb.t", "--heartbeat-max-age", "0s"},
		"\"soon\" is neither seconds nor a duration":                              {"--heartbeat", "hb.t", "--heartbeat-max-age", "soon"},
	}
	for want, args := range cases {
		res := clitest.Run(t, bin, nil, args...)
		if res.Code != 3 || !strings.HasPrefix(res.Stdout, "REPL_IO UNKNOWN - invalid command line: ") ||
			!strings.Contains(res.Stdout, want) || strings.Count(res.Stdout, "\n") != 1 || res.Stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 3 and one line mentioning %q", args, res.Code, res.Stdout, res.Stderr, want)
		}
	}
	res := clitest.Run(t, bin, nil, "--help")
	if res.Code != 3 || !strings.Contains(res.Stdout, "--expect-source=HOST:PORT") || !strings.Contains(res.Stdout, "--defaults-file") {
		t.Errorf("--help: exit %d\n%s", res.Code, res.Stdout)
	}
	res = clitest.Run(t, bin, nil, "-V")
	if res.Code != 3 || res.Stdout != "check_repl_io test\n" {
		t.Errorf("-V: exit %d %q", res.Code, res.Stdout)
	}
}

func TestEveryChannelJudged(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: needs mariadbd")
	}
	bin := clitest.Build(t, "check_repl_io")
	// A MariaDB multi-source replica: the default connection from a, and
	// a named connection 'site2' from b (different gtid domains).
	sb := sandbox.StartT(t, sandbox.Topology{Servers: []sandbox.ServerSpec{
		{Name: "a", ServerID: 1, LogBin: true, Cnf: []string{"gtid_domain_id=1"}},
		{Name: "b", ServerID: 2, LogBin: true, Cnf: []string{"gtid_domain_id=2"}},
		{Name: "r", ServerID: 3, ReadOnly: true, Sources: []sandbox.Link{{Source: "a"}, {Channel: "site2", Source: "b"}}},
	}})
	a, b, r := sb.Server("a"), sb.Server("b"), sb.Server("r")
	c := checker{t, bin, monitorFile(t)}

	res := c.run(r)
	expect(t, res, 0, "REPL_IO OK - 2 channels replicating, highest lag 0s")
	for _, p := range []string{" lag=0s;60;300;0", " lag_site2=0s;60;300;0", " sql_running_site2=1;;;0;1"} {
		if !strings.Contains(res.Summary(), p) {
			t.Errorf("perfdata lacks %q", p)
		}
	}
	if !strings.Contains(res.Stdout, "\nOK default channel (from "+a.Addr()+"): IO running") ||
		!strings.Contains(res.Stdout, "\nOK channel 'site2' (from "+b.Addr()+"): IO running") {
		t.Errorf("long output should have one line per channel:\n%s", res.Stdout)
	}

	must(t, r, "STOP SLAVE 'site2' IO_THREAD")
	defer must(t, r, "START SLAVE 'site2' IO_THREAD")
	expect(t, c.run(r), 2, "REPL_IO CRITICAL - channel 'site2' (from "+b.Addr()+"): IO thread stopped")
	expect(t, c.run(r, "--channel", ""), 0, "REPL_IO OK - default channel (from "+a.Addr()+"): replicating")
	expect(t, c.run(r, "--channel", "site2"), 2, "REPL_IO CRITICAL - channel 'site2'")
	expect(t, c.run(r, "--channel", "site3"), 2, "REPL_IO CRITICAL - channel 'site3': channel is not configured on this server")
	expect(t, c.run(r, "--expect-source", a.Addr()), 2, "channel 'site2' (from "+b.Addr()+"): IO thread stopped, replicates from "+b.Addr()+", expected "+a.Addr())
}
