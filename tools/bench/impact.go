package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// Light write load of the impact scenario: one row of a heartbeat table
// updated on the source writeRate times a second with the source's clock;
// each replica's lag is its clock minus the row's time, read every
// lagEvery.
const (
	writeRate = 100
	lagEvery  = 50 * time.Millisecond
)

// writeLoad updates the heartbeat row on the source and samples the lag
// on the replicas until stopped; window returns and resets what it saw.
type writeLoad struct {
	mu      sync.Mutex
	writes  int
	maxLag  time.Duration
	sumLag  time.Duration
	samples int
	err     error

	stop func()
	done sync.WaitGroup
}

// window is what a writeLoad saw between two calls.
type window struct {
	writes        int
	maxLag, avLag time.Duration
}

// startWriteLoad starts the writer on src and one lag sampler per replica.
func startWriteLoad(ctx context.Context, src *sandbox.Server, replicas []*sandbox.Server) (*writeLoad, error) {
	ctx, cancel := context.WithCancel(ctx)
	w := &writeLoad{stop: cancel}
	fail := func(err error) {
		w.mu.Lock()
		if w.err == nil && ctx.Err() == nil {
			w.err = err
		}
		w.mu.Unlock()
	}
	db, err := src.RootDB()
	if err != nil {
		cancel()
		return nil, err
	}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		tick := time.NewTicker(time.Second / writeRate)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			if _, err := db.ExecContext(ctx, "UPDATE impact.hb SET ts = NOW(6), n = n + 1 WHERE id = 1"); err != nil {
				fail(fmt.Errorf("impact: writing on %s: %w", src.Name, err))
				return
			}
			w.mu.Lock()
			w.writes++
			w.mu.Unlock()
		}
	}()
	for _, r := range replicas {
		rdb, err := r.RootDB()
		if err != nil {
			cancel()
			return nil, err
		}
		w.done.Add(1)
		go func(r *sandbox.Server, rdb *sql.DB) {
			defer w.done.Done()
			tick := time.NewTicker(lagEvery)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
				var us int64
				if err := rdb.QueryRowContext(ctx, "SELECT TIMESTAMPDIFF(MICROSECOND, ts, NOW(6)) FROM impact.hb WHERE id = 1").Scan(&us); err != nil {
					fail(fmt.Errorf("impact: reading the heartbeat on %s: %w", r.Name, err))
					return
				}
				lag := time.Duration(us) * time.Microsecond
				w.mu.Lock()
				w.maxLag = max(w.maxLag, lag)
				w.sumLag += lag
				w.samples++
				w.mu.Unlock()
			}
		}(r, rdb)
	}
	return w, nil
}

// window returns what the load saw since the last call, and resets it.
func (w *writeLoad) window() (window, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := window{writes: w.writes, maxLag: w.maxLag}
	if w.samples > 0 {
		out.avLag = w.sumLag / time.Duration(w.samples)
	}
	w.writes, w.maxLag, w.sumLag, w.samples = 0, 0, 0, 0
	return out, w.err
}

// halt stops the writer and the samplers.
func (w *writeLoad) halt() {
	w.stop()
	w.done.Wait()
}

