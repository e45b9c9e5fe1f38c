package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// testCtx returns a context bounded well below the go test timeout.
func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// mustExec runs statements as root on s or fails the test.
func mustExec(t *testing.T, s *Server, stmts ...string) {
	t.Helper()
	if err := s.Exec(testCtx(t, 20*time.Second), stmts...); err != nil {
		t.Fatal(err)
	}
}

// query returns the first column of the first row or fails the test.
func query(t *testing.T, s *Server, q string) string {
	t.Helper()
	v, err := s.QueryString(testCtx(t, 20*time.Second), q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// waitReplicated calls WaitReplicated with a bound, failing the test on error.
func waitReplicated(t *testing.T, sb *Sandbox) {
	t.Helper()
	start := time.Now()
	if err := sb.WaitReplicated(testCtx(t, 30*time.Second)); err != nil {
		t.Fatalf("WaitReplicated after %s: %v", time.Since(start), err)
	}
}

// mysqlErrno returns the server error number of err, or 0.
func mysqlErrno(err error) uint16 {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number
	}
	return 0
}

func TestPair(t *testing.T) {
	// mariadbd deletes the #sql* files of its tmpdir when it starts: a
	// sandbox server must not touch those of other servers in /tmp.
	planted := filepath.Join(os.TempDir(), fmt.Sprintf("#sql-temptable-replmon-%d-1-1.MAI", os.Getpid()))
	if err := os.WriteFile(planted, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(planted)
	start := time.Now()
	sb := StartT(t, Pair())
	t.Logf("Pair ready in %s", time.Since(start))
	if _, err := os.Stat(planted); err != nil {
		t.Errorf("starting the sandbox removed %s, a temporary table file of another server: %v", planted, err)
	}
	m1, r1 := sb.Server("m1"), sb.Server("r1")

	t.Run("layout", func(t *testing.T) {
		if got := len(sb.Servers()); got != 2 || sb.Servers()[0] != m1 {
			t.Fatalf("Servers() = %d servers, first %v", got, sb.Servers()[0])
		}
		if sb.Server("absent") != nil {
			t.Fatal("Server(absent) is not nil")
		}
		if m1.Port == r1.Port || m1.Port == 3306 || m1.Port == 0 {
			t.Fatalf("ports m1=%d r1=%d", m1.Port, r1.Port)
		}
		if !strings.HasPrefix(sb.Dir, "/tmp/") || len(r1.Socket) > maxSocketPath {
			t.Fatalf("dir %s, socket %s", sb.Dir, r1.Socket)
		}
		checks := []struct {
			s       *Server
			q, want string
		}{
			{m1, "SELECT @@server_id", "1"},
			{r1, "SELECT @@server_id", "11"},
			{m1, "SELECT @@port", strconv.Itoa(m1.Port)},
			{m1, "SELECT @@log_bin", "1"},
			{m1, "SELECT @@read_only", "0"},
			{r1, "SELECT @@read_only", "1"},
			{r1, "SELECT @@relay_log_recovery", "1"},
			{r1, "SELECT @@max_connections", "400"},
			{r1, "SELECT @@performance_schema", "0"},
			{r1, "SELECT @@bind_address", "127.0.0.1"},
			// the accounts were created without a binary log: nothing to replicate
			{m1, "SELECT @@gtid_binlog_state", ""},
		}
		for _, c := range checks {
			if got := query(t, c.s, c.q); got != c.want {
				t.Errorf("%s: %s = %q, want %q", c.s.Name, c.q, got, c.want)
			}
		}
	})

	t.Run("replicates", func(t *testing.T) {
		mustExec(t, m1, "CREATE DATABASE t", "CREATE TABLE t.a (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))",
			"INSERT INTO t.a (v) VALUES ('one')")
		waitReplicated(t, sb)
		if got := query(t, r1, "SELECT GROUP_CONCAT(v) FROM t.a"); got != "one" {
			t.Fatalf("r1 has %q, want one", got)
		}
	})

	t.Run("accounts", func(t *testing.T) {
		mon, err := sql.Open("mysql", r1.MonitorDSN())
		if err != nil {
			t.Fatal(err)
		}
		defer mon.Close()
		ctx := testCtx(t, 10*time.Second)
		rows, err := mon.QueryContext(ctx, "SHOW ALL SLAVES STATUS")
		if err != nil {
			t.Fatalf("monitor: SHOW ALL SLAVES STATUS: %v", err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		if n != 1 {
			t.Errorf("monitor sees %d replication channels on r1, want 1", n)
		}
		var grants string
		if err := mon.QueryRowContext(ctx, "SHOW GRANTS FOR CURRENT_USER").Scan(&grants); err != nil {
			t.Fatal(err)
		}
		if want := "GRANT SELECT, PROCESS, BINLOG MONITOR, SLAVE MONITOR ON *.* TO `monitor`@`127.0.0.1`"; !strings.HasPrefix(grants, want) {
			t.Errorf("monitor grants %q, want prefix %q", grants, want)
		}
		monM1, _ := sql.Open("mysql", m1.MonitorDSN())
		defer monM1.Close()
		if _, err := monM1.ExecContext(ctx, "INSERT INTO t.a (v) VALUES ('monitor')"); mysqlErrno(err) != 1142 {
			t.Errorf("monitor INSERT on m1: err = %v, want error 1142 (command denied)", err)
		}
		// check_repl_checksum waits by binary log position where GTIDs
		// cannot tell (BINLOG MONITOR), but the account cannot take a lock.
		if _, err := monM1.ExecContext(ctx, "SHOW MASTER STATUS"); err != nil {
			t.Errorf("monitor: SHOW MASTER STATUS on m1: %v, want it allowed (BINLOG MONITOR)", err)
		}
		if _, err := monM1.ExecContext(ctx, "LOCK TABLES t.a READ"); mysqlErrno(err) != 1044 && mysqlErrno(err) != 1142 {
			t.Errorf("monitor LOCK TABLES on m1: err = %v, want access denied", err)
		}
		root, _ := sql.Open("mysql", m1.DSN("root", ""))
		defer root.Close()
		if err := root.PingContext(ctx); mysqlErrno(err) != 1045 {
			t.Errorf("root over TCP: err = %v, want 1045 (access denied)", err)
		}
		repl, _ := sql.Open("mysql", m1.DSN(ReplUser, ReplPassword))
		defer repl.Close()
		if _, err := repl.ExecContext(ctx, "SELECT * FROM t.a"); mysqlErrno(err) != 1142 {
			t.Errorf("repl SELECT: err = %v, want 1142", err)
		}
	})

	t.Run("exec keeps no session state", func(t *testing.T) {
		err := m1.Exec(testCtx(t, 10*time.Second), "SET sql_log_bin=0", "SELECT no_such_column FROM t.a")
		if err == nil || !strings.Contains(err.Error(), "SELECT no_such_column FROM t.a") || !strings.Contains(err.Error(), "m1") {
			t.Fatalf("Exec error %v should name the server and the statement", err)
		}
		for range 5 { // pool size is 4: any leaked session would show up
			if v := query(t, m1, "SELECT @@SESSION.sql_log_bin"); v != "1" {
				t.Fatalf("sql_log_bin=%s leaked into the pool", v)
			}
		}
	})

	t.Run("pause and resume", func(t *testing.T) {
		if err := r1.Pause(); err != nil {
			t.Fatal(err)
		}
		if r1.Running() {
			t.Error("Running() after Pause")
		}
		start := time.Now()
		if _, err := r1.QueryString(testCtx(t, 300*time.Millisecond), "SELECT 1"); err == nil {
			t.Fatal("a paused server answered")
		}
		mustExec(t, m1, "INSERT INTO t.a (v) VALUES ('two')")
		waitReplicated(t, sb) // skips the paused replica
		if time.Since(start) > 10*time.Second {
			t.Errorf("WaitReplicated waited for a paused server (%s)", time.Since(start))
		}
		if err := r1.Resume(); err != nil {
			t.Fatal(err)
		}
		waitReplicated(t, sb)
		if got := query(t, r1, "SELECT GROUP_CONCAT(v ORDER BY id) FROM t.a"); got != "one,two" {
			t.Fatalf("r1 has %q after Resume, want one,two", got)
		}
	})

	t.Run("shutdown and start again", func(t *testing.T) {
		pid, port, data := r1.Pid(), r1.Port, r1.DataDir
		if err := r1.Shutdown(); err != nil {
			t.Fatal(err)
		}
		if r1.Pid() != 0 || syscall.Kill(pid, 0) == nil {
			t.Fatalf("mariadbd %d still alive after Shutdown", pid)
		}
		if !strings.Contains(r1.LogTail(5), "Shutdown complete") {
			t.Errorf("no clean shutdown in the log:\n%s", r1.LogTail(5))
		}
		mustExec(t, m1, "INSERT INTO t.a (v) VALUES ('three')")
		if err := r1.StartAgain(testCtx(t, 30*time.Second)); err != nil {
			t.Fatal(err)
		}
		if r1.Port != port || r1.DataDir != data || r1.Pid() == pid {
			t.Fatalf("restart changed port/datadir or kept pid")
		}
		waitReplicated(t, sb)
		if got := query(t, r1, "SELECT GROUP_CONCAT(v ORDER BY id) FROM t.a"); got != "one,two,three" {
			t.Fatalf("r1 has %q after restart, want one,two,three", got)
		}
	})

	t.Run("kill and start again", func(t *testing.T) {
		if err := m1.Kill(); err != nil {
			t.Fatal(err)
		}
		if err := m1.Kill(); err == nil {
			t.Error("Kill of a dead server did not fail")
		}
		if err := m1.StartAgain(testCtx(t, 30*time.Second)); err != nil {
			t.Fatal(err)
		}
		mustExec(t, m1, "INSERT INTO t.a (v) VALUES ('four')")
		waitReplicated(t, sb)
		if got := query(t, r1, "SELECT COUNT(*) FROM t.a"); got != "4" {
			t.Fatalf("r1 has %s rows after the source crashed, want 4", got)
		}
	})

	t.Run("broken channel is reported, not awaited", func(t *testing.T) {
		mustExec(t, r1, "SET sql_log_bin=0", "INSERT INTO t.a (id, v) VALUES (100, 'conflict')")
		mustExec(t, m1, "INSERT INTO t.a (id, v) VALUES (100, 'from m1')")
		start := time.Now()
		err := sb.WaitReplicated(testCtx(t, 20*time.Second))
		if err == nil || !strings.Contains(err.Error(), "broken") || !strings.Contains(err.Error(), "1062") {
			t.Fatalf("WaitReplicated = %v, want a broken-channel error naming 1062", err)
		}
		if time.Since(start) > 10*time.Second {
			t.Errorf("broken channel took %s to report", time.Since(start))
		}
	})

	t.Run("stop", func(t *testing.T) {
		pids := []int{m1.Pid(), r1.Pid()}
		if err := r1.Pause(); err != nil { // Stop must resume it first
			t.Fatal(err)
		}
		if err := sb.Stop(); err != nil {
			t.Fatal(err)
		}
		for _, pid := range pids {
			if syscall.Kill(pid, 0) == nil {
				t.Errorf("mariadbd %d survived Stop", pid)
			}
		}
		if _, err := os.Stat(sb.Dir); !os.IsNotExist(err) {
			t.Errorf("%s still exists after Stop: %v", sb.Dir, err)
		}
		if err := sb.Stop(); err != nil {
			t.Errorf("second Stop: %v", err)
		}
	})
}

func TestSeed(t *testing.T) {
	start := time.Now()
	sb := StartT(t, Seed())
	t.Logf("Seed ready in %s", time.Since(start))
	m1, m2 := sb.Server("m1"), sb.Server("m2")
	if len(sb.Servers()) != 8 {
		t.Fatalf("%d servers, want 8", len(sb.Servers()))
	}
	mustExec(t, m1, "CREATE DATABASE t", "CREATE TABLE t.a (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))",
		"INSERT INTO t.a (v) VALUES ('from m1')")
	waitReplicated(t, sb)
	mustExec(t, m2, "INSERT INTO t.a (v) VALUES ('from m2')")
	waitReplicated(t, sb)
	for _, s := range sb.Servers() {
		if got := query(t, s, "SELECT GROUP_CONCAT(id, ':', v ORDER BY id) FROM t.a"); got != "1:from m1,2:from m2" {
			t.Errorf("%s has %q, want both rows with ids 1 (m1, offset 1) and 2 (m2, offset 2)", s.Name, got)
		}
		master := s.Name == "m1" || s.Name == "m2"
		wantRO := map[bool]string{true: "0", false: "1"}[master]
		if got := query(t, s, "SELECT @@read_only"); got != wantRO {
			t.Errorf("%s: read_only=%s, want %s", s.Name, got, wantRO)
		}
	}
	for _, c := range []struct{ s, q, want string }{
		{"m1", "SELECT CONCAT(@@log_slave_updates+0, @@auto_increment_increment, @@auto_increment_offset, @@gtid_domain_id)", "1211"},
		{"m2", "SELECT CONCAT(@@log_slave_updates+0, @@auto_increment_increment, @@auto_increment_offset, @@gtid_domain_id)", "1222"},
		{"m2r3", "SELECT @@server_id", "23"},
	} {
		if got := query(t, sb.Server(c.s), c.q); got != c.want {
			t.Errorf("%s: %s = %q, want %q", c.s, c.q, got, c.want)
		}
	}
}

func TestSeedWithoutLogSlaveUpdates(t *testing.T) {
	topo := Seed()
	m2spec := topo.Server("m2")
	m2spec.Cnf = append(m2spec.Cnf, "log_slave_updates=OFF")
	sb := StartT(t, topo)
	m1, m2 := sb.Server("m1"), sb.Server("m2")
	if got := query(t, m2, "SELECT @@log_slave_updates"); got != "0" {
		t.Fatalf("m2 log_slave_updates=%s: the extra Cnf line did not override the default", got)
	}
	mustExec(t, m1, "CREATE DATABASE t", "CREATE TABLE t.a (v VARCHAR(20))", "INSERT INTO t.a VALUES ('from m1')")
	waitReplicated(t, sb)
	mustExec(t, m2, "CREATE DATABASE t2", "CREATE TABLE t2.b (v VARCHAR(20))", "INSERT INTO t2.b VALUES ('from m2')")
	waitReplicated(t, sb) // must not hang on m1's row that m2 never logs

	hasM1Row := "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='t' AND TABLE_NAME='a'"
	for _, s := range sb.Servers() {
		wantM1 := "1"
		if strings.HasPrefix(s.Name, "m2r") {
			wantM1 = "0" // the seed's gotcha: m2 applied it but did not log it
		}
		if got := query(t, s, hasM1Row); got != wantM1 {
			t.Errorf("%s: table t.a present=%s, want %s", s.Name, got, wantM1)
		}
		if got := query(t, s, "SELECT COUNT(*) FROM t2.b"); got != "1" {
			t.Errorf("%s: %s rows of m2's table, want 1", s.Name, got)
		}
	}
	if got := query(t, m2, "SELECT COUNT(*) FROM t.a"); got != "1" {
		t.Errorf("m2 has %s rows from m1, want 1", got)
	}
}

// TestSeedPositions: the seed as the post configures it, both masters in
// domain 0 replicating by file and position. With both masters writing at
// once the domain has two originating servers, and WaitReplicated waits on
// the binary log positions, which a GTID comparison per domain cannot do.
func TestSeedPositions(t *testing.T) {
	topo := SeedPositions()
	var keep []ServerSpec
	for _, s := range topo.Servers {
		if s.Name == "m1" || s.Name == "m2" || s.Name == "m1r1" || s.Name == "m2r1" {
			keep = append(keep, s)
		}
	}
	topo.Servers = keep
	sb := StartT(t, topo)
	m1, m2 := sb.Server("m1"), sb.Server("m2")
	mustExec(t, m1, "CREATE DATABASE t", "CREATE TABLE t.a (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
		"CREATE TABLE t.b (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
	waitReplicated(t, sb)
	done := make(chan error, 2)
	for _, w := range []struct {
		s     *Server
		table string
	}{{m1, "t.a"}, {m2, "t.b"}} {
		go func() {
			var err error
			for i := 0; i < 200 && err == nil; i++ {
				err = w.s.Exec(testCtx(t, 20*time.Second), "INSERT INTO "+w.table+" (v) VALUES ("+strconv.Itoa(i)+")")
			}
			done <- err
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	waitReplicated(t, sb)
	for _, s := range sb.Servers() {
		if got := query(t, s, "SELECT CONCAT((SELECT COUNT(*) FROM t.a), ' ', (SELECT COUNT(*) FROM t.b), ' ', @@gtid_domain_id)"); got != "200 200 0" {
			t.Errorf("%s: rows of t.a, t.b and domain %q, want 200 200 0", s.Name, got)
		}
	}
	for _, s := range []*Server{m1, m2, sb.Server("m2r1")} {
		st, err := channelStatus(testCtx(t, 10*time.Second), s)
		if err != nil {
			t.Fatal(err)
		}
		if c, ok := st[""]; !ok || c.usingGTID != "No" || len(st) != 1 {
			t.Errorf("%s: channels %+v, want the default one with Using_Gtid No", s.Name, st)
		}
	}
	if got := query(t, m1, "SELECT @@gtid_binlog_state"); !strings.Contains(got, "0-1-") || !strings.Contains(got, "0-2-") {
		t.Errorf("m1 gtid_binlog_state %q: want domain 0 with both masters as origins", got)
	}
}

// TestPairInTimeZones: the servers run in the time zones asked, and a
// TIMESTAMP replicates as the same instant.
func TestPairInTimeZones(t *testing.T) {
	sb := StartT(t, PairInTimeZones("+00:00", "+05:30"))
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	mustExec(t, m1, "CREATE DATABASE t", "CREATE TABLE t.a (id INT PRIMARY KEY, ts TIMESTAMP NULL)",
		"INSERT INTO t.a VALUES (1, '2024-06-01 12:00:00')")
	waitReplicated(t, sb)
	for _, c := range []struct {
		s          *Server
		zone, text string
	}{{m1, "+00:00", "2024-06-01 12:00:00"}, {r1, "+05:30", "2024-06-01 17:30:00"}} {
		if got := query(t, c.s, "SELECT CONCAT(@@time_zone, ' ', ts, ' ', UNIX_TIMESTAMP(ts)) FROM t.a"); got != c.zone+" "+c.text+" 1717243200" {
			t.Errorf("%s: %q, want %s %s 1717243200", c.s.Name, got, c.zone, c.text)
		}
	}
}
