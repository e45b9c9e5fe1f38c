package checksum

import (
	"context"
	"slices"
	"time"

	"github.com/replmon/replmon/internal/checksum/chunks"
	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/read"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/checksum/state"
)

// A table with a key is compared chunk by chunk along it within the run's
// budget (package chunks); here the walk is started where the state says,
// and followed into the state and the results.

// autoWholeRows is the largest table (estimated rows) that --method auto
// compares whole with CHECKSUM TABLE; a larger table with a key is
// compared with the rows method in chunks.
const autoWholeRows = 100000

// start returns where the walk of t starts: from the state's cursor when
// the state is of the same key, else from the beginning.
func (c *comparer) start(t plan.TableName, rows *read.Rows) chunks.Start {
	w := chunks.Start{Size: c.opts.ChunkSize}
	if c.st == nil {
		return w
	}
	c.stMu.Lock()
	defer c.stMu.Unlock()
	ts := c.st.Tables[t.String()]
	if ts == nil {
		return w
	}
	if ts.Chunk > 0 && c.opts.ChunkTime > 0 {
		w.Size = ts.Chunk
	}
	if ts.Cursor != nil && slices.Equal(ts.Key, keyNames(rows)) {
		w.Cursor = ts.Cursor
	} else if ts.Cursor != nil {
		// The key changed since (ALTER TABLE): the table starts again.
		ts.Cursor, ts.Rows = nil, 0
	}
	return w
}

// keyNames lists the key columns of a rows method.
func keyNames(rows *read.Rows) []string {
	out := make([]string, len(rows.PK))
	for i, k := range rows.PK {
		out[i] = k.Name
	}
	return out
}

// chunked reports whether t is compared in chunks along its key: with the
// rows method, or by --method auto when it is too large for one CHECKSUM
// TABLE or a state file holds a walk through it.
func (c *comparer) chunked(t plan.TableName, st *plan.TableInfo) bool {
	if len(st.PK) == 0 {
		return false
	}
	switch c.opts.Method {
	case judge.Rows:
		return true
	case judge.Auto:
		if st.EstRows > autoWholeRows {
			return true
		}
		if c.st != nil {
			c.stMu.Lock()
			defer c.stMu.Unlock()
			ts := c.st.Tables[t.String()]
			return ts != nil && ts.Cursor != nil
		}
	}
	return false
}

// walkGroup compares t chunk by chunk on the replicas of g until its end
// or the deadline, and writes each replica's result.
func (c *comparer) walkGroup(ctx context.Context, t plan.TableName, st *plan.TableInfo, g *group, exec servers.Exec, results []judge.Result) {
	rows := read.NewRows(t, st, c.hashFor(t, st, g.idx))
	w := c.start(t, rows)
	wk := c.env.Walk(ctx, rows, w, g.idx, g.opts, exec, &walkHooks{c: c, t: t, g: g})
	c.stMu.Lock()
	for _, i := range g.idx {
		c.walked[pairKey{t.String(), c.links[i].Rep.Label}] = true
	}
	if wk.Done {
		c.done[t.String()] = 1
	} else {
		c.done[t.String()] = float64(wk.Compared) / float64(max(st.EstRows, wk.Compared+1))
	}
	c.stMu.Unlock()
	for k, i := range g.idx {
		r := &results[i]
		r.Method, r.Chunks = judge.Rows, len(rows.Chunks)
		v := wk.Verdicts[k]
		if !wk.Done && (wk.Cut || v.State == judge.InSync) && v.State != judge.Drifted {
			r.Progress = chunks.Progress(rows, wk.Cursor, wk.Compared, st.EstRows, w.Cursor != nil)
			if c.st == nil && v.State == judge.InSync {
				v.State, v.Why = judge.Incomplete, "the run's time (-t) ended first"
			}
		}
		for _, u := range append(slices.Clone(v.Drifted), v.Unsettled...) {
			if ch := rows.Chunks[u]; ch.Lo != nil || ch.Hi != nil {
				r.Ranges = append(r.Ranges, rows.Describe(u))
			}
		}
		r.Verdict = v
	}
	c.listKeys(ctx, st, g, exec, rows, results)
}

