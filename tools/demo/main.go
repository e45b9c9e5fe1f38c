// Command demo starts the seed's topology (two masters replicating each
// other, three replicas under each, every server with a binary log) on
// loopback, runs every built plugin against it — healthy first, then with
// the faults the seed describes and an errant transaction — and tears
// everything down. check_repl_config draws the healthy and the broken
// topology (--graph) into -out, as DOT and, with Graphviz, SVG. It is what
// `make demo` runs.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

func main() {
	bin := flag.String("bin", "bin", "directory holding the built plugins")
	out := flag.String("out", filepath.Join("dist", "demo"), "directory for the pictures of the topology")
	flag.Parse()
	if err := run(os.Stdout, *bin, *out); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// step is one plugin invocation shown to the user.
type step struct {
	title  string
	plugin string
	args   []string
}

func run(w io.Writer, bin, out string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	fmt.Fprintln(w, "Starting the seed's topology: m1 <-> m2 (multi-master), m1r1..m1r3 under m1, m2r1..m2r3 under m2,")
	fmt.Fprintln(w, "every server with a binary log (so that a write on a replica gets a GTID of its own) ...")
	start := time.Now()
	sb, err := sandbox.Start(ctx, sandbox.SeedBinlogs())
	if err != nil {
		return err
	}
	defer sb.Stop()
	fmt.Fprintf(w, "Ready in %.1fs:\n", time.Since(start).Seconds())
	for _, s := range sb.Servers() {
		fmt.Fprintf(w, "  %-5s server_id=%-3d %s\n", s.Name, s.ServerID, s.Addr())
	}

	if err := seedData(ctx, sb); err != nil {
		return err
	}
	defaults, err := writeDefaults(sb.Dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThe plugins log in as %q with the password kept in %s (mode 0600).\n", sandbox.MonitorUser, defaults)

	conn := func(s *sandbox.Server) []string {
		return []string{"--defaults-file=" + defaults, "-H", "127.0.0.1", "-P", fmt.Sprint(s.Port)}
	}
	m1, m2 := sb.Server("m1"), sb.Server("m2")
	var healthy []step
	for _, s := range sb.Servers() {
		healthy = append(healthy, step{"replica health of " + s.Name, "check_repl_io", conn(s)})
	}
	sum := append(conn(m1), "-d", "shop")
	for _, s := range sb.Servers()[1:] {
		sum = append(sum, "--replica", s.Addr())
	}
	healthy = append(healthy, step{"data in sync: m1 against every other server", "check_repl_checksum", sum})
	cfg := []string{"--defaults-file=" + defaults}
	for _, s := range sb.Servers() {
		cfg = append(cfg, "--server", s.Addr())
	}
	healthyDot := filepath.Join(out, "healthy.dot")
	healthy = append(healthy, step{"configuration of the whole topology, drawn into " + healthyDot, "check_repl_config", append(cfg, "--graph", healthyDot)})
	healthy = append(healthy, step{"configuration of m2 alone", "check_repl_config", conn(m2)})
	fmt.Fprintln(w, "\n=== The healthy topology ===")
	runSteps(ctx, w, bin, healthy)

	fmt.Fprintln(w, "\n=== Faults ===")
	m2r1 := sb.Server("m2r1")
	fmt.Fprintln(w, "# On m2r1: STOP SLAVE SQL_THREAD")
	if err := m2r1.Exec(ctx, "STOP SLAVE SQL_THREAD"); err != nil {
		return err
	}
	fmt.Fprintln(w, "# On m1r2: a row changed behind replication's back (sql_log_bin=0)")
	if err := sb.Server("m1r2").Exec(ctx, "SET SESSION sql_log_bin=0",
		"UPDATE shop.orders SET amount = amount + 1 WHERE id = 3"); err != nil {
		return err
	}
	fmt.Fprintln(w, "# On m1r3: a row written directly on the replica, logged with a GTID of its own (an errant transaction)")
	if err := sb.Server("m1r3").Exec(ctx, "SET SESSION sql_log_bin=1",
		"INSERT INTO shop.orders (id, customer, amount) VALUES (1000, 'mallory', 0.01)"); err != nil {
		return err
	}
	runSteps(ctx, w, bin, []step{
		{"replica health of m2r1", "check_repl_io", conn(m2r1)},
		{"data in sync: m1 against m1r2", "check_repl_checksum", append(conn(m1), "-d", "shop", "--replica", sb.Server("m1r2").Addr())},
		{"m2 is not a replica of m1r1", "check_repl_io", append(conn(m2), "--expect-source", sb.Server("m1r1").Addr())},
		{"configuration of m1r3: the errant transaction", "check_repl_config", conn(sb.Server("m1r3"))},
	})

	fmt.Fprintln(w, "\n=== True lag through a stopped middle hop (pt-heartbeat table) ===")
	if err := heartbeatThroughStoppedHop(ctx, w, sb, bin, conn); err != nil {
		return err
	}

	fmt.Fprintln(w, "\n=== The seed's disaster: m2 without log-slave-updates ===")
	fmt.Fprintln(w, "# m2 restarted with log_slave_updates=OFF; then a row inserted on m1")
	if err := m2.Restart(ctx, "log_slave_updates=OFF"); err != nil {
		return err
	}
	if err := m2.WaitDumpThreads(ctx, 4); err != nil {
		return err
	}
	if err := m1.Exec(ctx, "INSERT INTO shop.orders (customer, amount) VALUES ('fay', 42.00)"); err != nil {
		return err
	}
	m2r2 := sb.Server("m2r2")
	brokenDot := filepath.Join(out, "broken.dot")
	runSteps(ctx, w, bin, []step{
		{"replica health of m2r2 (its threads are fine)", "check_repl_io", conn(m2r2)},
		{"configuration of the whole topology, drawn into " + brokenDot, "check_repl_config", append(cfg, "--graph", brokenDot)},
		{"data in sync: m1 against m2 and m2r2", "check_repl_checksum", append(conn(m1), "-d", "shop", "--replica", m2.Addr(), "--replica", m2r2.Addr())},
	})
	fmt.Fprintln(w, "\n=== Pictures ===")
	for _, dot := range []string{healthyDot, brokenDot} {
		fmt.Fprintln(w, picture(ctx, dot))
	}
	fmt.Fprintln(w, "\nTearing down.")
	return nil
}

// picture renders a DOT file check_repl_config wrote to SVG beside it with
// Graphviz, and says where both are.
func picture(ctx context.Context, dot string) string {
	if _, err := os.Stat(dot); err != nil {
		return fmt.Sprintf("%s was not written (%v)", dot, err)
	}
	path, err := exec.LookPath("dot")
	if err != nil {
		return fmt.Sprintf("%s (Graphviz is not installed: make deps installs it; then dot -Tsvg %s)", dot, dot)
	}
	svg := strings.TrimSuffix(dot, ".dot") + ".svg"
	if b, err := exec.CommandContext(ctx, path, "-Tsvg", "-o", svg, dot).CombinedOutput(); err != nil {
		return fmt.Sprintf("%s (dot -Tsvg failed: %v %s)", dot, err, b)
	}
	return fmt.Sprintf("%s, drawn by dot -Tsvg into %s", dot, svg)
}

// heartbeatThroughStoppedHop writes a pt-heartbeat row per master (as
// pt-heartbeat --update does), then stops m2's SQL thread: m1's changes no
// longer reach m2 nor m2's replicas, whose own Seconds_Behind_Master stays
// 0 while the heartbeat from m1 grows.
func heartbeatThroughStoppedHop(ctx context.Context, w io.Writer, sb *sandbox.Sandbox, bin string, conn func(*sandbox.Server) []string) error {
	m1, m2, m2r2 := sb.Server("m1"), sb.Server("m2"), sb.Server("m2r2")
	fmt.Fprintln(w, "# On m1: the pt-heartbeat table (pt-heartbeat --create-table layout); m1 and m2 each write their row every 200ms")
	if err := m1.Exec(ctx, "CREATE DATABASE percona", "CREATE TABLE percona.heartbeat (ts varchar(26) NOT NULL, "+
		"server_id int unsigned NOT NULL PRIMARY KEY, file varchar(255) DEFAULT NULL, position bigint unsigned DEFAULT NULL, "+
		"relay_master_log_file varchar(255) DEFAULT NULL, exec_master_log_pos bigint unsigned DEFAULT NULL)"); err != nil {
		return err
	}
	bctx, stop := context.WithCancel(ctx)
	defer stop()
	for _, m := range []*sandbox.Server{m1, m2} {
		stmt := fmt.Sprintf("REPLACE INTO percona.heartbeat (ts, server_id) VALUES (DATE_FORMAT(NOW(6), '%%Y-%%m-%%dT%%H:%%i:%%s.%%f'), %d)", m.ServerID)
		go func() {
			for bctx.Err() == nil {
				_ = m.Exec(bctx, stmt)
				select {
				case <-bctx.Done():
				case <-time.After(200 * time.Millisecond):
				}
			}
		}()
	}
	if err := sb.WaitReplicated(ctx); err != nil {
		return err
	}
	time.Sleep(time.Second)
	hb := append(conn(m2r2), "--heartbeat", "percona.heartbeat", "-w", "2", "-c", "4")
	runSteps(ctx, w, bin, []step{{"true lag of m2r2 from each master", "check_repl_io", hb}})
	fmt.Fprintln(w, "# On m2: STOP SLAVE SQL_THREAD (the hop between m1 and m2r2); 5 seconds later:")
	if err := m2.Exec(ctx, "STOP SLAVE SQL_THREAD"); err != nil {
		return err
	}
	time.Sleep(5 * time.Second)
	runSteps(ctx, w, bin, []step{
		{"true lag of m2r2 through the stopped hop (its Seconds_Behind_Master stays 0)", "check_repl_io", hb},
		{"replica health of m2, the stopped hop", "check_repl_io", conn(m2)},
	})
	fmt.Fprintln(w, "# On m2: START SLAVE SQL_THREAD")
	if err := m2.Exec(ctx, "START SLAVE SQL_THREAD"); err != nil {
		return err
	}
	stop()
	return sb.WaitReplicated(ctx)
}

// seedData loads the sandbox's sample schema (on m1) and writes on both
// masters.
func seedData(ctx context.Context, sb *sandbox.Sandbox) error {
	m2 := sb.Server("m2")
	if err := sb.LoadSample(ctx); err != nil {
		return err
	}
	if err := m2.Exec(ctx, "INSERT INTO shop.orders (customer, amount) VALUES ('dee', 7.00), ('eve', 1.25)"); err != nil {
		return err
	}
	return sb.WaitReplicated(ctx)
}

// writeDefaults writes a client option file with the monitoring account.
func writeDefaults(dir string) (string, error) {
	path := filepath.Join(dir, "monitor.cnf")
	body := fmt.Sprintf("[client]\nuser=%s\npassword=%s\n", sandbox.MonitorUser, sandbox.MonitorPassword)
	return path, os.WriteFile(path, []byte(body), 0o600)
}

func runSteps(ctx context.Context, w io.Writer, bin string, steps []step) {
	for _, s := range steps {
		path := filepath.Join(bin, s.plugin)
		fmt.Fprintf(w, "\n--- %s\n$ %s %s\n", s.title, s.plugin, strings.Join(s.args, " "))
		if _, err := os.Stat(path); err != nil {
			fmt.Fprintf(w, "(%s is not built yet)\n", s.plugin)
			continue
		}
		cmd := exec.CommandContext(ctx, path, s.args...)
		out, _ := cmd.CombinedOutput()
		fmt.Fprint(w, string(out))
		fmt.Fprintf(w, "[exit %d]\n", cmd.ProcessState.ExitCode())
	}
}
