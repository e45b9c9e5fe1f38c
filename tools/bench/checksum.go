package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// checksumData is the sandbox of the checksum and scale scenarios, started
// and loaded once: one source (binary log on) and four read-only replicas
// holding 1000 tables of smallRows rows (database tabs) and one table per
// size of o.sizes() rows (database scale, INT, INT, VARCHAR(64), DATETIME,
// DECIMAL columns).
type checksumData struct {
	sb    *sandbox.Sandbox
	sizes []int
}

// smallRows is the size of each of the 1000 small tables.
const smallRows = 100

// Account of pt-table-checksum, which writes percona.checksums and so
// needs more than the monitoring account.
const (
	ptUser     = "bench"
	ptPassword = "bench-secret"
)

// sizes are the big table sizes: 10k, 100k and o.rows.
func (o options) sizes() []int {
	var sizes []int
	for _, n := range []int{10000, 100000, o.rows} {
		if !slices.Contains(sizes, n) {
			sizes = append(sizes, n)
		}
	}
	return sizes
}

// bigTable names the table of n rows.
func bigTable(n int) string { return "scale.r" + count(n) }

// startChecksumData starts and loads the sandbox.
func startChecksumData(ctx context.Context, o options) (*checksumData, error) {
	logf("checksum: starting a source and 4 replicas...")
	sb, err := sandbox.Start(ctx, sourceWithReplicas(4))
	if err != nil {
		return nil, err
	}
	d := &checksumData{sb: sb, sizes: o.sizes()}
	t0 := time.Now()
	logf("checksum: loading 1000 tables of %d rows and tables of %v rows...", smallRows, d.sizes)
	stmts := []string{"CREATE DATABASE tabs", "CREATE DATABASE scale", "USE scale", // seq_1_to_N needs a current database
		fmt.Sprintf("CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s'", ptUser, ptPassword),
		fmt.Sprintf("GRANT ALL ON *.* TO '%s'@'127.0.0.1'", ptUser)}
	for i := 0; i < 1000; i++ {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE tabs.t%04d (id INT PRIMARY KEY, a INT, b VARCHAR(64)) ENGINE=InnoDB "+
			"SELECT seq AS id, seq * 7 AS a, MD5(seq) AS b FROM seq_1_to_%d", i, smallRows))
	}
	for _, n := range d.sizes {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE %s (id INT PRIMARY KEY, a INT, b VARCHAR(64), c DATETIME, "+
			"d DECIMAL(10,2)) ENGINE=InnoDB", bigTable(n)))
		for lo := 1; lo <= n; lo += 100000 {
			hi := min(lo+99999, n)
			stmts = append(stmts, fmt.Sprintf("INSERT INTO %s SELECT seq, seq * 7, MD5(seq), "+
				"'2024-01-01' + INTERVAL seq SECOND, seq / 3 FROM seq_%d_to_%d", bigTable(n), lo, hi))
		}
	}
	if err := sb.Server("src").Exec(ctx, stmts...); err != nil {
		sb.Stop()
		return nil, err
	}
	if err := sb.WaitReplicated(ctx); err != nil {
		sb.Stop()
		return nil, err
	}
	logf("checksum: loaded and replicated in %s", time.Since(t0).Round(time.Second))
	return d, nil
}

// pluginCmd is check_repl_checksum comparing the source with every replica
// on the tables the globs select.
func (d *checksumData) pluginCmd(t Tools, globs ...string) Cmd {
	src := d.sb.Server("src")
	args := []string{"-H", "127.0.0.1", "-P", strconv.Itoa(src.Port), "-u", sandbox.MonitorUser, "-p", pw, "-t", "600"}
	for _, r := range d.sb.Servers()[1:] {
		args = append(args, "--replica", r.Addr())
	}
	for _, g := range globs {
		args = append(args, "--table", g)
	}
	return Cmd{Name: "check_repl_checksum", Path: t.Checksum, Args: args, Want: "REPL_CHECKSUM OK"}
}

