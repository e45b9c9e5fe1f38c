package judge

import (
	"fmt"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// uniqueVar reports servers sharing the value of an identifying variable;
// servers that lack the variable (or have 0 / empty) are skipped.
func uniqueVar(t *topology.Topology, name, rule string, fix Fix, why string) []Finding {
	groups := map[string][]*topology.Node{}
	var order []string
	counted := 0
	for _, n := range t.Nodes {
		if !n.Reachable() {
			continue
		}
		v, ok := n.Var(name)
		if !ok || v == "" || v == "0" {
			continue
		}
		counted++
		k := strings.ToLower(v)
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], n)
	}
	var out []Finding
	for _, k := range order {
		g := groups[k]
		a := verdict.FirstAudited(g)
		if a == nil {
			continue
		}
		if len(g) == 1 {
			if counted > 1 {
				out = append(out, Finding{Rule: rule, Level: Pass, Node: a,
					Text: fmt.Sprintf("%s %s is unique among the %d servers read", name, k, counted)})
			}
			continue
		}
		var others []*topology.Node
		for _, n := range g {
			if n != a {
				others = append(others, n)
			}
		}
		v, _ := a.Var(name)
		out = append(out, Finding{Rule: rule, Level: Critical, Node: a, Others: others, Fix: fix,
			Text: fmt.Sprintf("%s %s is also the %s of %s: %s", name, v, name, verdict.Labels(others), why)})
	}
	return out
}
