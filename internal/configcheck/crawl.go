package configcheck

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/address"
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
func (c *Crawler) readAll(ctx context.Context, ts []target) []*Snapshot {
	rctx, cancel := margin(ctx)
	defer cancel()
	out := make([]*Snapshot, len(ts))
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
func summarize(s *Snapshot) string {
	if !s.Reachable() {
		return "error: " + s.Err.Error()
	}
	return fmt.Sprintf("%s, %d variables, %d channels (%v), replicas via %q: %d (%v)",
		s.ID, len(s.Vars), len(s.Channels), s.ChannelsErr, s.Replicas.Stmt, s.Replicas.Count(), s.Replicas.Err)
}

// readOne connects to addr and reads its snapshot.
func (c *Crawler) readOne(ctx context.Context, addr address.Addr) *Snapshot {
	budget := "in time"
	if d, ok := ctx.Deadline(); ok {
		budget = "within " + time.Until(d).Round(10*time.Millisecond).String()
	}
	q, closeFn, err := c.Dial(ctx, addr)
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("no answer %s (%w)", budget, err)
		}
		return &Snapshot{Addr: addr, Err: err}
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
func (c *Crawler) Crawl(ctx context.Context, mode Mode, addrs []address.Addr) *Topology {
	maxServers := c.MaxServers
	if maxServers <= 0 {
		maxServers = 64
	}
	maxHops := c.MaxHops
	if maxHops <= 0 {
		maxHops = 8
	}
	var nodes []*Node
	var notes []string
	byIdentity := map[string]*Node{}
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
			n := &Node{Snapshot: s, Given: t.given, FoundVia: t.foundVia, Audited: t.given || mode == Discover}
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
	t := Build(mode, nodes)

	for hop := 1; mode != Set && ctx.Err() == nil; hop++ {
		if mode == Single {
			if hop > maxHops || !c.singleNeedsMore(t, hop) {
				break
			}
		}
		next := c.nextTargets(t, mode, tried)
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
		t = Build(mode, nodes)
	}
	if mode == Discover {
		notes = append(notes, discoverNotes(t)...)
	}
	t.Notes = append(t.Notes, notes...)
	return t
}

// singleNeedsMore reports whether Single mode must follow sources further:
// one hop always (version order), more only while the audited server may
// be in a ring, that is while it may have replicas.
func (c *Crawler) singleNeedsMore(t *Topology, hop int) bool {
	target := t.Nodes[0]
	if !target.Reachable() {
		return false
	}
	if hop == 1 {
		return true
	}
	f := t.Facts(target)
	return f.HasReplicas != No && f.Ring != Yes
}

// nextTargets returns the addresses to read next: unresolved sources of
// the servers read (in Single mode only those upstream of the audited one),
// and in Discover mode registered replicas not yet read.
func (c *Crawler) nextTargets(t *Topology, mode Mode, tried map[string]bool) []target {
	var out []target
	try := func(addr address.Addr, via string) {
		k := addr.Key()
		if tried[k] {
			return
		}
		tried[k] = true
		out = append(out, target{addr: addr, foundVia: via})
	}
	known := map[string]bool{}
	for _, n := range t.Nodes {
		for _, k := range n.keys() {
			known[k] = true
		}
	}
	scope := t.Nodes
	if mode == Single {
		scope = upstream(t.Nodes[0])
	}
	for _, n := range scope {
		for _, e := range n.In {
			if e.Source == nil {
				try(e.SourceAddr(), "source of "+n.Name())
			}
		}
	}
	if mode != Discover {
		return out
	}
	for _, n := range t.Nodes {
		if !n.Reachable() || n.Replicas.Processlist {
			continue
		}
		for _, h := range n.Replicas.Registered {
			if a := h.Addr(); !a.IsZero() && !known[a.Key()] {
				try(a, "replica of "+n.Name())
			}
		}
	}
	return out
}

// discoverNotes says which replicas discovery could not follow: those a
// server reports only as processlist sessions (no port) or registered
// without report_host, and the servers whose replicas could not be listed.
func discoverNotes(t *Topology) []string {
	var notes []string
	for _, n := range t.Nodes {
		if !n.Reachable() {
			continue
		}
		r := n.Replicas
		switch {
		case r.Err != nil:
			notes = append(notes, fmt.Sprintf("could not look for replicas of %s: %v", n.Name(), r.Err))
		case r.Processlist:
			if extra := len(r.Dumps) - len(n.Out); extra > 0 {
				why := "SHOW SLAVE HOSTS is not used before MySQL 5.5"
				if r.HostsErr != nil {
					why = r.HostsErr.Error()
				}
				notes = append(notes, fmt.Sprintf("could not follow %d replica(s) of %s: the processlist gives only their client host, not their port (%s)", extra, n.Name(), why))
			}
		default:
			for _, h := range r.Registered {
				if h.Addr().IsZero() && !registeredInSet(n, h) {
					notes = append(notes, fmt.Sprintf("could not follow the replica with server_id %d of %s: it reports no report_host/report_port", h.ServerID, n.Name()))
				}
			}
		}
	}
	return notes
}

// registeredInSet reports whether a registered replica of n is already a
// server of the topology replicating from n.
func registeredInSet(n *Node, h ReplicaHost) bool {
	for _, e := range n.Out {
		if id, ok := e.Replica.ServerID(); ok && id == h.ServerID {
			return true
		}
	}
	return false
}

// upstream returns n and every server it replicates from, directly or not,
// among those read.
func upstream(n *Node) []*Node {
	seen := map[*Node]bool{n: true}
	out := []*Node{n}
	for i := 0; i < len(out); i++ {
		for _, e := range out[i].In {
			if s := e.Source; s != nil && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
