package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// checksumScenario runs the checksum engineer's comparison program,
// tools/bench/checksumcmp, on the plugin built in bin, and reads the time of
// every round from its output: one source, four replicas, a table of o.rows
// rows; check_repl_checksum vs the same CHECKSUM TABLE sent to the five
// servers at once by plain clients vs pt-table-checksum.
func checksumScenario(ctx context.Context, o options, t Tools, rep *Report) error {
	if err := need("checksum", map[string]string{"pt-table-checksum": t.PTChecksum, "mariadb client": t.Client}); err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	args := []string{"run", "./tools/bench/checksumcmp", "-bin", t.Checksum,
		"-rows", strconv.Itoa(o.rows), "-rounds", strconv.Itoa(o.csRounds)}
	logf("checksum: go %s", strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	series, order, perr := parseChecksumBench(io.TeeReader(out, prefixWriter{"checksum-bench: "}))
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("tools/bench/checksumcmp: %w", err)
	}
	if perr != nil {
		return perr
	}
	const plugin, pt = "check_repl_checksum", "pt-table-checksum"
	plain := ""
	for _, name := range order {
		if strings.HasPrefix(name, "plain ") {
			plain = name
		}
	}
	if series[plugin] == nil || plain == "" {
		return fmt.Errorf("tools/bench/checksumcmp printed no rounds of %s and of the plain clients", plugin)
	}
	var list []Series
	for _, name := range order {
		list = append(list, *series[name])
	}
	header := []string{"Tool", "Median", "p90", "× plain clients", "Runs"}
	refMed := series[plain].Summarise().Median
	var rows [][]string
	for _, s := range list {
		st := s.Summarise()
		rows = append(rows, []string{s.Name, ms(st.Median), ms(st.P90), ratio(st.Median, refMed), strconv.Itoa(st.Runs)})
	}
	p := series[plugin].Summarise()
	sec := Section{
		Title: fmt.Sprintf("Checksum of a %s-row InnoDB table, source and four replicas", count(o.rows)),
		Intro: "Run by the checksum comparison program `go run ./tools/bench/checksumcmp` (its own sandbox: one source, " +
			"four replicas, `innodb_buffer_pool_size=256M`, table `bench.big` of INT, INT, VARCHAR(64), DATETIME, DECIMAL " +
			"columns) on the plugin built for this bench; its rounds are interleaved and follow one warm-up of every " +
			"server's buffer pool. The plain clients are five `mariadb -e 'CHECKSUM TABLE bench.big'` started at once, one " +
			"per server: the floor of the method. pt-table-checksum runs with `--recursion-method hosts` as a root-like " +
			"account (it writes percona.checksums).",
		Header: header,
		Rows:   rows,
		Verdicts: []string{
			verdict("check_repl_checksum ÷ plain parallel clients, median wall time", float64(p.Median)/float64(refMed), 1.15, "×"),
		},
	}
	if s := series[pt]; s != nil {
		sec.Notes = append(sec.Notes, fmt.Sprintf("pt-table-checksum takes %.1f× as long as check_repl_checksum.",
			float64(s.Summarise().Median)/float64(p.Median)))
	}
	rep.Add(sec)
	return nil
}

// roundLine is one timed run in tools/bench/checksumcmp's output:
// "round 3: check_repl_checksum          588ms".
var roundLine = regexp.MustCompile(`^round \d+: (.+?)\s+(\S+)$`)

// parseChecksumBench reads the rounds of tools/bench/checksumcmp's output
// into one series per tool, in the order they first appear.
func parseChecksumBench(r io.Reader) (map[string]*Series, []string, error) {
	series := map[string]*Series{}
	var order []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := roundLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		d, err := time.ParseDuration(m[2])
		if err != nil {
			return nil, nil, fmt.Errorf("tools/bench/checksumcmp: cannot read the time of %q", sc.Text())
		}
		s := series[m[1]]
		if s == nil {
			s = &Series{Name: m[1]}
			series[m[1]] = s
			order = append(order, m[1])
		}
		s.Samples = append(s.Samples, Sample{Wall: d})
	}
	return series, order, sc.Err()
}

// prefixWriter copies what it is given to stderr, each line prefixed.
type prefixWriter struct{ prefix string }

func (w prefixWriter) Write(p []byte) (int, error) {
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if line != "" {
			fmt.Fprint(os.Stderr, w.prefix+line)
		}
	}
	return len(p), nil
}

