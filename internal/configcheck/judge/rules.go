package judge

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
)

// Options are the judgement settings taken from the command line.
type Options struct {
	Durability  bool          // also require sync_binlog=1 and innodb_flush_log_at_trx_commit=1
	RequireSSL  bool          // every replication link must use SSL
	Expect      []Expectation // variables the site pins (--expect)
	Unreachable Level         // level of a named server that cannot be reached
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

// Rule ids, stable across releases: monitoring filters and documentation use them.
const (
	RuleReachable            = "reachable"                 // a named server answers
	RuleVariables            = "variables"                 // the global variables can be read
	RuleServerID             = "server-id"                 // server_id is set (non-zero)
	RuleLogBin               = "log-bin"                   // a source or ring member writes a binary log
	RuleLogSlaveUpdates      = "log-slave-updates"         // a relay or ring member logs what it replicates
	RuleAutoIncrement        = "auto-increment"            // a ring member spaces AUTO_INCREMENT for the ring
	RuleReadOnly             = "read-only"                 // a pure replica is read_only
	RuleSuperReadOnly        = "super-read-only"           // read_only also stops privileged accounts (information)
	RuleRelayLogRecovery     = "relay-log-recovery"        // a replica recovers its relay log after a crash
	RuleRelayLogInfoRepo     = "relay-log-info-repository" // a replica keeps its applier position in a table (MySQL 5.6-8.0)
	RuleSyncBinlog           = "sync-binlog"               // --durability: sync_binlog = 1
	RuleFlushLogAtTrxCommit  = "flush-log-at-trx-commit"   // --durability: innodb_flush_log_at_trx_commit = 1
	RuleSSL                  = "replication-ssl"           // --require-ssl: every replication link uses SSL
	RuleVersionOrder         = "version-order"             // a replica is not older than its source
	RuleExpect               = "expect"                    // --expect VAR=VALUE holds
	RuleServerIDUnique       = "server-id-unique"          // no two servers share a server_id
	RuleServerUUIDUnique     = "server-uuid-unique"        // no two servers share a server_uuid (MySQL 5.6+)
	RuleAutoIncrementOffsets = "auto-increment-offsets"    // ring members generate distinct AUTO_INCREMENT values
	RuleSourceInSet          = "source-in-set"             // every source of a --server set is in the set
	RuleDiscover             = "discover"                  // --discover could read what it found
)

// judge collects the findings of one server.
type judge struct {
	t   *topology.Topology
	n   *topology.Node
	f   topology.Facts
	o   Options
	out []Finding
}

func (j *judge) add(rule string, l Level, fix Fix, format string, args ...any) {
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
	return append(out, relations(t)...)
}

// judgeNode applies the per-server rules to n.
func judgeNode(t *topology.Topology, n *topology.Node, o Options) []Finding {
	j := &judge{t: t, n: n, o: o}
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
		j.serverID()
		j.logBin()
		j.logSlaveUpdates()
		j.autoIncrement()
		j.readOnly()
		j.relayLogRecovery()
		if o.Durability {
			j.durability()
		}
	}
	if o.RequireSSL {
		j.ssl()
	}
	j.versionOrder()
	if n.VarsErr == nil {
		j.expect()
	}
	return j.out
}

// missing records a variable the rule needs but the server did not return.
func (j *judge) missing(rule, name string) {
	j.add(rule, Unknown, Fix{}, "%s was not returned by %s", name, j.n.ID)
}

func (j *judge) serverID() {
	id, ok := j.n.ServerID()
	if !ok {
		j.missing(RuleServerID, "server_id")
		return
	}
	if id != 0 {
		j.add(RuleServerID, Pass, Fix{}, "server_id is %d", id)
		return
	}
	fix := Fix{Cnf: "server_id = <a number unique among all servers>", Now: "SET GLOBAL server_id = <that number>"}
	if j.f.Replica == topology.No && j.f.HasReplicas == topology.No && j.f.Ring == topology.No {
		j.add(RuleServerID, Warning, fix, "server_id is 0: this server can be neither a source nor a replica until it is set")
		return
	}
	j.add(RuleServerID, Critical, fix, "server_id is 0: a source with server_id 0 refuses replicas and a replica with it will not start")
}

