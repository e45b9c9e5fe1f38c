package checksum

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/checksum/chunks"
	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/read"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/checksum/state"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/query"
)

// comparer compares the selected tables between the source and the
// replicas that answered: every table on every replica, grouped by the
// method chosen for each replica, through the judge's engine.
type comparer struct {
	opts     Options
	r        *plugin.Report
	deadline time.Time // end of the work
	source   *servers.Node
	links    []*servers.Link
	srcMeta  map[plan.TableName]*plan.TableInfo   // the source's tables
	repMeta  []map[plan.TableName]*plan.TableInfo // each link's tables

	mu    sync.Mutex
	fatal error // an error that makes every further comparison pointless

	st      *state.File // --state-file's state, nil without; under stMu
	stMu    sync.Mutex
	env     *chunks.Env // the comparisons' servers, deadline and chunk settings
	started time.Time   // start of the run
	// completed is set when this run compared the last table of the
	// state's cycle: the next cycle starts once the verdict is taken.
	completed bool
	// walked are the tables on replicas compared in chunks in this run
	// (under stMu), and done the share of each table compared.
	walked map[pairKey]bool
	done   map[string]float64
}

// setFatal records the first error that ends the run.
func (c *comparer) setFatal(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fatal == nil {
		c.fatal = err
	}
}

// fatalErr returns the error that ends the run, if any.
func (c *comparer) fatalErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fatal
}

// all compares the tables, --parallel at once, until done, the deadline
// or a fatal error. Without a state the run goes through the tables in
// order; with one it compares first the ranges remembered not in sync,
// then continues the cycle where the last run stopped, up to its end. Tables the run did not reach
// are reported from what is known of them (notReached).
func (c *comparer) all(ctx context.Context, tables []plan.TableName) [][]judge.Result {
	results := make([][]judge.Result, len(tables))
	pos := map[string]int{}
	names := make([]string, len(tables))
	for i, t := range tables {
		pos[t.String()], names[i] = i, t.String()
	}
	rechecked := c.recheck(ctx, tables)
	stop := func() bool { return c.fatalErr() != nil || !c.env.Fits(0) }
	run := func(order []int) {
		chunks.ForEach(ctx, len(order), c.opts.Parallel, stop, func(k int) {
			i := order[k]
			c.r.Stage("comparing %s (%d of %d tables)", tables[i], k+1, len(order))
			res := c.table(ctx, tables[i])
			if ctx.Err() != nil {
				for j := range res {
					timedOut(&res[j].Verdict)
				}
			}
			c.record(tables[i], res)
			results[i] = res // each call writes its own index
		})
	}
	if c.st == nil {
		order := make([]int, len(tables))
		for i := range order {
			order[i] = i
		}
		run(order)
	} else {
		c.st.Prune(names)
		// Tables remembered not in sync as a whole come first.
		var order []int
		first := map[int]bool{}
		for _, r := range c.st.Ranges {
			if i, ok := pos[r.Table]; ok && r.Key == nil && !first[i] {
				first[i] = true
				order = append(order, i)
			}
		}
		for _, name := range c.st.Pending(names) {
			if !first[pos[name]] {
				order = append(order, pos[name])
			}
		}
		run(order)
		// The cycle is complete: the run reports it (coverage 100) and the
		// next run starts the next cycle.
		c.completed = c.fatalErr() == nil && len(c.st.Pending(names)) == 0
	}
	for i, res := range results {
		if res == nil {
			results[i] = make([]judge.Result, len(c.links))
			for j, l := range c.links {
				results[i][j] = c.notReached(tables[i], l)
			}
		}
		c.addRemembered(tables[i], results[i], rechecked)
	}
	return results
}

// timedOut turns an error of a comparison cut by the end of the run (the
// driver reports a cancelled statement in several ways) into "not compared
// for lack of time".
func timedOut(v *judge.Verdict) {
	if v.State == judge.Failed {
		v.State, v.Why, v.Err = judge.Incomplete, "the run's time (-t) ended during the comparison", nil
	}
}

// backoff is the pause before retry n: 50ms doubling, with jitter, within
// a tenth of the time left.
func (c *comparer) backoff(n int) time.Duration {
	d := 50 * time.Millisecond << min(n-1, 6)
	d += time.Duration(rand.Int64N(int64(d)/2 + 1))
	return min(d, time.Until(c.deadline)/10)
}

// group is the replicas of one table compared with one method.
type group struct {
	kind  string // kindStructure, kindRows, kindWhole, or the checksum-table method
	idx   []int  // indexes into c.links
	opts  []judge.SettleOptions
	notes []string
}

// The kinds of group besides CHECKSUM TABLE.
const (
	kindStructure = "structure"         // the column lists differ
	kindRows      = string(judge.Rows)  // the rows method in chunks
	kindWhole     = "rows in one chunk" // the rows method where the key collates differently
	kindChunked   = "rows in chunks"    // the rows method, walking the key within the run's budget
)

