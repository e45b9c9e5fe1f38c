package mysqlconn

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/fakeserver"
	"github.com/replmon/replmon/internal/testkit/faultproxy"
	"github.com/replmon/replmon/internal/testkit/fixture"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// tcpConfig is a configuration for the server at host:port over TCP,
// without TLS.
func tcpConfig(t *testing.T, addr, user, password string) Config {
	t.Helper()
	c, err := Config{User: user, password: password, SSLMode: SSLDisabled}.WithAddr(addr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sqlText runs stmt through database/sql (Open, QueryContext, a
// sql.NullString scan of every column), the way the checks that use a pool
// read a result, for comparison with Conn.QueryText.
func sqlText(ctx context.Context, db *sql.DB, stmt string) ([]string, [][]*string, error) {
	rows, err := db.QueryContext(ctx, stmt)
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
	return columns, values, rows.Err()
}

// sameResult fails the test unless both ways of reading stmt give the same
// columns, values and error text.
func sameResult(t *testing.T, ctx context.Context, conn *Conn, db *sql.DB, stmt string) {
	t.Helper()
	gotCols, gotRows, gotErr := conn.QueryText(ctx, stmt)
	wantCols, wantRows, wantErr := sqlText(ctx, db, stmt)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("%s: QueryText error %v, database/sql error %v", stmt, gotErr, wantErr)
	}
	if !reflect.DeepEqual(gotCols, wantCols) {
		t.Errorf("%s: columns %q, database/sql %q", stmt, gotCols, wantCols)
	}
	if !reflect.DeepEqual(gotRows, wantRows) {
		t.Errorf("%s: rows differ from database/sql's:\n got %s\nwant %s", stmt, show(gotRows), show(wantRows))
	}
}

func show(rows [][]*string) string {
	var b strings.Builder
	for _, row := range rows {
		b.WriteString("[")
		for i, v := range row {
			if i > 0 {
				b.WriteString(" ")
			}
			if v == nil {
				b.WriteString("NULL")
			} else {
				b.WriteString("'" + *v + "'")
			}
		}
		b.WriteString("]")
	}
	return b.String()
}

// TestQueryTextMatchesDatabaseSQL reads every recorded dialect's replica
// status, and a syntax error, both through Conn and through database/sql
// from the same wire-level fake server.
func TestQueryTextMatchesDatabaseSQL(t *testing.T) {
	fixtures, err := fixture.LoadDir(filepath.Join("..", "..", "testdata", "replica_status"))
	if err != nil {
		t.Fatal(err)
	}
	if len(fixtures) == 0 {
		t.Fatal("no fixtures")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, fx := range fixtures {
		t.Run(fx.Name(), func(t *testing.T) {
			srv := fakeserver.StartT(t, fakeserver.FromFixture(fx, "monitor", "pw"))
			cfg := tcpConfig(t, srv.Addr(), "monitor", "pw")
			conn, err := cfg.Connect(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			db, err := cfg.Open(ctx, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			sameResult(t, ctx, conn, db, fx.Statement)
			sameResult(t, ctx, conn, db, "SHOW NO SUCH THING")
			sameResult(t, ctx, conn, db, fx.Statement) // the connection is still good after an error
		})
	}
}

// TestConnectFailsAsOpen: a refused login and a closed port give the same
// error text through Connect as through Open, without the password.
func TestConnectFailsAsOpen(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv := fakeserver.StartT(t, fakeserver.Config{Version: "8.0.36", User: "monitor", Password: "right-password"})
	closed := fakeserver.StartT(t, fakeserver.Config{Version: "8.0.36"})
	closedAddr := closed.Addr()
	_ = closed.Close()
	for _, tc := range []struct{ name, addr, password string }{
		{"refused login", srv.Addr(), "Wrong-Pass-4242"},
		{"closed port", closedAddr, "Wrong-Pass-4242"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tcpConfig(t, tc.addr, "monitor", tc.password)
			_, cerr := cfg.Connect(ctx)
			_, oerr := cfg.Open(ctx, 1)
			if cerr == nil || oerr == nil || cerr.Error() != oerr.Error() {
				t.Fatalf("Connect error %v, Open error %v: want the same error", cerr, oerr)
			}
			if strings.Contains(cerr.Error(), tc.password) {
				t.Errorf("error shows the password: %v", cerr)
			}
		})
	}
	expired, cancelExpired := context.WithCancel(ctx)
	cancelExpired()
	if _, err := tcpConfig(t, srv.Addr(), "monitor", "right-password").Connect(expired); !errors.Is(err, context.Canceled) {
		t.Errorf("Connect with a cancelled context: %v, want context.Canceled", err)
	}
}

// TestQueryTextReplacesADeadIdleConnection: a connection cut while idle is
// noticed before the next statement is sent and replaced, as database/sql's
// pool replaces it; a connection cut in the middle of a statement is an
// error, as it is through database/sql.
func TestQueryTextReplacesADeadIdleConnection(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	version := "10.11.19-MariaDB-log"
	srv := fakeserver.StartT(t, fakeserver.Config{Version: version, User: "monitor", Password: "pw",
		Script: map[string]fakeserver.Result{"SELECT @@version": {Columns: []string{"@@version"}, Rows: [][]*string{{&version}}}}})
	proxy := faultproxy.NewT(t, srv.Addr())
	conn, err := tcpConfig(t, proxy.Addr(), "monitor", "pw").Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	proxy.CutAll()
	waitFor(t, func() bool { return proxy.Open() == 0 })
	if _, rows, err := conn.QueryText(ctx, "SELECT @@version"); err != nil || len(rows) != 1 || *rows[0][0] != version {
		t.Fatalf("after an idle cut: %q, %v; want the version from a new connection", show(rows), err)
	}
	if n := proxy.Accepted(); n != 2 {
		t.Errorf("%d connections, want 2: the login and one after the cut", n)
	}

	proxy.CutOn("SELECT @@version")
	_, _, err = conn.QueryText(ctx, "SELECT @@version")
	if err == nil {
		t.Fatal("a connection cut in the middle of a statement gave no error")
	}
	if n := proxy.Accepted(); n != 2 {
		t.Errorf("%d connections, want 2: a statement that was sent is not sent again", n)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestQueryTextTypedColumns compares Conn and database/sql on a real
// server, whose results (unlike the fake server's) carry typed columns:
// integers, decimals, floats, dates, NULLs and binary strings.
func TestQueryTextTypedColumns(t *testing.T) {
	if testing.Short() {
		t.Skip("starts mariadbd")
	}
	sb := sandbox.StartT(t, sandbox.Pair())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r1 := sb.Server("r1")
	cfg := tcpConfig(t, r1.Addr(), sandbox.MonitorUser, sandbox.MonitorPassword)
	conn, err := cfg.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	db, err := cfg.Open(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		"SELECT @@version, @@version_comment",
		"SHOW ALL SLAVES STATUS",
		"SHOW SLAVE STATUS",
		"SELECT 1, -2, 18446744073709551615, 3.25, 1e300, CAST(1.5 AS FLOAT), CAST(2.5 AS DOUBLE), NULL, '', x'00ff', " +
			"DATE '2024-02-29', TIMESTAMP '2024-02-29 12:34:56.789', TIME '-01:02:03', CAST(7 AS UNSIGNED), TRUE, 2024 + 0",
		"SHOW GLOBAL VARIABLES LIKE 'max_connections'",
		"SELECT * FROM no_such_table",
	} {
		sameResult(t, ctx, conn, db, stmt)
	}
}

func TestAsText(t *testing.T) {
	when := time.Date(2024, 2, 29, 12, 34, 56, 789000000, time.UTC)
	type myInt int16
	for _, tc := range []struct {
		in   driver.Value
		want string
	}{
		{"text", "text"},
		{[]byte("bytes"), "bytes"},
		{[]byte{}, ""},
		{int64(-42), "-42"},
		{uint64(math.MaxUint64), "18446744073709551615"},
		{float64(0.1), "0.1"},
		{float32(0.1), "0.1"},
		{true, "true"},
		{when, "2024-02-29T12:34:56.789Z"},
		{myInt(7), "7"},
	} {
		got, err := asText(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("asText(%#v) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		var ns sql.NullString
		if err := ns.Scan(tc.in); err != nil || ns.String != got {
			t.Errorf("asText(%#v) = %q, but sql.NullString scans %q (%v)", tc.in, got, ns.String, err)
		}
	}
	if _, err := asText(struct{}{}); err == nil {
		t.Error("asText of a struct: no error")
	}
}
