package checksum

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/read"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/checksum/state"
	"github.com/replmon/replmon/internal/query"
)

// A table with a key is walked chunk by chunk along it (walkGroup): the
// next chunk's upper bound is read on the source (the key --chunk-size
// rows further), the chunk is compared on every replica of the group at
// once through the judge's engine, and the chunk size adapts so that one
// chunk takes about --chunk-time. The walk stops starting chunks when the
// next one would not end before the run's deadline; with --state-file
// the next run continues from the last key compared.
//
// The last chunk is closed at the source's highest key, then a tail after
// it is compared: rows a replica holds past the source's last key are
// drift, but rows the source is inserting past its end (an auto-increment
// key under writes) are not confirmed in this cycle, which is no finding.
//
// A chunk still changing after the retries is split in two along the key
// and each half compared again, down to single rows: writes spread over a
// hot key range settle in narrower chunks; only a row that changes all
// the time stays unsettled (--lock-chunk compares it under a locking
// read).

// Chunk sizes, in rows.
const (
	minChunkRows = 100
	maxChunkRows = 2000000
	// autoWholeRows is the largest table (estimated rows) that --method
	// auto compares whole with CHECKSUM TABLE; a larger table with a key
	// is compared with the rows method in chunks.
	autoWholeRows = 100000
	// maxSplits bounds how often a chunk that keeps changing is halved.
	maxSplits = 12
)

// walkStart is where a table's walk starts in this run.
type walkStart struct {
	cursor []string // the last key compared; nil: from the start
	size   int      // rows of the first chunk
}

