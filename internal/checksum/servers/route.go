package servers

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/replica"
)

// maxHops bounds how far up a server's sources routes are searched.
const maxHops = 4

// Hop is one replication link: Down replicates from Up.
type Hop struct {
	Up, Down *Node
	Channel  string // the connection name on Down ("" for the default)
	By       waitBy // how Down is made to reach Up's coordinates (planHop)

	ch    replica.Channel // Down's channel from Up
	known bool            // ch was read: the hop comes from Down's channels
}

// Route is a way the changes of one server reach another, hop by hop.
type Route struct {
	Hops    []Hop  // from the upper server down
	Note    string // how, in words, for the long output
	NoWait  string // when set, no way to wait for coordinates: why
	Stopped string // when set, replication is stopped on the way: where
}

// climb searches the sources of n, breadth first, through at most maxHops
// servers, without looking past stop (nil: none): it returns every server
// found with the hops from it down to n (the shortest way), and the
// problems met on the way. The servers met are connected through set.
func climb(ctx context.Context, set *Set, n, stop *Node) (map[*Node][]Hop, []string) {
	type partial struct {
		top  *Node
		hops []Hop // from top down to n
	}
	found := map[*Node][]Hop{}
	visited := map[string]bool{n.Key(): true}
	frontier := []partial{{top: n}}
	var problems []string
	for depth := 0; depth < maxHops && len(frontier) > 0; depth++ {
		var next []partial
		for _, p := range frontier {
			if p.top.ChannelsErr != nil {
				problems = append(problems, fmt.Sprintf("the replication channels of %s cannot be read (%v)", p.top.Label, p.top.ChannelsErr))
				continue
			}
			for _, ch := range p.top.Channels {
				up, err := set.upstream(ctx, p.top, ch)
				if err != nil {
					problems = append(problems, err.Error())
					continue
				}
				if visited[up.Key()] {
					continue
				}
				visited[up.Key()] = true
				hops := append([]Hop{{Up: up, Down: p.top, Channel: ch.Name, ch: ch, known: true}}, p.hops...)
				found[up] = hops
				if up != stop {
					next = append(next, partial{top: up, hops: hops})
				}
			}
		}
		frontier = next
	}
	return found, problems
}

// FindRoute finds how rep gets the changes of src: it searches the
// sources of rep for src, through at most maxHops servers.
func FindRoute(ctx context.Context, set *Set, src, rep *Node) Route {
	if rep.ChannelsErr != nil {
		return gtidFallback(src, rep, fmt.Sprintf("its replication channels cannot be read (%v)", rep.ChannelsErr))
	}
	found, problems := climb(ctx, set, rep, src)
	if hops, ok := found[src]; ok {
		return describeRoute(src, hops)
	}
	why := fmt.Sprintf("it does not replicate from the source %s through at most %d servers", src.Label, maxHops)
	if len(problems) > 0 {
		why += " (" + strings.Join(problems, "; ") + ")"
	}
	return gtidFallback(src, rep, why)
}

// Sources is what flows into the source: every server it replicates from,
// directly or through others, with the route from that server down to it.
type Sources struct {
	src     *Node
	routes  map[*Node]Route
	unknown string // when set, why they are not known
}

// FindSources searches the sources of src, through at most maxHops servers.
func FindSources(ctx context.Context, set *Set, src *Node) Sources {
	s := Sources{src: src, routes: map[*Node]Route{}}
	if src.ChannelsErr != nil {
		s.unknown = fmt.Sprintf("the source's replication channels cannot be read (%v)", src.ChannelsErr)
		return s
	}
	found, problems := climb(ctx, set, src, nil)
	if len(problems) > 0 {
		s.unknown = strings.Join(problems, "; ")
	}
	for up, hops := range found {
		s.routes[up] = newRoute(hops)
	}
	return s
}

// Back is one way a replica's data flows back to the source: From is a
// server whose changes the replica has and the source replicates, and
// Route the way from it down to the source.
type Back struct {
	From  *Node
	Route Route
}

