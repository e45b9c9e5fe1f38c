package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// masterWriter writes one table of one master at about rate transactions
// per second, each changing a few rows (every tenth all of them), until
// stopped.
type masterWriter struct {
	stop chan struct{}
	done chan struct{}
	n    int
	err  error
}

func startMasterWriter(t *testing.T, s *sandbox.Server, table string, rows, rate int) *masterWriter {
	t.Helper()
	db, err := s.RootDB()
	if err != nil {
		t.Fatal(err)
	}
	w := &masterWriter{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		tick := time.NewTicker(time.Second / time.Duration(rate))
		defer tick.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-tick.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			lo, hi := 1+rand.IntN(rows-20), 0
			hi = lo + rand.IntN(20)
			if w.n%10 == 9 {
				lo, hi = 1, rows // a long transaction: replicas take a while to apply it
			}
			_, err := db.ExecContext(ctx, "UPDATE "+table+" SET v = v + 1, t = ? WHERE id BETWEEN ? AND ?", fmt.Sprint(rand.Int()), lo, hi)
			cancel()
			if err != nil {
				w.err = err
				return
			}
			w.n++
		}
	}()
	return w
}

func (w *masterWriter) halt(t *testing.T) int {
	t.Helper()
	close(w.stop)
	<-w.done
	if w.err != nil {
		t.Errorf("writer: %v", w.err)
	}
	return w.n
}

// TestWritesOnBothMasters is the seed's own configuration: two masters
// replicating each other by file and position, both in GTID domain 0, with
// writes on both (about 100 transactions a second each, on different
// tables). Comparisons alternate from either master against the other
// master and the replicas of both. A row planted on one replica must be
// found every time, and nothing else may ever be called drifted: every
// other table is in sync, only changing.
func TestWritesOnBothMasters(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: starts mariadbd servers")
	}
	bin := clitest.Build(t, "check_repl_checksum")
	topo := sandbox.SeedPositions()
	var keep []sandbox.ServerSpec
	for _, s := range topo.Servers {
		if s.Name == "m1" || s.Name == "m2" || s.Name == "m1r1" || s.Name == "m2r1" {
			keep = append(keep, s)
		}
	}
	topo.Servers = keep
	sb := sandbox.StartT(t, topo)
	m1, m2 := sb.Server("m1"), sb.Server("m2")
	exec(t, m1, "CREATE DATABASE app", "USE app",
		"CREATE TABLE app.one (id INT PRIMARY KEY, v INT NOT NULL DEFAULT 0, t VARCHAR(40))",
		"INSERT INTO app.one (id, t) SELECT seq, MD5(seq) FROM seq_1_to_2000",
		"CREATE TABLE app.two (id INT PRIMARY KEY, v INT NOT NULL DEFAULT 0, t VARCHAR(40))",
		"INSERT INTO app.two (id, t) SELECT seq, MD5(seq) FROM seq_1_to_2000",
		"CREATE TABLE app.quiet (id INT PRIMARY KEY, t VARCHAR(40))",
		"INSERT INTO app.quiet SELECT seq, MD5(seq) FROM seq_1_to_500")
	waitReplicated(t, sb)
	exec(t, sb.Server("m2r1"), "INSERT INTO app.quiet VALUES (9999, 'planted')")
	w1 := startMasterWriter(t, m1, "app.one", 2000, 100)
	w2 := startMasterWriter(t, m2, "app.two", 2000, 100)
	defer func() {
		if w1 != nil {
			w1.halt(t)
			w2.halt(t)
		}
	}()
	time.Sleep(500 * time.Millisecond)
	runs := 60
	others := map[string][]string{"m1": {"m2", "m1r1", "m2r1"}, "m2": {"m1", "m1r1", "m2r1"}}
	planted := regexp.MustCompile(`(?m)^CRITICAL app\.quiet on ` + regexp.QuoteMeta(sb.Server("m2r1").Addr()) + `: drifted \(.*id=9999 only on the replica\)$`)
	drifted := regexp.MustCompile(`(?m)^CRITICAL .*$`)
	var mu sync.Mutex
	unsettled := 0
	start := time.Now()
	for i := range runs {
		src := []string{"m1", "m2"}[i%2]
		c := &checker{t: t, bin: bin, sb: sb, source: src}
		method := []string{"auto", "rows"}[(i/2)%2]
		res := c.run(append([]string{"-d", "app", "--method", method, "--chunk-size", "500", "-t", "20", "--full-output"}, c.replicaArgs(others[src]...)...)...)
		if !planted.MatchString(res.Stdout) {
			t.Errorf("run %d from %s (%s): the planted row was not found:\n%s", i, src, method, res.Stdout)
		}
		for _, l := range drifted.FindAllString(res.Stdout, -1) {
			if !planted.MatchString(l) {
				t.Errorf("run %d from %s (%s): false drift: %s", i, src, method, l)
			}
		}
		if strings.Contains(res.Stdout, "UNKNOWN") {
			t.Errorf("run %d from %s (%s): %s", i, src, method, res.Stdout)
		}
		mu.Lock()
		unsettled += strings.Count(res.Stdout, ": unsettled (")
		mu.Unlock()
	}
	n1, n2 := w1.halt(t), w2.halt(t)
	w1 = nil
	elapsed := time.Since(start).Seconds()
	t.Logf("%d runs in %.0fs; writes: %.0f/s on m1, %.0f/s on m2; %d unsettled comparisons", runs, elapsed, float64(n1)/elapsed, float64(n2)/elapsed, unsettled)
	if float64(n1)/elapsed < 50 || float64(n2)/elapsed < 50 {
		t.Errorf("the writers managed %d and %d writes in %.0fs: not the load asked for", n1, n2, elapsed)
	}
	// Quiet again: every table but the planted one in sync from both sides.
	waitReplicated(t, sb)
	for _, src := range []string{"m1", "m2"} {
		c := &checker{t: t, bin: bin, sb: sb, source: src}
		res := c.run(append([]string{"-d", "app"}, c.replicaArgs(others[src]...)...)...)
		wantCode(t, res, 2)
		wantLine(t, res, `^REPL_CHECKSUM CRITICAL - drifted: app\.quiet on `+regexp.QuoteMeta(sb.Server("m2r1").Addr())+` \(id=9999 only on the replica\), 3 tables compared on 3 replicas: 8 in sync, 1 drifted, 0 unsettled, 0 errors \|`)
	}
}
