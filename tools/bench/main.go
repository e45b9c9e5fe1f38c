// Command bench times the plugins side by side with the established tools
// on real mariadbd sandboxes and writes the figures into docs/BENCHMARKS.md.
// It is what `make bench` runs, after building the plugins as the Debian
// package ships them (static, stripped) and installing the comparison tools.
//
//	go run ./tools/bench [-bin bin] [-out docs/BENCHMARKS.md] [-only health,tls,audit,checksum,cycle,impact,tables,scale]
//
// Every comparison runs its tools interleaved, one run of each per round
// (A B C A B C ...), so that the load of a shared machine weighs on all of
// them alike; it reports medians, 90th percentiles and ratios to a
// reference, never a single absolute time. Every run must end with the
// expected verdict, so a failure is never timed as if it were a result.
//
// Scenarios:
//
//	health    one replica health check: check_repl_io vs check_mysql -S (C) vs
//	          check_mysql_health (Perl) vs pmp-check-mysql-replication-running;
//	          peak RSS; the start-up costs of check_repl_io
//	tls       the cost of TLS set-up, against a replica that offers TLS
//	audit     check_repl_config --server x8 (seed topology) vs one check_mysql call
//	checksum  a table of -rows rows (10M): the rows method vs its floor (one
//	          whole-table statement per server, all at once) vs
//	          pt-table-checksum; the checksum-table method vs plain
//	          CHECKSUM TABLE clients
//	cycle     the same table compared in runs of -t 5 with a state file until
//	          a cycle is complete, vs one unbudgeted pass
//	impact    what one run at default settings costs the servers: rows read
//	          per second on the source, heartbeat lag on the replicas under a
//	          light write load, with and without the check
//	tables    -small-tables small tables: check_repl_checksum vs a bare list of
//	          CHECKSUM TABLE statements, per table
//	scale     check_repl_checksum for 1..1000 tables and 10k..1M rows, with the
//	          plain-client floor and the connections each server saw
//
// The last five share one sandbox (a source and four replicas), loaded once
// with what the chosen scenarios need; `-only checksum -rows 200000` is a
// quick smoke run.
//
// The part of the output file between the "bench:begin" and "bench:end"
// markers is replaced; the text around it (the optimisation log) is kept.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// options are the command-line settings of one bench run.
type options struct {
	bin         string // directory holding the built plugins
	out         string // Markdown file to update ("" = print only)
	only        map[string]bool
	runs        int           // rounds of the health and start-up comparisons
	auditRuns   int           // rounds of the topology audit comparison
	rssRuns     int           // rounds measured under /usr/bin/time for peak RSS
	csRounds    int           // rounds of the big-table checksum comparison
	cycleRounds int           // rounds of the budgeted cycle against one pass
	tabRounds   int           // rounds of the small-tables comparison
	scaleRounds int           // rounds per point of the scaling series
	rows        int           // rows of the big checksum table
	smallTables int           // small tables of the tables scenario
	cycleT      int           // -t of each run of a budgeted cycle, seconds
	timeout     time.Duration // bound of the whole run
}

var scenarios = []string{"health", "tls", "audit", "checksum", "cycle", "impact", "tables", "scale"}

func main() {
	var o options
	var only string
	flag.StringVar(&o.bin, "bin", "bin", "directory holding check_repl_io, check_repl_checksum and check_repl_config")
	flag.StringVar(&o.out, "out", "docs/BENCHMARKS.md", "Markdown file to write the figures into (empty: print only)")
	flag.StringVar(&only, "only", strings.Join(scenarios, ","), "scenarios to run, comma-separated")
	flag.IntVar(&o.runs, "runs", 100, "interleaved rounds of the health check and start-up comparisons")
	flag.IntVar(&o.auditRuns, "audit-runs", 60, "interleaved rounds of the topology audit comparison")
	flag.IntVar(&o.rssRuns, "rss-runs", 10, "rounds measured under /usr/bin/time for peak RSS")
	flag.IntVar(&o.csRounds, "checksum-rounds", 3, "interleaved rounds of the big-table checksum comparison")
	flag.IntVar(&o.cycleRounds, "cycle-rounds", 1, "interleaved rounds of a budgeted cycle against one unbudgeted pass")
	flag.IntVar(&o.tabRounds, "tables-rounds", 3, "interleaved rounds of the small-tables comparison")
	flag.IntVar(&o.scaleRounds, "scale-rounds", 5, "interleaved rounds per point of the scaling series")
	flag.IntVar(&o.rows, "rows", 10000000, "rows of the big table of the checksum, cycle and impact scenarios (at least 10M for issue 11)")
	flag.IntVar(&o.smallTables, "small-tables", 10000, "small tables of the tables scenario")
	flag.IntVar(&o.cycleT, "cycle-t", 5, "-t of each run of a budgeted cycle, in seconds")
	flag.DurationVar(&o.timeout, "timeout", 90*time.Minute, "bound of the whole run")
	flag.Parse()
	o.only = map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !slices.Contains(scenarios, s) {
			fmt.Fprintf(os.Stderr, "bench: unknown scenario %q (want %s)\n", s, strings.Join(scenarios, ", "))
			os.Exit(2)
		}
		o.only[s] = true
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	start := time.Now()
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	o.bin = bin
	tools, err := findTools(o.bin)
	if err != nil {
		return err
	}
	if err := readFromDisk(append([]string{tools.IO, tools.Checksum, tools.Config}, withLibraries(tools.CheckMySQL)...)...); err != nil {
		return err
	}
	rep := &Report{Started: start, Machine: describeMachine(ctx, tools)}
	logf("machine: %s", rep.Machine.Summary())

	if o.only["health"] || o.only["audit"] {
		if err := seedScenarios(ctx, o, tools, rep); err != nil {
			return err
		}
	}
	if o.only["tls"] {
		if err := tlsScenario(ctx, o, tools, rep); err != nil {
			return err
		}
	}
	if tables, sizes := o.dataNeeds(); tables > 0 || len(sizes) > 0 {
		d, err := startChecksumData(ctx, o)
		if err != nil {
			return err
		}
		defer d.sb.Stop()
		for _, sc := range []struct {
			name string
			run  func(context.Context, options, Tools, *checksumData, *Report) error
		}{
			{"checksum", checksumScenario}, {"cycle", cycleScenario}, {"impact", impactScenario},
			{"tables", tablesScenario}, {"scale", scaleScenario},
		} {
			if o.only[sc.name] {
				if err := sc.run(ctx, o, tools, d, rep); err != nil {
					return err
				}
			}
		}
	}
	rep.Elapsed = time.Since(start)
	rep.LoadEnd = loadAverage()
	md := rep.Markdown()
	fmt.Println()
	fmt.Print(md)
	if o.out == "" {
		return nil
	}
	if err := updateFile(o.out, md); err != nil {
		return err
	}
	logf("wrote %s (bench took %s)", o.out, rep.Elapsed.Round(time.Second))
	return nil
}

// logf prints progress on stderr.
func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", a...)
}
