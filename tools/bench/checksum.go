package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// checksumData is the sandbox of the checksum scenarios, started and
// loaded once: one source (binary log on) and four read-only replicas
// holding what the chosen scenarios need: small tables of smallRows rows
// (database tabs) and one table per size of rows (database scale, INT,
// INT, VARCHAR(64), DATETIME, DECIMAL columns).
type checksumData struct {
	sb     *sandbox.Sandbox
	tables int   // small tables loaded: tabs.t00000, tabs.t00001, ...
	sizes  []int // big tables loaded, bigTable(n) each
	// What loading took and left, for the report.
	loadSource, loadReplicas time.Duration
	diskBytes                int64
}

// smallRows is the size of each small table.
const smallRows = 100

// scaleSizes are the table sizes of the scaling series.
var scaleSizes = []int{10000, 100000, 1000000}

// Account of pt-table-checksum, which writes percona.checksums and so
// needs more than the monitoring account.
const (
	ptUser     = "bench"
	ptPassword = "bench-secret"
)

// bigTable names the table of n rows.
func bigTable(n int) string { return "scale.r" + count(n) }

// smallTable names the i-th small table, from 0.
func smallTable(i int) string { return fmt.Sprintf("tabs.t%05d", i) }

// dataNeeds returns what the chosen scenarios read: the number of small
// tables and the big table sizes.
func (o options) dataNeeds() (tables int, sizes []int) {
	add := func(n int) {
		if !slices.Contains(sizes, n) {
			sizes = append(sizes, n)
		}
	}
	if o.only["scale"] {
		tables = 1000
		for _, n := range scaleSizes {
			add(n)
		}
	}
	if o.only["tables"] {
		tables = max(tables, o.smallTables)
	}
	if o.only["checksum"] || o.only["cycle"] || o.only["impact"] {
		add(o.rows)
	}
	slices.Sort(sizes)
	return tables, sizes
}

// bytesPerRow bounds the disk space one row of a big table takes over the
// whole sandbox: the table on five servers (~100 B a row each, with the
// primary key's pages), the source's binary log and the replicas' relay
// logs (row events, ~80 B a row each), with room to spare.
const bytesPerRow = 5*130 + 5*90

// startChecksumData starts and loads the sandbox: the source inserts
// (INSERT ... SELECT from seq_1_to_N, in batches), the replicas catch up
// through replication.
func startChecksumData(ctx context.Context, o options) (*checksumData, error) {
	tables, sizes := o.dataNeeds()
	var need int64
	for _, n := range sizes {
		need += int64(n) * bytesPerRow
	}
	need += int64(tables) * 5 * 200 << 10 // an InnoDB table file of 100 rows: ~100 KiB, five servers, binlogs
	need += 5 * 400 << 20                 // each server's redo log (bigCnf), system tablespace and undo logs
	free, err := freeBytes(shortTempDir())
	if err != nil {
		return nil, err
	}
	logf("checksum: %s free in %s, the data needs about %s", gib(free), shortTempDir(), gib(need))
	if free < need+2<<30 {
		return nil, fmt.Errorf("checksum: %s free in %s, the data of these scenarios needs about %s and 2 GiB to spare: "+
			"free space, or choose fewer rows (-rows) or tables (-small-tables)", gib(free), shortTempDir(), gib(need))
	}
	logf("checksum: starting a source and 4 replicas...")
	sb, err := sandbox.Start(ctx, sourceWithReplicas(4))
	if err != nil {
		return nil, err
	}
	d := &checksumData{sb: sb, tables: tables, sizes: sizes}
	if err := d.load(ctx); err != nil {
		sb.Stop()
		return nil, err
	}
	return d, nil
}

// loadBatch is the rows of one INSERT ... SELECT: one binary log event
// group of a few MiB, which the replicas apply as they come.
const loadBatch = 100000

