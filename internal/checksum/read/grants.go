package read

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/replmon/replmon/internal/query"
)

// selectGrantsQuery reads the account of the session and how many SELECT
// privileges it holds, globally, on a database, a table or a column: the
// information_schema privilege tables list the session's own.
const selectGrantsQuery = "SELECT CURRENT_USER(), " +
	"(SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SELECT') + " +
	"(SELECT COUNT(*) FROM information_schema.SCHEMA_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SELECT') + " +
	"(SELECT COUNT(*) FROM information_schema.TABLE_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SELECT') + " +
	"(SELECT COUNT(*) FROM information_schema.COLUMN_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SELECT')"

// NoSelect returns, when the session's account holds no SELECT privilege
// anywhere, the account as a GRANT names it ('user'@'host'); information_schema
// then shows it no table at all. It returns "" when the account may select.
func NoSelect(ctx context.Context, q query.Runner) (string, error) {
	res, err := q.Query(ctx, selectGrantsQuery)
	if err != nil {
		return "", fmt.Errorf("reading the account's privileges: %w", query.Explain(err))
	}
	if len(res.Rows) != 1 {
		return "", fmt.Errorf("reading the account's privileges: no row")
	}
	n, err := strconv.Atoi(res.Text(0, 1))
	if err != nil || n > 0 {
		return "", nil
	}
	return grantee(res.Text(0, 0)), nil
}

// grantee writes CURRENT_USER()'s user@host as a GRANT names it.
func grantee(current string) string {
	i := strings.LastIndexByte(current, '@')
	if i < 0 {
		return "'" + current + "'"
	}
	return "'" + current[:i] + "'@'" + current[i+1:] + "'"
}
