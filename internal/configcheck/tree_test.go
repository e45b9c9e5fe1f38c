package configcheck

import (
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/render"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/configtopo"
)

// TestTreeGolden draws a topology with every shape the tree knows: a ring
// of three, a relay chain, a multi-source replica, an unreachable server
// and a source outside the set.
func TestTreeGolden(t *testing.T) {
	mk, from := configtopo.Server, configtopo.From
	ring := func(addr string, id int, src string) *topology.Snapshot {
		return from(mk(addr, id, "8.0.36", "auto_increment_increment", "3", "auto_increment_offset", strconv.Itoa(id), "read_only", "OFF"), src)
	}
	snaps := []*topology.Snapshot{
		ring("a:3306", 1, "c:3306"), ring("b:3306", 2, "a:3306"), ring("c:3306", 3, "b:3306"),
		from(mk("ra:3306", 11, "8.0.36"), "a:3306"),
		from(mk("i:3306", 12, "8.0.36", "read_only", "OFF"), "a:3306"),
		from(mk("ri1:3306", 21, "8.0.36"), "i:3306"),
		from(mk("ri2:3306", 22, "8.0.36", "read_only", "OFF"), "i:3306"),
		mk("m:3306", 30, "8.0.36", "read_only", "OFF"),
		from(mk("multi:3306", 31, "8.0.36"), "m:3306", "c:3306"),
		from(mk("lost:3306", 40, "8.0.36"), "outside:3306"),
		from(mk("gone-child:3306", 41, "8.0.36"), "gone:3306"),
		{Addr: address.TCP("gone", 3306), Err: errors.New("connection refused")},
	}
	tp := configtopo.Build(topology.Set, snaps...)
	fs := judge.Evaluate(tp, defaults)
	// The tree's first line links the ring's members.
	noMarks := func(*topology.Node) string { return "" }
	if len(tp.Rings) != 1 || render.Tree(tp, noMarks)[0] != "ring: a:3306 (server_id 1) -> b:3306 (server_id 2) -> c:3306 (server_id 3) -> a:3306 (server_id 1)" {
		t.Errorf("rings %v", tp.Rings)
	}
	clitest.Golden(t, filepath.Join("testdata", "golden", "tree.txt"), output(tp, fs))
	// --full-output: every server has its line.
	r := plugin.NewReport(io.Discard, 0)
	r.SetOutput(0, true)
	render.Render(r, tp, fs)
	clitest.Golden(t, filepath.Join("testdata", "golden", "tree-full.txt"), r.Render("REPL_CONFIG"))
}

// TestGraph draws the same shapes as TestTreeGolden as a Graphviz picture,
// which dot must accept, and the seed's disaster recorded on MySQL 8.0:
// the arrows to the replicas of the master without log_replica_updates
// are red, as is its box.
func TestGraph(t *testing.T) {
	mk, from := configtopo.Server, configtopo.From
	ring := func(addr string, id int, src string) *topology.Snapshot {
		return from(mk(addr, id, "8.0.36", "auto_increment_increment", "3", "auto_increment_offset", strconv.Itoa(id), "read_only", "OFF"), src)
	}
	stopped := from(mk("st:3306", 13, "8.0.36"), "a:3306")
	stopped.Channels[0].IO = replica.Stopped
	tp := configtopo.Build(topology.Set,
		ring("a:3306", 1, "c:3306"), ring("b:3306", 2, "a:3306"), ring("c:3306", 3, "b:3306"),
		from(mk("i:3306", 12, "8.0.36", "read_only", "OFF"), "a:3306"), from(mk("ri:3306", 21, "8.0.36"), "i:3306"),
		stopped, from(mk("lost:3306", 40, "8.0.36"), "outside:3306"),
		&topology.Snapshot{Addr: address.TCP("gone", 3306), Err: errors.New("connection refused")})
	dot := render.Graph(tp, judge.Evaluate(tp, defaults))
	clitest.Dot(t, dot)
	clitest.Golden(t, filepath.Join("testdata", "golden", "graph.dot"), dot)

	ft := loadFixtureTopology(t, filepath.Join("testdata", "mysql-8.0"))
	rec := ft.crawl(t, topology.Set, nil, "m1", "m2", "r1")
	dot = render.Graph(rec, judge.Evaluate(rec, judge.Options{}))
	svg := clitest.Dot(t, dot)
	for _, want := range []string{`s3 [label="r1.db:3306 (server_id 21)\nMySQL 8.0.36\nreplica\n[WARNING: read-only] [misses relayed writes]", fillcolor="#ffe082"`,
		`s2 -> s3 [color="#c62828", label="misses relayed writes"];`, `s1 -> s2 [color="#424242"];`, `style="rounded,filled", color="#c62828", penwidth=2, tooltip=`} {
		if !strings.Contains(dot, want) {
			t.Errorf("picture lacks %s:\n%s", want, dot)
		}
	}
	if !strings.Contains(svg, "misses relayed writes") {
		t.Errorf("the SVG lacks the red arrow's label")
	}
}
