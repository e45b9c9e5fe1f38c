// Command bench times check_repl_checksum against the same CHECKSUM TABLE
// statements sent by plain clients to every server at once, and against
// pt-table-checksum when it is installed (Debian package percona-toolkit),
// on a sandbox of one source and four replicas holding a table of -rows
// InnoDB rows. Runs are interleaved; medians and ratios are printed.
//
//	go run ./tools/bench/checksumcmp [-rows 1000000] [-rounds 7] [-replicas 4]
//
// It is not a test: machine load makes the numbers vary. The target is a
// plugin at most 1.15 times the plain clients' wall time.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

func main() {
	rows := flag.Int("rows", 1000000, "rows in the benchmark table")
	rounds := flag.Int("rounds", 7, "interleaved rounds")
	replicas := flag.Int("replicas", 4, "replicas of the source")
	bin := flag.String("bin", "", "check_repl_checksum binary (default: built into a temporary directory)")
	flag.Parse()
	if err := run(*rows, *rounds, *replicas, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

const (
	benchUser     = "bench"
	benchPassword = "bench-secret"
)

func run(rows, rounds, nrep int, bin string) error {
	if bin == "" {
		dir, err := os.MkdirTemp("", "replmon-bench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "check_repl_checksum")
		build := exec.Command("go", "build", "-o", bin, "./check_repl_checksum")
		build.Dir = root()
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	// Room for the table in memory, as on a real server.
	big := []string{"innodb_buffer_pool_size=256M", "innodb_log_file_size=8M"}
	topo := sandbox.Topology{Servers: []sandbox.ServerSpec{{Name: "src", ServerID: 1, LogBin: true, Cnf: big}}}
	for i := 1; i <= nrep; i++ {
		topo.Servers = append(topo.Servers, sandbox.ServerSpec{Name: fmt.Sprintf("r%d", i), ServerID: 10 + i,
			Sources: []sandbox.Link{{Source: "src"}}, ReadOnly: true, Cnf: big})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	fmt.Printf("starting a source and %d replicas...\n", nrep)
	sb, err := sandbox.Start(ctx, topo)
	if err != nil {
		return err
	}
	defer sb.Stop()
	src := sb.Server("src")
	fmt.Printf("loading %d rows...\n", rows)
	start := time.Now()
	stmts := []string{
		"CREATE DATABASE bench",
		"CREATE TABLE bench.big (id INT PRIMARY KEY, a INT, b VARCHAR(64), c DATETIME, d DECIMAL(10,2)) ENGINE=InnoDB",
		fmt.Sprintf("CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s'", benchUser, benchPassword),
		fmt.Sprintf("GRANT ALL ON *.* TO '%s'@'127.0.0.1'", benchUser),
		"USE bench",
	}
	for lo := 1; lo <= rows; lo += 100000 {
		hi := min(lo+99999, rows)
		stmts = append(stmts, fmt.Sprintf("INSERT INTO bench.big SELECT seq, seq * 7, MD5(seq), "+
			"'2024-01-01' + INTERVAL seq SECOND, seq / 3 FROM seq_%d_to_%d", lo, hi))
	}
	if err := src.Exec(ctx, stmts...); err != nil {
		return err
	}
	if err := sb.WaitReplicated(ctx); err != nil {
		return err
	}
	fmt.Printf("loaded and replicated in %s\n", time.Since(start).Round(time.Millisecond))

	var reps []string
	for _, s := range sb.Servers()[1:] {
		reps = append(reps, s.Addr())
	}
	all := sb.Servers()
	plugin := func() (time.Duration, error) {
		args := []string{"--no-defaults", "-H", "127.0.0.1", "-P", strconv.Itoa(src.Port), "-u", sandbox.MonitorUser,
			"--table", "bench.big", "-t", "600"}
		for _, r := range reps {
			args = append(args, "--replica", r)
		}
		return timed(ctx, []string{"MYSQL_PWD=" + sandbox.MonitorPassword}, bin, args, "REPL_CHECKSUM OK")
	}
	plain := func() (time.Duration, error) {
		t0 := time.Now()
		errs := make([]error, len(all))
		var wg sync.WaitGroup
		for i, s := range all {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = timed(ctx, []string{"MYSQL_PWD=" + sandbox.MonitorPassword}, "mariadb",
					[]string{"--no-defaults", "-h", "127.0.0.1", "-P", strconv.Itoa(s.Port), "-u", sandbox.MonitorUser,
						"-N", "-e", "CHECKSUM TABLE bench.big"}, "bench.big")
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return 0, err
			}
		}
		return time.Since(t0), nil
	}
	var pt func() (time.Duration, error)
	if path, err := exec.LookPath("pt-table-checksum"); err == nil {
		pt = func() (time.Duration, error) {
			return timed(ctx, nil, path, []string{
				fmt.Sprintf("h=127.0.0.1,P=%d,u=%s,p=%s", src.Port, benchUser, benchPassword),
				"--databases", "bench", "--tables", "big", "--no-check-binlog-format",
				"--recursion-method", "hosts", "--no-version-check",
			}, "bench.big")
		}
	} else {
		fmt.Println("pt-table-checksum not installed (apt-get install percona-toolkit): skipped")
	}
	// Warm every server's buffer pool once.
	if _, err := plain(); err != nil {
		return err
	}
	times := map[string][]time.Duration{}
	for round := 1; round <= rounds; round++ {
		for _, m := range []struct {
			name string
			f    func() (time.Duration, error)
		}{{"check_repl_checksum", plugin}, {"plain CHECKSUM TABLE x" + strconv.Itoa(len(all)), plain}, {"pt-table-checksum", pt}} {
			if m.f == nil {
				continue
			}
			d, err := m.f()
			if err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			times[m.name] = append(times[m.name], d)
			fmt.Printf("round %d: %-28s %s\n", round, m.name, d.Round(time.Millisecond))
		}
	}
	fmt.Printf("\n%d rows, %d replicas, %d rounds, %d CPUs\n", rows, nrep, rounds, runtime.NumCPU())
	med := map[string]time.Duration{}
	for name, ds := range times {
		med[name] = median(ds)
		fmt.Printf("median %-28s %s\n", name, med[name].Round(time.Millisecond))
	}
	plainName := "plain CHECKSUM TABLE x" + strconv.Itoa(len(all))
	ratio := float64(med["check_repl_checksum"]) / float64(med[plainName])
	verdict := "within"
	if ratio > 1.15 {
		verdict = "ABOVE"
	}
	fmt.Printf("check_repl_checksum / plain clients = %.3f (%s the 1.15 target)\n", ratio, verdict)
	if d, ok := med["pt-table-checksum"]; ok {
		fmt.Printf("pt-table-checksum / check_repl_checksum = %.2f\n", float64(d)/float64(med["check_repl_checksum"]))
	}
	return nil
}

// timed runs a command and returns its wall time; its output must contain want.
func timed(ctx context.Context, env []string, name string, args []string, want string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(t0)
	if err != nil || !strings.Contains(string(out), want) {
		return 0, fmt.Errorf("%s: %v\n%s", name, err, out)
	}
	return d, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// root is the repository root, two directories above this file's package.
func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..", ".."))
}
