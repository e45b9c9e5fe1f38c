package judge

import (
	"errors"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
)

const coordinator = "Coordinator stopped because there were error(s) in the worker(s). The most recent failure being: " +
	"Worker 2 failed executing transaction 'ANONYMOUS' at source log binlog.000007, end_log_pos 1340. See error log and/or " +
	"performance_schema.replication_applier_status_by_worker table for more details about this failure or others, if any."

// TestWorkerErrors: a SQL thread stopped with the multi-threaded
// applier's coordinator message is reported with the failing worker's own
// error when it was read, and otherwise says why it is missing.
func TestWorkerErrors(t *testing.T) {
	stopped := healthy("", 0)
	stopped.SQL, stopped.Lag = replica.Stopped, replica.Lag{}
	stopped.LastSQLErrno, stopped.LastSQLError = 1062, coordinator
	w1 := replica.WorkerError{WorkerID: 1, Errno: 1062, Message: "Worker 1 failed executing transaction 'ANONYMOUS' at source log binlog.000007, end_log_pos 900; Duplicate entry '7' for key 't.PRIMARY'"}
	w2 := replica.WorkerError{WorkerID: 2, Errno: 1062, Message: "Worker 2 failed executing transaction 'ANONYMOUS' at source log binlog.000007, end_log_pos 1340; Duplicate entry '9' for key 't.PRIMARY'"}
	other := w2
	other.Channel = "other"
	denied := query.Explain(&query.ServerError{Number: 1142, SQLState: "42000",
		Message: "SELECT command denied to user 'monitor'@'10.0.0.5' for table 'replication_applier_status_by_worker'"})
	cases := []struct {
		name     string
		workers  Workers
		problem  string
		note     string
		nWorkers int
	}{
		{"the named worker's error", Workers{Statement: "S", Errors: []replica.WorkerError{w1, w2}},
			"SQL thread stopped (worker 2, error 1062: Duplicate entry '9' for key 't.PRIMARY')", "", 2},
		{"only the channel's workers", Workers{Statement: "S", Errors: []replica.WorkerError{other, w1}},
			"SQL thread stopped (worker 1, error 1062: Duplicate entry '7' for key 't.PRIMARY')", "", 1},
		{"refused: the privilege that fixes it", Workers{Statement: "S", Err: denied},
			"SQL thread stopped (error 1062: Coordinator stopped",
			"the failing worker's own error could not be read: access denied (error 1142): SELECT command denied to user 'monitor'@'10.0.0.5' " +
				"for table 'replication_applier_status_by_worker'; missing privilege: SELECT on table 'replication_applier_status_by_worker'; " +
				"fix: GRANT SELECT ON performance_schema.replication_applier_status_by_worker TO the monitoring account", 0},
		{"other failure", Workers{Statement: "S", Err: errors.New("timeout")},
			"SQL thread stopped (error 1062: Coordinator stopped", "the failing worker's own error could not be read: timeout", 0},
		{"no row", Workers{Statement: "S"},
			"SQL thread stopped (error 1062: Coordinator stopped",
			"no worker error in performance_schema.replication_applier_status_by_worker (is performance_schema off?): see the error log", 0},
		{"not read (no such table)", Workers{},
			"SQL thread stopped (error 1062: Coordinator stopped", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := Judge(Facts{Channels: []replica.Channel{stopped}, Workers: c.workers}, defaults()).Channels[0]
			if v.Status != plugin.CRITICAL || len(v.Problems) != 1 || !strings.HasPrefix(v.Problems[0], c.problem) {
				t.Errorf("%v %q, want CRITICAL %q", v.Status, v.Problems, c.problem)
			}
			if v.WorkerNote != c.note || len(v.Workers) != c.nWorkers {
				t.Errorf("note %q and %d workers, want %q and %d", v.WorkerNote, len(v.Workers), c.note, c.nWorkers)
			}
		})
	}

	// An error that is not the coordinator's is the worker's own: nothing to look up.
	own := stopped
	own.LastSQLError = "Could not execute Write_rows event on table t; Duplicate entry '9'"
	v := Judge(Facts{Channels: []replica.Channel{own}, Workers: Workers{Statement: "S", Errors: []replica.WorkerError{w2}}}, defaults()).Channels[0]
	if len(v.Workers) != 0 || v.WorkerNote != "" || !strings.Contains(v.Problems[0], "(error 1062: Could not execute Write_rows") {
		t.Errorf("own error: %+v", v)
	}
}
