package render

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/plugin"
)

// Counts are the totals of an audit.
type Counts struct {
	Servers  int // audited servers
	Rules    int // rule checks made (every finding, passes included)
	Critical int
	Warning  int
	Unknown  int
}

// Count totals the findings of an audit of t.
func Count(t *topology.Topology, fs []judge.Finding) Counts {
	c := Counts{Servers: len(t.Audited()), Rules: len(fs)}
	for _, f := range fs {
		switch f.Level {
		case judge.Critical:
			c.Critical++
		case judge.Warning:
			c.Warning++
		case judge.Unknown:
			c.Unknown++
		}
	}
	return c
}

// Render records the audit in the report: one summary result naming the
// worst finding, the findings grouped by server, notes, the topology tree,
// and the perfdata servers, rules, critical, warning, unknown and
// retention (the shortest binary log headroom of any replica). By
// default problems are listed in full and what is fine is counted (the
// tree compact); with --full-output (Report.Full) every server has its
// line and the tree is drawn in full.
func Render(r *plugin.Report, t *topology.Topology, fs []judge.Finding) {
	c := Count(t, fs)
	st, summary := Summary(t, fs)
	r.Add(st, "%s", summary)

	lines, tree := compactLines, CompactTree
	if r.Full() {
		lines, tree = findingLines, Tree
	}
	for _, line := range lines(t, fs) {
		r.Long("%s", line)
	}
	for _, n := range append(t.Notes, singleNotes(t)...) {
		r.Long("note: %s", n)
	}
	r.Long("topology:")
	for _, line := range tree(t, marker(t, fs)) {
		r.Long("%s", line)
	}
	for _, f := range fs {
		if f.Level == judge.Pass {
			r.Debugf(2, "OK [%s] %s: %s", f.Rule, f.Node.Label(), f.Text)
		}
	}

	zero := plugin.Float(0)
	r.Perf(
		plugin.Perf{Label: "servers", Value: float64(c.Servers), Min: zero},
		plugin.Perf{Label: "rules", Value: float64(c.Rules), Min: zero},
		plugin.Perf{Label: "critical", Value: float64(c.Critical), Min: zero},
		plugin.Perf{Label: "warning", Value: float64(c.Warning), Min: zero},
		plugin.Perf{Label: "unknown", Value: float64(c.Unknown), Min: zero},
		retentionPerf(fs),
	)
}

// retentionPerf is the shortest time any replica can stay disconnected
// before it needs a purged binary log, in seconds, with the thresholds as
// ranges that alert below them; U when no replica's was computed.
func retentionPerf(fs []judge.Finding) plugin.Perf {
	p := plugin.Perf{Label: "retention", Value: math.NaN(), Unit: "s", Min: plugin.Float(0)}
	var h *judge.Headroom
	for _, f := range fs {
		if f.Headroom != nil && (h == nil || f.Headroom.Left < h.Left) {
			h = f.Headroom
		}
	}
	if h == nil {
		return p
	}
	p.Value = math.Floor(h.Left.Seconds())
	if h.Warn > 0 {
		p.Warn, _ = plugin.ParseThreshold(fmt.Sprintf("%d:", int64(h.Warn.Seconds())))
	}
	if h.Crit > 0 {
		p.Crit, _ = plugin.ParseThreshold(fmt.Sprintf("%d:", int64(h.Crit.Seconds())))
	}
	return p
}

