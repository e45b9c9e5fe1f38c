package topology_test

import (
	"testing"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/testkit/configtopo"
)

// TestSourcesResolveByAddressKey: a channel finds its source through
// address.Key, whatever spelling of the same address each side uses.
func TestSourcesResolveByAddressKey(t *testing.T) {
	for _, tc := range []struct{ reached, channel string }{
		{"127.0.0.1:3306", "localhost:3306"},
		{"localhost:3306", "[::1]:3306"},
		{"DB1.example.com:3306", "db1.EXAMPLE.com:3306"},
		{"[2001:db8::7]:3306", "[2001:DB8:0::7]:3306"},
	} {
		src := configtopo.Server(tc.reached, 1, "8.0.36")
		r := configtopo.From(configtopo.Server("r:3307", 2, "8.0.36"), tc.channel)
		tp := configtopo.Build(topology.Set, src, r)
		if e := tp.Nodes[1].In[0]; e.Source != tp.Nodes[0] {
			t.Errorf("reached at %s, the channel to %s did not find it", tc.reached, tc.channel)
		}
	}
}

// TestKeys: a server is known by where it was reached, by 127.0.0.1 and its
// port when that was a socket, and by its hostname and report_host.
func TestKeys(t *testing.T) {
	s := configtopo.Server("db1:3306", 1, "8.0.36", "report_host", "Db1.Example", "report_port", "3310")
	s.Addr = address.Unix("/run/mysqld/mysqld.sock")
	n := &topology.Node{Snapshot: s, Aliases: []address.Addr{address.TCP("localhost", 3306)}}
	got := n.Keys()
	want := []string{"unix:/run/mysqld/mysqld.sock", "127.0.0.1:3306", "127.0.0.1:3306", "h1:3306", "db1.example:3310"}
	if len(got) != len(want) {
		t.Fatalf("keys %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("keys %q, want %q", got, want)
			break
		}
	}
}
