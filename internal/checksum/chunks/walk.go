package chunks

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/read"
	"github.com/replmon/replmon/internal/checksum/servers"
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
	// maxSplits bounds how often a chunk that keeps changing is halved.
	maxSplits = 12
)

// Env is what the comparisons of one run share: the servers, the run's
// deadline and the settings of the chunks.
type Env struct {
	Source    *servers.Node
	Links     []*servers.Link // the replicas; comparisons name them by index
	Parallel  int             // sessions per server
	Deadline  time.Time       // end of the work
	ChunkTime time.Duration   // target time of one chunk; 0: fixed sizes
	LockChunk bool            // settle a chunk that keeps changing under a locking read
	ShowRows  int             // differing keys listed per table and replica
	Throttle  *Throttler      // nil: never pauses
	Chunks    atomic.Int64    // chunks compared in this run
}

// Start is where a walk starts: after Cursor (nil: from the start), with
// chunks of Size rows.
type Start struct {
	Cursor []string
	Size   int
}

// Hooks follow a walk: Advance after each chunk (compared up to hi, n
// rows, the chunk size used, end when the table's end was reached),
// Remember with each replica's verdict of a chunk (k indexes the walk's
// replicas).
type Hooks interface {
	Advance(rows *read.Rows, hi []string, n int64, size int, end bool)
	Remember(k int, rows *read.Rows, u int, v judge.Verdict)
}

// Walked is the outcome of a walk: each replica's verdict over the chunks
// compared, and how far it got.
type Walked struct {
	Rows     *read.Rows      // the chunks compared (and their halves), numbered as in the verdicts
	Verdicts []judge.Verdict // per replica of the walk
	Done     bool            // the table's end was reached
	Cut      bool            // the deadline stopped the walk
	Cursor   []string        // the last key compared
	Compared int64           // rows compared
}

// Walk compares rows's table chunk by chunk, from start, on the replicas
// idx (indexes into e.Links) with their settle options, until its end,
// the deadline, or until no replica is left to compare.
func (e *Env) Walk(ctx context.Context, rows *read.Rows, start Start, idx []int, opts []judge.SettleOptions, exec servers.Exec, h Hooks) Walked {
	rows.Chunks = nil
	agg := make([]judge.Verdict, len(idx))
	for k := range agg {
		agg[k] = judge.Verdict{Source: judge.Sums{}, Replica: judge.Sums{}}
	}
	active := make([]int, len(idx)) // positions in idx still compared
	for k := range active {
		active[k] = k
	}
	cursor, size := start.Cursor, start.Size
	var last time.Duration
	var walked int64
	done, tail, cut := false, false, false
	var reserve time.Duration // kept for listing the keys of a drift found
	var rate float64          // rows per second of the settled chunks so far
	for len(active) > 0 && !done {
		// Once the rate is known, the chunk is cut to what the time left
		// holds; before, or with fixed sizes, a chunk starts while one as
		// long as the last fits.
		byRate := rate > 0 && e.ChunkTime > 0
		if !byRate && !e.Fits(last+reserve) {
			cut = true
			break
		}
		e.Throttle.Wait(ctx, func() bool { return e.Fits(0) })
		this, ok := e.fitChunk(size, rate, reserve)
		if !ok || !byRate && !e.Fits(last+reserve) { // no room left, or paused until the end
			cut = true
			break
		}
		var hi []string
		if !tail {
			var err error
			if hi, err = e.Boundary(ctx, exec, rows, cursor, this); err != nil {
				for _, k := range active {
					agg[k] = judge.SourceFailure(err)
				}
				break
			}
			tail = hi == nil
			if tail && cursor != nil {
				if hi, err = e.lastKey(ctx, exec, rows, cursor); err != nil {
					for _, k := range active {
						agg[k] = judge.SourceFailure(err)
					}
					break
				}
			}
		}
		// The whole table fits in one chunk (no bounds, no tail), or the
		// tail after the source's last key.
		isTail := tail && hi == nil && cursor != nil
		end := tail && hi == nil
		rows.Chunks = append(rows.Chunks, plan.Chunk{Lo: cursor, Hi: hi})
		u := len(rows.Chunks) - 1
		ids := make([]int, len(active))
		os := make([]judge.SettleOptions, len(active))
		for j, k := range active {
			ids[j], os[j] = idx[k], opts[k]
		}
		started := time.Now()
		vs := e.CompareOn(ctx, rows, u, ids, os, exec)
		for j := range vs {
			e.Refine(ctx, rows, u, ids[j], os[j], exec, &vs[j])
		}
		elapsed := time.Since(started)
		if ctx.Err() != nil {
			cut = true
			rows.Chunks = rows.Chunks[:u]
			break
		}
		e.Chunks.Add(1)
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
			h.Remember(k, rows, u, v)
			mergeUnit(&agg[k], u, v)
			if v.State == judge.Drifted && e.ShowRows > 0 {
				reserve = minNarrowTime
			}
		}
		walked += n
		h.Advance(rows, hi, n, size, end)
		if settled && e.ChunkTime > 0 && n > 0 {
			size = adapt(size, n, elapsed, e.ChunkTime)
		}
		if settled {
			// A chunk that needed retries or splits says nothing of the
			// time the next one takes.
			last = elapsed
			if n > 0 && elapsed > 0 {
				rate = float64(n) / elapsed.Seconds()
			}
		}
		active = slices.DeleteFunc(active, func(k int) bool {
			s := agg[k].State
			return s == judge.Missing || s == judge.Failed || s == judge.Dropped
		})
		done = end
		cursor = hi
	}
	for k := range agg {
		finish(&agg[k])
	}
	return Walked{Rows: rows, Verdicts: agg, Done: done, Cut: cut, Cursor: cursor, Compared: walked}
}