// Summary returns the state of an audit and its summary line: how many
// servers were audited with how many findings, and the worst finding.
func Summary(t *topology.Topology, fs []judge.Finding) (plugin.Status, string) {
	c := Count(t, fs)
	noun := "servers"
	if c.Servers == 1 {
		noun = "server"
	}
	head := fmt.Sprintf("%d %s audited: %d critical, %d warning", c.Servers, noun, c.Critical, c.Warning)
	if c.Unknown > 0 {
		head += fmt.Sprintf(", %d unknown", c.Unknown)
	}
	if lead := discoveryLead(t); lead != "" {
		head = lead + ". " + head
	}
	if lead := privilegeLead(fs); lead != "" {
		head = lead + ". " + head
	}
	w, ok := worst(fs)
	switch {
	case !ok && len(t.Unfollowed) > 0:
		return plugin.OK, head
	case !ok:
		return plugin.OK, fmt.Sprintf("%s (%d rule checks pass)", head, c.Rules)
	case w.Level == judge.Unknown && w.Privilege != "", w.Rule == judge.RuleDiscoverComplete:
		return w.Level.Status(), head // a lead says it
	}
	return w.Level.Status(), fmt.Sprintf("%s. Worst: %s", head, w)
}

// discoveryLead says, to lead the summary, that --discover could not follow
// every replica, and what would let it: "Discovery incomplete: 3 replicas
// of db1:3306 not followed (grant REPLICATION MASTER ADMIN, with
// report_host and report_port set on the replicas)"; "" when it could.
func discoveryLead(t *topology.Topology) string {
	var servers, privs []string
	count, unknown, report := 0, false, false
	for _, u := range t.Unfollowed {
		if !u.Node.Audited {
			continue
		}
		if !contains(servers, u.Node.Name()) {
			servers = append(servers, u.Node.Name())
		}
		count += u.Count
		unknown = unknown || u.Count == 0
		report = report || u.ReportHost
		if u.Privilege != "" && !contains(privs, u.Privilege) {
			privs = append(privs, u.Privilege)
		}
	}
	if len(servers) == 0 {
		return ""
	}
	what := fmt.Sprintf("%d replicas", count)
	switch {
	case unknown:
		what = "replicas"
	case count == 1:
		what = "1 replica"
	}
	of := strings.Join(servers, ", ")
	if len(servers) > 2 {
		of = fmt.Sprintf("%d servers", len(servers))
	}
	var fix string
	switch {
	case len(privs) > 0 && report:
		fix = "grant " + strings.Join(privs, ", ") + ", with report_host and report_port set on the replicas"
	case len(privs) > 0:
		fix = "grant " + strings.Join(privs, ", ")
	default:
		fix = "set report_host and report_port on the replicas"
	}
	return fmt.Sprintf("Discovery incomplete: %s of %s not followed (%s)", what, of, fix)
}

// privilegeLead puts the findings the monitoring account could not judge
// for lack of a privilege into the words that lead the summary: "The
// monitoring account lacks SLAVE MONITOR on db1:3306: 3 rules not judged";
// "" when there are none.
func privilegeLead(fs []judge.Finding) string {
	var privs []string
	on := map[string][]string{}
	n := 0
	for _, f := range fs {
		if f.Level != judge.Unknown || f.Privilege == "" {
			continue
		}
		n++
		if _, seen := on[f.Privilege]; !seen {
			privs = append(privs, f.Privilege)
		}
		if !contains(on[f.Privilege], f.PrivilegeOn) {
			on[f.Privilege] = append(on[f.Privilege], f.PrivilegeOn)
		}
	}
	if n == 0 {
		return ""
	}
	var parts []string
	for _, p := range privs {
		where := strings.Join(on[p], ", ")
		if len(on[p]) > 2 {
			where = fmt.Sprintf("%d servers", len(on[p]))
		}
		parts = append(parts, p+" on "+where)
	}
	rules := "rules"
	if n == 1 {
		rules = "rule"
	}
	return fmt.Sprintf("The monitoring account lacks %s: %d %s not judged", strings.Join(parts, " and "), n, rules)
}

