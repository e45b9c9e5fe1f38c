package read

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/replmon/replmon/internal/configcheck/topology"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/server"
)

// auditedVariables are the global variables the rules read. The statement
// asks for all of them at once; a server returns only those it has, so the
// same list fits MySQL 5.1 to 8.4 and MariaDB.
var auditedVariables = []string{
	"server_id", "server_uuid", "hostname", "port", "report_host", "report_port",
	"log_bin", server.LogSlaveUpdates, server.LogReplicaUpdates, "binlog_format",
	"auto_increment_increment", "auto_increment_offset",
	"read_only", "super_read_only",
	"relay_log_recovery", "relay_log_info_repository",
	"sync_binlog", "innodb_flush_log_at_trx_commit",
	// GTIDs: MySQL sets and modes, MariaDB positions and domains.
	"gtid_mode", "enforce_gtid_consistency", "gtid_executed", "gtid_purged",
	"gtid_domain_id", "gtid_strict_mode", "gtid_binlog_pos", "gtid_binlog_state", "gtid_current_pos", "gtid_slave_pos",
	// Binary log retention.
	"expire_logs_days", "binlog_expire_logs_seconds", "binlog_expire_logs_auto_purge",
	"max_binlog_total_size", "binlog_space_limit", "slave_connections_needed_for_purge",
	// Settings that hide or cause drift.
	"slave_exec_mode", "replica_exec_mode", "slave_skip_errors", "replica_skip_errors",
	"sql_slave_skip_counter", "sql_replica_skip_counter",
}

// VariableNames returns the audited variables plus extra ones (from
// --expect) and their aliases, sorted and without duplicates.
func VariableNames(extra []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		n = strings.ToLower(n)
		if !seen[n] && topology.ValidVariableName(n) {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, n := range auditedVariables {
		add(n)
	}
	for _, n := range extra {
		add(n)
		for _, a := range topology.VariableAliases(strings.ToLower(n)) {
			add(a)
		}
	}
	sort.Strings(out)
	return out
}

// VariablesQuery returns the one statement that reads the given variables.
func VariablesQuery(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "'" + n + "'"
	}
	return "SHOW GLOBAL VARIABLES WHERE Variable_name IN (" + strings.Join(quoted, ", ") + ")"
}

// readVariables runs VariablesQuery and returns the variables by lower-case name.
func readVariables(ctx context.Context, q query.Runner, names []string) (map[string]string, error) {
	stmt := VariablesQuery(names)
	rs, err := q.Query(ctx, stmt)
	if err != nil {
		return nil, fmt.Errorf("SHOW GLOBAL VARIABLES: %w", query.Explain(err))
	}
	return parseVariables(rs)
}

// parseVariables reads a SHOW VARIABLES result (Variable_name, Value).
func parseVariables(rs *query.Result) (map[string]string, error) {
	name, value := rs.Column("Variable_name"), rs.Column("Value")
	if name < 0 || value < 0 {
		return nil, fmt.Errorf("SHOW GLOBAL VARIABLES: want columns Variable_name and Value, got %s", strings.Join(rs.Columns, ", "))
	}
	vars := make(map[string]string, len(rs.Rows))
	for _, row := range rs.Rows {
		n, ok := query.Value(row, name)
		if !ok {
			continue
		}
		v, _ := query.Value(row, value)
		vars[strings.ToLower(n)] = v
	}
	return vars, nil
}
