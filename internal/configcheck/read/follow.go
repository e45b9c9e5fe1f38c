package read

import (
	"fmt"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// singleNeedsMore reports whether Single mode must follow sources further:
// one hop always (version order), more only while the audited server may
// be in a ring, that is while it may have replicas.
func singleNeedsMore(t *topology.Topology, hop int) bool {
	target := t.Nodes[0]
	if !target.Reachable() {
		return false
	}
	if hop == 1 {
		return true
	}
	f := t.Facts(target)
	return f.HasReplicas != topology.No && f.Ring != topology.Yes
}

// nextTargets returns the addresses to read next: unresolved sources of
// the servers read (in Single mode only those upstream of the audited one),
// and in Discover mode registered replicas not yet read.
func nextTargets(t *topology.Topology, mode topology.Mode, tried map[string]bool) []target {
	var out []target
	try := func(addr address.Addr, via string) {
		k := addr.Key()
		if tried[k] {
			return
		}
		tried[k] = true
		out = append(out, target{addr: addr, foundVia: via})
	}
	known := map[string]bool{}
	for _, n := range t.Nodes {
		for _, k := range n.Keys() {
			known[k] = true
		}
	}
	scope := t.Nodes
	if mode == topology.Single {
		scope = upstream(t.Nodes[0])
	}
	for _, n := range scope {
		for _, e := range n.In {
			if e.Source == nil {
				try(e.SourceAddr(), "source of "+n.Name())
			}
		}
	}
	if mode != topology.Discover {
		return out
	}
	for _, n := range t.Nodes {
		if !n.Reachable() || n.Replicas.Processlist {
			continue
		}
		for _, h := range n.Replicas.Registered {
			if a := h.Addr(); !a.IsZero() && !known[a.Key()] {
				try(a, "replica of "+n.Name())
			}
		}
	}
	return out
}

// discoverNotes says which replicas discovery could not follow: those a
// server reports only as processlist sessions (no port) or registered
// without report_host, and the servers whose replicas could not be listed.
func discoverNotes(t *topology.Topology) []string {
	var notes []string
	for _, n := range t.Nodes {
		if !n.Reachable() {
			continue
		}
		r := n.Replicas
		switch {
		case r.Err != nil:
			notes = append(notes, fmt.Sprintf("could not look for replicas of %s: %v", n.Name(), r.Err))
		case r.Processlist:
			if extra := len(r.Dumps) - len(n.Out); extra > 0 {
				why := "SHOW SLAVE HOSTS is not used before MySQL 5.5"
				if r.HostsErr != nil {
					why = r.HostsErr.Error()
				}
				notes = append(notes, fmt.Sprintf("could not follow %d replica(s) of %s: the processlist gives only their client host, not their port (%s)", extra, n.Name(), why))
			}
		default:
			for _, h := range r.Registered {
				if h.Addr().IsZero() && !registeredInSet(n, h) {
					notes = append(notes, fmt.Sprintf("could not follow the replica with server_id %d of %s: it reports no report_host/report_port", h.ServerID, n.Name()))
				}
			}
		}
	}
	return notes
}

// registeredInSet reports whether a registered replica of n is already a
// server of the topology replicating from n.
func registeredInSet(n *topology.Node, h topology.ReplicaHost) bool {
	for _, e := range n.Out {
		if id, ok := e.Replica.ServerID(); ok && id == h.ServerID {
			return true
		}
	}
	return false
}

// upstream returns n and every server it replicates from, directly or not,
// among those read.
func upstream(n *topology.Node) []*topology.Node {
	seen := map[*topology.Node]bool{n: true}
	out := []*topology.Node{n}
	for i := 0; i < len(out); i++ {
		for _, e := range out[i].In {
			if s := e.Source; s != nil && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
