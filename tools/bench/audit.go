package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// auditScenario compares the audit of the whole seed topology with one
// check_mysql call.
func auditScenario(ctx context.Context, o options, t Tools, sb *sandbox.Sandbox, rep *Report) error {
	if err := need("audit", map[string]string{"check_mysql": t.CheckMySQL, "GNU time": t.Time}); err != nil {
		return err
	}
	servers := sb.Servers()
	m1 := sb.Server("m1")
	login := []string{"-u", sandbox.MonitorUser, "-p", pw}
	all := append([]string(nil), login...)
	for _, s := range servers {
		all = append(all, "--server", s.Addr())
	}
	cmds := []Cmd{
		{Name: fmt.Sprintf("check_repl_config --server ×%d", len(servers)), Path: t.Config, Args: all,
			Want: fmt.Sprintf("REPL_CONFIG OK - %d servers audited", len(servers))},
		{Name: "check_mysql (one server)", Path: t.CheckMySQL,
			Args: append([]string{"-H", "127.0.0.1", "-P", strconv.Itoa(m1.Port)}, login...), Want: "Uptime:"},
		{Name: "check_repl_config (one server)", Path: t.Config,
			Args: append([]string{"-H", "127.0.0.1", "-P", strconv.Itoa(m1.Port)}, login...), Want: "REPL_CONFIG OK - 1 server audited"},
	}
	logf("audit: %d interleaved rounds...", o.auditRuns)
	series, err := Interleave(ctx, cmds, o.auditRuns, progress("audit", o.auditRuns))
	if err != nil {
		return err
	}
	rss, err := PeakRSS(ctx, t.Time, cmds, max(3, o.rssRuns/2))
	if err != nil {
		return err
	}
	conns, err := connectionsPerServer(ctx, servers, cmds[0])
	if err != nil {
		return err
	}
	header, rows := comparison(series, 1, rss)
	audit, one := series[0].Summarise(), series[1].Summarise()
	rep.Add(Section{
		Title: "Topology audit of 8 servers",
		Intro: fmt.Sprintf("check_repl_config audits the seed topology (masters m1 ⇄ m2, three replicas under each) named with "+
			"--server ×%d, connecting to all servers at once; the reference is one check_mysql connection check of m1. "+
			"%d interleaved rounds.", len(servers), o.auditRuns),
		Header: header,
		Rows:   rows,
		Verdicts: []string{
			verdict(fmt.Sprintf("check_repl_config --server ×%d ÷ one check_mysql call, median wall time", len(servers)),
				float64(audit.Median)/float64(one.Median), 3, "×"),
		},
		Notes: []string{fmt.Sprintf("Connections the audit opened per server (Max_used_connections after FLUSH LOCAL STATUS): at most %d.", conns)},
	})
	return nil
}

// connectionsPerServer runs c once and returns the largest number of
// connections it held at once on any of the servers.
func connectionsPerServer(ctx context.Context, servers []*sandbox.Server, c Cmd) (int, error) {
	base := map[string]int{}
	for _, s := range servers {
		if err := s.Exec(ctx, "FLUSH LOCAL STATUS"); err != nil {
			return 0, err
		}
		n, err := statusInt(ctx, s, "Max_used_connections")
		if err != nil {
			return 0, err
		}
		base[s.Name] = n
	}
	if _, err := c.Run(ctx); err != nil {
		return 0, err
	}
	most := 0
	for _, s := range servers {
		n, err := statusInt(ctx, s, "Max_used_connections")
		if err != nil {
			return 0, err
		}
		most = max(most, n-base[s.Name])
	}
	return most, nil
}

// statusInt reads a global status counter.
func statusInt(ctx context.Context, s *sandbox.Server, name string) (int, error) {
	v, err := s.QueryString(ctx, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '"+name+"'")
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %s is %q", s.Name, name, v)
	}
	return n, nil
}

// tlsScenario measures what TLS set-up costs, on a replica that offers TLS.
func tlsScenario(ctx context.Context, o options, t Tools, rep *Report) error {
	if err := need("tls", map[string]string{"check_mysql": t.CheckMySQL}); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "replmon-bench-ca")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ca, err := sandbox.NewCA(dir)
	if err != nil {
		return err
	}
	topo := sandbox.Pair()
	for i := range topo.Servers {
		s := &topo.Servers[i]
		files, err := ca.Issue(s.Name, "127.0.0.1", "localhost")
		if err != nil {
			return err
		}
		s.TLS = &files
	}
	logf("tls: starting a source and a replica that offer TLS...")
	sb, err := sandbox.Start(ctx, topo)
	if err != nil {
		return err
	}
	defer sb.Stop()
	r := sb.Server("r1")
	cmds := []Cmd{
		ioCmd(t, "check_repl_io (default --ssl-mode=PREFERRED: TLS)", r.Port),
		ioCmd(t, "check_repl_io --ssl-mode=VERIFY_CA", r.Port, "--ssl-mode=VERIFY_CA", "--ssl-ca", ca.CertFile),
		ioCmd(t, "check_repl_io --ssl-mode=DISABLED", r.Port, "--ssl-mode=DISABLED"),
		checkMySQLCmd(t, "check_mysql -S -l (TLS)", r.Port, "-l"),
		checkMySQLCmd(t, "check_mysql -S (no TLS)", r.Port),
	}
	logf("tls: %d interleaved rounds...", o.runs)
	series, err := Interleave(ctx, cmds, o.runs, progress("tls", o.runs))
	if err != nil {
		return err
	}
	header, rows := comparison(series, 3, nil)
	tlsIO, tlsCM := series[0].Summarise(), series[3].Summarise()
	rep.Add(Section{
		Title: "TLS set-up",
		Intro: fmt.Sprintf("A replica that offers TLS (ECDSA P-256 certificate from a test CA), over TCP; %d interleaved rounds. "+
			"check_repl_io negotiates TLS by default (PREFERRED), as the mysql client does; check_mysql only with -l.", o.runs),
		Header: header,
		Rows:   rows,
		Verdicts: []string{
			verdict("check_repl_io (TLS) ÷ check_mysql -S -l (TLS), median wall time", float64(tlsIO.Median)/float64(tlsCM.Median), 1, "×"),
		},
	})
	return nil
}
