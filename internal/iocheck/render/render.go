// Package render writes check_repl_io's verdicts as plugin output: the
// summary line, one long-output line per channel and perfdata under labels
// that do not depend on the server's dialect.
package render

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/iocheck/judge"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
)

// Render turns verdicts into the plugin's summary, long output and perfdata.
func Render(r *plugin.Report, res judge.Result, opts judge.Options) {
	vs := res.Channels
	if len(vs) == 1 && vs[0].Missing && vs[0].Channel.Name == "" {
		r.Add(vs[0].Status, "%s", vs[0].Problems[0])
		return
	}
	for _, v := range vs {
		if v.Status != plugin.OK {
			r.Add(v.Status, "%s: %s", channelName(v), strings.Join(v.Problems, ", "))
		}
		r.Long("%s", longLine(v))
		if !v.Missing {
			r.Perf(perfdata(v, opts)...)
		}
	}
	if res.Heartbeat != nil {
		renderHeartbeat(r, res, opts)
	}
	r.Add(plugin.OK, "%s", okSummary(vs, res.Heartbeat))
}

// channelLabel names a channel: "default channel" or "channel 'x'".
func channelLabel(v judge.Verdict) string {
	if v.Channel.Name == "" {
		return "default channel"
	}
	return fmt.Sprintf("channel '%s'", v.Channel.Name)
}

// channelName names a channel and its source for people.
func channelName(v judge.Verdict) string {
	name := channelLabel(v)
	if v.Missing || v.Channel.SourceHost == "" {
		return name
	}
	return fmt.Sprintf("%s (from %s)", name, judge.SourceAddr(v.Channel))
}

func okSummary(vs []judge.Verdict, hb *judge.HeartbeatVerdict) string {
	if words := heartbeatWords(hb); words != "" {
		if len(vs) == 1 {
			return fmt.Sprintf("%s: replicating, %s (Seconds_Behind_Master %s)", channelName(vs[0]), words, strings.TrimPrefix(lagWords(vs[0]), "lag "))
		}
		return fmt.Sprintf("%d channels replicating, %s", len(vs), words)
	}
	if len(vs) == 1 && vs[0].Channel.SQL == replica.Stopped {
		return fmt.Sprintf("%s: SQL thread %s", channelName(vs[0]), vs[0].BackupNote) // --during-backup=ok
	}
	if len(vs) == 1 {
		return fmt.Sprintf("%s: replicating, %s", channelName(vs[0]), lagWords(vs[0]))
	}
	sorted := append([]judge.Verdict(nil), vs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Lag.Seconds > sorted[j].Lag.Seconds })
	return fmt.Sprintf("%d channels replicating, highest lag %ds on %s", len(vs), sorted[0].Lag.Seconds, channelLabel(sorted[0]))
}

func lagWords(v judge.Verdict) string {
	if !v.Lag.Known {
		return "lag unknown"
	}
	s := fmt.Sprintf("lag %ds", v.Lag.Seconds)
	switch {
	case v.Channel.SQLDelay > 0 && v.JudgedLag.Known && v.JudgedLag.Seconds != v.Lag.Seconds:
		s += fmt.Sprintf(" (configured delay %ds, %ds beyond it)", v.Channel.SQLDelay, v.JudgedLag.Seconds)
	case v.Channel.SQLDelay > 0:
		s += fmt.Sprintf(" (configured delay %ds)", v.Channel.SQLDelay)
	}
	return s
}

// longLine is the one-line account of a channel in the long output.
func longLine(v judge.Verdict) string {
	if v.Missing {
		return fmt.Sprintf("%s %s: %s", v.Status, channelName(v), strings.Join(v.Problems, ", "))
	}
	c := v.Channel
	parts := []string{
		"IO " + threadWords(c.IO, c.IOState),
		"SQL " + threadWords(c.SQL, c.SQLState),
		lagWords(v),
	}
	if c.LastIOErrno != 0 || c.LastIOError != "" {
		parts = append(parts, fullError("last IO error", c.LastIOErrno, c.LastIOError))
	}
	if c.LastSQLErrno != 0 || c.LastSQLError != "" {
		parts = append(parts, fullError("last SQL error", c.LastSQLErrno, c.LastSQLError))
	} else if c.LastErrno != 0 {
		parts = append(parts, fullError("last error", c.LastErrno, c.LastError))
	}
	for _, w := range v.Workers {
		parts = append(parts, workerError(w))
	}
	if v.WorkerNote != "" {
		parts = append(parts, v.WorkerNote)
	}
	if v.BackupNote != "" {
		parts = append(parts, v.BackupNote)
	}
	if c.SSLAllowed != "" {
		parts = append(parts, "SSL "+strings.ToLower(c.SSLAllowed))
	}
	return fmt.Sprintf("%s %s: %s", v.Status, channelName(v), strings.Join(parts, ", "))
}

