package checksum

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
)

// maxHops bounds how far up a replica's sources the route is searched.
const maxHops = 4

// hop is one replication link on a replica's way from the source.
type hop struct {
	Up, Down *node
	Channel  string // the connection name on Down ("" for the default)
}

// route is how a replica gets the source's changes.
type route struct {
	Hops    []hop  // from the source down to the replica
	Note    string // how, in words, for the long output
	NoWait  string // when set, no way to wait for coordinates: why
	Stopped string // when set, replication is stopped on the way: where
}

// link is one replica as compared with the source: its route and the ways
// of waiting in both directions.
type link struct {
	c   *checker
	src *node
	rep *node
	rt  route
}

// findRoute searches the replica's sources, breadth first, for the source.
func (c *checker) findRoute(ctx context.Context, rep *node) route {
	type partial struct {
		top  *node
		hops []hop // from top down to rep
	}
	if rep.ChannelsErr != nil {
		return c.gtidFallback(rep, fmt.Sprintf("its replication channels cannot be read (%v)", rep.ChannelsErr))
	}
	visited := map[uint32]bool{rep.ServerID: true}
	frontier := []partial{{top: rep}}
	var problems []string
	for depth := 0; depth < maxHops && len(frontier) > 0; depth++ {
		var next []partial
		for _, p := range frontier {
			for _, ch := range p.top.Channels {
				up, err := c.upstream(ctx, ch)
				if err != nil {
					problems = append(problems, err.Error())
					continue
				}
				hops := append([]hop{{Up: up, Down: p.top, Channel: ch.Name}}, p.hops...)
				if up == c.source {
					return c.describeRoute(hops)
				}
				if !visited[up.ServerID] {
					visited[up.ServerID] = true
					next = append(next, partial{top: up, hops: hops})
				}
			}
		}
		frontier = next
	}
	why := fmt.Sprintf("it does not replicate from the source %s through at most %d servers", c.source.Label, maxHops)
	if len(problems) > 0 {
		why += " (" + strings.Join(problems, "; ") + ")"
	}
	return c.gtidFallback(rep, why)
}

// gtidFallback is the route of a replica whose way from the source is not
// known: between MariaDB servers, waiting on its GTID position still works
// when every server on the way logs what it applies.
func (c *checker) gtidFallback(rep *node, why string) route {
	if c.source.mariaGTIDs() && rep.mariaGTIDs() || c.source.mysqlGTIDs() && rep.mysqlGTIDs() {
		return route{Hops: []hop{{Up: c.source, Down: rep}}, Note: why + "; waiting on its GTID position"}
	}
	return route{Note: why, NoWait: "no way to wait for the source's coordinates: " + why}
}

// describeRoute names the way in words and notes where it is broken.
func (c *checker) describeRoute(hops []hop) route {
	rt := route{Hops: hops}
	first := hops[0]
	if len(hops) == 1 {
		rt.Note = "replicates from the source" + channelWords(first.Channel)
		if c.replicatesFrom(c.source, first.Down) {
			rt.Note = "other master: replicates from the source" + channelWords(first.Channel) + ", which replicates from it"
		}
	} else {
		var via []string
		for _, h := range hops[1:] {
			via = append(via, h.Up.Label)
		}
		rt.Note = "replicates from the source through " + strings.Join(via, ", ")
		for _, h := range hops[1:] {
			if h.Up.LogBin && !h.Up.LogSlaveUpdates {
				rt.Note += fmt.Sprintf("; %s has %s=OFF: what it applies from its sources never reaches this replica",
					h.Up.Label, h.Up.ID.LogReplicaUpdatesVar())
			}
		}
	}
	for _, h := range hops {
		for _, ch := range h.Down.Channels {
			if ch.Name == h.Channel && ch.SQL == replica.Stopped {
				rt.Stopped = fmt.Sprintf("replication is stopped on %s%s (SQL thread not running)", h.Down.Label, channelWords(ch.Name))
			}
		}
	}
	return rt
}

