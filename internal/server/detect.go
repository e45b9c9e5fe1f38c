package server

import (
	"context"
	"database/sql"
	"fmt"
)

// Querier is the part of *sql.DB and *sql.Conn the checks need.
type Querier interface {
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
	return DetectText(ctx, SQLText(q))
}

// DetectText is Detect over a TextQuerier. Its errors read as a
// database/sql scan's would.
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

// SQLText turns a database/sql Querier into a TextQuerier, so that the
// reads of Detect and replica.Read have one implementation whichever way
// the connection was made.
func SQLText(q Querier) TextQuerier { return sqlText{q} }

type sqlText struct{ q Querier }

// QueryText runs stmt and scans every column of every row as text or NULL.
func (s sqlText) QueryText(ctx context.Context, stmt string) ([]string, [][]*string, error) {
	rows, err := s.q.QueryContext(ctx, stmt)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	var values [][]*string
	scanned := make([]sql.NullString, len(columns))
	dest := make([]any, len(columns))
	for i := range scanned {
		dest[i] = &scanned[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		row := make([]*string, len(scanned))
		for i, v := range scanned {
			if v.Valid {
				s := v.String
				row[i] = &s
			}
		}
		values = append(values, row)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return columns, values, nil
}
