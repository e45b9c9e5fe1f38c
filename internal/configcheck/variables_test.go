package configcheck

import (
	"github.com/replmon/replmon/internal/query"
	"strings"
	"testing"
)

func TestVariablesQuery(t *testing.T) {
	names := variableNames([]string{"Binlog_Format", "slave_parallel_threads", "bad name", "server_id"})
	q := VariablesQuery(names)
	if !strings.HasPrefix(q, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('auto_increment_increment', ") {
		t.Errorf("query %q", q)
	}
	for _, want := range []string{"'binlog_format'", "'slave_parallel_threads'", "'replica_parallel_threads'", "'log_replica_updates'", "'log_slave_updates'"} {
		if !strings.Contains(q, want) {
			t.Errorf("query lacks %s: %s", want, q)
		}
	}
	if strings.Contains(q, "bad name") || strings.Count(q, "'server_id'") != 1 {
		t.Errorf("query %q", q)
	}
}

func TestParseVariables(t *testing.T) {
	rs := &query.Result{Columns: []string{"Variable_name", "Value"}, Rows: [][]*string{{str("LOG_BIN"), str("ON")}, {str("report_host"), nil}}}
	vars, err := parseVariables(rs)
	if err != nil || vars["log_bin"] != "ON" || vars["report_host"] != "" || len(vars) != 2 {
		t.Errorf("%v %v", vars, err)
	}
	if _, err := parseVariables(&query.Result{Columns: []string{"a", "b"}}); err == nil || err.Error() != "SHOW GLOBAL VARIABLES: want columns Variable_name and Value, got a, b" {
		t.Errorf("error %v", err)
	}
}

func TestValues(t *testing.T) {
	for _, c := range []struct {
		got, want string
		same      bool
	}{{"ON", "1", true}, {"OFF", "yes", false}, {"ROW", "row", true}, {"1", "01", true}, {"2", "1", false}, {"MIXED", "ROW", false}} {
		if sameValue(c.got, c.want) != c.same {
			t.Errorf("sameValue(%q, %q) != %v", c.got, c.want, c.same)
		}
	}
	for _, s := range []string{"binlog_format", "=ROW", "bad name=1", "x;DROP=1"} {
		if _, err := ParseExpectation(s); err == nil {
			t.Errorf("ParseExpectation(%q) accepted", s)
		}
	}
	if x, err := ParseExpectation(" Binlog_Format = ROW "); err != nil || x != (Expectation{"binlog_format", "ROW"}) {
		t.Errorf("%+v %v", x, err)
	}
	for in, want := range map[string]Role{"master": RoleSource, "Slave": RoleReplica, "intermediate": RoleRelay, "multi-master": RoleRing, "auto": RoleAuto, "standalone": RoleStandalone} {
		if r, err := ParseRole(in); err != nil || r != want {
			t.Errorf("ParseRole(%q) = %v, %v", in, r, err)
		}
	}
	fixes := map[string]Fix{
		"fix: log_bin = mysql-bin in [mysqld] of my.cnf, then restart (the variable is not dynamic)":        {Cnf: "log_bin = mysql-bin", Restart: true},
		"fix: read_only = ON in [mysqld] of my.cnf; SET GLOBAL read_only = ON applies it without a restart": {Cnf: "read_only = ON", Now: "SET GLOBAL read_only = ON"},
		"fix: upgrade": {Advice: "upgrade"},
		"":             {},
	}
	for want, f := range fixes {
		if f.String() != want {
			t.Errorf("%+v: %q, want %q", f, f.String(), want)
		}
	}
}
