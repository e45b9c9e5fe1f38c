package iocheck

import (
	"context"

	"github.com/alecthomas/kingpin/v2"

	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
)

// Plugin is check_repl_io: the health of every replication channel of one replica.
func Plugin() plugin.Plugin {
	return plugin.Plugin{
		Name:  "check_repl_io",
		Label: "REPL_IO",
		Help: "Checks that a MySQL/MariaDB replica replicates: IO and SQL threads running, " +
			"IO thread waiting for events from its source, no replication error, lag within " +
			"the thresholds — for every replication channel (MariaDB connection) of the server.",
		Setup: setup,
	}
}

func setup(app *kingpin.Application) plugin.Runner {
	var conn mysqlconn.Flags
	conn.Register(app)
	opts := Options{Warn: &plugin.Threshold{}, Crit: &plugin.Threshold{}}
	notReplica := &plugin.StatusValue{Status: plugin.CRITICAL}
	app.Flag("warning", "Lag warning range in seconds (Nagios range syntax).").Short('w').Default("60").SetValue(opts.Warn)
	app.Flag("critical", "Lag critical range in seconds (Nagios range syntax).").Short('c').Default("300").SetValue(opts.Crit)
	app.Flag("channel", "Judge only this channel (MariaDB connection name); repeatable. Default: every channel.").
		PlaceHolder("NAME").StringsVar(&opts.Channels)
	app.Flag("not-replica", "State when the server is not a replica at all: ok, warning, critical or unknown.").
		Default("critical").SetValue(notReplica)
	app.Flag("expect-source", "CRITICAL when a channel replicates from any other source than HOST[:PORT] (compared with Master_Host as the replica reports it; port 3306 when omitted).").
		PlaceHolder("HOST:PORT").StringVar(&opts.ExpectSource)
	app.Flag("require-ssl", "CRITICAL when a replication link does not use SSL.").BoolVar(&opts.RequireSSL)
	app.Flag("subtract-delay", "Judge lag minus the channel's configured delay (MASTER_DELAY / SQL_Delay).").BoolVar(&opts.SubtractDelay)

	return func(ctx context.Context, r *plugin.Report) error {
		opts.NotReplica = notReplica.Status
		if opts.ExpectSource != "" {
			if _, _, err := mysqlconn.ParseHostPort(opts.ExpectSource, 3306); err != nil {
				r.Add(plugin.UNKNOWN, "invalid command line: --expect-source: %s", err)
				return nil
			}
		}
		cfg, err := conn.ResolveFor(r)
		if err != nil {
			return err
		}
		r.Stage("connecting to %s", cfg.Addr())
		// One connection, statements in sequence: the driver's connection
		// is used directly, without database/sql's pool.
		dc, err := cfg.Connect(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			r.Add(plugin.CRITICAL, "%s", err)
			return nil
		}
		defer dc.Close()
		return Check(ctx, r, dc, cfg.Addr(), opts)
	}
}

// Check identifies the server behind q, reads every replication channel
// and records the verdicts in r. addr names the server in stage messages.
// q is a *mysqlconn.Conn in the plugin, or server.SQLText of a *sql.DB.
func Check(ctx context.Context, r *plugin.Report, q server.TextQuerier, addr string, opts Options) error {
	r.Stage("reading the server version of %s", addr)
	id, err := server.DetectText(ctx, q)
	if err != nil {
		return err
	}
	r.Debugf(1, "%s is %s", addr, id)
	r.Stage("running %s on %s", id.ReplicaStatusQuery(), addr)
	chans, stmt, err := replica.ReadText(ctx, q, id)
	if err != nil {
		return err
	}
	r.Debugf(1, "%s returned %d channel(s)", stmt, len(chans))
	Render(r, Evaluate(chans, opts), opts)
	return nil
}
