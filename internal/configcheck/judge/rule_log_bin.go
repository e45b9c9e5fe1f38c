package judge

import "github.com/replmon/replmon/internal/configcheck/topology"

// logBin (log-bin): a server that has replicas, or is in a ring, writes a
// binary log for them to read.
func logBin(j *audit) {
	f := j.F
	yes := f.HasReplicas == topology.Yes || f.Ring == topology.Yes
	maybe := !yes && (f.HasReplicas == topology.Maybe || f.Ring == topology.Maybe)
	if !yes && !maybe {
		return
	}
	on, ok := j.N.Bool("log_bin")
	if !ok {
		j.Missing(RuleLogBin, "log_bin")
		return
	}
	fix := Fix{Cnf: "log_bin = mysql-bin", Restart: true}
	switch {
	case on:
		j.Add(RuleLogBin, Pass, Fix{}, "log_bin is ON")
	case yes:
		j.Add(RuleLogBin, Critical, fix, "log_bin is OFF on %s: without a binary log it has nothing to send its replicas", j.Who())
	default:
		j.NotJudged(RuleLogBin, "a server with replicas, or in a ring, needs log_bin", topology.AskRing, topology.AskHasReplicas)
	}
}
