package server

import (
	"context"
	"database/sql"
	"fmt"
)

// Querier is the part of *sql.DB and *sql.Conn the checks need.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// TextQuerier runs one statement and returns its whole result: the column
// names and every row, each value as text or nil for SQL NULL, as a
// sql.NullString scan gives them. mysqlConn.Conn is one: a connection used
// without database/sql, for the checks that need no pool.
type TextQuerier interface {
	QueryText(ctx context.Context, query string) (columns []string, rows [][]*string, err error)
}

// DetectQuery is the one statement Detect sends.
const DetectQuery = "SELECT @@version, @@version_comment"

// Detect asks the server for its version and comment and parses them.
func Detect(ctx context.Context, q Querier) (Identity, error) {
	var version, comment sql.NullString
	if err := q.QueryRowContext(ctx, DetectQuery).Scan(&version, &comment); err != nil {
		return Identity{}, fmt.Errorf("detect server version: %w", Explain(err))
	}
	if !version.Valid {
		return Identity{}, fmt.Errorf("detect server version: @@version is NULL")
	}
	return Parse(version.String, comment.String)
}

// DetectText is Detect over a TextQuerier; it fails as Detect does.
func DetectText(ctx context.Context, q TextQuerier) (Identity, error) {
	columns, rows, err := q.QueryText(ctx, DetectQuery)
	switch {
	case err != nil:
	case len(rows) == 0:
		err = sql.ErrNoRows
	case len(columns) != 2:
		err = fmt.Errorf("sql: expected %d destination arguments in Scan, not 2", len(columns))
	}
	if err != nil {
		return Identity{}, fmt.Errorf("detect server version: %w", Explain(err))
	}
	version, comment := rows[0][0], rows[0][1]
	if version == nil {
		return Identity{}, fmt.Errorf("detect server version: @@version is NULL")
	}
	if comment == nil {
		return Parse(*version, "")
	}
	return Parse(*version, *comment)
}
