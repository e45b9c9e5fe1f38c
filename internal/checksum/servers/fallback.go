package servers

import (
	"context"
	"fmt"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/gtid"
	"github.com/replmon/replmon/internal/query"
)

// catchUpGTIDs is SourceCatchUp when the ways back from the replica to
// the source are not known (channels that cannot be read): the source
// waits for the GTIDs the replica has applied that it lacks, but its own
// (MariaDB), or for the replica's whole GTID set (MySQL). A replica's own
// binlogged writes then make a difference "unsettled" rather than drift:
// what flows back cannot be told apart. Without GTIDs nothing is waited
// for.
func (l *Link) catchUpGTIDs(ctx context.Context, srcExec Exec) (bool, string, error) {
	src, rep := l.Src, l.Rep
	bound := l.waitBound()
	hop := Hop{Up: rep, Down: src, By: byGTID}
	var target judge.Coords
	switch {
	case src.mariaGTIDs() && rep.mariaGTIDs():
		have, err := readOn(ctx, rep, "SELECT @@GLOBAL.gtid_current_pos")
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
		t, err := notCovered(have.GTID, got.GTID, src.ServerID)
		if err != nil {
			return false, "", err
		}
		if t == "" {
			return true, "", nil
		}
		target.GTID = t
	case src.mysqlGTIDs() && rep.mysqlGTIDs():
		have, err := readOn(ctx, rep, gtidCoordsQuery(rep))
		if err != nil {
			return false, "", err
		}
		target = have
	default:
		return true, "", nil
	}
	w, err := waitStatement(hop, target, bound)
	if err != nil {
		return false, "", err
	}
	ok, err := runWait(ctx, srcExec, w, src.Label)
	if err != nil || ok {
		return ok, "", err
	}
	return false, fmt.Sprintf("the source did not apply the replica's GTIDs within %s (%s)", judge.Seconds(bound), l.BackUnknown), nil
}

// readOn reads a GTID position or set with stmt on one of n's sessions.
func readOn(ctx context.Context, n *Node, stmt string) (judge.Coords, error) {
	var c judge.Coords
	err := n.With(ctx, func(s query.Session) error {
		var err error
		c, err = readCoords(ctx, s, n, stmt)
		return err
	})
	return c, err
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
