package binlog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/gtid"
	"github.com/replmon/replmon/internal/server"
)

// Errant (errant-transactions): a replica holds no transaction that no
// server upstream of it has — a write made directly on it, which breaks
// the next failover and often is the drift itself. In a ring every master
// is upstream of the others, so the writes of either master are
// legitimate everywhere; only those that originated on a replica or on a
// server outside the topology are errant. MySQL: gtid_executed set
// arithmetic; MariaDB: the domain-server-sequence entries of the binary
// log state against what the servers upstream hold.
func Errant(j *verdict.Audit) {
	switch j.F.Replica {
	case topology.No:
		return
	case topology.Maybe:
		j.NotJudged(verdict.RuleErrant, "a replica holds no transaction its sources lack", topology.AskReplica)
		return
	}
	up, missing := j.N.Upstream()
	for _, e := range missing {
		switch {
		case e.Source == nil && j.T.Mode == topology.Set:
			return // source-in-set reports it
		case e.Source == nil:
			j.Add(verdict.RuleErrant, verdict.Unknown, verdict.Fix{}, "not judged (a replica holds no transaction its sources lack): source %s was not read", e.SourceAddr())
			return
		case j.T.Mode == topology.Set:
			return // reachable reports it
		default:
			j.Add(verdict.RuleErrant, verdict.Unknown, verdict.Fix{}, "not judged (a replica holds no transaction its sources lack): source %s could not be read (%v)", e.Source.Name(), e.Source.Err)
			return
		}
	}
	if j.N.ID.Flavor == server.MariaDB {
		errantMariaDB(j, up)
		return
	}
	errantMySQL(j, up)
}

// errantMySQL subtracts from the replica's gtid_executed what the servers
// upstream have executed. Transactions of an upstream server's own UUID
// are never errant (the server may have written them after it was read),
// nor, on a ring member, its own.
func errantMySQL(j *verdict.Audit, up []*topology.Node) {
	mode, ok := j.N.Var("gtid_mode")
	if !ok || !strings.HasPrefix(strings.ToUpper(mode), "ON") {
		return // no GTIDs of its own: nothing to tell a write from a replicated one
	}
	mine, ok := gtidSet(j, j.N)
	if !ok {
		return
	}
	legit := gtid.Set{}
	ownUUID, _ := j.N.Var("server_uuid")
	origins := map[string]bool{}
	if j.F.Ring == topology.Yes {
		origins[strings.ToLower(ownUUID)] = true
	}
	var names []string
	for _, u := range up {
		s, ok := gtidSet(j, u)
		if !ok {
			return
		}
		legit = legit.Union(s)
		if id, ok := u.Var("server_uuid"); ok {
			origins[strings.ToLower(id)] = true
		}
		names = append(names, u.Label())
	}
	bad := mine.Subtract(legit).Only(func(o gtid.Origin) bool { return !origins[o.UUID] })
	if bad.IsEmpty() {
		j.Add(verdict.RuleErrant, verdict.Pass, verdict.Fix{}, "every GTID of gtid_executed is also on a server upstream (%s)", strings.Join(names, ", "))
		return
	}
	var parts []string
	for _, o := range bad.Origins() {
		one := bad.Only(func(x gtid.Origin) bool { return x == o })
		parts = append(parts, fmt.Sprintf("%s (%s)", one, originOf(j, o.UUID)))
	}
	n := bad.Count()
	what := fmt.Sprintf("%d transactions", n)
	if n == 1 {
		what = "1 transaction"
	}
	j.Add(verdict.RuleErrant, verdict.Critical, verdict.Fix{Advice: fmt.Sprintf("find what they changed (mysqlbinlog --include-gtids='%s' on this server's binary logs); "+
		"apply the same change on the source, or undo it here; then give the source these GTIDs as empty transactions "+
		"(SET GTID_NEXT='<gtid>'; BEGIN; COMMIT; SET GTID_NEXT='AUTOMATIC' for each) so that no failover replays or lacks them; "+
		"and keep super_read_only = ON on replicas", bad)},
		"gtid_executed holds %s that no server upstream (%s) has: %s. A write made directly on a replica: "+
			"the next failover to or through this server sends it to the others or breaks on it, and it often is drift that check_repl_checksum finds",
		what, strings.Join(names, ", "), strings.Join(parts, ", "))
}

// gtidSet reads a server's gtid_executed; a value that is missing or does
// not parse is an UNKNOWN finding on the judged server.
func gtidSet(j *verdict.Audit, n *topology.Node) (gtid.Set, bool) {
	v, ok := n.Var("gtid_executed")
	if !ok {
		j.Add(verdict.RuleErrant, verdict.Unknown, verdict.Fix{}, "not judged: gtid_executed was not returned by %s (%s)", n.Label(), n.ID)
		return gtid.Set{}, false
	}
	s, err := gtid.ParseMySQL(v)
	if err != nil {
		j.Add(verdict.RuleErrant, verdict.Unknown, verdict.Fix{}, "not judged: gtid_executed of %s: %v", n.Label(), err)
		return gtid.Set{}, false
	}
	return s, true
}