// listKeys lists the differing keys of the replicas of g found drifted.
func (c *comparer) listKeys(ctx context.Context, st *plan.TableInfo, g *group, exec servers.Exec, rows *read.Rows, results []judge.Result) {
	if c.opts.ShowRows == 0 {
		return
	}
	for k, i := range g.idx {
		r := &results[i]
		if r.Verdict.State != judge.Drifted || len(r.Verdict.Drifted) == 0 {
			continue
		}
		kl := c.keyLister(c.links[i], exec)
		kl.List(ctx, st, rows, g.opts[k], r)
	}
}

// keyLister lists differing keys on link l, reading the source with exec.
func (c *comparer) keyLister(l *servers.Link, exec servers.Exec) *chunks.KeyLister {
	return &chunks.KeyLister{Source: c.source, Link: l, Exec: exec, Parallel: c.opts.Parallel, Limit: c.opts.ShowRows, Deadline: c.deadline}
}

// walkHooks follows one walk into the state.
type walkHooks struct {
	c *comparer
	t plan.TableName
	g *group
}

// Advance implements chunks.Hooks.
func (h *walkHooks) Advance(rows *read.Rows, hi []string, n int64, size int, end bool) {
	h.c.advance(h.t, rows, hi, n, size, end)
}

// Remember implements chunks.Hooks.
func (h *walkHooks) Remember(k int, rows *read.Rows, u int, v judge.Verdict) {
	h.c.remember(h.t, h.c.links[h.g.idx[k]], rows, u, v)
}

// advance records in the state that t was compared up to hi (n rows, with
// chunks of size rows); end: to its end.
func (c *comparer) advance(t plan.TableName, rows *read.Rows, hi []string, n int64, size int, end bool) {
	if c.st == nil {
		return
	}
	c.stMu.Lock()
	defer c.stMu.Unlock()
	ts := c.st.Table(t.String())
	ts.Rows += n
	ts.Chunk = size
	ts.Touched = state.Time{Time: time.Now()}
	ts.Key = keyNames(rows)
	if end {
		ts.Done, ts.Cursor = true, nil
		if c.st.Current == t.String() {
			c.st.Current = ""
		}
		return
	}
	ts.Cursor = hi
	c.st.Current = t.String()
}

// remember records unit u's verdict on link l in the state: a range not
// in sync is kept (and compared again first by the next run), one in sync
// forgotten.
func (c *comparer) remember(t plan.TableName, l *servers.Link, rows *read.Rows, u int, v judge.Verdict) {
	if c.st == nil {
		return
	}
	rangeOf := func(u int, s judge.State) state.Range {
		ch := rows.Chunks[u]
		return state.Range{Table: t.String(), Replica: l.Rep.Label, Key: keyNames(rows), Lo: ch.Lo, Hi: ch.Hi,
			State: s.String(), Detail: v.Why, Checked: state.Time{Time: time.Now()}, Found: state.Time{Time: time.Now()}}
	}
	c.stMu.Lock()
	defer c.stMu.Unlock()
	c.st.Forget(rangeOf(u, v.State))
	// Ranges remembered inside this chunk are decided by its comparison:
	// in sync, or drifted where its narrowest drifted parts are.
	if v.State == judge.InSync || v.State == judge.Drifted && len(v.Unsettled) == 0 {
		ch := rows.Chunks[u]
		c.st.Ranges = slices.DeleteFunc(c.st.Ranges, func(rg state.Range) bool {
			return rg.Table == t.String() && rg.Replica == l.Rep.Label && slices.Equal(rg.Key, keyNames(rows)) &&
				integerKey(rows) && rg.Within(ch.Lo, ch.Hi)
		})
	}
	switch v.State {
	case judge.Drifted, judge.Missing, judge.Unsettled, judge.Lagging, judge.Structure:
		if len(v.Drifted)+len(v.Unsettled) == 0 {
			c.st.Remember(rangeOf(u, v.State))
		}
		for _, d := range v.Drifted {
			c.st.Remember(rangeOf(d, judge.Drifted))
		}
		for _, d := range v.Unsettled {
			c.st.Remember(rangeOf(d, judge.Unsettled))
		}
	}
}

// integerKey reports whether the key is a single integer column, whose
// ranges the state can compare (others compare by their collation, which
// only the server knows: such ranges are kept until compared again).
func integerKey(rows *read.Rows) bool {
	return len(rows.PK) == 1 && plan.IsInteger(rows.PK[0].DataType)
}
