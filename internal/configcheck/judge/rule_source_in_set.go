package judge

import (
	"fmt"

	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// sourcesInSet reports channels whose source is not among the --server set.
func sourcesInSet(t *topology.Topology) []Finding {
	var out []Finding
	for _, n := range t.Audited() {
		for _, e := range n.In {
			if e.Source != nil {
				out = append(out, Finding{Rule: RuleSourceInSet, Level: Pass, Node: n,
					Text: fmt.Sprintf("its source %s is audited too", e.Source.Name())})
				continue
			}
			out = append(out, Finding{Rule: RuleSourceInSet, Level: Warning, Node: n,
				Fix:  Fix{Advice: fmt.Sprintf("add --server %s, or use --discover", e.SourceAddr())},
				Text: fmt.Sprintf("%s: that source is not among the audited servers, so neither it nor the relations through it are checked", verdict.ChannelName(e))})
		}
	}
	return out
}
