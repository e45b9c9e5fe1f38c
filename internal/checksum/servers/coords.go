package servers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/gtid"
	"github.com/replmon/replmon/internal/query"
)

// binlogCoordsQuery returns the statement reading what a server has written
// to its binary log, which is what its replicas can get from it:
// @@gtid_binlog_pos on MariaDB (no privilege needed), @@gtid_executed with
// MySQL GTIDs, else the file and position of SHOW MASTER STATUS (or its
// newer name).
func binlogCoordsQuery(n *Node) string {
	switch {
	case n.mariaGTIDs():
		return "SELECT @@GLOBAL.gtid_binlog_pos"
	case n.mysqlGTIDs():
		return "SELECT @@GLOBAL.gtid_executed"
	default:
		return n.ID.MasterStatusQuery()
	}
}

// appliedCoordsQuery returns the statement reading everything a server has
// applied or written itself: @@gtid_current_pos on MariaDB, @@gtid_executed
// with MySQL GTIDs, else SHOW MASTER STATUS.
func appliedCoordsQuery(n *Node) string {
	switch {
	case n.mariaGTIDs():
		return "SELECT @@GLOBAL.gtid_current_pos"
	default:
		return binlogCoordsQuery(n)
	}
}

// BinlogCoords reads, on q, a session of n, what n has written to its
// binary log (binlogCoordsQuery).
func BinlogCoords(ctx context.Context, q query.Runner, n *Node) (judge.Coords, error) {
	return readCoords(ctx, q, n, binlogCoordsQuery(n))
}

// appliedCoords reads, on one of n's sessions, what n has applied.
func appliedCoords(ctx context.Context, n *Node) (judge.Coords, error) {
	var c judge.Coords
	err := n.With(ctx, func(s query.Session) error {
		var err error
		c, err = readCoords(ctx, s, n, appliedCoordsQuery(n))
		return err
	})
	return c, err
}

// readCoords runs stmt, a coordinates statement of n, on q: a SELECT of
// one GTID position or set, or SHOW MASTER STATUS (or its newer name).
func readCoords(ctx context.Context, q query.Runner, n *Node, stmt string) (judge.Coords, error) {
	res, err := q.Query(ctx, stmt)
	if err != nil {
		return judge.Coords{}, fmt.Errorf("%s on %s: %w", stmt, n.Label, query.Explain(err))
	}
	if strings.HasPrefix(stmt, "SELECT") {
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
