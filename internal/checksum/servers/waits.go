package servers

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

// A difference counts only once the replica has reached the source's
// coordinates (Reach) and, in a ring, the source has reached the
// replica's (SourceCatchUp). Each wait is one statement chosen from the
// two servers' identities (waitStatement), bounded in time, and read by
// its answer (reached).

// Link is one replica as compared with the source: its route and the
// waits in both directions.
type Link struct {
	Src, Rep *Node
	Route    Route
	Deadline time.Time // end of the run's work: a wait takes at most a third of the time left
}

// waitBound is how long one wait for coordinates may take.
func (l *Link) waitBound() time.Duration {
	return max(0, time.Until(l.Deadline)/3)
}

// Reach waits until the replica has applied the source's coordinates co,
// hop by hop: an intermediate server first reaches co, then the next server
// reaches what the intermediate has logged by then. False, with the
// reason, when it did not within the bound.
func (l *Link) Reach(ctx context.Context, co judge.Coords) (bool, string, error) {
	if l.Route.Stopped != "" {
		return false, l.Route.Stopped, nil
	}
	if l.Route.NoWait != "" {
		return false, l.Route.NoWait, nil
	}
	bound := l.waitBound()
	start := time.Now()
	for i, h := range l.Route.Hops {
		timeout := max(0, bound-time.Since(start))
		if h.Down.laggingReason() != "" {
			timeout = 0 // it failed once: only look
		}
		w, err := waitStatement(h.Up, h.Down, h.Channel, co, timeout)
		if err != nil {
			return false, "", err
		}
		ok, err := runWait(ctx, h.Down.With, w, h.Down.Label)
		if err != nil {
			return false, "", err
		}
		if !ok {
			h.Down.setLagging(fmt.Sprintf("%s did not reach the source's coordinates within %s", h.Down.Label, judge.Seconds(bound)))
			return false, h.Down.laggingReason(), nil
		}
		if i+1 < len(l.Route.Hops) {
			err := h.Down.With(ctx, func(s query.Session) error {
				var err error
				co, err = BinlogCoords(ctx, s, h.Down)
				return err
			})
			if err != nil {
				return false, "", err
			}
		}
	}
	return true, "", nil
}

// SourceCatchUp waits until the source has applied what the replica has:
// in a ring the replica (or a server on its way) takes writes that reach
// the source later. srcExec runs statements on the source (the session
// holding the table lock under --lock). False, with the reason, when it
// did not within the bound.
func (l *Link) SourceCatchUp(ctx context.Context, srcExec Exec) (bool, string, error) {
	src, rep := l.Src, l.Rep
	if len(src.Channels) == 0 && src.ChannelsErr == nil {
		// A source that replicates from nothing never applies what a
		// replica wrote itself: such a difference is drift, not writes
		// on their way.
		return true, "", nil
	}
	bound := l.waitBound()
	var w waitSpec
	switch {
	case src.mariaGTIDs() && rep.mariaGTIDs():
		have, err := appliedCoords(ctx, rep)
		if err != nil {
			return false, "", err
		}
		var got judge.Coords
		err = srcExec(ctx, func(s query.Session) error {
			var err error
			got, err = readCoords(ctx, s, src, "SELECT CONCAT_WS(',', NULLIF(@@GLOBAL.gtid_binlog_pos, ''), NULLIF(@@GLOBAL.gtid_slave_pos, ''))")
			return err
		})
		if err != nil {
			return false, "", err
		}
		target, err := notCovered(have.GTID, got.GTID, src.ServerID)
		if err != nil {
			return false, "", err
		}
		if target == "" {
			return true, "", nil
		}
		if w, err = waitStatement(rep, src, "", judge.Coords{GTID: target}, bound); err != nil {
			return false, "", err
		}
	case src.mysqlGTIDs() && rep.mysqlGTIDs():
		if len(src.Channels) == 0 {
			return true, "", nil
		}
		have, err := appliedCoords(ctx, rep)
		if err != nil {
			return false, "", err
		}
		if w, err = waitStatement(rep, src, "", have, bound); err != nil {
			return false, "", err
		}
	default:
		ch, ok := channelFrom(src, rep)
		if !ok {
			return true, "", nil // the source does not replicate from the replica
		}
		var have judge.Coords
		err := rep.With(ctx, func(s query.Session) error {
			var err error
			have, err = readCoords(ctx, s, rep, rep.ID.MasterStatusQuery())
			return err
		})
		if err != nil {
			return false, "", err
		}
		if w, err = waitStatement(rep, src, ch.Name, judge.Coords{File: have.File, Pos: have.Pos}, bound); err != nil {
			return false, "", err
		}
	}
	ok, err := runWait(ctx, srcExec, w, src.Label)
	if err != nil || ok {
		return ok, "", err
	}
	return false, fmt.Sprintf("the source did not apply the replica's own writes within %s", judge.Seconds(bound)), nil
}

// runWait runs a wait statement with exec; true when the server got there.
func runWait(ctx context.Context, exec Exec, w waitSpec, label string) (bool, error) {
	if w.Kind == waitNone {
		return true, nil
	}
	var ok bool
	err := exec(ctx, func(s query.Session) error {
		v, null, err := query.One(ctx, s, w.Query)
		if err != nil {
			return fmt.Errorf("waiting on %s: %w", label, query.Explain(err))
		}
		ok = w.reached(v, null)
		return nil
	})
	return ok, err
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
func waitStatement(up, down *Node, channel string, c judge.Coords, timeout time.Duration) (waitSpec, error) {
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

// waitTarget returns the part of a source's GTID position that a server
// with server_id self has to wait for: a GTID the server originated itself
// is never sent back to it in a way MASTER_GTID_WAIT sees, and it has
// that transaction anyway.
func waitTarget(pos string, self uint32) (string, error) {
	p, err := gtid.ParseMariaDB(pos)
	if err != nil {
		return "", err
	}
	return p.Without(self).String(), nil
}

// notCovered returns the GTIDs of want not originated by self and not yet
// in have.
func notCovered(want, have string, self uint32) (string, error) {
	w, err := gtid.ParseMariaDB(want)
	if err != nil {
		return "", err
	}
	h, err := gtid.ParseMariaDB(have)
	if err != nil {
		return "", err
	}
	return w.Missing(h, self).String(), nil
}
