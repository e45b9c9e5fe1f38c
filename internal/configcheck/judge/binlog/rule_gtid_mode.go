package binlog

import (
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/server"
)

// GTIDMode (gtid-mode): along each MySQL replication edge the GTID modes
// work together. A replica with gtid_mode OFF cannot apply GTID
// transactions (its source ON or ON_PERMISSIVE writes them), one with ON
// cannot apply anonymous ones (its source OFF or OFF_PERMISSIVE writes
// them), and auto-positioning needs a source with ON: CRITICAL.
// enforce_gtid_consistency ON on a replica whose source does not enforce
// it stops the replica on the first statement that is not GTID-safe:
// WARNING.
func GTIDMode(j *verdict.Audit) {
	if j.F.Replica != topology.Yes || j.N.ID.Flavor == server.MariaDB {
		return
	}
	mine, ok := j.N.Var("gtid_mode")
	if !ok {
		return
	}
	mine = strings.ToUpper(mine)
	for _, e := range j.N.In {
		src := e.Source
		if src == nil || !src.Reachable() || src.ID.Flavor == server.MariaDB {
			continue // version-order and source-in-set speak of those
		}
		theirs, ok := src.Var("gtid_mode")
		if !ok {
			continue
		}
		theirs = strings.ToUpper(theirs)
		auto := e.Channel.Raw["Auto_Position"] == "1"
		fix := verdict.Fix{Advice: "move both servers to gtid_mode = ON one step at a time on every server of the topology " +
			"(OFF, OFF_PERMISSIVE, ON_PERMISSIVE, ON; enforce_gtid_consistency = ON first), or replicate by file and position (SOURCE_AUTO_POSITION = 0)"}
		switch {
		case mine == "OFF" && (theirs == "ON" || theirs == "ON_PERMISSIVE"):
			j.Add(verdict.RuleGTIDMode, verdict.Critical, fix, "gtid_mode is OFF here and %s on its source %s: the source writes GTID transactions, which a replica with OFF cannot apply: replication stops (error 1786 or 13117)",
				theirs, src.Label())
		case mine == "ON" && (theirs == "OFF" || theirs == "OFF_PERMISSIVE"):
			j.Add(verdict.RuleGTIDMode, verdict.Critical, fix, "gtid_mode is ON here and %s on its source %s: the source writes anonymous transactions, which a replica with ON cannot apply: replication stops (error 1782 or 13117)",
				theirs, src.Label())
		case auto && theirs != "ON":
			j.Add(verdict.RuleGTIDMode, verdict.Critical, fix, "%s uses auto-positioning, which needs gtid_mode ON on the source, and %s has %s: the replica cannot connect (error 1236)",
				verdict.ChannelName(e), src.Label(), theirs)
		case enforces(j.N) && !enforces(src) && mine != "OFF":
			j.Add(verdict.RuleGTIDMode, verdict.Warning, verdict.Fix{Cnf: "enforce_gtid_consistency = ON (on the source)", Now: "SET GLOBAL enforce_gtid_consistency = ON"},
				"enforce_gtid_consistency is ON here and %s on its source %s: the source accepts statements that are not GTID-safe (CREATE TABLE ... SELECT, "+
					"transactions mixing storage engines), and the replica stops on the first one", varOr(src, "enforce_gtid_consistency"), src.Label())
		default:
			j.Add(verdict.RuleGTIDMode, verdict.Pass, verdict.Fix{}, "gtid_mode %s works with its source's %s (%s)", mine, theirs, src.Label())
		}
	}
}

// enforces reports whether enforce_gtid_consistency is ON.
func enforces(n *topology.Node) bool {
	v, _ := n.Var("enforce_gtid_consistency")
	return strings.EqualFold(v, "ON") || v == "1"
}
