// Package render writes check_repl_checksum's outcome as plugin output:
// the summary line naming what drifted, is missing, unsettled or lagging,
// one long-output line per table and replica that is not in sync (with
// --full-output, per table and replica; otherwise what is in sync is
// counted per replica), and perfdata under labels that do not depend on
// the servers. It is pure: it takes the outcome the
// judge (../judge) decided, table by table, and writes a plugin.Report.
package render

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/plugin"
)

// maxNamed bounds the items the summary line names per kind of problem.
const maxNamed = 3

// Options are the states the command line gives to findings that are not
// definitive.
type Options struct {
	Unsettled plugin.Status // a table still changing after the retries (--unsettled)
	Lagging   plugin.Status // a replica that did not reach the source's coordinates (--lagging)
	// Unreachable is the state of a replica that refuses the connection or
	// the login (--unreachable); the zero value is OK, so set it.
	Unreachable plugin.Status
	// Full lists every table on every replica (--full-output); otherwise
	// what is in sync is counted per replica and only the rest is listed.
	Full bool
	// MaxCycleAge are the WARNING and CRITICAL ages of the oldest
	// comparison the verdict rests on (--max-cycle-age); 0 for none.
	MaxCycleAge [2]time.Duration
}

// status is the plugin state of one result.
func status(s judge.State, o Options) plugin.Status {
	switch s {
	case judge.InSync, judge.Dropped, judge.Pending:
		return plugin.OK
	case judge.Incomplete:
		return plugin.WARNING
	case judge.Drifted, judge.Missing, judge.Structure:
		return plugin.CRITICAL
	case judge.Unsettled:
		return o.Unsettled
	case judge.Lagging:
		return o.Lagging
	default:
		return plugin.UNKNOWN
	}
}

// problem is one kind of finding named in the summary line.
type problem struct {
	status plugin.Status
	title  string // e.g. "drifted"
	items  []string
}

