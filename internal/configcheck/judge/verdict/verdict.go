// Package verdict is the vocabulary check_repl_config's rules judge in:
// levels, findings and their fixes, the options of the command line, the
// rule ids, and Audit, the judging of one server that every per-server
// rule adds its findings to. It is pure, as the judges using it.
package verdict

import (
	"fmt"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/plugin"
)

// Level is how serious a finding is.
type Level int

// The levels, least serious first.
const (
	Pass     Level = iota // the rule holds
	Info                  // worth knowing, not a fault (state OK)
	Unknown               // the rule could not be judged (state UNKNOWN)
	Warning               // state WARNING
	Critical              // state CRITICAL
)

// String returns the level as printed: OK, INFO, UNKNOWN, WARNING or CRITICAL.
func (l Level) String() string {
	switch l {
	case Info:
		return "INFO"
	case Unknown:
		return "UNKNOWN"
	case Warning:
		return "WARNING"
	case Critical:
		return "CRITICAL"
	}
	return "OK"
}

// Status returns the plugin state of the level.
func (l Level) Status() plugin.Status {
	switch l {
	case Unknown:
		return plugin.UNKNOWN
	case Warning:
		return plugin.WARNING
	case Critical:
		return plugin.CRITICAL
	}
	return plugin.OK
}

// LevelOf turns a plugin state (from --unreachable) into a level.
func LevelOf(s plugin.Status) Level {
	switch s {
	case plugin.WARNING:
		return Warning
	case plugin.CRITICAL:
		return Critical
	case plugin.UNKNOWN:
		return Unknown
	}
	return Pass
}

// Fix is how to correct a finding.
type Fix struct {
	// Cnf is the my.cnf line that fixes it, under [mysqld] ("" when none).
	Cnf string
	// Restart is true when the line takes effect only after a restart.
	Restart bool
	// Now is a statement that applies it at once ("" when none), e.g. SET GLOBAL.
	Now string
	// Advice is the remedy when no setting fixes it (an upgrade, a CHANGE MASTER).
	Advice string
}

// String renders the fix for the long output, e.g.
// "fix: log_slave_updates = ON in [mysqld] of my.cnf, then restart".
func (f Fix) String() string {
	var parts []string
	if f.Cnf != "" {
		s := f.Cnf + " in [mysqld] of my.cnf"
		switch {
		case f.Restart:
			s += ", then restart (the variable is not dynamic)"
		case f.Now != "":
			s += "; " + f.Now + " applies it without a restart"
		}
		parts = append(parts, s)
	} else if f.Now != "" {
		parts = append(parts, f.Now)
	}
	if f.Advice != "" {
		parts = append(parts, f.Advice)
	}
	if len(parts) == 0 {
		return ""
	}
	return "fix: " + strings.Join(parts, "; ")
}

// Finding is the verdict of one rule on one server (or a relation).
type Finding struct {
	Rule   string // stable rule id, e.g. "log-slave-updates"
	Level  Level
	Node   *topology.Node   // the server it is about; relation findings use the first audited one
	Others []*topology.Node // other servers a relation finding involves
	Text   string           // what is wrong and why it matters; for Pass, what holds
	Fix    Fix
	// Privilege, on an Unknown finding, is the privilege the monitoring
	// account lacks on PrivilegeOn, which left the rule without its data.
	Privilege   string
	PrivilegeOn string
	// Headroom is set by the retention rule when it could compute it.
	Headroom *Headroom
}

// Headroom is how long a replica can stay disconnected from a source before
// it needs a binary log the source no longer has, with the thresholds it
// was judged against; the retention rule's findings carry it for perfdata.
type Headroom struct {
	Left       time.Duration
	Warn, Crit time.Duration
}

// String is the one-line form used in summaries: "[rule] server: text".
func (f Finding) String() string {
	return fmt.Sprintf("[%s] %s: %s", f.Rule, f.Node.Label(), f.Text)
}

