// Package gtid reads and compares global transaction identifiers as the
// servers print them: MariaDB positions ("0-1-5,1-2-7", domain-server-seq)
// and MySQL GTID sets (uuid[:tag]:interval lists, mysql.go: parsed,
// normalised, and combined by union, difference and containment). It is
// shared by check_repl_checksum's waits and check_repl_config's errant
// transaction rule.
package gtid

import (
	"fmt"
	"strconv"
	"strings"
)

// MariaDB is one MariaDB GTID: replication domain, originating server_id
// and sequence number.
type MariaDB struct {
	Domain, Server uint32
	Seq            uint64
}

// String returns domain-server-seq.
func (g MariaDB) String() string { return fmt.Sprintf("%d-%d-%d", g.Domain, g.Server, g.Seq) }

// Pos is a MariaDB GTID position or binlog state, such as @@gtid_binlog_pos,
// @@gtid_binlog_state or Gtid_Slave_Pos.
type Pos []MariaDB

// ParseMariaDB parses a comma-separated MariaDB GTID list; spaces and an
// empty list are allowed.
func ParseMariaDB(s string) (Pos, error) {
	var out Pos
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p := strings.Split(f, "-")
		if len(p) != 3 {
			return nil, fmt.Errorf("bad GTID %q in %q", f, s)
		}
		d, err1 := strconv.ParseUint(p[0], 10, 32)
		sv, err2 := strconv.ParseUint(p[1], 10, 32)
		q, err3 := strconv.ParseUint(p[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("bad GTID %q in %q", f, s)
		}
		out = append(out, MariaDB{Domain: uint32(d), Server: uint32(sv), Seq: q})
	}
	return out, nil
}

// String returns the list in the servers' own notation.
func (p Pos) String() string {
	parts := make([]string, len(p))
	for i, g := range p {
		parts[i] = g.String()
	}
	return strings.Join(parts, ",")
}

// Without returns p less the GTIDs server originated.
func (p Pos) Without(server uint32) Pos {
	var out Pos
	for _, g := range p {
		if g.Server != server {
			out = append(out, g)
		}
	}
	return out
}

// Missing returns the GTIDs of p that a server with server_id self, having
// applied have, still lacks. Per domain a GTID is covered by any sequence
// number as high (sequence numbers grow per domain, whichever server wrote
// them). GTIDs self originated count as applied: a replica never gets its
// own events back, which is what keeps a ring of masters from waiting for
// ever.
func (p Pos) Missing(have Pos, self uint32) Pos {
	top := map[uint32]uint64{}
	for _, g := range have {
		top[g.Domain] = max(top[g.Domain], g.Seq)
	}
	var out Pos
	for _, g := range p {
		if seq, ok := top[g.Domain]; g.Server != self && (!ok || seq < g.Seq) {
			out = append(out, g)
		}
	}
	return out
}

// NormalizeMySQLSet removes the newlines and spaces MySQL puts in a GTID
// set (@@gtid_executed), so that it can be passed back in a statement.
func NormalizeMySQLSet(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ' ' || r == '\t'
	}), "")
}