// Render turns an outcome into the summary, long output and perfdata.
func Render(r *plugin.Report, out *judge.Outcome, o Options) {
	counts := map[judge.State]int{}
	retries, rows := 0, int64(0)
	rowsKnown := true // every compared table was hashed by rows, which counts them
	problems := []*problem{
		{status: plugin.CRITICAL, title: "drifted"},
		{status: plugin.CRITICAL, title: "missing"},
		{status: plugin.CRITICAL, title: "structure differs"},
		{status: o.Unreachable, title: "unreachable"},
		{status: o.Unsettled, title: "unsettled"},
		{status: o.Lagging, title: "lagging"},
		{status: plugin.WARNING, title: "filtered"},
		{status: plugin.WARNING, title: "not compared for lack of time"},
		{status: plugin.UNKNOWN, title: "not comparable"},
		{status: plugin.UNKNOWN, title: "errors"},
	}
	byTitle := map[string]*problem{}
	for _, p := range problems {
		byTitle[p.title] = p
	}
	for _, f := range out.Failed {
		// A replica that refuses the connection or the login is an outage
		// (--unreachable, CRITICAL by default, as in the other plugins);
		// other failures leave the comparison undecided.
		p, st := byTitle["errors"], plugin.UNKNOWN
		if f.Unreachable {
			p, st = byTitle["unreachable"], o.Unreachable
		}
		p.items = append(p.items, fmt.Sprintf("replica %s: %v", f.Label, f.Err))
		r.Long("%s replica %s: %v", st, f.Label, f.Err)
	}
	for _, rs := range out.Replicas {
		r.Long("replica %s (%s): %s", rs.Label, rs.Identity, rs.Route)
	}
	// Without --full-output, what is fine is counted (per replica, after
	// the replica lines) and only the rest is listed, so that hundreds of
	// tables in sync leave room within the output bound for what is not.
	inSync := map[string]int{} // by replica, when counted
	var listed []string        // the lines listed after the counts
	line := func(format string, args ...any) {
		if o.Full {
			r.Long(format, args...)
		} else {
			listed = append(listed, fmt.Sprintf(format, args...))
		}
	}
	lagging := map[string][]string{} // replica → tables
	var laggingOrder []string
	dropped := 0
	for ti, res := range out.Results {
		if len(res) > 0 && allDropped(res) {
			dropped++
			line("OK %s: dropped during the run, not compared", out.Tables[ti])
			continue
		}
		tableRows := int64(-1)
		for _, x := range res {
			v := x.Verdict
			counts[v.State]++
			retries += v.Retries
			if x.Method == judge.Rows || x.Method == "" {
				tableRows = max(tableRows, v.Source.Rows())
			}
			name := x.Table.String() + " on " + x.Replica
			st := status(v.State, o)
			if x.Filtered != "" {
				// A filter keeps the table from the replica: whatever the
				// sums say, nothing replicates it.
				st = plugin.Worst(st, plugin.WARNING)
				byTitle["filtered"].items = append(byTitle["filtered"].items, name+" ("+x.Filtered+")")
			}
			if st == plugin.OK && (v.State == judge.InSync || v.State == judge.Pending) && !o.Full {
				if v.State == judge.InSync {
					inSync[x.Replica]++
				}
			} else {
				line("%s %s on %s: %s%s", st, x.Table, x.Replica, detail(x), filteredWords(x))
			}
			switch v.State {
			case judge.Drifted:
				byTitle["drifted"].items = append(byTitle["drifted"].items, name+keysSummary(x))
			case judge.Missing:
				byTitle["missing"].items = append(byTitle["missing"].items, name)
			case judge.Structure:
				byTitle["structure differs"].items = append(byTitle["structure differs"].items, name+" ("+v.Why+")")
			case judge.Unsettled:
				byTitle["unsettled"].items = append(byTitle["unsettled"].items, name)
			case judge.Lagging:
				if _, ok := lagging[x.Replica]; !ok {
					laggingOrder = append(laggingOrder, x.Replica)
				}
				lagging[x.Replica] = append(lagging[x.Replica], x.Table.String())
			case judge.Incomparable:
				byTitle["not comparable"].items = append(byTitle["not comparable"].items, name)
			case judge.Failed:
				byTitle["errors"].items = append(byTitle["errors"].items, name+": "+errText(v.Err))
			case judge.Incomplete:
				byTitle["not compared for lack of time"].items = append(byTitle["not compared for lack of time"].items, name)
			}
		}
		if tableRows >= 0 {
			rows += tableRows
		} else if len(res) > 0 {
			rowsKnown = false // CHECKSUM TABLE does not count rows
		}
	}
	if !o.Full {
		for _, rs := range out.Replicas {
			if n := inSync[rs.Label]; n > 0 {
				r.Long("OK %d %s in sync on %s", n, judge.Plural(n, "table", "tables"), rs.Label)
			}
		}
		for _, l := range listed {
			r.Long("%s", l)
		}
	}
	for _, rep := range laggingOrder {
		ts := lagging[rep]
		byTitle["lagging"].items = append(byTitle["lagging"].items,
			fmt.Sprintf("%s (%d %s not confirmed)", rep, len(ts), judge.Plural(len(ts), "table", "tables")))
	}
	worst := plugin.OK
	for _, p := range problems {
		if len(p.items) > 0 {
			worst = plugin.Worst(worst, p.status)
		}
	}
	if n := counts[judge.NotCompared]; n > 0 {
		worst = plugin.Worst(worst, plugin.UNKNOWN)
		r.Add(plugin.UNKNOWN, "%d %s not compared: timed out (-t)", n, judge.Plural(n, "comparison", "comparisons"))
	}
	for _, p := range problems {
		if len(p.items) > 0 {
			r.Add(p.status, "%s: %s", p.title, nameList(p.items))
		}
	}
	if len(byTitle["not compared for lack of time"].items) > 0 && !out.Cycle.State {
		r.Long("WARNING what -t leaves no time for is never compared: --state-file continues where a run stops, so that a cycle of runs covers every row")
	}
	worst = plugin.Worst(worst, cycleLines(r, out.Cycle, o))
	r.Add(worst, "%s", countsLine(out, counts, dropped))
	r.Perf(
		plugin.Perf{Label: "tables", Value: float64(len(out.Tables)), Min: plugin.Float(0)},
		plugin.Perf{Label: "in_sync", Value: float64(counts[judge.InSync]), Min: plugin.Float(0)},
		plugin.Perf{Label: "drifted", Value: float64(counts[judge.Drifted] + counts[judge.Missing] + counts[judge.Structure]), Min: plugin.Float(0)},
		plugin.Perf{Label: "unsettled", Value: float64(counts[judge.Unsettled]), Min: plugin.Float(0)},
		plugin.Perf{Label: "lagging", Value: float64(counts[judge.Lagging]), Min: plugin.Float(0)},
		plugin.Perf{Label: "errors", Value: float64(errorCount(out, counts)), Min: plugin.Float(0)},
		plugin.Perf{Label: "retries", Value: float64(retries), Min: plugin.Float(0)},
		plugin.Perf{Label: "rows", Value: rowsPerf(rows, rowsKnown), Min: plugin.Float(0)},
		plugin.Perf{Label: "time", Value: roundSeconds(out.Elapsed.Seconds()), Unit: "s", Min: plugin.Float(0)},
		plugin.Perf{Label: "coverage", Value: math.Floor(out.Cycle.Coverage*1000) / 10, Unit: "%", Min: plugin.Float(0), Max: plugin.Float(100)},
		cycleAgePerf(out.Cycle, o),
		plugin.Perf{Label: "chunks", Value: float64(out.Cycle.Chunks), Min: plugin.Float(0)},
		plugin.Perf{Label: "throttled", Value: roundSeconds(out.Cycle.Throttled.Seconds()), Unit: "s", Min: plugin.Float(0)},
	)
}

