package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// ringWithReplica is the seed's layout cut to one path: masters m1 <-> m2
// replicating each other, and m2r1, a replica of m2 (a replica of a
// replica of m1). m2 writes what it applies to its binary log
// (log_slave_updates), so m1's rows reach m2r1 through it.
func ringWithReplica() sandbox.Topology {
	return sandbox.Topology{Servers: []sandbox.ServerSpec{
		{Name: "m1", ServerID: 1, LogBin: true, Sources: []sandbox.Link{{Source: "m2"}}, Cnf: []string{"gtid_domain_id=1"}},
		{Name: "m2", ServerID: 2, LogBin: true, Sources: []sandbox.Link{{Source: "m1"}}, Cnf: []string{"gtid_domain_id=2"}},
		{Name: "m2r1", ServerID: 21, ReadOnly: true, Sources: []sandbox.Link{{Source: "m2"}}},
	}}
}

// heartbeatTable is pt-heartbeat's --create-table layout.
const heartbeatTable = "CREATE TABLE hb.heartbeat (ts varchar(26) NOT NULL, server_id int unsigned NOT NULL PRIMARY KEY, " +
	"file varchar(255) DEFAULT NULL, position bigint unsigned DEFAULT NULL, " +
	"relay_master_log_file varchar(255) DEFAULT NULL, exec_master_log_pos bigint unsigned DEFAULT NULL)"

// beat writes the master's heartbeat row every interval, as pt-heartbeat
// --update does (ts in its format, the master's server_id), until ctx ends.
func beat(ctx context.Context, t *testing.T, wg *sync.WaitGroup, s *sandbox.Server, interval time.Duration) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		stmt := fmt.Sprintf("REPLACE INTO hb.heartbeat (ts, server_id) VALUES (DATE_FORMAT(NOW(6), '%%Y-%%m-%%dT%%H:%%i:%%s.%%f'), %d)", s.ServerID)
		for {
			if err := s.Exec(ctx, stmt); err != nil && ctx.Err() == nil {
				t.Errorf("heartbeat on %s: %v", s.Name, err)
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(interval):
			}
		}
	}()
}

