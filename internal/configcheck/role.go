package configcheck

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/address"
)

// Role is what a server is in replication, as --role names it.
type Role int

// The roles --role accepts; RoleAuto means "detect from the server".
const (
	RoleAuto       Role = iota
	RoleStandalone      // neither a replica nor a source
	RoleSource          // a source (master) that replicates from nobody
	RoleReplica         // a replica with no replicas of its own
	RoleRelay           // a replica that is the source of other replicas
	RoleRing            // a member of a ring of masters replicating each other
)

var roleNames = map[string]Role{
	"auto": RoleAuto, "standalone": RoleStandalone,
	"source": RoleSource, "master": RoleSource,
	"replica": RoleReplica, "slave": RoleReplica,
	"relay": RoleRelay, "intermediate": RoleRelay,
	"ring": RoleRing, "multi-master": RoleRing,
}

// ParseRole reads a --role value.
func ParseRole(s string) (Role, error) {
	if r, ok := roleNames[strings.ToLower(strings.TrimSpace(s))]; ok {
		return r, nil
	}
	return RoleAuto, fmt.Errorf("role %q is not one of auto, standalone, source, replica, relay, ring", s)
}

// String returns the role's --role spelling.
func (r Role) String() string {
	switch r {
	case RoleStandalone:
		return "standalone"
	case RoleSource:
		return "source"
	case RoleReplica:
		return "replica"
	case RoleRelay:
		return "relay"
	case RoleRing:
		return "ring"
	}
	return "auto"
}

// Facts are the role questions the rules ask about one server, each
// answered yes, no or maybe (with why it is not known).
type Facts struct {
	Replica        Tri // it replicates from some source
	ReplicaWhy     string
	HasReplicas    Tri // some server replicates from it
	HasReplicasWhy string
	Ring           Tri // it is in a ring of masters
	RingWhy        string
	RingSize       int  // how many masters the ring has (at least 2 when Ring is Yes)
	Forced         bool // set by --role rather than detected
}

// PureReplica reports whether the server only replicates: a replica with no
// replicas, outside any ring. The second answer is true when that is not known.
func (f Facts) PureReplica() (yes, maybe bool) {
	yes = f.Replica == Yes && f.HasReplicas == No && f.Ring == No
	maybe = !yes && f.Replica != No && f.HasReplicas != Yes && f.Ring != Yes
	return yes, maybe
}

// PureReplicaWhy says why PureReplica could not be decided.
func (f Facts) PureReplicaWhy() string { return f.Why(AskReplica, AskRing, AskHasReplicas) }

// Relays reports whether changes it receives must be passed on: it both
// replicates and has replicas, or it is in a ring; maybe is true when that
// is not known.
func (f Facts) Relays() (yes, maybe bool) {
	yes = (f.Replica == Yes && f.HasReplicas == Yes) || f.Ring == Yes
	maybe = !yes && ((f.Replica != No && f.HasReplicas != No) || f.Ring == Maybe)
	return yes, maybe
}

// RelaysWhy says why Relays could not be decided.
func (f Facts) RelaysWhy() string { return f.Why(AskRing, AskReplica, AskHasReplicas) }

// Question is one of the role questions Facts answers.
type Question int8

// The role questions, to name the one whose reason a message gives.
const (
	AskReplica     Question = iota // does it replicate from a source?
	AskHasReplicas                 // does some server replicate from it?
	AskRing                        // is it in a ring of masters?
)

// Why returns the reason given with the first of qs answered Maybe, "" when
// none is: a rule names the unknown that matters most to it first.
func (f Facts) Why(qs ...Question) string {
	for _, q := range qs {
		switch {
		case q == AskReplica && f.Replica == Maybe:
			return f.ReplicaWhy
		case q == AskHasReplicas && f.HasReplicas == Maybe:
			return f.HasReplicasWhy
		case q == AskRing && f.Ring == Maybe:
			return f.RingWhy
		}
	}
	return ""
}

// Facts answers the role questions for n, from --role when it was given.
func (t *Topology) Facts(n *Node) Facts {
	if t.Role != RoleAuto && n.Audited {
		f := Facts{Forced: true}
		switch t.Role {
		case RoleSource:
			f.HasReplicas = Yes
		case RoleReplica:
			f.Replica = Yes
		case RoleRelay:
			f.Replica, f.HasReplicas = Yes, Yes
		case RoleRing:
			f.Replica, f.HasReplicas, f.Ring = Yes, Yes, Yes
			f.RingSize = 2
			if n.ring != nil {
				f.RingSize = len(n.ring.Members)
			}
		}
		return f
	}
	var f Facts
	switch {
	case n.ChannelsErr != nil:
		f.Replica, f.ReplicaWhy = Maybe, "cannot tell whether it replicates: "+n.ChannelsErr.Error()
	case len(n.Channels) > 0:
		f.Replica = Yes
	}
	if len(n.Out) > 0 || n.Replicas.Count() > 0 {
		f.HasReplicas = Yes
	} else if ok, why := n.Replicas.Complete(); !ok {
		f.HasReplicas, f.HasReplicasWhy = Maybe, "cannot tell whether it has replicas: "+why
	}
	switch {
	case n.ring != nil:
		f.Ring, f.RingSize = Yes, len(n.ring.Members)
	case t.twoRingByRegistration(n):
		f.Ring, f.RingSize = Yes, 2
	case f.Replica == No || f.HasReplicas == No:
		f.Ring = No
	case f.Replica == Maybe:
		f.Ring, f.RingWhy = Maybe, "cannot tell whether it is in a ring: "+n.ChannelsErr.Error()
	default:
		if why := t.upstreamUnknown(n); why != "" {
			f.Ring, f.RingWhy = Maybe, "cannot tell whether it is in a ring: "+why
		}
	}
	return f
}

