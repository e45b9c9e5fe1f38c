package checksum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
)

// replicaOps is one replica's side of one table's comparison.
type replicaOps struct {
	l       *link
	p       method
	srcExec executor
	c       *checker
}

// Reach implements replicaSide.
func (o *replicaOps) Reach(ctx context.Context, co judge.Coords) (bool, string, error) {
	return o.l.reach(ctx, co)
}

// Sums implements replicaSide.
func (o *replicaOps) Sums(ctx context.Context, units []int) (judge.Sums, error) {
	return o.c.sumUnits(ctx, o.p, o.l.rep, o.l.rep.pool.with, units)
}

// SourceCatchUp implements replicaSide.
func (o *replicaOps) SourceCatchUp(ctx context.Context) (bool, string, error) {
	return o.l.sourceCatchUp(ctx, o.srcExec)
}

// sumUnits computes units of p on n, up to --parallel at once.
func (c *checker) sumUnits(ctx context.Context, p method, n *node, exec executor, units []int) (judge.Sums, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := judge.Sums{}
	var (
		mu       sync.Mutex
		firstErr error
	)
	forEach(ctx, len(units), c.opts.Parallel, nil, func(i int) {
		u := units[i]
		var s judge.Sum
		err := exec(ctx, func(conn sqlConn) error {
			var err error
			s, err = p.Sum(ctx, n, conn, u)
			return err
		})
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			// A missing table beats the cancellations it causes.
			if firstErr == nil || errors.Is(err, judge.ErrMissing) && !errors.Is(firstErr, judge.ErrMissing) {
				firstErr = err
			}
			cancel()
			return
		}
		out[u] = s
	})
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// sourceBatcher returns the source side of p: sums, then the coordinates.
func (c *checker) sourceBatcher(ctx context.Context, p method, exec executor) *judge.Batcher {
	return judge.NewBatcher(ctx, func(ctx context.Context, units []int) (judge.Sums, judge.Coords, error) {
		sums, err := c.sumUnits(ctx, p, c.source, exec, units)
		if err != nil {
			return nil, judge.Coords{}, err
		}
		var co judge.Coords
		err = exec(ctx, func(s sqlConn) error {
			var err error
			co, err = c.source.readCoords(ctx, s, c.source.binlogCoordsQuery())
			return err
		})
		return sums, co, err
	})
}

// group is the replicas of one table compared with one plan.
type group struct {
	kind  string // "checksum-table", "rows" or "structure"
	idx   []int  // indexes into c.links
	opts  []judge.SettleOptions
	notes []string
}

