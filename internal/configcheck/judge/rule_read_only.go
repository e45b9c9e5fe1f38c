package judge

import (
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/server"
)

// readOnly (read-only): a replica outside any ring of masters — a pure
// replica or a relay — is read_only, so that no application writes where
// its source never sees it; super-read-only follows.
func readOnly(j *audit) {
	yes, maybe := j.f.OutsideRing()
	if !yes && !maybe {
		return
	}
	on, ok := j.n.Bool("read_only")
	if !ok {
		j.missing(RuleReadOnly, "read_only")
		return
	}
	fix := Fix{Cnf: "read_only = ON", Now: "SET GLOBAL read_only = ON"}
	switch {
	case on:
		j.add(RuleReadOnly, Pass, Fix{}, "read_only is ON")
		if yes {
			superReadOnly(j)
		}
	case yes && j.f.HasReplicas == topology.Yes:
		j.add(RuleReadOnly, Warning, fix, "read_only is OFF on a relay (a replica that has replicas): applications can write to it, "+
			"and what they write reaches its replicas but never its source (the relay and its replicas silently diverge from the rest of the topology)")
	case yes:
		j.add(RuleReadOnly, Warning, fix, "read_only is OFF on a replica: applications can write to it, and what they write exists nowhere else (the replica silently diverges from its source)")
	default:
		j.notJudged(RuleReadOnly, "read_only must be ON on a replica outside a ring of masters", topology.AskReplica, topology.AskRing)
	}
}

// superReadOnly notes whether read_only also stops privileged accounts.
func superReadOnly(j *audit) {
	id := j.n.ID
	if id.Flavor == server.MariaDB {
		if id.Version.AtLeast(10, 11, 0) {
			j.add(RuleSuperReadOnly, Pass, Fix{}, "read_only stops SUPER accounts too on MariaDB 10.11+ (only READ ONLY ADMIN may write)")
			return
		}
		j.add(RuleSuperReadOnly, Info, Fix{Advice: "grant neither SUPER nor READ ONLY ADMIN to application accounts, or upgrade to MariaDB 10.11+"},
			"MariaDB %s has no super_read_only, and its read_only does not stop accounts with SUPER", id.Version)
		return
	}
	on, ok := j.n.Bool("super_read_only")
	if !ok {
		j.add(RuleSuperReadOnly, Info, Fix{Advice: "grant SUPER to no application account, or upgrade to MySQL 5.7.8+"},
			"%s has no super_read_only (MySQL 5.7.8+): accounts with SUPER can write despite read_only", id)
		return
	}
	if on {
		j.add(RuleSuperReadOnly, Pass, Fix{}, "super_read_only is ON")
		return
	}
	j.add(RuleSuperReadOnly, Info, Fix{Cnf: "super_read_only = ON", Now: "SET GLOBAL super_read_only = ON"},
		"super_read_only is OFF: accounts with SUPER (CONNECTION_ADMIN) can still write despite read_only")
}
