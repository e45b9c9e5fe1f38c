package servers

import (
	"context"
	"fmt"
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
	known     []*Node                  // every connected server, for matching server_ids
	resolving map[string]*resolveEntry // by address Key
}

// NewSet returns an empty set of servers that connects the servers it
// finds with cfg's credentials and o.
func NewSet(cfg mysqlconn.Config, o ConnectOptions) *Set {
	return &Set{cfg: cfg, opts: o, resolving: map[string]*resolveEntry{}}
}

// Add records a connected server, to be found by server_id or address and
// closed by Close.
func (s *Set) Add(n *Node) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known = append(s.known, n)
}

// upstream returns the server a channel replicates from: a known server
// when the server_id or address matches, else a new intermediate server,
// connected with the source's credentials.
func (s *Set) upstream(ctx context.Context, ch replica.Channel) (*Node, error) {
	if ch.SourceServerID != 0 {
		if n := s.byID(uint32(ch.SourceServerID)); n != nil {
			return n, nil
		}
	}
	addr := channelSource(ch)
	s.mu.Lock()
	for _, n := range s.known {
		if n.Addr.Same(addr) {
			s.mu.Unlock()
			return n, nil
		}
	}
	e, ok := s.resolving[addr.Key()]
	if !ok {
		e = &resolveEntry{done: make(chan struct{})}
		s.resolving[addr.Key()] = e
	}
	s.mu.Unlock()
	if ok {
		select {
		case <-e.done:
			return e.n, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	e.n, e.err = s.connectIntermediate(ctx, addr)
	close(e.done)
	return e.n, e.err
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
	if k := s.byID(n.ServerID); k != nil {
		n.Close()
		return k, nil
	}
	s.mu.Lock()
	s.known = append(s.known, n)
	s.mu.Unlock()
	return n, nil
}

// byID returns the connected server with that server_id.
func (s *Set) byID(id uint32) *Node {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.known {
		if n.ServerID == id {
			return n
		}
	}
	return nil
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
