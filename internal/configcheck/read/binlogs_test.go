package read

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// script answers statements from a map; SHOW BINARY LOGS may hang until
// the context ends, as on a busy server holding the binary log's lock.
type script struct {
	answers map[string]*query.Result
	errs    map[string]error
	hang    bool
	sent    []string
}

func (s *script) Query(ctx context.Context, stmt string) (*query.Result, error) {
	s.sent = append(s.sent, stmt)
	if stmt == BinaryLogsQuery && s.hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if err := s.errs[stmt]; err != nil {
		return nil, err
	}
	if r := s.answers[stmt]; r != nil {
		return r, nil
	}
	return nil, &query.ServerError{Number: 1064, Message: "syntax"}
}

func snapshotOf(version, logBin string) *topology.Snapshot {
	id, err := server.Parse(version, "")
	if err != nil {
		panic(err)
	}
	return &topology.Snapshot{ID: id, Vars: map[string]string{"log_bin": logBin}}
}

func TestReadBinlogs(t *testing.T) {
	logs := &query.Result{Columns: []string{"Log_name", "File_size", "Encrypted"}, Rows: [][]*string{
		{str("mysql-bin.000041"), str("1073741977"), str("No")}, {str("mysql-bin.000042"), str("1546"), str("No")}}}
	status := &query.Result{Columns: []string{"File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB", "Executed_Gtid_Set"},
		Rows: [][]*string{{str("mysql-bin.000042"), str("1546"), str("shop"), str(""), str("")}}}

	q := &script{answers: map[string]*query.Result{"SHOW BINARY LOG STATUS": status, BinaryLogsQuery: logs}}
	s := snapshotOf("8.4.3", "ON")
	readBinlogs(context.Background(), q, s)
	if s.BinlogErr != nil || s.BinlogsErr != nil || len(s.Binlogs) != 2 || s.Binlogs[0] != (topology.BinlogFile{Name: "mysql-bin.000041", Size: 1073741977}) ||
		s.Binlog != (topology.BinlogStatus{Stmt: "SHOW BINARY LOG STATUS", File: "mysql-bin.000042", Pos: 1546, DoDB: "shop"}) {
		t.Errorf("8.4: %+v %v %+v %v", s.Binlogs, s.BinlogsErr, s.Binlog, s.BinlogErr)
	}
	if strings.Join(q.sent, "; ") != "SHOW BINARY LOG STATUS; SHOW BINARY LOGS" {
		t.Errorf("8.4 sent %q", q.sent)
	}

	// No binary log, no statement.
	q = &script{}
	readBinlogs(context.Background(), q, snapshotOf("8.0.36", "OFF"))
	if len(q.sent) != 0 {
		t.Errorf("log_bin OFF: sent %q", q.sent)
	}

	// MariaDB: its own statement, and the binlog write rate.
	q = &script{answers: map[string]*query.Result{"SHOW BINLOG STATUS": status, BinaryLogsQuery: logs,
		StatusQuery: {Columns: []string{"Variable_name", "Value"}, Rows: [][]*string{{str("Binlog_bytes_written"), str("4096")}, {str("Uptime"), str("64")}}}}}
	s = snapshotOf("10.11.6-MariaDB", "ON")
	readBinlogs(context.Background(), q, s)
	if s.Status["binlog_bytes_written"] != "4096" || s.Status["uptime"] != "64" || s.StatusErr != nil {
		t.Errorf("MariaDB status %v %v", s.Status, s.StatusErr)
	}

	// A refusal names the privilege.
	denied := &query.ServerError{Number: 1227, SQLState: "42000", Message: "Access denied; you need (at least one of) the SUPER, BINLOG MONITOR privilege(s) for this operation"}
	q = &script{errs: map[string]error{"SHOW BINLOG STATUS": denied, BinaryLogsQuery: denied}}
	s = snapshotOf("10.11.6-MariaDB", "ON")
	readBinlogs(context.Background(), q, s)
	if topology.PrivilegeOf(s.BinlogsErr) != "BINLOG MONITOR" || topology.PrivilegeOf(s.BinlogErr) != "BINLOG MONITOR" ||
		!strings.HasPrefix(s.BinlogsErr.Error(), "SHOW BINARY LOGS: access denied (error 1227)") {
		t.Errorf("refusal: %v / %v", s.BinlogsErr, s.BinlogErr)
	}
}

// TestBinaryLogsBounded: SHOW BINARY LOGS that stalls is given up within
// its bound, and the error says why; the run's own context stays alive.
func TestBinaryLogsBounded(t *testing.T) {
	q := &script{hang: true, answers: map[string]*query.Result{"SHOW MASTER STATUS": {Columns: []string{"File", "Position"}, Rows: [][]*string{{str("b.000001"), str("4")}}}}}
	ctx, cancel := context.WithTimeout(context.Background(), 900*time.Millisecond)
	defer cancel()
	s := snapshotOf("8.0.36", "ON")
	start := time.Now()
	readBinlogs(ctx, q, s)
	if took := time.Since(start); took > 600*time.Millisecond {
		t.Errorf("took %v, want about a third of the 900ms left", took)
	}
	if ctx.Err() != nil || s.BinlogsErr == nil || !regexp.MustCompile(`^SHOW BINARY LOGS did not answer within [23]\d0ms `).MatchString(s.BinlogsErr.Error()) ||
		!strings.Contains(s.BinlogsErr.Error(), "binary log's lock") {
		t.Errorf("ctx %v, error %v", ctx.Err(), s.BinlogsErr)
	}
	if _, err := parseBinaryLogs(&query.Result{Columns: []string{"Log_name"}}); err == nil {
		t.Error("no error without File_size")
	}
	if _, err := parseBinlogStatus(&query.Result{Columns: []string{"File", "Position"}}); err == nil || !strings.Contains(err.Error(), "binary log is off") {
		t.Errorf("empty status: %v", err)
	}
}
