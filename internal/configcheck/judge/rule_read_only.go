package judge

import (
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/server"
)

// readOnly (read-only): a replica outside any ring of masters — a pure
// replica or a relay — is read_only, so that no application writes where
// its source never sees it; super-read-only follows.
func readOnly(j *audit) {
	yes, maybe := j.F.OutsideRing()
	if !yes && !maybe {
		return
	}
	on, ok := j.N.Bool("read_only")
	if !ok {
		j.Missing(RuleReadOnly, "read_only")
		return
	}
	fix := Fix{Cnf: "read_only = ON", Now: "SET GLOBAL read_only = ON"}
	switch {
	case on:
		j.Add(RuleReadOnly, Pass, Fix{}, "read_only is ON")
		if yes {
			superReadOnly(j)
		}
	case yes && j.F.HasReplicas == topology.Yes:
		j.Add(RuleReadOnly, Warning, fix, "read_only is OFF on a relay (a replica that has replicas): applications can write to it, "+
			"and what they write reaches its replicas but never its source (the relay and its replicas silently diverge from the rest of the topology)")
	case yes:
		j.Add(RuleReadOnly, Warning, fix, "read_only is OFF on a replica: applications can write to it, and what they write exists nowhere else (the replica silently diverges from its source)")
	default:
		j.NotJudged(RuleReadOnly, "read_only must be ON on a replica outside a ring of masters", topology.AskReplica, topology.AskRing)
	}
}

// superReadOnly notes whether read_only also stops privileged accounts.
func superReadOnly(j *audit) {
	id := j.N.ID
	if id.Flavor == server.MariaDB {
		if id.Version.AtLeast(10, 11, 0) {
			j.Add(RuleSuperReadOnly, Pass, Fix{}, "read_only stops SUPER accounts too on MariaDB 10.11+ (only READ ONLY ADMIN may write)")
			return
		}
		j.Add(RuleSuperReadOnly, Info, Fix{Advice: "grant neither SUPER nor READ ONLY ADMIN to application accounts, or upgrade to MariaDB 10.11+"},
			"MariaDB %s has no super_read_only, and its read_only does not stop accounts with SUPER", id.Version)
		return
	}
	on, ok := j.N.Bool("super_read_only")
	if !ok {
		j.Add(RuleSuperReadOnly, Info, Fix{Advice: "grant SUPER to no application account, or upgrade to MySQL 5.7.8+"},
			"%s has no super_read_only (MySQL 5.7.8+): accounts with SUPER can write despite read_only", id)
		return
	}
	if on {
		j.Add(RuleSuperReadOnly, Pass, Fix{}, "super_read_only is ON")
		return
	}
	j.Add(RuleSuperReadOnly, Info, Fix{Cnf: "super_read_only = ON", Now: "SET GLOBAL super_read_only = ON"},
		"super_read_only is OFF: accounts with SUPER (CONNECTION_ADMIN) can still write despite read_only")
}