// Back returns the ways the data of rep flows back to the source: for rep
// and every server rep replicates from (not looking past the source: what
// reached rep through the source is on the source already), the route from
// it to the source when the source replicates from it. A write on a
// replica that no route brings back to the source is never waited for:
// the source never gets it, and a difference it makes is drift. unknown
// says why the ways cannot be known, if so.
func (s Sources) Back(ctx context.Context, set *Set, rep *Node) (backs []Back, unknown string) {
	if s.unknown != "" {
		return nil, s.unknown
	}
	if rep.ChannelsErr != nil {
		return nil, fmt.Sprintf("the replication channels of %s cannot be read (%v)", rep.Label, rep.ChannelsErr)
	}
	found, problems := climb(ctx, set, rep, s.src)
	if len(problems) > 0 {
		return nil, strings.Join(problems, "; ")
	}
	from := []*Node{rep}
	for up := range found {
		if up != s.src {
			from = append(from, up)
		}
	}
	rest := from[1:]
	sort.Slice(rest, func(i, j int) bool {
		if a, b := len(found[rest[i]]), len(found[rest[j]]); a != b {
			return a < b
		}
		return rest[i].Label < rest[j].Label
	})
	for _, z := range from {
		if rt, ok := s.routes[z]; ok {
			backs = append(backs, Back{From: z, Route: rt})
		}
	}
	return backs, ""
}

// gtidFallback is the route of a replica whose way from the source is not
// known: waiting on its GTID position still works when every server on the
// way logs what it applies and the GTIDs say what was applied (planHop).
func gtidFallback(src, rep *Node, why string) Route {
	rt := newRoute([]Hop{{Up: src, Down: rep}})
	if rt.NoWait != "" {
		return Route{Note: why, NoWait: "no way to wait for the source's coordinates: " + why + "; " + rt.NoWait}
	}
	rt.Note = why + "; waiting on its GTID position"
	return rt
}

// newRoute plans how each hop waits and notes where replication is
// stopped on the way.
func newRoute(hops []Hop) Route {
	rt := Route{Hops: hops}
	for i := range rt.Hops {
		h := &rt.Hops[i]
		if why := planHop(h); why != "" && rt.NoWait == "" {
			rt.NoWait = why
		}
		if h.known && h.ch.SQL == replica.Stopped && rt.Stopped == "" {
			rt.Stopped = fmt.Sprintf("replication is stopped on %s%s (SQL thread not running)", h.Down.Label, channelWords(h.Channel))
		}
	}
	return rt
}

// describeRoute is the route from src through hops, in words, noting where
// it is broken.
func describeRoute(src *Node, hops []Hop) Route {
	rt := newRoute(hops)
	first := hops[0]
	if len(hops) == 1 {
		rt.Note = "replicates from the source" + channelWords(first.Channel)
		if replicatesFrom(src, first.Down) {
			rt.Note = "other master: replicates from the source" + channelWords(first.Channel) + ", which replicates from it"
		}
		return rt
	}
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
	return rt
}

// replicatesFrom reports whether a has a channel whose source was resolved
// as b.
func replicatesFrom(a, b *Node) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, up := range a.ups {
		if up.Same(b) {
			return true
		}
	}
	return false
}

// Filters are the replication filters of the channels on the route, each
// named by its server and channel.
func (r Route) Filters() []judge.Filter {
	var out []judge.Filter
	for _, h := range r.Hops {
		if !h.known {
			continue
		}
		raw := h.ch.Raw
		f := judge.Filter{
			Where:       h.Down.Label + channelWords(h.Channel),
			DoDB:        judge.FilterLists(raw["Replicate_Do_DB"]),
			IgnoreDB:    judge.FilterLists(raw["Replicate_Ignore_DB"]),
			DoTable:     judge.FilterLists(raw["Replicate_Do_Table"]),
			IgnoreTable: judge.FilterLists(raw["Replicate_Ignore_Table"]),
			WildDo:      judge.FilterLists(raw["Replicate_Wild_Do_Table"]),
			WildIgnore:  judge.FilterLists(raw["Replicate_Wild_Ignore_Table"]),
		}
		if len(f.DoDB)+len(f.IgnoreDB)+len(f.DoTable)+len(f.IgnoreTable)+len(f.WildDo)+len(f.WildIgnore) > 0 {
			out = append(out, f)
		}
	}
	return out
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
