package judge

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/replmon/replmon/internal/heartbeat"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
)

// Heartbeat is what was read of the heartbeat table: its rows, or why it
// could not be read.
type Heartbeat struct {
	Rows heartbeat.Rows
	Err  error
}

// HeartbeatVerdict is the judgement of the heartbeat table: a problem with
// the table itself (Status and Problem set, no origin), or one verdict per
// origin.
type HeartbeatVerdict struct {
	Table   string
	Status  plugin.Status // the table's own state (OK unless it could not be used)
	Problem string
	Origins []Origin
	Delay   int64 // SQL_Delay seconds subtracted (--subtract-delay)
}

// Origin is the judgement of one originating master's heartbeat.
type Origin struct {
	ServerID int64
	Status   plugin.Status
	Problem  string  // why the state is not OK
	Lag      float64 // judged seconds (delay subtracted, never negative); meaningful when Known
	Known    bool
	TS       string  // the row's ts as written
	Ahead    float64 // seconds the row's ts is ahead of this server's clock (skew), 0 when not
	Judged   bool    // an origin -w/-c judge (perfdata heartbeat_lag_<id>)
	Gone     bool    // not asked for, and older than --heartbeat-max-age: ignored
	Age      float64 // with Gone: seconds since its last beat
}

// skewNote is how far ahead of this server's clock a row may be before
// the clocks are said to differ.
const skewNote = time.Second

// judgeHeartbeat judges every origin of the heartbeat table.
func judgeHeartbeat(f Facts, opts Options) *HeartbeatVerdict {
	t := opts.Heartbeat.String()
	hv := &HeartbeatVerdict{Table: t, Status: plugin.OK}
	if f.Heartbeat.Err != nil {
		hv.Status, hv.Problem = plugin.UNKNOWN, tableProblem(t, f.Server, f.Heartbeat.Err)
		return hv
	}
	if opts.SubtractDelay {
		hv.Delay = smallestDelay(Judged(f.Channels, opts))
	}
	rows := f.Heartbeat.Rows
	byID := map[int64]heartbeat.Beat{}
	for _, b := range rows.Beats {
		byID[b.ServerID] = b
	}
	if len(opts.HeartbeatOrigins) > 0 {
		asked := map[int64]bool{}
		for _, id := range opts.HeartbeatOrigins {
			if asked[id] {
				continue
			}
			asked[id] = true
			b, ok := byID[id]
			if !ok {
				hv.Origins = append(hv.Origins, Origin{ServerID: id, Status: plugin.UNKNOWN, Judged: true,
					Problem: fmt.Sprintf("no heartbeat row of server_id %d in %s on %s: run pt-heartbeat --update on the master with server_id %d "+
						"(every server between it and this one needs log_slave_updates), or drop --heartbeat-origin %d", id, t, f.Server, id, id)})
				continue
			}
			hv.Origins = append(hv.Origins, judgeBeat(b, hv.Delay, opts, t, f.Server))
		}
		return hv
	}
	var gone []Origin
	for _, b := range sortedBeats(rows.Beats) {
		if b.ServerID == rows.ServerID {
			continue // this server's own row: no replication to measure
		}
		if b.Parsed && opts.HeartbeatMaxAge > 0 && b.Lag > opts.HeartbeatMaxAge {
			gone = append(gone, Origin{ServerID: b.ServerID, Status: plugin.OK, TS: b.TS, Gone: true, Age: b.Lag.Seconds()})
			continue
		}
		hv.Origins = append(hv.Origins, judgeBeat(b, hv.Delay, opts, t, f.Server))
	}
	if len(hv.Origins) == 0 {
		hv.Status = plugin.UNKNOWN
		switch {
		case len(gone) > 0:
			hv.Problem = fmt.Sprintf("no heartbeat in %s on %s newer than --heartbeat-max-age %s: is pt-heartbeat --update still running on the masters?", t, f.Server, opts.HeartbeatMaxAge)
		default:
			hv.Problem = fmt.Sprintf("no heartbeat row of another server in %s on %s: run pt-heartbeat --update on each master", t, f.Server)
		}
	}
	hv.Origins = append(hv.Origins, gone...)
	return hv
}

// judgeBeat judges one origin's row against -w/-c.
func judgeBeat(b heartbeat.Beat, delay int64, opts Options, table, srv string) Origin {
	o := Origin{ServerID: b.ServerID, Status: plugin.OK, TS: b.TS, Judged: true}
	if !b.Parsed {
		o.Status = plugin.UNKNOWN
		o.Problem = fmt.Sprintf("heartbeat of server_id %d in %s on %s is unreadable: ts %q is not a pt-heartbeat timestamp", b.ServerID, table, srv, b.TS)
		return o
	}
	lag := b.Lag.Seconds()
	if b.Lag < -skewNote {
		o.Ahead = -lag
	}
	o.Lag, o.Known = max(0, lag-float64(delay)), true
	switch {
	case opts.Crit.Alert(o.Lag):
		o.Status = plugin.CRITICAL
		o.Problem = fmt.Sprintf("heartbeat from server_id %d is %ss old on %s (critical %s)", b.ServerID, Seconds(o.Lag), srv, opts.Crit)
	case opts.Warn.Alert(o.Lag):
		o.Status = plugin.WARNING
		o.Problem = fmt.Sprintf("heartbeat from server_id %d is %ss old on %s (warning %s)", b.ServerID, Seconds(o.Lag), srv, opts.Warn)
	}
	return o
}

// tableProblem says why the heartbeat table could not be used, and what fixes it.
func tableProblem(table, srv string, err error) string {
	switch {
	case query.IsError(err, 1146, 1049):
		return fmt.Sprintf("heartbeat table %s does not exist on %s (%s): create it with pt-heartbeat --create-table --update on each master; replication brings it here", table, srv, err)
	case query.IsError(err, 1142, 1143, 1044):
		return fmt.Sprintf("heartbeat table %s cannot be read on %s: %s; fix: GRANT SELECT ON %s TO the monitoring account", table, srv, err, table)
	case query.IsError(err, 1054):
		return fmt.Sprintf("%s on %s is not a pt-heartbeat table (%s): it needs the ts and server_id columns of pt-heartbeat --create-table", table, srv, err)
	}
	return fmt.Sprintf("heartbeat table %s could not be read on %s: %s", table, srv, err)
}

// smallestDelay is the smallest SQL_Delay of the channels: never more than
// any path to this server delays on purpose.
func smallestDelay(chans []replica.Channel) int64 {
	if len(chans) == 0 {
		return 0
	}
	d := chans[0].SQLDelay
	for _, c := range chans[1:] {
		d = min(d, c.SQLDelay)
	}
	return max(0, d)
}

// sortedBeats orders beats by server_id, for a stable output.
func sortedBeats(bs []heartbeat.Beat) []heartbeat.Beat {
	out := append([]heartbeat.Beat(nil), bs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].ServerID < out[j].ServerID })
	return out
}

// Seconds formats a lag in seconds with one decimal, as the messages show it.
func Seconds(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
