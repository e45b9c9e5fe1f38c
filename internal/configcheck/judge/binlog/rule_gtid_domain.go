package binlog

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/server"
)

// GTIDDomains (gtid-domain, a relation): the MariaDB masters of a ring
// that take writes and replicate each other with GTID have a
// gtid_domain_id each. MariaDB numbers a domain's transactions as one
// sequence: two masters writing in one domain at once interleave their
// sequence numbers, and a GTID position no longer says which transactions
// a server has.
func GTIDDomains(t *topology.Topology) []verdict.Finding {
	var out []verdict.Finding
	for _, r := range t.Rings {
		var writers []*topology.Node
		for _, m := range r.Members {
			if m.Reachable() && m.ID.Flavor == server.MariaDB && takesWrites(m) && gtidInRing(m) {
				writers = append(writers, m)
			}
		}
		if len(writers) < 2 {
			continue
		}
		byDomain := map[string][]*topology.Node{}
		var order []string
		for _, m := range writers {
			d, ok := m.Var("gtid_domain_id")
			if !ok {
				continue
			}
			if _, seen := byDomain[d]; !seen {
				order = append(order, d)
			}
			byDomain[d] = append(byDomain[d], m)
		}
		for _, d := range order {
			g := byDomain[d]
			a := verdict.FirstAudited(g)
			if a == nil {
				continue
			}
			if len(g) == 1 {
				out = append(out, verdict.Finding{Rule: verdict.RuleGTIDDomain, Level: verdict.Pass, Node: a,
					Text: fmt.Sprintf("gtid_domain_id %s is its own among the %d masters of its ring that take writes%s", d, len(writers), strictNote(writers))})
				continue
			}
			var others []*topology.Node
			for _, m := range g {
				if m != a {
					others = append(others, m)
				}
			}
			out = append(out, verdict.Finding{Rule: verdict.RuleGTIDDomain, Level: verdict.Warning, Node: a, Others: others,
				Fix: verdict.Fix{Cnf: "gtid_domain_id = <a number of its own for each master, e.g. its server_id>",
					Now: "SET GLOBAL gtid_domain_id = <that number>"},
				Text: fmt.Sprintf("gtid_domain_id %s is also the domain of %s, and these masters of one ring both take writes (read_only OFF) and replicate each other with GTID: "+
					"MariaDB numbers a domain's transactions as one sequence, so writes on both masters at once interleave their sequence numbers, "+
					"and a GTID position no longer tells which transactions a server has, so a replica moved to the other master (MASTER_USE_GTID) can skip or repeat some%s",
					d, verdict.Labels(others), strictNote(g))})
		}
	}
	return out
}

// takesWrites reports whether a server accepts application writes: read_only is OFF.
func takesWrites(n *topology.Node) bool {
	on, ok := n.Bool("read_only")
	return ok && !on
}

// gtidInRing reports whether n replicates from a member of its ring with GTID.
func gtidInRing(n *topology.Node) bool {
	for _, e := range n.In {
		if e.Source != nil && e.Source.Ring() == n.Ring() && n.Ring() != nil {
			if u := strings.ToLower(e.Channel.UsingGTID); u != "" && u != "no" {
				return true
			}
		}
	}
	return false
}

// strictNote says what gtid_strict_mode makes of interleaved sequences.
func strictNote(ns []*topology.Node) string {
	var on, off []string
	for _, n := range ns {
		if v, ok := n.Bool("gtid_strict_mode"); ok && v {
			on = append(on, n.Name())
		} else if ok {
			off = append(off, n.Name())
		}
	}
	switch {
	case len(on) > 0 && len(off) == 0:
		return " (gtid_strict_mode is ON: replication stops on the first GTID out of order, error 1950)"
	case len(on) > 0:
		return fmt.Sprintf(" (gtid_strict_mode is ON on %s: replication stops there on the first GTID out of order, error 1950; OFF elsewhere, where such GTIDs pass unnoticed)", strings.Join(on, ", "))
	case len(off) > 0:
		return " (gtid_strict_mode is OFF: GTIDs out of order pass unnoticed)"
	}
	return ""
}
