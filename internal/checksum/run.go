package checksum

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/render"
	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/plugin"
)

// Options are the check's settings from the command line.
type Options struct {
	Replicas  []address.Addr  // each replica; without a port, the source's
	Selection judge.Selection // which tables
	Method    judge.Method    // auto, checksum-table or rows
	Retries   int             // rounds repeated while the source changes
	Unsettled plugin.Status   // state of a table still changing after the retries
	Lagging   plugin.Status   // state of a replica that did not reach the source's coordinates
	Lock      bool            // LOCK TABLES ... READ on the source during each table's comparison
	LockWait  time.Duration   // lock_wait_timeout
	ShowRows  int             // differing primary keys listed per table and replica
	Parallel  int             // sessions per server, and tables compared at once
	ChunkSize int             // rows per chunk of the rows method
}

// Validate checks the options that flags alone cannot.
func (o Options) Validate() error {
	switch {
	case len(o.Replicas) == 0:
		return errors.New("no replica given: name at least one with --replica HOST[:PORT]")
	case o.Retries < 0:
		return fmt.Errorf("--retries must be 0 or more, not %d", o.Retries)
	case o.Parallel < 1:
		return fmt.Errorf("--parallel must be at least 1, not %d", o.Parallel)
	case o.ShowRows < 0:
		return fmt.Errorf("--show-rows must be 0 or more, not %d", o.ShowRows)
	case o.ChunkSize < 1:
		return fmt.Errorf("--chunk-size must be at least 1, not %d", o.ChunkSize)
	case o.LockWait <= 0:
		return fmt.Errorf("--lock-wait-timeout must be positive")
	}
	return o.Selection.Validate()
}

// checker is one run of the check.
type checker struct {
	opts     Options
	cfg      mysqlconn.Config
	r        *plugin.Report
	deadline time.Time // end of the work; the verdict is printed after it

	source  *node
	links   []*link                // replicas that answered, in command-line order
	failed  []judge.ReplicaFailure // replicas that did not
	srcMeta map[plan.TableName]*plan.TableInfo
	repMeta []map[plan.TableName]*plan.TableInfo // per link

	mu        sync.Mutex
	known     []*node // every connected server, for matching server_ids
	resolving map[string]*resolveEntry
	fatal     error // an error that makes every further comparison pointless
}

// setFatal records the first error that ends the run.
func (c *checker) setFatal(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fatal == nil {
		c.fatal = err
	}
}

// fatalErr returns the error that ends the run, if any.
func (c *checker) fatalErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fatal
}

// failure is a replica that could not be compared because of err.
func failure(label string, err error) judge.ReplicaFailure {
	var down unreachableError
	return judge.ReplicaFailure{Label: label, Err: err, Unreachable: errors.As(err, &down)}
}

// margin is the share of -t kept for printing the verdict.
func margin(total time.Duration) time.Duration {
	return min(time.Second, max(150*time.Millisecond, total/20))
}

// Run performs the check within ctx's deadline and records the verdict in
// r. o has passed Validate: the command line checks it before the run.
func Run(ctx context.Context, r *plugin.Report, cfg mysqlconn.Config, o Options) error {
	start := time.Now()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = start.Add(cli.DefaultTimeout)
	}
	deadline = deadline.Add(-margin(deadline.Sub(start)))
	wctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	c := &checker{opts: o, cfg: cfg, r: r, deadline: deadline, resolving: map[string]*resolveEntry{}}
	defer c.closeAll()
	out, err := c.run(wctx)
	if err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			return fmt.Errorf("timed out after %s while %s", judge.Seconds(time.Since(start)), r.CurrentStage())
		}
		// A source that cannot be reached is an outage, judged as
		// check_repl_io and check_repl_config judge one: CRITICAL.
		var down unreachableError
		if errors.As(err, &down) && ctx.Err() == nil {
			r.Add(plugin.CRITICAL, "%s", err)
			return nil
		}
		return err
	}
	out.Elapsed = time.Since(start)
	render.Render(r, out, render.Options{Unsettled: o.Unsettled, Lagging: o.Lagging})
	return nil
}