// replicatesFrom reports whether a has a channel from b.
func (c *checker) replicatesFrom(a, b *node) bool {
	_, ok := channelFrom(a, b)
	return ok
}

// channelFrom returns down's channel that replicates from up.
func channelFrom(down, up *node) (replica.Channel, bool) {
	for _, ch := range down.Channels {
		if pointsAt(ch, up) {
			return ch, true
		}
	}
	return replica.Channel{}, false
}

// pointsAt reports whether ch replicates from n: by server_id when the
// replica reports its source's, else by address.
func pointsAt(ch replica.Channel, n *node) bool {
	if ch.SourceServerID != 0 {
		return uint32(ch.SourceServerID) == n.ServerID
	}
	return channelSource(ch).Same(n.Addr)
}

func channelWords(name string) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf(" (channel '%s')", name)
}

// channelSource is the address a channel replicates from, as the replica
// reports it.
func channelSource(ch replica.Channel) address.Addr {
	return address.TCP(ch.SourceHost, ch.SourcePort)
}

// upstream returns the server a channel replicates from: a known server
// when the server_id or address matches, else a new intermediate server,
// connected with the same credentials.
func (c *checker) upstream(ctx context.Context, ch replica.Channel) (*node, error) {
	if ch.SourceServerID != 0 {
		if n := c.knownByID(uint32(ch.SourceServerID)); n != nil {
			return n, nil
		}
	}
	addr := channelSource(ch)
	c.mu.Lock()
	for _, n := range c.known {
		if n.Addr.Same(addr) {
			c.mu.Unlock()
			return n, nil
		}
	}
	e, ok := c.resolving[addr.Key()]
	if !ok {
		e = &resolveEntry{done: make(chan struct{})}
		c.resolving[addr.Key()] = e
	}
	c.mu.Unlock()
	if ok {
		select {
		case <-e.done:
			return e.n, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	e.n, e.err = c.connectIntermediate(ctx, addr)
	close(e.done)
	return e.n, e.err
}

// resolveEntry is one intermediate server being connected, shared by the
// replicas below it.
type resolveEntry struct {
	done chan struct{}
	n    *node
	err  error
}

// connectIntermediate connects to a server found on a replica's way. Its
// address, as a replica reports it, is checked as a user's would be.
func (c *checker) connectIntermediate(ctx context.Context, addr address.Addr) (*node, error) {
	if _, err := address.Parse(addr.String()); err != nil {
		return nil, err
	}
	cfg := c.cfg.WithAddr(addr)
	cctx, cancel := context.WithTimeout(ctx, c.connectBound())
	defer cancel()
	n, err := connect(cctx, addr.String(), cfg, c.connectOpts())
	if err != nil {
		return nil, fmt.Errorf("intermediate server %s: %w", addr, err)
	}
	if k := c.knownByID(n.ServerID); k != nil {
		n.close()
		return k, nil
	}
	c.mu.Lock()
	c.known = append(c.known, n)
	c.mu.Unlock()
	return n, nil
}

// knownByID returns the connected server with that server_id.
func (c *checker) knownByID(id uint32) *node {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range c.known {
		if n.ServerID == id {
			return n
		}
	}
	return nil
}

// reach waits until the replica has applied the source's coordinates co,
// hop by hop: an intermediate server first reaches co, then the next server
// reaches what the intermediate has logged by then.
func (l *link) reach(ctx context.Context, co judge.Coords) (bool, string, error) {
	if l.rt.Stopped != "" {
		return false, l.rt.Stopped, nil
	}
	if l.rt.NoWait != "" {
		return false, l.rt.NoWait, nil
	}
	bound := l.c.waitBound()
	start := time.Now()
	for i, h := range l.rt.Hops {
		timeout := max(0, bound-time.Since(start))
		if h.Down.laggingReason() != "" {
			timeout = 0 // it failed once: only look
		}
		w, err := waitStatement(h.Up, h.Down, h.Channel, co, timeout)
		if err != nil {
			return false, "", err
		}
		ok, err := runWait(ctx, h.Down.pool.with, w, h.Down.Label)
		if err != nil {
			return false, "", err
		}
		if !ok {
			h.Down.setLagging(fmt.Sprintf("%s did not reach the source's coordinates within %s", h.Down.Label, judge.Seconds(bound)))
			return false, h.Down.laggingReason(), nil
		}
		if i+1 < len(l.rt.Hops) {
			err := h.Down.pool.with(ctx, func(s sqlConn) error {
				var err error
				co, err = h.Down.readCoords(ctx, s, h.Down.binlogCoordsQuery())
				return err
			})
			if err != nil {
				return false, "", err
			}
		}
	}
	return true, "", nil
}

// sourceCatchUp waits until the source has applied what the replica has:
// in a ring the replica (or a server on its way) takes writes that reach
// the source later. srcExec runs statements on the source (the session
// holding the table lock under --lock).
func (l *link) sourceCatchUp(ctx context.Context, srcExec executor) (bool, string, error) {
	src, rep := l.src, l.rep
	if len(src.Channels) == 0 && src.ChannelsErr == nil {
		// A source that replicates from nothing never applies what a
		// replica wrote itself: such a difference is drift, not writes
		// on their way.
		return true, "", nil
	}
	bound := l.c.waitBound()
	var w waitSpec
	switch {
	case src.mariaGTIDs() && rep.mariaGTIDs():
		have, err := rep.appliedCoords(ctx)
		if err != nil {
			return false, "", err
		}
		var got judge.Coords
		err = srcExec(ctx, func(s sqlConn) error {
			var err error
			got, err = src.readCoords(ctx, s, "SELECT CONCAT_WS(',', NULLIF(@@GLOBAL.gtid_binlog_pos, ''), NULLIF(@@GLOBAL.gtid_slave_pos, ''))")
			return err
		})
		if err != nil {
			return false, "", err
		}
		target, err := notCovered(have.GTID, got.GTID, src.ServerID)
		if err != nil {
			return false, "", err
		}
		if target == "" {
			return true, "", nil
		}
		if w, err = waitStatement(rep, src, "", judge.Coords{GTID: target}, bound); err != nil {
			return false, "", err
		}
	case src.mysqlGTIDs() && rep.mysqlGTIDs():
		if len(src.Channels) == 0 {
			return true, "", nil
		}
		have, err := rep.appliedCoords(ctx)
		if err != nil {
			return false, "", err
		}
		if w, err = waitStatement(rep, src, "", have, bound); err != nil {
			return false, "", err
		}
	default:
		ch, ok := channelFrom(src, rep)
		if !ok {
			return true, "", nil // the source does not replicate from the replica
		}
		var have judge.Coords
		err := rep.pool.with(ctx, func(s sqlConn) error {
			var err error
			have, err = rep.readCoords(ctx, s, rep.ID.MasterStatusQuery())
			return err
		})
		if err != nil {
			return false, "", err
		}
		if w, err = waitStatement(rep, src, ch.Name, judge.Coords{File: have.File, Pos: have.Pos}, bound); err != nil {
			return false, "", err
		}
	}
	ok, err := runWait(ctx, srcExec, w, src.Label)
	if err != nil || ok {
		return ok, "", err
	}
	return false, fmt.Sprintf("the source did not apply the replica's own writes within %s", judge.Seconds(bound)), nil
}

// runWait runs a wait statement with exec; true when the server got there.
func runWait(ctx context.Context, exec executor, w waitSpec, label string) (bool, error) {
	if w.Kind == waitNone {
		return true, nil
	}
	var ok bool
	err := exec(ctx, func(s sqlConn) error {
		v, null, err := query.One(ctx, s, w.Query)
		if err != nil {
			return fmt.Errorf("waiting on %s: %w", label, query.Explain(err))
		}
		ok = w.reached(v, null)
		return nil
	})
	return ok, err
}
