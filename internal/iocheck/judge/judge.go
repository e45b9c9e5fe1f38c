// Package judge is check_repl_io's verdict on every replication channel of
// a replica: threads, IO thread state, errors, lag, source and SSL. It is
// pure: channels and options in, verdicts out, no connection.
package judge

import (
	"fmt"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/heartbeat"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
)

// Options are the judgement settings taken from the command line.
type Options struct {
	Warn, Crit    *plugin.Threshold // lag ranges in seconds
	Channels      []string          // only these channels (all when empty)
	NotReplica    plugin.Status     // state when the server has no channel at all
	ExpectSource  address.Addr      // the source every judged channel must replicate from (zero: any)
	RequireSSL    bool              // the replication link must use SSL
	SubtractDelay bool              // judge lag minus the configured SQL_Delay
	// Heartbeat, when set, is the pt-heartbeat table whose lag -w/-c judge
	// instead of Seconds_Behind_Master; HeartbeatOrigins are the server_ids
	// judged (empty: every origin with a row but this server's own),
	// HeartbeatUTC says pt-heartbeat writes UTC, and HeartbeatMaxAge is the
	// age beyond which an origin not asked for is taken as gone.
	Heartbeat        *heartbeat.Table
	HeartbeatOrigins []int64
	HeartbeatUTC     bool
	HeartbeatMaxAge  time.Duration
	// DuringBackup is the state of a channel whose SQL thread a running
	// backup stopped on purpose (--during-backup; CRITICAL keeps the state
	// of any stopped thread), and BackupUsers the accounts whose sessions
	// are backups (--backup-user).
	DuringBackup plugin.Status
	BackupUsers  []string
}

// Facts are what was read from the checked server.
type Facts struct {
	Server    string            // the checked server, as findings name it ("db1:3306")
	Channels  []replica.Channel // every replication channel, in the server's order
	Workers   Workers           // the applier workers' errors, where they were read
	Heartbeat Heartbeat         // the heartbeat table, with Options.Heartbeat
	Backup    Backup            // backup sessions, when a SQL thread is stopped without error
}

// Result is the judgement of everything read from the server.
type Result struct {
	Server    string
	Channels  []Verdict         // one per judged channel (see Evaluate)
	Heartbeat *HeartbeatVerdict // with Options.Heartbeat on a replica
}

// Verdict is the judgement of one channel.
type Verdict struct {
	Channel  replica.Channel
	Status   plugin.Status
	Problems []string // why the state is not OK, most important first
	Lag      replica.Lag
	// JudgedLag is the lag compared with the thresholds (lag minus delay with
	// SubtractDelay); Known is false when there is no lag to judge.
	JudgedLag replica.Lag
	Missing   bool // a channel asked for with --channel that the server does not have
	// Workers are the errors of the channel's applier workers when its SQL
	// thread stopped with the multi-threaded coordinator's message, and
	// WorkerNote says why they are missing when they could not be read.
	Workers    []replica.WorkerError
	WorkerNote string
	// BackupNote names the backup that stopped the SQL thread, or says
	// why none could be looked for, when the thread stopped without error.
	BackupNote string
}

// Judge judges every fact read from the server.
func Judge(f Facts, opts Options) Result {
	res := Result{Server: f.Server, Channels: evaluate(f, opts)}
	if opts.Heartbeat != nil && len(f.Channels) > 0 {
		res.Heartbeat = judgeHeartbeat(f, opts)
	}
	return res
}

// Evaluate judges the channels. It returns one verdict per judged channel,
// plus one per requested channel that does not exist; a server with no
// channel at all yields a single verdict with an empty Channel and
// opts.NotReplica as its state.
func Evaluate(channels []replica.Channel, opts Options) []Verdict {
	return evaluate(Facts{Channels: channels}, opts)
}

// Judged returns the channels Evaluate judges: every channel, or those
// named with --channel.
func Judged(channels []replica.Channel, opts Options) []replica.Channel {
	if len(opts.Channels) == 0 {
		return channels
	}
	var out []replica.Channel
	for _, want := range opts.Channels {
		for _, c := range channels {
			if strings.EqualFold(c.Name, want) {
				out = append(out, c)
			}
		}
	}
	return out
}

func evaluate(f Facts, opts Options) []Verdict {
	channels := f.Channels
	if len(channels) == 0 {
		return []Verdict{{Status: opts.NotReplica, Problems: []string{"not a replica (no replication channel configured)"}, Missing: true}}
	}
	var out []Verdict
	if len(opts.Channels) == 0 {
		for _, c := range channels {
			out = append(out, judge(c, f, opts))
		}
		return out
	}
	for _, want := range opts.Channels {
		found := false
		for _, c := range channels {
			if strings.EqualFold(c.Name, want) {
				out = append(out, judge(c, f, opts))
				found = true
			}
		}
		if !found {
			out = append(out, Verdict{
				Channel:  replica.Channel{Name: want},
				Status:   plugin.CRITICAL,
				Problems: []string{"channel is not configured on this server"},
				Missing:  true,
			})
		}
	}
	return out
}