// table compares one table on every replica.
func (c *comparer) table(ctx context.Context, t plan.TableName) []judge.Result {
	results := make([]judge.Result, len(c.links))
	for i, l := range c.links {
		results[i] = judge.Result{Table: t, Replica: l.Rep.Label, Filtered: judge.FilteredOut(l.Route.Filters(), t)}
	}
	st := c.srcMeta[t]
	if st == nil {
		for i := range results {
			results[i].Verdict = judge.Verdict{State: judge.Dropped}
		}
		return results
	}
	exec := servers.Exec(c.source.With)
	if c.opts.Lock {
		lk, err := chunks.LockTable(ctx, c.source, t, c.opts.LockWait)
		if err != nil {
			var refused *chunks.LockRefusedError
			if errors.As(err, &refused) {
				c.setFatal(err)
			}
			for i := range results {
				results[i].Verdict = judge.SourceFailure(err)
			}
			return results
		}
		defer lk.Release()
		exec = lk.With
	}
	groups := map[string]*group{}
	add := func(kind string, i int, o judge.SettleOptions, note string) {
		g := groups[kind]
		if g == nil {
			g = &group{kind: kind}
			groups[kind] = g
		}
		g.idx = append(g.idx, i)
		g.opts = append(g.opts, o)
		g.notes = append(g.notes, note)
	}
	chunked := c.chunked(t, st)
	for i, l := range c.links {
		rt := c.repMeta[i][t]
		o := judge.SettleOptions{Retries: c.opts.Retries, Backoff: c.backoff, Confirmations: 1}
		if !st.Transactional() || rt != nil && !rt.Transactional() {
			o.Confirmations = 2
		}
		if rt != nil && !judge.SameColumnNames(st, rt) {
			add(kindStructure, i, o, "")
			continue
		}
		ch := judge.ChooseMethod(c.opts.Method, c.source.ID, l.Rep.ID, st, rt)
		o.Incomparable = ch.Incomparable
		kind, note := string(ch.Method), ch.Note
		why := judge.KeyCollations(st, rt)
		switch {
		case ch.Method == judge.Rows && why != "":
			kind, note = kindWhole, joinNotes(note, why)
		case chunked && why == "" && (ch.Method == judge.Rows || c.opts.Method == judge.Auto):
			// Version-independent: CHECKSUM TABLE's limits do not apply.
			kind, o.Incomparable = kindChunked, ""
			if ch.Method != judge.Rows {
				note = fmt.Sprintf("about %d rows: compared in chunks", st.EstRows)
			}
		case len(st.PK) == 0 && (ch.Method == judge.Rows || st.EstRows > autoWholeRows):
			// Where a key would have cut it into chunks.
			note = joinNotes(note, "no primary key or NOT NULL unique key: compared whole")
		}
		add(kind, i, o, note)
	}
	var wg sync.WaitGroup
	for _, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.runGroup(ctx, t, st, g, exec, results)
		}()
	}
	wg.Wait()
	return results
}

// need is what the source's coordinates must hold for the links idx.
func (c *comparer) need(idx []int) servers.Need {
	links := make([]*servers.Link, len(idx))
	for k, i := range idx {
		links[k] = c.links[i]
	}
	return servers.NeedOf(links)
}

