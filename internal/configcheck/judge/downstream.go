package judge

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/address"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// downstream is who misses the changes a server receives but does not log:
// the log-slave-updates rule names them.
type downstream struct {
	Named []string // servers replicating from it, by label
	Extra int      // replicas known only as Binlog Dump sessions
	Hosts []string // the client hosts of those sessions
}

// empty reports whether nobody is downstream.
func (d downstream) empty() bool { return len(d.Named) == 0 && d.Extra == 0 }

// receive returns the verb agreeing with String: "receives" for one replica.
func (d downstream) receive() string {
	if len(d.Named)+d.Extra == 1 {
		return "receives"
	}
	return "receive"
}

// String puts the replicas into words: "its replicas A, B", "2 replicas it
// serves (Binlog Dump sessions from 10.0.0.5)" or both.
func (d downstream) String() string {
	sessions := fmt.Sprintf("Binlog Dump sessions from %s", strings.Join(d.Hosts, ", "))
	switch {
	case d.Extra == 0 && len(d.Named) == 1:
		return "its replica " + d.Named[0]
	case d.Extra == 0:
		return "its replicas " + strings.Join(d.Named, ", ")
	case len(d.Named) == 0 && d.Extra == 1:
		return "the replica it serves (" + sessions + ")"
	case len(d.Named) == 0:
		return fmt.Sprintf("the %d replicas it serves (%s)", d.Extra, sessions)
	}
	return fmt.Sprintf("its replicas %s and %d more (%s)", strings.Join(d.Named, ", "), d.Extra, sessions)
}

// downstreamOf returns the replicas of n that receive nothing n does not
// log: every server replicating from n except its own sources (a ring
// partner already has what it sent), then registered replicas not in the
// topology, then Binlog Dump sessions no server of the topology accounts for.
func downstreamOf(n *topology.Node) downstream {
	var d downstream
	srcs := n.Sources()
	srcIDs := map[int64]bool{}
	for _, e := range n.In {
		if e.Channel.SourceServerID != 0 {
			srcIDs[e.Channel.SourceServerID] = true
		}
	}
	known := map[int64]bool{}
	seen := map[*topology.Node]bool{}
	var replicas []*topology.Node
	for _, e := range n.Out {
		if id, ok := e.Replica.ServerID(); ok {
			known[id] = true
		}
		if !srcs[e.Replica] && !seen[e.Replica] {
			seen[e.Replica] = true
			replicas = append(replicas, e.Replica)
		}
	}
	topology.Sort(replicas)
	for _, r := range replicas {
		d.Named = append(d.Named, r.Label())
	}
	if !n.Replicas.Processlist {
		for _, h := range n.Replicas.Registered {
			if known[h.ServerID] || srcIDs[h.ServerID] {
				continue
			}
			if a := h.Addr(); !a.IsZero() {
				d.Named = append(d.Named, fmt.Sprintf("%s (server_id %d)", a, h.ServerID))
			} else {
				d.Named = append(d.Named, fmt.Sprintf("server_id %d", h.ServerID))
			}
		}
		return d
	}
	d.Extra = len(n.Replicas.Dumps) - len(n.Out)
	if d.Extra <= 0 {
		d.Extra = 0
		return d
	}
	// Leave out one session per server of the topology connecting from its host.
	dumps := append([]topology.DumpThread(nil), n.Replicas.Dumps...)
	for _, e := range n.Out {
		hosts := map[string]bool{}
		for _, a := range e.Replica.Addrs() {
			if a.Socket == "" {
				hosts[address.NormalHost(a.Host)] = true
			}
		}
		for i, dt := range dumps {
			if hosts[address.NormalHost(dt.Host)] {
				dumps = append(dumps[:i], dumps[i+1:]...)
				break
			}
		}
	}
	set := map[string]bool{}
	for _, dt := range dumps {
		if !set[dt.Host] {
			set[dt.Host] = true
			d.Hosts = append(d.Hosts, dt.Host)
		}
	}
	sort.Strings(d.Hosts)
	return d
}
