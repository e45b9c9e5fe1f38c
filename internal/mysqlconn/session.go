package mysqlconn

import (
	"context"
	"database/sql"
	"errors"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/query"
)

// SQLSession is what SQL adapts: a *sql.DB pool or one *sql.Conn.
type SQLSession interface {
	QueryContext(ctx context.Context, stmt string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, stmt string, args ...any) (sql.Result, error)
}

// SQL adapts a database/sql pool or connection to query.Session: every
// statement is sent as plain text, every value read as text or NULL, and
// the driver's server errors become *query.ServerError. It is the one
// place where results leave the driver's types.
func SQL(s SQLSession) query.Session { return sqlSession{s} }

type sqlSession struct{ s SQLSession }

// Query runs stmt and scans every column of every row as text or NULL.
func (s sqlSession) Query(ctx context.Context, stmt string) (*query.Result, error) {
	rows, err := s.s.QueryContext(ctx, stmt)
	if err != nil {
		return nil, ServerError(err)
	}
	defer rows.Close()
	res := &query.Result{}
	if res.Columns, err = rows.Columns(); err != nil {
		return nil, ServerError(err)
	}
	scanned := make([]sql.NullString, len(res.Columns))
	dest := make([]any, len(res.Columns))
	for i := range scanned {
		dest[i] = &scanned[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, ServerError(err)
		}
		row := make([]*string, len(scanned))
		for i, v := range scanned {
			if v.Valid {
				s := v.String
				row[i] = &s
			}
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, ServerError(err)
	}
	return res, nil
}

// Exec runs stmt and discards its answer.
func (s sqlSession) Exec(ctx context.Context, stmt string) error {
	_, err := s.s.ExecContext(ctx, stmt)
	return ServerError(err)
}

// ServerError returns err with the driver's server error replaced by the
// equivalent *query.ServerError; the text is unchanged. Other errors
// (network, context, driver.ErrBadConn) are returned as they are.
func ServerError(err error) error {
	var me *mysql.MySQLError
	if err == nil || !errors.As(err, &me) {
		return err
	}
	se := &query.ServerError{Number: me.Number, Message: me.Message}
	if me.SQLState != [5]byte{} {
		se.SQLState = string(me.SQLState[:])
	}
	if error(me) == err {
		return se
	}
	return &converted{msg: err.Error(), se: se}
}

// converted is an error that wrapped a driver error, its text kept.
type converted struct {
	msg string
	se  *query.ServerError
}

func (e *converted) Error() string { return e.msg }
func (e *converted) Unwrap() error { return e.se }
