package configcheck

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

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
}

// variableName is what a variable name may look like; names are put into
// the statement literally, so nothing else is accepted.
var variableName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// ValidVariableName reports whether name (lower case) can be a server variable.
func ValidVariableName(name string) bool { return variableName.MatchString(name) }

// variableAliases maps a variable to its other spelling (MySQL 8.0.26
// renamed master/slave variables to source/replica), so --expect accepts
// either on every server.
func variableAliases(name string) []string {
	var out []string
	for _, p := range [][2]string{{"slave", "replica"}, {"master", "source"}} {
		if strings.Contains(name, p[0]) {
			out = append(out, strings.ReplaceAll(name, p[0], p[1]))
		}
		if strings.Contains(name, p[1]) {
			out = append(out, strings.ReplaceAll(name, p[1], p[0]))
		}
	}
	return out
}

// variableNames returns the audited variables plus extra ones (from
// --expect) and their aliases, sorted and without duplicates.
func variableNames(extra []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		n = strings.ToLower(n)
		if !seen[n] && ValidVariableName(n) {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, n := range auditedVariables {
		add(n)
	}
	for _, n := range extra {
		add(n)
		for _, a := range variableAliases(strings.ToLower(n)) {
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

// parseBool reads a boolean variable as servers print it (ON/OFF, 1/0, YES/NO).
func parseBool(v string) (bool, bool) {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "ON", "1", "YES", "TRUE":
		return true, true
	case "OFF", "0", "NO", "FALSE":
		return false, true
	}
	return false, false
}

// parseInt reads a numeric variable.
func parseInt(v string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n, err == nil
}

// sameValue compares a variable's value with the one a site expects:
// booleans by meaning (ON = 1 = YES), everything else ignoring case.
func sameValue(got, want string) bool {
	if g, ok := parseBool(got); ok {
		if w, ok := parseBool(want); ok {
			return g == w
		}
	}
	if g, ok := parseInt(got); ok {
		if w, ok := parseInt(want); ok {
			return g == w
		}
	}
	return strings.EqualFold(strings.TrimSpace(got), strings.TrimSpace(want))
}
