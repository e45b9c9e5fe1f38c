package topology

import "sort"

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
		Sort(members)
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
	sort.SliceStable(t.Rings, func(i, j int) bool { return Less(t.Rings[i].Members[0], t.Rings[j].Members[0]) })
}

// Less orders servers by server_id (unknown last), then address.
func Less(a, b *Node) bool {
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

// Sort sorts servers with Less.
func Sort(ns []*Node) {
	sort.SliceStable(ns, func(i, j int) bool { return Less(ns[i], ns[j]) })
}
