package judge

import (
	"github.com/replmon/replmon/internal/configcheck/judge/binlog"
	"github.com/replmon/replmon/internal/configcheck/topology"
)

// relations judges what no single server can tell: identifiers shared
// between servers, auto-increment offsets colliding within a ring, sources
// outside the audited set. A finding goes to the first audited server it
// involves; relations between servers read only for context are not judged.
func relations(t *topology.Topology) []Finding {
	var out []Finding
	out = append(out, uniqueVar(t, "server_id", RuleServerIDUnique,
		Fix{Cnf: "server_id = <a number unique among all servers>", Now: "SET GLOBAL server_id = <that number>"},
		"a replica ignores every event that carries its own server_id, and a source keeps only one of two replicas registering with the same one")...)
	out = append(out, uniqueVar(t, "server_uuid", RuleServerUUIDUnique,
		Fix{Advice: "stop the copy, delete auto.cnf from its data directory and start it: it gets a new server_uuid"},
		"GTIDs and replica registrations of these servers collide (a data directory copied with its auto.cnf)")...)
	out = append(out, ringOffsets(t)...)
	out = append(out, binlog.GTIDDomains(t)...)
	out = append(out, binlog.RingFormats(t)...)
	out = append(out, binlog.Filters(t)...)
	if t.Mode == topology.Set {
		out = append(out, sourcesInSet(t)...)
	}
	return out
}
