package configcheck

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/read"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/testkit/fakedb"
	"github.com/replmon/replmon/internal/testkit/recorded"
)

// The fixtures of testdata/ are files of package recorded: one server's
// answers, statement by statement.

// fixtureServer is one recorded server.
type fixtureServer = recorded.Server

const variablesSection = recorded.VariablesStatement

// fixtureScript returns the fake server's answers for a reader asking for
// the audited variables plus extra ones.
func fixtureScript(fs *fixtureServer, extra []string) map[string]fakedb.Result {
	s := map[string]fakedb.Result{}
	for stmt, r := range fs.Answers {
		if stmt != variablesSection {
			s[stmt] = r
		}
	}
	names := read.VariableNames(extra)
	if v, ok := fs.Variables(names); ok {
		s[read.VariablesQuery(names)] = v
	}
	return s
}

// fixtureTopology is a directory of fixture servers.
type fixtureTopology struct {
	Servers []*fixtureServer
	fakes   map[string]*fakedb.Server // by address, after dial
}

// loadFixtureTopology reads every *.txt of dir, in name order.
func loadFixtureTopology(t *testing.T, dir string) *fixtureTopology {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixture in %s (%v)", dir, err)
	}
	sort.Strings(paths)
	ft := &fixtureTopology{fakes: map[string]*fakedb.Server{}}
	for _, p := range paths {
		fs, err := recorded.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		ft.Servers = append(ft.Servers, fs)
	}
	return ft
}

// server returns the fixture named name.
func (ft *fixtureTopology) server(t *testing.T, name string) *fixtureServer {
	t.Helper()
	for _, s := range ft.Servers {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no fixture server %q", name)
	return nil
}

// dialer serves each fixture at its address; other addresses are refused
// as a closed port would be.
func (ft *fixtureTopology) dialer(extra []string) read.Dialer {
	return func(ctx context.Context, addr address.Addr) (query.Runner, func(), error) {
		for _, s := range ft.Servers {
			if s.Addr == addr.String() {
				fake := fakedb.New(fixtureScript(s, extra))
				ft.fakes[s.Addr] = fake
				return fake, func() {}, nil
			}
		}
		return nil, nil, fmt.Errorf("cannot connect to %s: connection refused", addr)
	}
}

// queries returns the statements sent to the server at addr.
func (ft *fixtureTopology) queries(addr string) []string {
	if f := ft.fakes[addr]; f != nil {
		return f.Queries()
	}
	return nil
}

// crawl audits the fixtures in mode, starting from the named servers.
func (ft *fixtureTopology) crawl(t *testing.T, mode topology.Mode, extra []string, names ...string) *topology.Topology {
	t.Helper()
	var addrs []string
	for _, n := range names {
		addrs = append(addrs, ft.server(t, n).Addr)
	}
	c := &read.Crawler{Dial: ft.dialer(extra), User: "monitor", Extra: extra}
	return c.Crawl(context.Background(), mode, parseAddrs(t, addrs...))
}

// parseAddrs parses server addresses, for tests.
func parseAddrs(t *testing.T, specs ...string) []address.Addr {
	t.Helper()
	var out []address.Addr
	for _, s := range specs {
		a, err := address.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}
