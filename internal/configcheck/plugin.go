package configcheck

import (
	"context"
	"errors"
	"fmt"

	"github.com/alecthomas/kingpin/v2"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/read"
	"github.com/replmon/replmon/internal/configcheck/render"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/query"
)

// Plugin is check_repl_config: the replication configuration of one server
// or of a whole (multi-master) topology.
func Plugin() cli.Plugin {
	return cli.Plugin{
		Name:  "check_repl_config",
		Label: "REPL_CONFIG",
		Help: "Audits the replication configuration of a MySQL/MariaDB server (-H) or of a whole " +
			"topology (--server, repeated, or --discover): binary log and log_slave_updates where " +
			"changes must be passed on, auto-increment spacing in rings of masters, unique server_id, " +
			"read-only replicas and relays, crash safety, replication SSL, version order, errant transactions " +
			"and GTID domains and modes, binary log retention headroom, settings that skip conflicts, binary log " +
			"formats, replication filters and pinned variables. " +
			"The role of each server (source, replica, relay, ring member) is read from the servers; " +
			"every finding names the variable, its value, why it matters and the my.cnf line that fixes it. " +
			"Only SELECT and SHOW statements are sent.",
		Setup: setup,
	}
}

func setup(app *kingpin.Application) cli.Check {
	var conn mysqlconn.Flags
	conn.Register(app)
	var (
		expects  []string
		roleName string
		discover bool
		opts     judge.Options
		role     = topology.RoleAuto
	)
	servers := &address.List{Flag: "--server"}
	app.Flag("server", "Audit the topology made of this server and the other --server ones (HOST[:PORT]); repeatable. "+
		"The credentials are those of -u/-p/--defaults-file; a server given with -H (-P, -S) is audited too.").PlaceHolder("HOST:PORT").SetValue(servers)
	app.Flag("discover", "Also audit every server reachable from the given ones through their sources and registered replicas.").
		BoolVar(&discover)
	incomplete := &plugin.StatusValue{Status: plugin.WARNING}
	app.Flag("incomplete", "State when --discover cannot follow every replica (the account may not list them, or they report no "+
		"report_host/report_port): ok, warning, critical or unknown.").Default("warning").PlaceHolder("STATE").SetValue(incomplete)
	app.Flag("role", "Judge the -H server as this role instead of the detected one: source, replica, relay, ring or standalone.").
		PlaceHolder("ROLE").StringVar(&roleName)
	app.Flag("durability", "Also require sync_binlog=1 and innodb_flush_log_at_trx_commit=1 (WARNING otherwise).").
		BoolVar(&opts.Durability)
	app.Flag("require-ssl", "CRITICAL when a replication link does not use SSL.").BoolVar(&opts.RequireSSL)
	app.Flag("retention-warning", "WARNING when a replica can stay disconnected from its source less long than this before it needs a binary log "+
		"the source has purged (a duration such as 36h, 2d or 1w).").Default("12h").PlaceHolder("DURATION").SetValue(durationFlag{"retention-warning", &opts.RetentionWarning})
	app.Flag("retention-critical", "CRITICAL when a replica can stay disconnected less long than this (a duration); a replica that already needs "+
		"a purged binary log is always CRITICAL.").Default("2h").PlaceHolder("DURATION").SetValue(durationFlag{"retention-critical", &opts.RetentionCritical})
	var graph string
	app.Flag("graph", "Also write the topology as a Graphviz DOT picture to FILE (dot -Tsvg FILE draws it): servers, their roles and findings, "+
		"the replication links; written on the monitoring host, replaced whole. A failure to write it is a line of the output, not a change of state.").
		PlaceHolder("FILE").StringVar(&graph)
	app.Flag("expect", "WARNING when the global variable VAR is not VALUE on an audited server (e.g. binlog_format=ROW); repeatable.").
		PlaceHolder("VAR=VALUE").StringsVar(&expects)

	validate := func() error {
		if opts.RetentionWarning <= 0 || opts.RetentionCritical <= 0 {
			return errors.New("--retention-warning and --retention-critical must be positive durations")
		}
		if opts.RetentionCritical > opts.RetentionWarning {
			return fmt.Errorf("--retention-critical %s is longer than --retention-warning %s: WARNING could never fire",
				judge.DurationText(opts.RetentionCritical), judge.DurationText(opts.RetentionWarning))
		}
		for _, e := range expects {
			x, err := judge.ParseExpectation(e)
			if err != nil {
				return err
			}
			opts.Expect = append(opts.Expect, x)
		}
		if roleName != "" {
			var err error
			if role, err = topology.ParseRole(roleName); err != nil {
				return errors.New("--" + err.Error())
			}
			if len(servers.Addrs) > 0 || discover {
				return errors.New("--role judges the one -H server, not a --server or --discover topology")
			}
		}
		return nil
	}
	run := func(ctx context.Context, r *plugin.Report) error {
		opts.Unreachable = judge.LevelOf(r.Unreachable())
		if r.Unreachable() == plugin.OK {
			opts.Unreachable = judge.Info
		}
		opts.Incomplete = judge.LevelOf(incomplete.Status)
		if incomplete.Status == plugin.OK {
			opts.Incomplete = judge.Info
		}
		var extra []string
		for _, x := range opts.Expect {
			extra = append(extra, x.Name)
		}
		cfg, err := conn.ResolveFor(r)
		if err != nil {
			return err
		}

		mode, addrs := topology.Single, []address.Addr{cfg.Address()}
		if len(servers.Addrs) > 0 {
			// -H (-P, -S) given with --server is one more server of the
			// audit: the host a Nagios service is attached to.
			mode = topology.Set
			if !conn.ServerGiven() {
				addrs = nil
			}
			for _, a := range servers.Addrs {
				addrs = append(addrs, cfg.WithAddr(a).Address())
			}
		}
		if discover {
			mode = topology.Discover
		}
		crawler := &read.Crawler{Dial: dialer(cfg), User: cfg.User, Extra: extra, Stage: r.Stage, Debugf: r.Debugf}
		t := crawler.Crawl(ctx, mode, addrs)
		t.Role = role
		r.Stage("judging %d servers", len(t.Nodes))
		fs := judge.Evaluate(t, opts)
		render.Render(r, t, fs)
		if graph != "" {
			writeGraph(r, graph, render.Graph(t, fs))
		}
		return nil
	}
	return cli.Check{Validate: validate, Run: run}
}

// dialer connects with cfg's credentials to any address, cfg's own
// address (perhaps a socket) included; one connection per server.
func dialer(cfg mysqlconn.Config) read.Dialer {
	return func(ctx context.Context, addr address.Addr) (query.Runner, func(), error) {
		c := cfg
		if addr != cfg.Address() {
			if err := givable(addr); err != nil {
				return nil, nil, err
			}
			c = cfg.WithAddr(addr)
		}
		db, err := c.Open(ctx, 1)
		if err != nil {
			return nil, nil, err
		}
		return mysqlconn.SQL(db), func() { _ = db.Close() }, nil
	}
}

// givable refuses an address read from a server (a channel's source, a
// registered replica) that could not be given with --server: a host that
// is no host name or IP address, or no port. The error is address.Parse's.
func givable(a address.Addr) error {
	spec := a.String()
	if a.Port == 0 {
		spec += ":0" // String leaves a missing port out; Parse must see it
	}
	_, err := address.Parse(spec)
	return err
}
