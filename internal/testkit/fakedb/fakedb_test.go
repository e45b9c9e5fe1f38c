package fakedb

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"testing"

	"github.com/go-sql-driver/mysql"
)

func str(s string) *string { return &s }

func TestServer(t *testing.T) {
	srv := New(map[string]Result{
		"SELECT a, b":  {Columns: []string{"a", "b"}, Rows: [][]*string{{str(""), nil}, {str("x"), str("y")}}},
		" SHOW BROKEN": {Err: errors.New("boom")},
		"SHOW UNEVEN":  {Columns: []string{"a", "b"}, Rows: [][]*string{{str("only one")}}},
	})
	db := srv.DB()
	defer db.Close()
	ctx := context.Background()

	rows, err := db.QueryContext(ctx, "SELECT a, b ")
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]sql.NullString
	for rows.Next() {
		var r [2]sql.NullString
		if err := rows.Scan(&r[0], &r[1]); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	want := [][2]sql.NullString{
		{{String: "", Valid: true}, {}},
		{{String: "x", Valid: true}, {String: "y", Valid: true}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %+v, want %+v (an empty string is not NULL)", got, want)
	}

	var v string
	if err := db.QueryRowContext(ctx, "SHOW BROKEN").Scan(&v); err == nil || err.Error() != "boom" {
		t.Errorf("scripted error = %v, want boom", err)
	}
	_, err = db.QueryContext(ctx, "SHOW NOTHING")
	var me *mysql.MySQLError
	if !errors.As(err, &me) || me.Number != 1064 || me.Message != "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'NOTHING' at line 1" {
		t.Errorf("unknown statement: %v, want a 1064", err)
	}
	if _, err := db.QueryContext(ctx, "SHOW UNEVEN"); err == nil {
		t.Error("a row shorter than its columns was served")
	}
	if _, err := db.QueryContext(ctx, "SELECT a, b", 1); err == nil {
		t.Error("a query with arguments was answered")
	}
	wantSent := []string{"SELECT a, b", "SHOW BROKEN", "SHOW NOTHING", "SHOW UNEVEN"}
	if got := srv.Queries(); !reflect.DeepEqual(got, wantSent) {
		t.Errorf("Queries() = %q, want %q", got, wantSent)
	}
}
