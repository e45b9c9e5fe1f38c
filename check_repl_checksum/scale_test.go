package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// bigRows is the size of app.big: a million rows, as the issue measured.
const bigRows = 1000000

// perfOf reads one perfdata value of a run.
func perfOf(t *testing.T, r clitest.Result, label string) float64 {
	t.Helper()
	m := regexp.MustCompile(`[ |]` + label + `=([0-9.]+)`).FindStringSubmatch(r.Summary())
	if m == nil {
		t.Fatalf("no %s in %q", label, r.Summary())
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// cycleOf reads the cycle number from the long output of a --state-file run.
func cycleOf(t *testing.T, r clitest.Result) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^cycle (\d+): `).FindStringSubmatch(r.Stdout)
	if m == nil {
		t.Fatalf("no cycle line:\n%s", r.Stdout)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestScale: check_repl_checksum on a table of a million rows, with runs
// of a small budget: every run ends inside -t with a verdict, a cycle of
// runs covers every row, a drift planted in the middle is found within a
// cycle and stays reported until repaired, and the state file survives
// SIGKILL, concurrent runs and damage.
func TestScale(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: starts mariadbd servers")
	}
	bin := clitest.Build(t, "check_repl_checksum")
	sb := sandbox.StartT(t, sandbox.Topology{Servers: []sandbox.ServerSpec{
		{Name: "m1", ServerID: 1, LogBin: true},
		{Name: "r1", ServerID: 11, Sources: []sandbox.Link{{Source: "m1"}}, ReadOnly: true, LogBin: true},
		{Name: "r2", ServerID: 12, Sources: []sandbox.Link{{Source: "m1"}}, ReadOnly: true},
	}})
	m1 := sb.Server("m1")
	exec(t, m1, "CREATE DATABASE app", "USE app",
		"CREATE TABLE big (id INT PRIMARY KEY, v INT NOT NULL, s VARCHAR(40), d DATETIME)",
		fmt.Sprintf("INSERT INTO big SELECT seq, seq %% 1000, CONCAT('row ', seq), '2024-01-01' + INTERVAL seq SECOND FROM seq_1_to_%d", bigRows),
		"CREATE TABLE small (id INT PRIMARY KEY, v INT)", "INSERT INTO small SELECT seq, seq FROM seq_1_to_100",
		"CREATE TABLE keyless (a INT, b VARCHAR(10))", "INSERT INTO keyless VALUES (1, 'A'), (1, 'A'), (3, 'C')",
		"ANALYZE TABLE big")
	waitReplicated(t, sb)
	c := &checker{t: t, bin: bin, sb: sb, source: "m1"}
	reps := c.replicaArgs("r1", "r2")
	dir := t.TempDir()

	t.Run("budgeted cycle", func(t *testing.T) {
		c.t = t
		state := filepath.Join(dir, "cycle")
		args := append([]string{"-d", "app", "--method", "rows", "--state-file", state, "-t", "700ms", "--chunk-time", "0.1"}, reps...)
		var rows float64
		runs, last := 0, -1.0
		for cycleDone := false; !cycleDone; runs++ {
			if runs == 60 {
				t.Fatalf("no cycle completed in %d runs of -t 700ms", runs)
			}
			res := c.run(args...)
			if res.Code != 0 {
				t.Fatalf("run %d: exit %d, want OK:\n%s", runs, res.Code, res.Stdout)
			}
			if el := perfOf(t, res, "time"); el > 0.7 {
				t.Errorf("run %d took %.3fs, beyond -t", runs, el)
			}
			rows += perfOf(t, res, "rows")
			cov := perfOf(t, res, "coverage")
			if cov == 100 {
				cycleDone = true
				if cycleOf(t, res) != 1 {
					t.Errorf("the first cycle ended as cycle %d", cycleOf(t, res))
				}
			} else if cov <= last && perfOf(t, res, "throttled") == 0 {
				t.Errorf("run %d: coverage %.1f%% after %.1f%%: the cycle did not move on", runs, cov, last)
			}
			last = cov
		}
		if runs < 2 {
			t.Errorf("the table was compared in %d run: not a test of a budget", runs)
		}
		if rows < bigRows {
			t.Errorf("a cycle compared %.0f rows, fewer than the %d of app.big", rows, bigRows)
		}
		t.Logf("a cycle of %d runs compared %.0f rows", runs, rows)
	})

	t.Run("without a state file", func(t *testing.T) {
		c.t = t
		res := c.run(append([]string{"--table", "app.big", "-t", "1s", "--chunk-time", "0.1"}, reps...)...)
		wantCode(t, res, 1)
		wantLine(t, res, `^REPL_CHECKSUM WARNING - not compared for lack of time: app\.big on `)
		wantLine(t, res, `^WARNING app\.big on \S+: not compared for lack of time \(from the start: \d+ rows compared in this run, up to key \d+ \(the table holds about \d+\)\)$`)
		wantLine(t, res, `^WARNING what -t leaves no time for is never compared: --state-file continues where a run stops`)
		if cov := perfOf(t, res, "coverage"); cov <= 0 || cov >= 100 {
			t.Errorf("coverage %.1f%%", cov)
		}
	})

	t.Run("keyless duplicates", func(t *testing.T) {
		c.t = t
		// {1A, 1A, 3C} against {3C, 2B, 2B}: BIT_XOR of the row hashes
		// is the same, the sum is not.
		exec(t, sb.Server("r2"), "SET sql_log_bin = 0", "DELETE FROM app.keyless WHERE a = 1", "INSERT INTO app.keyless VALUES (2, 'B'), (2, 'B')")
		defer exec(t, sb.Server("r2"), "SET sql_log_bin = 0", "DELETE FROM app.keyless WHERE a = 2", "INSERT INTO app.keyless VALUES (1, 'A'), (1, 'A')")
		res := c.run(append([]string{"--table", "app.keyless", "--method", "rows"}, c.replicaArgs("r2")...)...)
		wantCode(t, res, 2)
		wantLine(t, res, `^CRITICAL app\.keyless on \S+: drifted \(rows \(no primary key or NOT NULL unique key: compared whole\); 3 rows; no primary key: differing rows cannot be listed\)$`)
	})

	t.Run("drift remembered", func(t *testing.T) {
		c.t = t
		r2 := sb.Server("r2")
		exec(t, r2, "SET sql_log_bin = 0", "UPDATE app.big SET v = v + 1 WHERE id = 500000")
		state := filepath.Join(dir, "drift")
		args := append([]string{"--table", "app.big", "--state-file", state, "-t", "3s", "--chunk-time", "0.1"}, reps...)
		found := regexp.MustCompile(`(?m)^CRITICAL app\.big on ` + regexp.QuoteMeta(r2.Addr()) + `: drifted \(rows.*; key ranges? id > \d+ and <= \d+.*differing keys: id=500000 differs`)
		runs := 0
		for ; ; runs++ {
			if runs == 60 {
				t.Fatalf("the drift was not found in %d runs", runs)
			}
			res := c.run(args...)
			if found.MatchString(res.Stdout) {
				wantCode(t, res, 2)
				break
			}
			if res.Code == 2 {
				// Found near the end of the run's budget: the range is
				// reported and remembered, its keys listed by the next run.
				wantLine(t, res, `^CRITICAL app\.big on `+regexp.QuoteMeta(r2.Addr())+`: drifted \(rows.*; key range id > \d+ and <= \d+; no time left to list the differing keys\)$`)
				continue
			}
			wantCode(t, res, 0)
			if perfOf(t, res, "coverage") == 100 {
				t.Fatalf("a cycle ended without finding the drift:\n%s", res.Stdout)
			}
		}
		// Found: it stays CRITICAL, compared again first.
		for range 2 {
			res := c.run(args...)
			wantCode(t, res, 2)
			if !found.MatchString(res.Stdout) {
				t.Errorf("the drift found before is no longer reported:\n%s", res.Stdout)
			}
		}
		var saved struct {
			Ranges []struct{ Lo, Hi []string }
		}
		b, _ := os.ReadFile(state)
		if err := json.Unmarshal(b, &saved); err != nil || len(saved.Ranges) == 0 {
			t.Fatalf("state %s: %v", b, err)
		}
		for _, rg := range saved.Ranges {
			lo, _ := strconv.Atoi(rg.Lo[0])
			hi, _ := strconv.Atoi(rg.Hi[0])
			if lo >= 500000 || hi < 500000 || hi-lo > 2000 {
				t.Errorf("remembered range (%d, %d]: not narrowed to the drift", lo, hi)
			}
		}
		exec(t, r2, "SET sql_log_bin = 0", "UPDATE app.big SET v = v - 1 WHERE id = 500000")
		res := c.run(args...)
		wantCode(t, res, 0)
		noLine(t, res, `^CRITICAL`)
		t.Logf("found after %d runs", runs+1)
	})

	t.Run("damaged state", func(t *testing.T) {
		c.t = t
		state := filepath.Join(dir, "damaged")
		for _, content := range []string{"{\"version\":1,\"key\":", "garbage\x00", `{"version":7}`} {
			if err := os.WriteFile(state, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			res := c.run(append([]string{"-d", "app", "--state-file", state, "-t", "1500ms"}, reps...)...)
			wantCode(t, res, 0)
			if n := strings.Count(res.Stderr, "\n"); n != 1 || !strings.Contains(res.Stderr, "starting a fresh cycle") {
				t.Errorf("stderr for %q: %q", content, res.Stderr)
			}
			wantLine(t, res, `^cycle 1: `)
		}
	})

	t.Run("SIGKILL", func(t *testing.T) {
		c.t = t
		state := filepath.Join(dir, "killed")
		base := append([]string{"--table", "app.big", "--state-file", state}, reps...)
		args := append(slices.Clone(base), "-t", "1500ms", "--chunk-time", "0.1")
		// A first run of small chunks: a small part of the table.
		first := c.run(append(slices.Clone(base), "-t", "1s", "--chunk-time", "0", "--chunk-size", "100")...)
		wantCode(t, first, 0)
		before, _ := os.ReadFile(state)
		// Small fixed chunks: a run of many seconds, killed early.
		conn := []string{"--no-defaults", "-H", "127.0.0.1", "-P", strconv.Itoa(m1.Port), "-u", sandbox.MonitorUser}
		slow := append(append(conn, base...), "-t", "20s", "--chunk-time", "0", "--chunk-size", "100")
		for range 3 {
			cmd := osexec.Command(bin, slow...)
			cmd.Env = append(os.Environ(), "MYSQL_PWD="+sandbox.MonitorPassword)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Duration(300+rand.IntN(700)) * time.Millisecond)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			_ = cmd.Wait()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
				t.Fatalf("the run ended before it was killed: %v", cmd.ProcessState)
			}
			after, _ := os.ReadFile(state)
			if string(after) != string(before) {
				t.Errorf("a killed run changed the state file:\nbefore %s\nafter  %s", before, after)
			}
		}
		res := c.run(args...)
		wantCode(t, res, 0)
		if res.Stderr != "" {
			t.Errorf("after the killed runs: %q", res.Stderr)
		}
		if perfOf(t, res, "coverage") <= perfOf(t, first, "coverage") && cycleOf(t, res) == 1 {
			t.Errorf("the run after the killed ones did not continue: %s", res.Summary())
		}
	})

	t.Run("two runs at once", func(t *testing.T) {
		c.t = t
		state := filepath.Join(dir, "shared")
		args := append([]string{"--table", "app.big", "--state-file", state, "-t", "2s", "--chunk-time", "0.1"}, reps...)
		var wg sync.WaitGroup
		results := make([]clitest.Result, 2)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = c.run(args...)
			}()
		}
		wg.Wait()
		held := 0
		for _, r := range results {
			if r.Code != 0 {
				t.Errorf("exit %d:\n%s", r.Code, r.Stdout)
			}
			if strings.Contains(r.Stdout, "is in use by process ") {
				held++
				wantLine(t, r, `^--state-file \S+ is in use by process \d+ since .*: this run compares from its saved progress and does not save$`)
			}
		}
		if held != 1 {
			t.Errorf("%d of the two runs found the state file in use, want 1", held)
		}
		b, _ := os.ReadFile(state)
		if !json.Valid(b) {
			t.Errorf("state after two runs at once: %q", b)
		}
	})

	t.Run("tables change between runs", func(t *testing.T) {
		c.t = t
		state := filepath.Join(dir, "changes")
		exec(t, m1, "USE app", "CREATE TABLE app.gone (id INT PRIMARY KEY)", "CREATE TABLE app.alter_me (id INT PRIMARY KEY, k INT NOT NULL)",
			"INSERT INTO app.alter_me SELECT seq, 5000 - seq FROM seq_1_to_3000")
		waitReplicated(t, sb)
		args := append([]string{"-d", "app", "--exclude", "app.big", "--method", "rows", "--state-file", state, "--chunk-size", "100", "--chunk-time", "0"}, reps...)
		wantCode(t, c.run(args...), 0)
		exec(t, m1, "DROP TABLE app.gone", "RENAME TABLE app.small TO app.renamed",
			"ALTER TABLE app.alter_me DROP PRIMARY KEY, ADD PRIMARY KEY (k)", "CREATE TABLE app.added (id INT PRIMARY KEY)")
		waitReplicated(t, sb)
		for range 2 {
			res := c.run(args...)
			wantCode(t, res, 0)
			wantLine(t, res, `^REPL_CHECKSUM OK - 4 tables compared on 2 replicas: `)
		}
		b, _ := os.ReadFile(state)
		if strings.Contains(string(b), "app.gone") || strings.Contains(string(b), "app.small") {
			t.Errorf("the state keeps tables that are gone: %s", b)
		}
		exec(t, m1, "RENAME TABLE app.renamed TO app.small", "DROP TABLE app.added, app.alter_me")
		waitReplicated(t, sb)
	})

	t.Run("timed out run leaves nothing running", func(t *testing.T) {
		c.t = t
		db, err := m1.RootDB()
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "LOCK TABLES app.small WRITE"); err != nil {
			t.Fatal(err)
		}
		res := c.run(append([]string{"--table", "app.small", "--method", "checksum-table", "--lock-wait-timeout", "30", "-t", "1s"}, reps...)...)
		exited := time.Now()
		wantCode(t, res, 1)
		wantLine(t, res, `^WARNING app\.small on \S+: not compared for lack of time \(the run's time \(-t\) ended during the comparison\)$`)
		var running int
		for time.Since(exited) < time.Second {
			if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ? AND COMMAND <> 'Sleep'",
				sandbox.MonitorUser).Scan(&running); err != nil {
				t.Fatal(err)
			}
			if running == 0 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if running != 0 {
			t.Errorf("%d statements of the plugin still run on the source 1s after it exited", running)
		}
		if _, err := conn.ExecContext(ctx, "UNLOCK TABLES"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("throttled by lag", func(t *testing.T) {
		c.t = t
		r2 := sb.Server("r2")
		exec(t, r2, "STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = 4", "START SLAVE")
		defer func() {
			exec(t, r2, "STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = 0", "START SLAVE")
			waitReplicated(t, sb)
		}()
		exec(t, m1, "UPDATE app.small SET v = v + 1 WHERE id = 1")
		time.Sleep(2 * time.Second) // the event waits out the delay: r2 is behind
		res := c.run(append([]string{"--table", "app.small", "--method", "rows", "--max-lag", "0.5", "-t", "2s"}, reps...)...)
		wantCode(t, res, 1)
		wantLine(t, res, `^REPL_CHECKSUM WARNING - not compared for lack of time: app\.small on `)
		noLine(t, res, `^CRITICAL`)
		if p := perfOf(t, res, "throttled"); p < 0.5 {
			t.Errorf("paused %.3fs while a replica lagged beyond --max-lag", p)
		}
	})

	t.Run("one hot row", func(t *testing.T) {
		c.t = t
		// One row updated as fast as one connection can: it never holds
		// still between two sums, and --lock-chunk settles it with a
		// locking read of that row's chunk, which the general log shows.
		db, err := m1.RootDB()
		if err != nil {
			t.Fatal(err)
		}
		// A table of that one row: nothing to split it into.
		exec(t, m1, "CREATE TABLE app.hotrow (id INT PRIMARY KEY, v INT)", "INSERT INTO app.hotrow VALUES (50, 0)")
		waitReplicated(t, sb)
		defer exec(t, m1, "DROP TABLE app.hotrow")
		exec(t, m1, "SET GLOBAL log_output = 'TABLE'", "SET GLOBAL general_log = ON")
		defer exec(t, m1, "SET GLOBAL general_log = OFF", "SET SESSION sql_log_bin = 0", "TRUNCATE TABLE mysql.general_log")
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := db.Exec("UPDATE app.hotrow SET v = v + 1 WHERE id = 50"); err != nil {
					t.Errorf("writer: %v", err)
					return
				}
			}
		}()
		locked := 0
		for i := range 5 {
			res := c.run(append([]string{"--table", "app.hotrow", "--method", "rows", "--retries", "0", "--lock-chunk", "--full-output"}, reps...)...)
			if res.Code != 0 {
				t.Errorf("run %d with --lock-chunk: exit %d:\n%s", i, res.Code, res.Stdout)
			}
			var n int
			if err := db.QueryRow("SELECT COUNT(*) FROM mysql.general_log WHERE argument LIKE '%LOCK IN SHARE MODE'").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if locked = n; locked > 0 {
				break
			}
		}
		close(stop)
		wg.Wait()
		if locked == 0 {
			t.Error("5 runs under a hot row never needed the locking read: the test did not test it")
		}
	})

	t.Run("writes in flight", func(t *testing.T) {
		c.t = t
		// 200 writes a second: updates of random rows of a hot key range
		// and inserts past the end.
		db, err := m1.RootDB()
		if err != nil {
			t.Fatal(err)
		}
		stop := make(chan struct{})
		done := make(chan int)
		go func() {
			n, next := 0, bigRows+1
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					done <- n
					return
				case <-tick.C:
				}
				var err error
				if n%4 == 3 {
					_, err = db.Exec("INSERT INTO app.big VALUES (?, 0, 'new', NOW())", next)
					next++
				} else {
					_, err = db.Exec("UPDATE app.big SET v = v + 1 WHERE id = ?", 400000+rand.IntN(2000))
				}
				if err != nil {
					t.Errorf("writer: %v", err)
					done <- n
					return
				}
				n++
			}
		}()
		start := time.Now()
		for i := range 10 {
			res := c.run(append([]string{"--table", "app.big", "-t", "30s"}, reps...)...)
			if res.Code != 0 {
				t.Errorf("run %d under writes: exit %d:\n%s", i, res.Code, res.Stdout)
			}
		}
		close(stop)
		n := <-done
		rate := float64(n) / time.Since(start).Seconds()
		t.Logf("10 runs under %.0f writes/s", rate)
		if rate < 150 {
			t.Errorf("the writer managed %.0f writes/s, not the load asked for", rate)
		}
	})
}
