package judge

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

// relations judges what no single server can tell: identifiers shared
// between servers, auto-increment offsets colliding within a ring, sources
// outside the audited set. A finding goes to the first audited server it
// involves; relations between servers read only for context are not judged.
func relations(t *topology.Topology) []Finding {
	var out []Finding
	out = append(out, uniqueVar(t, "server_id", RuleServerIDUnique,
		Fix{Cnf: "server_id = <a number unique among all servers>", Now: "SET GLOBAL server_id = <that number>"},
		"a replica ignores every event that carries its own server_id, and a source keeps only one of two replicas registering with the same one")...)
	out = append(out, uniqueVar(t, "server_uuid", RuleServerUUIDUnique,
		Fix{Advice: "stop the copy, delete auto.cnf from its data directory and start it: it gets a new server_uuid"},
		"GTIDs and replica registrations of these servers collide (a data directory copied with its auto.cnf)")...)
	out = append(out, ringOffsets(t)...)
	if t.Mode == topology.Set {
		out = append(out, sourcesInSet(t)...)
	}
	return out
}

// firstAudited returns the first audited server of ns, or nil.
func firstAudited(ns []*topology.Node) *topology.Node {
	for _, n := range ns {
		if n.Audited {
			return n
		}
	}
	return nil
}

// labels joins the labels of servers.
func labels(ns []*topology.Node) string {
	var s []string
	for _, n := range ns {
		s = append(s, n.Label())
	}
	return strings.Join(s, ", ")
}

// uniqueVar reports servers sharing the value of an identifying variable;
// servers that lack the variable (or have 0 / empty) are skipped.
func uniqueVar(t *topology.Topology, name, rule string, fix Fix, why string) []Finding {
	groups := map[string][]*topology.Node{}
	var order []string
	counted := 0
	for _, n := range t.Nodes {
		if !n.Reachable() {
			continue
		}
		v, ok := n.Var(name)
		if !ok || v == "" || v == "0" {
			continue
		}
		counted++
		k := strings.ToLower(v)
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], n)
	}
	var out []Finding
	for _, k := range order {
		g := groups[k]
		a := firstAudited(g)
		if a == nil {
			continue
		}
		if len(g) == 1 {
			if counted > 1 {
				out = append(out, Finding{Rule: rule, Level: Pass, Node: a,
					Text: fmt.Sprintf("%s %s is unique among the %d servers read", name, k, counted)})
			}
			continue
		}
		var others []*topology.Node
		for _, n := range g {
			if n != a {
				others = append(others, n)
			}
		}
		v, _ := a.Var(name)
		out = append(out, Finding{Rule: rule, Level: Critical, Node: a, Others: others, Fix: fix,
			Text: fmt.Sprintf("%s %s is also the %s of %s: %s", name, v, name, labels(others), why)})
	}
	return out
}

// gcd returns the greatest common divisor of two positive numbers.
func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// ringOffsets reports pairs of ring members that generate the same
// AUTO_INCREMENT values: offsets a and b with increments m and n collide
// when a ≡ b (mod gcd(m, n)). Members whose own settings already fail the
// auto-increment rule are left to it.
func ringOffsets(t *topology.Topology) []Finding {
	var out []Finding
	for _, r := range t.Rings {
		type member struct {
			n        *topology.Node
			inc, off int64
		}
		var ms []member
		for _, n := range r.Members {
			if !n.Reachable() {
				continue
			}
			inc, ok1 := n.Int("auto_increment_increment")
			off, ok2 := n.Int("auto_increment_offset")
			if !ok1 || !ok2 || inc < int64(len(r.Members)) || off < 1 || off > inc {
				continue
			}
			ms = append(ms, member{n, inc, off})
		}
		clash := map[*topology.Node]bool{}
		for i := range ms {
			for k := i + 1; k < len(ms); k++ {
				a, b := ms[i], ms[k]
				if (a.off-b.off)%gcd(a.inc, b.inc) != 0 {
					continue
				}
				first, other := a, b
				if !first.n.Audited {
					first, other = b, a
				}
				if !first.n.Audited {
					continue
				}
				clash[a.n], clash[b.n] = true, true
				out = append(out, Finding{Rule: RuleAutoIncrementOffsets, Level: Critical, Node: first.n, Others: []*topology.Node{other.n},
					Fix: Fix{Cnf: fmt.Sprintf("auto_increment_offset = <1..%d, different on each master>", first.inc),
						Now: "SET GLOBAL auto_increment_offset = <that number>"},
					Text: fmt.Sprintf("auto_increment_offset %d (increment %d) collides with %s, offset %d (increment %d), in the same ring: both masters generate the same AUTO_INCREMENT values and replication stops on the duplicate key",
						first.off, first.inc, other.n.Label(), other.off, other.inc)})
			}
		}
		for _, m := range ms {
			if m.n.Audited && !clash[m.n] && len(ms) > 1 {
				out = append(out, Finding{Rule: RuleAutoIncrementOffsets, Level: Pass, Node: m.n,
					Text: fmt.Sprintf("auto_increment_offset %d is distinct within its ring", m.off)})
			}
		}
	}
	return out
}

// sourcesInSet reports channels whose source is not among the --server set.
func sourcesInSet(t *topology.Topology) []Finding {
	var out []Finding
	for _, n := range t.Audited() {
		for _, e := range n.In {
			if e.Source != nil {
				out = append(out, Finding{Rule: RuleSourceInSet, Level: Pass, Node: n,
					Text: fmt.Sprintf("its source %s is audited too", e.Source.Name())})
				continue
			}
			out = append(out, Finding{Rule: RuleSourceInSet, Level: Warning, Node: n,
				Fix:  Fix{Advice: fmt.Sprintf("add --server %s, or use --discover", e.SourceAddr())},
				Text: fmt.Sprintf("%s: that source is not among the audited servers, so neither it nor the relations through it are checked", channelName(e))})
		}
	}
	return out
}
