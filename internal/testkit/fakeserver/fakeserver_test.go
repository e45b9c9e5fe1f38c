package fakeserver

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/clitest"
	"github.com/replmon/replmon/internal/testkit/fixture"
)

func open(t *testing.T, s *Server, user, password string) *sql.DB {
	t.Helper()
	c := mysql.NewConfig()
	c.User, c.Passwd, c.Net, c.Addr = user, password, "tcp", s.Addr()
	c.Timeout = 2 * time.Second
	conn, err := mysql.NewConnector(c)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	t.Cleanup(func() { db.Close() })
	return db
}

func str(s string) *string { return &s }

func TestQueriesOverTheWire(t *testing.T) {
	s := StartT(t, Config{
		Version: "5.5.62-log", User: "mon", Password: "pw-123",
		Script: map[string]Result{
			"SELECT a, b": {Columns: []string{"a", "b"}, Rows: [][]*string{{str("1"), nil}, {str(""), str(strings.Repeat("x", 300))}}},
			"SHOW EMPTY":  {Columns: []string{"Only"}},
			"SHOW DENIED": {Err: &mysql.MySQLError{Number: 1227, SQLState: [5]byte{'4', '2', '0', '0', '0'}, Message: "Access denied; you need the PROCESS privilege"}},
		},
		Answer: func(q string) (Result, bool) {
			if strings.HasPrefix(q, "SELECT 'echo:") {
				return Result{Columns: []string{"v"}, Rows: [][]*string{{str(q)}}}, true
			}
			return Result{}, false
		},
	})
	db := open(t, s, "mon", "pw-123")
	ctx := context.Background()

	rows, err := db.QueryContext(ctx, "  SELECT a, b  ")
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]sql.NullString
	for rows.Next() {
		var a, b sql.NullString
		if err := rows.Scan(&a, &b); err != nil {
			t.Fatal(err)
		}
		got = append(got, [2]sql.NullString{a, b})
	}
	rows.Close()
	want := [][2]sql.NullString{{{String: "1", Valid: true}, {}}, {{String: "", Valid: true}, {String: strings.Repeat("x", 300), Valid: true}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows %v, want %v", got, want)
	}

	rows, err = db.QueryContext(ctx, "SHOW EMPTY")
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	if rows.Next() || !reflect.DeepEqual(cols, []string{"Only"}) {
		t.Errorf("SHOW EMPTY: columns %v and a row, want columns [Only] and no row", cols)
	}
	rows.Close()

	var me *mysql.MySQLError
	if _, err := db.QueryContext(ctx, "SHOW DENIED"); !errors.As(err, &me) || me.Number != 1227 || string(me.SQLState[:]) != "42000" {
		t.Errorf("SHOW DENIED: %v, want the scripted 1227", err)
	}
	if _, err := db.QueryContext(ctx, "SHOW NOTHING"); !query.IsSyntaxError(mysqlconn.ServerError(err)) {
		t.Errorf("unknown statement: %v, want a syntax error 1064", err)
	}
	var echo string
	if err := db.QueryRowContext(ctx, "SELECT 'echo:1'").Scan(&echo); err != nil || echo != "SELECT 'echo:1'" {
		t.Errorf("Answer hook: %q, %v", echo, err)
	}
	wantQ := []string{"SELECT a, b", "SHOW EMPTY", "SHOW DENIED", "SHOW NOTHING", "SELECT 'echo:1'"}
	if q := s.Queries(); !reflect.DeepEqual(q, wantQ) {
		t.Errorf("queries %q, want %q", q, wantQ)
	}
	db.Close()
	deadline := time.Now().Add(2 * time.Second)
	for s.Open() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s.Open() != 0 || s.Peak() < 1 {
		t.Errorf("open %d, peak %d after closing the pool", s.Open(), s.Peak())
	}
}

func TestLogin(t *testing.T) {
	s := StartT(t, Config{Version: "8.0.36", User: "mon", Password: "right-pw"})
	ctx := context.Background()
	for _, tc := range []struct{ user, pw string }{{"mon", "wrong-pw"}, {"other", "right-pw"}, {"mon", ""}} {
		err := open(t, s, tc.user, tc.pw).PingContext(ctx)
		var me *mysql.MySQLError
		if !errors.As(err, &me) || me.Number != 1045 || !strings.Contains(me.Message, "Access denied for user '"+tc.user+"'@'127.0.0.1'") {
			t.Errorf("%s/%q: %v, want 1045 access denied", tc.user, tc.pw, err)
		}
	}
	if err := open(t, s, "mon", "right-pw").PingContext(ctx); err != nil {
		t.Errorf("right password: %v", err)
	}
	if s.Logins() != 1 {
		t.Errorf("%d logins, want 1", s.Logins())
	}
	// TLS cannot be negotiated: a client that requires it fails closed.
	c := mysql.NewConfig()
	c.User, c.Passwd, c.Net, c.Addr, c.TLSConfig = "mon", "right-pw", "tcp", s.Addr(), "skip-verify"
	conn, _ := mysql.NewConnector(c)
	db := sql.OpenDB(conn)
	defer db.Close()
	if err := db.PingContext(ctx); err == nil {
		t.Error("a client requiring TLS logged in without it")
	}
}

// TestFixtureDialects reads every recorded dialect back through the wire
// with the replica package, as the plugins do.
func TestFixtureDialects(t *testing.T) {
	fixtures, err := fixture.LoadDir(filepath.Join(clitest.Root(t), "testdata", "replica_status"))
	if err != nil {
		t.Fatal(err)
	}
	for _, fx := range fixtures {
		t.Run(fx.Name(), func(t *testing.T) {
			s := StartT(t, FromFixture(fx, "mon", "pw-123"))
			db := open(t, s, "mon", "pw-123")
			ctx := context.Background()
			id, err := server.Detect(ctx, mysqlconn.SQL(db))
			if err != nil {
				t.Fatal(err)
			}
			if id != fx.Identity {
				t.Errorf("identity %v, want %v", id, fx.Identity)
			}
			chans, stmt, err := replica.Read(ctx, mysqlconn.SQL(db), id)
			if err != nil {
				t.Fatal(err)
			}
			if stmt != fx.Statement || len(chans) != len(fx.Rows) {
				t.Errorf("%s gave %d channels, want %s with %d", stmt, len(chans), fx.Statement, len(fx.Rows))
			}
			want, _ := replica.FromResult(fx.Columns, fx.Rows)
			if !reflect.DeepEqual(chans, want) {
				t.Errorf("channels over the wire differ from the recorded ones:\n%+v\n%+v", chans, want)
			}
			for _, e := range fx.Errors {
				_, err := db.QueryContext(ctx, e.Statement)
				var me *mysql.MySQLError
				if !errors.As(err, &me) || me.Number != e.Number || me.Message != e.Message {
					t.Errorf("%s: %v, want error %d", e.Statement, err, e.Number)
				}
			}
			// The further answers, as recorded: result sets or refusals.
			for _, a := range fx.Answers {
				res, err := mysqlconn.SQL(db).Query(ctx, a.Statement)
				if a.Err != nil {
					if n, ok := query.Number(err); !ok || n != a.Err.Number {
						t.Errorf("%s: %v, want error %d", a.Statement, err, a.Err.Number)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", a.Statement, err)
				}
				if !reflect.DeepEqual(res.Columns, a.Columns) || !reflect.DeepEqual(res.Rows, a.Rows) {
					t.Errorf("%s over the wire: %q %v, want %q %v", a.Statement, res.Columns, res.Rows, a.Columns, a.Rows)
				}
			}
		})
	}
}
