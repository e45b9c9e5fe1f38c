package read

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
)

// Dialer connects to the server at addr; close releases the connection.
type Dialer func(ctx context.Context, addr address.Addr) (q query.Runner, close func(), err error)

// Crawler reads servers in parallel and follows replication links as the
// mode asks: never (Set), up the sources of the audited server (Single), or
// to every source and registered replica it can see (Discover).
type Crawler struct {
	Dial  Dialer
	User  string   // login name, to recognise the account's own sessions
	Extra []string // variables to read besides the audited ones (--expect)
	// Stage, when set, is told what the crawler waits for (the -t verdict names it).
	Stage func(format string, args ...any)
	// Debugf, when set, receives detail for -v.
	Debugf func(level int, format string, args ...any)
	// MaxServers bounds how many servers are read in all (default 64).
	MaxServers int
	// MaxHops bounds how far Single mode follows sources (default 8).
	MaxHops int
}

// margin is the part of the remaining time kept back from each round of
// reads, so that a server that does not answer is reported by name
// instead of the whole check timing out.
func margin(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	left := time.Until(deadline)
	keep := max(left/10, 100*time.Millisecond)
	if keep > left/2 {
		keep = left / 2
	}
	return context.WithDeadline(ctx, deadline.Add(-keep))
}

func (c *Crawler) stage(format string, args ...any) {
	if c.Stage != nil {
		c.Stage(format, args...)
	}
}

func (c *Crawler) debugf(level int, format string, args ...any) {
	if c.Debugf != nil {
		c.Debugf(level, format, args...)
	}
}

// target is an address to read and how it was found.
type target struct {
	addr     address.Addr
	given    bool
	foundVia string
}

// readAll reads the targets in parallel, one connection each, and returns
// their snapshots in the targets' order.
func (c *Crawler) readAll(ctx context.Context, ts []target) []*topology.Snapshot {
	rctx, cancel := margin(ctx)
	defer cancel()
	out := make([]*topology.Snapshot, len(ts))
	var mu sync.Mutex
	pending := map[string]bool{}
	for _, t := range ts {
		pending[t.addr.String()] = true
	}
	report := func() {
		var p []string
		for a := range pending {
			p = append(p, a)
		}
		sort.Strings(p)
		if len(p) > 0 {
			c.stage("waiting for %d of %d servers: %s", len(p), len(ts), strings.Join(p, ", "))
		}
	}
	report()
	var wg sync.WaitGroup
	for i, t := range ts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			out[i] = c.readOne(rctx, t.addr)
			c.debugf(1, "read %s in %v: %s", t.addr, time.Since(start).Round(time.Millisecond), summarize(out[i]))
			mu.Lock()
			delete(pending, t.addr.String())
			report()
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// summarize describes a snapshot for -v.
func summarize(s *topology.Snapshot) string {
	if !s.Reachable() {
		return "error: " + s.Err.Error()
	}
	return fmt.Sprintf("%s, %d variables, %d channels (%v), replicas via %q: %d (%v)",
		s.ID, len(s.Vars), len(s.Channels), s.ChannelsErr, s.Replicas.Stmt, s.Replicas.Count(), s.Replicas.Err)
}

// readOne connects to addr and reads its snapshot.
func (c *Crawler) readOne(ctx context.Context, addr address.Addr) *topology.Snapshot {
	budget := "in time"
	if d, ok := ctx.Deadline(); ok {
		budget = "within " + time.Until(d).Round(10*time.Millisecond).String()
	}
	q, closeFn, err := c.Dial(ctx, addr)
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("no answer %s (%w)", budget, err)
		}
		return &topology.Snapshot{Addr: addr, Err: err}
	}
	defer closeFn()
	s := readSnapshot(ctx, q, addr, c.User, c.Extra)
	if s.Err != nil && ctx.Err() != nil {
		s.Err = fmt.Errorf("no answer %s (%w)", budget, s.Err)
	}
	return s
}

// Crawl reads the given servers and, as mode asks, those it finds through
// them; it returns the topology with the given servers (or, in Discover,
// every server found) marked audited.
func (c *Crawler) Crawl(ctx context.Context, mode topology.Mode, addrs []address.Addr) *topology.Topology {
	maxServers := c.MaxServers
	if maxServers <= 0 {
		maxServers = 64
	}
	maxHops := c.MaxHops
	if maxHops <= 0 {
		maxHops = 8
	}
	var nodes []*topology.Node
	var notes []string
	byIdentity := map[string]*topology.Node{}
	tried := map[string]bool{}

	add := func(ts []target) {
		snaps := c.readAll(ctx, ts)
		for i, s := range snaps {
			t := ts[i]
			if k := identityKey(s); k != "" {
				if n := byIdentity[k]; n != nil {
					n.Aliases = append(n.Aliases, s.Addr)
					n.Given = n.Given || t.given
					n.Audited = n.Audited || t.given
					if t.given {
						notes = append(notes, fmt.Sprintf("%s and %s are the same server; it is audited once", n.Addr, s.Addr))
					}
					continue
				}
			}
			n := &topology.Node{Snapshot: s, Given: t.given, FoundVia: t.foundVia, Audited: t.given || mode == topology.Discover}
			if k := identityKey(s); k != "" {
				byIdentity[k] = n
			}
			nodes = append(nodes, n)
		}
	}

	var first []target
	for _, a := range addrs {
		k := a.Key()
		if tried[k] {
			continue
		}
		tried[k] = true
		first = append(first, target{addr: a, given: true})
	}
	add(first)
	t := topology.Build(mode, nodes)

	for hop := 1; mode != topology.Set && ctx.Err() == nil; hop++ {
		if mode == topology.Single {
			if hop > maxHops || !singleNeedsMore(t, hop) {
				break
			}
		}
		next := nextTargets(t, mode, tried)
		if len(next) == 0 {
			break
		}
		if room := maxServers - len(nodes); len(next) > room {
			notes = append(notes, fmt.Sprintf("stopped following after %d servers; %d more were not read", maxServers, len(next)-max(room, 0)))
			next = next[:max(room, 0)]
			if len(next) == 0 {
				break
			}
		}
		add(next)
		t = topology.Build(mode, nodes)
	}
	if mode == topology.Discover {
		t.Unfollowed = unfollowed(t)
	}
	t.Notes = append(t.Notes, notes...)
	return t
}

// identityKey names a server whatever address reached it: its server_uuid
// where it has one, else server_id, hostname and port together; "" when
// those are unknown.
func identityKey(s *topology.Snapshot) string {
	if !s.Reachable() {
		return ""
	}
	if u, ok := s.Var("server_uuid"); ok && u != "" {
		return "uuid:" + strings.ToLower(u)
	}
	id, ok1 := s.Var("server_id")
	host, ok2 := s.Var("hostname")
	port, ok3 := s.Var("port")
	if !ok1 || !ok2 || !ok3 {
		return ""
	}
	return "id:" + id + "@" + strings.ToLower(host) + ":" + port
}