// Options are the judgement settings taken from the command line.
type Options struct {
	Durability  bool          // also require sync_binlog=1 and innodb_flush_log_at_trx_commit=1
	RequireSSL  bool          // every replication link must use SSL
	Expect      []Expectation // variables the site pins (--expect)
	Unreachable Level         // level of a named server that cannot be reached
	Incomplete  Level         // level of a --discover that could not follow every replica
	// RetentionWarning and RetentionCritical: a replica that can stay
	// disconnected less long than these before it needs a purged binary log.
	RetentionWarning, RetentionCritical time.Duration
}

// Expectation is one --expect VAR=VALUE.
type Expectation struct {
	Name  string // lower-case variable name
	Value string
}

// ParseExpectation reads "VAR=VALUE".
func ParseExpectation(s string) (Expectation, error) {
	name, val, ok := strings.Cut(s, "=")
	name = strings.ToLower(strings.TrimSpace(name))
	if !ok || name == "" {
		return Expectation{}, fmt.Errorf("--expect %q is not VARIABLE=VALUE", s)
	}
	if !topology.ValidVariableName(name) {
		return Expectation{}, fmt.Errorf("--expect %q: %q is not a variable name", s, name)
	}
	return Expectation{Name: name, Value: strings.TrimSpace(val)}, nil
}

// Audit is the judging of one server: the topology, the server, its
// facts, the options and the findings so far. Every per-server rule takes
// it and adds its findings.
type Audit struct {
	T   *topology.Topology
	N   *topology.Node
	F   topology.Facts
	O   Options
	Out []Finding
}

// Add records a finding on the server.
func (j *Audit) Add(rule string, l Level, fix Fix, format string, args ...any) {
	j.Out = append(j.Out, Finding{Rule: rule, Level: l, Node: j.N, Text: fmt.Sprintf(format, args...), Fix: fix})
}

// NotJudged records that a rule could not be judged because a role
// question it depends on is unknown (the first of qs answered Maybe). It
// judges nothing and advises no setting, since the setting that is right
// depends on what could not be read: rule states what the rule requires,
// the text says why it is unknown, and the fix is the privilege to grant
// when the account's lack of one is to blame.
func (j *Audit) NotJudged(rule, requires string, qs ...topology.Question) {
	p := j.F.Missing(qs...)
	f := Finding{Rule: rule, Level: Unknown, Node: j.N, Text: fmt.Sprintf("not judged (%s): %s", requires, j.F.Why(qs...)),
		Privilege: p.Name, PrivilegeOn: p.Server}
	if p.Name != "" {
		f.Fix.Advice = GrantAdvice(p)
	}
	j.Out = append(j.Out, f)
}

// GrantAdvice is the fix of a finding the monitoring account could not
// judge for lack of privilege p.
func GrantAdvice(p topology.Privilege) string {
	return fmt.Sprintf("GRANT %s ON *.* TO the monitoring account on %s", strings.ReplaceAll(p.Name, " or ", ", or "), p.Server)
}

// Missing records a variable the rule needs but the server did not return.
func (j *Audit) Missing(rule, name string) {
	j.Add(rule, Unknown, Fix{}, "%s was not returned by %s", name, j.N.ID)
}

// Who names the part of the role that makes a rule apply.
func (j *Audit) Who() string {
	f := j.F
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

// ChannelName names a channel for messages: "replication from HOST:PORT"
// plus the channel (connection) name when it has one.
func ChannelName(e *topology.Edge) string {
	s := "replication from " + e.SourceLabel()
	if e.Channel.Name != "" {
		s += fmt.Sprintf(" (channel '%s')", e.Channel.Name)
	}
	return s
}

// FirstAudited returns the first audited server of ns, or nil.
func FirstAudited(ns []*topology.Node) *topology.Node {
	for _, n := range ns {
		if n.Audited {
			return n
		}
	}
	return nil
}

// Labels joins the labels of servers.
func Labels(ns []*topology.Node) string {
	var s []string
	for _, n := range ns {
		s = append(s, n.Label())
	}
	return strings.Join(s, ", ")
}
