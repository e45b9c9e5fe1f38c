package judge

import (
	"errors"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/heartbeat"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
)

func hbOpts() Options {
	o := defaults()
	o.Heartbeat = &heartbeat.Table{DB: "hb", Name: "heartbeat"}
	o.HeartbeatMaxAge = 24 * time.Hour
	return o
}

func beat(id int64, lag time.Duration) heartbeat.Beat {
	return heartbeat.Beat{ServerID: id, TS: "t", Lag: lag, Parsed: true}
}

// TestHeartbeatJudgesLag: with --heartbeat, -w/-c judge each origin's
// heartbeat, Seconds_Behind_Master is not judged (neither its value nor
// its NULL), the server's own row is skipped and a row ahead of the clock
// is no lag.
func TestHeartbeatJudgesLag(t *testing.T) {
	c := healthy("", 900) // far beyond -c 300, but only shown
	null := healthy("b", 0)
	null.Lag = replica.Lag{}
	f := Facts{Server: "db1:3306", Channels: []replica.Channel{c, null}, Heartbeat: Heartbeat{Rows: heartbeat.Rows{ServerID: 11, Beats: []heartbeat.Beat{
		beat(11, 9*time.Hour), beat(2, 90*time.Second), beat(1, 2*time.Second), beat(3, -5*time.Second),
	}}}}
	res := Judge(f, hbOpts())
	for _, v := range res.Channels {
		if v.Status != plugin.OK || len(v.Problems) != 0 {
			t.Errorf("channel %q judged on Seconds_Behind_Master: %v %v", v.Channel.Name, v.Status, v.Problems)
		}
	}
	hb := res.Heartbeat
	if hb == nil || len(hb.Origins) != 3 {
		t.Fatalf("%+v", hb)
	}
	want := []struct {
		id     int64
		status plugin.Status
		lag    float64
		ahead  float64
	}{{1, plugin.OK, 2, 0}, {2, plugin.WARNING, 90, 0}, {3, plugin.OK, 0, 5}}
	for i, w := range want {
		o := hb.Origins[i]
		if o.ServerID != w.id || o.Status != w.status || o.Lag != w.lag || o.Ahead != w.ahead || !o.Judged || !o.Known {
			t.Errorf("origin %d: %+v, want %+v", i, o, w)
		}
	}
	if hb.Origins[1].Problem != "heartbeat from server_id 2 is 90.0s old on db1:3306 (warning 60)" {
		t.Errorf("problem %q", hb.Origins[1].Problem)
	}
}

// TestHeartbeatDelay: --subtract-delay takes off the smallest SQL_Delay
// of the judged channels, never more than any path delays.
func TestHeartbeatDelay(t *testing.T) {
	a, b := healthy("a", 0), healthy("b", 0)
	a.SQLDelay, b.SQLDelay = 3600, 600
	o := hbOpts()
	o.SubtractDelay = true
	f := Facts{Channels: []replica.Channel{a, b}, Heartbeat: Heartbeat{Rows: heartbeat.Rows{Beats: []heartbeat.Beat{beat(1, 700*time.Second)}}}}
	hb := Judge(f, o).Heartbeat
	if hb.Delay != 600 || hb.Origins[0].Lag != 100 || hb.Origins[0].Status != plugin.WARNING {
		t.Errorf("%+v", hb)
	}
	o.Channels = []string{"a"}
	if hb := Judge(f, o).Heartbeat; hb.Delay != 3600 || hb.Origins[0].Lag != 0 {
		t.Errorf("only channel a judged: %+v", hb)
	}
}

// TestHeartbeatNotAReplica: a server without a channel has no heartbeat verdict.
func TestHeartbeatNotAReplica(t *testing.T) {
	if res := Judge(Facts{}, hbOpts()); res.Heartbeat != nil {
		t.Errorf("%+v", res.Heartbeat)
	}
}

// TestHeartbeatTableProblems: a table that cannot be used is UNKNOWN,
// naming the table, the server and the fix for each kind of refusal.
func TestHeartbeatTableProblems(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&query.ServerError{Number: 1049, Message: "Unknown database 'hb'"},
			"heartbeat table hb.heartbeat does not exist on db1:3306 (Error 1049: Unknown database 'hb'): create it with pt-heartbeat --create-table --update on each master; replication brings it here"},
		{errors.New("invalid connection"), "heartbeat table hb.heartbeat could not be read on db1:3306: invalid connection"},
	} {
		f := Facts{Server: "db1:3306", Channels: []replica.Channel{healthy("", 0)}, Heartbeat: Heartbeat{Err: tc.err}}
		hb := Judge(f, hbOpts()).Heartbeat
		if hb.Status != plugin.UNKNOWN || hb.Problem != tc.want || len(hb.Origins) != 0 {
			t.Errorf("%v: %v %q, want UNKNOWN %q", tc.err, hb.Status, hb.Problem, tc.want)
		}
	}
}
