package checksum

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/replmon/replmon/internal/checksum/chunks"
	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/read"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/checksum/state"
)

// With --state-file a run is a step of a cycle (see package state): it
// compares again first the key ranges an earlier run found not in sync
// (recheck), records what it compares (record, advance, remember), and
// reports a table it did not reach from what earlier runs found
// (notReached, addRemembered).

// pairKey names one table on one replica.
type pairKey struct {
	table   string
	replica string
}

// recheckOut is what the re-comparison of remembered ranges found for
// one table on one replica.
type recheckOut struct {
	verdict judge.Verdict // worst of the ranges
	ranges  []string      // the ranges still not in sync
	keys    []judge.KeyDiff
}

// recheck compares again, before anything else, every key range of a
// selected table remembered not in sync, each on its replica.
func (c *comparer) recheck(ctx context.Context, tables []plan.TableName) map[pairKey]*recheckOut {
	out := map[pairKey]*recheckOut{}
	if c.st == nil {
		return out
	}
	byName := map[string]plan.TableName{}
	for _, t := range tables {
		byName[t.String()] = t
	}
	linkOf := map[string]int{}
	for i, l := range c.links {
		linkOf[l.Rep.Label] = i
	}
	c.stMu.Lock()
	ranges := slices.Clone(c.st.Ranges)
	c.stMu.Unlock()
	// Half the run at most, so that the cycle goes on however many ranges
	// are remembered.
	until := c.deadline.Add(-c.deadline.Sub(time.Now()) / 2)
	for _, rg := range ranges {
		if time.Now().After(until) {
			break
		}
		t, ok := byName[rg.Table]
		i, linked := linkOf[rg.Replica]
		st := c.srcMeta[t]
		if !ok || !linked || st == nil || rg.Key == nil || !c.env.Fits(0) || c.fatalErr() != nil {
			continue // not selected, not compared in this run, or a whole table: compared first in its turn
		}
		rows := read.NewRows(t, st, c.hashFor(t, st, []int{i}))
		if !slices.Equal(keyNames(rows), rg.Key) {
			c.stMu.Lock()
			c.st.Forget(rg) // the key changed: the table is walked again
			c.stMu.Unlock()
			continue
		}
		c.r.Stage("comparing again %s on %s, %s", t, rg.Replica, plan.DescribeRange(rg.Key, plan.Chunk{Lo: rg.Lo, Hi: rg.Hi}))
		rows.Chunks = []plan.Chunk{{Lo: rg.Lo, Hi: rg.Hi}}
		o := judge.SettleOptions{Retries: c.opts.Retries, Backoff: c.backoff, Confirmations: 1}
		if rt := c.repMeta[i][t]; !st.Transactional() || rt != nil && !rt.Transactional() {
			o.Confirmations = 2
		}
		v := c.env.CompareOn(ctx, rows, 0, []int{i}, []judge.SettleOptions{o}, c.source.With)[0]
		c.env.Refine(ctx, rows, 0, i, o, c.source.With, &v)
		if ctx.Err() != nil {
			continue // still remembered
		}
		c.env.Chunks.Add(1)
		c.remember(t, c.links[i], rows, 0, v)
		k := pairKey{rg.Table, rg.Replica}
		ro := out[k]
		if ro == nil {
			ro = &recheckOut{verdict: judge.Verdict{State: judge.InSync}}
			out[k] = ro
		}
		if v.State != judge.InSync {
			for _, u := range append(slices.Clone(v.Drifted), v.Unsettled...) {
				ro.ranges = append(ro.ranges, rows.Describe(u))
			}
			if len(v.Drifted)+len(v.Unsettled) == 0 {
				ro.ranges = append(ro.ranges, rows.Describe(0))
			}
			if v.State == judge.Drifted && c.opts.ShowRows > 0 {
				r := judge.Result{Verdict: v}
				c.keyLister(c.links[i], c.source.With).List(ctx, st, rows, o, &r)
				ro.keys = append(ro.keys, r.Keys...)
			}
			if judge.Rank(v.State) > judge.Rank(ro.verdict.State) {
				ro.verdict.State, ro.verdict.Why = v.State, v.Why
			}
		}
	}
	return out
}

