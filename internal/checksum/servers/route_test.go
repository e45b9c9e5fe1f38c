package servers

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/replica"
)

// One rule says which known server a channel replicates from: its
// server_uuid when the replica reports it, else its address, compared as
// internal/address compares every address. The server_id alone never
// decides.
func TestKnownFor(t *testing.T) {
	m1 := &Node{Label: "m1", ServerID: 1, Addr: address.TCP("127.0.0.1", 3306)}
	my := &Node{Label: "my", ServerID: 1, UUID: "3E11FA47-71CA-11E1-9E33-C80AA9429562", Addr: address.TCP("db9", 3306)}
	known := []*Node{m1, my}
	tests := []struct {
		name string
		ch   replica.Channel
		want *Node
	}{
		{"server_uuid", replica.Channel{SourceUUID: "3e11fa47-71ca-11e1-9e33-c80aa9429562", SourceServerID: 1, SourceHost: "elsewhere", SourcePort: 1}, my},
		{"server_id alone is not enough", replica.Channel{SourceServerID: 1, SourceHost: "elsewhere", SourcePort: 3306}, nil},
		{"address", replica.Channel{SourceServerID: 1, SourceHost: "127.0.0.1", SourcePort: 3306}, m1},
		{"localhost is the loopback", replica.Channel{SourceHost: "localhost", SourcePort: 3306}, m1},
		{"::1 is the loopback", replica.Channel{SourceHost: "::1", SourcePort: 3306}, m1},
		{"another port", replica.Channel{SourceHost: "127.0.0.1", SourcePort: 3307}, nil},
		{"another host", replica.Channel{SourceHost: "db2", SourcePort: 3306}, nil},
	}
	for _, tt := range tests {
		if got := knownFor(tt.ch, known); got != tt.want {
			t.Errorf("%s: knownFor = %v, want %v", tt.name, label(got), label(tt.want))
		}
	}
}

func label(n *Node) string {
	if n == nil {
		return "none"
	}
	return n.Label
}

// TestKey: a server is told apart by server_uuid, else by host name, port
// and server_id together; two servers sharing a server_id (1 is many
// installations' default) are not one.
func TestKey(t *testing.T) {
	a := &Node{ServerID: 1, Hostname: "db1", Port: 3306}
	b := &Node{ServerID: 1, Hostname: "db2", Port: 3306}
	c := &Node{ServerID: 1, Hostname: "db1", Port: 3307}
	a2 := &Node{ServerID: 1, Hostname: "DB1", Port: 3306}
	u1 := &Node{ServerID: 1, Hostname: "db1", Port: 3306, UUID: "3E11FA47-71CA-11E1-9E33-C80AA9429562"}
	u2 := &Node{ServerID: 7, Hostname: "x", Port: 1, UUID: "3e11fa47-71ca-11e1-9e33-c80aa9429562"}
	if a.Same(b) || a.Same(c) || !a.Same(a2) || u1.Same(a) || !u1.Same(u2) {
		t.Errorf("keys %q %q %q %q %q %q", a.Key(), b.Key(), c.Key(), a2.Key(), u1.Key(), u2.Key())
	}
}

// seedNodes is the seed's ring with a replica under each master, channels
// already resolved (no connection is made): m1 and m2 replicate each
// other, m1r1 replicates from m1, m2r1 from m2.
func seedNodes(t *testing.T, newNode func(label string, id uint32) *Node) (m1, m2, m1r1, m2r1 *Node) {
	t.Helper()
	m1, m2, m1r1, m2r1 = newNode("m1", 1), newNode("m2", 2), newNode("m1r1", 11), newNode("m2r1", 21)
	link := func(down, up *Node) {
		ch := replica.Channel{SourceHost: "127.0.0.1", SourcePort: up.Port, SourceServerID: int64(up.ServerID), IO: replica.Running, SQL: replica.Running, UsingGTID: "Slave_Pos"}
		down.Channels = append(down.Channels, ch)
		if down.ups == nil {
			down.ups = map[string]*Node{}
		}
		down.ups[ch.Name] = up
	}
	link(m1, m2)
	link(m2, m1)
	link(m1r1, m1)
	link(m2r1, m2)
	return
}