// checksumScenario times check_repl_checksum on the table of o.rows rows
// against the same CHECKSUM TABLE sent to the five servers at once by
// plain clients (the floor of the method) and against pt-table-checksum.
func checksumScenario(ctx context.Context, o options, t Tools, d *checksumData, rep *Report) error {
	if err := need("checksum", map[string]string{"pt-table-checksum": t.PTChecksum, "mariadb client": t.Client}); err != nil {
		return err
	}
	table := bigTable(o.rows)
	servers := d.sb.Servers()
	src := servers[0]
	db, tbl, _ := strings.Cut(table, ".")
	pt := Cmd{Name: "pt-table-checksum", Path: t.PTChecksum, Want: table, Args: []string{
		fmt.Sprintf("h=127.0.0.1,P=%d,u=%s,p=%s", src.Port, ptUser, ptPassword),
		"--databases", db, "--tables", tbl, "--no-check-binlog-format", "--recursion-method", "hosts", "--no-version-check"}}
	plugin := d.pluginCmd(t, table)
	plain := fmt.Sprintf("plain CHECKSUM TABLE x%d", len(servers))
	steps := []namedFunc{{plugin.Name, plugin.Run}, {plain, plainClients(t.Client, servers, "CHECKSUM TABLE "+table)}, {pt.Name, pt.Run}}
	logf("checksum: %s, %d interleaved rounds...", table, o.csRounds)
	series, err := interleave(ctx, steps, o.csRounds, progress("checksum", o.csRounds))
	if err != nil {
		return err
	}
	header := []string{"Tool", "Median", "p90", "× plain clients", "Runs"}
	refMed := series[1].Summarise().Median
	var rows [][]string
	for _, s := range series {
		st := s.Summarise()
		rows = append(rows, []string{s.Name, ms(st.Median), ms(st.P90), ratio(st.Median, refMed), strconv.Itoa(st.Runs)})
	}
	p := series[0].Summarise()
	rep.Add(Section{
		Title: fmt.Sprintf("Checksum of a %s-row InnoDB table, source and four replicas", count(o.rows)),
		Intro: "The sandbox of the scaling series below (one source, four replicas, `innodb_buffer_pool_size=256M`), table `" +
			table + "` of INT, INT, VARCHAR(64), DATETIME, DECIMAL columns; rounds interleaved after one warm-up of every " +
			"server's buffer pool. The plain clients are five `mariadb -e 'CHECKSUM TABLE ...'` started at once, one " +
			"per server: the floor of the method. pt-table-checksum runs with `--recursion-method hosts` as an account " +
			"with every privilege (it writes percona.checksums).",
		Header: header,
		Rows:   rows,
		Verdicts: []string{
			verdict("check_repl_checksum ÷ plain parallel clients, median wall time", float64(p.Median)/float64(refMed), 1.15, "×"),
		},
		Notes: []string{fmt.Sprintf("pt-table-checksum takes %.1f× as long as check_repl_checksum.",
			float64(series[2].Summarise().Median)/float64(p.Median))},
	})
	return nil
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

// bigCnf gives the servers of the checksum sandbox room for the tables in
// memory, as on a real server.
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
	label  string   // "10 tables × 100 rows", "1 table × 100k rows"
	unit   string   // what the series grows by: "table" or "1k rows"
	per    float64  // the size n counted in units
	n      int      // tables or rows
	globs  []string // --table values
	tables []string // the tables the globs select, for the plain clients
}

// scalePoints are the two series: 1, 10, 100 and 1000 small tables, then
// one table of each size.
func scalePoints(sizes []int) [][]scalePoint {
	var tables []scalePoint
	for _, n := range []int{1, 10, 100, 1000} {
		p := scalePoint{label: fmt.Sprintf("%d %s × %d rows", n, map[bool]string{true: "table", false: "tables"}[n == 1], smallRows),
			unit: "table", per: float64(n), n: n}
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
		tables = append(tables, p)
	}
	var rows []scalePoint
	for _, n := range sizes {
		rows = append(rows, scalePoint{label: fmt.Sprintf("1 table × %s rows", count(n)), unit: "1k rows", per: float64(n) / 1000,
			n: n, globs: []string{bigTable(n)}, tables: []string{bigTable(n)}})
	}
	return [][]scalePoint{tables, rows}
}

