package main

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"syscall"
	"time"

	_ "github.com/go-sql-driver/mysql" // the "mysql" driver of the bare list
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// tablesScenario times check_repl_checksum (default method, every small
// table in one run) against a bare list of CHECKSUM TABLE statements sent
// one after the other on one connection per server, to the five servers
// at once: the per-table overhead of the plugin (issue 11, item 6).
func tablesScenario(ctx context.Context, o options, t Tools, d *checksumData, rep *Report) error {
	n := d.tables
	servers := d.sb.Servers()
	plugin := d.pluginCmd(t, "check_repl_checksum (default method)", unbudgeted, "tabs.*")
	tables := make([]string, n)
	for i := range tables {
		tables[i] = smallTable(i)
	}
	bare := fmt.Sprintf("bare list: %d × CHECKSUM TABLE on one connection per server, x%d at once", n, len(servers))
	steps := []namedFunc{
		{plugin.Name, withServerCPU(d.sb, plugin.Run)},
		{bare, withServerCPU(d.sb, checksumList(servers, tables))},
	}
	logf("tables: %d tables of %d rows, %d interleaved rounds...", n, smallRows, o.tabRounds)
	series, err := interleave(ctx, steps, o.tabRounds, progress("tables", o.tabRounds))
	if err != nil {
		return err
	}
	p, b := series[0].Summarise(), series[1].Summarise()
	perTable := func(d time.Duration) string {
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)/float64(n))
	}
	header := []string{"Tool", "Median", "p90", "Per table", "× bare list", "CPU (median)", "Page faults", "Servers' CPU (median)"}
	var cells [][]string
	for i, s := range series {
		st := []Stats{p, b}[i]
		cells = append(cells, []string{s.Name, ms(st.Median), ms(st.P90), perTable(st.Median), ratio(st.Median, b.Median),
			ms(st.CPU), fmt.Sprint(st.Faults), ms(st.ServerCPU)})
	}
	rep.Add(Section{
		Title: fmt.Sprintf("%d small tables, source and four replicas", n),
		Intro: fmt.Sprintf("Issue 11, item 6. %d InnoDB tables of %d rows (INT, INT, VARCHAR(64)) in database tabs; "+
			"check_repl_checksum compares them all in one run (`--table 'tabs.*'`, default method, `-t 3600`); the bare "+
			"list is one `CHECKSUM TABLE` statement per table sent one after the other on one connection per server "+
			"(Go, go-sql-driver/mysql, the monitoring account over TCP), to the five servers at once. %d interleaved "+
			"rounds after one warm-up round. CPU and page faults: the plugin's processes, and the bench's own for the bare "+
			"list (getrusage); servers' CPU: the five mariadbd processes (/proc). The servers keep the sandbox's table_open_cache "+
			"of 256, so most tables are opened again on every pass, as on a server with more tables than its cache.",
			n, smallRows, o.tabRounds),
		Header: header,
		Rows:   cells,
		Verdicts: []string{
			verdict("check_repl_checksum ÷ bare CHECKSUM TABLE list, median wall time", float64(p.Median)/float64(b.Median), 2, "×"),
		},
	})
	return nil
}

// checksumList returns a step that sends CHECKSUM TABLE for each table,
// one statement at a time, on one connection to each server, to every
// server at once, as the monitoring account over TCP.
func checksumList(servers []*sandbox.Server, tables []string) func(context.Context) (Sample, error) {
	return func(ctx context.Context) (Sample, error) {
		var before, after syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &before); err != nil {
			return Sample{}, err
		}
		t0 := time.Now()
		errs := make([]error, len(servers))
		var wg sync.WaitGroup
		for i, s := range servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = checksumTables(ctx, s, tables)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return Sample{}, err
			}
		}
		wall := time.Since(t0)
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &after); err != nil {
			return Sample{}, err
		}
		// The bench's own process: nothing else of it runs meanwhile.
		return Sample{Wall: wall, CPU: time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano()),
			Faults: after.Minflt + after.Majflt - before.Minflt - before.Majflt}, nil
	}
}

// checksumTables sends CHECKSUM TABLE t for each table on one connection
// to s and reads every answer.
func checksumTables(ctx context.Context, s *sandbox.Server, tables []string) error {
	db, err := sql.Open("mysql", s.MonitorDSN())
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	defer conn.Close()
	for _, t := range tables {
		var name string
		var sum sql.NullInt64
		if err := conn.QueryRowContext(ctx, "CHECKSUM TABLE "+t).Scan(&name, &sum); err != nil {
			return fmt.Errorf("%s: CHECKSUM TABLE %s: %w", s.Name, t, err)
		}
		if !sum.Valid {
			return fmt.Errorf("%s: CHECKSUM TABLE %s: NULL (no such table?)", s.Name, t)
		}
	}
	return nil
}