// TestBack: what flows from a replica's side back to the source, and is
// waited for before a difference is drift. In the ring, the other master
// and its replicas have the other master's writes before the source; a
// replica of the source has nothing the source will get: its own writes,
// logged or not, are drift at once (issue 12 item 7).
func TestBack(t *testing.T) {
	m1, m2, m1r1, m2r1 := seedNodes(t, func(l string, id uint32) *Node {
		return &Node{Label: l, ServerID: id, ID: mustParse(t, "10.11.6-MariaDB", ""), Hostname: "h", Port: 3300 + int(id), LogBin: true, LogSlaveUpdates: true}
	})
	set := &Set{known: []*Node{m1, m2, m1r1, m2r1}}
	ctx := context.Background()
	sources := FindSources(ctx, set, m1)
	if sources.unknown != "" || len(sources.routes) != 1 {
		t.Fatalf("sources of m1: %+v", sources)
	}
	for _, tt := range []struct {
		rep  *Node
		from []string
	}{{m1r1, nil}, {m2, []string{"m2"}}, {m2r1, []string{"m2"}}} {
		backs, unknown := sources.Back(ctx, set, tt.rep)
		var from []string
		for _, b := range backs {
			from = append(from, b.From.Label)
			if h := b.Route.Hops; len(h) != 1 || h[0].Up != m2 || h[0].Down != m1 || h[0].By != byGTID {
				t.Errorf("%s: way back %+v, want m2 to m1 by GTID", tt.rep.Label, h)
			}
		}
		if unknown != "" || !slices.Equal(from, tt.from) {
			t.Errorf("%s: back from %v (unknown %q), want %v", tt.rep.Label, from, unknown, tt.from)
		}
	}
	if rt := FindRoute(ctx, set, m1, m2); rt.Note != "other master: replicates from the source, which replicates from it" || len(rt.Hops) != 1 {
		t.Errorf("route to m2: %+v", rt)
	}
	if rt := FindRoute(ctx, set, m1, m2r1); rt.Note != "replicates from the source through m2" || len(rt.Hops) != 2 {
		t.Errorf("route to m2r1: %+v", rt)
	}
	m1.ChannelsErr = errDenied
	if _, unknown := FindSources(ctx, set, m1).Back(ctx, set, m2); unknown == "" {
		t.Error("channels of the source unreadable: the ways back are known")
	}
}

// TestNoCatchUpForOwnWrites: a replica of a source that replicates from
// elsewhere (a ring master, a relay) wrote a row with its binary log on.
// Nothing flows from it to the source, so the source waits for nothing
// and the difference is drift at once, on MySQL GTID and MariaDB alike;
// before, the source waited for the replica's whole gtid_executed (MySQL)
// or for the replica's own domain (MariaDB) until a third of the run time
// had passed, and the table was "unsettled".
func TestNoCatchUpForOwnWrites(t *testing.T) {
	fs := loadFixtures(t)
	for _, flavour := range []string{"mysql-8.4", "mariadb-10.11"} {
		m1, m2, m1r1, _ := seedNodes(t, func(l string, id uint32) *Node {
			n := recordedNode(t, fs[flavour], "ON")
			n.Label, n.ServerID, n.Hostname, n.Port, n.Channels = l, id, "h", 3300+int(id), nil
			if n.UUID != "" {
				n.UUID = fmt.Sprintf("3e11fa47-71ca-11e1-9e33-c80aa94295%02d", id)
			}
			return n
		})
		fakes := fakeServers(t, m1, m2, m1r1)
		set := &Set{known: []*Node{m1, m2, m1r1}}
		ctx := context.Background()
		l := &Link{Src: m1, Rep: m1r1, Route: FindRoute(ctx, set, m1, m1r1), Deadline: time.Now().Add(3 * time.Second)}
		l.Back, l.BackUnknown = FindSources(ctx, set, m1).Back(ctx, set, m1r1)
		start := time.Now()
		ok, why, err := l.SourceCatchUp(ctx, m1.With)
		if !ok || err != nil || why != "" || time.Since(start) > time.Second {
			t.Errorf("%s: SourceCatchUp = %v %q %v after %s, want true at once", flavour, ok, why, err, time.Since(start))
		}
		if q := fakes.sent(); len(q) != 0 {
			t.Errorf("%s: the source waited for the replica's own writes: %q", flavour, q)
		}
	}
}

var errDenied = errors.New("access denied")
