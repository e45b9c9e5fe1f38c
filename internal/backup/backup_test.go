package backup

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
	"github.com/replmon/replmon/internal/testkit/fakedb"
)

func s(v string) *string { return &v }

// processlist is a MariaDB 10.11 SHOW FULL PROCESSLIST as recorded on a
// sandbox replica while mariadb-dump --dump-slave and mariabackup ran
// (ids and times changed): replication IO thread, a dump, a sleeping
// backup session, a DBA, and the check's own session.
func processlist() *query.Result {
	cols := []string{"Id", "User", "Host", "db", "Command", "Time", "State", "Info", "Progress"}
	row := func(v ...*string) []*string { return v }
	return &query.Result{Columns: cols, Rows: [][]*string{
		row(s("4"), s("system user"), s(""), nil, s("Slave_IO"), s("90"), s("Waiting for master to send event"), nil, s("0.000")),
		row(s("10"), s("root"), s("localhost"), s("app"), s("Query"), s("0"), s("Sending data"), s("SELECT /*!40001 SQL_NO_CACHE */ `id`, `v` FROM `t`"), s("0.000")),
		row(s("13"), s("mariabackup"), s("localhost"), nil, s("Sleep"), s("1"), s(""), nil, s("0.000")),
		row(s("14"), s("mariabackup"), s("localhost"), nil, s("Query"), s("0"), s("starting"), s("BACKUP STAGE FLUSH"), s("0.000")),
		row(s("15"), s("dba"), s("localhost"), nil, s("Sleep"), s("30"), s(""), nil, s("0.000")),
		row(s("16"), s("dumper"), s("localhost"), s("app"), s("Sleep"), s("0"), s(""), nil, s("0.000")),
		row(s("20"), s("monitor"), s("127.0.0.1:51234"), nil, s("Query"), s("0"), s("starting"), s("SHOW FULL PROCESSLIST"), s("0.000")),
	}}
}

func TestFind(t *testing.T) {
	got, err := Find(processlist(), map[int64]string{16: "mysqldump", 15: "mysql"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var whys []string
	for _, b := range got.Backups {
		whys = append(whys, b.Describe())
	}
	want := []string{
		"session 10 of root@localhost (runs SELECT /*!40001 SQL_NO_CACHE */ `id`, `v` FROM `t`, in app, Query for 0s)",
		"session 14 of mariabackup@localhost (runs BACKUP STAGE FLUSH, Query for 0s)",
		"session 16 of dumper@localhost (program_name mysqldump, in app, Sleep for 0s)",
	}
	if !reflect.DeepEqual(whys, want) || !got.SeesOthers {
		t.Errorf("backups %q (sees others %v), want %q", whys, got.SeesOthers, want)
	}
	// A --backup-user account counts even while its session sleeps.
	got, _ = Find(processlist(), nil, []string{"mariabackup"})
	if len(got.Backups) != 3 || got.Backups[1].ID != 13 || got.Backups[1].Why != "account mariabackup is a --backup-user" {
		t.Errorf("%+v", got.Backups)
	}
}

// TestFindOwnSessionsOnly: without PROCESS only the account's own session shows.
func TestFindOwnSessionsOnly(t *testing.T) {
	pl := processlist()
	pl.Rows = pl.Rows[len(pl.Rows)-1:]
	got, err := Find(pl, nil, nil)
	if err != nil || got.SeesOthers || len(got.Backups) != 0 {
		t.Errorf("%+v %v", got, err)
	}
	if _, err := Find(&query.Result{Columns: []string{"Id"}}, nil, nil); err == nil {
		t.Error("a result without User and Info was accepted")
	}
}

func TestProgramNamesStatement(t *testing.T) {
	for _, tt := range []struct {
		version, comment string
		want             string
	}{
		{"5.6.5", "", ""}, {"5.6.6", "", ProgramNamesQuery}, {"8.4.0", "", ProgramNamesQuery},
		{"5.7.44-48", "Percona Server (GPL), Release 48", ProgramNamesQuery},
		{"5.5.68-MariaDB", "", ""}, {"10.0.38-MariaDB", "", ProgramNamesQuery}, {"10.11.6-MariaDB", "", ProgramNamesQuery},
	} {
		id, err := server.Parse(tt.version, tt.comment)
		if err != nil {
			t.Fatal(err)
		}
		if got := ProgramNamesStatement(id); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.version, got, tt.want)
		}
	}
}

// TestRead sends the processlist, then the program names; a refusal of
// the program names leaves the statements to tell, a refusal of the
// processlist is an error naming the privilege.
func TestRead(t *testing.T) {
	id, _ := server.Parse("10.11.6-MariaDB", "")
	pl := processlist()
	denied := &query.ServerError{Number: 1142, SQLState: "42000", Message: "SELECT command denied to user 'monitor'@'localhost' for table `performance_schema`.`session_connect_attrs`"}
	srv := fakedb.New(map[string]fakedb.Result{
		ProcesslistQuery:  {Columns: pl.Columns, Rows: pl.Rows},
		ProgramNamesQuery: {Err: denied},
	})
	got, err := Read(context.Background(), srv, id, nil)
	var ae *query.AccessError
	if err != nil || len(got.Backups) != 2 || got.Programs || !errors.As(got.ProgramErr, &ae) {
		t.Errorf("%+v %v", got, err)
	}
	if q := srv.Queries(); !reflect.DeepEqual(q, []string{ProcesslistQuery, ProgramNamesQuery}) {
		t.Errorf("sent %q", q)
	}
	srv = fakedb.New(map[string]fakedb.Result{ProcesslistQuery: {Err: &query.ServerError{Number: 1227, SQLState: "42000",
		Message: "Access denied; you need (at least one of) the PROCESS privilege(s) for this operation"}}})
	if _, err := Read(context.Background(), srv, id, nil); !errors.As(err, &ae) || ae.Missing != "PROCESS" {
		t.Errorf("refused processlist: %v", err)
	}
}