// runGroup compares one table on the replicas of one group.
func (c *comparer) runGroup(ctx context.Context, t plan.TableName, st *plan.TableInfo, g *group, exec servers.Exec, results []judge.Result) {
	if g.kind == kindChunked {
		c.walkGroup(ctx, t, st, g, exec, results)
		for k, i := range g.idx {
			results[i].Note = joinNotes(g.notes[k], results[i].Note)
		}
		return
	}
	var m read.Method
	var rows *read.Rows
	switch g.kind {
	case kindStructure:
		m = &read.Structure{Table: t}
	case kindRows, kindWhole:
		var err error
		rows, err = c.newRows(ctx, t, st, exec, g.kind == kindWhole)
		if err != nil {
			for _, i := range g.idx {
				results[i].Method = judge.Rows
				results[i].Verdict = judge.SourceFailure(err)
			}
			return
		}
		m = rows
	default:
		quick := map[*servers.Node]bool{c.source: st.LiveChecksum()}
		for _, i := range g.idx {
			if rt := c.repMeta[i][t]; rt != nil {
				quick[c.links[i].Rep] = rt.LiveChecksum()
			}
		}
		m = &read.ChecksumTable{Table: t, Quick: quick}
	}
	src := chunks.SourceSide(ctx, c.opts.Parallel, m, c.source, exec, c.need(g.idx))
	reps := make([]judge.ReplicaSide, len(g.idx))
	for k, i := range g.idx {
		reps[k] = &chunks.ReplicaSide{Link: c.links[i], M: m, SrcExec: exec, Parallel: c.opts.Parallel}
	}
	vs := judge.Compare(ctx, src, reps, m.Units(), g.opts)
	var wg sync.WaitGroup
	for k, i := range g.idx {
		r := &results[i]
		r.Verdict, r.Note, r.Chunks = vs[k], g.notes[k], len(m.Units())
		switch g.kind {
		case kindStructure:
			r.Method = judge.ColumnLists
			if r.Verdict.State == judge.Drifted {
				r.Verdict.State = judge.Structure
				r.Verdict.Why = judge.ColumnDifference(r.Verdict.Source[0].Value, r.Verdict.Replica[0].Value)
			} else if r.Verdict.State == judge.InSync {
				// The columns matched after all (a DDL was on its way): compare the data.
				r.Verdict.State = judge.NotCompared
				r.Verdict.Why = "columns changed during the run"
			}
			continue
		case kindRows, kindWhole:
			r.Method = judge.Rows
		default:
			r.Method = judge.ChecksumTable
		}
		if r.Verdict.State != judge.Drifted {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs := rows
			if rs == nil {
				// CHECKSUM TABLE found it: the rows decide.
				if rs = c.confirmByRows(ctx, t, st, c.repMeta[i][t], exec, c.links[i], g.opts[k], r); rs == nil || r.Verdict.State != judge.Drifted {
					return
				}
			}
			if c.opts.ShowRows > 0 {
				c.keyLister(c.links[i], exec).List(ctx, st, rs, g.opts[k], r)
			}
		}()
	}
	wg.Wait()
}

// confirmByRows settles with the rows method a difference CHECKSUM TABLE
// found on one replica. CHECKSUM TABLE sums records as they are stored,
// and the same rows can be stored differently on two servers even where
// information_schema shows the same engine, row format and column types
// (a table rebuilt with an explicit ROW_FORMAT, MySQL's old temporal
// formats). The result's verdict becomes the rows' verdict, with the
// CHECKSUM TABLE values in its note. It returns the rows method used, or
// nil when the rows could not be planned: the CHECKSUM TABLE verdict then
// stays, with the reason.
func (c *comparer) confirmByRows(ctx context.Context, t plan.TableName, st, rt *plan.TableInfo, exec servers.Exec, l *servers.Link,
	o judge.SettleOptions, r *judge.Result) *read.Rows {
	ct := r.Verdict
	rows, err := c.newRows(ctx, t, st, exec, judge.KeyCollations(st, rt) != "")
	if err != nil {
		r.KeysNote = "not confirmed by the rows method: " + err.Error()
		return nil
	}
	rep := &chunks.ReplicaSide{Link: l, M: rows, SrcExec: exec, Parallel: c.opts.Parallel}
	src := chunks.SourceSide(ctx, c.opts.Parallel, rows, c.source, exec, l.Route.Need())
	v := judge.Compare(ctx, src, []judge.ReplicaSide{rep}, rows.Units(), []judge.SettleOptions{o})[0]
	v.Retries += ct.Retries
	if v.State == judge.InSync && v.Why == "" {
		v.Why = "every row equal: the copies differ in storage only, which CHECKSUM TABLE sums"
	}
	r.Method, r.Chunks, r.Verdict = judge.Rows, len(rows.Units()), v
	r.Note = fmt.Sprintf("CHECKSUM TABLE %s on the source, %s on the replica", ct.Source[0].Value, ct.Replica[0].Value)
	return rows
}

// newRows is the rows method for t, its chunks planned on the source with
// exec; whole keeps the table in one chunk.
func (c *comparer) newRows(ctx context.Context, t plan.TableName, st *plan.TableInfo, exec servers.Exec, whole bool) (*read.Rows, error) {
	rows := read.NewRows(t, st, c.hashFor(t, st, nil))
	if whole {
		return rows, nil
	}
	err := exec(ctx, func(s query.Session) error { return rows.PlanChunks(ctx, s, c.source, c.opts.ChunkSize, st.EstRows) })
	return rows, err
}

// joinNotes joins the notes that are not empty.
func joinNotes(notes ...string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}

// hashFor returns the rows method's hash options for t on the replicas idx
// (indexes into c.links; nil: every replica).
func (c *comparer) hashFor(t plan.TableName, st *plan.TableInfo, idx []int) plan.HashOptions {
	o := c.opts.hashOptions()
	var rts []*plan.TableInfo
	for i := range c.links {
		if idx == nil || slices.Contains(idx, i) {
			rts = append(rts, c.repMeta[i][t])
		}
	}
	o.SameCharsets = judge.SameCharsets(st, rts)
	return o
}
