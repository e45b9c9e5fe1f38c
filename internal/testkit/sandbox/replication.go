package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/replmon/replmon/internal/gtid"
)

// Bounds on replication waits.
const (
	wireTimeout        = 30 * time.Second // until every channel runs after Start
	defaultWaitTimeout = 60 * time.Second // WaitReplicated without a deadline
	pollInterval       = 15 * time.Millisecond
)

// changeMasterSQL returns the CHANGE MASTER statement of one link.
func changeMasterSQL(l Link, src *Server) string {
	name := ""
	if l.Channel != "" {
		name = "'" + l.Channel + "' " // validated: no quotes
	}
	use := "slave_pos"
	if l.Positions {
		// From the start of the source's first binary log: every server
		// starts without one.
		use = "no"
	}
	return fmt.Sprintf("CHANGE MASTER %sTO MASTER_HOST='127.0.0.1', MASTER_PORT=%d, "+
		"MASTER_USER='%s', MASTER_PASSWORD='%s', MASTER_USE_GTID=%s, MASTER_CONNECT_RETRY=1",
		name, src.Port, ReplUser, ReplPassword, use)
}

// wire configures and starts every replication channel, then waits until
// all IO and SQL threads run.
func (sb *Sandbox) wire(ctx context.Context) error {
	var replicas []*Server
	for _, s := range sb.servers {
		if len(s.Spec.Sources) > 0 {
			replicas = append(replicas, s)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, wireTimeout)
	defer cancel()
	errs := make([]error, len(replicas))
	var wg sync.WaitGroup
	for i, r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stmts []string
			for _, l := range r.Spec.Sources {
				stmts = append(stmts, changeMasterSQL(l, sb.byName[l.Source]))
			}
			stmts = append(stmts, "START ALL SLAVES")
			if err := r.Exec(ctx, stmts...); err != nil {
				errs[i] = err
				return
			}
			errs[i] = waitThreads(ctx, r)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// WaitReplicating waits until every channel of r has Slave_IO_Running=Yes
// and Slave_SQL_Running=Yes, as after a restart or a fault a test undid.
// Without a context deadline it gives up after defaultWaitTimeout.
func (r *Server) WaitReplicating(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultWaitTimeout)
		defer cancel()
	}
	return waitThreads(ctx, r)
}

// waitThreads polls until every channel of r has Slave_IO_Running=Yes and
// Slave_SQL_Running=Yes.
func waitThreads(ctx context.Context, r *Server) error {
	for {
		st, err := channelStatus(ctx, r)
		if err != nil {
			return err
		}
		var pending []string
		for _, l := range r.Spec.Sources {
			c, ok := st[l.Channel]
			switch {
			case !ok:
				pending = append(pending, fmt.Sprintf("channel %q from %s: not configured", l.Channel, l.Source))
			case c.io != "Yes" || c.sql != "Yes":
				pending = append(pending, fmt.Sprintf("channel %q from %s: %s", l.Channel, l.Source, c))
			}
		}
		if len(pending) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("sandbox: %s: replication not running: %s; error log:\n%s",
				r.Name, strings.Join(pending, "; "), r.LogTail(10))
		case <-time.After(pollInterval):
		}
	}
}

// channel is one row of SHOW ALL SLAVES STATUS.
type channel struct {
	io, sql           string // Slave_IO_Running, Slave_SQL_Running
	ioErrno, sqlErrno int
	ioError, sqlError string
	slavePos          string // Gtid_Slave_Pos
	execFile          string // Relay_Master_Log_File: the source's binary log being applied
	execPos           int64  // Exec_Master_Log_Pos: how far in it
	usingGTID         string // Using_Gtid: No, Slave_Pos or Current_Pos
}

// String describes the channel's threads and last errors.
func (c channel) String() string {
	s := fmt.Sprintf("IO=%s SQL=%s", c.io, c.sql)
	if c.ioErrno != 0 {
		s += fmt.Sprintf(", IO error %d: %s", c.ioErrno, c.ioError)
	}
	if c.sqlErrno != 0 {
		s += fmt.Sprintf(", SQL error %d: %s", c.sqlErrno, c.sqlError)
	}
	return s
}

