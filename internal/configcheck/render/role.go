package render

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

// Describe puts n's role into words for the long output, e.g.
// "ring member (2 masters), source of 3 replicas".
func Describe(t *topology.Topology, n *topology.Node) string {
	if !n.Reachable() {
		return "unreachable"
	}
	f := t.Facts(n)
	var parts []string
	if f.Forced {
		parts = append(parts, "role "+t.Role.String()+" (--role)")
	}
	if f.Ring == topology.Yes {
		parts = append(parts, fmt.Sprintf("ring member (%d masters)", f.RingSize))
	}
	switch f.Replica {
	case topology.Yes:
		if !f.Forced {
			var srcs []string
			for _, e := range n.In {
				srcs = append(srcs, e.SourceAddr().String())
			}
			parts = append(parts, "replica of "+strings.Join(srcs, ", "))
		}
	case topology.Maybe:
		parts = append(parts, "replication channels unknown")
	}
	if !f.Forced {
		count := max(len(n.Out), n.Replicas.Count())
		switch {
		case count == 1:
			parts = append(parts, "source of 1 replica")
		case count > 1:
			parts = append(parts, fmt.Sprintf("source of %d replicas", count))
		case f.HasReplicas == topology.Maybe:
			parts = append(parts, "replicas unknown")
		}
	}
	if len(parts) == 0 {
		return "standalone (no replication)"
	}
	return strings.Join(parts, ", ")
}

// shortRole is the one word the tree puts after a server.
func shortRole(t *topology.Topology, n *topology.Node) string {
	if !n.Reachable() {
		return "unreachable"
	}
	f := t.Facts(n)
	switch {
	case f.Ring == topology.Yes:
		return "ring master"
	case f.Replica == topology.Yes && f.HasReplicas == topology.Yes:
		return "relay"
	case f.Replica == topology.Yes:
		return "replica"
	case f.HasReplicas == topology.Yes:
		return "master"
	case f.Replica == topology.Maybe || f.HasReplicas == topology.Maybe:
		return "role unknown"
	}
	return "standalone"
}
