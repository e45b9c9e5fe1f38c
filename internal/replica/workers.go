package replica

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// WorkerError is the last error of one applier worker of a MySQL
// multi-threaded replica: one row of
// performance_schema.replication_applier_status_by_worker. When a worker
// fails, SHOW REPLICA STATUS carries the coordinator's generic message
// ("Coordinator stopped because there were error(s) in the worker(s) ...");
// the worker's own error is here.
type WorkerError struct {
	Channel     string // CHANNEL_NAME; "" for the default channel
	WorkerID    int64  // WORKER_ID
	Errno       int    // LAST_ERROR_NUMBER
	Message     string // LAST_ERROR_MESSAGE: "Worker N failed executing transaction ...; <the error>"
	Time        string // LAST_ERROR_TIMESTAMP as the server returns it
	Transaction string // APPLYING_TRANSACTION (8.0), else LAST_SEEN_TRANSACTION (5.7); "" when unknown
}

// Cause returns the error itself: LAST_ERROR_MESSAGE without the worker's
// "Worker N failed executing transaction '...' at ... log F, end_log_pos P; "
// preamble, which says where, not what.
func (w WorkerError) Cause() string {
	if strings.HasPrefix(w.Message, "Worker ") {
		if _, cause, ok := strings.Cut(w.Message, "; "); ok && cause != "" {
			return cause
		}
	}
	return w.Message
}

// coordinatorPrefix starts the applier coordinator's message in
// Last_SQL_Error when a worker of a multi-threaded replica failed (MySQL
// 5.7 and 8.x).
const coordinatorPrefix = "coordinator stopped because there were error(s) in the worker(s)"

// coordinatorWorkerRE finds the worker the coordinator names: "The most
// recent failure being: Worker 3 failed executing transaction ...".
var coordinatorWorkerRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)most recent failure being: Worker (\d+) failed`)
})

// CoordinatorStopped reports whether the channel's applier error is the
// multi-threaded applier's coordinator message rather than the failing
// worker's own error, and returns the worker it names (0 when none).
func (c Channel) CoordinatorStopped() (worker int64, ok bool) {
	for _, msg := range []string{c.LastSQLError, c.LastError} {
		if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(msg)), coordinatorPrefix) {
			continue
		}
		if m := coordinatorWorkerRE().FindStringSubmatch(msg); m != nil {
			worker, _ = strconv.ParseInt(m[1], 10, 64)
		}
		return worker, true
	}
	return 0, false
}

// WorkerErrorsFromResult reads the rows of
// performance_schema.replication_applier_status_by_worker by column name,
// in the 5.7 column set (LAST_SEEN_TRANSACTION) and the 8.0 one
// (APPLYING_TRANSACTION, LAST_APPLIED_TRANSACTION). Rows without an error
// are skipped.
func WorkerErrorsFromResult(res *query.Result) ([]WorkerError, error) {
	errno, msg := res.Column("LAST_ERROR_NUMBER"), res.Column("LAST_ERROR_MESSAGE")
	if errno < 0 || msg < 0 {
		return nil, fmt.Errorf("replication_applier_status_by_worker: want LAST_ERROR_NUMBER and LAST_ERROR_MESSAGE, got %s", strings.Join(res.Columns, ", "))
	}
	channel, id, ts := res.Column("CHANNEL_NAME"), res.Column("WORKER_ID"), res.Column("LAST_ERROR_TIMESTAMP")
	trx := res.Column("APPLYING_TRANSACTION", "LAST_SEEN_TRANSACTION")
	var out []WorkerError
	for r, row := range res.Rows {
		n, ok, err := parseInt(res.Text(r, errno))
		if err != nil {
			return nil, fmt.Errorf("replication_applier_status_by_worker: row %d, LAST_ERROR_NUMBER: %w", r+1, err)
		}
		if !ok || n == 0 {
			continue
		}
		w := WorkerError{Errno: int(n), Message: strings.TrimSpace(res.Text(r, msg))}
		w.Channel, _ = query.Value(row, channel)
		w.Time, _ = query.Value(row, ts)
		w.Transaction, _ = query.Value(row, trx)
		if v, ok := query.Value(row, id); ok {
			if w.WorkerID, _, err = parseInt(v); err != nil {
				return nil, fmt.Errorf("replication_applier_status_by_worker: row %d, WORKER_ID: %w", r+1, err)
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// ReadWorkerErrors returns the applier workers' errors where the server
// keeps them (id.ApplierWorkerErrorsQuery), and the statement it sent; on a
// server without the table it sends nothing and returns "". An error is
// explained by query.Explain (a refusal names the missing privilege).
func ReadWorkerErrors(ctx context.Context, q query.Runner, id server.Identity) ([]WorkerError, string, error) {
	stmt := id.ApplierWorkerErrorsQuery()
	if stmt == "" {
		return nil, "", nil
	}
	res, err := q.Query(ctx, stmt)
	if err != nil {
		return nil, stmt, query.Explain(err)
	}
	ws, err := WorkerErrorsFromResult(res)
	return ws, stmt, err
}
