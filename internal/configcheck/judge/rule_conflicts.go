package judge

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// conflicts (exec-mode, skip-errors, skip-counter): a replica stops on a
// conflict instead of skipping it. Skipping hides drift: the replica goes
// on replicating, different from its source, and nothing says so.
func conflicts(j *audit) {
	if j.F.Replica == topology.No {
		return
	}
	execMode(j)
	skipErrors(j)
	skipCounter(j)
}

// firstVar returns the first of names the server has, and its value.
func firstVar(n *topology.Node, names ...string) (string, string, bool) {
	for _, name := range names {
		if v, ok := n.Var(name); ok {
			return name, v, true
		}
	}
	return "", "", false
}

// execMode (exec-mode): slave_exec_mode / replica_exec_mode is STRICT.
func execMode(j *audit) {
	name, v, ok := firstVar(j.N, "replica_exec_mode", "slave_exec_mode")
	if !ok {
		return // MySQL 5.0 and older: always strict
	}
	switch {
	case !strings.EqualFold(strings.TrimSpace(v), "IDEMPOTENT"):
		j.Add(RuleExecMode, Pass, Fix{}, "%s is %s", name, v)
	case j.F.Replica == topology.Maybe:
		j.NotJudged(RuleExecMode, name+" must be STRICT on a replica", topology.AskReplica)
	default:
		j.Add(RuleExecMode, Warning, Fix{Cnf: name + " = STRICT", Now: "SET GLOBAL " + name + " = 'STRICT'"},
			"%s is IDEMPOTENT: the replica silently skips the duplicate-key and row-not-found errors a conflict raises, "+
				"so a row written or deleted behind replication's back leaves it different from its source instead of stopping it", name)
	}
}

// skipErrorNames says what the errors a replica is told to skip are.
var skipErrorNames = map[string]string{
	"1007": "database exists", "1008": "database does not exist", "1032": "row not found", "1050": "table exists",
	"1051": "unknown table", "1054": "unknown column", "1060": "duplicate column", "1061": "duplicate index",
	"1062": "duplicate key", "1068": "multiple primary keys", "1091": "cannot drop", "1146": "table does not exist",
	"1205": "lock wait timeout", "1213": "deadlock", "1451": "foreign key (parent)", "1452": "foreign key (child)",
}

// skipErrors (skip-errors): slave_skip_errors / replica_skip_errors is OFF.
func skipErrors(j *audit) {
	name, v, ok := firstVar(j.N, "replica_skip_errors", "slave_skip_errors")
	if !ok {
		return
	}
	v = strings.TrimSpace(v)
	if v == "" || strings.EqualFold(v, "OFF") {
		j.Add(RuleSkipErrors, Pass, Fix{}, "%s is OFF", name)
		return
	}
	if j.F.Replica == topology.Maybe {
		j.NotJudged(RuleSkipErrors, name+" must be OFF on a replica", topology.AskReplica)
		return
	}
	which := "any error"
	if !strings.EqualFold(v, "all") {
		var named []string
		for _, code := range strings.Split(v, ",") {
			code = strings.TrimSpace(code)
			if what, ok := skipErrorNames[code]; ok {
				code += " (" + what + ")"
			}
			named = append(named, code)
		}
		which = "error " + strings.Join(named, " or ")
	}
	j.Add(RuleSkipErrors, Warning, Fix{Advice: "remove " + name + " from [mysqld] of my.cnf, then restart (it is not dynamic)"},
		"%s is %s: the replica skips every statement that fails with %s and goes on, so each such conflict silently leaves it different from its source", name, v, which)
}

// skipCounter (skip-counter): no event is waiting to be skipped.
func skipCounter(j *audit) {
	name, v, ok := firstVar(j.N, "sql_replica_skip_counter", "sql_slave_skip_counter")
	counts := map[string]string{}
	for _, e := range j.N.In {
		if c := strings.TrimSpace(e.Channel.Raw["Skip_Counter"]); c != "" && c != "0" {
			counts["Skip_Counter of "+verdict.ChannelName(e)] = c
		}
	}
	// The global counter is what the next START SLAVE hands a channel,
	// whose Skip_Counter then shows it: name it only when no channel does.
	if ok && strings.TrimSpace(v) != "0" && v != "" && len(counts) == 0 {
		counts["global "+name] = v
	}
	if len(counts) == 0 {
		if ok {
			j.Add(RuleSkipCounter, Pass, Fix{}, "%s is 0", name)
		}
		return
	}
	var parts []string
	for _, k := range sortedKeys(counts) {
		parts = append(parts, fmt.Sprintf("%s is %s", k, counts[k]))
	}
	j.Add(RuleSkipCounter, Warning, Fix{Now: "SET GLOBAL " + name + " = 0", Advice: "with replication stopped; find out who set it and why, and compare the replica with its source (check_repl_checksum)"},
		"%s: the next events the applier reads are thrown away unapplied, whatever they are; a skip set to get past one error drops more than that error's event when a transaction holds several",
		strings.Join(parts, ", "))
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
