package judge

import (
	"github.com/replmon/replmon/internal/configcheck/judge/binlog"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// Evaluate judges every audited server of t and the relations between
// them. It returns every finding, passes included (they are the rules
// checked), in server order then rule order, relations last.
func Evaluate(t *topology.Topology, o Options) []Finding {
	var out []Finding
	for _, n := range t.Audited() {
		out = append(out, judgeNode(t, n, o)...)
	}
	out = append(out, relations(t)...)
	return append(out, discoverComplete(t, o)...)
}

// judgeNode applies the per-server rules to n, each in its rule_*.go
// file; an unreachable server gets reachable (named) or discover (found)
// alone, and one whose variables could not be read gets variables instead
// of the rules on them.
func judgeNode(t *topology.Topology, n *topology.Node, o Options) []Finding {
	j := &audit{T: t, N: n, O: o}
	if !n.Reachable() {
		if n.Given || t.Mode == topology.Single {
			j.Add(RuleReachable, o.Unreachable, Fix{}, "cannot be audited: %v", n.Err)
		} else {
			j.Add(RuleDiscover, Unknown, Fix{}, "found as %s but could not be read: %v", n.FoundVia, n.Err)
		}
		return j.Out
	}
	j.F = t.Facts(n)
	if n.VarsErr != nil {
		j.Add(RuleVariables, Unknown, Fix{}, "no variable could be read, no setting is judged: %v", n.VarsErr)
	} else {
		serverID(j)
		logBin(j)
		logSlaveUpdates(j)
		autoIncrement(j)
		readOnly(j)
		relayLogRecovery(j)
		if o.Durability {
			durability(j)
		}
	}
	if o.RequireSSL {
		ssl(j)
	}
	versionOrder(j)
	if n.VarsErr == nil {
		binlog.Errant(j)
		binlog.Retention(j)
		conflicts(j)
		binlog.BinlogFormat(j)
		binlog.GTIDMode(j)
		expect(j)
	}
	return j.Out
}
