package read

import (
	"fmt"

	"github.com/replmon/replmon/internal/checksum/judge"
	"github.com/replmon/replmon/internal/checksum/plan"
	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/query"
)

// Server error numbers interpreted here.
const (
	errNoSuchTable = 1146 // ER_NO_SUCH_TABLE
	errUnknownDB   = 1049 // ER_BAD_DB_ERROR
)

// sumError turns a failed checksum statement into judge.ErrMissing for a table
// that does not exist, or an error naming the table, server and privilege.
func sumError(t plan.TableName, n *servers.Node, err error) error {
	if query.IsError(err, errNoSuchTable, errUnknownDB) {
		return fmt.Errorf("%s on %s: %w", t, n.Label, judge.ErrMissing)
	}
	return fmt.Errorf("checksum on %s: %w", n.Where(), query.Explain(err))
}
