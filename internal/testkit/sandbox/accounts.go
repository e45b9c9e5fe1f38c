package sandbox

import (
	"fmt"
	"strings"
)

// Account names and passwords present on every sandbox server.
const (
	MonitorUser     = "monitor"        // account the check plugins log in with
	MonitorPassword = "monitor-secret" // password of MonitorUser
	ReplUser        = "repl"           // account replicas log in to their source with
	ReplPassword    = "repl-secret"    // password of ReplUser
)

// MonitorGrants is the least set of global privileges the plugins need,
// granted ON *.* to monitor@127.0.0.1 and monitor@localhost: exactly the
// account docs/INSTALL.md documents for MariaDB 10.5.9 and later (the
// privilege tables of tools/manpage/privileges.go; TestSandboxAccount
// there fails when they differ), so that every integration test runs with
// what an administrator grants:
//
//   - SELECT: CHECKSUM TABLE and reading the tables and information_schema
//     rows that check_repl_checksum compares.
//   - PROCESS: SHOW PROCESSLIST beyond the account's own threads (the
//     Binlog Dump threads check_repl_config finds replicas from).
//   - BINLOG MONITOR: SHOW MASTER STATUS / SHOW BINLOG STATUS, the binary
//     log position check_repl_checksum waits on where GTIDs cannot tell
//     (MariaDB 10.5.2+).
//   - SLAVE MONITOR: SHOW [ALL] SLAVE STATUS (MariaDB 10.5.9+).
//
// A plugin that comes to need more gets a row in that table first, then
// the grant here.
var MonitorGrants = []string{"SELECT", "PROCESS", "BINLOG MONITOR", "SLAVE MONITOR"}

// bootstrapSQL returns the statements run once while building the template
// data directory. mariadb-install-db runs them without a binary log; the
// sql_log_bin=0 only makes that explicit.
func bootstrapSQL() string {
	grants := strings.Join(MonitorGrants, ", ")
	stmts := []string{
		"SET sql_log_bin=0",
		// root only through the unix socket, and no host-name accounts
		// (skip-name-resolve would ignore them with a warning).
		"DELETE FROM mysql.global_priv WHERE Host <> 'localhost'",
		"DELETE FROM mysql.proxies_priv WHERE Host <> 'localhost'",
		"FLUSH PRIVILEGES",
		fmt.Sprintf("CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s'", MonitorUser, MonitorPassword),
		fmt.Sprintf("CREATE USER '%s'@'localhost' IDENTIFIED BY '%s'", MonitorUser, MonitorPassword),
		fmt.Sprintf("GRANT %s ON *.* TO '%s'@'127.0.0.1', '%s'@'localhost'", grants, MonitorUser, MonitorUser),
		fmt.Sprintf("CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s'", ReplUser, ReplPassword),
		fmt.Sprintf("GRANT REPLICATION SLAVE ON *.* TO '%s'@'127.0.0.1'", ReplUser),
	}
	return strings.Join(stmts, ";\n") + ";\n"
}
