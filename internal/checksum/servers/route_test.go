package servers

import (
	"testing"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/replica"
)

// One rule says whether a channel replicates from a server, for the
// route's ring note and for the source's wait on a replica: the source's
// server_id when the replica reports it, else the address, compared as
// internal/address compares every address.
func TestPointsAt(t *testing.T) {
	m1 := &Node{Label: "m1", ServerID: 1, Addr: address.TCP("127.0.0.1", 3306)}
	tests := []struct {
		name string
		ch   replica.Channel
		want bool
	}{
		{"server_id", replica.Channel{SourceServerID: 1, SourceHost: "elsewhere", SourcePort: 1}, true},
		{"another server_id at the same address", replica.Channel{SourceServerID: 2, SourceHost: "127.0.0.1", SourcePort: 3306}, false},
		{"address", replica.Channel{SourceHost: "127.0.0.1", SourcePort: 3306}, true},
		{"localhost is the loopback", replica.Channel{SourceHost: "localhost", SourcePort: 3306}, true},
		{"::1 is the loopback", replica.Channel{SourceHost: "::1", SourcePort: 3306}, true},
		{"another port", replica.Channel{SourceHost: "127.0.0.1", SourcePort: 3307}, false},
		{"another host", replica.Channel{SourceHost: "db2", SourcePort: 3306}, false},
	}
	for _, tt := range tests {
		if got := pointsAt(tt.ch, m1); got != tt.want {
			t.Errorf("%s: pointsAt = %v, want %v", tt.name, got, tt.want)
		}
		down := &Node{Label: "m2", ServerID: 2, Channels: []replica.Channel{{Name: "other", SourceHost: "db9", SourcePort: 3306}, tt.ch}}
		ch, ok := channelFrom(down, m1)
		if ok != tt.want || replicatesFrom(down, m1) != tt.want || ok && ch.Name != tt.ch.Name {
			t.Errorf("%s: channelFrom = %+v, %v; replicatesFrom = %v; want %v", tt.name, ch, ok, replicatesFrom(down, m1), tt.want)
		}
	}
}