// twoRingByRegistration reports whether n replicates from a server that is
// registered as one of its own replicas (SHOW SLAVE HOSTS names the source's
// server_id), which makes a ring of two even when the source was not read.
func (t *Topology) twoRingByRegistration(n *Node) bool {
	if n.Replicas.Processlist {
		return false
	}
	for _, e := range n.In {
		for _, h := range n.Replicas.Registered {
			if e.Channel.SourceServerID != 0 && h.ServerID == e.Channel.SourceServerID {
				return true
			}
		}
	}
	return false
}

// upstreamUnknown walks n's sources upwards and returns why a ring through
// n cannot be ruled out: a source that was not read, or whose channels are
// unknown. Sources outside a --server set do not count: the set is the
// topology audited.
func (t *Topology) upstreamUnknown(n *Node) string {
	seen := map[*Node]bool{n: true}
	queue := []*Node{n}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, e := range cur.In {
			src := e.Source
			switch {
			case src == nil:
				if t.Mode != Set {
					return fmt.Sprintf("its source %s was not read", e.SourceAddr())
				}
			case !src.Reachable():
				return fmt.Sprintf("source %s could not be read (%v)", src.Name(), src.Err)
			case src.ChannelsErr != nil:
				return fmt.Sprintf("the channels of source %s are unknown (%v)", src.Name(), src.ChannelsErr)
			case !seen[src]:
				seen[src] = true
				queue = append(queue, src)
			}
		}
	}
	return ""
}

// sourcesOf returns the servers n replicates from, in the topology.
func sourcesOf(n *Node) map[*Node]bool {
	out := map[*Node]bool{}
	for _, e := range n.In {
		if e.Source != nil {
			out[e.Source] = true
		}
	}
	return out
}

// downstream is who misses the changes a server receives but does not log.
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
func (t *Topology) downstreamOf(n *Node) downstream {
	var d downstream
	srcs := sourcesOf(n)
	srcIDs := map[int64]bool{}
	for _, e := range n.In {
		if e.Channel.SourceServerID != 0 {
			srcIDs[e.Channel.SourceServerID] = true
		}
	}
	known := map[int64]bool{}
	seen := map[*Node]bool{}
	var replicas []*Node
	for _, e := range n.Out {
		if id, ok := e.Replica.ServerID(); ok {
			known[id] = true
		}
		if !srcs[e.Replica] && !seen[e.Replica] {
			seen[e.Replica] = true
			replicas = append(replicas, e.Replica)
		}
	}
	sortNodes(replicas)
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
	dumps := append([]DumpThread(nil), n.Replicas.Dumps...)
	for _, e := range n.Out {
		hosts := map[string]bool{}
		for _, a := range e.Replica.addrs() {
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

// Describe puts n's role into words for the long output, e.g.
// "ring member (2 masters), source of 3 replicas".
func (t *Topology) Describe(n *Node) string {
	if !n.Reachable() {
		return "unreachable"
	}
	f := t.Facts(n)
	var parts []string
	if f.Forced {
		parts = append(parts, "role "+t.Role.String()+" (--role)")
	}
	if f.Ring == Yes {
		parts = append(parts, fmt.Sprintf("ring member (%d masters)", f.RingSize))
	}
	switch f.Replica {
	case Yes:
		if !f.Forced {
			var srcs []string
			for _, e := range n.In {
				srcs = append(srcs, e.SourceAddr().String())
			}
			parts = append(parts, "replica of "+strings.Join(srcs, ", "))
		}
	case Maybe:
		parts = append(parts, "replication channels unknown")
	}
	if !f.Forced {
		count := max(len(n.Out), n.Replicas.Count())
		switch {
		case count == 1:
			parts = append(parts, "source of 1 replica")
		case count > 1:
			parts = append(parts, fmt.Sprintf("source of %d replicas", count))
		case f.HasReplicas == Maybe:
			parts = append(parts, "replicas unknown")
		}
	}
	if len(parts) == 0 {
		return "standalone (no replication)"
	}
	return strings.Join(parts, ", ")
}
