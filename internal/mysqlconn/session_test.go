package mysqlconn_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/testkit/fakedb"
)

func str(s string) *string { return &s }

// TestServerError: the driver's error becomes a *query.ServerError that
// reads the same, bare or wrapped; other errors pass unchanged.
func TestServerError(t *testing.T) {
	me := &mysql.MySQLError{Number: 1045, SQLState: [5]byte{'2', '8', '0', '0', '0'}, Message: "Access denied for user 'monitor'@'localhost' (using password: YES)"}
	got := mysqlconn.ServerError(me)
	var se *query.ServerError
	if !errors.As(got, &se) || se.Number != 1045 || se.SQLState != "28000" || got.Error() != me.Error() {
		t.Errorf("ServerError(%v) = %T %v", me, got, got)
	}
	noState := &mysql.MySQLError{Number: 1064, Message: "syntax"}
	if got := mysqlconn.ServerError(noState); got.Error() != noState.Error() || !query.IsSyntaxError(got) {
		t.Errorf("without SQLSTATE: %v", got)
	}
	wrapped := fmt.Errorf("reading: %w", me)
	if got := mysqlconn.ServerError(wrapped); got.Error() != wrapped.Error() || !query.IsError(got, 1045) {
		t.Errorf("wrapped: %v", got)
	}
	plain := errors.New("dial tcp: connection refused")
	if got := mysqlconn.ServerError(plain); got != plain || mysqlconn.ServerError(nil) != nil {
		t.Errorf("other errors must pass unchanged: %v", got)
	}
}

// TestSQLSession: the database/sql adapter reads every value as text or
// NULL and converts server errors.
func TestSQLSession(t *testing.T) {
	srv := fakedb.New(map[string]fakedb.Result{
		"SELECT a, b": {Columns: []string{"a", "B"}, Rows: [][]*string{{str("1"), nil}, {str(""), str("x")}}},
		"SELECT bad":  {Err: &mysql.MySQLError{Number: 1142, Message: "SELECT command denied to user 'm'@'h' for table `db`.`t`"}},
	})
	db := srv.DB()
	defer db.Close()
	s := mysqlconn.SQL(db)
	res, err := s.Query(context.Background(), "SELECT a, b")
	if err != nil {
		t.Fatal(err)
	}
	if res.Column("b") != 1 || res.Column("A") != 0 || res.Column("c") != -1 || len(res.Rows) != 2 ||
		res.Text(0, 0) != "1" || !res.Null(0, 1) || res.Null(1, 0) || res.Text(1, 1) != "x" {
		t.Errorf("result %+v", res)
	}
	_, err = s.Query(context.Background(), "SELECT bad")
	var ae *query.AccessError
	if !errors.As(query.Explain(err), &ae) || ae.Missing != "SELECT on table `db`.`t`" {
		t.Errorf("error %v: want a server error Explain can read", err)
	}
	if _, err := s.Query(context.Background(), "SELECT unknown"); !query.IsSyntaxError(err) {
		t.Errorf("an unknown statement: %v, want the syntax error", err)
	}
}