// load fills the source and waits for the replicas to hold the same.
func (d *checksumData) load(ctx context.Context) error {
	t0 := time.Now()
	logf("checksum: loading %d tables of %d rows and tables of %v rows...", d.tables, smallRows, d.sizes)
	stmts := []string{"CREATE DATABASE tabs", "CREATE DATABASE scale", "USE scale", // seq_1_to_N needs a current database
		fmt.Sprintf("CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s'", ptUser, ptPassword),
		fmt.Sprintf("GRANT ALL ON *.* TO '%s'@'127.0.0.1'", ptUser)}
	for i := 0; i < d.tables; i++ {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE %s (id INT PRIMARY KEY, a INT, b VARCHAR(64)) ENGINE=InnoDB "+
			"SELECT seq AS id, seq * 7 AS a, MD5(seq) AS b FROM seq_1_to_%d", smallTable(i), smallRows))
	}
	src := d.sb.Server("src")
	if err := src.Exec(ctx, stmts...); err != nil {
		return err
	}
	if d.tables > 0 {
		logf("checksum: %d small tables created on the source in %s", d.tables, time.Since(t0).Round(time.Millisecond))
	}
	for _, n := range d.sizes {
		t1 := time.Now()
		stmts := []string{"USE scale", fmt.Sprintf("CREATE TABLE %s (id INT PRIMARY KEY, a INT, b VARCHAR(64), c DATETIME, "+
			"d DECIMAL(10,2)) ENGINE=InnoDB", bigTable(n))}
		for lo := 1; lo <= n; lo += loadBatch {
			hi := min(lo+loadBatch-1, n)
			stmts = append(stmts, fmt.Sprintf("INSERT INTO %s SELECT seq, seq * 7, MD5(seq), "+
				"'2024-01-01' + INTERVAL seq SECOND, seq / 3 FROM seq_%d_to_%d", bigTable(n), lo, hi))
		}
		if err := src.Exec(ctx, stmts...); err != nil {
			return err
		}
		el := time.Since(t1)
		logf("checksum: %s: %d rows inserted on the source in %s (%.0f rows/s)", bigTable(n), n, el.Round(time.Millisecond),
			float64(n)/el.Seconds())
	}
	d.loadSource = time.Since(t0)
	if err := d.sb.WaitReplicated(ctx); err != nil {
		return err
	}
	d.loadReplicas = time.Since(t0) - d.loadSource
	d.diskBytes = dirSize(d.sb.Dir)
	logf("checksum: loaded on the source in %s, replicas caught up %s later; the sandbox takes %s on disk",
		d.loadSource.Round(time.Second), d.loadReplicas.Round(time.Second), gib(d.diskBytes))
	return nil
}

// loadNote describes the load for the report.
func (d *checksumData) loadNote() string {
	return fmt.Sprintf("Loading (INSERT ... SELECT from seq_1_to_N in batches of %s rows on the source, the replicas catching up "+
		"through replication): %s on the source, the replicas caught up %s later; the five servers' files take %s.",
		count(loadBatch), d.loadSource.Round(time.Second), d.loadReplicas.Round(time.Second), gib(d.diskBytes))
}

// dirSize adds up the sizes of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			if fi, err := e.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// gib formats bytes in GiB.
func gib(b int64) string { return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30)) }

// shortTempDir is where the sandbox keeps its servers' files.
func shortTempDir() string {
	if fi, err := os.Stat("/tmp"); err == nil && fi.IsDir() {
		return "/tmp"
	}
	return os.TempDir()
}

// pluginCmd is check_repl_checksum comparing the source with every replica
// on the tables the globs select, with extra arguments (-t, --method ...).
func (d *checksumData) pluginCmd(t Tools, name string, extra []string, globs ...string) Cmd {
	src := d.sb.Server("src")
	args := []string{"-H", "127.0.0.1", "-P", strconv.Itoa(src.Port), "-u", sandbox.MonitorUser, "-p", pw}
	args = append(args, extra...)
	for _, r := range d.sb.Servers()[1:] {
		args = append(args, "--replica", r.Addr())
	}
	for _, g := range globs {
		args = append(args, "--table", g)
	}
	return Cmd{Name: name, Path: t.Checksum, Args: args, Want: "REPL_CHECKSUM OK"}
}

// unbudgeted is the -t of a run meant to compare everything at once.
var unbudgeted = []string{"-t", "3600"}

