package replica_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/fakedb"
	"github.com/replmon/replmon/internal/testkit/fixture"
)

// TestReadFixtures serves every fixture from a fake server and reads it back
// the way a check does: detect, choose, fall back only where needed.
func TestReadFixtures(t *testing.T) {
	all, err := fixture.LoadDir(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		t.Run(f.Name(), func(t *testing.T) {
			srv := fakedb.New(f.Script())
			db := srv.DB() // through database/sql and the connection package's adapter
			defer db.Close()
			ctx := context.Background()

			id, err := server.Detect(ctx, mysqlconn.SQL(db))
			if err != nil {
				t.Fatal(err)
			}
			chans, stmt, err := replica.Read(ctx, mysqlconn.SQL(db), id)
			if err != nil {
				t.Fatalf("Read: %v (sent %q)", err, srv.Queries())
			}
			if stmt != f.Statement {
				t.Errorf("answered by %q, want the recorded %q", stmt, f.Statement)
			}
			want := []string{server.DetectQuery, id.ReplicaStatusQuery()}
			if f.Statement != id.ReplicaStatusQuery() {
				// Only the fallback file is answered by the second choice.
				want = append(want, id.FallbackReplicaStatusQuery())
			}
			if got := srv.Queries(); !reflect.DeepEqual(got, want) {
				t.Errorf("sent %q, want %q", got, want)
			}
			direct, err := replica.FromResult(f.Columns, f.Rows)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(chans, direct) {
				t.Errorf("Read and FromResult disagree:\n%+v\n%+v", chans, direct)
			}
		})
	}
}

func TestReadFallbackIsTheExceptionNotTheRule(t *testing.T) {
	// Only the MariaDB SHOW SLAVE STATUS file needs the fallback; every other
	// recording is the answer to the statement chosen from its version.
	all, err := fixture.LoadDir(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		chosen := f.Identity.ReplicaStatusQuery()
		if f.Statement != chosen && f.Name() != "mariadb-10.11-show-slave-status" {
			t.Errorf("%s: recorded %q but %s would be asked %q", f.Name(), f.Statement, f.Identity, chosen)
		}
	}
}

var (
	mysql8036  = mustParse("8.0.36", "MySQL Community Server - GPL")
	mysql84    = mustParse("8.4.0", "MySQL Community Server - GPL")
	mysql57    = mustParse("5.7.44-log", "MySQL Community Server (GPL)")
	mariadb    = mustParse("10.11.19-MariaDB-0+deb12u1-log", "Debian 12")
	oneChannel = fakedb.Result{
		Columns: []string{"Slave_IO_Running", "Slave_SQL_Running", "Seconds_Behind_Master"},
		Rows:    [][]*string{{s("Yes"), s("Yes"), s("0")}},
	}
	denied = &mysql.MySQLError{Number: 1227, Message: "Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT privilege(s) for this operation"}
)

func mustParse(v, c string) server.Identity {
	id, err := server.Parse(v, c)
	if err != nil {
		panic(err)
	}
	return id
}