// run connects, selects the tables and compares them.
func (c *checker) run(ctx context.Context) (*judge.Outcome, error) {
	if err := c.connectAll(ctx); err != nil {
		return nil, err
	}
	c.r.Stage("listing the tables of the source %s", c.source.Label)
	var tables []plan.TableName
	err := c.source.pool.with(ctx, func(s sqlConn) error {
		var err error
		tables, err = listTables(ctx, s, c.opts.Selection)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", c.source.Label, err)
	}
	if len(tables) == 0 {
		if c.opts.Selection.Empty() {
			return nil, fmt.Errorf("the source %s has no table in a user database (mysql is compared only when named with -d or --table)", c.source.Label)
		}
		return nil, fmt.Errorf("no table matched %s on the source %s", c.opts.Selection.Describe(), c.source.Label)
	}
	if err := c.describeTables(ctx, tables); err != nil {
		return nil, err
	}
	out := &judge.Outcome{Failed: c.failed, Tables: tables}
	for _, l := range c.links {
		out.Replicas = append(out.Replicas, judge.ReplicaSummary{Label: l.rep.Label, Identity: l.rep.ID.String(), Route: l.rt.Note})
	}
	out.Results = c.compareAll(ctx, tables)
	if err := c.fatalErr(); err != nil {
		return nil, err
	}
	return out, nil
}

// connectBound is how long one server may take to connect and answer.
func (c *checker) connectBound() time.Duration {
	return max(time.Second, time.Until(c.deadline)/3)
}

// waitBound is how long one wait for coordinates may take.
func (c *checker) waitBound() time.Duration {
	return max(0, time.Until(c.deadline)/3)
}

// backoff is the pause before retry n: 50ms doubling, with jitter, within
// a tenth of the time left.
func (c *checker) backoff(n int) time.Duration {
	d := 50 * time.Millisecond << min(n-1, 6)
	d += time.Duration(rand.Int64N(int64(d)/2 + 1))
	return min(d, time.Until(c.deadline)/10)
}

func (c *checker) connectOpts() connectOptions {
	return connectOptions{Parallel: c.opts.Parallel, LockWait: c.opts.LockWait, Deadline: c.deadline}
}

// connectAll connects to the source and every replica at once. A replica
// that cannot be reached is reported; the source must be reached.
func (c *checker) connectAll(ctx context.Context) error {
	c.r.Stage("connecting to the source %s and %d %s", c.cfg.Addr(), len(c.opts.Replicas), judge.Plural(len(c.opts.Replicas), "replica", "replicas"))
	cfgs := make([]mysqlconn.Config, len(c.opts.Replicas))
	seen := map[string]bool{}
	for i, addr := range c.opts.Replicas {
		rc := c.cfg.WithAddr(addr)
		if seen[rc.Address().Key()] {
			return fmt.Errorf("--replica %s is given twice", addr)
		}
		seen[rc.Address().Key()] = true
		cfgs[i] = rc
	}
	cctx, cancel := context.WithTimeout(ctx, c.connectBound())
	defer cancel()
	bound := judge.Seconds(c.connectBound())
	nodes := make([]*node, len(cfgs))
	errs := make([]error, len(cfgs))
	var srcErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.source, srcErr = connect(cctx, c.cfg.Addr(), c.cfg, c.connectOpts())
	}()
	for i, rc := range cfgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nodes[i], errs[i] = connect(cctx, c.opts.Replicas[i].String(), rc, c.connectOpts())
		}()
	}
	wg.Wait()
	if srcErr != nil {
		for _, n := range nodes {
			if n != nil {
				n.close()
			}
		}
		if cctx.Err() != nil && ctx.Err() == nil {
			return fmt.Errorf("the source %s did not answer within %s", c.cfg.Addr(), bound)
		}
		return fmt.Errorf("source: %w", srcErr)
	}
	c.source.Source = true
	c.known = append(c.known, c.source)
	for i, n := range nodes {
		switch {
		case errs[i] != nil && cctx.Err() != nil && ctx.Err() == nil:
			c.failed = append(c.failed, failure(c.opts.Replicas[i].String(), fmt.Errorf("did not answer within %s", bound)))
		case errs[i] != nil:
			c.failed = append(c.failed, failure(c.opts.Replicas[i].String(), errs[i]))
		case n.ServerID == c.source.ServerID:
			n.close()
			c.failed = append(c.failed, failure(c.opts.Replicas[i].String(), fmt.Errorf("is the source itself (server_id %d)", n.ServerID)))
		default:
			c.known = append(c.known, n)
			c.links = append(c.links, &link{c: c, src: c.source, rep: n})
		}
	}
	c.r.Stage("finding how each replica gets the source's changes")
	for _, l := range c.links {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.rt = c.findRoute(ctx, l.rep)
		}()
	}
	wg.Wait()
	for _, l := range c.links {
		c.r.Debugf(1, "replica %s: %s", l.rep.describe(), l.rt.Note)
	}
	return ctx.Err()
}

