package configcheck

import (
	"fmt"
	"sort"
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

// Tri is a yes/no answer that may be unknown.
type Tri int8

// The three answers.
const (
	No    Tri = iota // known not to hold
	Yes              // known to hold
	Maybe            // not known, for the reason given alongside
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
	// Role, when set, replaces the detected role of every audited server (--role).
	Role Role
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

// addrs returns every address the server is known by: where it was
// reached, 127.0.0.1 with its port when that was a socket, and its hostname
// and report_host with its port.
func (n *Node) addrs() []address.Addr {
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

// keys returns the address.Key of every address the server is known by.
func (n *Node) keys() []string {
	var out []string
	for _, a := range n.addrs() {
		out = append(out, a.Key())
	}
	return out
}

// identityKey names a server whatever address reached it: its server_uuid
// where it has one, else server_id, hostname and port together; "" when
// those are unknown.
func identityKey(s *Snapshot) string {
	if !s.Reachable() {
		return ""
	}
	if u, ok := s.Var("server_uuid"); ok && u != "" {
		return "uuid:" + strings.ToLower(u)
	}
	id, ok1 := s.Var("server_id")
	host, ok2 := s.Var("hostname")
	port, ok3 := s.Var("port")
	if !ok1 || !ok2 || !ok3 {
		return ""
	}
	return "id:" + id + "@" + strings.ToLower(host) + ":" + port
}

// Build resolves the replication edges between nodes and finds the rings.
func Build(mode Mode, nodes []*Node) *Topology {
	t := &Topology{Mode: mode, Nodes: nodes}
	byKey := map[string]*Node{}
	for _, n := range nodes {
		n.In, n.Out, n.ring = nil, nil, nil
		for _, k := range n.keys() {
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

// findRings finds the strongly connected parts of two or more servers of
// the graph source -> replica (Tarjan's algorithm).
func (t *Topology) findRings() {
	index := map[*Node]int{}
	low := map[*Node]int{}
	onStack := map[*Node]bool{}
	var stack []*Node
	next := 0
	var visit func(n *Node)
	visit = func(n *Node) {
		index[n], low[n] = next, next
		next++
		stack = append(stack, n)
		onStack[n] = true
		for _, e := range n.Out {
			m := e.Replica
			if _, seen := index[m]; !seen {
				visit(m)
				low[n] = min(low[n], low[m])
			} else if onStack[m] {
				low[n] = min(low[n], index[m])
			}
		}
		if low[n] != index[n] {
			return
		}
		var members []*Node
		for {
			m := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[m] = false
			members = append(members, m)
			if m == n {
				break
			}
		}
		if len(members) < 2 {
			return
		}
		sortNodes(members)
		r := &Ring{Members: members}
		for _, m := range members {
			m.ring = r
		}
		t.Rings = append(t.Rings, r)
	}
	for _, n := range t.Nodes {
		if _, seen := index[n]; !seen {
			visit(n)
		}
	}
	sort.SliceStable(t.Rings, func(i, j int) bool { return nodeLess(t.Rings[i].Members[0], t.Rings[j].Members[0]) })
}

// nodeLess orders servers by server_id (unknown last), then address.
func nodeLess(a, b *Node) bool {
	ia, oka := a.ServerID()
	ib, okb := b.ServerID()
	if oka != okb {
		return oka
	}
	if oka && ia != ib {
		return ia < ib
	}
	return a.Addr.String() < b.Addr.String()
}

// sortNodes sorts servers with nodeLess.
func sortNodes(ns []*Node) {
	sort.SliceStable(ns, func(i, j int) bool { return nodeLess(ns[i], ns[j]) })
}
