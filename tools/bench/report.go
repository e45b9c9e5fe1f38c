package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"
)

// Report is everything one bench run measured.
type Report struct {
	Started  time.Time
	Elapsed  time.Duration
	LoadEnd  string
	Machine  Machine
	Sections []Section
}

// Section is one scenario's table with its explanation and verdicts.
type Section struct {
	Title    string
	Intro    string     // what was run, against what
	Header   []string   // column titles
	Rows     [][]string // cells
	Verdicts []string   // one line per target: figure, target, met or missed
	Notes    []string   // anything else worth knowing
}

// Add appends a section.
func (r *Report) Add(s Section) { r.Sections = append(r.Sections, s) }

// Markdown renders the figures: machine, versions, then one table per scenario.
func (r *Report) Markdown() string {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "Measured %s by `make bench` in %s.\n\n", r.Started.UTC().Format("2006-01-02 15:04 MST"), r.Elapsed.Round(time.Second))
	b.WriteString("### Machine\n\n")
	fmt.Fprintf(&b, "- %d CPUs: %s; %d MiB of memory; Linux %s\n", m.CPUs, m.CPUModel, m.MemoryMiB, m.Kernel)
	fmt.Fprintf(&b, "- load average (1, 5, 15 min): %s at the start, %s at the end", m.LoadStart, r.LoadEnd)
	b.WriteString(" — other engineers' test suites shared the CPUs, hence interleaved runs and ratios\n")
	fmt.Fprintf(&b, "- first touch of one fresh page of memory: %s (a page fault; it makes every page a program touches part of its start-up time)\n\n", m.FaultCost)
	b.WriteString("| Tool | Version |\n|---|---|\n")
	for _, v := range m.Versions {
		fmt.Fprintf(&b, "| %s | %s |\n", v[0], escape(v[1]))
	}
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "\n### %s\n\n", s.Title)
		if s.Intro != "" {
			b.WriteString(s.Intro + "\n\n")
		}
		if len(s.Header) > 0 {
			b.WriteString("| " + strings.Join(s.Header, " | ") + " |\n")
			b.WriteString(strings.Repeat("|---", len(s.Header)) + "|\n")
			for _, row := range s.Rows {
				cells := make([]string, len(row))
				for i, c := range row {
					cells[i] = escape(c)
				}
				b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
			}
			b.WriteString("\n")
		}
		for _, v := range s.Verdicts {
			b.WriteString("- " + v + "\n")
		}
		for _, n := range s.Notes {
			b.WriteString("- " + n + "\n")
		}
	}
	return b.String()
}

// escape keeps a cell inside its Markdown table column.
func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// The generated part of the output file sits between these lines.
const (
	beginMarker = "<!-- bench:begin (written by make bench; edit outside these markers) -->"
	endMarker   = "<!-- bench:end -->"
)

// updateFile replaces the generated part of path with md, keeping the text
// around it; a missing file is created with a short heading.
func updateFile(path, md string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.WriteFile(path, []byte(splice(string(old), md)), 0o644)
}

// splice puts md between the markers of doc, or builds a new document.
func splice(doc, md string) string {
	block := beginMarker + "\n" + md + endMarker + "\n"
	i := strings.Index(doc, beginMarker)
	j := strings.Index(doc, endMarker)
	if i < 0 || j < i {
		if strings.TrimSpace(doc) == "" {
			doc = "# Benchmarks\n\n"
		}
		return strings.TrimRight(doc, "\n") + "\n\n" + block
	}
	rest := doc[j+len(endMarker):]
	rest = strings.TrimPrefix(rest, "\n")
	return doc[:i] + block + rest
}

// ms formats a duration in milliseconds, with a precision fit for its size.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v >= 1000:
		return fmt.Sprintf("%.2f s", v/1000)
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.2f ms", v)
}

// mib formats bytes in MiB.
func mib(b int64) string {
	if b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

// ratio formats a/b.
func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", float64(a)/float64(b))
}

// verdict states a figure against its target.
func verdict(what string, value, limit float64, unit string) string {
	state := "**met**"
	if value > limit {
		state = "**missed**"
	}
	return fmt.Sprintf("%s: %.2f%s (target ≤ %.2f%s): %s", what, value, unit, limit, unit, state)
}

// verdictAtLeast states a figure against a target it must reach.
func verdictAtLeast(what string, value, limit float64, unit string) string {
	state := "**met**"
	if value < limit {
		state = "**missed**"
	}
	return fmt.Sprintf("%s: %.2f%s (target ≥ %.2f%s): %s", what, value, unit, limit, unit, state)
}

// verdictBelow states a figure against a limit it must stay under.
func verdictBelow(what string, value, limit float64, unit string) string {
	state := "**met**"
	if value >= limit {
		state = "**missed**"
	}
	return fmt.Sprintf("%s: %.2f%s (target < %.2f%s): %s", what, value, unit, limit, unit, state)
}

// comparison builds the usual table of an interleaved comparison: one row
// per series with median, p90, ratio to the reference series, CPU time,
// page faults and, when rss is not nil, a peak RSS column ("–" for the
// series it does not cover).
func comparison(series []Series, ref int, rss []int64) ([]string, [][]string) {
	header := []string{"Tool", "Median", "p90", "× " + series[ref].Name, "CPU (median)", "Page faults"}
	if rss != nil {
		header = append(header, "Peak RSS")
	}
	refMed := series[ref].Summarise().Median
	var rows [][]string
	for i, s := range series {
		st := s.Summarise()
		row := []string{s.Name, ms(st.Median), ms(st.P90), ratio(st.Median, refMed), ms(st.CPU), fmt.Sprint(st.Faults)}
		if rss != nil {
			peak := "–"
			if i < len(rss) {
				peak = mib(rss[i])
			}
			row = append(row, peak)
		}
		rows = append(rows, row)
	}
	return header, rows
}