// compareOne compares one table on every replica.
func (c *checker) compareOne(ctx context.Context, t plan.TableName) []judge.Result {
	results := make([]judge.Result, len(c.links))
	for i, l := range c.links {
		results[i] = judge.Result{Table: t, Replica: l.rep.Label}
	}
	st := c.srcMeta[t]
	if st == nil {
		for i := range results {
			results[i].Verdict = judge.Verdict{State: judge.Dropped}
		}
		return results
	}
	exec := executor(c.source.pool.with)
	if c.opts.Lock {
		lk, err := c.lockTable(ctx, t)
		if err != nil {
			for i := range results {
				results[i].Verdict = judge.SourceFailure(err)
			}
			return results
		}
		defer lk.release()
		exec = lk.with
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
	for i, l := range c.links {
		rt := c.repMeta[i][t]
		o := judge.SettleOptions{Retries: c.opts.Retries, Backoff: c.backoff, Confirmations: 1}
		if !st.Transactional() || rt != nil && !rt.Transactional() {
			o.Confirmations = 2
		}
		if rt != nil && !judge.SameColumnNames(st, rt) {
			add("structure", i, o, "")
			continue
		}
		ch := judge.ChooseMethod(c.opts.Method, c.source.ID, l.rep.ID, st, rt)
		o.Incomparable = ch.Incomparable
		add(string(ch.Method), i, o, ch.Note)
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

// runGroup compares one table on the replicas of one group.
func (c *checker) runGroup(ctx context.Context, t plan.TableName, st *plan.TableInfo, g *group, exec executor, results []judge.Result) {
	var p method
	var rp *rowsPlan
	switch g.kind {
	case "structure":
		p = &structurePlan{table: t}
	case string(judge.Rows):
		rp = newRowsPlan(t, st)
		err := exec(ctx, func(s sqlConn) error { return rp.planChunks(ctx, s, c.source, c.opts.ChunkSize, st.EstRows) })
		if err != nil {
			for _, i := range g.idx {
				results[i].Method = judge.Rows
				results[i].Verdict = judge.SourceFailure(err)
			}
			return
		}
		p = rp
	default:
		quick := map[*node]bool{c.source: st.LiveChecksum()}
		for _, i := range g.idx {
			if rt := c.repMeta[i][t]; rt != nil {
				quick[c.links[i].rep] = rt.LiveChecksum()
			}
		}
		p = &checksumTablePlan{table: t, quick: quick}
	}
	src := c.sourceBatcher(ctx, p, exec)
	reps := make([]judge.ReplicaSide, len(g.idx))
	for k, i := range g.idx {
		reps[k] = &replicaOps{l: c.links[i], p: p, srcExec: exec, c: c}
	}
	vs := judge.Compare(ctx, src, reps, p.Units(), g.opts)
	var wg sync.WaitGroup
	for k, i := range g.idx {
		r := &results[i]
		r.Verdict, r.Note, r.Chunks = vs[k], g.notes[k], len(p.Units())
		switch g.kind {
		case "structure":
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
		case string(judge.Rows):
			r.Method = judge.Rows
		default:
			r.Method = judge.ChecksumTable
		}
		if r.Verdict.State == judge.Drifted && c.opts.ShowRows > 0 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.listKeys(ctx, t, st, c.links[i], rp, exec, g.opts[k], r)
			}()
		}
	}
	wg.Wait()
}

// tableLock is a source session holding LOCK TABLES ... READ on one table.
type tableLock struct {
	c    *checker
	mu   sync.Mutex
	conn *sql.Conn
}

// lockTable takes LOCK TABLES t READ on a source session, waiting at most
// --lock-wait-timeout (the session's lock_wait_timeout).
func (c *checker) lockTable(ctx context.Context, t plan.TableName) (*tableLock, error) {
	conn, err := c.source.pool.get(ctx)
	if err != nil {
		return nil, err
	}
	err = mysqlconn.SQL(conn).Exec(ctx, "LOCK TABLES "+plan.QuoteTable(t)+" READ")
	if err != nil {
		c.source.pool.put(conn, err)
		switch {
		case query.IsError(err, errNoSuchTable):
			return nil, fmt.Errorf("%s on %s: %w", t, c.source.Label, judge.ErrMissing)
		case query.IsError(err, errDBAccess, errTableAccess):
			var me *query.ServerError
			errors.As(err, &me)
			err := fmt.Errorf("--lock needs the LOCK TABLES privilege on the source %s (GRANT LOCK TABLES ON %s.* TO the monitoring account): "+
				"LOCK TABLES %s READ was refused with error %d: %s", c.source.Label, plan.QuoteIdent(t.Schema), plan.QuoteTable(t), me.Number, me.Message)
			c.setFatal(err)
			return nil, err
		case query.IsError(err, errLockWaitTimeout):
			return nil, fmt.Errorf("--lock: could not lock %s on the source within --lock-wait-timeout %s", t, judge.Seconds(c.opts.LockWait))
		}
		return nil, fmt.Errorf("--lock: LOCK TABLES %s READ on the source: %w", t, query.Explain(err))
	}
	return &tableLock{c: c, conn: conn}, nil
}

// with runs f on the locked session, one statement sequence at a time.
func (l *tableLock) with(ctx context.Context, f func(s sqlConn) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return f(mysqlconn.SQL(l.conn))
}

// release unlocks the table and returns the session.
func (l *tableLock) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := mysqlconn.SQL(l.conn).Exec(ctx, "UNLOCK TABLES"); err != nil {
		// Closing the session is what releases the lock now.
		l.c.source.pool.put(l.conn, fmt.Errorf("UNLOCK TABLES: %w", errSessionDone))
		return
	}
	l.c.source.pool.put(l.conn, nil)
}
