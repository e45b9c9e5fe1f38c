package judge

import (
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
)

// logSlaveUpdates (log-slave-updates): a relay or ring member writes what
// it replicates to its own binary log, or its replicas never receive it.
func logSlaveUpdates(j *audit) {
	yes, maybe := j.F.Relays()
	if !yes && !maybe {
		return
	}
	name := j.N.LogReplicaUpdatesVar()
	on, ok := j.N.Bool(name)
	if !ok {
		j.Missing(RuleLogSlaveUpdates, name)
		return
	}
	fix := Fix{Cnf: name + " = ON", Restart: true}
	if bin, ok := j.N.Bool("log_bin"); ok && !bin {
		fix.Advice = "log_bin must be ON as well"
	}
	switch {
	case on:
		j.Add(RuleLogSlaveUpdates, Pass, Fix{}, "%s is ON", name)
		return
	case maybe:
		j.NotJudged(RuleLogSlaveUpdates, "a relay or ring member needs "+name, topology.AskRing, topology.AskReplica, topology.AskHasReplicas)
		return
	}
	var from []string
	for _, e := range j.N.In {
		from = append(from, e.SourceLabel())
	}
	changes := "the changes it replicates"
	if len(from) > 0 {
		changes = "the changes it replicates from " + strings.Join(from, ", ")
	}
	down := downstreamOf(j.N)
	if down.empty() {
		j.Add(RuleLogSlaveUpdates, Warning, fix,
			"%s is OFF on %s: %s are not written to its binary log; no replica misses them today, but any replica attached later would",
			name, j.Who(), changes)
		return
	}
	j.Add(RuleLogSlaveUpdates, Critical, fix,
		"%s is OFF on %s: %s are not written to its binary log, so %s never %s them",
		name, j.Who(), changes, down, down.receive())
}
