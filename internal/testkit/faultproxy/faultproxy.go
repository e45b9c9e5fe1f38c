// Package faultproxy is a TCP proxy on 127.0.0.1 for tests that puts a bad
// network between a client and a server: it delays what it forwards, cuts
// connections (at once, or when the client sends given bytes, that is in
// the middle of a query), stalls them like a dead link, and counts them.
package faultproxy

import (
	"bytes"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Proxy forwards each connection accepted on its own address to a target.
type Proxy struct {
	target string
	ln     net.Listener

	mu       sync.Mutex
	delay    time.Duration // before each chunk is forwarded, either way
	stalled  bool          // forward nothing; connections stay open
	refuse   bool          // close new connections at once
	cutOn    [][]byte      // cut a connection once the client sends one of these
	hooks    []*hook       // run once before forwarding a matching client chunk
	links    map[*link]bool
	accepted int
	peak     int
	cuts     int
	resume   chan struct{} // closed when a stall ends

	wg     sync.WaitGroup
	closed bool
}

// hook is a function run once, when a client first sends a pattern.
type hook struct {
	pattern []byte
	f       func()
	fired   bool
}

// link is one proxied connection.
type link struct {
	client, server net.Conn
	once           sync.Once
	dead           atomic.Bool // being cut: forward nothing more
}

// New listens on a free port of 127.0.0.1 and forwards to target ("host:port").
func New(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: %w", err)
	}
	p := &Proxy{target: target, ln: ln, links: map[*link]bool{}, resume: make(chan struct{})}
	close(p.resume)
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// NewT starts a proxy for a test and closes it when the test ends.
func NewT(t testing.TB, target string) *Proxy {
	t.Helper()
	p, err := New(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// Addr returns the proxy's "127.0.0.1:PORT".
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Port returns the proxy's TCP port.
func (p *Proxy) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// SetDelay makes every chunk of data wait d before it is forwarded, in
// both directions; 0 forwards at once.
func (p *Proxy) SetDelay(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.delay = d
}

// Stall stops forwarding in both directions while keeping every
// connection open, as a link that went dead without a reset; new
// connections are accepted and stall too. Unstall resumes.
func (p *Proxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stalled {
		p.stalled = true
		p.resume = make(chan struct{})
	}
}

// Unstall resumes forwarding after Stall.
func (p *Proxy) Unstall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stalled {
		p.stalled = false
		close(p.resume)
	}
}

// Refuse makes the proxy close new connections as soon as they are
// accepted (on=false accepts them again).
func (p *Proxy) Refuse(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = on
}

// CutOn makes the proxy reset a connection right after forwarding a chunk
// from the client that contains pattern: the server got the statement, the
// client waits for an answer that never comes.
func (p *Proxy) CutOn(pattern string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutOn = append(p.cutOn, []byte(pattern))
}

// Before runs f once, the first time a client sends a chunk containing
// pattern, before that chunk is forwarded: the statement reaches the
// server only after f returned, which places a fault at an exact point of
// a run (a replica stopped, a table dropped).
func (p *Proxy) Before(pattern string, f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hooks = append(p.hooks, &hook{pattern: []byte(pattern), f: f})
}

// CutAll resets every open connection now.
func (p *Proxy) CutAll() {
	p.mu.Lock()
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	p.cuts += len(links)
	p.mu.Unlock()
	for _, l := range links {
		p.cut(l)
	}
}

// Open returns the number of connections open now.
func (p *Proxy) Open() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.links)
}

// Peak returns the highest number of connections open at once.
func (p *Proxy) Peak() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}

// Accepted returns the number of connections accepted so far.
func (p *Proxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// Cuts returns the number of connections cut by CutOn or CutAll.
func (p *Proxy) Cuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

// Close stops listening, closes every connection and waits for the
// forwarding goroutines.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	if p.stalled {
		p.stalled = false
		close(p.resume)
	}
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	p.mu.Unlock()
	p.ln.Close()
	for _, l := range links {
		l.close()
	}
	p.wg.Wait()
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.closed || p.refuse {
			p.mu.Unlock()
			reset(c)
			continue
		}
		p.accepted++
		p.mu.Unlock()
		p.wg.Add(1)
		go p.serve(c)
	}
}

// serve dials the target and forwards both ways until either side ends.
func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		reset(client)
		return
	}
	l := &link{client: client, server: server}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		l.close()
		return
	}
	p.links[l] = true
	p.peak = max(p.peak, len(p.links))
	p.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.pipe(l, client, server, true) }()
	go func() { defer wg.Done(); p.pipe(l, server, client, false) }()
	wg.Wait()
	l.close()
	p.mu.Lock()
	delete(p.links, l)
	p.mu.Unlock()
}

// pipe copies from src to dst chunk by chunk, applying the faults.
func (p *Proxy) pipe(l *link, src, dst net.Conn, fromClient bool) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			delay, cut, hooks := p.fault(chunk, fromClient)
			for _, f := range hooks {
				f()
			}
			if !p.wait(delay) || l.dead.Load() {
				l.close()
				return
			}
			if cut {
				// Nothing the server answers from now on reaches the client.
				// Counted now: the other direction may end the link first.
				p.mu.Lock()
				p.cuts++
				p.mu.Unlock()
				l.dead.Store(true)
			}
			if _, werr := dst.Write(chunk); werr != nil {
				l.close()
				return
			}
			if cut {
				p.cut(l)
				return
			}
		}
		if err != nil {
			l.close()
			return
		}
	}
}

// fault returns the delay for a chunk, whether it ends the link, and the
// hooks to run before it is forwarded.
func (p *Proxy) fault(chunk []byte, fromClient bool) (time.Duration, bool, []func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	cut := false
	var hooks []func()
	if fromClient {
		for _, pat := range p.cutOn {
			if bytes.Contains(chunk, pat) {
				cut = true
			}
		}
		for _, h := range p.hooks {
			if !h.fired && bytes.Contains(chunk, h.pattern) {
				h.fired = true
				hooks = append(hooks, h.f)
			}
		}
	}
	return p.delay, cut, hooks
}

// wait sleeps d and then while stalled; false when the proxy closed.
func (p *Proxy) wait(d time.Duration) bool {
	if d > 0 {
		time.Sleep(d)
	}
	for {
		p.mu.Lock()
		stalled, resume, closed := p.stalled, p.resume, p.closed
		p.mu.Unlock()
		if closed {
			return false
		}
		if !stalled {
			return true
		}
		<-resume
	}
}

// cut resets both sides of l (counted by the caller).
func (p *Proxy) cut(l *link) {
	l.dead.Store(true)
	l.once.Do(func() {
		reset(l.client)
		reset(l.server)
	})
}

// close ends both sides of l.
func (l *link) close() {
	l.once.Do(func() {
		l.client.Close()
		l.server.Close()
	})
}

// reset closes c with a TCP reset instead of an orderly close.
func reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}