// waitFor runs the check until ok accepts its result, bounded.
func waitFor(t *testing.T, c checker, s *sandbox.Server, what string, ok func(clitest.Result) bool, args ...string) clitest.Result {
	t.Helper()
	deadline := time.Now().Add(40 * time.Second)
	for {
		res := c.run(s, args...)
		if ok(res) {
			return res
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: never seen; last output (exit %d):\n%s", what, res.Code, res.Stdout)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func TestHeartbeat(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: needs mariadbd")
	}
	bin := clitest.Build(t, "check_repl_io")
	sb := sandbox.StartT(t, ringWithReplica())
	m1, m2, m2r1 := sb.Server("m1"), sb.Server("m2"), sb.Server("m2r1")
	c := checker{t, bin, monitorFile(t)}
	ctx := context.Background()
	must(t, m1, "CREATE DATABASE hb", heartbeatTable)
	if err := sb.WaitReplicated(ctx); err != nil {
		t.Fatal(err)
	}
	bctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stop()
	beat(bctx, t, &wg, m1, 100*time.Millisecond)
	beat(bctx, t, &wg, m2, 100*time.Millisecond)
	waitQuery(t, m2r1, "SELECT COUNT(*) FROM hb.heartbeat", "2")
	hb := []string{"--heartbeat", "hb.heartbeat"}

	t.Run("every origin judged", func(t *testing.T) {
		res := waitFor(t, c, m2r1, "both origins within 5s", func(r clitest.Result) bool { return r.Code == 0 }, append(hb, "-w", "5", "-c", "10")...)
		expect(t, res, 0, "REPL_IO OK - default channel (from "+m2.Addr()+"): replicating, heartbeat lag at most ", "from 2 origins (Seconds_Behind_Master ")
		for _, p := range []string{" lag=0s;;;0 ", " heartbeat_lag_1=", " heartbeat_lag_2="} {
			if !strings.Contains(res.Summary()+" ", p) {
				t.Errorf("perfdata lacks %q: %s", p, res.Summary())
			}
		}
		if strings.Contains(res.Stdout, "heartbeat_lag_21") || strings.Contains(res.Stdout, "server_id 21") {
			t.Errorf("m2r1's own server_id judged: %s", res.Stdout)
		}
		for _, l := range []string{"\nOK heartbeat from server_id 1 on " + m2r1.Addr() + ": lag ", "\nOK heartbeat from server_id 2 on " + m2r1.Addr() + ": lag ",
			"\nheartbeat lag is the time of " + m2r1.Addr() + "'s clock minus the time an origin wrote its row of hb.heartbeat"} {
			if !strings.Contains(res.Stdout, l) {
				t.Errorf("long output lacks %q:\n%s", l, res.Stdout)
			}
		}
	})

	t.Run("stopped middle hop", func(t *testing.T) {
		// m2 stops applying m1's changes: m1's beats stop at m2, m2's own
		// beats still reach m2r1, whose Seconds_Behind_Master stays 0.
		must(t, m2, "STOP SLAVE SQL_THREAD")
		defer func() {
			must(t, m2, "START SLAVE SQL_THREAD")
			waitFor(t, c, m2r1, "recovery", func(r clitest.Result) bool { return r.Code == 0 }, append(hb, "-w", "5", "-c", "10")...)
		}()
		res := waitFor(t, c, m2r1, "m1's heartbeat beyond 4s", func(r clitest.Result) bool { return r.Code == 2 }, append(hb, "-w", "2", "-c", "4")...)
		expect(t, res, 2, "REPL_IO CRITICAL - heartbeat from server_id 1 is ", "s old on "+m2r1.Addr()+" (critical 4)")
		if !regexp.MustCompile(` lag=0s;;;0 .* heartbeat_lag_1=([4-9]|[1-9][0-9])(\.[0-9]+)?s;2;4;0 heartbeat_lag_2=0(\.[0-9]+)?s;2;4;0`).MatchString(res.Summary()) {
			t.Errorf("perfdata should show Seconds_Behind_Master 0 and only m1's heartbeat lagging: %s", res.Summary())
		}
		if !strings.Contains(res.Stdout, "\nOK default channel (from "+m2.Addr()+"): IO running (Waiting for master to send event), SQL running") ||
			!strings.Contains(res.Stdout, "while Seconds_Behind_Master here is 0s: it measures the last hop only") ||
			!strings.Contains(res.Stdout, "\nOK heartbeat from server_id 2 on ") {
			t.Errorf("long output:\n%s", res.Stdout)
		}
		if sbm, err := slaveColumn(ctx, m2r1, "Seconds_Behind_Master"); err != nil || sbm != "0" {
			t.Errorf("m2r1's Seconds_Behind_Master is %q (%v), want 0: the scenario is not the one described", sbm, err)
		}
		// The middle hop itself says why.
		expect(t, c.run(m2, hb...), 2, "REPL_IO CRITICAL - default channel (from "+m1.Addr()+"): SQL thread stopped")
	})

	t.Run("origin asked for without a row", func(t *testing.T) {
		res := c.run(m2r1, append(hb, "--heartbeat-origin", "1", "--heartbeat-origin", "3")...)
		expect(t, res, 3, "REPL_IO UNKNOWN - no heartbeat row of server_id 3 in hb.heartbeat on "+m2r1.Addr()+
			": run pt-heartbeat --update on the master with server_id 3 (every server between it and this one needs log_slave_updates), or drop --heartbeat-origin 3")
		if !strings.Contains(res.Summary(), " heartbeat_lag_1=") || !strings.Contains(res.Summary(), " heartbeat_lag_3=U;60;300;0") || strings.Contains(res.Summary(), "heartbeat_lag_2") {
			t.Errorf("perfdata of the asked origins only: %s", res.Summary())
		}
	})

	t.Run("missing table", func(t *testing.T) {
		expect(t, c.run(m2r1, "--heartbeat", "hb.nosuch"), 3, "REPL_IO UNKNOWN - heartbeat table hb.nosuch does not exist on "+m2r1.Addr()+
			" (Error 1146 (42S02): Table 'hb.nosuch' doesn't exist): create it with pt-heartbeat --create-table --update on each master")
	})

	t.Run("an origin that is gone", func(t *testing.T) {
		must(t, m1, "INSERT INTO hb.heartbeat (ts, server_id) VALUES ('2020-01-01 00:00:00', 99)")
		defer must(t, m1, "DELETE FROM hb.heartbeat WHERE server_id = 99")
		waitQuery(t, m2r1, "SELECT COUNT(*) FROM hb.heartbeat WHERE server_id = 99", "1")
		res := c.run(m2r1, append(hb, "-w", "5", "-c", "10")...)
		expect(t, res, 0, "REPL_IO OK - ", "from 2 origins")
		if !strings.Contains(res.Stdout, "\nOK heartbeat from server_id 99 on "+m2r1.Addr()+" ignored: last beat ") ||
			!strings.Contains(res.Stdout, "older than --heartbeat-max-age 24h0m0s: an origin that is gone") || strings.Contains(res.Summary(), "heartbeat_lag_99") {
			t.Errorf("the gone origin should be listed, not judged:\n%s", res.Stdout)
		}
		expect(t, c.run(m2r1, append(hb, "--heartbeat-origin", "99")...), 2, "REPL_IO CRITICAL - heartbeat from server_id 99 is ")
	})

	t.Run("account without SELECT on the table", func(t *testing.T) {
		must(t, m2r1, "SET SESSION sql_log_bin=0",
			"CREATE USER 'hbweak'@'127.0.0.1' IDENTIFIED BY 'hbweak-secret'",
			"GRANT SLAVE MONITOR ON *.* TO 'hbweak'@'127.0.0.1'")
		res := clitest.Run(t, bin, nil, "--no-defaults", "-H", "127.0.0.1", "-P", fmt.Sprint(m2r1.Port), "-u", "hbweak", "-p", "hbweak-secret", "--heartbeat", "hb.heartbeat")
		expect(t, res, 3, "REPL_IO UNKNOWN - heartbeat table hb.heartbeat cannot be read on "+m2r1.Addr()+": access denied (error 1142): SELECT command denied to user 'hbweak'@'127.0.0.1' for table `hb`.`heartbeat`",
			"fix: GRANT SELECT ON hb.heartbeat TO the monitoring account")
		if strings.Contains(res.Stdout, "hbweak-secret") {
			t.Errorf("password printed: %s", res.Stdout)
		}
	})
}

