// Package fakedb answers a fixed script of statements, so that code taking
// a query.Runner (or a database/sql pool, through DB) can be tested
// without a server. It is for tests; the wire protocol is not involved.
package fakedb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
)

// Result is the answer to one statement: a result set, or an error.
type Result struct {
	Columns []string    // column names, in order
	Rows    [][]*string // a nil element is SQL NULL
	Err     error       // when set, the statement fails with it
}

// Server answers the statements of its script and remembers what it was sent.
type Server struct {
	mu      sync.Mutex
	script  map[string]Result
	queries []string
}

// New returns a Server that answers each statement of script, matched
// exactly after trimming spaces; any other statement fails with a syntax
// error (1064), as a server that does not know it would.
func New(script map[string]Result) *Server {
	s := &Server{script: make(map[string]Result, len(script))}
	for k, v := range script {
		s.script[strings.TrimSpace(k)] = v
	}
	return s
}

// DB opens a *sql.DB whose connections are answered by s.
func (s *Server) DB() *sql.DB { return sql.OpenDB(connector{s}) }

// Query answers stmt as a server session adapted by the connection
// package would: the script's driver errors become *query.ServerError.
func (s *Server) Query(_ context.Context, stmt string) (*query.Result, error) {
	r, err := s.answer(stmt)
	if err != nil {
		return nil, mysqlconn.ServerError(err)
	}
	return &query.Result{Columns: r.Columns, Rows: r.Rows}, nil
}

// Queries returns the statements received so far, in order.
func (s *Server) Queries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

func (s *Server) answer(query string) (Result, error) {
	q := strings.TrimSpace(query)
	s.mu.Lock()
	s.queries = append(s.queries, q)
	r, ok := s.script[q]
	s.mu.Unlock()
	if !ok {
		return Result{}, SyntaxError(q)
	}
	if r.Err != nil {
		return Result{}, r.Err
	}
	for i, row := range r.Rows {
		if len(row) != len(r.Columns) {
			return Result{}, fmt.Errorf("fakedb: %q row %d has %d values for %d columns", q, i, len(row), len(r.Columns))
		}
	}
	return r, nil
}

// SyntaxError returns the error a MySQL server gives for a statement it cannot parse.
func SyntaxError(statement string) *mysql.MySQLError {
	near := statement
	if i := strings.IndexByte(statement, ' '); i >= 0 {
		near = statement[i+1:]
	}
	return &mysql.MySQLError{
		Number:   1064,
		SQLState: [5]byte{'4', '2', '0', '0', '0'},
		Message: "You have an error in your SQL syntax; check the manual that corresponds to your " +
			"MySQL server version for the right syntax to use near '" + near + "' at line 1",
	}
}

type connector struct{ s *Server }

func (c connector) Connect(context.Context) (driver.Conn, error) { return conn{c.s}, nil }
func (c connector) Driver() driver.Driver                        { return drv{c.s} }

type drv struct{ s *Server }

func (d drv) Open(string) (driver.Conn, error) { return conn{d.s}, nil }

type conn struct{ s *Server }

var errUnsupported = errors.New("fakedb: only plain queries are supported")

func (c conn) Prepare(string) (driver.Stmt, error) { return nil, errUnsupported }
func (c conn) Close() error                        { return nil }
func (c conn) Begin() (driver.Tx, error)           { return nil, errUnsupported }

func (c conn) QueryContext(_ context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if len(args) > 0 {
		return nil, errUnsupported
	}
	r, err := c.s.answer(query)
	if err != nil {
		return nil, err
	}
	return &rows{r: r}, nil
}

type rows struct {
	r Result
	i int
}

func (r *rows) Columns() []string { return r.r.Columns }
func (r *rows) Close() error      { return nil }

func (r *rows) Next(dest []driver.Value) error {
	if r.i >= len(r.r.Rows) {
		return io.EOF
	}
	for j, v := range r.r.Rows[r.i] {
		if v == nil {
			dest[j] = nil
		} else {
			dest[j] = []byte(*v)
		}
	}
	r.i++
	return nil
}