// CompareOn compares unit u of rows on the replicas idx (indexes into
// e.Links), through the judge's engine.
func (e *Env) CompareOn(ctx context.Context, rows *read.Rows, u int, idx []int, opts []judge.SettleOptions, exec servers.Exec) []judge.Verdict {
	links := make([]*servers.Link, len(idx))
	reps := make([]judge.ReplicaSide, len(idx))
	for j, i := range idx {
		links[j] = e.Links[i]
		reps[j] = &ReplicaSide{Link: e.Links[i], M: rows, SrcExec: exec, Parallel: e.Parallel}
	}
	src := SourceSide(ctx, e.Parallel, rows, e.Source, exec, servers.NeedOf(links))
	return judge.Compare(ctx, src, reps, []int{u}, opts)
}

// Refine follows up the verdict v of unit u on replica i: a unit still
// changing is split until it settles (settleHot), a drifted one narrowed
// down to a few rows (narrow).
func (e *Env) Refine(ctx context.Context, rows *read.Rows, u, i int, o judge.SettleOptions, exec servers.Exec, v *judge.Verdict) {
	if ctx.Err() != nil {
		return
	}
	switch {
	case v.State == judge.Unsettled:
		e.settleHot(ctx, rows, u, i, o, exec, v, 0)
	case v.State == judge.Drifted && slices.Contains(v.Drifted, u):
		e.narrow(ctx, rows, u, i, o, exec, v, 0)
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
func (e *Env) narrow(ctx context.Context, rows *read.Rows, u, i int, o judge.SettleOptions, exec servers.Exec, v *judge.Verdict, depth int) {
	n := v.Source[u].Rows
	if n <= narrowRows || depth >= 2*maxSplits || !e.Fits(0) {
		return
	}
	halves, ok := e.halve(ctx, exec, rows, u, n)
	if !ok {
		return
	}
	var leaves []int
	for _, h := range halves {
		hv := e.CompareOn(ctx, rows, h, []int{i}, []judge.SettleOptions{o}, exec)[0]
		switch {
		case hv.State == judge.InSync:
		case hv.State == judge.Drifted && slices.Contains(hv.Drifted, h):
			e.narrow(ctx, rows, h, i, o, exec, &hv, depth+1)
			leaves = append(leaves, hv.Drifted...)
		default:
			return
		}
	}
	if len(leaves) == 0 {
		return // repaired meanwhile: the confirmed chunk stays the finding
	}
	v.Drifted = slices.DeleteFunc(v.Drifted, func(x int) bool { return x == u })
	v.Drifted = append(v.Drifted, leaves...)
}

// halve splits unit u, of n rows on the source, at the key halfway along
// it: the two halves are appended to rows and their units returned; false
// when u cannot be split (one key, or the rows moved meanwhile).
func (e *Env) halve(ctx context.Context, exec servers.Exec, rows *read.Rows, u int, n int64) ([]int, bool) {
	ch := rows.Chunks[u]
	mid, err := e.Boundary(ctx, exec, rows, ch.Lo, int(n/2))
	if err != nil || mid == nil || slices.Equal(mid, ch.Hi) {
		return nil, false
	}
	rows.Chunks = append(rows.Chunks, plan.Chunk{Lo: ch.Lo, Hi: mid}, plan.Chunk{Lo: mid, Hi: ch.Hi})
	return []int{len(rows.Chunks) - 2, len(rows.Chunks) - 1}, true
}

// settleHot splits unit u, still changing on the source after the retries,
// into two halves along the key and compares each on replica i; v becomes
// the verdict of the halves (their units added to rows), so that only the
// narrowest ranges that keep changing stay unsettled. A single row, or a
// chunk that cannot be split in time, is tried under a locking read with
// --lock-chunk.
func (e *Env) settleHot(ctx context.Context, rows *read.Rows, u, i int, o judge.SettleOptions, exec servers.Exec, v *judge.Verdict, depth int) {
	n := v.Source[u].Rows
	if n > 1 && depth < maxSplits && e.Fits(0) {
		if halves, ok := e.halve(ctx, exec, rows, u, n); ok {
			out := judge.Verdict{State: judge.InSync, Source: v.Source, Replica: v.Replica, Retries: v.Retries}
			// A half that can still be split is split at once when it
			// changes: only the narrow ones are retried.
			ho := o
			if n/2 > narrowRows && depth+1 < maxSplits {
				ho.Retries = 0
			}
			for _, h := range halves {
				hv := e.CompareOn(ctx, rows, h, []int{i}, []judge.SettleOptions{ho}, exec)[0]
				if hv.State == judge.Unsettled && ctx.Err() == nil {
					e.settleHot(ctx, rows, h, i, o, exec, &hv, depth+1)
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
	if e.LockChunk && e.Fits(0) {
		e.lockedCompare(ctx, rows, u, i, o, v)
	}
}

// lockedCompare compares unit u on replica i once more under a locking
// read of the chunk on the source (--lock-chunk): its rows, and the gaps
// between them, cannot change until the comparison ends.
func (e *Env) lockedCompare(ctx context.Context, rows *read.Rows, u, i int, o judge.SettleOptions, v *judge.Verdict) {
	lk, err := LockRange(ctx, e.Source, rows.LockQuery(u))
	if err != nil {
		v.Why += "; --lock-chunk: " + err.Error()
		return
	}
	defer lk.Release()
	lv := e.CompareOn(ctx, rows, u, []int{i}, []judge.SettleOptions{o}, lk.With)[0]
	lv.Retries += v.Retries
	if lv.State == judge.InSync || lv.State == judge.Drifted {
		*v = lv
	}
}

// fitChunk returns the rows of the next chunk: size, or fewer so that,
// at rate rows a second, it ends before the deadline with reserve to
// spare; false when not even the smallest chunk fits. Without a rate yet
// (or with --chunk-time 0) the chunk is size rows.
func (e *Env) fitChunk(size int, rate float64, reserve time.Duration) (int, bool) {
	if rate <= 0 || e.ChunkTime <= 0 {
		return size, true
	}
	left := time.Until(e.Deadline) - reserve - 50*time.Millisecond
	fit := int(left.Seconds() / 1.3 * rate) // 30% for a chunk slower than the last
	if fit < size {
		size = fit
	}
	return size, size >= minChunkRows
}

// Fits reports whether a chunk that takes about last (at least
// --chunk-time) can still end before the deadline, with room to settle it.
func (e *Env) Fits(last time.Duration) bool {
	need := max(last, e.ChunkTime, 20*time.Millisecond)*3/2 + 50*time.Millisecond
	return time.Until(e.Deadline) > need
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

// Boundary returns the key size rows after cursor on the source: the end
// of the next chunk; nil when fewer rows remain.
func (e *Env) Boundary(ctx context.Context, exec servers.Exec, rows *read.Rows, cursor []string, size int) ([]string, error) {
	var key []string
	err := exec(ctx, func(s query.Session) error {
		var err error
		key, err = rows.NextBound(ctx, s, e.Source, cursor, size)
		return err
	})
	return key, err
}

// lastKey returns the source's highest key after cursor; nil when none.
func (e *Env) lastKey(ctx context.Context, exec servers.Exec, rows *read.Rows, cursor []string) ([]string, error) {
	var key []string
	err := exec(ctx, func(s query.Session) error {
		var err error
		key, err = rows.LastKey(ctx, s, e.Source, cursor)
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

// Progress says how far a walk got: the last key compared and the rows of
// this run against the table's estimate.
func Progress(rows *read.Rows, cursor []string, walked, est int64, resumed bool) string {
	from := "from the start"
	if resumed {
		from = "continued"
	}
	if cursor == nil {
		return fmt.Sprintf("%s: nothing compared yet", from)
	}
	s := fmt.Sprintf("%s: %d %s compared in this run, up to key %s", from, walked, judge.Plural(int(walked), "row", "rows"), KeyWords(cursor))
	if est > 0 {
		s += fmt.Sprintf(" (the table holds about %d)", est)
	}
	return s
}

// KeyWords writes a key: v, or (v1, v2).
func KeyWords(k []string) string {
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
