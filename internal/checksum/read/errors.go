package read

import (
	"fmt"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/query"
)

// Server error numbers interpreted here.
const (
	errNoSuchTable     = 1146 // ER_NO_SUCH_TABLE
	errBadField        = 1054 // ER_BAD_FIELD_ERROR
	errLockWaitTimeout = 1205 // ER_LOCK_WAIT_TIMEOUT
	errDBAccess        = 1044 // ER_DBACCESS_DENIED_ERROR
	errTableAccess     = 1142 // ER_TABLEACCESS_DENIED_ERROR
	errStatementTime   = 1969 // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
	errExecutionTime   = 3024 // ER_QUERY_TIMEOUT (MySQL max_execution_time)
	errUnknownDB       = 1049 // ER_BAD_DB_ERROR
)

// sumError turns a failed checksum statement into judge.ErrMissing for a table
// that does not exist, or an error naming the table, server and privilege.
func sumError(t plan.TableName, n *Node, err error) error {
	if query.IsError(err, errNoSuchTable, errUnknownDB) {
		return fmt.Errorf("%s on %s: %w", t, n.Label, judge.ErrMissing)
	}
	return fmt.Errorf("checksum on %s: %w", n.where(), query.Explain(err))
}