// checksumScenario times, side by side on the table of o.rows rows, the
// rows method against its floor (one whole-table statement per server,
// all at once, with pt-table-checksum's row expression and with the rows
// method's own row hash) and against pt-table-checksum; and the
// checksum-table method against plain clients sending CHECKSUM TABLE.
func checksumScenario(ctx context.Context, o options, t Tools, d *checksumData, rep *Report) error {
	if err := need("checksum", map[string]string{"pt-table-checksum": t.PTChecksum, "mariadb client": t.Client}); err != nil {
		return err
	}
	table := bigTable(o.rows)
	servers := d.sb.Servers()
	src := servers[0]
	db, tbl, _ := strings.Cut(table, ".")
	floorCRC, floorHash, err := floorQueries(ctx, src, db, tbl)
	if err != nil {
		return err
	}
	pt := Cmd{Name: "pt-table-checksum", Path: t.PTChecksum, Want: table, Args: []string{
		fmt.Sprintf("h=127.0.0.1,P=%d,u=%s,p=%s", src.Port, ptUser, ptPassword),
		"--databases", db, "--tables", tbl, "--no-check-binlog-format", "--recursion-method", "hosts", "--no-version-check"}}
	rows := d.pluginCmd(t, "check_repl_checksum --method rows", append([]string{"--method", "rows"}, unbudgeted...), table)
	ct := d.pluginCmd(t, "check_repl_checksum --method checksum-table", append([]string{"--method", "checksum-table"}, unbudgeted...), table)
	n := len(servers)
	steps := []namedFunc{
		{fmt.Sprintf("floor: pt-table-checksum's row expression (CRC32), x%d at once", n), plainClients(t.Client, servers, floorCRC)},
		{fmt.Sprintf("floor: the rows method's row hash, x%d at once", n), plainClients(t.Client, servers, floorHash)},
		{rows.Name, rows.Run},
		{pt.Name, pt.Run},
		{fmt.Sprintf("plain CHECKSUM TABLE, x%d at once", n), plainClients(t.Client, servers, "CHECKSUM TABLE "+table)},
		{ct.Name, ct.Run},
	}
	for i := range steps {
		steps[i].run = withServerCPU(d.sb, steps[i].run)
	}
	logf("checksum: %s, %d interleaved rounds of %d tools...", table, o.csRounds, len(steps))
	series, err := interleave(ctx, steps, o.csRounds, progress("checksum", o.csRounds))
	if err != nil {
		return err
	}
	st := make([]Stats, len(series))
	for i, s := range series {
		st[i] = s.Summarise()
	}
	const (
		iCRC = iota
		iHash
		iRows
		iPT
		iPlain
		iCT
	)
	header := []string{"Tool", "Median", "p90", "Rows/s (per server)", "Throughput × CRC32 floor", "CPU (median)", "Page faults",
		"Servers' CPU (median)", "Runs"}
	var cells [][]string
	for i, s := range series {
		cells = append(cells, []string{s.Name, ms(st[i].Median), ms(st[i].P90), rate(o.rows, st[i].Median),
			ratio(st[iCRC].Median, st[i].Median), ms(st[i].CPU), fmt.Sprint(st[i].Faults), ms(st[i].ServerCPU), strconv.Itoa(st[i].Runs)})
	}
	thr := func(floor, tool Stats) float64 { return float64(floor.Median) / float64(tool.Median) }
	rep.Add(Section{
		Title: fmt.Sprintf("Checksum of a %s-row InnoDB table, source and four replicas", count(o.rows)),
		Intro: fmt.Sprintf("Issue 11 (a). The sandbox of the scenarios below: one source and four replicas, %s, "+
			"table `%s` of INT, INT, VARCHAR(64), DATETIME, DECIMAL columns. %d interleaved rounds after one warm-up round. "+
			"The floors are one whole-table statement per server, sent by %d plain `mariadb` clients started at once: "+
			"`SELECT COUNT(*), BIT_XOR(CAST(CRC32(CONCAT_WS('#', cols..., CONCAT(ISNULL(col)...))) AS UNSIGNED))`, "+
			"pt-table-checksum's row expression, and the same with the rows method's own row hash (the CRC32 of "+
			"the row written unambiguously, as the plugin writes it for servers that declare the same character sets: "+
			"`plan.Rows.SumQuery` of one chunk). check_repl_checksum runs with `-t 3600` "+
			"and no state file: one unbudgeted pass. pt-table-checksum runs with `--recursion-method hosts` as an account "+
			"with every privilege (it writes percona.checksums); its wall time includes waiting for the replicas to "+
			"replay its chunks. Rows/s: rows of the table per second of wall time, each server reading all of them. "+
			"CPU and page faults: the tool's processes (wait4); servers' CPU: the five mariadbd processes meanwhile (/proc).",
			strings.Join(bigCnf, ", "), table, o.csRounds, n),
		Header: header,
		Rows:   cells,
		Verdicts: []string{
			verdictAtLeast("check_repl_checksum --method rows ÷ the CRC32 floor, throughput", thr(st[iCRC], st[iRows]), 0.8, "×"),
			verdictAtLeast("check_repl_checksum --method rows ÷ the floor of its own row hash, throughput", thr(st[iHash], st[iRows]), 0.8, "×"),
			verdictBelow("check_repl_checksum --method rows ÷ pt-table-checksum, median wall time", float64(st[iRows].Median)/float64(st[iPT].Median), 1, "×"),
			verdict("check_repl_checksum --method checksum-table ÷ plain CHECKSUM TABLE clients, median wall time",
				float64(st[iCT].Median)/float64(st[iPlain].Median), 1.15, "×"),
		},
		Notes: []string{
			fmt.Sprintf("The row hash itself: the floor with the rows method's hash takes %.2f× the CRC32 floor's time.",
				float64(st[iHash].Median)/float64(st[iCRC].Median)),
			d.loadNote(),
		},
	})
	return nil
}

