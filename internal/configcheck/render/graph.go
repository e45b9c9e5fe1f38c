package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/replica"
)

// levelColors fill a server's box by its worst finding.
var levelColors = map[judge.Level]string{
	judge.Pass:     "#c8e6c9", // green: every rule passes
	judge.Info:     "#c8e6c9",
	judge.Unknown:  "#e0e0e0", // grey: could not be judged
	judge.Warning:  "#ffe082", // amber
	judge.Critical: "#ef9a9a", // red
}

// Graph draws the topology in Graphviz DOT, for `dot -Tsvg`: a box per
// server (address, server_id, version, role, the rules it breaks) filled
// by its worst finding (and outlined red when it misses what its source
// does not log), an arrow from each source to its replicas (red and dashed
// when the channel is not replicating, red when the replica misses what
// its relay does not log), the masters of a ring side by side
// in a cluster, and dashed boxes for sources outside the topology. The
// findings are in each box's tooltip.
func Graph(t *topology.Topology, fs []judge.Finding) string {
	ids := map[*topology.Node]string{}
	for i, n := range t.Nodes {
		ids[n] = fmt.Sprintf("s%d", i+1)
	}
	worstOf := map[*topology.Node]judge.Level{}
	byNode := map[*topology.Node][]judge.Finding{}
	for _, f := range fs {
		if f.Level > worstOf[f.Node] {
			worstOf[f.Node] = f.Level
		}
		if f.Level > judge.Pass {
			byNode[f.Node] = append(byNode[f.Node], f)
		}
	}
	marks := marker(t, fs)
	losesWrites := map[*topology.Node]bool{} // relays that do not log what they replicate
	for _, f := range fs {
		if f.Rule == judge.RuleLogSlaveUpdates && f.Level == judge.Critical {
			losesWrites[f.Node] = true
		}
	}

	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	w("digraph replication {")
	w("\tgraph [rankdir=TB, fontname=\"Helvetica\", labelloc=t, label=%s];", dotString(graphTitle(t, fs)))
	w("\tnode [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];")
	w("\tedge [fontname=\"Helvetica\", fontsize=9];")
	inRing := map[*topology.Node]bool{}
	for i, r := range t.Rings {
		w("\tsubgraph cluster_ring%d {", i+1)
		w("\t\tlabel=%s; style=dashed; color=\"#5c6bc0\"; fontsize=10;", dotString(fmt.Sprintf("ring of %d masters", len(r.Members))))
		w("\t\t{ rank=same; %s }", strings.Join(nodeIDs(r.Members, ids), "; "))
		for _, m := range r.Members {
			inRing[m] = true
			w("\t\t%s", nodeLine(t, m, ids[m], worstOf[m], marks(m), byNode[m]))
		}
		w("\t}")
	}
	for _, n := range t.Nodes {
		if !inRing[n] {
			w("\t%s", nodeLine(t, n, ids[n], worstOf[n], marks(n), byNode[n]))
		}
	}
	outside := map[string]string{}
	var outsideOrder []string
	for _, n := range t.Nodes {
		for _, e := range n.In {
			from := ids[e.Source]
			if e.Source == nil {
				addr := e.SourceAddr().String()
				if outside[addr] == "" {
					outside[addr] = fmt.Sprintf("x%d", len(outside)+1)
					outsideOrder = append(outsideOrder, addr)
				}
				from = outside[addr]
			}
			misses := e.Source != nil && losesWrites[e.Source] && !e.Source.Sources()[n]
			w("\t%s -> %s [%s];", from, ids[n], edgeAttrs(e, misses))
		}
	}
	for _, addr := range outsideOrder {
		what := "not audited"
		if t.Mode != topology.Set {
			what = "not read"
		}
		w("\t%s [label=%s, style=\"rounded,dashed\", color=\"#9e9e9e\", fontcolor=\"#616161\"];", outside[addr], dotString(addr+"\n("+what+")"))
	}
	w("}")
	return b.String()
}

// graphTitle is the picture's caption: the summary's counts.
func graphTitle(t *topology.Topology, fs []judge.Finding) string {
	c := Count(t, fs)
	s := fmt.Sprintf("check_repl_config: %d servers audited, %d critical, %d warning", c.Servers, c.Critical, c.Warning)
	if c.Unknown > 0 {
		s += fmt.Sprintf(", %d unknown", c.Unknown)
	}
	return s
}

// nodeIDs returns the DOT ids of servers.
func nodeIDs(ns []*topology.Node, ids map[*topology.Node]string) []string {
	var out []string
	for _, n := range ns {
		out = append(out, ids[n])
	}
	return out
}

// nodeLine is one server's box.
func nodeLine(t *topology.Topology, n *topology.Node, id string, worst judge.Level, mark string, bad []judge.Finding) string {
	lines := []string{n.Label()}
	if n.Reachable() {
		lines = append(lines, n.ID.String())
	}
	lines = append(lines, shortRole(t, n))
	if mark != "" {
		lines = append(lines, mark)
	}
	attrs := []string{"label=" + dotString(strings.Join(lines, "\n"))}
	color := levelColors[worst]
	style := "rounded,filled"
	switch {
	case !n.Reachable():
		style = "rounded,filled,dashed"
	case !n.Audited:
		style = "rounded,filled,dashed"
	}
	attrs = append(attrs, fmt.Sprintf("fillcolor=%s", dotString(color)), fmt.Sprintf("style=%s", dotString(style)))
	if strings.Contains(mark, "[misses relayed writes]") {
		attrs = append(attrs, `color="#c62828"`, "penwidth=2")
	}
	var tips []string
	sort.SliceStable(bad, func(i, j int) bool { return bad[i].Level > bad[j].Level })
	for _, f := range bad {
		tips = append(tips, fmt.Sprintf("%s [%s] %s", f.Level, f.Rule, f.Text))
	}
	if len(tips) == 0 && n.Reachable() {
		tips = append(tips, Describe(t, n))
	}
	attrs = append(attrs, "tooltip="+dotString(strings.Join(tips, "\n")))
	return fmt.Sprintf("%s [%s];", id, strings.Join(attrs, ", "))
}

// edgeAttrs describes a replication channel's arrow: its name, red and
// dashed when it does not replicate, red when the replica misses writes.
func edgeAttrs(e *topology.Edge, misses bool) string {
	var attrs []string
	var label []string
	if e.Channel.Name != "" {
		label = append(label, "channel '"+e.Channel.Name+"'")
	}
	switch {
	case e.Channel.IO != replica.Running || e.Channel.SQL != replica.Running:
		label = append(label, fmt.Sprintf("IO %s, SQL %s", e.Channel.IO, e.Channel.SQL))
		attrs = append(attrs, `color="#c62828"`, `style=dashed`)
	case misses:
		label = append(label, "misses relayed writes")
		attrs = append(attrs, `color="#c62828"`)
	}
	if len(label) > 0 {
		attrs = append(attrs, "label="+dotString(strings.Join(label, "\n")))
	}
	if len(attrs) == 0 {
		return `color="#424242"`
	}
	return strings.Join(attrs, ", ")
}

// dotString quotes s as a DOT string: backslashes and quotes escaped,
// newlines as \n (centred lines).
func dotString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "").Replace(s) + `"`
}
