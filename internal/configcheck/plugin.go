package configcheck

import (
	"context"
	"fmt"

	"github.com/alecthomas/kingpin/v2"

	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/server"
)

// Plugin is check_repl_config: the replication configuration of one server
// or of a whole (multi-master) topology.
func Plugin() plugin.Plugin {
	return plugin.Plugin{
		Name:  "check_repl_config",
		Label: "REPL_CONFIG",
		Help: "Audits the replication configuration of a MySQL/MariaDB server (-H) or of a whole " +
			"topology (--server, repeated, or --discover): binary log and log_slave_updates where " +
			"changes must be passed on, auto-increment spacing in rings of masters, unique server_id, " +
			"read-only replicas, crash safety, replication SSL, version order and pinned variables. " +
			"The role of each server (source, replica, relay, ring member) is read from the servers; " +
			"every finding names the variable, its value, why it matters and the my.cnf line that fixes it. " +
			"Only SELECT and SHOW statements are sent.",
		Setup: setup,
	}
}

func setup(app *kingpin.Application) plugin.Runner {
	var conn mysqlconn.Flags
	conn.Register(app)
	var (
		servers  []string
		expects  []string
		roleName string
		discover bool
		opts     Options
	)
	unreachable := &plugin.StatusValue{Status: plugin.CRITICAL}
	app.Flag("server", "Audit the topology made of this server and the other --server ones (HOST[:PORT]); repeatable. "+
		"The credentials are those of -u/-p/--defaults-file.").PlaceHolder("HOST:PORT").StringsVar(&servers)
	app.Flag("discover", "Also audit every server reachable from the given ones through their sources and registered replicas.").
		BoolVar(&discover)
	app.Flag("role", "Judge the -H server as this role instead of the detected one: source, replica, relay, ring or standalone.").
		PlaceHolder("ROLE").StringVar(&roleName)
	app.Flag("durability", "Also require sync_binlog=1 and innodb_flush_log_at_trx_commit=1 (WARNING otherwise).").
		BoolVar(&opts.Durability)
	app.Flag("require-ssl", "CRITICAL when a replication link does not use SSL.").BoolVar(&opts.RequireSSL)
	app.Flag("expect", "WARNING when the global variable VAR is not VALUE on an audited server (e.g. binlog_format=ROW); repeatable.").
		PlaceHolder("VAR=VALUE").StringsVar(&expects)
	app.Flag("unreachable", "State for a named server that cannot be reached: ok, warning, critical or unknown.").
		Default("critical").SetValue(unreachable)

	return func(ctx context.Context, r *plugin.Report) error {
		opts.Unreachable = levelOf(unreachable.Status)
		if unreachable.Status == plugin.OK {
			opts.Unreachable = Info
		}
		var extra []string
		for _, e := range expects {
			x, err := ParseExpectation(e)
			if err != nil {
				return fmt.Errorf("invalid command line: %w", err)
			}
			opts.Expect = append(opts.Expect, x)
			extra = append(extra, x.Name)
		}
		role := RoleAuto
		if roleName != "" {
			var err error
			if role, err = ParseRole(roleName); err != nil {
				return fmt.Errorf("invalid command line: --%w", err)
			}
			if len(servers) > 0 || discover {
				return fmt.Errorf("invalid command line: --role judges the one -H server, not a --server or --discover topology")
			}
		}
		cfg, err := conn.ResolveFor(r)
		if err != nil {
			return err
		}

		mode, addrs := Single, []string{cfg.Addr()}
		if len(servers) > 0 {
			mode, addrs = Set, nil
			for _, s := range servers {
				c, err := cfg.WithAddr(s)
				if err != nil {
					return fmt.Errorf("invalid command line: --server: %w", err)
				}
				addrs = append(addrs, c.Addr())
			}
		}
		if discover {
			mode = Discover
		}
		crawler := &Crawler{Dial: dialer(cfg), User: cfg.User, Extra: extra, Stage: r.Stage, Debugf: r.Debugf}
		t := crawler.Crawl(ctx, mode, addrs)
		t.Role = role
		r.Stage("judging %d servers", len(t.Nodes))
		Render(r, t, Evaluate(t, opts))
		return nil
	}
}

// dialer connects with cfg's credentials to any address, cfg's own
// address (perhaps a socket) included; one connection per server.
func dialer(cfg mysqlconn.Config) Dialer {
	return func(ctx context.Context, addr string) (server.Querier, func(), error) {
		c := cfg
		if addr != cfg.Addr() {
			var err error
			if c, err = cfg.WithAddr(addr); err != nil {
				return nil, nil, err
			}
		}
		db, err := c.Open(ctx, 1)
		if err != nil {
			return nil, nil, err
		}
		return db, func() { _ = db.Close() }, nil
	}
}
