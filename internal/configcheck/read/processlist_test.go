package read

import (
	"context"
	"testing"

	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

func TestParseProcesslist(t *testing.T) {
	cols := []string{"Id", "User", "Host", "db", "Command", "Time", "State", "Info"}
	row := func(user, host, cmd, info string) []*string {
		var i *string
		if info != "" {
			i = str(info)
		}
		return []*string{str("1"), str(user), str(host), nil, str(cmd), str("0"), str(""), i}
	}
	rs := &query.Result{Columns: cols, Rows: [][]*string{
		row("repl", "10.0.0.5:51234", "Binlog Dump GTID", ""),
		row("repl", "[::1]:4000", "Binlog Dump", ""),
		row("nagios", "10.9.9.9:1", "Query", "SHOW PROCESSLIST"),
	}}
	dumps, others, err := parseProcesslist(rs, "monitor")
	if err != nil || len(dumps) != 2 || dumps[0].Host != "10.0.0.5" || dumps[1].Host != "::1" || dumps[0].Command != "Binlog Dump GTID" || !others {
		t.Errorf("%+v %v %v", dumps, others, err)
	}
	// Only the account's own session: PROCESS is missing or nobody else is there.
	rs.Rows = rs.Rows[2:]
	if dumps, others, _ := parseProcesslist(rs, "monitor"); len(dumps) != 0 || others {
		t.Errorf("%+v %v", dumps, others)
	}
	if _, _, err := parseProcesslist(&query.Result{Columns: []string{"Id"}}, "u"); err == nil {
		t.Error("no error for a result without User, Host and Command")
	}
	for in, want := range map[string]string{"h:1": "h", "h": "h", "h:": "h:", "::1:36428": "::1", "[fe80::1]:33": "fe80::1", "h:x": "h:x"} {
		if got := clientHost(in); got != want {
			t.Errorf("clientHost(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestIdleProcesslist: a processlist that shows only the account's own
// session is not taken for a missing PROCESS when the account holds it.
func TestIdleProcesslist(t *testing.T) {
	own := &query.Result{Columns: []string{"Id", "User", "Host", "db", "Command", "Time", "State", "Info"},
		Rows: [][]*string{{str("9"), str("monitor"), str("10.9.9.9:1"), nil, str("Query"), str("0"), str(""), str(ProcesslistQuery)}}}
	id, _ := server.Parse("10.11.6-MariaDB", "")
	denied := &query.ServerError{Number: 1227, Message: "Access denied; you need (at least one of) the REPLICATION MASTER ADMIN privilege(s) for this operation"}
	for _, tc := range []struct {
		grants *query.Result
		want   bool
	}{
		{&query.Result{Columns: []string{"PRIVILEGE_TYPE"}, Rows: [][]*string{{str("PROCESS")}}}, true},
		{&query.Result{Columns: []string{"PRIVILEGE_TYPE"}}, false},
		{nil, false}, // the question cannot be asked: as before, unknown
	} {
		q := &script{answers: map[string]*query.Result{ProcesslistQuery: own, ProcessPrivilegeQuery: tc.grants},
			errs: map[string]error{"SHOW REPLICA HOSTS": denied}}
		r := readReplicas(context.Background(), q, id, "monitor")
		if ok, why := r.Complete(); r.OthersVisible != tc.want || ok != tc.want || r.Err != nil {
			t.Errorf("grants %v: visible %v, complete %v (%s), err %v", tc.grants, r.OthersVisible, ok, why, r.Err)
		}
	}
}
