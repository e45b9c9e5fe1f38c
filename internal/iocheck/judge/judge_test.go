package judge

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
)

// healthy is a running channel with the given lag.
func healthy(name string, lag int64) replica.Channel {
	return replica.Channel{
		Name: name, SourceHost: "127.0.0.1", SourcePort: 3306,
		IOState: "Waiting for master to send event", IO: replica.Running, SQL: replica.Running,
		Lag: replica.Lag{Seconds: lag, Known: true}, SSLAllowed: "No",
	}
}

func defaults() Options {
	return Options{Warn: plugin.MustThreshold("60"), Crit: plugin.MustThreshold("300"), NotReplica: plugin.CRITICAL, DuringBackup: plugin.CRITICAL}
}

func TestEvaluate(t *testing.T) {
	mod := func(c replica.Channel, f func(*replica.Channel)) replica.Channel { f(&c); return c }
	cases := []struct {
		name    string
		chans   []replica.Channel
		opts    func(*Options)
		want    []plugin.Status
		problem string // substring of the first non-OK verdict's problems
	}{
		{"healthy", []replica.Channel{healthy("", 0)}, nil, []plugin.Status{plugin.OK}, ""},
		{"mysql 8 wording", []replica.Channel{mod(healthy("", 3), func(c *replica.Channel) { c.IOState = "Waiting for source to send event" })}, nil, []plugin.Status{plugin.OK}, ""},
		{"busy queueing", []replica.Channel{mod(healthy("", 3), func(c *replica.Channel) { c.IOState = "Queueing master event to the relay log" })}, nil, []plugin.Status{plugin.OK}, ""},
		{"lag at warning edge", []replica.Channel{healthy("", 60)}, nil, []plugin.Status{plugin.OK}, ""},
		{"lag warning", []replica.Channel{healthy("", 61)}, nil, []plugin.Status{plugin.WARNING}, "lag 61s (warning 60)"},
		{"lag critical", []replica.Channel{healthy("", 301)}, nil, []plugin.Status{plugin.CRITICAL}, "lag 301s (critical 300)"},
		{"lag NULL while running is not zero", []replica.Channel{mod(healthy("", 0), func(c *replica.Channel) { c.Lag = replica.Lag{} })}, nil, []plugin.Status{plugin.UNKNOWN}, "lag unknown"},
		{"io stopped", []replica.Channel{mod(healthy("", 0), func(c *replica.Channel) { c.IO = replica.Stopped; c.IOState = ""; c.Lag = replica.Lag{} })}, nil, []plugin.Status{plugin.CRITICAL}, "IO thread stopped"},
		{"io connecting 1045", []replica.Channel{mod(healthy("", 0), func(c *replica.Channel) {
			c.IO, c.IOState, c.Lag = replica.Connecting, "Connecting to master", replica.Lag{}
			c.LastIOErrno, c.LastIOError = 1045, "Access denied for user 'repl'@'127.0.0.1' (using password: YES)"
		})}, nil, []plugin.Status{plugin.CRITICAL}, "IO thread connecting (error 1045: Access denied for user 'repl'@'127.0.0.1'"},
		{"sql error 1062", []replica.Channel{mod(healthy("", 0), func(c *replica.Channel) {
			c.SQL, c.Lag = replica.Stopped, replica.Lag{}
			c.LastSQLErrno, c.LastSQLError = 1062, "Duplicate entry '5' for key 'PRIMARY'"
		})}, nil, []plugin.Status{plugin.CRITICAL}, "SQL thread stopped (error 1062: Duplicate entry '5' for key 'PRIMARY')"},
		{"sql stopped, 5.0 Last_Errno", []replica.Channel{mod(healthy("", 0), func(c *replica.Channel) {
			c.SQL, c.Lag, c.LastErrno, c.LastError = replica.Stopped, replica.Lag{}, 1146, "Table 'x.y' doesn't exist"
		})}, nil, []plugin.Status{plugin.CRITICAL}, "SQL thread stopped (error 1146: Table 'x.y' doesn't exist)"},
		{"io reconnecting", []replica.Channel{mod(healthy("", 0), func(c *replica.Channel) { c.IOState = "Reconnecting after a failed master event read" })}, nil, []plugin.Status{plugin.CRITICAL}, "Reconnecting"},
		{"relay space", []replica.Channel{mod(healthy("", 0), func(c *replica.Channel) {
			c.IOState = "Waiting for the slave SQL thread to free enough relay log space"
		})}, nil, []plugin.Status{plugin.WARNING}, "relay_log_space_limit"},
		{"thread state absent", []replica.Channel{mod(healthy("", 0), func(c *replica.Channel) { c.SQL = replica.Absent })}, nil, []plugin.Status{plugin.UNKNOWN}, "SQL thread state not reported"},
		{"not a replica", nil, nil, []plugin.Status{plugin.CRITICAL}, "not a replica"},
		{"not a replica ok", nil, func(o *Options) { o.NotReplica = plugin.OK }, []plugin.Status{plugin.OK}, "not a replica"},
		{"delayed, lag counted", []replica.Channel{mod(healthy("", 3650), func(c *replica.Channel) { c.SQLDelay = 3600 })}, nil, []plugin.Status{plugin.CRITICAL}, "lag 3650s"},
		{"delayed, delay subtracted", []replica.Channel{mod(healthy("", 3650), func(c *replica.Channel) { c.SQLDelay = 3600 })}, func(o *Options) { o.SubtractDelay = true }, []plugin.Status{plugin.OK}, ""},
		{"delayed beyond delay", []replica.Channel{mod(healthy("", 3700), func(c *replica.Channel) { c.SQLDelay = 3600 })}, func(o *Options) { o.SubtractDelay = true }, []plugin.Status{plugin.WARNING}, "lag 100s beyond the configured delay of 3600s"},
		{"expected source", []replica.Channel{healthy("", 0)}, func(o *Options) { o.ExpectSource = address.TCP("127.0.0.1", 3306) }, []plugin.Status{plugin.OK}, ""},
		{"expected source default port", []replica.Channel{healthy("", 0)}, func(o *Options) { o.ExpectSource = address.TCP("127.0.0.1", 0) }, []plugin.Status{plugin.OK}, ""},
		{"wrong source", []replica.Channel{healthy("", 0)}, func(o *Options) { o.ExpectSource = address.TCP("db2", 3306) }, []plugin.Status{plugin.CRITICAL}, "replicates from 127.0.0.1:3306, expected db2:3306"},
		{"ssl required, plain link", []replica.Channel{healthy("", 0)}, func(o *Options) { o.RequireSSL = true }, []plugin.Status{plugin.CRITICAL}, "replication link without SSL"},
		{"ssl required, ssl link", []replica.Channel{mod(healthy("", 0), func(c *replica.Channel) { c.SSLAllowed = "Yes" })}, func(o *Options) { o.RequireSSL = true }, []plugin.Status{plugin.OK}, ""},
		{"every channel judged", []replica.Channel{healthy("a", 0), mod(healthy("b", 0), func(c *replica.Channel) { c.IO = replica.Stopped }), healthy("c", 100)}, nil,
			[]plugin.Status{plugin.OK, plugin.CRITICAL, plugin.WARNING}, "IO thread stopped"},
		{"channel filter", []replica.Channel{healthy("a", 0), mod(healthy("b", 0), func(c *replica.Channel) { c.IO = replica.Stopped })}, func(o *Options) { o.Channels = []string{"a"} },
			[]plugin.Status{plugin.OK}, ""},
		{"missing channel", []replica.Channel{healthy("a", 0)}, func(o *Options) { o.Channels = []string{"a", "zz"} },
			[]plugin.Status{plugin.OK, plugin.CRITICAL}, "channel is not configured"},
		{"duplicate names both judged", []replica.Channel{healthy("a", 0), mod(healthy("a", 0), func(c *replica.Channel) { c.SQL = replica.Stopped })}, nil,
			[]plugin.Status{plugin.OK, plugin.CRITICAL}, "SQL thread stopped"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := defaults()
			if c.opts != nil {
				c.opts(&opts)
			}
			vs := Evaluate(c.chans, opts)
			if len(vs) != len(c.want) {
				t.Fatalf("%d verdicts, want %d: %+v", len(vs), len(c.want), vs)
			}
			var problems []string
			for i, v := range vs {
				if v.Status != c.want[i] {
					t.Errorf("verdict %d: %v, want %v (%v)", i, v.Status, c.want[i], v.Problems)
				}
				problems = append(problems, v.Problems...)
			}
			all := strings.Join(problems, " / ")
			if c.problem != "" && !strings.Contains(all, c.problem) {
				t.Errorf("problems %q lack %q", all, c.problem)
			}
			if c.problem == "" && all != "" {
				t.Errorf("unexpected problems %q", all)
			}
		})
	}
}
