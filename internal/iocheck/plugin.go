// Package iocheck is check_repl_io: the health of every replication channel
// of one replica. It wires the flags, reads the server (its identity and
// replica status, through internal/server and internal/replica), has the
// channels judged (judge) and writes the verdict (render).
package iocheck

import (
	"context"
	"errors"
	"fmt"

	"github.com/alecthomas/kingpin/v2"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/backup"
	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/heartbeat"
	"github.com/replmon/replmon/internal/iocheck/judge"
	"github.com/replmon/replmon/internal/iocheck/render"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
)

// Plugin is check_repl_io: the health of every replication channel of one replica.
func Plugin() cli.Plugin {
	return cli.Plugin{
		Name:  "check_repl_io",
		Label: "REPL_IO",
		Help: "Checks that a MySQL/MariaDB replica replicates: IO and SQL threads running, " +
			"IO thread connected to its source, no replication error, lag within " +
			"the thresholds — for every replication channel (MariaDB connection) of the server; " +
			"optionally the true lag from each master through every hop, read from a pt-heartbeat table.",
		Setup: setup,
	}
}

func setup(app *kingpin.Application) cli.Check {
	var conn mysqlconn.Flags
	conn.Register(app)
	opts := judge.Options{Warn: &plugin.Threshold{}, Crit: &plugin.Threshold{}}
	notReplica := &plugin.StatusValue{Status: plugin.CRITICAL}
	expect := &address.Value{Flag: "--expect-source"}
	app.Flag("warning", "Lag warning range in seconds (Nagios range syntax).").Short('w').Default("60").SetValue(opts.Warn)
	app.Flag("critical", "Lag critical range in seconds (Nagios range syntax).").Short('c').Default("300").SetValue(opts.Crit)
	app.Flag("channel", "Judge only this channel (MariaDB connection name); repeatable. Default: every channel.").
		PlaceHolder("NAME").StringsVar(&opts.Channels)
	app.Flag("not-replica", "State when the server is not a replica at all: ok, warning, critical or unknown.").
		Default("critical").SetValue(notReplica)
	app.Flag("expect-source", "CRITICAL when a channel replicates from any other source than HOST[:PORT] (compared with Master_Host as the replica reports it; port 3306 when omitted).").
		PlaceHolder("HOST:PORT").SetValue(expect)
	app.Flag("require-ssl", "CRITICAL when a replication link does not use SSL.").BoolVar(&opts.RequireSSL)
	app.Flag("subtract-delay", "Judge lag minus the channel's configured delay (MASTER_DELAY / SQL_Delay).").BoolVar(&opts.SubtractDelay)
	duringBackup := &plugin.StatusValue{Status: plugin.CRITICAL}
	app.Flag("during-backup", "State of a channel whose SQL thread a running backup stopped on purpose (mysqldump --dump-slave, "+
		"mariabackup or xtrabackup --safe-slave-backup, seen in the processlist): ok, warning, critical or unknown. "+
		"The backup session is named in the long output whatever the state; seeing other sessions needs the PROCESS privilege.").
		Default("critical").SetValue(duringBackup)
	app.Flag("backup-user", "Sessions of this account are backups (mariabackup names itself in no statement while it copies files); repeatable.").
		PlaceHolder("USER").StringsVar(&opts.BackupUsers)
	var originSet, utcSet, ageSet bool
	app.Flag("heartbeat", "Judge lag from this pt-heartbeat table, read on the server: the age of each originating master's row, "+
		"through every hop in between. -w/-c then judge that heartbeat lag (perfdata heartbeat_lag_<server_id>); Seconds_Behind_Master is only shown.").
		PlaceHolder("DB.TABLE").SetValue(tableValue{&opts.Heartbeat})
	app.Flag("heartbeat-origin", "With --heartbeat, judge the heartbeat of the master with this server_id; repeatable. "+
		"Default: every master with a row, except this server and rows older than --heartbeat-max-age.").
		PlaceHolder("SERVER_ID").IsSetByUser(&originSet).Int64ListVar(&opts.HeartbeatOrigins)
	app.Flag("heartbeat-utc", "With --heartbeat, the table's timestamps are UTC (pt-heartbeat --utc).").IsSetByUser(&utcSet).BoolVar(&opts.HeartbeatUTC)
	app.Flag("heartbeat-max-age", "With --heartbeat and no --heartbeat-origin, rows older than this (seconds, or a duration such as 36h) "+
		"are masters that are gone: ignored and listed.").Default("24h").IsSetByUser(&ageSet).SetValue(ageValue{&opts.HeartbeatMaxAge})

	validate := func() error {
		if !plugin.CanWarn(opts.Warn, opts.Crit, 0) {
			return fmt.Errorf("-w %s can never fire: every lag it alerts on is already critical by -c %s "+
				"(give a warning range that alerts before the critical one, e.g. -w 60 -c 300)", opts.Warn, opts.Crit)
		}
		if opts.Heartbeat == nil {
			for _, f := range []struct {
				name string
				set  bool
			}{{"--heartbeat-origin", originSet}, {"--heartbeat-utc", utcSet}, {"--heartbeat-max-age", ageSet}} {
				if f.set {
					return fmt.Errorf("%s needs --heartbeat DB.TABLE", f.name)
				}
			}
		}
		for _, id := range opts.HeartbeatOrigins {
			if id < 1 || id > 1<<32-1 {
				return fmt.Errorf("--heartbeat-origin %d: a server_id is 1 to 4294967295", id)
			}
		}
		return nil
	}

	run := func(ctx context.Context, r *plugin.Report) error {
		opts.NotReplica = notReplica.Status
		opts.DuringBackup = duringBackup.Status
		opts.ExpectSource = expect.Addr
		cfg, err := conn.ResolveFor(r)
		if err != nil {
			return err
		}
		r.Stage("connecting to %s", cfg.Addr())
		db, err := cfg.Open(ctx, 1)
		var down *mysqlconn.UnreachableError
		if errors.As(err, &down) {
			r.Add(r.Unreachable(), "%s", err)
			return nil
		}
		if err != nil {
			return err
		}
		defer db.Close()
		return Check(ctx, r, mysqlconn.SQL(db), cfg.Addr(), opts)
	}
	return cli.Check{Validate: validate, Run: run}
}

