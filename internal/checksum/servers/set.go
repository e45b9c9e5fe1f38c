package servers

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/replica"
)

// Set is the servers of one run: the source, the replicas, and the
// intermediate servers found on the replicas' way from the source, each
// connected once (with the source's credentials) and closed together.
type Set struct {
	cfg  mysqlconn.Config // the source's connection: credentials and TLS for every server
	opts ConnectOptions

	mu        sync.Mutex
	known     []*Node                  // every connected server
	resolving map[string]*resolveEntry // by address Key
}

// NewSet returns an empty set of servers that connects the servers it
// finds with cfg's credentials and o.
func NewSet(cfg mysqlconn.Config, o ConnectOptions) *Set {
	return &Set{cfg: cfg, opts: o, resolving: map[string]*resolveEntry{}}
}

// Add records a connected server, to be found by identity or address and
// closed by Close.
func (s *Set) Add(n *Node) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known = append(s.known, n)
}

// upstream returns the server that down's channel ch replicates from,
// resolved once per channel (resolve).
func (s *Set) upstream(ctx context.Context, down *Node, ch replica.Channel) (*Node, error) {
	down.mu.Lock()
	n, ok := down.ups[ch.Name]
	down.mu.Unlock()
	if ok {
		return n, nil
	}
	n, err := s.resolve(ctx, ch)
	if err != nil {
		return nil, err
	}
	down.mu.Lock()
	if down.ups == nil {
		down.ups = map[string]*Node{}
	}
	down.ups[ch.Name] = n
	down.mu.Unlock()
	return n, nil
}

// resolve finds the server a channel replicates from among the known ones
// (by server_uuid, else by address: knownFor), else connects to the
// channel's address with the source's credentials; a server reached there
// that is known under another address is the known one. When the address
// cannot be connected from here (replicas often replicate over a network
// of their own), a known server with the channel's server_id and port is
// taken: two servers agreeing on both are one.
func (s *Set) resolve(ctx context.Context, ch replica.Channel) (*Node, error) {
	s.mu.Lock()
	if n := knownFor(ch, s.known); n != nil {
		s.mu.Unlock()
		return n, nil
	}
	addr := channelSource(ch)
	e, ok := s.resolving[addr.Key()]
	if !ok {
		e = &resolveEntry{done: make(chan struct{})}
		s.resolving[addr.Key()] = e
	}
	s.mu.Unlock()
	if ok {
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	} else {
		e.n, e.err = s.connectIntermediate(ctx, addr)
		close(e.done)
	}
	if e.err != nil && ch.SourceServerID != 0 {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, n := range s.known {
			if int64(n.ServerID) == ch.SourceServerID && n.Port == ch.SourcePort {
				return n, nil
			}
		}
	}
	return e.n, e.err
}

// knownFor returns the server of known that ch replicates from: the one
// with the channel's server_uuid when the replica reports it (MySQL), else
// the one connected at the channel's address.
func knownFor(ch replica.Channel, known []*Node) *Node {
	if ch.SourceUUID != "" {
		for _, n := range known {
			if n.UUID != "" && strings.EqualFold(n.UUID, ch.SourceUUID) {
				return n
			}
		}
	}
	addr := channelSource(ch)
	for _, n := range known {
		if n.Addr.Same(addr) {
			return n
		}
	}
	return nil
}

// resolveEntry is one intermediate server being connected, shared by the
// replicas below it.
type resolveEntry struct {
	done chan struct{}
	n    *Node
	err  error
}

// connectIntermediate connects to a server found on a replica's way. Its
// address, as a replica reports it, is checked as a user's would be.
func (s *Set) connectIntermediate(ctx context.Context, addr address.Addr) (*Node, error) {
	if _, err := address.Parse(addr.String()); err != nil {
		return nil, err
	}
	cfg := s.cfg.WithAddr(addr)
	cctx, cancel := context.WithTimeout(ctx, s.opts.Bound())
	defer cancel()
	n, err := Connect(cctx, addr.String(), cfg, s.opts)
	if err != nil {
		return nil, fmt.Errorf("intermediate server %s: %w", addr, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.known {
		if k.Same(n) {
			n.Close()
			return k, nil
		}
	}
	s.known = append(s.known, n)
	return n, nil
}

// Close releases every server.
func (s *Set) Close() {
	s.mu.Lock()
	known := s.known
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, n := range known {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.Close()
		}()
	}
	wg.Wait()
}
