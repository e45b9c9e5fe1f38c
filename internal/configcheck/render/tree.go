package render

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

// Tree draws the topology as text, in the spirit of the seed's diagram:
// the rings of masters first (one line naming their link), then every
// server that replicates from nobody in the topology, each with its
// replicas beneath it, with address and server_id. marks adds a note to a
// server's line (its violations). Lines never start with a space (plugin
// output trims them) nor use '|' (the perfdata separator): a branch is
// "+-- ", the last one "`-- ", and deeper levels are indented with ":   ".
func Tree(t *topology.Topology, marks func(*topology.Node) string) []string {
	return tree(t, marks, false)
}

// CompactTree is Tree with every run of at least minCollapse leaf replicas
// of one source that carry the same marks drawn as one line, e.g.
// "+-- 21 replicas: server_id 111-131": the default output of a large
// topology, which --full-output draws in full.
func CompactTree(t *topology.Topology, marks func(*topology.Node) string) []string {
	return tree(t, marks, true)
}

// tree draws Tree, compact or not.
func tree(t *topology.Topology, marks func(*topology.Node) string, compact bool) []string {
	var lines []string
	drawn := map[*topology.Node]bool{}
	line := func(prefix string, n *topology.Node, extra string) {
		s := prefix + n.Label()
		if w := shortRole(t, n); w != "" {
			s += " " + w
		}
		if extra != "" {
			s += " " + extra
		}
		if m := marks(n); m != "" {
			s += " " + m
		}
		lines = append(lines, s)
	}
	var children func(n *topology.Node, indent string)
	children = func(n *topology.Node, indent string) {
		items := collapse(t, n, replicasOf(n), marks, compact, drawn)
		for i, it := range items {
			branch := "+-- "
			if i == len(items)-1 {
				branch = "`-- "
			}
			if len(it) > 1 {
				for _, k := range it {
					drawn[k] = true
				}
				s := fmt.Sprintf("%s%d replicas", indent+branch, len(it))
				if m := marks(it[0]); m != "" {
					s += " " + m
				}
				lines = append(lines, s+": "+idList(it))
				continue
			}
			k := it[0]
			if drawn[k] {
				line(indent+branch, k, "(drawn above)")
				continue
			}
			drawn[k] = true
			line(indent+branch, k, alsoFrom(k, n))
			children(k, indent+":   ")
		}
	}
	for _, r := range t.Rings {
		lines = append(lines, "ring: "+ringLink(r))
	}
	for _, root := range roots(t) {
		if drawn[root] {
			continue
		}
		drawn[root] = true
		line("", root, outside(t, root))
		children(root, "")
	}
	return lines
}

// collapse returns the replicas of n to draw, one item each, except that
// when compact, alike leaf replicas (no replicas of their own, one source,
// the same marks) make one item when there are at least minCollapse of
// them, placed where the first of them would be.
func collapse(t *topology.Topology, n *topology.Node, kids []*topology.Node, marks func(*topology.Node) string, compact bool, drawn map[*topology.Node]bool) [][]*topology.Node {
	alike := func(k *topology.Node) (string, bool) {
		if !compact || drawn[k] || len(replicasOf(k)) > 0 || alsoFrom(k, n) != "" || shortRole(t, k) != "replica" {
			return "", false
		}
		return marks(k), true
	}
	runs := map[string][]*topology.Node{}
	for _, k := range kids {
		if m, ok := alike(k); ok {
			runs[m] = append(runs[m], k)
		}
	}
	var out [][]*topology.Node
	placed := map[string]bool{}
	for _, k := range kids {
		if m, ok := alike(k); ok && len(runs[m]) >= minCollapse {
			if !placed[m] {
				placed[m] = true
				out = append(out, runs[m])
			}
			continue
		}
		out = append(out, []*topology.Node{k})
	}
	return out
}

// replicasOf returns the servers replicating from n, except n's ring
// partners (the ring line shows them), once each, in server_id order.
func replicasOf(n *topology.Node) []*topology.Node {
	seen := map[*topology.Node]bool{}
	var out []*topology.Node
	for _, e := range n.Out {
		r := e.Replica
		if seen[r] || (n.Ring() != nil && r.Ring() == n.Ring()) {
			continue
		}
		seen[r] = true
		out = append(out, r)
	}
	topology.Sort(out)
	return out
}

// roots returns the servers drawn at the left margin: ring members, then
// every server with no source in the topology, in server_id order.
func roots(t *topology.Topology) []*topology.Node {
	var out []*topology.Node
	for _, r := range t.Rings {
		out = append(out, r.Members...)
	}
	var rest []*topology.Node
	for _, n := range t.Nodes {
		if n.Ring() != nil {
			continue
		}
		inSet := false
		for _, e := range n.In {
			if e.Source != nil {
				inSet = true
			}
		}
		if !inSet {
			rest = append(rest, n)
		}
	}
	topology.Sort(rest)
	return append(out, rest...)
}

// alsoFrom notes the other sources of a multi-source replica drawn under parent.
func alsoFrom(n, parent *topology.Node) string {
	var others []string
	for _, e := range n.In {
		if e.Source != parent {
			others = append(others, e.SourceAddr().String())
		}
	}
	if len(others) == 0 {
		return ""
	}
	return "(also replicates from " + strings.Join(others, ", ") + ")"
}

// outside notes that a root replicates from servers not in the topology.
func outside(t *topology.Topology, n *topology.Node) string {
	var addrs []string
	for _, e := range n.In {
		if e.Source == nil {
			addrs = append(addrs, e.SourceAddr().String())
		}
	}
	if len(addrs) == 0 {
		return ""
	}
	what := "not audited"
	if t.Mode != topology.Set {
		what = "not read"
	}
	return fmt.Sprintf("(replicates from %s, %s)", strings.Join(addrs, ", "), what)
}

// ringLink writes a ring as "A <-> B" for two masters, as the replication
// cycle "A -> B -> C -> A" when there is one through all members, else as
// a list.
func ringLink(r *topology.Ring) string {
	ms := r.Members
	if len(ms) == 2 {
		return ms[0].Label() + " <-> " + ms[1].Label()
	}
	in := map[*topology.Node]bool{}
	for _, m := range ms {
		in[m] = true
	}
	order := []*topology.Node{ms[0]}
	seen := map[*topology.Node]bool{ms[0]: true}
	for len(order) < len(ms) {
		cur := order[len(order)-1]
		var next *topology.Node
		for _, e := range cur.Out {
			if in[e.Replica] && !seen[e.Replica] && (next == nil || topology.Less(e.Replica, next)) {
				next = e.Replica
			}
		}
		if next == nil {
			break
		}
		seen[next] = true
		order = append(order, next)
	}
	closes := false
	if len(order) == len(ms) {
		for _, e := range order[len(order)-1].Out {
			if e.Replica == ms[0] {
				closes = true
			}
		}
	}
	var parts []string
	if closes {
		for _, m := range order {
			parts = append(parts, m.Label())
		}
		return strings.Join(append(parts, ms[0].Label()), " -> ")
	}
	for _, m := range ms {
		parts = append(parts, m.Label())
	}
	return strings.Join(parts, ", ") + " (replicating from each other)"
}
