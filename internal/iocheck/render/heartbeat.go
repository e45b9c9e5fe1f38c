package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/iocheck/judge"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
)

// renderHeartbeat writes the heartbeat table's verdicts: a problem with the
// table itself, or one long-output line and one perfdata series
// (heartbeat_lag_<server_id>) per judged origin, a line per origin taken as
// gone, and what the lag measures.
func renderHeartbeat(r *plugin.Report, res judge.Result, opts judge.Options) {
	hb := res.Heartbeat
	if hb.Problem != "" {
		r.Add(hb.Status, "%s", hb.Problem)
		r.Long("%s %s", hb.Status, hb.Problem)
	}
	judged := false
	for _, o := range hb.Origins {
		if o.Status != plugin.OK {
			r.Add(o.Status, "%s", o.Problem)
		}
		r.Long("%s", originLine(o, res, opts))
		if !o.Judged {
			continue
		}
		judged = true
		v := math.NaN()
		if o.Known {
			v = math.Round(o.Lag*1000) / 1000
		}
		r.Perf(plugin.Perf{Label: "heartbeat_lag_" + strconv.FormatInt(o.ServerID, 10), Value: v, Unit: "s",
			Warn: opts.Warn, Crit: opts.Crit, Min: plugin.Float(0)})
	}
	if judged {
		r.Long("heartbeat lag is the time of %s's clock minus the time an origin wrote its row of %s: "+
			"skew between their clocks adds to it or hides lag, so keep NTP running on every server", res.Server, hb.Table)
	}
}

// originLine is the long-output account of one origin's heartbeat.
func originLine(o judge.Origin, res judge.Result, opts judge.Options) string {
	hb := res.Heartbeat
	who := fmt.Sprintf("heartbeat from server_id %d on %s", o.ServerID, res.Server)
	if o.Gone {
		return fmt.Sprintf("%s %s ignored: last beat %s ago (ts %s), older than --heartbeat-max-age %s: an origin that is gone; "+
			"delete its row where it was written (DELETE FROM %s WHERE server_id = %d)",
			o.Status, who, age(o.Age), o.TS, opts.HeartbeatMaxAge, hb.Table, o.ServerID)
	}
	if !o.Known {
		return fmt.Sprintf("%s %s", o.Status, o.Problem)
	}
	s := fmt.Sprintf("%s %s: lag %ss", o.Status, who, judge.Seconds(o.Lag))
	switch o.Status {
	case plugin.CRITICAL:
		s += fmt.Sprintf(" (critical %s)", opts.Crit)
	case plugin.WARNING:
		s += fmt.Sprintf(" (warning %s)", opts.Warn)
	}
	if hb.Delay > 0 {
		s += fmt.Sprintf(" beyond the configured delay of %ds", hb.Delay)
	}
	s += ", last beat " + o.TS
	if o.Ahead > 0 {
		how := "--heartbeat-utc, if pt-heartbeat runs with --utc"
		if opts.HeartbeatUTC {
			how = "pt-heartbeat --utc"
		}
		s += fmt.Sprintf("; its ts is %ss ahead of this server's clock: the clocks or time zones differ (NTP; %s)", judge.Seconds(o.Ahead), how)
	}
	switch {
	case o.Status != plugin.WARNING && o.Status != plugin.CRITICAL:
	case !replicating(res.Channels):
		s += fmt.Sprintf("; changes written on server_id %d reach this server that late: its own replication is not running (above)", o.ServerID)
	default:
		s += fmt.Sprintf("; changes written on server_id %d reach this server that late while Seconds_Behind_Master here is %s: "+
			"it measures the last hop only, so a hop between them is stopped or behind: run check_repl_io on each", o.ServerID, sbm(res.Channels))
	}
	return s
}

// heartbeatWords sums up the judged origins for the OK summary, "" when
// none has a known lag.
func heartbeatWords(hb *judge.HeartbeatVerdict) string {
	if hb == nil {
		return ""
	}
	var worst *judge.Origin
	n := 0
	for i, o := range hb.Origins {
		if !o.Judged || !o.Known {
			continue
		}
		n++
		if worst == nil || o.Lag > worst.Lag {
			worst = &hb.Origins[i]
		}
	}
	switch n {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("heartbeat lag %ss from server_id %d", judge.Seconds(worst.Lag), worst.ServerID)
	}
	return fmt.Sprintf("heartbeat lag at most %ss (server_id %d) from %d origins", judge.Seconds(worst.Lag), worst.ServerID, n)
}

// replicating reports whether both threads of every judged channel run.
func replicating(vs []judge.Verdict) bool {
	for _, v := range vs {
		if v.Missing || v.Channel.IO != replica.Running || v.Channel.SQL != replica.Running {
			return false
		}
	}
	return true
}

// sbm is Seconds_Behind_Master of the judged channels, for messages.
func sbm(vs []judge.Verdict) string {
	var parts []string
	for _, v := range vs {
		if v.Missing {
			continue
		}
		w := strings.TrimPrefix(lagWords(v), "lag ")
		if len(vs) > 1 {
			w += " on " + channelLabel(v)
		}
		parts = append(parts, w)
	}
	if len(parts) == 0 {
		return "unknown"
	}
	return strings.Join(parts, ", ")
}

// age formats a long duration roughly: "3d2h", "5h10m", "42m".
func age(sec float64) string {
	d := time.Duration(sec) * time.Second
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%dd%dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%dh%dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return d.Round(time.Second).String()
}