// workerError is the whole error of one applier worker, for the long output.
func workerError(w replica.WorkerError) string {
	s := fmt.Sprintf("worker %d error %d", w.WorkerID, w.Errno)
	if w.Time != "" {
		s += " at " + w.Time
	}
	if w.Transaction != "" && !strings.Contains(w.Message, w.Transaction) {
		s += fmt.Sprintf(" in transaction '%s'", w.Transaction)
	}
	return s + ": " + w.Message
}

// fullError formats "what N: message" with the whole message, for the long output.
func fullError(what string, errno int, msg string) string {
	return strings.TrimSpace(fmt.Sprintf("%s %d: %s", what, errno, strings.TrimSpace(msg)))
}

func threadWords(s replica.ThreadState, state string) string {
	if state == "" {
		return s.String()
	}
	return fmt.Sprintf("%s (%s)", s, state)
}

func running(s replica.ThreadState) float64 {
	if s == replica.Running {
		return 1
	}
	return 0
}

// perfdata gives a channel's metrics under labels that do not depend on
// the server's version: lag, io_running, sql_running, read_exec_distance
// and relay_log_space, suffixed with "_<channel>" for named channels. The
// thresholds go with the value -w/-c judge: lag (Seconds_Behind_Master),
// or with --subtract-delay lag_beyond_delay (lag minus SQL_Delay), which
// then comes with sql_delay, the configured delay; with --heartbeat they
// go with the heartbeat lags instead (heartbeat.go).
func perfdata(v judge.Verdict, opts judge.Options) []plugin.Perf {
	c := v.Channel
	suffix := ""
	if c.Name != "" {
		suffix = "_" + c.Name
	}
	lag, beyond := math.NaN(), math.NaN()
	if v.Lag.Known {
		lag = float64(v.Lag.Seconds)
		beyond = float64(max(0, v.Lag.Seconds-c.SQLDelay))
	}
	dist := math.NaN()
	if d, ok := c.PositionDistance(); ok {
		dist = float64(d)
	}
	lagPerf := plugin.Perf{Label: "lag" + suffix, Value: lag, Unit: "s", Min: plugin.Float(0)}
	beyondPerf := plugin.Perf{Label: "lag_beyond_delay" + suffix, Value: beyond, Unit: "s", Min: plugin.Float(0)}
	switch {
	case opts.Heartbeat != nil: // -w/-c judge the heartbeat lag
	case opts.SubtractDelay:
		beyondPerf.Warn, beyondPerf.Crit = opts.Warn, opts.Crit
	default:
		lagPerf.Warn, lagPerf.Crit = opts.Warn, opts.Crit
	}
	out := []plugin.Perf{
		lagPerf,
		{Label: "io_running" + suffix, Value: running(c.IO), Min: plugin.Float(0), Max: plugin.Float(1)},
		{Label: "sql_running" + suffix, Value: running(c.SQL), Min: plugin.Float(0), Max: plugin.Float(1)},
		{Label: "read_exec_distance" + suffix, Value: dist, Unit: "B", Min: plugin.Float(0)},
		{Label: "relay_log_space" + suffix, Value: float64(c.RelayLogSpace), Unit: "B", Min: plugin.Float(0)},
	}
	if opts.SubtractDelay {
		out = append(out, beyondPerf,
			plugin.Perf{Label: "sql_delay" + suffix, Value: float64(c.SQLDelay), Unit: "s", Min: plugin.Float(0)})
	}
	return out
}
