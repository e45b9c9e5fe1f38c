package judge

import (
	"fmt"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/server"
)

// versionOrder (version-order): a replica is not older than any of its
// sources, whose binary logs it must read.
func versionOrder(j *audit) {
	switch j.F.Replica {
	case topology.No:
		return
	case topology.Maybe:
		if j.F.Forced {
			return
		}
		j.NotJudged(RuleVersionOrder, "a replica must not be older than its sources", topology.AskReplica)
		return
	}
	mine := j.N.ID
	for _, e := range j.N.In {
		src := e.Source
		switch {
		case src == nil && j.T.Mode == topology.Set:
			continue // source-in-set reports it
		case src == nil:
			j.Add(RuleVersionOrder, Unknown, Fix{}, "cannot compare versions: source %s was not read", e.SourceAddr())
			continue
		case !src.Reachable():
			if j.T.Mode != topology.Set {
				j.Add(RuleVersionOrder, Unknown, Fix{}, "cannot compare versions: source %s could not be read (%v)", src.Name(), src.Err)
			}
			continue
		}
		theirs := src.ID
		switch {
		case !sameFamily(mine, theirs):
			j.Add(RuleVersionOrder, Info, Fix{}, "%s replicates from %s (%s): versions of different flavours are not compared", mine, src.Label(), theirs)
		case mine.Version.Major < theirs.Version.Major ||
			mine.Version.Major == theirs.Version.Major && mine.Version.Minor < theirs.Version.Minor:
			j.Add(RuleVersionOrder, Warning,
				Fix{Advice: fmt.Sprintf("upgrade this replica to %d.%d or later (upgrade replicas before their sources)", theirs.Version.Major, theirs.Version.Minor)},
				"%s is older than its source %s (%s): a replica must not be older than its source, whose binary log may hold events it cannot read",
				mine, src.Label(), theirs)
		case mine.Version.Less(theirs.Version) && mine.Flavor != server.MariaDB && theirs.Version.AtLeast(8, 0, 0):
			j.Add(RuleVersionOrder, Warning,
				Fix{Advice: fmt.Sprintf("upgrade this replica to %s or later (upgrade replicas before their sources)", theirs.Version)},
				"%s is an older patch release than its source %s (%s): from MySQL 8.0 on, replication to a replica of an older release is not supported, even within one release series "+
					"(the source may write events or use defaults the replica does not know)",
				mine, src.Label(), theirs)
		case mine.Version.Less(theirs.Version):
			j.Add(RuleVersionOrder, Info, Fix{}, "%s is an older patch release than its source %s (%s)", mine, src.Label(), theirs)
		default:
			j.Add(RuleVersionOrder, Pass, Fix{}, "%s is not older than its source %s (%s)", mine, src.Label(), theirs)
		}
	}
}

// sameFamily reports whether two servers' versions can be compared:
// MySQL and Percona Server share release numbers, MariaDB has its own.
func sameFamily(a, b server.Identity) bool {
	return (a.Flavor == server.MariaDB) == (b.Flavor == server.MariaDB)
}
