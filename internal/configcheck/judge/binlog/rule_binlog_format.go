package binlog

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// BinlogFormat (binlog-format): a server that passes on what it replicates
// (a relay or ring member) logs rows, not statements. ringFormats, a
// relation, checks that the members of a ring log alike.
func BinlogFormat(j *verdict.Audit) {
	yes, _ := j.F.Relays()
	if on, ok := j.N.Bool("log_bin"); !yes || !ok || !on {
		return
	}
	v, ok := j.N.Var("binlog_format")
	if !ok {
		return // MySQL 5.0: statements only
	}
	if !strings.EqualFold(v, "STATEMENT") {
		j.Add(verdict.RuleBinlogFormat, verdict.Pass, verdict.Fix{}, "binlog_format is %s", v)
		return
	}
	j.Add(verdict.RuleBinlogFormat, verdict.Warning, verdict.Fix{Cnf: "binlog_format = ROW", Now: "SET GLOBAL binlog_format = 'ROW' (for new sessions; restart the replication threads)"},
		"binlog_format is STATEMENT on %s: the row events its source sends cannot be logged as statements (MySQL stops replication with error 1666), "+
			"and the statements it logs are executed again downstream, where non-deterministic ones (UUID(), NOW() in a trigger, LIMIT without ORDER BY) give other results: drift",
		j.Who())
}

// RingFormats (binlog-format, a relation): the members of a ring log in
// one format; otherwise a write is replicated as rows or as a statement
// depending on where it was made.
func RingFormats(t *topology.Topology) []verdict.Finding {
	var out []verdict.Finding
	for _, r := range t.Rings {
		byFormat := map[string][]*topology.Node{}
		var order []string
		for _, m := range r.Members {
			if !m.Reachable() {
				continue
			}
			if on, ok := m.Bool("log_bin"); !ok || !on {
				continue
			}
			v, ok := m.Var("binlog_format")
			if !ok {
				continue
			}
			v = strings.ToUpper(v)
			if _, seen := byFormat[v]; !seen {
				order = append(order, v)
			}
			byFormat[v] = append(byFormat[v], m)
		}
		if len(order) < 2 {
			continue
		}
		first := verdict.FirstAudited(r.Members)
		if first == nil {
			continue
		}
		var parts []string
		var others []*topology.Node
		for _, f := range order {
			parts = append(parts, fmt.Sprintf("%s logs %s", verdict.Labels(byFormat[f]), f))
			for _, m := range byFormat[f] {
				if m != first {
					others = append(others, m)
				}
			}
		}
		out = append(out, verdict.Finding{Rule: verdict.RuleBinlogFormat, Level: verdict.Warning, Node: first, Others: others,
			Fix: verdict.Fix{Cnf: "binlog_format = ROW (on every member of the ring)", Now: "SET GLOBAL binlog_format = 'ROW'"},
			Text: fmt.Sprintf("the members of its ring log in different formats (%s): a write is replicated as rows or as a statement depending on the master it was made on, "+
				"and a statement executed again on the other master can give another result", strings.Join(parts, ", "))})
	}
	return out
}
