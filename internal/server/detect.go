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
