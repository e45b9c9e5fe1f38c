//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/perfdata"
)

// recorder is a plugin directory standing in for /usr/lib/nagios/plugins
// where a daemon runs checks: the package's plugins are wrappers that run
// the installed plugin and keep a copy of exactly what it printed, every
// other plugin (check_nrpe, check_ping, ...) a link to Debian's. Only that
// path changes in the shipped definitions; what a daemon stored is then
// compared with what the plugin printed in the very same run.
type recorder struct {
	name string // who runs checks here: "nagios4", "nrpe", an Icinga 2 endpoint
	dir  string // the plugin directory
	runs string // where the runs are kept
}

// run is one recorded plugin run.
type run struct {
	argv []string // as the daemon called it, the wrapper's path first
	code int
	out  string // stdout, byte for byte
	when time.Time
}

// newRecorder makes the plugin directory of name under work, owned by a.
func newRecorder(t *testing.T, work, name string, plugins []string, a account) *recorder {
	r := &recorder{name: name, dir: filepath.Join(work, "plugins-"+name), runs: filepath.Join(work, "runs-"+name)}
	for _, d := range []string{r.dir, r.runs} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(pluginDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !contains(plugins, e.Name()) {
			if err := os.Symlink(filepath.Join(pluginDir, e.Name()), filepath.Join(r.dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, p := range plugins {
		script := fmt.Sprintf(`#!/bin/sh
# make e2e: run the installed %[1]s, keep a copy of what it printed.
f=$(mktemp %[2]s/run.XXXXXXXXXX) || exit 3
%[3]s "$@" >"$f.out"
rc=$?
{ echo "$rc"; for a in "$0" "$@"; do echo "$a"; done; } >"$f.tmp" && mv "$f.tmp" "$f.done"
cat "$f.out"
exit $rc
`, p, r.runs, filepath.Join(pluginDir, p))
		if err := os.WriteFile(filepath.Join(r.dir, p), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	chownTree(t, r.runs, a)
	return r
}

// line rewrites a shipped command line's plugin path to the recorder's.
func (r *recorder) line(s string) string {
	return strings.ReplaceAll(s, pluginDir+"/", r.dir+"/")
}

// runsOf returns the complete runs whose argv is argv, oldest first.
func (r *recorder) runsOf(t *testing.T, argv []string) []run {
	done, err := filepath.Glob(filepath.Join(r.runs, "*.done"))
	if err != nil {
		t.Fatal(err)
	}
	var out []run
	for _, d := range done {
		meta, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimSuffix(string(meta), "\n"), "\n")
		if len(lines) < 2 || strings.Join(lines[1:], "\x00") != strings.Join(argv, "\x00") {
			continue
		}
		code, _ := strconv.Atoi(lines[0])
		body, err := os.ReadFile(strings.TrimSuffix(d, ".done") + ".out")
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(d)
		out = append(out, run{argv: lines[1:], code: code, out: string(body), when: fi.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].when.Before(out[j].when) })
	return out
}

// stored is a check result as a daemon kept it, split as Nagios and
// Icinga 2 split plugin output.
type stored struct {
	summary string // the first line, before '|' (Nagios strips the space before it, Icinga 2 keeps it)
	perf    string // performance data
	long    string // the other lines
	code    int
	raw     string // when the daemon passes the whole text on (check_nrpe): all of it, but trailing newlines
}

// printed splits what a plugin printed the same way: the summary is the
// first line up to '|' (without the space before it when strip, as Nagios
// strips it), perfdata what follows, long output the rest.
func printed(r run, strip bool) stored {
	text := strings.TrimSuffix(r.out, "\n")
	first, long, _ := strings.Cut(text, "\n")
	summary, perf, _ := strings.Cut(first, "|")
	if strip {
		summary = strings.TrimRight(summary, " ")
	}
	return stored{summary: summary, perf: strings.TrimSpace(perf), long: long, code: r.code,
		raw: strings.TrimRight(r.out, "\n")}
}

// compareRuns checks that what daemon stored for svc is, byte for byte in
// its summary, performance data and long output, and in its state, what
// the plugin printed in one of the runs of argv that rec recorded (strip:
// the daemon drops the space before '|', as Nagios does); and that the
// performance data passes the strict parser.
func compareRuns(t *testing.T, daemon, svc string, got stored, rec *recorder, argv []string, strip bool) {
	t.Helper()
	if _, err := perfdata.Parse(got.perf); err != nil {
		t.Errorf("%s %s: the performance data it stored breaks the plugin guidelines: %v\n%s", daemon, svc, err, got.perf)
	}
	runs := rec.runsOf(t, argv)
	if len(runs) == 0 {
		t.Errorf("%s %s: no run of %q recorded by %s", daemon, svc, strings.Join(argv, " "), rec.name)
		return
	}
	print := func(r run) stored {
		p := printed(r, strip)
		if got.raw == "" {
			p.raw = ""
		}
		return p
	}
	for i := len(runs) - 1; i >= 0; i-- {
		if print(runs[i]) == got {
			t.Logf("%s %s [%d]: stored byte for byte what the plugin printed (%d bytes, run %d of %d): %s",
				daemon, svc, got.code, len(runs[i].out), i+1, len(runs), got.summary)
			return
		}
	}
	want := print(runs[len(runs)-1])
	var diff []string
	for _, f := range []struct{ name, got, want string }{
		{"summary", got.summary, want.summary}, {"perfdata", got.perf, want.perf}, {"long output", got.long, want.long},
		{"exit code", strconv.Itoa(got.code), strconv.Itoa(want.code)}, {"whole output", got.raw, want.raw},
	} {
		if f.got != f.want {
			diff = append(diff, fmt.Sprintf("%s\n  plugin printed: %q\n  %s stored:   %q", f.name, f.want, daemon, f.got))
		}
	}
	t.Errorf("%s %s: what it stored is none of the %d runs the plugin printed; against the latest:\n%s", daemon, svc, len(runs), strings.Join(diff, "\n"))
}