// cycleLines writes the long-output lines of the cycle and judges its age
// against --max-cycle-age; it returns the state they add.
func cycleLines(r *plugin.Report, cy judge.Cycle, o Options) plugin.Status {
	worst := plugin.OK
	for _, n := range cy.Notes {
		r.Long("%s", n)
	}
	if cy.SaveErr != "" {
		worst = plugin.WARNING
		r.Add(plugin.WARNING, "progress not saved: %s", cy.SaveErr)
	}
	age := cy.Age.Round(time.Second)
	if cy.State {
		r.Long("cycle %d: %.1f%% covered, the oldest comparison the verdict rests on is %s old; this run: %d %s, paused %s",
			cy.Number, math.Floor(cy.Coverage*1000)/10, age, cy.Chunks, judge.Plural(cy.Chunks, "chunk", "chunks"), cy.Throttled.Round(time.Millisecond))
	} else if cy.Throttled > 0 {
		r.Long("paused %s (--max-lag, --max-load)", cy.Throttled.Round(time.Millisecond))
	}
	for i, st := range []plugin.Status{plugin.CRITICAL, plugin.WARNING} {
		limit := o.MaxCycleAge[1-i]
		if limit > 0 && cy.Age > limit {
			msg := fmt.Sprintf("the oldest comparison the verdict rests on is %s old, above --max-cycle-age %s: the check does not keep up with the data", age, short(limit))
			r.Add(st, "%s", msg)
			r.Long("%s %s", st, msg)
			return plugin.Worst(worst, st)
		}
	}
	return worst
}

// short writes a duration as an administrator gives it: 2d, 12h, 90m, or
// Go's notation when it is not whole.
func short(d time.Duration) string {
	for _, u := range []struct {
		d    time.Duration
		unit string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if d >= u.d && d%u.d == 0 {
			return fmt.Sprintf("%d%s", d/u.d, u.unit)
		}
	}
	return d.String()
}

