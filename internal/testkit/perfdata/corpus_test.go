package perfdata_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/iocheck/judge"
	"github.com/replmon/replmon/internal/iocheck/render"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/perfdata"
)

// summaryLine is the first line of a plugin's output.
var summaryLine = regexp.MustCompile(`^(REPL_[A-Z]+) (OK|WARNING|CRITICAL|UNKNOWN) - `)

// TestGoldenOutputs runs every plugin output kept in the repository — the
// golden files of every testdata directory and the examples of README.md —
// through the strict parser, and checks that a label keeps one unit across
// all the outputs of a plugin (a series cannot change unit between runs).
// Every integration run goes through it too: clitest.Run checks the
// performance data of each plugin it runs.
func TestGoldenOutputs(t *testing.T) {
	root := clitest.Root(t)
	type source struct{ where, out string }
	var outputs []source
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == ".git" || n == "bin" || n == "dist" || n == "fuzz" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.Contains(filepath.ToSlash(path), "/testdata/") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if summaryLine.Match(b) {
			rel, _ := filepath.Rel(root, path)
			outputs = append(outputs, source{rel, string(b)})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(readme), "\n") {
		if summaryLine.MatchString(l) {
			outputs = append(outputs, source{"README.md line " + strconv.Itoa(i+1), l})
		}
	}

	units := map[string]map[string]string{} // plugin -> label -> UOM
	where := map[string]string{}
	withPerf := map[string]int{}
	for _, o := range outputs {
		plugin := summaryLine.FindStringSubmatch(o.out)[1]
		perf, ok := perfdata.Output(o.out)
		if !ok {
			continue
		}
		withPerf[plugin]++
		items, err := perfdata.Parse(perf)
		if err != nil {
			t.Errorf("%s: %v", o.where, err)
		}
		if units[plugin] == nil {
			units[plugin] = map[string]string{}
		}
		for _, it := range items {
			if it.Value == "U" {
				continue // an undetermined value has no unit to compare
			}
			if u, seen := units[plugin][it.Label]; seen && u != it.UOM {
				t.Errorf("%s: %s %s is in %q, in %q in %s", o.where, plugin, it.Label, it.UOM, u, where[plugin+it.Label])
			} else if !seen {
				units[plugin][it.Label], where[plugin+it.Label] = it.UOM, o.where
			}
		}
	}
	// The corpus must be there to be checked.
	for _, p := range []string{"REPL_IO", "REPL_CHECKSUM", "REPL_CONFIG"} {
		if withPerf[p] < 3 {
			t.Errorf("%d outputs of %s with performance data found; the golden files moved?", withPerf[p], p)
		}
	}
	t.Logf("outputs with performance data: %v", withPerf)
}

// TestChannelLabels renders check_repl_io's performance data for a replica
// with a default channel and one named channel, for names MariaDB accepts
// as connection names: each output passes the strict parser, so a channel
// named "site-2", "site 2" or "a.b" still gives labels every writer reads.
func TestChannelLabels(t *testing.T) {
	for _, name := range []string{"x", "site2", "site-2", "site 2", "a.b", "a=b", "x|y", "it's", "lag", "running", "Ünïcode", "a;b,c"} {
		channels := []replica.Channel{healthy(""), healthy(name)}
		warn, _ := plugin.ParseThreshold("60")
		crit, _ := plugin.ParseThreshold("300")
		opts := judge.Options{Warn: warn, Crit: crit, NotReplica: plugin.CRITICAL}
		r := plugin.NewReport(nil, 0)
		render.Render(r, judge.Judge(judge.Facts{Channels: channels}, opts), opts)
		out := r.Render("REPL_IO")
		perf, ok := perfdata.Output(out)
		if !ok {
			t.Errorf("channel %q: no performance data:\n%s", name, out)
			continue
		}
		items, err := perfdata.Parse(perf)
		if err != nil {
			t.Errorf("channel %q: %v\n%s", name, err, out)
		}
		if len(items) != 10 {
			t.Errorf("channel %q: %d items, want 5 per channel:\n%s", name, len(items), perf)
		}
	}
}

// healthy is a replicating channel.
func healthy(name string) replica.Channel {
	return replica.Channel{
		Name: name, SourceHost: "db-m1.example.net", SourcePort: 3306,
		IOState: "Waiting for master to send event", SQLState: "Slave has read all relay log; waiting for more updates",
		IO: replica.Running, SQL: replica.Running, Lag: replica.Lag{Known: true, Seconds: 0},
		SourceLogFile: "bin.000001", ReadSourceLogPos: 100, RelaySourceLogFile: "bin.000001", ExecSourceLogPos: 100,
		RelayLogSpace: 500, SSLAllowed: "No",
	}
}
