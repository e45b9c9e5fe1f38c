package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// maxSocketPath keeps socket paths under the 108-byte sun_path limit.
const maxSocketPath = 100

// Sandbox is a set of running mariadbd processes under one directory.
type Sandbox struct {
	Dir string // temporary directory holding every server's files

	topo    Topology
	servers []*Server
	byName  map[string]*Server
	bins    binaries

	portMu sync.Mutex
	ports  map[int]bool // ports handed out in this sandbox

	stopOnce sync.Once
	stopErr  error
}

// Start creates the servers of topo, starts them in parallel, wires and
// starts replication, and returns once every channel's IO and SQL threads
// are running. On error nothing is left running.
func Start(ctx context.Context, topo Topology) (*Sandbox, error) {
	topo = topo.clone()
	if err := topo.validate(); err != nil {
		return nil, err
	}
	bins, err := systemBinaries()
	if err != nil {
		return nil, err
	}
	tpl, err := templateDir(ctx, bins)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(shortTempDir(), "rs")
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	sb := &Sandbox{Dir: dir, topo: topo, byName: map[string]*Server{}, bins: bins, ports: map[int]bool{}}
	if err := sb.create(ctx, tpl); err != nil {
		sb.Stop()
		return nil, err
	}
	if err := sb.wire(ctx); err != nil {
		sb.Stop()
		return nil, err
	}
	return sb, nil
}

// shortTempDir returns /tmp, or $TMPDIR if /tmp is unusable, so socket
// paths stay short.
func shortTempDir() string {
	if fi, err := os.Stat("/tmp"); err == nil && fi.IsDir() {
		return "/tmp"
	}
	return os.TempDir()
}

// clone returns a deep copy, so later changes by the caller do not leak in.
func (t Topology) clone() Topology {
	c := Topology{Servers: slices.Clone(t.Servers)}
	for i := range c.Servers {
		c.Servers[i].Sources = slices.Clone(c.Servers[i].Sources)
		c.Servers[i].Cnf = slices.Clone(c.Servers[i].Cnf)
		if f := c.Servers[i].TLS; f != nil {
			copied := *f
			c.Servers[i].TLS = &copied
		}
	}
	return c
}

// create lays out and starts every server in parallel.
func (sb *Sandbox) create(ctx context.Context, tpl string) error {
	for _, spec := range sb.topo.Servers {
		if spec.Port != 0 {
			sb.ports[spec.Port] = true
		}
	}
	for _, spec := range sb.topo.Servers {
		d := filepath.Join(sb.Dir, spec.Name)
		s := &Server{
			Name: spec.Name, ServerID: spec.ServerID, Port: spec.Port,
			Socket: filepath.Join(d, "mysqld.sock"), DataDir: filepath.Join(d, "data"), Dir: d,
			CnfFile: filepath.Join(d, "my.cnf"), PidFile: filepath.Join(d, "mysqld.pid"),
			LogFile: filepath.Join(d, "error.log"), TmpDir: filepath.Join(d, "tmp"), Spec: spec, bins: sb.bins,
		}
		if len(s.Socket) > maxSocketPath {
			return fmt.Errorf("sandbox: socket path %s longer than %d bytes", s.Socket, maxSocketPath)
		}
		if s.Port == 0 {
			p, err := sb.freePort()
			if err != nil {
				return err
			}
			s.Port = p
		}
		s.Spec.Port = s.Port
		sb.servers = append(sb.servers, s)
		sb.byName[s.Name] = s
	}
	errs := make([]error, len(sb.servers))
	var wg sync.WaitGroup
	for i, s := range sb.servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = sb.createServer(ctx, s, tpl)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// createServer copies the template, writes my.cnf and starts one server,
// moving to another port if the picked one was taken meanwhile.
func (sb *Sandbox) createServer(ctx context.Context, s *Server, tpl string) error {
	if err := os.Mkdir(s.Dir, 0o700); err != nil {
		return fmt.Errorf("sandbox: %s: %w", s.Name, err)
	}
	if err := copyTree(tpl, s.DataDir); err != nil {
		return fmt.Errorf("sandbox: %s: copy template: %w", s.Name, err)
	}
	if err := os.Mkdir(s.TmpDir, 0o700); err != nil {
		return fmt.Errorf("sandbox: %s: %w", s.Name, err)
	}
	for attempt := 1; ; attempt++ {
		if err := os.WriteFile(s.CnfFile, []byte(renderCnf(s)), 0o600); err != nil {
			return fmt.Errorf("sandbox: %s: %w", s.Name, err)
		}
		err := s.start(ctx)
		if err == nil {
			return nil
		}
		inUse := strings.Contains(s.LogTail(15), "Address already in use")
		if !inUse || attempt == 3 || sb.topoSpec(s.Name).Port != 0 {
			return err
		}
		p, perr := sb.freePort()
		if perr != nil {
			return errors.Join(err, perr)
		}
		s.Port, s.Spec.Port = p, p
	}
}

// topoSpec returns the spec of name as given to Start.
func (sb *Sandbox) topoSpec(name string) ServerSpec {
	return *sb.topo.Server(name)
}

// freePort returns a port on 127.0.0.1 that accepted a listener just now,
// is not 3306 and is not used by another server of this sandbox.
func (sb *Sandbox) freePort() (int, error) {
	sb.portMu.Lock()
	defer sb.portMu.Unlock()
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("sandbox: pick a port: %w", err)
		}
		held = append(held, l)
		p := l.Addr().(*net.TCPAddr).Port
		if p != 3306 && p > 1024 && !sb.ports[p] {
			sb.ports[p] = true
			return p, nil
		}
	}
	return 0, fmt.Errorf("sandbox: no free port found")
}

// Stop ends every server cleanly (SIGCONT first, then SIGTERM, SIGKILL
// after a bound), closes the root pools and removes Dir. It is safe to
// call more than once.
func (sb *Sandbox) Stop() error {
	sb.stopOnce.Do(func() {
		errs := make([]error, len(sb.servers))
		var wg sync.WaitGroup
		for i, s := range sb.servers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.mu.Lock()
				p := s.proc
				s.mu.Unlock()
				if p != nil && !p.exited() {
					errs[i] = s.shutdownProcess(p)
				}
				_ = s.closeDB()
			}()
		}
		wg.Wait()
		if err := os.RemoveAll(sb.Dir); err != nil {
			errs = append(errs, fmt.Errorf("sandbox: %w", err))
		}
		sb.stopErr = errors.Join(errs...)
	})
	return sb.stopErr
}

// Server returns the named server, or nil.
func (sb *Sandbox) Server(name string) *Server { return sb.byName[name] }

// Servers returns the servers in topology order.
func (sb *Sandbox) Servers() []*Server { return slices.Clone(sb.servers) }

// Topology returns a copy of the topology, with the ports in use.
func (sb *Sandbox) Topology() Topology {
	t := Topology{}
	for _, s := range sb.servers {
		t.Servers = append(t.Servers, s.Spec)
	}
	return t.clone()
}
