package topology

import "fmt"

// Tri is a yes/no answer that may be unknown.
type Tri int8

// The three answers.
const (
	No    Tri = iota // known not to hold
	Yes              // known to hold
	Maybe            // not known, for the reason given alongside
)

// Facts are the role questions the rules ask about one server, each
// answered yes, no or maybe (with why it is not known).
type Facts struct {
	Replica         Tri // it replicates from some source
	ReplicaWhy      string
	ReplicaPriv     Privilege // the privilege whose lack made Replica Maybe, if one did
	HasReplicas     Tri       // some server replicates from it
	HasReplicasWhy  string
	HasReplicasPriv Privilege
	Ring            Tri // it is in a ring of masters
	RingWhy         string
	RingPriv        Privilege
	RingSize        int  // how many masters the ring has (at least 2 when Ring is Yes)
	Forced          bool // set by --role rather than detected
}

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

// Missing returns the privilege whose lack left the first of qs answered
// Maybe unknown, the zero Privilege when none is Maybe or no privilege is
// to blame: the same question Why gives the reason of.
func (f Facts) Missing(qs ...Question) Privilege {
	for _, q := range qs {
		switch {
		case q == AskReplica && f.Replica == Maybe:
			return f.ReplicaPriv
		case q == AskHasReplicas && f.HasReplicas == Maybe:
			return f.HasReplicasPriv
		case q == AskRing && f.Ring == Maybe:
			return f.RingPriv
		}
	}
	return Privilege{}
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

// OutsideRing reports whether the server replicates and is no member of a
// ring of masters: a pure replica or a relay, which no application may
// write to. The second answer is true when that is not known.
func (f Facts) OutsideRing() (yes, maybe bool) {
	yes = f.Replica == Yes && f.Ring == No
	maybe = !yes && f.Replica != No && f.Ring != Yes
	return yes, maybe
}

// OutsideRingWhy says why OutsideRing could not be decided.
func (f Facts) OutsideRingWhy() string { return f.Why(AskReplica, AskRing) }

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
		f.Replica, f.ReplicaWhy = Maybe, "cannot tell whether it replicates: "+lacks(n.ChannelsErr)
		f.ReplicaPriv = Privilege{Name: PrivilegeOf(n.ChannelsErr), Server: n.Name()}
	case len(n.Channels) > 0:
		f.Replica = Yes
	}
	if len(n.Out) > 0 || n.Replicas.Count() > 0 {
		f.HasReplicas = Yes
	} else if ok, why := n.Replicas.Complete(); !ok {
		f.HasReplicas, f.HasReplicasWhy = Maybe, "cannot tell whether it has replicas: "+why
		f.HasReplicasPriv = Privilege{Name: n.Replicas.MissingPrivilege(), Server: n.Name()}
	}
	switch {
	case n.ring != nil:
		f.Ring, f.RingSize = Yes, len(n.ring.Members)
	case t.twoRingByRegistration(n):
		f.Ring, f.RingSize = Yes, 2
	case f.Replica == No || f.HasReplicas == No:
		f.Ring = No
	case f.Replica == Maybe:
		f.Ring, f.RingWhy, f.RingPriv = Maybe, "cannot tell whether it is in a ring: "+lacks(n.ChannelsErr), f.ReplicaPriv
	default:
		if why, p := t.upstreamUnknown(n); why != "" {
			f.Ring, f.RingWhy, f.RingPriv = Maybe, "cannot tell whether it is in a ring: "+why, p
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
func (t *Topology) upstreamUnknown(n *Node) (string, Privilege) {
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
					return fmt.Sprintf("its source %s was not read", e.SourceAddr()), Privilege{}
				}
			case !src.Reachable():
				return fmt.Sprintf("source %s could not be read (%v)", src.Name(), src.Err), Privilege{}
			case src.ChannelsErr != nil:
				return fmt.Sprintf("the channels of source %s are unknown: %s", src.Name(), lacks(src.ChannelsErr)),
					Privilege{Name: PrivilegeOf(src.ChannelsErr), Server: src.Name()}
			case !seen[src]:
				seen[src] = true
				queue = append(queue, src)
			}
		}
	}
	return "", Privilege{}
}
