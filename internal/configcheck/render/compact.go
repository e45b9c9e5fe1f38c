package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// minCollapse is the smallest run of alike leaf replicas under one source
// that the compact tree draws as one line.
const minCollapse = 4

// compactLines is the default long output above the tree: every problem in
// full, what is fine counted. A server with findings of its own gets its
// header and one line per finding; a finding that several servers share
// word for word is one line naming them; the servers where every rule
// passes are counted. A single audited server is always described.
func compactLines(t *topology.Topology, fs []judge.Finding) []string {
	type group struct {
		f     judge.Finding
		nodes []*topology.Node
	}
	var groups []*group
	byKey := map[string]*group{}
	byNode := map[*topology.Node][]judge.Finding{}
	passes := map[*topology.Node]int{}
	for _, f := range fs {
		if f.Level == judge.Pass {
			passes[f.Node]++
			continue
		}
		k := fmt.Sprintf("%d\x00%s\x00%s\x00%s", f.Level, f.Rule, f.Text, f.Fix.String())
		g := byKey[k]
		if g == nil {
			g = &group{f: f}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.nodes = append(g.nodes, f.Node)
		byNode[f.Node] = append(byNode[f.Node], f)
	}
	own := func(f judge.Finding) bool {
		return len(byKey[fmt.Sprintf("%d\x00%s\x00%s\x00%s", f.Level, f.Rule, f.Text, f.Fix.String())].nodes) == 1
	}
	single := len(t.Audited()) == 1
	var lines []string
	clean, cleanRules := 0, 0
	for _, n := range t.Nodes {
		list, has := byNode[n]
		if !has && !n.Audited {
			continue
		}
		var mine []judge.Finding
		for _, f := range list {
			if own(f) {
				mine = append(mine, f)
			}
		}
		switch {
		case len(list) == 0 && !single:
			clean++
			cleanRules += passes[n]
			continue
		case len(mine) == 0 && len(list) > 0 && !single:
			continue // named by the shared lines below
		}
		lines = append(lines, serverLines(t, n, mine, passes[n], len(list) > len(mine))...)
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].f.Level > groups[j].f.Level })
	for _, g := range groups {
		if len(g.nodes) < 2 {
			continue
		}
		s := fmt.Sprintf("%s [%s] on %d servers (%s): %s", g.f.Level, g.f.Rule, len(g.nodes), nodeList(g.nodes), g.f.Text)
		if fix := g.f.Fix.String(); fix != "" {
			s += "; " + fix
		}
		lines = append(lines, s)
	}
	if clean > 0 {
		noun := "servers pass"
		if clean == 1 {
			noun = "server passes"
		}
		lines = append(lines, fmt.Sprintf("%d %s every rule (%d rule checks; --full-output lists them)", clean, noun, cleanRules))
	}
	return lines
}

// serverLines is a server's header and its findings, worst first; shared
// says that more of its findings are on the lines that name several servers.
func serverLines(t *topology.Topology, n *topology.Node, bad []judge.Finding, passes int, shared bool) []string {
	head := n.Label()
	if n.Reachable() {
		head += " " + n.ID.String()
	}
	if len(bad) == 0 && !shared {
		return []string{fmt.Sprintf("%s: %s; OK, %d rule checks pass", head, Describe(t, n), passes)}
	}
	lines := []string{fmt.Sprintf("%s: %s", head, Describe(t, n))}
	sort.SliceStable(bad, func(i, j int) bool { return bad[i].Level > bad[j].Level })
	for _, f := range bad {
		s := fmt.Sprintf("- %s [%s] %s", f.Level, f.Rule, f.Text)
		if fix := f.Fix.String(); fix != "" {
			s += "; " + fix
		}
		lines = append(lines, s)
	}
	return lines
}

// nodeList names servers for a shared finding: by label when there are
// few, else by server_id (ranges such as 101-110), addresses for those
// whose server_id is unknown.
func nodeList(ns []*topology.Node) string {
	if len(ns) <= 3 {
		var s []string
		for _, n := range ns {
			s = append(s, n.Label())
		}
		return strings.Join(s, ", ")
	}
	return idList(ns)
}

// idList writes "server_id 101-110, 115" for servers, then the addresses
// of those without a known server_id.
func idList(ns []*topology.Node) string {
	var ids []int64
	var addrs []string
	for _, n := range ns {
		if id, ok := n.ServerID(); ok {
			ids = append(ids, id)
		} else {
			addrs = append(addrs, n.Name())
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var parts []string
	for i := 0; i < len(ids); {
		k := i
		for k+1 < len(ids) && ids[k+1] == ids[k]+1 {
			k++
		}
		switch {
		case k == i:
			parts = append(parts, strconv.FormatInt(ids[i], 10))
		case k == i+1:
			parts = append(parts, strconv.FormatInt(ids[i], 10), strconv.FormatInt(ids[k], 10))
		default:
			parts = append(parts, fmt.Sprintf("%d-%d", ids[i], ids[k]))
		}
		i = k + 1
	}
	var out []string
	if len(parts) > 0 {
		out = append(out, "server_id "+strings.Join(parts, ", "))
	}
	return strings.Join(append(out, addrs...), ", ")
}