// Check identifies the server behind q, reads every replication channel
// and records the verdicts in r. addr names the server in stage messages.
func Check(ctx context.Context, r *plugin.Report, q query.Runner, addr string, opts judge.Options) error {
	r.Stage("reading the server version of %s", addr)
	id, err := server.Detect(ctx, q)
	if err != nil {
		return err
	}
	r.Debugf(1, "%s is %s", addr, id)
	r.Stage("running %s on %s", id.ReplicaStatusQuery(), addr)
	chans, stmt, err := replica.Read(ctx, q, id)
	if err != nil {
		return err
	}
	r.Debugf(1, "%s returned %d channel(s)", stmt, len(chans))
	facts := judge.Facts{Server: addr, Channels: chans}
	if needWorkers(judge.Judged(chans, opts)) {
		if facts.Workers, err = readWorkers(ctx, r, q, id, addr); err != nil {
			return err
		}
	}
	if needBackup(judge.Judged(chans, opts)) {
		r.Stage("looking for a backup session in the processlist of %s", addr)
		s, err := backup.Read(ctx, q, id, opts.BackupUsers)
		if err != nil && ctx.Err() != nil {
			return err
		}
		// Other sessions' statements may hold anything: only what identifies a backup is shown.
		r.Debugf(1, "%d backup session(s), other accounts' sessions visible: %v, program names read: %v, %v", len(s.Backups), s.SeesOthers, s.Programs, err)
		facts.Backup = judge.Backup{Read: true, Sessions: s, Err: err}
	}
	if opts.Heartbeat != nil && len(chans) > 0 {
		r.Stage("reading the heartbeat table %s on %s", opts.Heartbeat, addr)
		rows, stmt, err := heartbeat.Read(ctx, q, id, *opts.Heartbeat, opts.HeartbeatUTC)
		if err != nil && ctx.Err() != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
		r.Debugf(1, "%s: %d row(s), %v", stmt, len(rows.Beats), err)
		facts.Heartbeat = judge.Heartbeat{Rows: rows, Err: err}
	}
	render.Render(r, judge.Judge(facts, opts), opts)
	return nil
}

// needWorkers reports whether a channel's SQL thread stopped with the
// multi-threaded applier's coordinator message, which hides the failing
// worker's own error.
func needWorkers(chans []replica.Channel) bool {
	for _, c := range chans {
		if _, ok := c.CoordinatorStopped(); ok && c.SQL == replica.Stopped {
			return true
		}
	}
	return false
}

// needBackup reports whether a channel's SQL thread is stopped the way a
// backup stops it (judge.StoppedLikeByBackup).
func needBackup(chans []replica.Channel) bool {
	for _, c := range chans {
		if judge.StoppedLikeByBackup(c) {
			return true
		}
	}
	return false
}

// readWorkers reads the applier workers' errors where the server keeps
// them. Only the deadline is an error: any other failure is a fact the
// verdict reports.
func readWorkers(ctx context.Context, r *plugin.Report, q query.Runner, id server.Identity, addr string) (judge.Workers, error) {
	if stmt := id.ApplierWorkerErrorsQuery(); stmt != "" {
		r.Stage("reading the applier workers' errors on %s", addr)
	}
	ws, stmt, err := replica.ReadWorkerErrors(ctx, q, id)
	if err != nil && ctx.Err() != nil {
		return judge.Workers{}, fmt.Errorf("%s: %w", stmt, err)
	}
	r.Debugf(1, "%s: %d worker error(s), %v", stmt, len(ws), err)
	return judge.Workers{Statement: stmt, Errors: ws, Err: err}, nil
}
