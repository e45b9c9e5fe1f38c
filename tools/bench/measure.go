package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Cmd is one program invocation that a scenario times.
type Cmd struct {
	Name string   // label in the report
	Path string   // executable
	Args []string // arguments
	Env  []string // added to the environment
	Want string   // text the output (stdout and stderr) must contain
	Code int      // exit code the run must end with
}

// Sample is what one run of a Cmd cost.
type Sample struct {
	Wall   time.Duration // from fork to reaped
	CPU    time.Duration // user + system time of the process and its children
	Faults int64         // minor page faults of the process and its children
	// ServerCPU is the user + system time the servers spent meanwhile
	// (mariadbd processes, from /proc), when the step measured it.
	ServerCPU time.Duration
}

// Run executes c once within ctx and reports its cost; a run that does not
// end as c expects is an error, so that a benchmark never times a failure.
func (c Cmd) Run(ctx context.Context) (Sample, error) {
	s, _, err := c.RunOutput(ctx)
	return s, err
}

// RunOutput is Run that also returns what the program printed (stdout and
// stderr), for steps that read its performance data.
func (c Cmd) RunOutput(ctx context.Context) (Sample, string, error) {
	cmd := exec.CommandContext(ctx, c.Path, c.Args...)
	cmd.Env = append(os.Environ(), c.Env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			return Sample{}, out.String(), fmt.Errorf("%s: %w", c.Name, err)
		}
		code = ee.ExitCode()
	}
	if code != c.Code || !strings.Contains(out.String(), c.Want) {
		return Sample{}, out.String(), fmt.Errorf("%s: exit code %d (want %d), output lacks %q:\n%s", c.Name, code, c.Code, c.Want, clip(out.String(), 2000))
	}
	s := Sample{Wall: wall}
	// wait4 returns the usage of the child and of the descendants it
	// reaped, so shell-script plugins are measured with their clients.
	// (Its peak RSS is not used: Go starts children with vfork, and the
	// kernel counts the parent's resident set as the child's until exec;
	// PeakRSS measures it under GNU time instead.)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.Faults = ru.Minflt + ru.Majflt
		s.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return s, out.String(), nil
}

// Series is the samples of one Cmd.
type Series struct {
	Name    string
	Samples []Sample
}

// namedFunc is a timed step: a Cmd's Run, or several programs together.
type namedFunc struct {
	name string
	run  func(context.Context) (Sample, error)
}

// Interleave runs every Cmd once per round, in turn (A B C A B C ...), after
// one untimed warm-up round, so that the machine's load drifts over all of
// them alike. The order inside a round rotates so no Cmd always follows the
// same one.
func Interleave(ctx context.Context, cmds []Cmd, rounds int, progress func(round int)) ([]Series, error) {
	fs := make([]namedFunc, len(cmds))
	for i, c := range cmds {
		fs[i] = namedFunc{c.Name, c.Run}
	}
	return interleave(ctx, fs, rounds, progress)
}

// interleave is Interleave for steps given as functions.
func interleave(ctx context.Context, fs []namedFunc, rounds int, progress func(round int)) ([]Series, error) {
	series := make([]Series, len(fs))
	for i, f := range fs {
		series[i].Name = f.name
		if _, err := f.run(ctx); err != nil {
			return nil, fmt.Errorf("warm-up: %w", err)
		}
	}
	for r := 0; r < rounds; r++ {
		for k := range fs {
			i := (k + r) % len(fs)
			s, err := fs[i].run(ctx)
			if err != nil {
				return nil, fmt.Errorf("round %d: %w", r+1, err)
			}
			series[i].Samples = append(series[i].Samples, s)
		}
		if progress != nil {
			progress(r + 1)
		}
	}
	return series, nil
}

// Stats summarises a series.
type Stats struct {
	Runs        int
	Median, P90 time.Duration // wall time
	Min, Max    time.Duration // wall time extremes
	CPU         time.Duration // median user + system time
	Faults      int64         // median page faults
	ServerCPU   time.Duration // median CPU time of the servers
}

// Summarise computes the statistics of s.
func (s Series) Summarise() Stats {
	var walls, cpus []time.Duration
	var faults []int64
	var servers []time.Duration
	for _, x := range s.Samples {
		walls = append(walls, x.Wall)
		cpus = append(cpus, x.CPU)
		servers = append(servers, x.ServerCPU)
		faults = append(faults, x.Faults)
	}
	st := Stats{Runs: len(s.Samples)}
	if st.Runs == 0 {
		return st
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	slices.Sort(faults)
	slices.Sort(servers)
	st.ServerCPU = quantile(servers, 0.5)
	st.Median = quantile(walls, 0.5)
	st.P90 = quantile(walls, 0.9)
	st.CPU = quantile(cpus, 0.5)
	st.Faults = faults[len(faults)/2]
	st.Min, st.Max = walls[0], walls[len(walls)-1]
	return st
}

// quantile returns the q-quantile of sorted values by linear interpolation
// between the closest ranks.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	pos := q * float64(len(sorted)-1)
	lo := int(pos)
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(lo)
	return sorted[lo] + time.Duration(frac*float64(sorted[lo+1]-sorted[lo]))
}

// PeakRSS runs each Cmd rounds times, interleaved, under GNU time and
// returns the largest peak resident set of each, in bytes. GNU time is a
// small C program that forks, so the figure is the plugin's own.
func PeakRSS(ctx context.Context, gnuTime string, cmds []Cmd, rounds int) ([]int64, error) {
	peaks := make([]int64, len(cmds))
	f, err := os.CreateTemp("", "bench-rss")
	if err != nil {
		return nil, err
	}
	f.Close()
	defer os.Remove(f.Name())
	for r := 0; r < rounds; r++ {
		for i, c := range cmds {
			w := c
			w.Path = gnuTime
			w.Args = append([]string{"-f", "%M", "-o", f.Name(), c.Path}, c.Args...)
			if _, err := w.Run(ctx); err != nil {
				return nil, err
			}
			b, err := os.ReadFile(f.Name())
			if err != nil {
				return nil, err
			}
			kb, err := strconv.ParseInt(lastLine(string(b)), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("%s: GNU time wrote %q", c.Name, b)
			}
			peaks[i] = max(peaks[i], kb*1024)
		}
	}
	return peaks, nil
}

// lastLine returns the last non-empty line of s, trimmed.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