// count writes 1000000 as 1M, 10000 as 10k.
func count(n int) string {
	switch {
	case n >= 1000000 && n%1000000 == 0:
		return strconv.Itoa(n/1000000) + "M"
	case n >= 1000 && n%1000 == 0:
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}

// bigCnf gives the servers of the checksum sandboxes room for the tables in
// memory, as tools/bench/checksumcmp does.
var bigCnf = []string{"innodb_buffer_pool_size=256M", "innodb_log_file_size=8M"}

// sourceWithReplicas is one source (binary log on) and n read-only replicas.
func sourceWithReplicas(n int) sandbox.Topology {
	topo := sandbox.Topology{Servers: []sandbox.ServerSpec{{Name: "src", ServerID: 1, LogBin: true, Cnf: bigCnf}}}
	for i := 1; i <= n; i++ {
		topo.Servers = append(topo.Servers, sandbox.ServerSpec{Name: fmt.Sprintf("r%d", i), ServerID: 10 + i,
			Sources: []sandbox.Link{{Source: "src"}}, ReadOnly: true, Cnf: bigCnf})
	}
	return topo
}

// scalePoint is one size of the scaling series.
type scalePoint struct {
	label  string   // "10 tables", "100k rows"
	n      int      // tables or rows
	globs  []string // --table values
	tables []string // the tables the globs select, for the plain clients
}

// scaleScenario times check_repl_checksum and the plain-client floor on
// 1, 10, 100 and 1000 small tables and on tables of 10k, 100k and 1M rows,
// and records how many connections each server saw.
func scaleScenario(ctx context.Context, o options, t Tools, rep *Report) error {
	if err := need("scale", map[string]string{"mariadb client": t.Client}); err != nil {
		return err
	}
	logf("scale: starting a source and 4 replicas...")
	sb, err := sandbox.Start(ctx, sourceWithReplicas(4))
	if err != nil {
		return err
	}
	defer sb.Stop()
	src := sb.Server("src")
	const rowsPerSmallTable = 100
	var sizes []int
	for _, n := range []int{10000, 100000, o.rows} {
		if !slices.Contains(sizes, n) {
			sizes = append(sizes, n)
		}
	}
	t0 := time.Now()
	logf("scale: loading 1000 tables of %d rows and tables of %v rows...", rowsPerSmallTable, sizes)
	stmts := []string{"CREATE DATABASE tabs", "CREATE DATABASE scale", "USE scale"} // seq_1_to_N needs a current database
	for i := 0; i < 1000; i++ {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE tabs.t%04d (id INT PRIMARY KEY, a INT, b VARCHAR(64)) ENGINE=InnoDB "+
			"SELECT seq AS id, seq * 7 AS a, MD5(seq) AS b FROM seq_1_to_%d", i, rowsPerSmallTable))
	}
	for _, n := range sizes {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE scale.r%s (id INT PRIMARY KEY, a INT, b VARCHAR(64), c DATETIME, "+
			"d DECIMAL(10,2)) ENGINE=InnoDB", count(n)))
		for lo := 1; lo <= n; lo += 100000 {
			hi := min(lo+99999, n)
			stmts = append(stmts, fmt.Sprintf("INSERT INTO scale.r%s SELECT seq, seq * 7, MD5(seq), "+
				"'2024-01-01' + INTERVAL seq SECOND, seq / 3 FROM seq_%d_to_%d", count(n), lo, hi))
		}
	}
	if err := src.Exec(ctx, stmts...); err != nil {
		return err
	}
	if err := sb.WaitReplicated(ctx); err != nil {
		return err
	}
	logf("scale: loaded and replicated in %s", time.Since(t0).Round(time.Second))

	var points []scalePoint
	for _, n := range []int{1, 10, 100, 1000} {
		p := scalePoint{label: fmt.Sprintf("%d %s × %d rows", n, map[bool]string{true: "table", false: "tables"}[n == 1], rowsPerSmallTable), n: n}
		switch n {
		case 1:
			p.globs = []string{"tabs.t0000"}
		case 10:
			p.globs = []string{"tabs.t000?"}
		case 100:
			p.globs = []string{"tabs.t00??"}
		default:
			p.globs = []string{"tabs.*"}
		}
		for i := 0; i < n; i++ {
			p.tables = append(p.tables, fmt.Sprintf("tabs.t%04d", i))
		}
		points = append(points, p)
	}
	for _, n := range sizes {
		tbl := "scale.r" + count(n)
		points = append(points, scalePoint{label: fmt.Sprintf("1 table × %s rows", count(n)), n: n,
			globs: []string{tbl}, tables: []string{tbl}})
	}

	servers := sb.Servers()
	var reps []string
	for _, s := range servers[1:] {
		reps = append(reps, s.Addr())
	}
	type result struct {
		plugin, floor Stats
		conns         int
	}
	results := make([]result, len(points))
	for i, p := range points {
		args := []string{"-H", "127.0.0.1", "-P", strconv.Itoa(src.Port), "-u", sandbox.MonitorUser, "-p", pw, "-t", "600"}
		for _, r := range reps {
			args = append(args, "--replica", r)
		}
		for _, g := range p.globs {
			args = append(args, "--table", g)
		}
		plugin := Cmd{Name: "check_repl_checksum", Path: t.Checksum, Args: args, Want: "REPL_CHECKSUM OK"}
		floor := plainClients(t.Client, servers, "CHECKSUM TABLE "+strings.Join(p.tables, ", "))
		logf("scale: %s, %d rounds...", p.label, o.scaleRounds)
		series, err := interleave(ctx, []namedFunc{{plugin.Name, plugin.Run}, {"plain clients", floor}}, o.scaleRounds, nil)
		if err != nil {
			return fmt.Errorf("scale: %s: %w", p.label, err)
		}
		conns, err := connectionsPerServer(ctx, servers, plugin)
		if err != nil {
			return err
		}
		results[i] = result{series[0].Summarise(), series[1].Summarise(), conns}
		logf("scale: %s: plugin %s, plain clients %s, %d connections per server at most",
			p.label, ms(results[i].plugin.Median), ms(results[i].floor.Median), conns)
	}

	header := []string{"Selection", "check_repl_checksum", "Plain clients", "× plain", "Marginal cost (plugin)", "Marginal cost (plain)", "Connections per server"}
	var rows [][]string
	linear := true
	var notes []string
	for i, p := range points {
		r := results[i]
		marg, margFloor := "–", "–"
		unit, per := "table", 1.0
		if i >= 4 {
			unit, per = "1k rows", 1000
		}
		if i != 0 && i != 4 { // first of each series has no predecessor
			prev := results[i-1]
			dn := float64(p.n-points[i-1].n) / per
			mp := float64(r.plugin.Median-prev.plugin.Median) / dn
			mf := float64(r.floor.Median-prev.floor.Median) / dn
			marg = ms(time.Duration(mp)) + " per " + unit
			margFloor = ms(time.Duration(mf)) + " per " + unit
			// Linear growth keeps the marginal cost flat; quadratic growth
			// multiplies it by the size step (10×). Allow noise up to 3×.
			if i != 1 && i != 5 {
				pp := results[i-2]
				dprev := float64(points[i-1].n-points[i-2].n) / per
				before := float64(prev.plugin.Median-pp.plugin.Median) / dprev
				if before > 0 && mp > 3*before {
					linear = false
					notes = append(notes, fmt.Sprintf("the marginal cost grew from %s to %s per %s at %s",
						ms(time.Duration(before)), ms(time.Duration(mp)), unit, p.label))
				}
			}
		}
		rows = append(rows, []string{p.label, ms(r.plugin.Median), ms(r.floor.Median), ratio(r.plugin.Median, r.floor.Median),
			marg, margFloor, strconv.Itoa(r.conns)})
	}
	mostConns := 0
	for _, r := range results {
		mostConns = max(mostConns, r.conns)
	}
	v := []string{}
	if linear {
		v = append(v, "Cost grows linearly with tables and rows (the marginal cost per table and per 1k rows stays flat): **met**")
	} else {
		v = append(v, "Cost grows linearly with tables and rows: **missed**: "+strings.Join(notes, "; "))
	}
	v = append(v, fmt.Sprintf("Connections per server stay bounded: at most %d at any size: **%s**", mostConns,
		map[bool]string{true: "met", false: "missed"}[results[3].conns <= results[0].conns+1]))
	rep.Add(Section{
		Title: "Scaling of check_repl_checksum",
		Intro: fmt.Sprintf("A second sandbox (source and four replicas, as above) holds 1000 tables of %d rows and tables of "+
			"10k, 100k and %s rows; --table selects the tables. Median of %d interleaved rounds per point; plain clients: one "+
			"`mariadb -e 'CHECKSUM TABLE t1, t2, …'` per server, all at once. Marginal cost: the time added per extra table or "+
			"per 1000 extra rows since the previous point. Connections: Max_used_connections after FLUSH LOCAL STATUS, "+
			"the largest over the five servers, for one plugin run.", rowsPerSmallTable, count(o.rows), o.scaleRounds),
		Header:   header,
		Rows:     rows,
		Verdicts: v,
	})
	return nil
}

// plainClients returns a step that sends stmt to every server at once, one
// mariadb client each, and takes as long as the slowest.
func plainClients(client string, servers []*sandbox.Server, stmt string) func(context.Context) (Sample, error) {
	return func(ctx context.Context) (Sample, error) {
		t0 := time.Now()
		errs := make([]error, len(servers))
		var wg sync.WaitGroup
		for i, s := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := Cmd{Name: "mariadb " + s.Name, Path: client, Want: "\t",
					Args: []string{"--no-defaults", "-h", "127.0.0.1", "-P", strconv.Itoa(s.Port), "-u", sandbox.MonitorUser,
						"-p" + pw, "-N", "-e", stmt}}
				_, errs[i] = c.Run(ctx)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return Sample{}, err
			}
		}
		return Sample{Wall: time.Since(t0)}, nil
	}
}
