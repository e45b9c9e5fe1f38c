package judge

import (
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/server"
)

// relayLogRecovery (relay-log-recovery, relay-log-info-repository): a
// replica resumes from a sound relay log and applier position after a crash.
func relayLogRecovery(j *audit) {
	f := j.F
	if f.Replica == topology.No {
		return
	}
	on, ok := j.N.Bool("relay_log_recovery")
	if !ok {
		if f.Replica == topology.Yes {
			j.Add(RuleRelayLogRecovery, Info, Fix{Advice: "upgrade for crash-safe replication"},
				"%s has no relay_log_recovery: after a crash the replica resumes from a relay log that may be torn", j.N.ID)
		}
		return
	}
	fix := Fix{Cnf: "relay_log_recovery = ON", Restart: true}
	if j.N.ID.Flavor == server.MariaDB {
		fix = Fix{Cnf: "relay_log_recovery = ON", Now: "SET GLOBAL relay_log_recovery = ON"}
	}
	switch {
	case on:
		j.Add(RuleRelayLogRecovery, Pass, Fix{}, "relay_log_recovery is ON")
	case f.Replica == topology.Yes:
		j.Add(RuleRelayLogRecovery, Warning, fix, "relay_log_recovery is OFF on a replica: after a crash it resumes from a relay log that may be torn, and can skip or repeat transactions")
	default:
		j.NotJudged(RuleRelayLogRecovery, "a replica needs relay_log_recovery to resume safely after a crash", topology.AskReplica)
	}
	if repo, ok := j.N.Var("relay_log_info_repository"); ok && f.Replica == topology.Yes {
		if strings.EqualFold(repo, "FILE") {
			j.Add(RuleRelayLogInfoRepo, Warning, Fix{Cnf: "relay_log_info_repository = TABLE", Restart: true},
				"relay_log_info_repository is FILE: the applier position is not updated with the transaction, so a crash can repeat or skip one")
		} else {
			j.Add(RuleRelayLogInfoRepo, Pass, Fix{}, "relay_log_info_repository is %s", repo)
		}
	}
}
