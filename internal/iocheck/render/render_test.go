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
	return judge.Options{Warn: plugin.MustThreshold("60"), Crit: plugin.MustThreshold("300"), NotReplica: plugin.CRITICAL}
}

func TestRenderSummaryNamesWorstChannel(t *testing.T) {
	chans := []replica.Channel{healthy("site1", 0), healthy("site2", 120)}
	chans[1].SourcePort = 3307
	r := plugin.NewReport(nil, 0)
	opts := defaults()
	Render(r, judge.Evaluate(chans, opts), opts)
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
