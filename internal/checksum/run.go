package checksum

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/checksum/chunks"
	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/read"
	"github.com/replmon/replmon/internal/checksum/render"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/checksum/state"
	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/query"
)

// checker is one run of the check: it connects to the servers, lists and
// describes the tables, has them compared and renders the outcome.
type checker struct {
	opts     Options
	cfg      mysqlconn.Config
	r        *plugin.Report
	deadline time.Time    // end of the work; the verdict is printed after it
	servers  *servers.Set // every server connected, closed at the end

	source *servers.Node
	links  []*servers.Link        // replicas that answered, in command-line order
	failed []judge.ReplicaFailure // replicas that did not
	start  time.Time
	notes  []string // about the state file
}

// failure is a replica that could not be compared because of err.
func failure(label string, err error) judge.ReplicaFailure {
	var down *mysqlconn.UnreachableError
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
	c := &checker{opts: o, cfg: cfg, r: r, deadline: deadline, start: start}
	c.servers = servers.NewSet(cfg, c.connectOpts())
	defer c.servers.Close()
	out, err := c.run(wctx)
	if err != nil {
		if wctx.Err() != nil && ctx.Err() == nil {
			return fmt.Errorf("timed out after %s while %s", judge.Seconds(time.Since(start)), r.CurrentStage())
		}
		// A source that cannot be reached is an outage, judged as
		// check_repl_io and check_repl_config judge one (--unreachable).
		var down *mysqlconn.UnreachableError
		if errors.As(err, &down) && ctx.Err() == nil {
			r.Add(r.Unreachable(), "%s", err)
			return nil
		}
		return err
	}
	out.Elapsed = time.Since(start)
	for _, n := range out.Cycle.Notes {
		fmt.Fprintln(os.Stderr, n)
	}
	render.Render(r, out, render.Options{Unsettled: o.Unsettled, Lagging: o.Lagging, Unreachable: r.Unreachable(), Full: r.Full(),
		MaxCycleAge: o.MaxCycleAge})
	return nil
}

