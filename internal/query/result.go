package query

import (
	"context"
	"fmt"
	"strings"
)

// Runner sends one statement to a server and returns its whole answer.
type Runner interface {
	Query(ctx context.Context, stmt string) (*Result, error)
}

// Execer sends a statement whose answer is not read (SET, LOCK TABLES).
type Execer interface {
	Exec(ctx context.Context, stmt string) error
}

// Session is one server session: statements with and without answers.
type Session interface {
	Runner
	Execer
}

// Result is one statement's answer: the column names in the server's order
// and every row, each value as text or nil for SQL NULL.
type Result struct {
	Columns []string
	Rows    [][]*string
}

// Column returns the index of the first of names the result has (names are
// compared ignoring case, as the server's column names are), or -1.
func (r *Result) Column(names ...string) int {
	for _, name := range names {
		for i, c := range r.Columns {
			if strings.EqualFold(c, name) {
				return i
			}
		}
	}
	return -1
}

// Value returns row[i] as text and whether it is present and not NULL.
func Value(row []*string, i int) (string, bool) {
	if i < 0 || i >= len(row) || row[i] == nil {
		return "", false
	}
	return *row[i], true
}

// Text returns the value at row r, column c, with "" for NULL or a cell
// the result does not have.
func (r *Result) Text(row, col int) string {
	if row < 0 || row >= len(r.Rows) {
		return ""
	}
	v, _ := Value(r.Rows[row], col)
	return v
}

// Null reports whether the value at row r, column c is SQL NULL.
func (r *Result) Null(row, col int) bool {
	return row >= 0 && row < len(r.Rows) && col >= 0 && col < len(r.Rows[row]) && r.Rows[row][col] == nil
}

// One runs stmt and returns the first column of its first row; null is
// true when that value is NULL. An answer without a row is an error that
// names the statement.
func One(ctx context.Context, q Runner, stmt string) (value string, null bool, err error) {
	res, err := q.Query(ctx, stmt)
	if err != nil {
		return "", false, err
	}
	if len(res.Rows) == 0 || len(res.Columns) == 0 {
		return "", false, fmt.Errorf("%s: no row", Shorten(stmt))
	}
	return res.Text(0, 0), res.Null(0, 0), nil
}

// Shorten cuts a statement to its first words, for messages.
func Shorten(stmt string) string {
	stmt = strings.Join(strings.Fields(stmt), " ")
	if len(stmt) > 60 {
		stmt = stmt[:57] + "..."
	}
	return stmt
}
