package judge

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

// audit is the judging of one server: its facts and the findings so far.
type audit struct {
	t   *topology.Topology
	n   *topology.Node
	f   topology.Facts
	o   Options
	out []Finding
}

// add records a finding on the server.
func (j *audit) add(rule string, l Level, fix Fix, format string, args ...any) {
	j.out = append(j.out, Finding{Rule: rule, Level: l, Node: j.n, Text: fmt.Sprintf(format, args...), Fix: fix})
}

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
	j := &audit{t: t, n: n, o: o}
	if !n.Reachable() {
		if n.Given || t.Mode == topology.Single {
			j.add(RuleReachable, o.Unreachable, Fix{}, "cannot be audited: %v", n.Err)
		} else {
			j.add(RuleDiscover, Unknown, Fix{}, "found as %s but could not be read: %v", n.FoundVia, n.Err)
		}
		return j.out
	}
	j.f = t.Facts(n)
	if n.VarsErr != nil {
		j.add(RuleVariables, Unknown, Fix{}, "no variable could be read, no setting is judged: %v", n.VarsErr)
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
		errant(j)
		retention(j)
		expect(j)
	}
	return j.out
}

// notJudged records that a rule could not be judged because a role
// question it depends on is unknown (the first of qs answered Maybe). It
// judges nothing and advises no setting, since the setting that is right
// depends on what could not be read: rule states what the rule requires,
// the text says why it is unknown, and the fix is the privilege to grant
// when the account's lack of one is to blame.
func (j *audit) notJudged(rule, requires string, qs ...topology.Question) {
	p := j.f.Missing(qs...)
	f := Finding{Rule: rule, Level: Unknown, Node: j.n, Text: fmt.Sprintf("not judged (%s): %s", requires, j.f.Why(qs...)),
		Privilege: p.Name, PrivilegeOn: p.Server}
	if p.Name != "" {
		f.Fix.Advice = GrantAdvice(p)
	}
	j.out = append(j.out, f)
}

// GrantAdvice is the fix of a finding the monitoring account could not
// judge for lack of privilege p.
func GrantAdvice(p topology.Privilege) string {
	return fmt.Sprintf("GRANT %s ON *.* TO the monitoring account on %s", strings.ReplaceAll(p.Name, " or ", ", or "), p.Server)
}

// missing records a variable the rule needs but the server did not return.
func (j *audit) missing(rule, name string) {
	j.add(rule, Unknown, Fix{}, "%s was not returned by %s", name, j.n.ID)
}

// who names the part of the role that makes a rule apply.
func (j *audit) who() string {
	f := j.f
	switch {
	case f.Ring == topology.Yes:
		return fmt.Sprintf("a member of a ring of %d masters", f.RingSize)
	case f.Replica == topology.Yes && f.HasReplicas == topology.Yes:
		return "a relay (a replica that has replicas)"
	case f.HasReplicas == topology.Yes:
		return "a source"
	case f.Replica == topology.Yes:
		return "a replica"
	}
	return "this server"
}

// channelName names a channel for messages: "replication from HOST:PORT"
// plus the channel (connection) name when it has one.
func channelName(e *topology.Edge) string {
	s := "replication from " + e.SourceLabel()
	if e.Channel.Name != "" {
		s += fmt.Sprintf(" (channel '%s')", e.Channel.Name)
	}
	return s
}