// findingLines groups the findings by server: a header line per audited
// server (address, server_id, version, role), then one "- LEVEL [rule]"
// line per finding that is not a pass, with its fix.
func findingLines(t *topology.Topology, fs []judge.Finding) []string {
	byNode := map[*topology.Node][]judge.Finding{}
	for _, f := range fs {
		byNode[f.Node] = append(byNode[f.Node], f)
	}
	var lines []string
	for _, n := range t.Nodes {
		list, audited := byNode[n]
		if !audited && !n.Audited {
			continue
		}
		head := n.Label()
		if n.Reachable() {
			head += " " + n.ID.String()
		}
		var bad []judge.Finding
		passes := 0
		for _, f := range list {
			if f.Level == judge.Pass {
				passes++
			} else {
				bad = append(bad, f)
			}
		}
		sort.SliceStable(bad, func(i, j int) bool { return bad[i].Level > bad[j].Level })
		if len(bad) == 0 {
			lines = append(lines, fmt.Sprintf("%s: %s; OK, %d rule checks pass", head, Describe(t, n), passes))
			continue
		}
		lines = append(lines, fmt.Sprintf("%s: %s", head, Describe(t, n)))
		for _, f := range bad {
			s := fmt.Sprintf("- %s [%s] %s", f.Level, f.Rule, f.Text)
			if fix := f.Fix.String(); fix != "" {
				s += "; " + fix
			}
			lines = append(lines, s)
		}
	}
	return lines
}

// singleNotes says what single-server mode can and cannot judge of a
// server that has, or may have, replicas: it is judged against the servers
// upstream of it, which were read; its replicas were not.
func singleNotes(t *topology.Topology) []string {
	if t.Mode != topology.Single || len(t.Nodes) == 0 || !t.Nodes[0].Reachable() {
		return nil
	}
	n := t.Nodes[0]
	if t.Facts(n).HasReplicas == topology.No {
		return nil
	}
	return []string{fmt.Sprintf("single-server mode: %s is judged with the servers upstream of it, which were read; "+
		"its replicas were not, so whether they hold errant transactions or can stay disconnected until its binary logs are purged "+
		"is not judged (--server or --discover audits them)", n.Name())}
}

// marker returns the note the tree puts after each server: the rules it
// breaks, grouped by level, worst first ("[CRITICAL: log-slave-updates]"),
// and "[misses relayed writes]" for a replica of a server whose
// log_slave_updates is OFF.
func marker(t *topology.Topology, fs []judge.Finding) func(*topology.Node) string {
	rules := map[*topology.Node]map[judge.Level][]string{}
	misses := map[*topology.Node]bool{}
	for _, f := range fs {
		if f.Level <= judge.Info {
			continue
		}
		if rules[f.Node] == nil {
			rules[f.Node] = map[judge.Level][]string{}
		}
		if !contains(rules[f.Node][f.Level], f.Rule) {
			rules[f.Node][f.Level] = append(rules[f.Node][f.Level], f.Rule)
		}
		if f.Rule == judge.RuleLogSlaveUpdates && f.Level == judge.Critical {
			srcs := f.Node.Sources()
			for _, e := range f.Node.Out {
				if !srcs[e.Replica] {
					misses[e.Replica] = true
				}
			}
		}
	}
	return func(n *topology.Node) string {
		var parts []string
		var groups []string
		for _, l := range []judge.Level{judge.Critical, judge.Warning, judge.Unknown} {
			if rs := rules[n][l]; len(rs) > 0 {
				groups = append(groups, fmt.Sprintf("%s: %s", l, strings.Join(rs, ", ")))
			}
		}
		if len(groups) > 0 {
			parts = append(parts, "["+strings.Join(groups, "; ")+"]")
		}
		if misses[n] {
			parts = append(parts, "[misses relayed writes]")
		}
		if !n.Audited && n.Reachable() {
			parts = append(parts, "(read for context, not audited)")
		}
		return strings.Join(parts, " ")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// worst returns the first finding of the highest level, and false when
// there is no finding above Info.
func worst(fs []judge.Finding) (judge.Finding, bool) {
	var w judge.Finding
	found := false
	for _, f := range fs {
		if f.Level > judge.Info && (!found || f.Level > w.Level) {
			w, found = f, true
		}
	}
	return w, found
}
