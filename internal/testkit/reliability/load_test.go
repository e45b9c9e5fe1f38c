package reliability

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// quietRun runs a plugin binary without logging, and returns its exit
// code, stdout, stderr and peak resident memory in KiB.
func quietRun(ctx context.Context, bin string, args ...string) (code int, stdout, stderr string, maxRSS int64, err error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=/nonexistent"}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code, err = ee.ExitCode(), nil
	}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxRSS = ru.Maxrss
		}
	}
	return code, out.String(), errb.String(), maxRSS, err
}

// statusValue reads one global status or variable through conn.
func statusValue(t testing.TB, conn *sql.Conn, q string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var name, v string
	if err := conn.QueryRowContext(ctx, q).Scan(&name, &v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s: %q", q, v)
	}
	return n
}

// rootConn holds one root session for the duration of a test, so that the
// test's own connections stay constant while it counts the server's.
func rootConn(t testing.TB, s *sandbox.Server) *sql.Conn {
	t.Helper()
	db, err := s.RootDB()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// sessions counts the server's sessions of the monitoring account.
func sessions(t testing.TB, conn *sql.Conn) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'monitor'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestConcurrentRuns starts 200 check_repl_io runs at once against one
// replica: every one is OK with the same output, no connection is refused
// or aborted, and right after them the replica has no session of the
// monitoring account left.
func TestConcurrentRuns(t *testing.T) {
	const runs = 200
	sb := sharedPair(t)
	r1 := sb.Server("r1")
	conn := rootConn(t, r1)
	maxConn := statusValue(t, conn, "SHOW GLOBAL VARIABLES LIKE 'max_connections'")
	threads := statusValue(t, conn, "SHOW GLOBAL STATUS LIKE 'Threads_connected'")
	if maxConn < runs+threads+10 {
		t.Fatalf("max_connections %d cannot take %d runs besides the %d sessions open", maxConn, runs, threads)
	}
	bin := pIO.bin(t)
	args := append([]string{"--defaults-file=" + monitorCnf(t)}, pIO.target("", r1.Addr())...)
	args = append(args, "-t", "60")
	ref := pIO.run(t, nil, args...)
	if verdict(t, pIO, ref, sandbox.MonitorPassword) != 0 {
		t.Fatalf("reference run: exit %d", ref.Code)
	}
	if n := sessions(t, conn); n != 0 {
		t.Fatalf("%d monitoring sessions open before the load", n)
	}
	if _, err := conn.ExecContext(context.Background(), "FLUSH LOCAL STATUS"); err != nil {
		t.Fatal(err)
	}
	base := statusValue(t, conn, "SHOW GLOBAL STATUS LIKE 'Threads_connected'")
	abortedClients := statusValue(t, conn, "SHOW GLOBAL STATUS LIKE 'Aborted_clients'")
	abortedConnects := statusValue(t, conn, "SHOW GLOBAL STATUS LIKE 'Aborted_connects'")

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	type outcome struct {
		code           int
		stdout, stderr string
		err            error
	}
	results := make([]outcome, runs)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range runs { // one goroutine per run, no more
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var o outcome
			o.code, o.stdout, o.stderr, _, o.err = quietRun(ctx, bin, args...)
			results[i] = o
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(began)
	ended := time.Now()

	failed := 0
	for i, o := range results {
		if o.err != nil || o.code != 0 || o.stdout != ref.Stdout || o.stderr != "" {
			failed++
			if failed <= 5 {
				t.Errorf("run %d: exit %d, err %v\n%s%s", i, o.code, o.err, o.stdout, o.stderr)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d concurrent runs failed or differed from the reference output", failed, runs)
	}
	peak := statusValue(t, conn, "SHOW GLOBAL STATUS LIKE 'Max_used_connections'") - base
	t.Logf("%d runs in %v; at most %d of them connected at once", runs, elapsed.Round(time.Millisecond), peak)
	if peak < 2 {
		t.Errorf("at most %d run connected at a time: the runs did not overlap", peak)
	}
	// Every run closed its session: none is left, right after.
	for sessions(t, conn) != 0 && time.Since(ended) < 2*time.Second {
		time.Sleep(20 * time.Millisecond)
	}
	if n := sessions(t, conn); n != 0 {
		t.Errorf("%d monitoring sessions still open %v after the runs ended", n, time.Since(ended).Round(time.Millisecond))
	}
	if d := statusValue(t, conn, "SHOW GLOBAL STATUS LIKE 'Aborted_clients'") - abortedClients; d != 0 {
		t.Errorf("%d sessions were aborted (closed without COM_QUIT)", d)
	}
	if d := statusValue(t, conn, "SHOW GLOBAL STATUS LIKE 'Aborted_connects'") - abortedConnects; d != 0 {
		t.Errorf("%d connections failed", d)
	}
}

// TestChecksumParallelBound: check_repl_checksum never holds more sessions
// on a server than --parallel, on the source and on the replica alike.
func TestChecksumParallelBound(t *testing.T) {
	sb := sharedPair(t)
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	var stmts []string
	stmts = append(stmts, "CREATE DATABASE par")
	for i := 1; i <= 12; i++ {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE par.t%02d (id INT PRIMARY KEY, v VARCHAR(40))", i),
			fmt.Sprintf("INSERT INTO par.t%02d SELECT seq, MD5(seq) FROM par.seq_1_to_300", i))
	}
	mustExec(t, m1, stmts...)
	waitReplicated(t, sb)
	t.Cleanup(func() {
		mustExec(t, m1, "DROP DATABASE par")
		waitReplicated(t, sb)
	})
	ctx := context.Background()
	conns := map[*sandbox.Server]*sql.Conn{m1: rootConn(t, m1), r1: rootConn(t, r1)}
	cnf := monitorCnf(t)
	for _, parallel := range []int{1, 3} {
		for _, method := range []string{"checksum-table", "rows"} {
			t.Run(fmt.Sprintf("parallel %d, %s", parallel, method), func(t *testing.T) {
				base := map[*sandbox.Server]int{}
				for s, c := range conns {
					if _, err := c.ExecContext(ctx, "FLUSH LOCAL STATUS"); err != nil {
						t.Fatal(err)
					}
					base[s] = statusValue(t, c, "SHOW GLOBAL STATUS LIKE 'Threads_connected'")
				}
				args := append([]string{"--defaults-file=" + cnf}, pChecksum.target(m1.Addr(), r1.Addr())...)
				res := pChecksum.run(t, nil, append(args, "-d", "par", "--parallel", strconv.Itoa(parallel),
					"--method", method, "--chunk-size", "50")...)
				if verdict(t, pChecksum, res, sandbox.MonitorPassword) != 0 {
					t.Errorf("exit %d, want OK", res.Code)
				}
				for s, c := range conns {
					peak := statusValue(t, c, "SHOW GLOBAL STATUS LIKE 'Max_used_connections'") - base[s]
					t.Logf("%s: at most %d sessions at once", s.Name, peak)
					if peak < 1 || peak > parallel {
						t.Errorf("%s: %d sessions at once with --parallel %d", s.Name, peak, parallel)
					}
				}
			})
		}
	}
}

// TestChecksumMemoryFlat: check_repl_checksum's peak memory does not grow
// with the number of tables and rows it compares.
func TestChecksumMemoryFlat(t *testing.T) {
	sb := sharedPair(t)
	m1, r1 := sb.Server("m1"), sb.Server("r1")
	load := func(db string, tables, rowsPer int) {
		stmts := []string{"CREATE DATABASE " + db}
		for i := 1; i <= tables; i++ {
			stmts = append(stmts,
				fmt.Sprintf("CREATE TABLE %s.t%03d (id INT PRIMARY KEY, a VARCHAR(40), b BIGINT, c TEXT)", db, i),
				fmt.Sprintf("INSERT INTO %s.t%03d SELECT seq, MD5(seq), seq * 7, REPEAT('z', seq %% 60) FROM %s.seq_1_to_%d", db, i, db, rowsPer))
		}
		mustExec(t, m1, stmts...)
	}
	const smallRows, bigTables, bigRows = 500, 24, 20000
	t.Cleanup(func() {
		mustExec(t, m1, "DROP DATABASE IF EXISTS memsmall", "DROP DATABASE IF EXISTS membig")
		waitReplicated(t, sb)
	})
	load("memsmall", 1, smallRows)
	load("membig", bigTables, bigRows)
	waitReplicated(t, sb)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin := pChecksum.bin(t)
	cnf := monitorCnf(t)
	peak := func(db, method string) int64 {
		args := append([]string{"--defaults-file=" + cnf}, pChecksum.target(m1.Addr(), r1.Addr())...)
		args = append(args, "-d", db, "--method", method, "--chunk-size", "1000", "-t", "120")
		began := time.Now()
		code, out, errs, rss, err := quietRun(ctx, bin, args...)
		if err != nil || code != 0 {
			t.Fatalf("%s %s: exit %d (%v)\n%s%s", db, method, code, err, out, errs)
		}
		first, _, _ := strings.Cut(out, "\n")
		t.Logf("%s in %v: %s", db, time.Since(began).Round(time.Millisecond), first)
		return rss
	}
	for _, method := range []string{"rows", "checksum-table"} {
		small, big := peak("memsmall", method), peak("membig", method)
		t.Logf("%s: peak RSS %d KiB for 1 table of %d rows, %d KiB for %d tables of %d rows", method, small, smallRows, big, bigTables, bigRows)
		if small == 0 {
			t.Fatal("no memory figure from the kernel")
		}
		// 480 times the rows and 24 times the tables: a few MiB of slack
		// for the Go heap's growth, nothing proportional.
		if big > small*3/2+8<<10 {
			t.Errorf("%s: peak RSS grew from %d KiB to %d KiB", method, small, big)
		}
	}
}
