package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/testkit/perfdata"
)

// cycleRun is one budgeted run of a cycle: what it cost and what its
// performance data said.
type cycleRun struct {
	Sample
	perf map[string]string // label → value with its unit
	cov  float64           // coverage, %
}

// perfValues reads a plugin output's performance data into label → value
// (unit kept), and the number of one label.
func perfValues(out string) (map[string]string, error) {
	p, ok := perfdata.Output(out)
	if !ok {
		return nil, fmt.Errorf("no performance data in %q", clip(out, 300))
	}
	items, err := perfdata.Parse(p)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, it := range items {
		m[it.Label] = it.Value + it.UOM
	}
	return m, nil
}

// perfNumber returns the number of label in m.
func perfNumber(m map[string]string, label string) (float64, error) {
	v, ok := m[label]
	if !ok {
		return 0, fmt.Errorf("no %q in the performance data", label)
	}
	return strconv.ParseFloat(strings.TrimRight(v, "%smBKMTcu"), 64)
}

// stuckRuns is how many runs in a row may leave the coverage where it was
// before a cycle is declared stuck.
const stuckRuns = 3

// cycleScenario compares the table of o.rows rows with the rows method in
// runs of -t o.cycleT sharing a state file, until the performance data
// says the cycle is complete (coverage 100%), against one unbudgeted pass
// of the same method; interleaved, after a warm-up of each.
func cycleScenario(ctx context.Context, o options, t Tools, d *checksumData, rep *Report) error {
	table := bigTable(o.rows)
	dir, err := os.MkdirTemp("", "bench-cycle")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	state := filepath.Join(dir, "checksum.state")
	pass := d.pluginCmd(t, "one unbudgeted pass (--method rows -t 3600, no state file)",
		append([]string{"--method", "rows"}, unbudgeted...), table)
	budget := time.Duration(o.cycleT) * time.Second
	run := d.pluginCmd(t, "", []string{"--method", "rows", "-t", strconv.Itoa(o.cycleT), "--state-file", state}, table)

	var passWall time.Duration // of the last pass: bounds the runs of a cycle
	var last []cycleRun        // the runs of the last cycle
	passStep := func(ctx context.Context) (Sample, error) {
		s, err := pass.Run(ctx)
		passWall = s.Wall
		return s, err
	}
	cycleStep := func(ctx context.Context) (Sample, error) {
		if err := os.Remove(state); err != nil && !os.IsNotExist(err) {
			return Sample{}, err
		}
		// A cycle needs about passWall/budget runs; a broken engine that
		// never completes one must not loop for ever.
		limit := 3*int(passWall/budget) + 10
		var runs []cycleRun
		var sum Sample
		best, flat := -1.0, 0
		for {
			if len(runs) == limit {
				return Sample{}, fmt.Errorf("cycle: coverage %.1f%% after %d runs of -t %d (one pass takes %s): no complete cycle",
					best, len(runs), o.cycleT, ms(passWall))
			}
			s, out, err := run.RunOutput(ctx)
			if err != nil {
				return Sample{}, fmt.Errorf("cycle: run %d: %w", len(runs)+1, err)
			}
			perf, err := perfValues(out)
			if err != nil {
				return Sample{}, fmt.Errorf("cycle: run %d: %w", len(runs)+1, err)
			}
			cov, err := perfNumber(perf, "coverage")
			if err != nil {
				return Sample{}, fmt.Errorf("cycle: run %d: %w:\n%s", len(runs)+1, err, clip(out, 2000))
			}
			runs = append(runs, cycleRun{Sample: s, perf: perf, cov: cov})
			sum.Wall += s.Wall
			sum.CPU += s.CPU
			sum.Faults += s.Faults
			logf("cycle: run %d: %s, coverage %.1f%%", len(runs), ms(s.Wall), cov)
			if cov >= 100 {
				break
			}
			if cov > best {
				best, flat = cov, 0
			} else if flat++; flat == stuckRuns {
				return Sample{}, fmt.Errorf("cycle: coverage stuck at %.1f%% for %d runs", best, stuckRuns)
			}
		}
		last = runs
		return sum, nil
	}
	cycleName := fmt.Sprintf("full cycle in runs of -t %d (--state-file)", o.cycleT)
	steps := []namedFunc{
		{pass.Name, withServerCPU(d.sb, passStep)},
		{cycleName, withServerCPU(d.sb, cycleStep)},
	}
	logf("cycle: %s, %d interleaved rounds of one pass and one cycle in runs of -t %d...", table, o.cycleRounds, o.cycleT)
	series, err := interleave(ctx, steps, o.cycleRounds, progress("cycle", o.cycleRounds))
	if err != nil {
		return err
	}
	p, c := series[0].Summarise(), series[1].Summarise()
	header := []string{"Run", "Wall", "CPU", "Page faults", "coverage", "rows", "chunks", "throttled", "cycle_age", "time"}
	var cells [][]string
	var longest time.Duration
	for i, r := range last {
		longest = max(longest, r.Wall)
		cell := []string{strconv.Itoa(i + 1), ms(r.Wall), ms(r.CPU), fmt.Sprint(r.Faults)}
		for _, l := range header[4:] {
			v, ok := r.perf[l]
			if !ok {
				v = "–"
			}
			cell = append(cell, v)
		}
		cells = append(cells, cell)
	}
	cells = append(cells,
		[]string{fmt.Sprintf("cycle: %d runs (median of %d cycles)", len(last), c.Runs), ms(c.Median), ms(c.CPU), fmt.Sprint(c.Faults),
			"", "", "", "", "", ""},
		[]string{fmt.Sprintf("one unbudgeted pass (median of %d)", p.Runs), ms(p.Median), ms(p.CPU), fmt.Sprint(p.Faults),
			"", "", "", "", "", ""})
	rep.Add(Section{
		Title: fmt.Sprintf("A full cycle of the rows method in runs of -t %d, %s rows", o.cycleT, count(o.rows)),
		Intro: fmt.Sprintf("Issue 11 (b). check_repl_checksum `--method rows -t %d --state-file FILE` on `%s` (source and "+
			"four replicas), run again and again from a fresh state file until its performance data says the cycle is "+
			"complete (`coverage` 100%%), against one unbudgeted pass of the same method (`-t 3600`, no state file); "+
			"%d interleaved rounds of a pass and a cycle after one warm-up of each. The runs of the last cycle, each with "+
			"its performance data as printed; cycle and pass: sums of the runs' wall time, CPU time (the plugin's, "+
			"wait4) and page faults. A cycle stops the bench when it takes over 3× the runs a pass would need plus 10, "+
			"or when its coverage stands still for %d runs.", o.cycleT, table, o.cycleRounds, stuckRuns),
		Header: header,
		Rows:   cells,
		Verdicts: []string{
			verdict(fmt.Sprintf("Longest run of the cycle, wall time (target: -t %d)", o.cycleT), longest.Seconds(), float64(o.cycleT), " s"),
			verdict("Whole cycle ÷ one unbudgeted pass, wall time", float64(c.Median)/float64(p.Median), 1.25, "×"),
			verdict("Whole cycle ÷ one unbudgeted pass, CPU time", float64(c.CPU)/float64(max(p.CPU, 1)), 1.25, "×"),
		},
		Notes: []string{fmt.Sprintf("The servers' CPU time (the five mariadbd processes, /proc): %s for the cycle, %s for the pass (%.2f×).",
			ms(c.ServerCPU), ms(p.ServerCPU), float64(c.ServerCPU)/float64(max(p.ServerCPU, 1)))},
	})
	return nil
}
