package judge

import (
	"strings"

	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
)

// Workers is what was read of the applier workers' errors: the statement
// sent ("" when none was: no channel needed it, or the server has no such
// table), the errors found, or why they could not be read.
type Workers struct {
	Statement string
	Errors    []replica.WorkerError
	Err       error
}

// workerTable names the table a missing worker error is looked up in.
const workerTable = "performance_schema.replication_applier_status_by_worker"

// workerErrors returns the errors of c's workers, or a note saying why
// there are none to show.
func workerErrors(c replica.Channel, ws Workers) ([]replica.WorkerError, string) {
	if ws.Err != nil {
		note := "the failing worker's own error could not be read: " + ws.Err.Error()
		if query.IsError(ws.Err, 1142, 1143, 1044) {
			note += "; fix: GRANT SELECT ON " + workerTable + " TO the monitoring account"
		}
		return nil, note
	}
	var out []replica.WorkerError
	for _, w := range ws.Errors {
		if strings.EqualFold(w.Channel, c.Name) {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return nil, "no worker error in " + workerTable + " (is performance_schema off?): see the error log"
	}
	return out, ""
}

// failingWorker returns the worker the coordinator names, else the first.
func failingWorker(ws []replica.WorkerError, id int64) (replica.WorkerError, bool) {
	for _, w := range ws {
		if w.WorkerID == id {
			return w, true
		}
	}
	if len(ws) > 0 {
		return ws[0], true
	}
	return replica.WorkerError{}, false
}