// start returns where the walk of t starts: from the state's cursor when
// the state is of the same key, else from the beginning.
func (c *comparer) start(t plan.TableName, rows *read.Rows) walkStart {
	w := walkStart{size: c.opts.ChunkSize}
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
		w.size = ts.Chunk
	}
	if ts.Cursor != nil && slices.Equal(ts.Key, keyNames(rows)) {
		w.cursor = ts.Cursor
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

// walkGroup compares t chunk by chunk on the replicas of g until its end,
// the deadline or the first fatal error, and writes each replica's result.
func (c *comparer) walkGroup(ctx context.Context, t plan.TableName, st *plan.TableInfo, g *group, exec servers.Exec, results []judge.Result) {
	rows := read.NewRows(t, st, c.opts.hashOptions())
	rows.Chunks = nil
	w := c.start(t, rows)
	agg := make([]judge.Verdict, len(g.idx))
	for k := range agg {
		agg[k] = judge.Verdict{Source: judge.Sums{}, Replica: judge.Sums{}}
	}
	active := make([]int, len(g.idx)) // positions in g.idx still compared
	for k := range active {
		active[k] = k
	}
	cursor, size := w.cursor, w.size
	var last time.Duration
	var walked int64
	done, tail, cut := false, false, false
	var reserve time.Duration // kept for listing the keys of a drift found
	for len(active) > 0 && !done {
		if !c.fits(last + reserve) {
			cut = true
			break
		}
		c.throttle.wait(ctx, c)
		var hi []string
		if !tail {
			var err error
			if hi, err = c.boundary(ctx, exec, rows, cursor, size); err != nil {
				for _, k := range active {
					agg[k] = judge.SourceFailure(err)
				}
				break
			}
			tail = hi == nil
			if tail && cursor == nil {
				// The whole table fits in one chunk: no bounds, no tail.
				hi = nil
			} else if tail {
				if hi, err = c.lastKey(ctx, exec, rows, cursor); err != nil {
					for _, k := range active {
						agg[k] = judge.SourceFailure(err)
					}
					break
				}
			}
		}
		isTail := tail && hi == nil && cursor != nil
		end := isTail || tail && cursor == nil && hi == nil
		rows.Chunks = append(rows.Chunks, plan.Chunk{Lo: cursor, Hi: hi})
		u := len(rows.Chunks) - 1
		started := time.Now()
		vs := c.compareUnit(ctx, rows, u, g, active, exec)
		elapsed := time.Since(started)
		if ctx.Err() != nil {
			cut = true
			rows.Chunks = rows.Chunks[:u]
			break
		}
		c.chunks.Add(1)
		n := int64(0)
		settled := true
		for j, k := range active {
			v := vs[j]
			if s, ok := v.Source[u]; ok {
				n = max(n, s.Rows)
			}
			if v.Retries > 0 || v.State != judge.InSync {
				settled = false
			}
			if v.State == judge.Unsettled && isTail {
				// Rows the source inserts past its end: not confirmed in
				// this cycle, and no finding.
				v = judge.Verdict{State: judge.InSync, Source: v.Source, Replica: v.Replica}
			}
			c.remember(t, g.link(c, k), rows, u, v)
			mergeUnit(&agg[k], u, v)
			if v.State == judge.Drifted && c.opts.ShowRows > 0 {
				reserve = minNarrowTime
			}
		}
		walked += n
		c.advance(t, rows, hi, n, size, end)
		if settled && c.opts.ChunkTime > 0 && n > 0 {
			size = adapt(size, n, elapsed, c.opts.ChunkTime)
		}
		last = elapsed
		active = slices.DeleteFunc(active, func(k int) bool {
			s := agg[k].State
			return s == judge.Missing || s == judge.Failed || s == judge.Dropped
		})
		done = end
		cursor = hi
	}
	c.stMu.Lock()
	c.walkedTable[t.String()] = true
	for _, i := range g.idx {
		c.walked[pairKey{t.String(), c.links[i].Rep.Label}] = true
	}
	if done {
		c.done[t.String()] = 1
	} else {
		c.done[t.String()] = float64(walked) / float64(max(st.EstRows, walked+1))
	}
	c.stMu.Unlock()
	for k, i := range g.idx {
		r := &results[i]
		r.Method, r.Chunks = judge.Rows, len(rows.Chunks)
		v := agg[k]
		finish(&v)
		if !done && (cut || v.State == judge.InSync) && v.State != judge.Drifted {
			r.Progress = progress(rows, cursor, walked, st.EstRows, w.cursor != nil)
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
	c.listKeys(ctx, t, st, g, exec, rows, results)
}

// listKeys lists the differing keys of the replicas of g found drifted.
func (c *comparer) listKeys(ctx context.Context, t plan.TableName, st *plan.TableInfo, g *group, exec servers.Exec, rows *read.Rows, results []judge.Result) {
	if c.opts.ShowRows == 0 {
		return
	}
	for k, i := range g.idx {
		r := &results[i]
		if r.Verdict.State != judge.Drifted || len(r.Verdict.Drifted) == 0 {
			continue
		}
		kl := keyLister{source: c.source, link: c.links[i], exec: exec, parallel: c.opts.Parallel,
			limit: c.opts.ShowRows, deadline: c.deadline}
		kl.list(ctx, st, rows, g.opts[k], r)
	}
}

// link returns the link of the k-th replica of the group.
func (g *group) link(c *comparer, k int) *servers.Link { return c.links[g.idx[k]] }

// compareUnit compares unit u of rows on the replicas active (positions in
// g.idx), splitting it while it keeps changing; the verdicts are in the
// order of active.
func (c *comparer) compareUnit(ctx context.Context, rows *read.Rows, u int, g *group, active []int, exec servers.Exec) []judge.Verdict {
	idx := make([]int, len(active))
	opts := make([]judge.SettleOptions, len(active))
	for j, k := range active {
		idx[j], opts[j] = g.idx[k], g.opts[k]
	}
	vs := c.compareOn(ctx, rows, u, idx, opts, exec)
	for j := range vs {
		c.refine(ctx, rows, u, idx[j], opts[j], exec, &vs[j])
	}
	return vs
}

// refine follows up the verdict v of unit u on replica i: a unit still
// changing is split until it settles (settleHot), a drifted one narrowed
// down to a few rows (narrow).
func (c *comparer) refine(ctx context.Context, rows *read.Rows, u, i int, o judge.SettleOptions, exec servers.Exec, v *judge.Verdict) {
	if ctx.Err() != nil {
		return
	}
	switch {
	case v.State == judge.Unsettled:
		c.settleHot(ctx, rows, u, i, o, exec, v, 0)
	case v.State == judge.Drifted && slices.Contains(v.Drifted, u):
		c.narrow(ctx, rows, u, i, o, exec, v, 0)
	}
}

// narrowRows is the size down to which a drifted chunk is narrowed: its
// range is remembered, compared again by the next runs, and its keys
// listed, at little cost.
const narrowRows = 1000

// narrow splits drifted unit u on replica i into halves along the key, and
// the drifted halves again, down to narrowRows rows; v's drifted units
// become the narrowest ranges that differ. Halves that cannot be decided
// (still changing, lagging, out of time) leave u as it is.
func (c *comparer) narrow(ctx context.Context, rows *read.Rows, u, i int, o judge.SettleOptions, exec servers.Exec, v *judge.Verdict, depth int) bool {
	n := v.Source[u].Rows
	if n <= narrowRows || depth >= 2*maxSplits || !c.fits(0) {
		return false
	}
	ch := rows.Chunks[u]
	mid, err := c.boundary(ctx, exec, rows, ch.Lo, int(n/2))
	if err != nil || mid == nil || slices.Equal(mid, ch.Hi) {
		return false
	}
	rows.Chunks = append(rows.Chunks, plan.Chunk{Lo: ch.Lo, Hi: mid}, plan.Chunk{Lo: mid, Hi: ch.Hi})
	var leaves []int
	for _, h := range []int{len(rows.Chunks) - 2, len(rows.Chunks) - 1} {
		hv := c.compareOn(ctx, rows, h, []int{i}, []judge.SettleOptions{o}, exec)[0]
		switch {
		case hv.State == judge.InSync:
		case hv.State == judge.Drifted && slices.Contains(hv.Drifted, h):
			c.narrow(ctx, rows, h, i, o, exec, &hv, depth+1)
			leaves = append(leaves, hv.Drifted...)
		default:
			return false
		}
	}
	if len(leaves) == 0 {
		return false // repaired meanwhile: the confirmed chunk stays the finding
	}
	v.Drifted = slices.DeleteFunc(v.Drifted, func(x int) bool { return x == u })
	v.Drifted = append(v.Drifted, leaves...)
	return true
}

// compareOn compares unit u on the replicas idx (indexes into c.links).
func (c *comparer) compareOn(ctx context.Context, rows *read.Rows, u int, idx []int, opts []judge.SettleOptions, exec servers.Exec) []judge.Verdict {
	src := sourceSide(ctx, c.opts.Parallel, rows, c.source, exec, c.need(idx))
	reps := make([]judge.ReplicaSide, len(idx))
	for j, i := range idx {
		reps[j] = &replicaSide{link: c.links[i], m: rows, srcExec: exec, parallel: c.opts.Parallel}
	}
	return judge.Compare(ctx, src, reps, []int{u}, opts)
}

// settleHot splits unit u, still changing on the source after the retries,
// into two halves along the key and compares each on replica i; v becomes
// the verdict of the halves (their units added to rows), so that only the
// narrowest ranges that keep changing stay unsettled. A single row, or a
// chunk that cannot be split in time, is tried under a locking read with
// --lock-chunk.
func (c *comparer) settleHot(ctx context.Context, rows *read.Rows, u, i int, o judge.SettleOptions, exec servers.Exec, v *judge.Verdict, depth int) {
	n := v.Source[u].Rows
	if n > 1 && depth < maxSplits && c.fits(0) {
		mid, err := c.boundary(ctx, exec, rows, rows.Chunks[u].Lo, int(n/2))
		ch := rows.Chunks[u]
		if err == nil && mid != nil && !slices.Equal(mid, ch.Hi) {
			rows.Chunks = append(rows.Chunks, plan.Chunk{Lo: ch.Lo, Hi: mid}, plan.Chunk{Lo: mid, Hi: ch.Hi})
			halves := []int{len(rows.Chunks) - 2, len(rows.Chunks) - 1}
			out := judge.Verdict{State: judge.InSync, Source: v.Source, Replica: v.Replica, Retries: v.Retries}
			for _, h := range halves {
				hv := c.compareOn(ctx, rows, h, []int{i}, []judge.SettleOptions{o}, exec)[0]
				if hv.State == judge.Unsettled && ctx.Err() == nil {
					c.settleHot(ctx, rows, h, i, o, exec, &hv, depth+1)
				}
				out.Retries += hv.Retries
				out.Drifted = append(out.Drifted, hv.Drifted...)
				out.Unsettled = append(out.Unsettled, hv.Unsettled...)
				switch {
				case hv.State == judge.Failed || hv.State == judge.Missing || hv.State == judge.Lagging:
					out.State, out.Why, out.Err = hv.State, hv.Why, hv.Err
				case hv.State == judge.Drifted:
					out.State = judge.Drifted
				case hv.State == judge.Unsettled && out.State == judge.InSync:
					out.State, out.Why = judge.Unsettled, hv.Why
				}
				for k, s := range hv.Replica {
					if k != u {
						out.Replica[k] = s
					}
				}
			}
			*v = out
			return
		}
	}
	if c.opts.LockChunk && c.fits(0) {
		c.lockedCompare(ctx, rows, u, i, o, v)
	}
}

// lockedCompare compares unit u on replica i once more under a locking
// read of the chunk on the source (--lock-chunk): its rows, and the gaps
// between them, cannot change until the comparison ends.
func (c *comparer) lockedCompare(ctx context.Context, rows *read.Rows, u, i int, o judge.SettleOptions, v *judge.Verdict) {
	lk, err := servers.LockRange(ctx, c.source, rows.LockQuery(u))
	if err != nil {
		v.Why += "; --lock-chunk: " + err.Error()
		return
	}
	defer lk.Release()
	lv := c.compareOn(ctx, rows, u, []int{i}, []judge.SettleOptions{o}, lk.With)[0]
	lv.Retries += v.Retries
	if lv.State == judge.InSync || lv.State == judge.Drifted {
		*v = lv
	}
}

// fits reports whether a chunk that takes about last (at least
// --chunk-time) can still end before the deadline, with room to settle it.
func (c *comparer) fits(last time.Duration) bool {
	need := max(last, c.opts.ChunkTime, 20*time.Millisecond)*3/2 + 50*time.Millisecond
	return time.Until(c.deadline) > need
}

// adapt returns the next chunk size: the rows that take about target at
// the rate of the last chunk (n rows in took), at most four times larger
// or smaller, within the chunk limits.
func adapt(size int, n int64, took, target time.Duration) int {
	if took <= 0 {
		return min(size*4, maxChunkRows)
	}
	next := int(float64(n) * float64(target) / float64(took))
	next = min(max(next, size/4), size*4)
	return min(max(next, minChunkRows), maxChunkRows)
}

// boundary returns the key size rows after cursor on the source: the end
// of the next chunk; nil when fewer rows remain.
func (c *comparer) boundary(ctx context.Context, exec servers.Exec, rows *read.Rows, cursor []string, size int) ([]string, error) {
	var key []string
	err := exec(ctx, func(s query.Session) error {
		var err error
		key, err = rows.NextBound(ctx, s, c.source, cursor, size)
		return err
	})
	return key, err
}

// lastKey returns the source's highest key after cursor; nil when none.
func (c *comparer) lastKey(ctx context.Context, exec servers.Exec, rows *read.Rows, cursor []string) ([]string, error) {
	var key []string
	err := exec(ctx, func(s query.Session) error {
		var err error
		key, err = rows.LastKey(ctx, s, c.source, cursor)
		return err
	})
	return key, err
}

// mergeUnit adds the verdict of one unit to a table's verdict.
func mergeUnit(agg *judge.Verdict, u int, v judge.Verdict) {
	if s, ok := v.Source[u]; ok {
		agg.Source[u] = s
	}
	if s, ok := v.Replica[u]; ok {
		agg.Replica[u] = s
	}
	agg.Retries += v.Retries
	agg.Drifted = append(agg.Drifted, v.Drifted...)
	agg.Unsettled = append(agg.Unsettled, v.Unsettled...)
	switch v.State {
	case judge.Missing, judge.Dropped:
		agg.State = v.State
	case judge.Failed:
		if agg.Err == nil {
			agg.Err = v.Err
		}
	case judge.Lagging:
		if agg.Why == "" {
			agg.Why = v.Why
		}
		agg.State = judge.Lagging
	case judge.Unsettled:
		if agg.Why == "" {
			agg.Why = v.Why
		}
	}
}

// finish decides a table's verdict from its chunks': drift first, then
// what stops the comparison, then what is not confirmed.
func finish(v *judge.Verdict) {
	switch {
	case v.State == judge.Missing || v.State == judge.Dropped:
	case len(v.Drifted) > 0:
		v.State = judge.Drifted
	case v.Err != nil:
		v.State = judge.Failed
	case len(v.Unsettled) > 0:
		v.State = judge.Unsettled
	case v.State == judge.Lagging:
	default:
		v.State = judge.InSync
	}
}

// progress says how far a walk got: the last key compared and the rows of
// this run against the table's estimate.
func progress(rows *read.Rows, cursor []string, walked, est int64, resumed bool) string {
	from := "from the start"
	if resumed {
		from = "continued"
	}
	if cursor == nil {
		return fmt.Sprintf("%s: nothing compared yet", from)
	}
	s := fmt.Sprintf("%s: %d %s compared in this run, up to key %s", from, walked, judge.Plural(int(walked), "row", "rows"), keyWords(cursor))
	if est > 0 {
		s += fmt.Sprintf(" (the table holds about %d)", est)
	}
	return s
}

// keyWords writes a key: v, or (v1, v2).
func keyWords(k []string) string {
	if len(k) == 1 {
		return k[0]
	}
	out := "("
	for i, v := range k {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out + ")"
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
				within(rows, rg.Lo, rg.Hi, ch)
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

// within reports whether the key range (lo, hi] lies within chunk ch, for
// a single integer key (other keys compare by their collation, which only
// the server knows: such ranges are kept until compared again).
func within(rows *read.Rows, lo, hi []string, ch plan.Chunk) bool {
	if len(rows.PK) != 1 || !plan.IsInteger(rows.PK[0].DataType) {
		return false
	}
	num := func(v []string) (*big.Int, bool) {
		if len(v) != 1 {
			return nil, false
		}
		return new(big.Int).SetString(v[0], 10)
	}
	if ch.Lo != nil {
		clo, ok1 := num(ch.Lo)
		rlo, ok2 := num(lo)
		if !ok1 || !ok2 || rlo.Cmp(clo) < 0 {
			return false
		}
	}
	if ch.Hi != nil {
		chi, ok1 := num(ch.Hi)
		rhi, ok2 := num(hi)
		if !ok1 || !ok2 || rhi.Cmp(chi) > 0 {
			return false
		}
	}
	return true
}
