package read

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// singleNeedsMore reports whether Single mode must follow sources further:
// every server upstream of the audited one is read (version order, ring
// membership, and the transactions its sources hold, against which its
// own are judged), as far as MaxHops.
func singleNeedsMore(t *topology.Topology, _ int) bool {
	return t.Nodes[0].Reachable()
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

// unfollowed says which replicas discovery could not follow: those a
// server reports only as processlist sessions (no port) or registered
// without report_host, those the processlist may hide (no PROCESS), and
// the servers whose replicas could not be listed.
func unfollowed(t *topology.Topology) []topology.Unfollowed {
	var out []topology.Unfollowed
	for _, n := range t.Nodes {
		if !n.Reachable() {
			continue
		}
		r := n.Replicas
		switch {
		case r.Err != nil:
			out = append(out, topology.Unfollowed{Node: n, Why: "its replicas could not be listed: " + r.Err.Error(),
				Privilege: r.MissingPrivilege()})
		case r.Processlist && !r.OthersVisible:
			u := topology.Unfollowed{Node: n, Privilege: "PROCESS",
				Why: "its replicas may be hidden: the processlist shows only the monitoring account's own sessions (it lacks PROCESS)"}
			if r.HostsErr != nil {
				u.Why += ", and " + r.HostsErr.Error()
			}
			out = append(out, u)
		case r.Processlist:
			extra := len(r.Dumps) - len(n.Out)
			if extra <= 0 {
				continue
			}
			why := "SHOW SLAVE HOSTS is not used before MySQL 5.5"
			u := topology.Unfollowed{Node: n, Count: extra, ReportHost: true}
			if r.HostsErr != nil {
				why = r.HostsErr.Error()
				u.Privilege = topology.PrivilegeOf(r.HostsErr)
			}
			hosts := dumpHosts(r.Dumps)
			its := "their client hosts (" + hosts + "), not their ports"
			if extra == 1 {
				its = "its client host (" + hosts + "), not its port"
			}
			u.Why = fmt.Sprintf("the processlist gives only %s (%s)", its, why)
			out = append(out, u)
		default:
			for _, h := range r.Registered {
				if h.Addr().IsZero() && !registeredInSet(n, h) {
					out = append(out, topology.Unfollowed{Node: n, Count: 1, ReportHost: true,
						Why: fmt.Sprintf("the replica with server_id %d reports no report_host/report_port", h.ServerID)})
				}
			}
		}
	}
	return out
}

// dumpHosts lists the distinct client hosts of Binlog Dump sessions.
func dumpHosts(ds []topology.DumpThread) string {
	var hosts []string
	seen := map[string]bool{}
	for _, d := range ds {
		if !seen[d.Host] {
			seen[d.Host] = true
			hosts = append(hosts, d.Host)
		}
	}
	sort.Strings(hosts)
	return strings.Join(hosts, ", ")
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