// TestPtHeartbeat runs the real pt-heartbeat --update (percona-toolkit) on
// both masters, in UTC from a machine whose local time is not, and judges
// its table on the replica of a replica, healthy and through a stopped
// middle hop.
func TestPtHeartbeat(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: needs mariadbd and pt-heartbeat")
	}
	pt, err := exec.LookPath("pt-heartbeat")
	if err != nil {
		t.Fatal("pt-heartbeat is not installed: run make test, which installs percona-toolkit (make deps)")
	}
	bin := clitest.Build(t, "check_repl_io")
	sb := sandbox.StartT(t, ringWithReplica())
	m1, m2, m2r1 := sb.Server("m1"), sb.Server("m2"), sb.Server("m2r1")
	c := checker{t, bin, monitorFile(t)}
	must(t, m1, "CREATE DATABASE pt")
	if err := sb.WaitReplicated(context.Background()); err != nil {
		t.Fatal(err)
	}
	start := func(s *sandbox.Server, extra ...string) {
		t.Helper()
		args := append([]string{"--update", "--database", "pt", "--table", "heartbeat", "--replace", "--utc", "--interval", "0.2",
			"--socket", s.Socket, "--user", "root", "--no-version-check"}, extra...)
		cmd := exec.Command(pt, args...)
		// pt-heartbeat's own local time is 9 hours ahead: --utc must not care.
		cmd.Env = append(os.Environ(), "TZ=Asia/Tokyo")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			if t.Failed() {
				t.Logf("pt-heartbeat on %s:\n%s", s.Name, out.String())
			}
		})
	}
	start(m1, "--create-table")
	waitQuery(t, m2, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'pt' AND TABLE_NAME = 'heartbeat'", "1")
	start(m2)
	waitQuery(t, m2r1, "SELECT COUNT(*) FROM pt.heartbeat WHERE server_id IN (1, 2)", "2")
	hb := []string{"--heartbeat", "pt.heartbeat", "--heartbeat-utc"}

	res := waitFor(t, c, m2r1, "pt-heartbeat's rows within 5s", func(r clitest.Result) bool { return r.Code == 0 }, append(hb, "-w", "5", "-c", "10")...)
	expect(t, res, 0, "REPL_IO OK - default channel (from "+m2.Addr()+"): replicating, heartbeat lag at most ", "from 2 origins")
	if strings.Contains(res.Stdout, "ahead of this server's clock") {
		t.Errorf("pt-heartbeat --utc read as another time zone:\n%s", res.Stdout)
	}
	if !regexp.MustCompile(`\nOK heartbeat from server_id 1 on [0-9.:]+: lag [0-9.]+s, last beat 20[0-9-]+T[0-9:]+\.[0-9]{6}\n`).MatchString(res.Stdout) {
		t.Errorf("long output should show pt-heartbeat's ts:\n%s", res.Stdout)
	}

	must(t, m2, "STOP SLAVE SQL_THREAD")
	defer must(t, m2, "START SLAVE SQL_THREAD")
	res = waitFor(t, c, m2r1, "m1's heartbeat beyond 3s", func(r clitest.Result) bool { return r.Code == 2 }, append(hb, "-w", "2", "-c", "3")...)
	expect(t, res, 2, "REPL_IO CRITICAL - heartbeat from server_id 1 is ", "(critical 3)")
	if !strings.Contains(res.Summary(), " lag=0s;;;0 ") {
		t.Errorf("m2r1's Seconds_Behind_Master should stay 0: %s", res.Summary())
	}
}