func TestRead(t *testing.T) {
	tests := []struct {
		name      string
		id        server.Identity
		script    map[string]fakedb.Result
		wantStmt  string
		wantSent  []string
		wantChans int
		wantErr   string // substring; "" for success
		wantCode  uint16 // the *mysql.MySQLError still reachable, 0 for none
	}{
		{
			name:      "chosen statement answers",
			id:        mysql8036,
			script:    map[string]fakedb.Result{"SHOW REPLICA STATUS": oneChannel},
			wantStmt:  "SHOW REPLICA STATUS",
			wantSent:  []string{"SHOW REPLICA STATUS"},
			wantChans: 1,
		},
		{
			name:      "syntax error falls back to SHOW SLAVE STATUS",
			id:        mysql8036,
			script:    map[string]fakedb.Result{"SHOW REPLICA STATUS": {Err: fakedb.SyntaxError("SHOW REPLICA STATUS")}, "SHOW SLAVE STATUS": oneChannel},
			wantStmt:  "SHOW SLAVE STATUS",
			wantSent:  []string{"SHOW REPLICA STATUS", "SHOW SLAVE STATUS"},
			wantChans: 1,
		},
		{
			name:      "MariaDB falls back from SHOW ALL SLAVES STATUS",
			id:        mariadb,
			script:    map[string]fakedb.Result{"SHOW SLAVE STATUS": oneChannel},
			wantStmt:  "SHOW SLAVE STATUS",
			wantSent:  []string{"SHOW ALL SLAVES STATUS", "SHOW SLAVE STATUS"},
			wantChans: 1,
		},
		{
			name:     "permission error is not a reason to fall back",
			id:       mysql8036,
			script:   map[string]fakedb.Result{"SHOW REPLICA STATUS": {Err: denied}, "SHOW SLAVE STATUS": oneChannel},
			wantStmt: "SHOW REPLICA STATUS",
			wantSent: []string{"SHOW REPLICA STATUS"},
			wantErr:  "SHOW REPLICA STATUS: access denied (error 1227): Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT privilege(s)",
			wantCode: 1227,
		},
		{
			name:     "8.4 has nothing to fall back to",
			id:       mysql84,
			script:   map[string]fakedb.Result{"SHOW REPLICA STATUS": {Err: fakedb.SyntaxError("SHOW REPLICA STATUS")}, "SHOW SLAVE STATUS": oneChannel},
			wantStmt: "SHOW REPLICA STATUS",
			wantSent: []string{"SHOW REPLICA STATUS"},
			wantErr:  "SHOW REPLICA STATUS: Error 1064 (42000): You have an error in your SQL syntax",
			wantCode: 1064,
		},
		{
			name:     "5.7 has nothing to fall back to",
			id:       mysql57,
			script:   map[string]fakedb.Result{},
			wantStmt: "SHOW SLAVE STATUS",
			wantSent: []string{"SHOW SLAVE STATUS"},
			wantErr:  "SHOW SLAVE STATUS: Error 1064 (42000): You have an error in your SQL syntax",
			wantCode: 1064,
		},
		{
			name:     "the fallback's own error is reported, explained",
			id:       mariadb,
			script:   map[string]fakedb.Result{"SHOW SLAVE STATUS": {Err: denied}},
			wantStmt: "SHOW SLAVE STATUS",
			wantSent: []string{"SHOW ALL SLAVES STATUS", "SHOW SLAVE STATUS"},
			wantErr:  "SHOW SLAVE STATUS: access denied (error 1227)",
			wantCode: 1227,
		},
		{
			name:     "other errors pass through",
			id:       mysql8036,
			script:   map[string]fakedb.Result{"SHOW REPLICA STATUS": {Err: errors.New("invalid connection")}},
			wantStmt: "SHOW REPLICA STATUS",
			wantSent: []string{"SHOW REPLICA STATUS"},
			wantErr:  "SHOW REPLICA STATUS: invalid connection",
		},
		{
			name: "a malformed answer is an error",
			id:   mysql8036,
			script: map[string]fakedb.Result{"SHOW REPLICA STATUS": {
				Columns: []string{"Source_Port"}, Rows: [][]*string{{s("many")}},
			}},
			wantStmt: "SHOW REPLICA STATUS",
			wantSent: []string{"SHOW REPLICA STATUS"},
			wantErr:  `column Source_Port: "many" is not a whole number`,
		},
		{
			name:     "not a replica",
			id:       mysql8036,
			script:   map[string]fakedb.Result{"SHOW REPLICA STATUS": {Columns: oneChannel.Columns}},
			wantStmt: "SHOW REPLICA STATUS",
			wantSent: []string{"SHOW REPLICA STATUS"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakedb.New(tt.script)
			chans, stmt, err := replica.Read(context.Background(), srv, tt.id)
			if stmt != tt.wantStmt {
				t.Errorf("statement = %q, want %q", stmt, tt.wantStmt)
			}
			if got := srv.Queries(); !reflect.DeepEqual(got, tt.wantSent) {
				t.Errorf("sent %q, want %q", got, tt.wantSent)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				if len(chans) != tt.wantChans {
					t.Errorf("%d channels, want %d", len(chans), tt.wantChans)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			if chans != nil {
				t.Errorf("channels %v returned with an error", chans)
			}
			var me *query.ServerError
			if got := errors.As(err, &me); got != (tt.wantCode != 0) || (got && me.Number != tt.wantCode) {
				t.Errorf("errors.As(*query.ServerError) = %v (%v), want code %d", got, me, tt.wantCode)
			}
		})
	}
}
