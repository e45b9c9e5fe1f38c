package servers

import (
	"context"
	"fmt"
	"strconv"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/gtid"
	"github.com/replmon/replmon/internal/query"
)

// Need says which coordinates the waits of a server's replicas use.
type Need struct {
	GTID     bool // its GTID position or set
	Position bool // its binary log file and position
}

// Or is both needs together.
func (n Need) Or(o Need) Need {
	return Need{GTID: n.GTID || o.GTID, Position: n.Position || o.Position}
}

// need is what the hop's wait uses, read on Up.
func (h Hop) need() Need {
	return Need{GTID: h.By == byGTID, Position: h.By == byPosition}
}

// Need is what the route's first wait uses, read on the first server.
func (r Route) Need() Need {
	if len(r.Hops) == 0 || r.NoWait != "" || r.Stopped != "" {
		return Need{}
	}
	return r.Hops[0].need()
}

// gtidCoordsQuery returns the statement reading the GTIDs a server has
// written to its binary log: @@gtid_binlog_pos on MariaDB (no privilege
// needed), @@gtid_executed with MySQL GTIDs.
func gtidCoordsQuery(n *Node) string {
	if n.mariaGTIDs() {
		return "SELECT @@GLOBAL.gtid_binlog_pos"
	}
	return "SELECT @@GLOBAL.gtid_executed"
}

// BinlogCoords reads, on q, a session of n, what n has written to its
// binary log, as need asks: its GTIDs (gtidCoordsQuery) and its file and
// position (SHOW MASTER STATUS or its newer name). Read after a checksum,
// they cover every change the checksum saw.
func BinlogCoords(ctx context.Context, q query.Runner, n *Node, need Need) (judge.Coords, error) {
	var co judge.Coords
	if need.GTID {
		c, err := readCoords(ctx, q, n, gtidCoordsQuery(n))
		if err != nil {
			return judge.Coords{}, err
		}
		co.GTID = c.GTID
	}
	if need.Position {
		c, err := readCoords(ctx, q, n, n.ID.MasterStatusQuery())
		if err != nil {
			return judge.Coords{}, err
		}
		co.File, co.Pos = c.File, c.Pos
	}
	return co, nil
}

// readCoords runs stmt, a coordinates statement of n, on q: a SELECT of
// one GTID position or set, or SHOW MASTER STATUS (or its newer name).
func readCoords(ctx context.Context, q query.Runner, n *Node, stmt string) (judge.Coords, error) {
	res, err := q.Query(ctx, stmt)
	if err != nil {
		return judge.Coords{}, fmt.Errorf("%s on %s: %w", stmt, n.Label, query.Explain(err))
	}
	if stmt != n.ID.MasterStatusQuery() {
		if len(res.Rows) != 1 {
			return judge.Coords{}, fmt.Errorf("%s on %s: no row", stmt, n.Label)
		}
		return judge.Coords{GTID: gtid.NormalizeMySQLSet(res.Text(0, 0))}, nil
	}
	if len(res.Rows) == 0 {
		return judge.Coords{}, fmt.Errorf("%s on %s: empty (the binary log is off)", stmt, n.Label)
	}
	pos, err := strconv.ParseInt(res.Text(0, 1), 10, 64)
	if err != nil {
		return judge.Coords{}, fmt.Errorf("%s on %s: position %q is not a number", stmt, n.Label, res.Text(0, 1))
	}
	return judge.Coords{File: res.Text(0, 0), Pos: pos}, nil
}
