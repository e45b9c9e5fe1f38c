package servers

import (
	"context"
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/replica"
)

// maxHops bounds how far up a replica's sources the route is searched.
const maxHops = 4

// Hop is one replication link on a replica's way from the source.
type Hop struct {
	Up, Down *Node
	Channel  string // the connection name on Down ("" for the default)
}

// Route is how a replica gets the source's changes.
type Route struct {
	Hops    []Hop  // from the source down to the replica
	Note    string // how, in words, for the long output
	NoWait  string // when set, no way to wait for coordinates: why
	Stopped string // when set, replication is stopped on the way: where
}

// FindRoute searches the sources of rep, breadth first, for src, through
// at most maxHops servers; the servers it meets on the way are connected
// through servers.
func FindRoute(ctx context.Context, servers *Set, src, rep *Node) Route {
	type partial struct {
		top  *Node
		hops []Hop // from top down to rep
	}
	if rep.ChannelsErr != nil {
		return gtidFallback(src, rep, fmt.Sprintf("its replication channels cannot be read (%v)", rep.ChannelsErr))
	}
	visited := map[uint32]bool{rep.ServerID: true}
	frontier := []partial{{top: rep}}
	var problems []string
	for depth := 0; depth < maxHops && len(frontier) > 0; depth++ {
		var next []partial
		for _, p := range frontier {
			for _, ch := range p.top.Channels {
				up, err := servers.upstream(ctx, ch)
				if err != nil {
					problems = append(problems, err.Error())
					continue
				}
				hops := append([]Hop{{Up: up, Down: p.top, Channel: ch.Name}}, p.hops...)
				if up == src {
					return describeRoute(src, hops)
				}
				if !visited[up.ServerID] {
					visited[up.ServerID] = true
					next = append(next, partial{top: up, hops: hops})
				}
			}
		}
		frontier = next
	}
	why := fmt.Sprintf("it does not replicate from the source %s through at most %d servers", src.Label, maxHops)
	if len(problems) > 0 {
		why += " (" + strings.Join(problems, "; ") + ")"
	}
	return gtidFallback(src, rep, why)
}

// gtidFallback is the route of a replica whose way from the source is not
// known: between MariaDB servers, waiting on its GTID position still works
// when every server on the way logs what it applies.
func gtidFallback(src, rep *Node, why string) Route {
	if src.mariaGTIDs() && rep.mariaGTIDs() || src.mysqlGTIDs() && rep.mysqlGTIDs() {
		return Route{Hops: []Hop{{Up: src, Down: rep}}, Note: why + "; waiting on its GTID position"}
	}
	return Route{Note: why, NoWait: "no way to wait for the source's coordinates: " + why}
}

// describeRoute names the way in words and notes where it is broken.
func describeRoute(src *Node, hops []Hop) Route {
	rt := Route{Hops: hops}
	first := hops[0]
	if len(hops) == 1 {
		rt.Note = "replicates from the source" + channelWords(first.Channel)
		if replicatesFrom(src, first.Down) {
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
func replicatesFrom(a, b *Node) bool {
	_, ok := channelFrom(a, b)
	return ok
}

// channelFrom returns down's channel that replicates from up.
func channelFrom(down, up *Node) (replica.Channel, bool) {
	for _, ch := range down.Channels {
		if pointsAt(ch, up) {
			return ch, true
		}
	}
	return replica.Channel{}, false
}

// pointsAt reports whether ch replicates from n: by server_id when the
// replica reports its source's, else by address.
func pointsAt(ch replica.Channel, n *Node) bool {
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
