package configcheck

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/configcheck/read"
	"github.com/replmon/replmon/internal/mysqlconn"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/fakedb"
	"github.com/replmon/replmon/internal/testkit/sandbox"
)

var record = flag.Bool("record", false, "re-record testdata/mariadb-10.11 from a sandbox of real mariadbd servers")

// fixtureExtra are variables recorded beyond the audited ones, for --expect tests.
var fixtureExtra = []string{"gtid_strict_mode", "binlog_row_image"}

// recordTopology is the seed's fault in three servers: masters m1 and m2
// replicating each other, m2 started without log_slave_updates, and r1, a
// replica of m2 left writable.
func recordTopology() sandbox.Topology {
	return sandbox.Topology{Servers: []sandbox.ServerSpec{
		{Name: "m1", ServerID: 1, Sources: []sandbox.Link{{Source: "m2"}}, LogBin: true,
			Cnf: []string{"auto_increment_increment=2", "auto_increment_offset=1", "gtid_domain_id=1"}},
		{Name: "m2", ServerID: 2, Sources: []sandbox.Link{{Source: "m1"}}, LogBin: true,
			Cnf: []string{"auto_increment_increment=2", "auto_increment_offset=2", "gtid_domain_id=2", "log_slave_updates=OFF"}},
		{Name: "r1", ServerID: 21, Sources: []sandbox.Link{{Source: "m2"}}},
	}}
}

// TestRecordMariaDBFixtures records, as the monitoring account sees them,
// the answers of real servers to every statement the plugin sends. Ports
// are rewritten to 3306, 3307, 3308 (and client ports to 50001...) so that
// recordings do not differ from run to run in them.
func TestRecordMariaDBFixtures(t *testing.T) {
	if !*record {
		t.Skip("run with -record to re-record testdata/mariadb-10.11 from real servers")
	}
	sb := sandbox.StartT(t, recordTopology())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ports := map[string]string{}
	for i, s := range sb.Servers() {
		ports[strconv.Itoa(s.Port)] = strconv.Itoa(3306 + i)
	}
	// Wait until each source serves its replicas (m1: m2; m2: m1 and r1).
	for _, want := range []struct {
		name  string
		dumps int
	}{{"m1", 1}, {"m2", 2}} {
		if err := sb.Server(want.name).WaitDumpThreads(ctx, want.dumps); err != nil {
			t.Fatal(err)
		}
	}
	for _, account := range []string{sandbox.MonitorUser, "root"} {
		recordAccount(ctx, t, sb, ports, account)
	}
}

// recordAccount records every server of sb as account sees it: the
// monitoring account into testdata/mariadb-10.11, root (who may run SHOW
// REPLICA HOSTS) into testdata/mariadb-10.11-root.
func recordAccount(ctx context.Context, t *testing.T, sb *sandbox.Sandbox, ports map[string]string, account string) {
	dir := filepath.Join("testdata", "mariadb-10.11")
	if account == "root" {
		dir += "-root"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	client := 50000
	clientPort := regexp.MustCompile(`^127\.0\.0\.1:(\d+)$`)
	for _, s := range sb.Servers() {
		var db *sql.DB
		var err error
		if account == "root" {
			db, err = s.RootDB()
		} else {
			db, err = sql.Open("mysql", s.MonitorDSN())
		}
		if err != nil {
			t.Fatal(err)
		}
		q := mysqlconn.SQL(db)
		id, err := server.Detect(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		fs := &fixtureServer{Name: s.Name, Addr: "127.0.0.1:" + ports[strconv.Itoa(s.Port)], Answers: map[string]fakedb.Result{}}
		stmts := []struct{ key, stmt string }{
			{server.DetectQuery, server.DetectQuery},
			{variablesSection, read.VariablesQuery(read.VariableNames(fixtureExtra))},
			{id.ReplicaStatusQuery(), id.ReplicaStatusQuery()},
			{id.ReplicaHostsQuery(), id.ReplicaHostsQuery()},
			{read.ProcesslistQuery, read.ProcesslistQuery},
			{id.MasterStatusQuery(), id.MasterStatusQuery()},
			{read.StatusQuery, read.StatusQuery},
			{read.BinaryLogsQuery, read.BinaryLogsQuery},
		}
		for i := 0; i < len(stmts); i++ {
			st := stmts[i]
			rs, err := q.Query(ctx, st.stmt)
			var se *query.ServerError
			switch {
			case errors.As(err, &se):
				me := &mysql.MySQLError{Number: se.Number, Message: se.Message}
				copy(me.SQLState[:], se.SQLState)
				fs.Answers[st.key] = fakedb.Result{Err: me}
			case err != nil:
				t.Fatalf("%s: %s: %v", s.Name, st.stmt, err)
			default:
				for _, row := range rs.Rows {
					for i, v := range row {
						if v == nil {
							continue
						}
						if p, ok := ports[*v]; ok && (rs.Columns[i] == "Value" || strings.HasSuffix(rs.Columns[i], "Port")) {
							row[i] = &p
						}
						if m := clientPort.FindStringSubmatch(*v); m != nil && rs.Columns[i] == "Host" {
							client++
							c := fmt.Sprintf("127.0.0.1:%d", client)
							row[i] = &c
						}
						if rs.Columns[i] == "Time" {
							zero := "0"
							row[i] = &zero
						}
					}
				}
				fs.Answers[st.key] = fakedb.Result{Columns: rs.Columns, Rows: rs.Rows}
			}
			fs.Order = append(fs.Order, st.key)
			if st.stmt == read.BinaryLogsQuery && err == nil && len(rs.Rows) > 0 && rs.Rows[0][0] != nil {
				stmts = append(stmts, struct{ key, stmt string }{read.BinlogStartQuery(*rs.Rows[0][0]), read.BinlogStartQuery(*rs.Rows[0][0])})
			}
		}
		if account != "root" {
			db.Close()
		}
		comment := fmt.Sprintf("Recorded by TestRecordMariaDBFixtures (go test -run TestRecordMariaDBFixtures -record)\n"+
			"from a sandbox server %q (%s) logged in as %q; ports rewritten, processlist Time zeroed.\n"+
			"Topology: m1 <-> m2 ring (m2 without log_slave_updates), r1 a writable replica of m2.",
			s.Name, id, account)
		if err := fs.Write(filepath.Join(dir, s.Name+".txt"), comment); err != nil {
			t.Fatal(err)
		}
	}
}