// record keeps in the state what the comparison of t found on the
// replicas that compared it whole (the walks record their chunks).
func (c *comparer) record(t plan.TableName, res []judge.Result) {
	if c.st == nil {
		return
	}
	c.stMu.Lock()
	defer c.stMu.Unlock()
	whole, walked := false, false
	var rows int64
	for j, r := range res {
		if c.walked[pairKey{t.String(), c.links[j].Rep.Label}] {
			walked = true // its walk keeps the state
			continue
		}
		whole = true
		if r.Method == judge.Rows {
			rows = max(rows, r.Verdict.Source.Rows())
		}
		rg := state.Range{Table: t.String(), Replica: c.links[j].Rep.Label, State: r.Verdict.State.String(),
			Found: state.Time{Time: time.Now()}, Checked: state.Time{Time: time.Now()}, Detail: r.Verdict.Why}
		switch r.Verdict.State {
		case judge.InSync:
			c.st.Forget(rg)
		case judge.Drifted, judge.Missing, judge.Unsettled, judge.Lagging, judge.Structure:
			c.st.Remember(rg)
		}
	}
	if whole && !walked {
		ts := c.st.Table(t.String())
		if !judge.CutShort(res) {
			ts.Done, ts.Cursor = true, nil
			ts.Rows += rows
		}
		ts.Touched = state.Time{Time: time.Now()}
	}
}

// notReached is the result of a table this run did not compare on l:
// without a state, not compared for lack of time; with one, in sync as an
// earlier run of the cycle found it, or not compared yet in this cycle.
func (c *comparer) notReached(t plan.TableName, l *servers.Link) judge.Result {
	r := judge.Result{Table: t, Replica: l.Rep.Label, Filtered: judge.FilteredOut(l.Route.Filters(), t)}
	if c.srcMeta[t] == nil {
		r.Verdict = judge.Verdict{State: judge.Dropped}
		return r
	}
	if c.st == nil {
		r.Verdict = judge.Verdict{State: judge.Incomplete, Why: "the run's time (-t) ended before it"}
		return r
	}
	c.stMu.Lock()
	defer c.stMu.Unlock()
	ts := c.st.Tables[t.String()]
	if ts == nil || ts.Touched.IsZero() {
		r.Verdict = judge.Verdict{State: judge.Pending}
		return r
	}
	r.Verdict = judge.Verdict{State: judge.InSync}
	r.Earlier = "last compared " + ts.Touched.UTC().Format("2006-01-02 15:04:05 UTC")
	if ts.Cursor != nil {
		r.Progress = fmt.Sprintf("%d rows compared in this cycle so far, up to key %s", ts.Rows, chunks.KeyWords(ts.Cursor))
	}
	return r
}

// addRemembered merges into the results of t what the re-comparison of
// remembered ranges found, and the ranges this run did not compare again:
// a drift stays reported until its range is compared again in sync.
func (c *comparer) addRemembered(t plan.TableName, res []judge.Result, rechecked map[pairKey]*recheckOut) {
	if c.st == nil {
		return
	}
	for j := range res {
		r := &res[j]
		k := pairKey{t.String(), r.Replica}
		if ro := rechecked[k]; ro != nil && ro.verdict.State != judge.InSync {
			if judge.Rank(ro.verdict.State) > judge.Rank(r.Verdict.State) || r.Verdict.State == judge.Pending {
				r.Verdict.State, r.Verdict.Why = ro.verdict.State, ro.verdict.Why
				r.Earlier = ""
				if r.Method == "" {
					r.Method = judge.Rows
				}
			}
			r.Ranges = append(r.Ranges, ro.ranges...)
			r.Keys = append(r.Keys, ro.keys...)
		}
		c.stMu.Lock()
		for _, rg := range c.st.Ranges {
			if rg.Table != k.table || rg.Replica != k.replica || !rg.Checked.Before(c.started) {
				continue
			}
			s := judge.ParseState(rg.State)
			r.Ranges = append(r.Ranges, plan.DescribeRange(rg.Key, plan.Chunk{Lo: rg.Lo, Hi: rg.Hi}))
			if judge.Rank(s) > judge.Rank(r.Verdict.State) || r.Verdict.State == judge.Pending {
				r.Verdict.State, r.Verdict.Why = s, rg.Detail
				if r.Method == "" {
					r.Method = judge.Rows
				}
				r.Earlier = fmt.Sprintf("found %s, not compared again in this run", rg.Found.UTC().Format("2006-01-02 15:04:05 UTC"))
			}
		}
		c.stMu.Unlock()
	}
}