// scaleScenario times check_repl_checksum and the plain-client floor on
// 1, 10, 100 and 1000 small tables and on tables of 10k, 100k and 1M rows,
// and records how many connections each server saw.
func scaleScenario(ctx context.Context, o options, t Tools, d *checksumData, rep *Report) error {
	if err := need("scale", map[string]string{"mariadb client": t.Client}); err != nil {
		return err
	}
	servers := d.sb.Servers()
	type result struct {
		plugin, floor Stats
		conns         int
	}
	header := []string{"Selection", "check_repl_checksum", "Plain clients", "× plain", "Marginal cost (plugin)", "Marginal cost (plain)", "Connections per server"}
	var rows [][]string
	var notes []string
	linear, mostConns, firstConns, lastTablesConns := true, 0, 0, 0
	for si, series := range scalePoints(d.sizes) {
		var prev, prevPrev *result
		var prevPoint scalePoint
		var before float64 // marginal cost per unit of the previous step
		for pi, p := range series {
			plugin := d.pluginCmd(t, p.globs...)
			floor := plainClients(t.Client, servers, "CHECKSUM TABLE "+strings.Join(p.tables, ", "))
			logf("scale: %s, %d rounds...", p.label, o.scaleRounds)
			ss, err := interleave(ctx, []namedFunc{{plugin.Name, plugin.Run}, {"plain clients", floor}}, o.scaleRounds, nil)
			if err != nil {
				return fmt.Errorf("scale: %s: %w", p.label, err)
			}
			conns, err := connectionsPerServer(ctx, servers, plugin)
			if err != nil {
				return err
			}
			r := &result{ss[0].Summarise(), ss[1].Summarise(), conns}
			logf("scale: %s: plugin %s, plain clients %s, %d connections per server at most",
				p.label, ms(r.plugin.Median), ms(r.floor.Median), conns)
			mostConns = max(mostConns, conns)
			if si == 0 && pi == 0 {
				firstConns = conns
			}
			if si == 0 {
				lastTablesConns = conns
			}
			marg, margFloor := "–", "–"
			if prev != nil {
				du := p.per - prevPoint.per
				mp := float64(r.plugin.Median-prev.plugin.Median) / du
				mf := float64(r.floor.Median-prev.floor.Median) / du
				marg = ms(time.Duration(mp)) + " per " + p.unit
				margFloor = ms(time.Duration(mf)) + " per " + p.unit
				// Linear growth keeps the marginal cost flat; quadratic
				// growth multiplies it by the size step (10×). Allow noise
				// up to 3×.
				if prevPrev != nil && before > 0 && mp > 3*before {
					linear = false
					notes = append(notes, fmt.Sprintf("the marginal cost grew from %s to %s per %s at %s",
						ms(time.Duration(before)), ms(time.Duration(mp)), p.unit, p.label))
				}
				before = mp
			}
			rows = append(rows, []string{p.label, ms(r.plugin.Median), ms(r.floor.Median), ratio(r.plugin.Median, r.floor.Median),
				marg, margFloor, strconv.Itoa(r.conns)})
			prevPrev, prev, prevPoint = prev, r, p
		}
	}
	v := []string{}
	if linear {
		v = append(v, "Cost grows linearly with tables and rows (the marginal cost per table and per 1k rows stays flat): **met**")
	} else {
		v = append(v, "Cost grows linearly with tables and rows: **missed**: "+strings.Join(notes, "; "))
	}
	v = append(v, fmt.Sprintf("Connections per server stay bounded: at most %d at any size: **%s**", mostConns,
		map[bool]string{true: "met", false: "missed"}[lastTablesConns <= firstConns+1]))
	rep.Add(Section{
		Title: "Scaling of check_repl_checksum",
		Intro: fmt.Sprintf("The sandbox of the checksum comparison holds 1000 tables of %d rows and tables of "+
			"10k, 100k and %s rows; --table selects the tables. Median of %d interleaved rounds per point; plain clients: one "+
			"`mariadb -e 'CHECKSUM TABLE t1, t2, …'` per server, all at once. Marginal cost: the time added per extra table or "+
			"per 1000 extra rows since the previous point. Connections: Max_used_connections after FLUSH LOCAL STATUS, "+
			"the largest over the five servers, for one plugin run.", smallRows, count(o.rows), o.scaleRounds),
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