// cycleAgePerf is the cycle_age perfdata, with --max-cycle-age.
func cycleAgePerf(cy judge.Cycle, o Options) plugin.Perf {
	p := plugin.Perf{Label: "cycle_age", Value: math.Round(cy.Age.Seconds()), Unit: "s", Min: plugin.Float(0)}
	if o.MaxCycleAge[0] > 0 {
		p.Warn = plugin.MustThreshold(fmt.Sprintf("%d", int64(o.MaxCycleAge[0].Seconds())))
	}
	if o.MaxCycleAge[1] > 0 {
		p.Crit = plugin.MustThreshold(fmt.Sprintf("%d", int64(o.MaxCycleAge[1].Seconds())))
	}
	return p
}

// rowsPerf is the rows perfdata value: U (NaN) unless every table was
// counted, so that a graph never shows a partial sum as the table's size.
func rowsPerf(rows int64, known bool) float64 {
	if !known {
		return math.NaN()
	}
	return float64(rows)
}

func allDropped(res []judge.Result) bool {
	for _, x := range res {
		if x.Verdict.State != judge.Dropped {
			return false
		}
	}
	return true
}

func errorCount(out *judge.Outcome, counts map[judge.State]int) int {
	return len(out.Failed) + counts[judge.Failed] + counts[judge.Incomparable] + counts[judge.NotCompared]
}

// countsLine is the part of the summary every run has.
func countsLine(out *judge.Outcome, counts map[judge.State]int, dropped int) string {
	nrep := len(out.Replicas)
	s := fmt.Sprintf("%d %s compared on %d %s: %d in sync, %d drifted, %d unsettled",
		len(out.Tables)-dropped, judge.Plural(len(out.Tables)-dropped, "table", "tables"),
		nrep, judge.Plural(nrep, "replica", "replicas"),
		counts[judge.InSync], counts[judge.Drifted]+counts[judge.Missing]+counts[judge.Structure], counts[judge.Unsettled])
	if n := counts[judge.Lagging]; n > 0 {
		s += fmt.Sprintf(", %d lagging", n)
	}
	if n := counts[judge.Incomplete]; n > 0 {
		s += fmt.Sprintf(", %d not compared for lack of time", n)
	}
	if n := counts[judge.Pending]; n > 0 {
		s += fmt.Sprintf(", %d not compared yet in this cycle", n)
	}
	s += fmt.Sprintf(", %d %s", errorCount(out, counts), judge.Plural(errorCount(out, counts), "error", "errors"))
	if dropped > 0 {
		s += fmt.Sprintf(", %d dropped during the run", dropped)
	}
	return s
}

// nameList names up to maxNamed items and counts the rest.
func nameList(items []string) string {
	if len(items) <= maxNamed {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:maxNamed], ", ") + fmt.Sprintf(" and %d more", len(items)-maxNamed)
}

// keysSummary lists the first differing keys for the summary line.
func keysSummary(x judge.Result) string {
	if len(x.Keys) == 0 {
		return ""
	}
	n := min(len(x.Keys), 3)
	parts := make([]string, n)
	for i, k := range x.Keys[:n] {
		parts[i] = k.Key + " " + k.Kind.String()
	}
	more := len(x.Keys) - n + x.MoreKeys
	s := " (" + strings.Join(parts, ", ")
	if more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s + ")"
}