// run connects, selects the tables and compares them.
func (c *checker) run(ctx context.Context) (*judge.Outcome, error) {
	if err := c.connectAll(ctx); err != nil {
		return nil, err
	}
	c.r.Stage("listing the tables of the source %s", c.source.Label)
	var tables []plan.TableName
	var account string // when set, it holds no SELECT: information_schema shows it no table
	err := c.source.With(ctx, func(s query.Session) error {
		var err error
		if tables, err = read.ListTables(ctx, s, c.opts.Selection); err != nil || len(tables) > 0 {
			return err
		}
		account, err = read.NoSelect(ctx, s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", c.source.Label, err)
	}
	if account != "" {
		return nil, fmt.Errorf("the account %s cannot see the tables of the source %s: it has no SELECT privilege "+
			"(GRANT SELECT ON *.* TO %s, or ON each database to compare)", account, c.source.Label, account)
	}
	if len(tables) == 0 {
		if c.opts.Selection.Empty() {
			return nil, fmt.Errorf("the source %s has no table in a user database (mysql is compared only when named with -d or --table)", c.source.Label)
		}
		return nil, fmt.Errorf("no table matched %s on the source %s", c.opts.Selection.Describe(), c.source.Label)
	}
	srcMeta, repMeta, err := c.describeTables(ctx, tables)
	if err != nil {
		return nil, err
	}
	out := &judge.Outcome{Failed: c.failed, Tables: tables}
	for _, l := range c.links {
		out.Replicas = append(out.Replicas, judge.ReplicaSummary{Label: l.Rep.Label, Identity: l.Rep.ID.String(), Route: l.Route.Note})
	}
	cmp := &comparer{opts: c.opts, r: c.r, deadline: c.deadline, source: c.source, links: c.links, srcMeta: srcMeta, repMeta: repMeta,
		started: c.start, walked: map[pairKey]bool{}, done: map[string]float64{}}
	cmp.env = &chunks.Env{Source: c.source, Links: c.links, Parallel: c.opts.Parallel, Deadline: c.deadline, ChunkTime: c.opts.ChunkTime,
		LockChunk: c.opts.LockChunk, ShowRows: c.opts.ShowRows,
		Throttle: &chunks.Throttler{MaxLag: c.opts.MaxLag, MaxLoad: c.opts.MaxLoad, Source: c.source, Links: c.links, Debugf: c.r.Debugf}}
	var store *state.Store
	if c.opts.StateFile != "" {
		var note string
		var err error
		store, cmp.st, note, err = state.Open(c.opts.StateFile, c.stateOf(), time.Now())
		if err != nil {
			return nil, err
		}
		defer store.Close()
		if note != "" {
			c.notes = append(c.notes, "--state-file "+c.opts.StateFile+" "+note)
		}
		if store.Holder != "" {
			c.notes = append(c.notes, fmt.Sprintf("--state-file %s is in use by %s: this run compares from its saved progress and does not save",
				c.opts.StateFile, store.Holder))
		}
	}
	out.Results = cmp.all(ctx, tables)
	if err := cmp.fatalErr(); err != nil {
		return nil, err
	}
	out.Cycle = judge.Cycle{State: cmp.st != nil, Number: 1, Chunks: int(cmp.env.Chunks.Load()), Throttled: cmp.env.Throttle.Total(), Notes: c.notes}
	if cmp.st != nil {
		names := make([]string, len(tables))
		for i, t := range tables {
			names[i] = t.String()
		}
		out.Cycle.Number = cmp.st.Cycle
		est := map[string]int64{}
		for t, m := range srcMeta {
			est[t.String()] = m.EstRows
		}
		out.Cycle.Coverage = cmp.st.Coverage(names, func(name string) int64 { return est[name] })
		out.Cycle.Age = time.Since(cmp.st.Oldest())
		if cmp.completed {
			out.Cycle.Coverage, out.Cycle.Age = 1, time.Since(cmp.st.Started.Time)
			cmp.st.Wrap(time.Now())
		}
		if err := store.Save(cmp.st); err != nil {
			out.Cycle.SaveErr = err.Error()
		}
	} else {
		out.Cycle.Coverage = judge.RunCoverage(tables, srcMeta, out.Results, cmp.done)
		out.Cycle.Age = time.Since(c.start)
	}
	return out, nil
}

// stateOf names what a state file is of: the source, the replica set,
// the selection, the method and the hash options.
func (c *checker) stateOf() string {
	reps := make([]string, len(c.opts.Replicas))
	for i, a := range c.opts.Replicas {
		reps[i] = c.cfg.WithAddr(a).Address().Key()
	}
	slices.Sort(reps)
	return fmt.Sprintf("source %s; replicas %s; %s; method %s; float precision %d", c.cfg.Address().Key(), strings.Join(reps, ", "),
		c.opts.Selection.Describe(), c.opts.Method, c.opts.FloatPrecision)
}

func (c *checker) connectOpts() servers.ConnectOptions {
	return servers.ConnectOptions{Parallel: c.opts.Parallel, LockWait: c.opts.LockWait, Deadline: c.deadline}
}

// connectAll connects to the source and every replica at once, then finds
// how each replica gets the source's changes. A replica that cannot be
// reached is reported; the source must be reached.
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
	cctx, cancel := context.WithTimeout(ctx, c.connectOpts().Bound())
	defer cancel()
	bound := judge.Seconds(c.connectOpts().Bound())
	nodes := make([]*servers.Node, len(cfgs))
	errs := make([]error, len(cfgs))
	var srcErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.source, srcErr = servers.Connect(cctx, c.cfg.Addr(), c.cfg, c.connectOpts())
	}()
	for i, rc := range cfgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nodes[i], errs[i] = servers.Connect(cctx, c.opts.Replicas[i].String(), rc, c.connectOpts())
		}()
	}
	wg.Wait()
	if srcErr != nil {
		for _, n := range nodes {
			if n != nil {
				n.Close()
			}
		}
		var down *mysqlconn.UnreachableError
		if cctx.Err() != nil && ctx.Err() == nil && !errors.As(srcErr, &down) {
			return fmt.Errorf("the source %s did not answer within %s", c.cfg.Addr(), bound)
		}
		return fmt.Errorf("source %s: %w", c.cfg.Addr(), srcErr)
	}
	c.source.Source = true
	c.servers.Add(c.source)
	for i, n := range nodes {
		switch {
		case errs[i] != nil && cctx.Err() != nil && ctx.Err() == nil && !failure("", errs[i]).Unreachable:
			// Connected, then silent while identifying itself.
			c.failed = append(c.failed, failure(c.opts.Replicas[i].String(), fmt.Errorf("did not answer within %s", bound)))
		case errs[i] != nil:
			c.failed = append(c.failed, failure(c.opts.Replicas[i].String(), errs[i]))
		case n.Same(c.source):
			n.Close()
			c.failed = append(c.failed, failure(c.opts.Replicas[i].String(), fmt.Errorf("is the source itself (server_id %d)", n.ServerID)))
		default:
			c.servers.Add(n)
			c.links = append(c.links, &servers.Link{Src: c.source, Rep: n, Deadline: c.deadline})
		}
	}
	c.r.Stage("finding how each replica gets the source's changes")
	sources := servers.FindSources(ctx, c.servers, c.source)
	for _, l := range c.links {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.Route = servers.FindRoute(ctx, c.servers, c.source, l.Rep)
			l.Back, l.BackUnknown = sources.Back(ctx, c.servers, l.Rep)
		}()
	}
	wg.Wait()
	for _, l := range c.links {
		c.r.Debugf(1, "replica %s: %s", l.Rep.Describe(), l.Route.Note)
		for _, b := range l.Back {
			c.r.Debugf(1, "replica %s: the source applies the changes of %s (%d %s)", l.Rep.Label, b.From.Label, len(b.Route.Hops), judge.Plural(len(b.Route.Hops), "hop", "hops"))
		}
		if l.BackUnknown != "" {
			c.r.Debugf(1, "replica %s: what flows back to the source is not known: %s", l.Rep.Label, l.BackUnknown)
		}
	}
	return ctx.Err()
}

