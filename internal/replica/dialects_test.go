package replica_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/testkit/fixture"
)

const fixtureDir = "../../testdata/replica_status"

func load(t *testing.T, name string) fixture.Fixture {
	t.Helper()
	f, err := fixture.LoadFixture(filepath.Join(fixtureDir, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func fromFixture(t *testing.T, name string) []replica.Channel {
	t.Helper()
	f := load(t, name)
	chans, err := replica.FromResult(f.Columns, f.Rows)
	if err != nil {
		t.Fatalf("%s: FromResult: %v", name, err)
	}
	return chans
}

// want is what a test asserts about one channel; Distance -1 means
// PositionDistance must report false.
type want struct {
	Name          string
	IO, SQL       replica.ThreadState
	Lag           replica.Lag
	Host          string
	Port          int
	ServerID      int64
	SSL           string
	LastErrno     int
	LastIOErrno   int
	LastSQLErrno  int
	ErrorContains string // in LastIOError or LastSQLError, whichever is set
	Distance      int64
	IOState       string
	SQLState      string
}

func known(s int64) replica.Lag { return replica.Lag{Seconds: s, Known: true} }

var null = replica.Lag{}

const (
	run  = replica.Running
	stop = replica.Stopped
	conn = replica.Connecting
)

func TestFromResultDialects(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"mysql-5.0", []want{{
			IO: run, SQL: run, Lag: known(12), Host: "10.20.1.11", Port: 3306, SSL: "No", Distance: 133999,
			IOState: "Waiting for master to send event",
		}}},
		{"mysql-5.1", []want{{
			IO: run, SQL: stop, Lag: null, Host: "db-crm-1.internal", Port: 3306, SSL: "No",
			LastErrno: 1146, LastSQLErrno: 1146, ErrorContains: "contact_merge_tmp", Distance: 17994454,
			IOState: "Waiting for master to send event",
		}}},
		{"mysql-5.5", []want{{
			IO: conn, SQL: run, Lag: null, Host: "10.20.4.21", Port: 3306, ServerID: 31, SSL: "Yes",
			LastIOErrno: 2003, ErrorContains: "error reconnecting to master", Distance: 0, IOState: "Connecting to master",
		}}},
		{"mysql-5.6", []want{{
			IO: run, SQL: run, Lag: known(0), Host: "10.20.2.11", Port: 3306, ServerID: 2011, SSL: "No", Distance: 0,
			IOState:  "Waiting for master to send event",
			SQLState: "Slave has read all relay log; waiting for the slave I/O thread to update it",
		}}},
		{"mysql-5.7", []want{
			{
				Name: "eu", IO: run, SQL: run, Lag: known(3), Host: "db-eu-1.internal", Port: 3306, ServerID: 101, SSL: "Yes",
				Distance: 2284, IOState: "Waiting for master to send event", SQLState: "Reading event from the relay log",
			},
			{
				Name: "us", IO: stop, SQL: run, Lag: null, Host: "db-us-1.internal", Port: 3306, ServerID: 201, SSL: "No",
				LastIOErrno: 1236, ErrorContains: "Could not find first log file name", Distance: 0,
				SQLState: "Slave has read all relay log; waiting for more updates",
			},
		}},
		{"mysql-8.0.21", []want{{
			IO: run, SQL: run, Lag: known(0), Host: "10.20.3.11", Port: 3306, ServerID: 3011, SSL: "No", Distance: 0,
			IOState: "Waiting for master to send event", SQLState: "Slave has read all relay log; waiting for more updates",
		}}},
		{"mysql-8.0.22", []want{{
			IO: run, SQL: run, Lag: known(75), Host: "10.20.3.12", Port: 3306, ServerID: 3012, SSL: "Yes", Distance: 16877551,
			IOState: "Waiting for master to send event", SQLState: "Reading event from the relay log",
		}}},
		{"mysql-8.4", []want{{
			IO: run, SQL: run, Lag: known(0), Host: "db-core-1.internal", Port: 3306, ServerID: 4001, SSL: "No", Distance: 0,
			IOState: "Waiting for source to send event", SQLState: "Replica has read all relay log; waiting for more updates",
		}}},
		{"percona-5.7", []want{{
			IO: run, SQL: run, Lag: known(0), Host: "10.20.5.11", Port: 3306, ServerID: 5011, SSL: "No", Distance: 0,
			IOState: "Waiting for master to send event", SQLState: "Slave has read all relay log; waiting for more updates",
		}}},
		{"mariadb-10.11", []want{
			{
				Name: "east", IO: run, SQL: run, Lag: known(0), Host: "127.0.0.1", Port: 33611, ServerID: 11, SSL: "No", Distance: 0,
				IOState: "Waiting for master to send event", SQLState: "Slave has read all relay log; waiting for more updates",
			},
			{
				Name: "orders", IO: run, SQL: stop, Lag: null, Host: "127.0.0.1", Port: 33612, ServerID: 12, SSL: "No",
				LastErrno: 1062, LastSQLErrno: 1062, ErrorContains: "Duplicate entry '1043' for key 'PRIMARY'", Distance: 204,
				IOState: "Waiting for master to send event",
			},
			{
				Name: "reports", IO: conn, SQL: run, Lag: null, Host: "127.0.0.1", Port: 33613, SSL: "No",
				LastIOErrno: 1045, ErrorContains: "Access denied for user 'repl'", Distance: 0,
				IOState: "Connecting to master", SQLState: "Slave has read all relay log; waiting for more updates",
			},
		}},
		{"mariadb-10.11-show-slave-status", []want{{
			IO: run, SQL: run, Lag: known(0), Host: "127.0.0.1", Port: 33611, ServerID: 11, SSL: "No", Distance: 0,
			IOState: "Waiting for master to send event", SQLState: "Slave has read all relay log; waiting for more updates",
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			chans := fromFixture(t, tt.file)
			if len(chans) != len(tt.want) {
				t.Fatalf("%d channels, want %d", len(chans), len(tt.want))
			}
			for i, w := range tt.want {
				checkChannel(t, chans[i], w)
			}
		})
	}
}

func checkChannel(t *testing.T, c replica.Channel, w want) {
	t.Helper()
	errorf := func(format string, args ...any) {
		t.Helper()
		t.Errorf("channel %q: "+format, append([]any{c.Name}, args...)...)
	}
	if c.Name != w.Name {
		errorf("Name = %q, want %q", c.Name, w.Name)
	}
	if c.IO != w.IO || c.SQL != w.SQL {
		errorf("IO/SQL = %v/%v, want %v/%v", c.IO, c.SQL, w.IO, w.SQL)
	}
	if c.Lag != w.Lag {
		errorf("Lag = %+v, want %+v", c.Lag, w.Lag)
	}
	if c.SourceHost != w.Host || c.SourcePort != w.Port || c.SourceServerID != w.ServerID {
		errorf("source = %s:%d id %d, want %s:%d id %d", c.SourceHost, c.SourcePort, c.SourceServerID, w.Host, w.Port, w.ServerID)
	}
	if c.SourceUser == "" {
		errorf("SourceUser is empty")
	}
	if c.SSLAllowed != w.SSL {
		errorf("SSLAllowed = %q, want %q", c.SSLAllowed, w.SSL)
	}
	if c.LastErrno != w.LastErrno || c.LastIOErrno != w.LastIOErrno || c.LastSQLErrno != w.LastSQLErrno {
		errorf("errnos (last, io, sql) = %d %d %d, want %d %d %d",
			c.LastErrno, c.LastIOErrno, c.LastSQLErrno, w.LastErrno, w.LastIOErrno, w.LastSQLErrno)
	}
	if w.ErrorContains != "" && !strings.Contains(c.LastIOError+c.LastSQLError+c.LastError, w.ErrorContains) {
		errorf("errors %q / %q / %q do not contain %q", c.LastIOError, c.LastSQLError, c.LastError, w.ErrorContains)
	}
	if w.ErrorContains == "" && (c.LastIOError != "" || c.LastSQLError != "" || c.LastError != "") {
		errorf("unexpected error text %q / %q / %q", c.LastIOError, c.LastSQLError, c.LastError)
	}
	d, ok := c.PositionDistance()
	switch {
	case w.Distance < 0 && ok:
		errorf("PositionDistance = %d, want none", d)
	case w.Distance >= 0 && (!ok || d != w.Distance):
		errorf("PositionDistance = %d, %v; want %d", d, ok, w.Distance)
	}
	if c.IOState != w.IOState || c.SQLState != w.SQLState {
		errorf("states = %q / %q, want %q / %q", c.IOState, c.SQLState, w.IOState, w.SQLState)
	}
}

func TestFromResultScenarios(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"scenario-healthy", []want{{
			IO: run, SQL: run, Lag: known(0), Host: "db-main-1.internal", Port: 3306, ServerID: 1, SSL: "Yes",
			IOState: "Waiting for source to send event", SQLState: "Replica has read all relay log; waiting for more updates",
		}}},
		{"scenario-io-stopped", []want{{
			IO: stop, SQL: run, Lag: null, Host: "db-main-1.internal", Port: 3306, ServerID: 1, SSL: "Yes",
			LastIOErrno: 13114, ErrorContains: "Could not find first log file name",
			SQLState: "Replica has read all relay log; waiting for more updates",
		}}},
		{"scenario-sql-stopped", []want{{
			IO: run, SQL: stop, Lag: null, Host: "db-main-1.internal", Port: 3306, ServerID: 1, SSL: "Yes",
			Distance: 632939, IOState: "Waiting for source to send event",
		}}},
		{"scenario-io-connecting-1045", []want{{
			IO: conn, SQL: run, Lag: null, Host: "127.0.0.1", Port: 3306, SSL: "No", LastIOErrno: 1045,
			ErrorContains: "error connecting to master 'repl@127.0.0.1:3306' - retry-time: 60  maximum-retries: 86400  message: Access denied for user 'repl'@'127.0.0.1' (using password: YES)",
			IOState:       "Connecting to master", SQLState: "Slave has read all relay log; waiting for more updates",
		}}},
		{"scenario-sql-error-1062", []want{{
			IO: run, SQL: stop, Lag: null, Host: "db-shop-1.internal", Port: 3306, ServerID: 1, SSL: "No",
			LastErrno: 1062, LastSQLErrno: 1062, ErrorContains: "Duplicate entry '1042' for key 'PRIMARY'", Distance: 1521901,
			IOState: "Waiting for master to send event",
		}}},
		{"scenario-lag-null", []want{{
			IO: stop, SQL: stop, Lag: null, Host: "db-main-1.internal", Port: 3306, ServerID: 1, SSL: "Yes",
		}}},
		{"scenario-lagging", []want{{
			IO: run, SQL: run, Lag: known(400), Host: "db-main-1.internal", Port: 3306, ServerID: 1, SSL: "Yes",
			Distance: 2100235, IOState: "Waiting for source to send event", SQLState: "Waiting for dependent transaction to commit",
		}}},
		{"scenario-delayed", []want{{
			IO: run, SQL: run, Lag: known(3650), Host: "db-main-1.internal", Port: 3306, ServerID: 1, SSL: "Yes",
			Distance: 2662715, IOState: "Waiting for source to send event",
			SQLState: "Waiting until SOURCE_DELAY seconds after source executed event",
		}}},
		{"scenario-ssl-off", []want{{
			IO: run, SQL: run, Lag: known(0), Host: "db-main-1.internal", Port: 3306, ServerID: 1, SSL: "No",
			IOState: "Waiting for source to send event", SQLState: "Replica has read all relay log; waiting for more updates",
		}}},
		{"scenario-not-a-replica", nil},
		{"scenario-not-a-replica-mariadb", nil},
		{"scenario-multi-channel-one-broken", []want{
			{
				Name: "billing", IO: run, SQL: run, Lag: known(0), Host: "db-main-1.internal", Port: 3306, ServerID: 1, SSL: "Yes",
				IOState: "Waiting for source to send event", SQLState: "Replica has read all relay log; waiting for more updates",
			},
			{
				Name: "inventory", IO: run, SQL: stop, Lag: null, Host: "db-inventory-1.internal", Port: 3306, ServerID: 2, SSL: "Yes",
				LastErrno: 1062, LastSQLErrno: 1062, ErrorContains: "Worker 1 failed executing transaction", Distance: 92156,
				IOState: "Waiting for source to send event",
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			chans := fromFixture(t, tt.file)
			if len(chans) != len(tt.want) {
				t.Fatalf("%d channels, want %d", len(chans), len(tt.want))
			}
			for i, w := range tt.want {
				checkChannel(t, chans[i], w)
			}
		})
	}
}

func TestFromResultDelayedKeepsDelays(t *testing.T) {
	c := fromFixture(t, "scenario-delayed")[0]
	if c.SQLDelay != 3600 || c.SQLRemainingDelay != known(3412) {
		t.Errorf("SQLDelay %d, SQLRemainingDelay %+v; want 3600 and 3412", c.SQLDelay, c.SQLRemainingDelay)
	}
	healthy := fromFixture(t, "scenario-healthy")[0]
	if healthy.SQLDelay != 0 || healthy.SQLRemainingDelay.Known {
		t.Errorf("healthy: SQLDelay %d, SQLRemainingDelay %+v; want 0 and NULL", healthy.SQLDelay, healthy.SQLRemainingDelay)
	}
}

func TestFromResultGTID(t *testing.T) {
	maria := fromFixture(t, "mariadb-10.11")
	if maria[0].UsingGTID != "Slave_Pos" || maria[1].UsingGTID != "No" || maria[0].GTIDSlavePos != "1-11-4,2-12-5" {
		t.Errorf("MariaDB GTID: %q %q %q", maria[0].UsingGTID, maria[1].UsingGTID, maria[0].GTIDSlavePos)
	}
	my := fromFixture(t, "mysql-5.7")
	wantExecuted := "5f1c7b2e-8a44-11ee-9c1d-0242ac140002:1-8822190,\na7d03e91-1b6f-11ef-b2c4-525400e1a7c3:1-3017745"
	if my[0].ExecutedGTIDSet != wantExecuted || my[1].ExecutedGTIDSet != wantExecuted {
		t.Errorf("Executed_Gtid_Set = %q, %q", my[0].ExecutedGTIDSet, my[1].ExecutedGTIDSet)
	}
	if my[0].RetrievedGTIDSet != "5f1c7b2e-8a44-11ee-9c1d-0242ac140002:8801113-8822195" || my[1].RetrievedGTIDSet != "" {
		t.Errorf("Retrieved_Gtid_Set = %q, %q", my[0].RetrievedGTIDSet, my[1].RetrievedGTIDSet)
	}
	if my[0].SourceUUID != "5f1c7b2e-8a44-11ee-9c1d-0242ac140002" {
		t.Errorf("SourceUUID = %q", my[0].SourceUUID)
	}
	if old := fromFixture(t, "mysql-5.0")[0]; old.UsingGTID != "" || old.ExecutedGTIDSet != "" || old.SourceUUID != "" {
		t.Errorf("MySQL 5.0 has no GTID columns, got %+v", old)
	}
}

// TestFromResultKeepsRaw checks that every column of every fixture survives
// in Columns and Raw, NULL ones as Null.
func TestFromResultKeepsRaw(t *testing.T) {
	all, err := fixture.LoadDir(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		chans, err := replica.FromResult(f.Columns, f.Rows)
		if err != nil {
			t.Errorf("%s: %v", f.Name(), err)
			continue
		}
		if len(chans) != len(f.Rows) {
			t.Errorf("%s: %d channels from %d rows", f.Name(), len(chans), len(f.Rows))
		}
		for i, c := range chans {
			if strings.Join(c.Columns, ",") != strings.Join(f.Columns, ",") {
				t.Errorf("%s row %d: Columns not kept", f.Name(), i+1)
			}
			for j, col := range f.Columns {
				v, ok := c.Raw[col]
				switch {
				case f.Rows[i][j] == nil && (ok || !c.Null(col)):
					t.Errorf("%s row %d: NULL %s became %q", f.Name(), i+1, col, v)
				case f.Rows[i][j] != nil && (!ok || v != *f.Rows[i][j] || c.Null(col)):
					t.Errorf("%s row %d: %s = %q, want %q", f.Name(), i+1, col, v, *f.Rows[i][j])
				}
			}
			if c.IO == replica.Absent || c.SQL == replica.Absent {
				t.Errorf("%s row %d: thread state absent in a real result", f.Name(), i+1)
			}
		}
	}
}
