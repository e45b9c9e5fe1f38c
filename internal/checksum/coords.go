package checksum

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/gtid"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// binlogCoordsQuery returns the statement reading what a server has written
// to its binary log, which is what its replicas can get from it:
// @@gtid_binlog_pos on MariaDB (no privilege needed), @@gtid_executed with
// MySQL GTIDs, else the file and position of SHOW MASTER STATUS (or its
// newer name).
func (n *node) binlogCoordsQuery() string {
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
func (n *node) appliedCoordsQuery() string {
	switch {
	case n.mariaGTIDs():
		return "SELECT @@GLOBAL.gtid_current_pos"
	default:
		return n.binlogCoordsQuery()
	}
}

// appliedCoords reads, on one of n's sessions, what n has applied.
func (n *node) appliedCoords(ctx context.Context) (judge.Coords, error) {
	var c judge.Coords
	err := n.pool.with(ctx, func(s sqlConn) error {
		var err error
		c, err = n.readCoords(ctx, s, n.appliedCoordsQuery())
		return err
	})
	return c, err
}

// readCoords runs a coordinates statement of n on q.
func (n *node) readCoords(ctx context.Context, q query.Runner, stmt string) (judge.Coords, error) {
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

// waitKind tells how to read the answer of a wait function.
type waitKind int

const (
	waitNone         waitKind = iota // nothing to wait for
	waitMariaGTID                    // MASTER_GTID_WAIT: 0 reached, -1 timeout
	waitExecutedGTID                 // WAIT_FOR_EXECUTED_GTID_SET: 0 reached, 1 timeout
	waitPosition                     // MASTER_POS_WAIT and friends: >= 0 reached, -1 timeout, NULL not replicating
)

// waitSpec is one wait statement and how to read its answer.
type waitSpec struct {
	Query string
	Kind  waitKind
}

// waitStatement returns the statement that makes down wait, at most
// timeout, until it has applied the coordinates c read on up, its source
// over channel. It is chosen from the identities alone:
// MASTER_GTID_WAIT between MariaDB servers, WAIT_FOR_EXECUTED_GTID_SET
// (WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS before MySQL 5.7.5) with MySQL GTIDs,
// else SOURCE_POS_WAIT (MySQL 8.0.26+) or MASTER_POS_WAIT on the channel.
func waitStatement(up, down *node, channel string, c judge.Coords, timeout time.Duration) (waitSpec, error) {
	switch {
	case c.GTID != "" && up.mariaGTIDs() && down.mariaGTIDs():
		target, err := waitTarget(c.GTID, down.ServerID)
		if err != nil {
			return waitSpec{}, err
		}
		if target == "" {
			return waitSpec{Kind: waitNone}, nil
		}
		return waitSpec{Query: fmt.Sprintf("SELECT MASTER_GTID_WAIT(%s, %.3f)", plan.QuoteString(target), max(0, timeout.Seconds())),
			Kind: waitMariaGTID}, nil
	case c.GTID != "" && up.mysqlGTIDs() && down.mysqlGTIDs():
		secs := wholeSeconds(timeout)
		if down.ID.Version.AtLeast(5, 7, 5) {
			return waitSpec{Query: fmt.Sprintf("SELECT WAIT_FOR_EXECUTED_GTID_SET(%s, %d)", plan.QuoteString(c.GTID), secs),
				Kind: waitExecutedGTID}, nil
		}
		return waitSpec{Query: fmt.Sprintf("SELECT WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS(%s, %d)", plan.QuoteString(c.GTID), secs),
			Kind: waitPosition}, nil
	case c.File != "":
		fn := "MASTER_POS_WAIT"
		if down.ID.Flavor != server.MariaDB && down.ID.Version.AtLeast(8, 0, 26) {
			fn = "SOURCE_POS_WAIT"
		}
		q := fmt.Sprintf("SELECT %s(%s, %d, %d", fn, plan.QuoteString(c.File), c.Pos, wholeSeconds(timeout))
		if channel != "" {
			q += ", " + plan.QuoteString(channel)
		}
		return waitSpec{Query: q + ")", Kind: waitPosition}, nil
	}
	return waitSpec{}, fmt.Errorf("no way to wait on %s for the coordinates of %s", down.Label, up.Label)
}

// wholeSeconds rounds a timeout up to whole seconds, at least 1: MySQL's
// wait functions take whole seconds and read 0 as "wait forever".
func wholeSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

// reached reads the answer of a wait statement.
func (w waitSpec) reached(value string, null bool) bool {
	if null {
		return false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
	if err != nil {
		return false
	}
	switch w.Kind {
	case waitMariaGTID, waitExecutedGTID:
		return n == 0
	default:
		return n >= 0
	}
}