// impactScenario measures what one check_repl_checksum run at default
// settings costs the servers: rows read per second on the source (and the
// busiest replica), and the lag a light write load sees on the replicas,
// against a window of the same length without the check.
func impactScenario(ctx context.Context, o options, t Tools, d *checksumData, rep *Report) error {
	table := bigTable(o.rows)
	servers := d.sb.Servers()
	src, replicas := servers[0], servers[1:]
	if err := src.Exec(ctx, "CREATE DATABASE IF NOT EXISTS impact",
		"CREATE TABLE IF NOT EXISTS impact.hb (id INT PRIMARY KEY, ts DATETIME(6) NOT NULL, n BIGINT NOT NULL) ENGINE=InnoDB",
		"REPLACE INTO impact.hb VALUES (1, NOW(6), 0)"); err != nil {
		return err
	}
	if err := d.sb.WaitReplicated(ctx); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "bench-impact")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	load, err := startWriteLoad(ctx, src, replicas)
	if err != nil {
		return err
	}
	defer load.halt()

	// Each run is followed by a window of the same length without a check:
	// the largest lag of a window grows with its length.
	var idle time.Duration
	quiet := func(ctx context.Context) (Sample, error) {
		t0 := time.Now()
		select {
		case <-ctx.Done():
			return Sample{}, ctx.Err()
		case <-time.After(idle):
		}
		return Sample{Wall: time.Since(t0)}, nil
	}
	steps := []struct {
		name string
		run  func(context.Context) (Sample, error)
	}{
		{"check_repl_checksum --state-file FILE (every other setting its default)",
			d.pluginCmd(t, "", []string{"--state-file", filepath.Join(dir, "default.state")}, table).Run},
		{"no check, as long", quiet},
		{"check_repl_checksum --method rows --state-file FILE",
			d.pluginCmd(t, "", []string{"--method", "rows", "--state-file", filepath.Join(dir, "rows.state")}, table).Run},
		{"no check, as long", quiet},
	}
	header := []string{"Window", "Wall", "Rows read/s, source", "Rows read/s, busiest replica", "Servers' CPU",
		"Writes/s", "Replica lag, max", "Replica lag, mean"}
	var cells [][]string
	var lags []time.Duration
	var counter string
	logf("impact: %s, write load of %d updates/s on the source...", table, writeRate)
	time.Sleep(time.Second) // let the load settle
	if _, err := load.window(); err != nil {
		return err
	}
	for _, st := range steps {
		readsBefore, _, err := rowsRead(ctx, servers)
		if err != nil {
			return err
		}
		s, err := withServerCPU(d.sb, st.run)(ctx)
		if err != nil {
			return fmt.Errorf("impact: %s: %w", st.name, err)
		}
		w, err := load.window()
		if err != nil {
			return err
		}
		var readsAfter []int64
		readsAfter, counter, err = rowsRead(ctx, servers)
		if err != nil {
			return err
		}
		sec := s.Wall.Seconds()
		srcRate, replRate := float64(readsAfter[0]-readsBefore[0])/sec, 0.0
		for i := 1; i < len(servers); i++ {
			replRate = max(replRate, float64(readsAfter[i]-readsBefore[i])/sec)
		}
		logf("impact: %s: %s, source reads %.0f rows/s, replica lag max %s", st.name, ms(s.Wall), srcRate, ms(w.maxLag))
		lags = append(lags, w.maxLag)
		idle = s.Wall
		cells = append(cells, []string{st.name, ms(s.Wall), perSecond(srcRate), perSecond(replRate), ms(s.ServerCPU),
			fmt.Sprintf("%.0f", float64(w.writes)/sec), ms(w.maxLag), ms(w.avLag)})
	}
	rep.Add(Section{
		Title: "What a run costs the servers",
		Intro: fmt.Sprintf("Issue 11 (c). While a light write load runs on the source (%d single-row updates a second of a "+
			"heartbeat row holding the source's NOW(6)), the lag of each replica is sampled every %s (its NOW(6) minus "+
			"the row's time: a heartbeat, not Seconds_Behind_Master) during one check_repl_checksum run on `%s` with a "+
			"fresh state file and every other setting at its default (-t, --chunk-time, --max-lag, --max-load, --parallel; "+
			"the default method, then `--method rows`), each followed by a window as long without any check. Rows read: "+
			"%s of SHOW GLOBAL STATUS before and after, per second of the window; servers' CPU: the five "+
			"mariadbd processes (/proc).", writeRate, lagEvery, table, counter),
		Header: header,
		Rows:   cells,
		Verdicts: []string{"Issue 11 (c) sets no target: the figures are recorded. Lag added by a run at default settings: " +
			signedMs(lags[0]-lags[1]) + " (default method), " + signedMs(lags[2]-lags[3]) + " (rows method): the largest lag " +
			"during the run minus the largest in the window after it."},
	})
	return nil
}

// rowsRead reads the rows-read counter of every server, and its name.
func rowsRead(ctx context.Context, servers []*sandbox.Server) ([]int64, string, error) {
	out := make([]int64, len(servers))
	var counter string
	for i, s := range servers {
		c, n, err := rowsReadCounter(ctx, s)
		if err != nil {
			return nil, "", err
		}
		out[i], counter = n, c
	}
	return out, counter, nil
}

// perSecond formats a rate.
func perSecond(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

// signedMs is ms with a sign.
func signedMs(d time.Duration) string {
	if d < 0 {
		return "−" + ms(-d)
	}
	return "+" + ms(d)
}
