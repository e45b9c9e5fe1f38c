package checksum

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/state"
	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/plugin"
)

// Plugin is check_repl_checksum: are a source, its replicas and the other
// master of a ring really in sync?
func Plugin() cli.Plugin {
	return cli.Plugin{
		Name:  "check_repl_checksum",
		Label: "REPL_CHECKSUM",
		Help: "Compares table contents between a MySQL/MariaDB source (-H) and its replicas (--replica): " +
			"direct replicas, replicas of replicas, or the other master of a ring. Correct while writes flow: " +
			"a difference is reported as drift (CRITICAL) only once the replica has reached the source's " +
			"coordinates and the source held still; tables that keep changing are \"unsettled\" (--retries, " +
			"--unsettled). Read-only: nothing is created or written on any server (the account needs SELECT, " +
			"SLAVE MONITOR / REPLICATION CLIENT to read replication channels, and BINLOG MONITOR on MariaDB 10.5 and later " +
			"to read binary log positions; --lock also needs LOCK TABLES).",
		Setup: setup,
	}
}

func setup(app *kingpin.Application) cli.Check {
	var conn mysqlconn.Flags
	conn.Register(app)
	var o Options
	method := string(judge.Auto)
	unsettled := &plugin.StatusValue{Status: plugin.WARNING}
	lagging := &plugin.StatusValue{Status: plugin.WARNING}
	var lockWait float64
	replicas := &address.List{Flag: "--replica"}
	app.Flag("replica", "A replica to compare with the source, HOST[:PORT] (default port: the source's); repeatable.").
		PlaceHolder("HOST[:PORT]").SetValue(replicas)
	app.Flag("database", "Compare the tables of the databases matching this glob; repeatable. "+
		"Default: every user database (mysql only when named; never information_schema, performance_schema, sys).").
		Short('d').PlaceHolder("GLOB").StringsVar(&o.Selection.Databases)
	app.Flag("table", "Compare the tables matching DATABASE.TABLE (globs allowed); repeatable.").
		PlaceHolder("DB.TABLE").StringsVar(&o.Selection.Tables)
	app.Flag("exclude", "Skip the tables matching DATABASE.TABLE, or the databases matching DATABASE (globs allowed); repeatable.").
		PlaceHolder("GLOB").StringsVar(&o.Selection.Exclude)
	app.Flag("method", "checksum-table (CHECKSUM TABLE, QUICK where the table keeps a live checksum; only between the same "+
		"flavour, major.minor version and row format), rows (a version-independent hash of the rows, chunked along "+
		"the primary key), or auto: checksum-table where comparable, rows otherwise.").
		Default(string(judge.Auto)).EnumVar(&method, judge.Methods...)
	app.Flag("retries", "Times a table is compared again while writes change it on the source.").
		Default("3").IntVar(&o.Retries)
	app.Flag("unsettled", "State of a table still changing after the retries: ok, warning, critical or unknown.").
		Default("warning").SetValue(unsettled)
	app.Flag("lagging", "State of a table that differs on a replica that did not reach the source's coordinates "+
		"in time (stopped or lagging): ok, warning, critical or unknown.").
		Default("warning").SetValue(lagging)
	app.Flag("lock", "Hold LOCK TABLES ... READ on the source while each table is compared: writes to that table "+
		"stall meanwhile, and the verdict is definitive even under writes. Needs the LOCK TABLES privilege.").
		BoolVar(&o.Lock)
	app.Flag("lock-wait-timeout", "Seconds to wait for a table lock (lock_wait_timeout of every session).").
		Default("2").Float64Var(&lockWait)
	app.Flag("show-rows", "List up to N differing primary keys per table and replica (0: none).").
		Default("10").IntVar(&o.ShowRows)
	app.Flag("parallel", "Sessions per server, and tables compared at once.").
		Default("2").IntVar(&o.Parallel)
	app.Flag("chunk-size", "Rows of a table's first chunk (tables are compared in chunks along their primary key, or a unique key "+
		"of NOT NULL columns); with --chunk-time 0, of every chunk.").
		Default("1000").IntVar(&o.ChunkSize)
	var chunkTime, maxLag float64
	app.Flag("chunk-time", "Seconds one chunk's checksum should take: chunk sizes adapt to it, from --chunk-size, "+
		"between 100 and 2000000 rows (0: every chunk is --chunk-size rows).").
		Default("0.5").Float64Var(&chunkTime)
	var stateFile, maxCycleAge string
	app.Flag("state-file", "Keep the progress between runs in this file, so that each run continues where the last one stopped and a "+
		"cycle of runs covers every row; a drift stays CRITICAL until its key range is compared again in sync. A name without a slash "+
		"is a file of "+state.DefaultDir+". Without it every run starts from the beginning, and what -t leaves no time for is a WARNING.").
		PlaceHolder("PATH").StringVar(&stateFile)
	app.Flag("max-cycle-age", "WARNING, CRITICAL when the oldest comparison the verdict rests on (a cycle of --state-file runs) is older: "+
		"durations such as 12h or 2d, WARN[,CRIT].").
		PlaceHolder("WARN[,CRIT]").StringVar(&maxCycleAge)
	app.Flag("max-lag", "Pause before the next chunk while a replica is more than this many seconds behind (0: never).").
		Default("10").Float64Var(&maxLag)
	app.Flag("max-load", "Pause before the next chunk while the source runs more than this many threads (Threads_running; 0: never).").
		Default("25").IntVar(&o.MaxLoad)
	app.Flag("lock-chunk", "Compare a chunk that still changes after the retries once more under a locking read of that chunk on the "+
		"source (SELECT ... LOCK IN SHARE MODE), which holds its rows for the moment of the comparison. Needs SELECT "+
		"(MySQL before 8.0.22: LOCK TABLES too).").
		BoolVar(&o.LockChunk)
	var floatPrecision string
	app.Flag("float-precision", "Round FLOAT and DOUBLE values to this many decimals before the rows method hashes them, "+
		"for servers that print them differently (versions differ). Without it they are hashed as each server prints them.").
		PlaceHolder("DIGITS").StringVar(&floatPrecision)

	validate := func() error {
		o.Replicas = replicas.Addrs
		o.Method = judge.Method(method)
		o.Unsettled, o.Lagging = unsettled.Status, lagging.Status
		o.LockWait = time.Duration(lockWait * float64(time.Second))
		o.ChunkTime = time.Duration(chunkTime * float64(time.Second))
		o.MaxLag = time.Duration(maxLag * float64(time.Second))
		if stateFile != "" {
			o.StateFile = state.Resolve(stateFile)
		}
		if maxCycleAge != "" {
			parts := strings.Split(maxCycleAge, ",")
			if len(parts) > 2 {
				return fmt.Errorf("--max-cycle-age must be WARN[,CRIT], not %q", maxCycleAge)
			}
			for i, p := range parts {
				d, err := plugin.ParseDuration(p)
				if err != nil || d <= 0 {
					return fmt.Errorf("--max-cycle-age: %q is not a duration (such as 90m, 36h or 2d)", p)
				}
				o.MaxCycleAge[i] = d
			}
		}
		o.FloatPrecision = -1
		if floatPrecision != "" {
			n, err := strconv.Atoi(floatPrecision)
			if err != nil || n < 0 || n > maxFloatPrecision {
				return fmt.Errorf("--float-precision must be a number of digits from 0 to %d, not %q", maxFloatPrecision, floatPrecision)
			}
			o.FloatPrecision = n
		}
		return o.Validate()
	}
	run := func(ctx context.Context, r *plugin.Report) error {
		cfg, err := conn.ResolveFor(r)
		if err != nil {
			return err
		}
		return Run(ctx, r, cfg, o)
	}
	return cli.Check{Validate: validate, Run: run}
}
