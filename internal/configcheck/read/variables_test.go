package read

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/query"
)

func TestVariablesQuery(t *testing.T) {
	names := VariableNames([]string{"Binlog_Format", "slave_parallel_threads", "bad name", "server_id"})
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

func str(s string) *string { return &s }