// floorQueries returns the whole-table statements of the two floors of the
// rows method on db.tbl: pt-table-checksum's row expression (CRC32 of the
// columns joined with '#', and a string of ISNULL flags of the nullable
// ones), and the rows method's own hash (plan.Rows of one chunk).
func floorQueries(ctx context.Context, src *sandbox.Server, db, tbl string) (crc, hash string, err error) {
	rdb, err := src.RootDB()
	if err != nil {
		return "", "", err
	}
	rs, err := rdb.QueryContext(ctx, "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COALESCE(CHARACTER_SET_NAME, ''), "+
		"COALESCE(COLLATION_NAME, ''), COALESCE(EXTRA, ''), IS_NULLABLE FROM information_schema.COLUMNS "+
		"WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", db, tbl)
	if err != nil {
		return "", "", err
	}
	defer rs.Close()
	info := &plan.TableInfo{Engine: "InnoDB"}
	var cols, nulls []string
	for rs.Next() {
		var c plan.Column
		var extra, nullable string
		if err := rs.Scan(&c.Name, &c.DataType, &c.ColumnType, &c.Charset, &c.Collation, &extra, &nullable); err != nil {
			return "", "", err
		}
		c.DataType = strings.ToLower(c.DataType)
		c.Virtual = strings.Contains(strings.ToUpper(extra), "VIRTUAL")
		info.Columns = append(info.Columns, c)
		cols = append(cols, plan.QuoteIdent(c.Name))
		if nullable == "YES" {
			nulls = append(nulls, "ISNULL("+plan.QuoteIdent(c.Name)+")")
		}
	}
	if err := rs.Err(); err != nil {
		return "", "", err
	}
	if len(cols) == 0 {
		return "", "", fmt.Errorf("checksum: %s.%s has no columns on the source", db, tbl)
	}
	info.PK = []string{info.Columns[0].Name} // id, as created above
	name := plan.TableName{Schema: db, Name: tbl}
	row := strings.Join(cols, ", ")
	if len(nulls) > 0 {
		row += ", CONCAT(" + strings.Join(nulls, ", ") + ")"
	}
	crc = "SELECT COUNT(*), COALESCE(LOWER(CONV(BIT_XOR(CAST(CRC32(CONCAT_WS('#', " + row + ")) AS UNSIGNED)), 10, 16)), 0) FROM " +
		plan.QuoteTable(name)
	hash = plan.NewRows(name, info, plan.HashOptions{FloatPrecision: -1, SameCharsets: true}).SumQuery(0)
	return crc, hash, nil
}

// rate formats n rows in d as rows per second.
func rate(n int, d time.Duration) string {
	if d <= 0 {
		return "–"
	}
	v := float64(n) / d.Seconds()
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.0fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
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

// bigCnf are the settings of the checksum sandbox's servers.
// A small buffer pool keeps five servers lean on a shared machine: a
// whole-table pass reads most pages from the page cache, alike for every
// tool. A larger redo log lets the bulk load run without waiting on
// checkpoints.
var bigCnf = []string{"innodb_buffer_pool_size=128M", "innodb_log_file_size=256M"}

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
			p.globs = []string{"tabs.t00000"}
		case 10:
			p.globs = []string{"tabs.t0000?"}
		case 100:
			p.globs = []string{"tabs.t000??"}
		default:
			p.globs = []string{"tabs.t00???"}
		}
		for i := 0; i < n; i++ {
			p.tables = append(p.tables, smallTable(i))
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
	for si, series := range scalePoints(scaleSizes) {
		var prev, prevPrev *result
		var prevPoint scalePoint
		var before float64 // marginal cost per unit of the previous step
		for pi, p := range series {
			plugin := d.pluginCmd(t, "check_repl_checksum", []string{"-t", "600"}, p.globs...)
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
			"the largest over the five servers, for one plugin run.", smallRows, count(scaleSizes[len(scaleSizes)-1]), o.scaleRounds),
		Header:   header,
		Rows:     rows,
		Verdicts: v,
	})
	return nil
}

// plainClients returns a step that sends stmt to every server at once, one
// mariadb client each, and takes as long as the slowest; its CPU time and
// page faults are the clients' sums.
func plainClients(client string, servers []*sandbox.Server, stmt string) func(context.Context) (Sample, error) {
	return func(ctx context.Context) (Sample, error) {
		t0 := time.Now()
		errs := make([]error, len(servers))
		samples := make([]Sample, len(servers))
		var wg sync.WaitGroup
		for i, s := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := Cmd{Name: "mariadb " + s.Name, Path: client, Want: "\t",
					Args: []string{"--no-defaults", "-h", "127.0.0.1", "-P", strconv.Itoa(s.Port), "-u", sandbox.MonitorUser,
						"-p" + pw, "-N", "-e", stmt}}
				samples[i], errs[i] = c.Run(ctx)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return Sample{}, err
			}
		}
		sum := Sample{Wall: time.Since(t0)}
		for _, x := range samples {
			sum.CPU += x.CPU
			sum.Faults += x.Faults
		}
		return sum, nil
	}
}
