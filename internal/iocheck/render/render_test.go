package render

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/iocheck/judge"
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

func defaults() judge.Options {
	return judge.Options{Warn: plugin.MustThreshold("60"), Crit: plugin.MustThreshold("300"), NotReplica: plugin.CRITICAL, DuringBackup: plugin.CRITICAL}
}

func TestRenderSummaryNamesWorstChannel(t *testing.T) {
	chans := []replica.Channel{healthy("site1", 0), healthy("site2", 120)}
	chans[1].SourcePort = 3307
	r := plugin.NewReport(nil, 0)
	opts := defaults()
	Render(r, judge.Judge(judge.Facts{Channels: chans}, opts), opts)
	out := r.Render("REPL_IO")
	want := "REPL_IO WARNING - channel 'site2' (from 127.0.0.1:3307): lag 120s (warning 60) |"
	if !strings.HasPrefix(out, want) {
		t.Errorf("got %q, want prefix %q", out, want)
	}
	for _, label := range []string{"lag_site1=0s;60;300;0", "lag_site2=120s;60;300;0", "io_running_site2=1;;;0;1", "read_exec_distance_site1=U", "relay_log_space_site2=0B;;;0"} {
		if !strings.Contains(out, " "+label) {
			t.Errorf("perfdata lacks %q: %q", label, out)
		}
	}
}

// TestRenderSubtractDelayPerfdata: with --subtract-delay the state is judged
// on the lag beyond the configured delay, so that value carries the
// thresholds (lag_beyond_delay), the delay is a metric of its own
// (sql_delay), and lag stays Seconds_Behind_Master, without thresholds it
// is not judged against.
func TestRenderSubtractDelayPerfdata(t *testing.T) {
	delayed := healthy("", 3650)
	delayed.SQLDelay = 3600
	named := healthy("eu", 30)
	unknown := healthy("us", 0)
	unknown.Lag = replica.Lag{}
	opts := defaults()
	opts.SubtractDelay = true
	r := plugin.NewReport(nil, 0)
	Render(r, judge.Judge(judge.Facts{Channels: []replica.Channel{delayed, named, unknown}}, opts), opts)
	out := r.Render("REPL_IO")
	summary := strings.SplitN(out, "\n", 2)[0]
	for _, p := range []string{
		" lag=3650s;;;0 ", " lag_beyond_delay=50s;60;300;0 ", " sql_delay=3600s;;;0 ",
		" lag_eu=30s;;;0 ", " lag_beyond_delay_eu=30s;60;300;0 ", " sql_delay_eu=0s;;;0 ",
		" lag_us=U;;;0 ", " lag_beyond_delay_us=U;60;300;0 ",
	} {
		if !strings.Contains(summary+" ", p) {
			t.Errorf("perfdata lacks %q:\n%s", strings.TrimSpace(p), summary)
		}
	}
	if strings.Contains(summary, "lag=3650s;60;300") {
		t.Errorf("the raw lag carries the thresholds it is not judged against: %s", summary)
	}

	// Without --subtract-delay nothing changes: lag is judged and carries the thresholds.
	r = plugin.NewReport(nil, 0)
	Render(r, judge.Judge(judge.Facts{Channels: []replica.Channel{delayed}}, defaults()), defaults())
	if out := r.Render("REPL_IO"); !strings.Contains(out, " lag=3650s;60;300;0 ") || strings.Contains(out, "lag_beyond_delay") || strings.Contains(out, "sql_delay") {
		t.Errorf("without --subtract-delay: %s", out)
	}
}