// describeTables reads information_schema on every server for the tables.
func (c *checker) describeTables(ctx context.Context, tables []plan.TableName) error {
	c.r.Stage("reading information_schema for %d %s", len(tables), judge.Plural(len(tables), "table", "tables"))
	c.repMeta = make([]map[plan.TableName]*plan.TableInfo, len(c.links))
	errs := make([]error, len(c.links)+1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs[0] = c.source.pool.with(ctx, func(s sqlConn) error {
			var err error
			c.srcMeta, err = loadMeta(ctx, s, tables)
			return err
		})
	}()
	for i, l := range c.links {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i+1] = l.rep.pool.with(ctx, func(s sqlConn) error {
				var err error
				c.repMeta[i], err = loadMeta(ctx, s, tables)
				return err
			})
		}()
	}
	wg.Wait()
	if errs[0] != nil {
		return fmt.Errorf("source %s: %w", c.source.Label, errs[0])
	}
	// A replica whose information_schema cannot be read is not compared:
	// without its row formats a CHECKSUM TABLE difference proves nothing.
	var links []*link
	var metas []map[plan.TableName]*plan.TableInfo
	for i, err := range errs[1:] {
		if err != nil {
			c.failed = append(c.failed, failure(c.links[i].rep.Label, err))
			continue
		}
		links = append(links, c.links[i])
		metas = append(metas, c.repMeta[i])
	}
	c.links, c.repMeta = links, metas
	return nil
}

// compareAll compares the tables, --parallel at once, until done or the
// deadline; tables never started are returned as not compared.
func (c *checker) compareAll(ctx context.Context, tables []plan.TableName) [][]judge.Result {
	results := make([][]judge.Result, len(tables))
	stop := func() bool { return c.fatalErr() != nil }
	forEach(ctx, len(tables), c.opts.Parallel, stop, func(i int) {
		c.r.Stage("comparing %s (%d of %d tables)", tables[i], i+1, len(tables))
		res := c.compareOne(ctx, tables[i])
		if ctx.Err() != nil {
			for j := range res {
				timedOut(&res[j].Verdict)
			}
		}
		results[i] = res // each call writes its own index
	})
	for i, res := range results {
		if res == nil {
			results[i] = make([]judge.Result, len(c.links))
			for j, l := range c.links {
				results[i][j] = judge.Result{Table: tables[i], Replica: l.rep.Label, Verdict: judge.Verdict{State: judge.NotCompared, Why: "no time left"}}
			}
		}
	}
	return results
}

// timedOut turns an error of a comparison cut by the end of the run (the
// driver reports a cancelled statement in several ways) into "not compared".
func timedOut(v *judge.Verdict) {
	if v.State == judge.Failed {
		v.State, v.Why, v.Err = judge.NotCompared, "timed out", nil
	}
}

// closeAll releases every server.
func (c *checker) closeAll() {
	c.mu.Lock()
	known := c.known
	c.mu.Unlock()
	var wg sync.WaitGroup
	for _, n := range known {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.close()
		}()
	}
	wg.Wait()
}