func judge(c replica.Channel, f Facts, opts Options) Verdict {
	v := Verdict{Channel: c, Status: plugin.OK, Lag: c.Lag}
	add := func(s plugin.Status, format string, args ...any) {
		v.Problems = append(v.Problems, fmt.Sprintf(format, args...))
		v.Status = plugin.Worst(v.Status, s)
	}

	switch c.IO {
	case replica.Stopped:
		add(plugin.CRITICAL, "IO thread stopped%s", errorSuffix(c.LastIOErrno, c.LastIOError))
	case replica.Connecting:
		add(plugin.CRITICAL, "IO thread connecting%s", errorSuffix(c.LastIOErrno, c.LastIOError))
	case replica.Absent:
		add(plugin.UNKNOWN, "IO thread state not reported")
	case replica.Running:
		if s, why := ioStateVerdict(c); s != plugin.OK {
			add(s, "%s", why)
		}
	}
	switch c.SQL {
	case replica.Stopped:
		if worker, ok := c.CoordinatorStopped(); ok && f.Workers.Statement != "" {
			v.Workers, v.WorkerNote = workerErrors(c, f.Workers)
			if w, ok := failingWorker(v.Workers, worker); ok {
				add(plugin.CRITICAL, "SQL thread stopped (worker %d, %s", w.WorkerID, strings.TrimPrefix(errorSuffix(w.Errno, w.Cause()), " ("))
				break
			}
		}
		if c.LastSQLErrno != 0 || c.LastSQLError != "" {
			add(plugin.CRITICAL, "SQL thread stopped%s", errorSuffix(c.LastSQLErrno, c.LastSQLError))
		} else if c.LastErrno != 0 {
			add(plugin.CRITICAL, "SQL thread stopped%s", errorSuffix(c.LastErrno, c.LastError))
		} else {
			st, problem, note := stoppedWithoutError(f.Backup, opts)
			v.BackupNote = note
			if st != plugin.OK {
				add(st, "%s", problem)
			}
		}
	case replica.Absent:
		add(plugin.UNKNOWN, "SQL thread state not reported")
	}

	if !opts.ExpectSource.IsZero() && !opts.ExpectSource.WithDefaultPort(3306).Same(SourceAddr(c)) {
		add(plugin.CRITICAL, "replicates from %s, expected %s", SourceAddr(c), opts.ExpectSource)
	}
	if opts.RequireSSL && !strings.EqualFold(c.SSLAllowed, "Yes") {
		how := "without SSL"
		if c.SSLAllowed == "" {
			how = "with unknown SSL use"
		} else if strings.EqualFold(c.SSLAllowed, "Ignored") {
			how = "without SSL (SSL requested but not supported)"
		}
		add(plugin.CRITICAL, "replication link %s", how)
	}

	if c.IO == replica.Running && c.SQL == replica.Running && opts.Heartbeat == nil {
		v.JudgedLag = c.Lag
		if c.Lag.Known && opts.SubtractDelay && c.SQLDelay > 0 {
			v.JudgedLag.Seconds = max(0, c.Lag.Seconds-c.SQLDelay)
		}
		switch {
		case !c.Lag.Known:
			add(plugin.UNKNOWN, "lag unknown (Seconds_Behind_Master is NULL)")
		case opts.Crit.Alert(float64(v.JudgedLag.Seconds)):
			add(plugin.CRITICAL, "%s (critical %s)", lagText(v), opts.Crit)
		case opts.Warn.Alert(float64(v.JudgedLag.Seconds)):
			add(plugin.WARNING, "%s (warning %s)", lagText(v), opts.Warn)
		}
	}
	return v
}

// ioStateVerdict judges the IO thread's own words while the thread runs.
// Only states that mean trouble change the verdict: the connection to the
// source failed ("Connecting to ...", "Reconnecting after a failed ...",
// "Waiting to reconnect after a failed ..."), or relay_log_space_limit is
// reached ("Waiting for the slave SQL thread to free enough relay log
// space", MySQL 8.0.26+ "... replica SQL thread to free relay log space").
// Every other state (waiting for events, the short steps after a connect,
// queueing an event, a lock or table state while writing the relay log or
// its repository) is a healthy thread caught at work: OK, and shown in the
// long output.
func ioStateVerdict(c replica.Channel) (plugin.Status, string) {
	low := strings.ToLower(strings.TrimSpace(c.IOState))
	switch {
	case strings.Contains(low, "reconnect"):
		return plugin.CRITICAL, fmt.Sprintf("IO thread is %q", c.IOState)
	case strings.HasPrefix(low, "connecting to "):
		return plugin.CRITICAL, fmt.Sprintf("IO thread is %q%s", c.IOState, errorSuffix(c.LastIOErrno, c.LastIOError))
	case strings.Contains(low, "relay log space"):
		return plugin.WARNING, "IO thread waits for relay log space (relay_log_space_limit reached)"
	}
	return plugin.OK, ""
}

// summaryErrorLen bounds a server error message in the summary line; the
// long output carries it whole.
const summaryErrorLen = 160

// errorSuffix formats " (error N: message)" for the summary, shortening long messages.
func errorSuffix(errno int, msg string) string {
	msg = strings.TrimSpace(msg)
	if r := []rune(msg); len(r) > summaryErrorLen {
		msg = string(r[:summaryErrorLen]) + "…"
	}
	switch {
	case errno != 0 && msg != "":
		return fmt.Sprintf(" (error %d: %s)", errno, msg)
	case errno != 0:
		return fmt.Sprintf(" (error %d)", errno)
	case msg != "":
		return fmt.Sprintf(" (%s)", msg)
	}
	return ""
}

func lagText(v Verdict) string {
	if v.JudgedLag.Seconds != v.Lag.Seconds {
		return fmt.Sprintf("lag %ds beyond the configured delay of %ds", v.JudgedLag.Seconds, v.Channel.SQLDelay)
	}
	return fmt.Sprintf("lag %ds", v.Lag.Seconds)
}

// SourceAddr is a channel's source address as the replica reports it.
func SourceAddr(c replica.Channel) address.Addr {
	return address.TCP(c.SourceHost, c.SourcePort)
}
