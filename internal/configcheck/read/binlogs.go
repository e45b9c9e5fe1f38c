package read

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// BinaryLogsQuery lists the binary logs a server keeps, oldest first. It
// waits for the binary log's lock, which a busy server can hold for long
// (rotating, purging, committing a large transaction): it is sent last and
// bounded by BinaryLogsBound.
const BinaryLogsQuery = "SHOW BINARY LOGS"

// BinaryLogsBound is the longest SHOW BINARY LOGS may take (less when the
// run has less time left); beyond it the retention rule says so rather
// than the whole check timing out.
const BinaryLogsBound = 2 * time.Second

// StatusQuery reads the global status values the retention rule uses on
// MariaDB: the bytes written to the binary log since the server started,
// and for how long it has run.
const StatusQuery = "SHOW GLOBAL STATUS WHERE Variable_name IN ('Binlog_bytes_written', 'Uptime')"

// readBinlogs fills what a server with log_bin ON tells about its binary
// logs: its position and filters (the statement of its version, SHOW
// MASTER STATUS after a syntax error), on MariaDB its binlog write rate,
// and last, bounded, the list of its binary logs, then on MariaDB the GTID
// position its oldest binary log starts at.
func readBinlogs(ctx context.Context, q query.Runner, s *topology.Snapshot) {
	if on, ok := s.Bool("log_bin"); !ok || !on {
		return
	}
	s.BinlogsRead = true
	s.Binlog, s.BinlogErr = readBinlogStatus(ctx, q, s.ID)
	if s.ID.Flavor == server.MariaDB {
		rs, err := q.Query(ctx, StatusQuery)
		if err == nil {
			s.Status, err = parseVariables(rs)
		}
		if err != nil {
			s.StatusErr = fmt.Errorf("SHOW GLOBAL STATUS: %w", query.Explain(err))
		}
	}
	bound := BinaryLogsBound
	if d, ok := ctx.Deadline(); ok {
		bound = min(bound, time.Until(d)/3)
	}
	bctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	rs, err := q.Query(bctx, BinaryLogsQuery)
	switch {
	case err != nil && bctx.Err() != nil && ctx.Err() == nil:
		s.BinlogsErr = fmt.Errorf("%s did not answer within %v (it waits for the binary log's lock, which a busy server can hold for long)",
			BinaryLogsQuery, bound.Round(10*time.Millisecond))
	case err != nil:
		s.BinlogsErr = fmt.Errorf("%s: %w", BinaryLogsQuery, query.Explain(err))
	default:
		s.Binlogs, s.BinlogsErr = parseBinaryLogs(rs)
	}
	if s.ID.Flavor == server.MariaDB && len(s.Binlogs) > 0 && ctx.Err() == nil {
		s.BinlogsStart, s.BinlogsStartErr = readBinlogStart(ctx, q, s.Binlogs[0].Name)
	}
}

// binlogName is what a binary log name may look like; it is put into the
// statement literally, so nothing else is accepted.
var binlogName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,255}$`)

// BinlogStartQuery returns the statement that reads, on MariaDB, the GTID
// position at the start of a binary log: what a replica replicating with
// GTID must already have when that is the oldest binary log left.
func BinlogStartQuery(file string) string {
	return "SELECT BINLOG_GTID_POS('" + file + "', 4)"
}

// readBinlogStart runs BinlogStartQuery for file.
func readBinlogStart(ctx context.Context, q query.Runner, file string) (string, error) {
	if !binlogName.MatchString(file) {
		return "", fmt.Errorf("binary log name %q: not read", file)
	}
	v, null, err := query.One(ctx, q, BinlogStartQuery(file))
	switch {
	case err != nil:
		return "", fmt.Errorf("BINLOG_GTID_POS: %w", query.Explain(err))
	case null:
		return "", fmt.Errorf("BINLOG_GTID_POS('%s', 4) is NULL: the binary log could not be read", file)
	}
	return v, nil
}

// readBinlogStatus runs the binary log status statement of id's version,
// and SHOW MASTER STATUS when that one is a syntax error.
func readBinlogStatus(ctx context.Context, q query.Runner, id server.Identity) (topology.BinlogStatus, error) {
	stmt := id.MasterStatusQuery()
	rs, err := q.Query(ctx, stmt)
	if err != nil && query.IsSyntaxError(err) && stmt != server.ShowMasterStatus && !id.Version.AtLeast(8, 4, 0) {
		stmt = server.ShowMasterStatus
		rs, err = q.Query(ctx, stmt)
	}
	if err != nil {
		return topology.BinlogStatus{}, fmt.Errorf("%s: %w", stmt, query.Explain(err))
	}
	st, err := parseBinlogStatus(rs)
	if err != nil {
		return st, fmt.Errorf("%s: %w", stmt, err)
	}
	st.Stmt = stmt
	return st, nil
}

// parseBinlogStatus reads File, Position, Binlog_Do_DB and Binlog_Ignore_DB
// by name; no row means the binary log is off.
func parseBinlogStatus(rs *query.Result) (topology.BinlogStatus, error) {
	file, pos := rs.Column("File"), rs.Column("Position")
	if file < 0 || pos < 0 {
		return topology.BinlogStatus{}, fmt.Errorf("want columns File and Position, got %s", strings.Join(rs.Columns, ", "))
	}
	if len(rs.Rows) == 0 {
		return topology.BinlogStatus{}, errors.New("no row: the binary log is off")
	}
	row := rs.Rows[0]
	var st topology.BinlogStatus
	st.File, _ = query.Value(row, file)
	if v, ok := query.Value(row, pos); ok {
		st.Pos, _ = topology.ParseInt(v)
	}
	st.DoDB, _ = query.Value(row, rs.Column("Binlog_Do_DB"))
	st.IgnoreDB, _ = query.Value(row, rs.Column("Binlog_Ignore_DB"))
	return st, nil
}

// parseBinaryLogs reads Log_name and File_size by name, in the server's order.
func parseBinaryLogs(rs *query.Result) ([]topology.BinlogFile, error) {
	name, size := rs.Column("Log_name"), rs.Column("File_size")
	if name < 0 || size < 0 {
		return nil, fmt.Errorf("%s: want columns Log_name and File_size, got %s", BinaryLogsQuery, strings.Join(rs.Columns, ", "))
	}
	var out []topology.BinlogFile
	for _, row := range rs.Rows {
		var f topology.BinlogFile
		f.Name, _ = query.Value(row, name)
		if v, ok := query.Value(row, size); ok {
			f.Size, _ = topology.ParseInt(v)
		}
		out = append(out, f)
	}
	return out, nil
}
