package binlog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// replicaFilterColumns are the replica status columns that filter what a
// replica applies (MariaDB's Replicate_*_Domain_Ids and
// Replicate_Ignore_Server_Ids are how rings work, not filters of data).
var replicaFilterColumns = []string{"Replicate_Do_DB", "Replicate_Ignore_DB", "Replicate_Do_Table", "Replicate_Ignore_Table",
	"Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table", "Replicate_Rewrite_DB"}

// replicaFilters describes what a replica's channels filter, "" for nothing.
func replicaFilters(n *topology.Node) string {
	var parts []string
	for _, e := range n.In {
		for _, col := range replicaFilterColumns {
			if v := strings.TrimSpace(e.Channel.Raw[col]); v != "" {
				p := col + "=" + v
				if e.Channel.Name != "" {
					p = fmt.Sprintf("%s (channel '%s')", p, e.Channel.Name)
				}
				parts = append(parts, p)
			}
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// binlogFilters describes what a server leaves out of its binary log, ""
// for nothing.
func binlogFilters(n *topology.Node) string {
	var parts []string
	if v := strings.TrimSpace(n.Binlog.DoDB); v != "" {
		parts = append(parts, "Binlog_Do_DB="+v)
	}
	if v := strings.TrimSpace(n.Binlog.IgnoreDB); v != "" {
		parts = append(parts, "Binlog_Ignore_DB="+v)
	}
	return strings.Join(parts, ", ")
}

// Filters (replication-filters, a relation): the servers of one topology
// filter alike — the replicas what they apply (Replicate_* of their
// replica status), the servers with a binary log what they log
// (Binlog_Do_DB, Binlog_Ignore_DB of their binary log status). A server
// that filters otherwise than the others silently holds other data: a
// failover to it, or a checksum against it, finds drift.
func Filters(t *topology.Topology) []verdict.Finding {
	var replicas, loggers []*topology.Node
	var out []verdict.Finding
	for _, n := range t.Nodes {
		if !n.Reachable() {
			continue
		}
		if len(n.In) > 0 && n.ChannelsErr == nil {
			replicas = append(replicas, n)
		}
		if !n.BinlogsRead {
			continue
		}
		if n.BinlogErr != nil {
			if n.Audited {
				f := verdict.Finding{Rule: verdict.RuleFilters, Level: verdict.Unknown, Node: n,
					Text: fmt.Sprintf("not judged (the servers of one topology filter their binary logs alike): %v", n.BinlogErr)}
				if p := topology.PrivilegeOf(n.BinlogErr); p != "" {
					f.Privilege, f.PrivilegeOn = p, n.Name()
					f.Fix = verdict.Fix{Advice: verdict.GrantAdvice(topology.Privilege{Name: p, Server: n.Name()})}
				}
				out = append(out, f)
			}
			continue
		}
		loggers = append(loggers, n)
	}
	out = append(out, compareFilters(replicas, replicaFilters, "replicas", "applies",
		"the replicate_* options (in [mysqld] of my.cnf, or CHANGE REPLICATION FILTER on MySQL 5.7+, SET GLOBAL replicate_* with the replica stopped on MariaDB)")...)
	out = append(out, compareFilters(loggers, binlogFilters, "servers with a binary log", "logs",
		"binlog_do_db and binlog_ignore_db in [mysqld] of my.cnf, then restart (they are not dynamic); better none: filters in the binary log depend on the default database")...)
	return out
}

// compareFilters reports the servers whose filters (describe) differ from
// those most of ns have; verb is what the filters act on ("applies", "logs").
func compareFilters(ns []*topology.Node, describe func(*topology.Node) string, what, verb, where string) []verdict.Finding {
	if len(ns) < 2 {
		return nil
	}
	groups := map[string][]*topology.Node{}
	var order []string
	for _, n := range ns {
		d := describe(n)
		if _, seen := groups[d]; !seen {
			order = append(order, d)
		}
		groups[d] = append(groups[d], n)
	}
	most := order[0]
	for _, d := range order[1:] {
		if len(groups[d]) > len(groups[most]) || len(groups[d]) == len(groups[most]) && d == "" {
			most = d
		}
	}
	word := func(d string) string {
		if d == "" {
			return "filter nothing"
		}
		return "filter " + d
	}
	var out []verdict.Finding
	for _, n := range ns {
		if !n.Audited {
			continue
		}
		d := describe(n)
		if d == most {
			if len(order) == 1 {
				out = append(out, verdict.Finding{Rule: verdict.RuleFilters, Level: verdict.Pass, Node: n,
					Text: fmt.Sprintf("the %d %s read filter what they %s alike (they %s)", len(ns), what, strings.TrimSuffix(verb, "s"), word(d))})
			} else {
				out = append(out, verdict.Finding{Rule: verdict.RuleFilters, Level: verdict.Pass, Node: n,
					Text: fmt.Sprintf("it and %d other %s %s", len(groups[d])-1, what, word(d))})
			}
			continue
		}
		mine := "filters nothing"
		if d != "" {
			mine = d
		}
		others := len(groups[most])
		out = append(out, verdict.Finding{Rule: verdict.RuleFilters, Level: verdict.Warning, Node: n, Others: groups[most],
			Fix: verdict.Fix{Advice: "make the filters the same on every server, or remove them: " + where},
			Text: fmt.Sprintf("it filters what it %s otherwise than the %d other %s (%s): here %s, there they %s; "+
				"it silently holds other data than they do, and a failover to it, or a checksum against it, finds drift",
				verb, others, what, verdict.Labels(groups[most]), mine, word(most))})
	}
	return out
}