// describeTables reads information_schema on every server for the tables:
// the source's descriptions, and each replica's (per link). A replica whose
// information_schema cannot be read is not compared: without its row
// formats a CHECKSUM TABLE difference proves nothing.
func (c *checker) describeTables(ctx context.Context, tables []plan.TableName) (map[plan.TableName]*plan.TableInfo, []map[plan.TableName]*plan.TableInfo, error) {
	c.r.Stage("reading information_schema for %d %s", len(tables), judge.Plural(len(tables), "table", "tables"))
	var srcMeta map[plan.TableName]*plan.TableInfo
	repMeta := make([]map[plan.TableName]*plan.TableInfo, len(c.links))
	errs := make([]error, len(c.links)+1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs[0] = c.source.With(ctx, func(s query.Session) error {
			var err error
			srcMeta, err = read.LoadMeta(ctx, s, tables)
			return err
		})
	}()
	for i, l := range c.links {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i+1] = l.Rep.With(ctx, func(s query.Session) error {
				var err error
				repMeta[i], err = read.LoadMeta(ctx, s, tables)
				return err
			})
		}()
	}
	wg.Wait()
	if errs[0] != nil {
		return nil, nil, fmt.Errorf("source %s: %w", c.source.Label, errs[0])
	}
	var links []*servers.Link
	var metas []map[plan.TableName]*plan.TableInfo
	for i, err := range errs[1:] {
		if err != nil {
			c.failed = append(c.failed, failure(c.links[i].Rep.Label, err))
			continue
		}
		links = append(links, c.links[i])
		metas = append(metas, repMeta[i])
	}
	c.links = links
	return srcMeta, metas, nil
}