// originOf names the server a GTID's UUID (MySQL) belongs to.
func originOf(j *verdict.Audit, uuid string) string {
	if own, _ := j.N.Var("server_uuid"); strings.EqualFold(own, uuid) {
		return "written on this server itself"
	}
	for _, n := range j.T.Nodes {
		if u, ok := n.Var("server_uuid"); ok && strings.EqualFold(u, uuid) {
			return "written on " + n.Label() + ", which is not upstream of this server"
		}
	}
	return "written on a server outside the topology"
}

// errantMariaDB looks for entries of the replica's gtid_binlog_state
// (domain-server-sequence, the last of each server in each domain) whose
// server is not upstream and that no server upstream holds as far.
func errantMariaDB(j *verdict.Audit, up []*topology.Node) {
	if on, ok := j.N.Bool("log_bin"); !ok || !on {
		return // a write here gets no GTID: check_repl_checksum finds what it changed
	}
	state, ok := mariaPos(j, j.N, "gtid_binlog_state", "gtid_binlog_pos")
	if !ok {
		return
	}
	origins := map[uint32]bool{}
	if id, ok := j.N.ServerID(); ok && j.F.Ring == topology.Yes {
		origins[uint32(id)] = true
	}
	type ds struct{ d, s uint32 }
	held := map[ds]uint64{}
	var names []string
	for _, u := range up {
		if id, ok := u.ServerID(); ok {
			origins[uint32(id)] = true
		}
		for _, name := range []string{"gtid_binlog_state", "gtid_current_pos", "gtid_slave_pos"} {
			v, _ := u.Var(name)
			p, err := gtid.ParseMariaDB(v)
			if err != nil {
				j.Add(verdict.RuleErrant, verdict.Unknown, verdict.Fix{}, "not judged: %s of %s: %v", name, u.Label(), err)
				return
			}
			for _, g := range p {
				held[ds{g.Domain, g.Server}] = max(held[ds{g.Domain, g.Server}], g.Seq)
			}
		}
		names = append(names, u.Label())
	}
	var bad gtid.Pos
	for _, g := range state {
		if !origins[g.Server] && held[ds{g.Domain, g.Server}] < g.Seq {
			bad = append(bad, g)
		}
	}
	if len(bad) == 0 {
		j.Add(verdict.RuleErrant, verdict.Pass, verdict.Fix{}, "every GTID of its binary log state is also on a server upstream (%s)", strings.Join(names, ", "))
		return
	}
	sort.Slice(bad, func(a, b int) bool {
		return bad[a].Domain < bad[b].Domain || bad[a].Domain == bad[b].Domain && bad[a].Server < bad[b].Server
	})
	var parts []string
	domains := map[uint32]bool{}
	var ds2 []string
	for _, g := range bad {
		parts = append(parts, fmt.Sprintf("%s (domain %d, %s)", g, g.Domain, serverIDOrigin(j, int64(g.Server))))
		if !domains[g.Domain] {
			domains[g.Domain] = true
			ds2 = append(ds2, fmt.Sprint(g.Domain))
		}
	}
	j.Add(verdict.RuleErrant, verdict.Critical, verdict.Fix{Advice: fmt.Sprintf("find what they changed (mysqlbinlog on this server's binary logs, GTIDs %s); "+
		"apply the same change on the master, or undo it here; then remove them from this server's GTID state once the binary logs holding them are purged "+
		"(FLUSH BINARY LOGS DELETE_DOMAIN_ID = (%s) when no master writes in that domain, or RESET MASTER if nothing replicates from this server); "+
		"and keep read_only = ON on replicas", bad, strings.Join(ds2, ", "))},
		"gtid_binlog_state holds %s, which no server upstream (%s) has: a write made directly on a replica (the last GTID of each such server is shown). "+
			"The next failover to or through this server sends it to the others or breaks on it, and it often is drift that check_repl_checksum finds",
		strings.Join(parts, ", "), strings.Join(names, ", "))
}

// mariaPos parses the first of the named variables n has.
func mariaPos(j *verdict.Audit, n *topology.Node, names ...string) (gtid.Pos, bool) {
	for _, name := range names {
		v, ok := n.Var(name)
		if !ok {
			continue
		}
		p, err := gtid.ParseMariaDB(v)
		if err != nil {
			j.Add(verdict.RuleErrant, verdict.Unknown, verdict.Fix{}, "not judged: %s of %s: %v", name, n.Label(), err)
			return nil, false
		}
		return p, true
	}
	j.Missing(verdict.RuleErrant, strings.Join(names, " or "))
	return nil, false
}

// serverIDOrigin names the server a MariaDB GTID's server_id belongs to.
func serverIDOrigin(j *verdict.Audit, id int64) string {
	if own, ok := j.N.ServerID(); ok && own == id {
		return fmt.Sprintf("server_id %d: written on this server itself", id)
	}
	for _, n := range j.T.Nodes {
		if sid, ok := n.ServerID(); ok && sid == id {
			return fmt.Sprintf("server_id %d: written on %s, which is not upstream of this server", id, n.Name())
		}
	}
	return fmt.Sprintf("server_id %d: written on a server outside the topology", id)
}
