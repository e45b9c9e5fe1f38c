package servers

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/gtid"
	"github.com/replmon/replmon/internal/server"
)

// waitBy is how a hop's Down is made to reach its Up's coordinates.
type waitBy int

const (
	byNone     waitBy = iota // no way: the route's NoWait says why
	byGTID                   // MASTER_GTID_WAIT, WAIT_FOR_EXECUTED_GTID_SET
	byPosition               // MASTER_POS_WAIT, SOURCE_POS_WAIT on the channel
)

// planHop chooses how h waits, from the two servers and Down's channel:
// by GTID between MariaDB servers only where Up's GTID position says what
// was applied (gtidOrdered) and the channel replicates by GTID; between
// MySQL servers with GTIDs where Up logs all it applies (its gtid_executed
// is then what it sends); else by binary log position on the channel. It
// returns why no wait is possible, or "".
func planHop(h *Hop) string {
	switch {
	case h.Up.mariaGTIDs() && h.Down.mariaGTIDs():
		if (!h.known || h.ch.UsingGTID != "" && !strings.EqualFold(h.ch.UsingGTID, "No")) && h.Up.gtidOrdered() {
			h.By = byGTID
			return ""
		}
	case h.Up.mysqlGTIDs() && h.Down.mysqlGTIDs():
		if h.Up.LogSlaveUpdates || len(h.Up.Channels) == 0 && h.Up.ChannelsErr == nil {
			h.By = byGTID
			return ""
		}
	}
	if !h.known {
		if h.Up.mariaGTIDs() && h.Down.mariaGTIDs() {
			return fmt.Sprintf("the binary log of %s has GTIDs of several servers in one domain (%s), which a GTID position cannot tell apart",
				h.Up.Label, h.Up.BinlogState)
		}
		return fmt.Sprintf("%s has no replication channel known from %s to wait on", h.Down.Label, h.Up.Label)
	}
	h.By = byPosition
	return ""
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

// waitStatement returns the statement that makes h's Down wait, at most
// timeout, until it has applied the coordinates c read on h's Up:
// MASTER_GTID_WAIT between MariaDB servers, WAIT_FOR_EXECUTED_GTID_SET
// (WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS before MySQL 5.7.5) with MySQL GTIDs,
// else SOURCE_POS_WAIT (MySQL 8.0.26+) or MASTER_POS_WAIT on the channel.
func waitStatement(h Hop, c judge.Coords, timeout time.Duration) (waitSpec, error) {
	down := h.Down
	switch {
	case h.By == byGTID && c.GTID != "" && down.mariaGTIDs():
		target, err := waitTarget(c.GTID, down.ServerID)
		if err != nil {
			return waitSpec{}, err
		}
		if target == "" {
			return waitSpec{Kind: waitNone}, nil
		}
		return waitSpec{Query: fmt.Sprintf("SELECT MASTER_GTID_WAIT(%s, %.3f)", plan.QuoteString(target), max(0, timeout.Seconds())),
			Kind: waitMariaGTID}, nil
	case h.By == byGTID && c.GTID != "":
		secs := wholeSeconds(timeout)
		if down.ID.Version.AtLeast(5, 7, 5) {
			return waitSpec{Query: fmt.Sprintf("SELECT WAIT_FOR_EXECUTED_GTID_SET(%s, %d)", plan.QuoteString(c.GTID), secs),
				Kind: waitExecutedGTID}, nil
		}
		return waitSpec{Query: fmt.Sprintf("SELECT WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS(%s, %d)", plan.QuoteString(c.GTID), secs),
			Kind: waitPosition}, nil
	case h.By == byPosition && c.File != "":
		fn := "MASTER_POS_WAIT"
		if down.ID.Flavor != server.MariaDB && down.ID.Version.AtLeast(8, 0, 26) {
			fn = "SOURCE_POS_WAIT"
		}
		q := fmt.Sprintf("SELECT %s(%s, %d, %d", fn, plan.QuoteString(c.File), c.Pos, wholeSeconds(timeout))
		if h.Channel != "" || len(down.Channels) > 1 && namesChannels(down.ID) {
			// A server with several channels needs the name, '' for the
			// default one: without it MySQL refuses the call.
			q += ", " + plan.QuoteString(h.Channel)
		}
		return waitSpec{Query: q + ")", Kind: waitPosition}, nil
	}
	return waitSpec{}, fmt.Errorf("no way to wait on %s for the coordinates of %s", down.Label, h.Up.Label)
}

// namesChannels reports whether the server's position wait takes a
// channel name: MariaDB 10.0 and later, MySQL 5.7.9 and later.
func namesChannels(id server.Identity) bool {
	if id.Flavor == server.MariaDB {
		return id.Version.AtLeast(10, 0, 0)
	}
	return id.Version.AtLeast(5, 7, 9)
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

// waitTarget returns the part of a source's GTID position that a server
// with server_id self has to wait for: a GTID the server originated itself
// is never sent back to it in a way MASTER_GTID_WAIT sees, and it has
// that transaction anyway. Only used where each domain has one origin
// (gtidOrdered): with two, the GTID dropped could stand for the other
// server's transactions too.
func waitTarget(pos string, self uint32) (string, error) {
	p, err := gtid.ParseMariaDB(pos)
	if err != nil {
		return "", err
	}
	return p.Without(self).String(), nil
}
