package topology

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/replica"
)

// Mode is how the servers of a topology were chosen.
type Mode int

// The three ways of choosing servers.
const (
	// Single audits one server; its sources are read only to place it.
	Single Mode = iota
	// Set audits the servers given with --server and nothing else.
	Set
	// Discover audits the given servers and every server it can reach from them.
	Discover
)

// Node is one server of a topology.
type Node struct {
	*Snapshot
	Aliases  []address.Addr // other addresses the same server was reached at
	Audited  bool           // its own rules are judged (false: read only to place the audited ones)
	Given    bool           // named on the command line
	FoundVia string         // how a followed server was found, e.g. "source of 127.0.0.1:3307"

	In  []*Edge // its replication channels
	Out []*Edge // the channels of servers in the topology that replicate from it

	ring *Ring
}

// Name returns the server's address for messages.
func (n *Node) Name() string { return n.Addr.String() }

// Label returns the address with the server_id, e.g. "db2:3306 (server_id 2)".
func (n *Node) Label() string {
	if id, ok := n.ServerID(); ok {
		return fmt.Sprintf("%s (server_id %d)", n.Addr, id)
	}
	return n.Addr.String()
}

// Addrs returns every address the server is known by: where it was
// reached, 127.0.0.1 with its port when that was a socket, and its hostname
// and report_host with its port.
func (n *Node) Addrs() []address.Addr {
	out := append([]address.Addr{n.Addr}, n.Aliases...)
	if !n.Reachable() {
		return out
	}
	port, okPort := n.Int("port")
	if okPort {
		if n.Addr.Socket != "" {
			out = append(out, address.TCP("127.0.0.1", int(port)))
		}
		if h, ok := n.Var("hostname"); ok && h != "" {
			out = append(out, address.TCP(h, int(port)))
		}
	}
	if h, ok := n.Var("report_host"); ok && h != "" {
		if rp, ok := n.Int("report_port"); ok && rp > 0 {
			out = append(out, address.TCP(h, int(rp)))
		} else if okPort {
			out = append(out, address.TCP(h, int(port)))
		}
	}
	return out
}

// Keys returns the address.Key of every address the server is known by.
func (n *Node) Keys() []string {
	var out []string
	for _, a := range n.Addrs() {
		out = append(out, a.Key())
	}
	return out
}

// Ring returns the ring of masters the server is in, or nil.
func (n *Node) Ring() *Ring { return n.ring }

// Sources returns the servers of the topology n replicates from.
func (n *Node) Sources() map[*Node]bool {
	out := map[*Node]bool{}
	for _, e := range n.In {
		if e.Source != nil {
			out[e.Source] = true
		}
	}
	return out
}

// Edge is one replication channel: Replica replicates from Source.
type Edge struct {
	Replica *Node
	Channel replica.Channel
	Source  *Node // nil when the source is not in the topology
}

// SourceAddr returns the source address as the channel has it.
func (e *Edge) SourceAddr() address.Addr {
	return address.TCP(e.Channel.SourceHost, e.Channel.SourcePort)
}

// SourceLabel names the source: its label when it is in the topology, else
// the channel's address and the source's server_id when known.
func (e *Edge) SourceLabel() string {
	if e.Source != nil {
		return e.Source.Label()
	}
	if e.Channel.SourceServerID != 0 {
		return fmt.Sprintf("%s (server_id %d)", e.SourceAddr(), e.Channel.SourceServerID)
	}
	return e.SourceAddr().String()
}

// Ring is a set of servers that replicate from each other (a strongly
// connected part of the replication graph): the seed's two masters.
type Ring struct {
	Members []*Node // ordered by server_id, then address
}

// Topology is the servers read and the replication edges between them.
type Topology struct {
	Mode  Mode
	Nodes []*Node
	Rings []*Ring
	Notes []string // what reading could not do, one sentence each
	// Unfollowed are the servers whose replicas --discover could not all
	// follow (Discover mode only).
	Unfollowed []Unfollowed
	// Role, when set, replaces the detected role of every audited server (--role).
	Role Role
}

// Unfollowed is a server whose replicas discovery could not all follow.
type Unfollowed struct {
	Node  *Node
	Count int    // replicas not followed; 0 when their number is unknown
	Why   string // why they could not be followed
	// Privilege is the one that would let them be listed ("" when none
	// would); ReportHost is true when the replicas must also report their
	// address (report_host, report_port) to be followed.
	Privilege  string
	ReportHost bool
}

// Audited returns the audited servers in order.
func (t *Topology) Audited() []*Node {
	var out []*Node
	for _, n := range t.Nodes {
		if n.Audited {
			out = append(out, n)
		}
	}
	return out
}

// Build resolves the replication edges between nodes and finds the rings.
func Build(mode Mode, nodes []*Node) *Topology {
	t := &Topology{Mode: mode, Nodes: nodes}
	byKey := map[string]*Node{}
	for _, n := range nodes {
		n.In, n.Out, n.ring = nil, nil, nil
		for _, k := range n.Keys() {
			if _, taken := byKey[k]; !taken {
				byKey[k] = n
			}
		}
	}
	for _, n := range nodes {
		if !n.Reachable() {
			continue
		}
		for _, c := range n.Channels {
			e := &Edge{Replica: n, Channel: c, Source: t.resolve(byKey, c)}
			n.In = append(n.In, e)
			if e.Source != nil {
				e.Source.Out = append(e.Source.Out, e)
			}
		}
	}
	t.findRings()
	return t
}

// resolve finds the node a channel replicates from: by address, else by
// source UUID, else by source server_id on the same port.
func (t *Topology) resolve(byKey map[string]*Node, c replica.Channel) *Node {
	if n := byKey[address.TCP(c.SourceHost, c.SourcePort).Key()]; n != nil {
		return n
	}
	if c.SourceUUID != "" {
		for _, n := range t.Nodes {
			if u, ok := n.Var("server_uuid"); ok && strings.EqualFold(u, c.SourceUUID) {
				return n
			}
		}
	}
	if c.SourceServerID != 0 {
		var found *Node
		for _, n := range t.Nodes {
			id, ok := n.ServerID()
			port, okp := n.Int("port")
			if ok && okp && id == c.SourceServerID && int(port) == c.SourcePort {
				if found != nil {
					return nil // ambiguous: leave it unresolved
				}
				found = n
			}
		}
		return found
	}
	return nil
}

// Upstream returns every server n replicates from, directly or through
// others, n excepted (a ring member is upstream of itself), in order of
// distance; missing lists the channels along the way whose source is not
// in the topology or could not be read.
func (n *Node) Upstream() (up []*Node, missing []*Edge) {
	seen := map[*Node]bool{n: true}
	queue := []*Node{n}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, e := range cur.In {
			switch {
			case e.Source == nil || !e.Source.Reachable():
				missing = append(missing, e)
			case !seen[e.Source]:
				seen[e.Source] = true
				up = append(up, e.Source)
				queue = append(queue, e.Source)
			}
		}
	}
	return up, missing
}