// who names the part of the role that makes a rule apply.
func (j *judge) who() string {
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

func (j *judge) logBin() {
	f := j.f
	yes := f.HasReplicas == topology.Yes || f.Ring == topology.Yes
	maybe := !yes && (f.HasReplicas == topology.Maybe || f.Ring == topology.Maybe)
	if !yes && !maybe {
		return
	}
	on, ok := j.n.Bool("log_bin")
	if !ok {
		j.missing(RuleLogBin, "log_bin")
		return
	}
	fix := Fix{Cnf: "log_bin = mysql-bin", Restart: true}
	switch {
	case on:
		j.add(RuleLogBin, Pass, Fix{}, "log_bin is ON")
	case yes:
		j.add(RuleLogBin, Critical, fix, "log_bin is OFF on %s: without a binary log it has nothing to send its replicas", j.who())
	default:
		j.add(RuleLogBin, Unknown, fix, "log_bin is OFF, which is wrong if anything replicates from this server; %s", f.Why(topology.AskRing, topology.AskHasReplicas))
	}
}

func (j *judge) logSlaveUpdates() {
	yes, maybe := j.f.Relays()
	if !yes && !maybe {
		return
	}
	name := j.n.LogReplicaUpdatesVar()
	on, ok := j.n.Bool(name)
	if !ok {
		j.missing(RuleLogSlaveUpdates, name)
		return
	}
	fix := Fix{Cnf: name + " = ON", Restart: true}
	if bin, ok := j.n.Bool("log_bin"); ok && !bin {
		fix.Advice = "log_bin must be ON as well"
	}
	switch {
	case on:
		j.add(RuleLogSlaveUpdates, Pass, Fix{}, "%s is ON", name)
		return
	case maybe:
		j.add(RuleLogSlaveUpdates, Unknown, fix, "%s is OFF, which loses writes if this server relays changes to replicas; %s", name, j.f.RelaysWhy())
		return
	}
	var from []string
	for _, e := range j.n.In {
		from = append(from, e.SourceLabel())
	}
	changes := "the changes it replicates"
	if len(from) > 0 {
		changes = "the changes it replicates from " + strings.Join(from, ", ")
	}
	down := downstreamOf(j.n)
	if down.empty() {
		j.add(RuleLogSlaveUpdates, Warning, fix,
			"%s is OFF on %s: %s are not written to its binary log; no replica misses them today, but any replica attached later would",
			name, j.who(), changes)
		return
	}
	j.add(RuleLogSlaveUpdates, Critical, fix,
		"%s is OFF on %s: %s are not written to its binary log, so %s never %s them",
		name, j.who(), changes, down, down.receive())
}

func (j *judge) autoIncrement() {
	f := j.f
	if f.Ring == topology.No {
		return
	}
	inc, ok1 := j.n.Int("auto_increment_increment")
	off, ok2 := j.n.Int("auto_increment_offset")
	if !ok1 || !ok2 {
		j.missing(RuleAutoIncrement, "auto_increment_increment or auto_increment_offset")
		return
	}
	size := int64(max(f.RingSize, 2))
	var problems []string
	var fix Fix
	if inc < size {
		problems = append(problems, fmt.Sprintf(
			"auto_increment_increment is %d but the ring has %d masters: masters generate the same AUTO_INCREMENT values and replication stops on the duplicate key",
			inc, size))
		fix = Fix{Cnf: fmt.Sprintf("auto_increment_increment = %d", size), Now: fmt.Sprintf("SET GLOBAL auto_increment_increment = %d", size)}
	}
	if off < 1 || off > inc {
		problems = append(problems, fmt.Sprintf(
			"auto_increment_offset is %d, outside 1..%d (auto_increment_increment): the server ignores it and uses 1",
			off, inc))
		if fix.Cnf == "" {
			fix = Fix{Cnf: fmt.Sprintf("auto_increment_offset = <1..%d, different on each master>", inc),
				Now: "SET GLOBAL auto_increment_offset = <that number>"}
		}
	}
	switch {
	case len(problems) == 0 && f.Ring == topology.Yes:
		j.add(RuleAutoIncrement, Pass, Fix{}, "auto_increment_increment %d, auto_increment_offset %d fit a ring of %d", inc, off, size)
	case len(problems) == 0:
		// Not known to be in a ring, and fit for the smallest one: nothing to judge.
	case f.Ring == topology.Yes:
		j.add(RuleAutoIncrement, Critical, fix, "%s", strings.Join(problems, "; "))
	default:
		j.add(RuleAutoIncrement, Unknown, fix, "%s, if this server is in a ring; %s", strings.Join(problems, "; "), f.RingWhy)
	}
}

func (j *judge) readOnly() {
	pure, maybe := j.f.PureReplica()
	if !pure && !maybe {
		return
	}
	on, ok := j.n.Bool("read_only")
	if !ok {
		j.missing(RuleReadOnly, "read_only")
		return
	}
	fix := Fix{Cnf: "read_only = ON", Now: "SET GLOBAL read_only = ON"}
	switch {
	case on:
		j.add(RuleReadOnly, Pass, Fix{}, "read_only is ON")
		if pure {
			j.superReadOnly()
		}
	case pure:
		j.add(RuleReadOnly, Warning, fix, "read_only is OFF on a replica: applications can write to it, and what they write exists nowhere else (the replica silently diverges from its source)")
	default:
		j.add(RuleReadOnly, Unknown, fix, "read_only is OFF, which is wrong on a replica; %s", j.f.PureReplicaWhy())
	}
}

// superReadOnly notes whether read_only also stops privileged accounts.
func (j *judge) superReadOnly() {
	id := j.n.ID
	if id.Flavor == server.MariaDB {
		if id.Version.AtLeast(10, 11, 0) {
			j.add(RuleSuperReadOnly, Pass, Fix{}, "read_only stops SUPER accounts too on MariaDB 10.11+ (only READ ONLY ADMIN may write)")
			return
		}
		j.add(RuleSuperReadOnly, Info, Fix{Advice: "grant neither SUPER nor READ ONLY ADMIN to application accounts, or upgrade to MariaDB 10.11+"},
			"MariaDB %s has no super_read_only, and its read_only does not stop accounts with SUPER", id.Version)
		return
	}
	on, ok := j.n.Bool("super_read_only")
	if !ok {
		j.add(RuleSuperReadOnly, Info, Fix{Advice: "grant SUPER to no application account, or upgrade to MySQL 5.7.8+"},
			"%s has no super_read_only (MySQL 5.7.8+): accounts with SUPER can write despite read_only", id)
		return
	}
	if on {
		j.add(RuleSuperReadOnly, Pass, Fix{}, "super_read_only is ON")
		return
	}
	j.add(RuleSuperReadOnly, Info, Fix{Cnf: "super_read_only = ON", Now: "SET GLOBAL super_read_only = ON"},
		"super_read_only is OFF: accounts with SUPER (CONNECTION_ADMIN) can still write despite read_only")
}

func (j *judge) relayLogRecovery() {
	f := j.f
	if f.Replica == topology.No {
		return
	}
	on, ok := j.n.Bool("relay_log_recovery")
	if !ok {
		if f.Replica == topology.Yes {
			j.add(RuleRelayLogRecovery, Info, Fix{Advice: "upgrade for crash-safe replication"},
				"%s has no relay_log_recovery: after a crash the replica resumes from a relay log that may be torn", j.n.ID)
		}
		return
	}
	fix := Fix{Cnf: "relay_log_recovery = ON", Restart: true}
	if j.n.ID.Flavor == server.MariaDB {
		fix = Fix{Cnf: "relay_log_recovery = ON", Now: "SET GLOBAL relay_log_recovery = ON"}
	}
	switch {
	case on:
		j.add(RuleRelayLogRecovery, Pass, Fix{}, "relay_log_recovery is ON")
	case f.Replica == topology.Yes:
		j.add(RuleRelayLogRecovery, Warning, fix, "relay_log_recovery is OFF on a replica: after a crash it resumes from a relay log that may be torn, and can skip or repeat transactions")
	default:
		j.add(RuleRelayLogRecovery, Unknown, fix, "relay_log_recovery is OFF, which is not crash-safe on a replica; %s", f.ReplicaWhy)
	}
	if repo, ok := j.n.Var("relay_log_info_repository"); ok && f.Replica == topology.Yes {
		if strings.EqualFold(repo, "FILE") {
			j.add(RuleRelayLogInfoRepo, Warning, Fix{Cnf: "relay_log_info_repository = TABLE", Restart: true},
				"relay_log_info_repository is FILE: the applier position is not updated with the transaction, so a crash can repeat or skip one")
		} else {
			j.add(RuleRelayLogInfoRepo, Pass, Fix{}, "relay_log_info_repository is %s", repo)
		}
	}
}

func (j *judge) durability() {
	if bin, ok := j.n.Bool("log_bin"); ok && bin {
		if v, ok := j.n.Int("sync_binlog"); !ok {
			j.missing(RuleSyncBinlog, "sync_binlog")
		} else if v != 1 {
			j.add(RuleSyncBinlog, Warning, Fix{Cnf: "sync_binlog = 1", Now: "SET GLOBAL sync_binlog = 1"},
				"sync_binlog is %d, not 1 (--durability): after a power loss the binary log can lack transactions that InnoDB committed, and replicas never get them", v)
		} else {
			j.add(RuleSyncBinlog, Pass, Fix{}, "sync_binlog is 1")
		}
	}
	if v, ok := j.n.Var("innodb_flush_log_at_trx_commit"); !ok {
		j.missing(RuleFlushLogAtTrxCommit, "innodb_flush_log_at_trx_commit")
	} else if n, _ := topology.ParseInt(v); n != 1 {
		j.add(RuleFlushLogAtTrxCommit, Warning, Fix{Cnf: "innodb_flush_log_at_trx_commit = 1", Now: "SET GLOBAL innodb_flush_log_at_trx_commit = 1"},
			"innodb_flush_log_at_trx_commit is %s, not 1 (--durability): a crash can lose the last second of committed transactions", v)
	} else {
		j.add(RuleFlushLogAtTrxCommit, Pass, Fix{}, "innodb_flush_log_at_trx_commit is 1")
	}
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

// sslFix returns the statements that turn SSL on for a channel.
func sslFix(id server.Identity, c replica.Channel) Fix {
	if id.Flavor != server.MariaDB && id.Version.AtLeast(8, 0, 23) {
		ch := ""
		if c.Name != "" {
			ch = fmt.Sprintf(" FOR CHANNEL '%s'", c.Name)
		}
		return Fix{Advice: fmt.Sprintf("STOP REPLICA%[1]s; CHANGE REPLICATION SOURCE TO SOURCE_SSL = 1%[1]s; START REPLICA%[1]s; and REQUIRE SSL for the replication account", ch)}
	}
	conn, ch := "", ""
	if c.Name != "" {
		if id.Flavor == server.MariaDB {
			conn = fmt.Sprintf(" '%s'", c.Name)
		} else {
			ch = fmt.Sprintf(" FOR CHANNEL '%s'", c.Name)
		}
	}
	return Fix{Advice: fmt.Sprintf("STOP SLAVE%[1]s%[2]s; CHANGE MASTER%[1]s TO MASTER_SSL = 1%[2]s; START SLAVE%[1]s%[2]s; and REQUIRE SSL for the replication account", conn, ch)}
}

func (j *judge) ssl() {
	switch j.f.Replica {
	case topology.No:
		return
	case topology.Maybe:
		j.add(RuleSSL, Unknown, Fix{}, "cannot tell whether replication uses SSL (--require-ssl); %s", j.f.ReplicaWhy)
		return
	}
	for _, e := range j.n.In {
		if strings.EqualFold(e.Channel.SSLAllowed, "Yes") {
			j.add(RuleSSL, Pass, Fix{}, "%s uses SSL", channelName(e))
			continue
		}
		how := e.Channel.SSLAllowed
		if how == "" {
			how = "not reported"
		}
		j.add(RuleSSL, Critical, sslFix(j.n.ID, e.Channel),
			"%s does not use SSL (--require-ssl; Master_SSL_Allowed: %s): the data and the replication password cross the network in clear", channelName(e), how)
	}
}

// sameFamily reports whether two servers' versions can be compared:
// MySQL and Percona Server share release numbers, MariaDB has its own.
func sameFamily(a, b server.Identity) bool {
	return (a.Flavor == server.MariaDB) == (b.Flavor == server.MariaDB)
}

func (j *judge) versionOrder() {
	switch j.f.Replica {
	case topology.No:
		return
	case topology.Maybe:
		if j.f.Forced {
			return
		}
		j.add(RuleVersionOrder, Unknown, Fix{}, "cannot compare its version with its sources'; %s", j.f.ReplicaWhy)
		return
	}
	mine := j.n.ID
	for _, e := range j.n.In {
		src := e.Source
		switch {
		case src == nil && j.t.Mode == topology.Set:
			continue // source-in-set reports it
		case src == nil:
			j.add(RuleVersionOrder, Unknown, Fix{}, "cannot compare versions: source %s was not read", e.SourceAddr())
			continue
		case !src.Reachable():
			if j.t.Mode != topology.Set {
				j.add(RuleVersionOrder, Unknown, Fix{}, "cannot compare versions: source %s could not be read (%v)", src.Name(), src.Err)
			}
			continue
		}
		theirs := src.ID
		switch {
		case !sameFamily(mine, theirs):
			j.add(RuleVersionOrder, Info, Fix{}, "%s replicates from %s (%s): versions of different flavours are not compared", mine, src.Label(), theirs)
		case mine.Version.Major < theirs.Version.Major ||
			mine.Version.Major == theirs.Version.Major && mine.Version.Minor < theirs.Version.Minor:
			j.add(RuleVersionOrder, Warning,
				Fix{Advice: fmt.Sprintf("upgrade this replica to %d.%d or later (upgrade replicas before their sources)", theirs.Version.Major, theirs.Version.Minor)},
				"%s is older than its source %s (%s): a replica must not be older than its source, whose binary log may hold events it cannot read",
				mine, src.Label(), theirs)
		case mine.Version.Less(theirs.Version):
			j.add(RuleVersionOrder, Info, Fix{}, "%s is an older patch release than its source %s (%s)", mine, src.Label(), theirs)
		default:
			j.add(RuleVersionOrder, Pass, Fix{}, "%s is not older than its source %s (%s)", mine, src.Label(), theirs)
		}
	}
}

func (j *judge) expect() {
	for _, x := range j.o.Expect {
		name := x.Name
		got, ok := j.n.Var(name)
		if !ok {
			for _, a := range topology.VariableAliases(name) {
				if got, ok = j.n.Var(a); ok {
					name = a
					break
				}
			}
		}
		switch {
		case !ok:
			j.add(RuleExpect, Unknown, Fix{}, "%s does not exist on %s (--expect %s=%s)", x.Name, j.n.ID, x.Name, x.Value)
		case sameValue(got, x.Value):
			j.add(RuleExpect, Pass, Fix{}, "%s is %s", name, got)
		default:
			j.add(RuleExpect, Warning, Fix{Cnf: name + " = " + x.Value, Advice: "SET GLOBAL " + name + " applies it at once if the variable is dynamic"},
				"%s is %s, expected %s (--expect)", name, got, x.Value)
		}
	}
}

// sameValue compares a variable's value with the one a site expects:
// booleans by meaning (ON = 1 = YES), everything else ignoring case.
func sameValue(got, want string) bool {
	if g, ok := topology.ParseBool(got); ok {
		if w, ok := topology.ParseBool(want); ok {
			return g == w
		}
	}
	if g, ok := topology.ParseInt(got); ok {
		if w, ok := topology.ParseInt(want); ok {
			return g == w
		}
	}
	return strings.EqualFold(strings.TrimSpace(got), strings.TrimSpace(want))
}