// channelStatus reads SHOW ALL SLAVES STATUS of r by column name, keyed by
// connection name.
func channelStatus(ctx context.Context, r *Server) (map[string]channel, error) {
	db, err := r.RootDB()
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, "SHOW ALL SLAVES STATUS")
	if err != nil {
		return nil, fmt.Errorf("sandbox: %s: SHOW ALL SLAVES STATUS: %w", r.Name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := map[string]channel{}
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		dest := make([]any, len(cols))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		row := map[string]string{}
		for i, c := range cols {
			row[c] = vals[i].String
		}
		ioErrno, _ := strconv.Atoi(row["Last_IO_Errno"])
		sqlErrno, _ := strconv.Atoi(row["Last_SQL_Errno"])
		execPos, _ := strconv.ParseInt(row["Exec_Master_Log_Pos"], 10, 64)
		out[row["Connection_name"]] = channel{
			io: row["Slave_IO_Running"], sql: row["Slave_SQL_Running"],
			ioErrno: ioErrno, sqlErrno: sqlErrno,
			ioError: row["Last_IO_Error"], sqlError: row["Last_SQL_Error"],
			slavePos: row["Gtid_Slave_Pos"],
			execFile: row["Relay_Master_Log_File"], execPos: execPos, usingGTID: row["Using_Gtid"],
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sandbox: %s: SHOW ALL SLAVES STATUS: %w", r.Name, err)
	}
	return out, nil
}

// WaitReplicated waits until every replica has applied, on every channel,
// everything its source has written to its binary log (@@gtid_binlog_state
// of the source against Gtid_Slave_Pos of the replica; for a link that
// replicates by position, the source's SHOW MASTER STATUS against the
// channel's Relay_Master_Log_File and Exec_Master_Log_Pos), and the
// sources' positions held still while checking. So an event a source applied but did
// not log (log_slave_updates=OFF) is not awaited further down.
//
// Channels are skipped when their replica or source is paused or down, or
// when a thread was stopped without error (STOP SLAVE); a thread stopped
// by an error is reported at once. Without a context deadline it gives up
// after one minute, naming the lagging channels.
func (sb *Sandbox) WaitReplicated(ctx context.Context) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultWaitTimeout)
		defer cancel()
	}
	var lag []string
	for {
		before, err := sb.binlogStates(ctx)
		if err != nil {
			return err
		}
		lag, err = sb.lagging(ctx, before)
		if err != nil {
			return err
		}
		if len(lag) == 0 {
			after, err := sb.binlogStates(ctx)
			if err != nil {
				return err
			}
			if maps.Equal(before, after) {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("sandbox: replication did not catch up (%w): %s", ctx.Err(), strings.Join(lag, "; "))
		case <-time.After(pollInterval):
		}
	}
}

// binlogState is what a source has written to its binary log.
type binlogState struct {
	gtids string // @@gtid_binlog_state
	file  string // SHOW MASTER STATUS: File
	pos   int64  // and Position
}

// binlogStates reads the binary log state of every running server that is
// the source of some channel.
func (sb *Sandbox) binlogStates(ctx context.Context) (map[string]binlogState, error) {
	out := map[string]binlogState{}
	for _, s := range sb.servers {
		for _, l := range s.Spec.Sources {
			src := sb.byName[l.Source]
			if _, done := out[src.Name]; done || !src.Running() {
				continue
			}
			v, err := src.QueryString(ctx, "SELECT @@GLOBAL.gtid_binlog_state")
			if err != nil {
				return nil, err
			}
			st := binlogState{gtids: v}
			if st.file, st.pos, err = masterStatus(ctx, src); err != nil {
				return nil, err
			}
			out[src.Name] = st
		}
	}
	return out, nil
}

// masterStatus reads SHOW MASTER STATUS of s: "" without a binary log.
func masterStatus(ctx context.Context, s *Server) (string, int64, error) {
	db, err := s.RootDB()
	if err != nil {
		return "", 0, err
	}
	rows, err := db.QueryContext(ctx, "SHOW MASTER STATUS")
	if err != nil {
		return "", 0, fmt.Errorf("sandbox: %s: SHOW MASTER STATUS: %w", s.Name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", 0, err
	}
	if !rows.Next() {
		return "", 0, rows.Err()
	}
	vals := make([]sql.NullString, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	if err := rows.Scan(dest...); err != nil {
		return "", 0, err
	}
	pos, err := strconv.ParseInt(vals[1].String, 10, 64)
	if err != nil {
		return "", 0, fmt.Errorf("sandbox: %s: SHOW MASTER STATUS: position %q", s.Name, vals[1].String)
	}
	return vals[0].String, pos, rows.Err()
}

// lagging lists the channels that have not applied their source's state
// yet, or returns an error for a channel broken by an error.
func (sb *Sandbox) lagging(ctx context.Context, states map[string]binlogState) ([]string, error) {
	var lag []string
	for _, r := range sb.servers {
		if len(r.Spec.Sources) == 0 || !r.Running() {
			continue
		}
		st, err := channelStatus(ctx, r)
		if err != nil {
			return nil, err
		}
		for _, l := range r.Spec.Sources {
			state, ok := states[l.Source]
			if !ok {
				continue // source paused or down
			}
			c, ok := st[l.Channel]
			if !ok {
				return nil, fmt.Errorf("sandbox: %s: channel %q from %s is not configured", r.Name, l.Channel, l.Source)
			}
			if (c.sql == "No" && c.sqlErrno != 0) || (c.io == "No" && c.ioErrno != 0) {
				return nil, fmt.Errorf("sandbox: %s: channel %q from %s is broken: %s", r.Name, l.Channel, l.Source, c)
			}
			if c.sql == "No" || c.io == "No" {
				continue // stopped on purpose
			}
			if l.Positions {
				if c.execFile != state.file || c.execPos < state.pos {
					lag = append(lag, fmt.Sprintf("%s channel %q from %s: applied %s:%d, source at %s:%d, %s",
						r.Name, l.Channel, l.Source, c.execFile, c.execPos, state.file, state.pos, c))
				}
				continue
			}
			want, err := gtid.ParseMariaDB(state.gtids)
			if err != nil {
				return nil, fmt.Errorf("sandbox: %s: gtid_binlog_state: %w", l.Source, err)
			}
			have, err := gtid.ParseMariaDB(c.slavePos)
			if err != nil {
				return nil, fmt.Errorf("sandbox: %s: Gtid_Slave_Pos: %w", r.Name, err)
			}
			if m := want.Missing(have, uint32(r.ServerID)); len(m) > 0 {
				lag = append(lag, fmt.Sprintf("%s channel %q from %s: applied %q, source at %q, %s",
					r.Name, l.Channel, l.Source, c.slavePos, state.gtids, c))
			}
		}
	}
	return lag, nil
}
