package checksum

import (
	"fmt"
	"strconv"
	"strings"
)

// mariaGTID is one MariaDB GTID, domain-server-sequence.
type mariaGTID struct {
	Domain, Server uint32
	Seq            uint64
}

// parseMariaPos parses a MariaDB GTID position such as "0-1-5,1-2-7"
// (@@gtid_binlog_pos, @@gtid_current_pos); empty is an empty position.
func parseMariaPos(s string) ([]mariaGTID, error) {
	var out []mariaGTID
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p := strings.Split(f, "-")
		if len(p) != 3 {
			return nil, fmt.Errorf("bad GTID %q in position %q", f, s)
		}
		d, err1 := strconv.ParseUint(p[0], 10, 32)
		sv, err2 := strconv.ParseUint(p[1], 10, 32)
		q, err3 := strconv.ParseUint(p[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("bad GTID %q in position %q", f, s)
		}
		out = append(out, mariaGTID{Domain: uint32(d), Server: uint32(sv), Seq: q})
	}
	return out, nil
}

// formatMariaPos is the inverse of parseMariaPos.
func formatMariaPos(pos []mariaGTID) string {
	parts := make([]string, len(pos))
	for i, g := range pos {
		parts[i] = fmt.Sprintf("%d-%d-%d", g.Domain, g.Server, g.Seq)
	}
	return strings.Join(parts, ",")
}

// waitTarget returns the part of a source's GTID position that a server
// with server_id self has to wait for: a GTID the server originated itself
// is never sent back to it in a way MASTER_GTID_WAIT sees, and it has
// that transaction anyway.
func waitTarget(pos string, self uint32) (string, error) {
	gs, err := parseMariaPos(pos)
	if err != nil {
		return "", err
	}
	var keep []mariaGTID
	for _, g := range gs {
		if g.Server != self {
			keep = append(keep, g)
		}
	}
	return formatMariaPos(keep), nil
}

// normalizeGTIDSet removes the newlines and spaces MySQL puts in a GTID set.
func normalizeGTIDSet(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == ' ' || r == '\t'
	}), "")
}