// detail is the long-output account of one result after its state.
func detail(x judge.Result) string {
	v := x.Verdict
	var parts []string
	method := string(x.Method)
	if x.Note != "" {
		method += " (" + x.Note + ")"
	}
	switch v.State {
	case judge.Failed:
		return "error: " + errText(v.Err)
	case judge.Missing, judge.Dropped:
		return v.State.String()
	case judge.NotCompared:
		return "not compared: " + v.Why
	case judge.Pending:
		return v.State.String()
	case judge.Incomplete:
		if x.Progress != "" {
			return v.State.String() + " (" + x.Progress + ")"
		}
		return v.State.String() + " (" + v.Why + ")"
	case judge.Structure:
		return "structure differs: " + v.Why
	case judge.Incomparable:
		return "not comparable: " + sumsWords(x) + "; " + v.Why
	}
	parts = append(parts, method)
	if len(v.Source) > 0 || x.Method != judge.Rows {
		parts = append(parts, sumsWords(x))
	}
	switch v.State {
	case judge.Drifted:
		if x.Chunks > 1 && len(v.Drifted) > 0 {
			parts = append(parts, fmt.Sprintf("%d of %d chunks differ", len(v.Drifted), x.Chunks))
		}
		if len(v.Unsettled) > 0 {
			parts = append(parts, fmt.Sprintf("%d still changing", len(v.Unsettled)))
		}
	case judge.Unsettled:
		if x.Chunks > 1 {
			parts = append(parts, fmt.Sprintf("%d of %d chunks not confirmed", len(v.Unsettled), x.Chunks))
		}
	}
	if v.Retries > 0 && v.State != judge.Unsettled {
		parts = append(parts, fmt.Sprintf("%d %s", v.Retries, judge.Plural(v.Retries, "retry", "retries")))
	}
	if v.Why != "" {
		parts = append(parts, v.Why)
	}
	if len(x.Ranges) > 0 {
		parts = append(parts, "key "+judge.Plural(len(x.Ranges), "range", "ranges")+" "+strings.Join(x.Ranges, ", "))
	}
	if len(x.Keys) > 0 {
		ks := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			ks[i] = k.Key + " " + k.Kind.String()
		}
		s := "differing keys: " + strings.Join(ks, ", ")
		if x.MoreKeys > 0 {
			s += fmt.Sprintf(" and %d more", x.MoreKeys)
		}
		parts = append(parts, s)
	}
	if x.KeysNote != "" {
		parts = append(parts, x.KeysNote)
	}
	if x.Progress != "" {
		parts = append(parts, x.Progress)
	}
	if x.Earlier != "" {
		parts = append(parts, x.Earlier)
	}
	if v.Err != nil {
		parts = append(parts, "then: "+errText(v.Err))
	}
	return v.State.String() + " (" + strings.Join(parts, "; ") + ")"
}

// filteredWords is the warning of a table a replication filter excludes.
func filteredWords(x judge.Result) string {
	if x.Filtered == "" {
		return ""
	}
	s := "; excluded by a replication filter (" + x.Filtered + "): nothing replicates it"
	if x.Verdict.State == judge.InSync {
		s += ", so nothing proves it in sync"
	}
	return s
}

// sumsWords shows the checksums or row counts compared.
func sumsWords(x judge.Result) string {
	v := x.Verdict
	if x.Method == judge.ColumnLists {
		return "no data compared"
	}
	if x.Method == judge.ChecksumTable {
		s, r := v.Source[0].Value, v.Replica[0].Value
		if s == r || r == "" {
			return "checksum " + s
		}
		return fmt.Sprintf("checksum %s on the source, %s on the replica", s, r)
	}
	sr, rr := v.Source.Rows(), v.Replica.Rows()
	chunks := ""
	if x.Chunks > 1 {
		chunks = fmt.Sprintf(" in %d chunks", x.Chunks)
	}
	if sr == rr || len(v.Replica) < len(v.Source) {
		return fmt.Sprintf("%d %s%s", sr, judge.Plural(int(sr), "row", "rows"), chunks)
	}
	return fmt.Sprintf("%d %s on the source, %d on the replica%s", sr, judge.Plural(int(sr), "row", "rows"), rr, chunks)
}

func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

func roundSeconds(s float64) float64 {
	return float64(int64(s*1000+0.5)) / 1000
}
