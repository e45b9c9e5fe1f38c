package main

import (
	"fmt"
	"slices"
	"strings"
)

// serverRanges are the columns of the privilege tables: the server versions
// between which the privileges a statement needs changed. MariaDB 10.5
// split REPLICATION CLIENT and SUPER: SHOW SLAVE STATUS took REPLICATION
// SLAVE ADMIN, then from 10.5.9 SLAVE MONITOR (alias REPLICA MONITOR); SHOW
// SLAVE HOSTS took REPLICATION MASTER ADMIN and SHOW MASTER STATUS BINLOG
// MONITOR from 10.5.2.
var serverRanges = [3]string{
	"MariaDB 10.5.9 and later",
	"MariaDB 10.5.0 to 10.5.8",
	"MariaDB 10.4 and earlier, MySQL 5.x and 8.x",
}

// privilege is one thing a plugin reads and the privilege each of
// serverRanges asks for it: one row of the plugin's privilege table, in
// docs/INSTALL.md (generated) and in the man page's PRIVILEGES. The rows
// of the first range are verified against a real MariaDB (TestPrivileges).
type privilege struct {
	For     string    // what the plugin reads with it
	Grant   [3]string // per serverRanges; "" when that range needs nothing for it
	On      string    // "*.*" (a global privilege) or the objects
	When    string    // "" for the account every run needs; else the flag or "optional"
	Without string    // what the plugin does and says without it

	// For TestPrivileges, on the sandbox's MariaDB: the arguments that
	// exercise the row, the state without the grant and what the output
	// then says.
	Args       []string
	SourceOnly bool   // Args name the source alone, the replicas to be found from it
	State      string // "OK", "WARNING" or "UNKNOWN"
	Says       string
	// CoveredBy names the integration test that proves the row instead,
	// where the generic account test cannot set up what the row needs (a
	// backup running, a heartbeat table, replication by position):
	// "package/TestName", which must exist.
	CoveredBy string
}

// required reports whether every run needs the row's grant.
func (p privilege) required() bool { return p.When == "" }

// channelsGrant is what reading replica status needs, by serverRanges.
var channelsGrant = [3]string{"SLAVE MONITOR", "REPLICATION SLAVE ADMIN", "REPLICATION CLIENT"}

// The privilege tables of the three plugins (registry).
var (
	ioPrivileges = []privilege{
		{
			For:     "every replication channel: SHOW ALL SLAVES STATUS (MariaDB), SHOW REPLICA STATUS or SHOW SLAVE STATUS (MySQL)",
			Grant:   channelsGrant,
			On:      "*.*",
			Without: "UNKNOWN, naming the statement refused and the privilege the server asked for",
			State:   "UNKNOWN", Says: "SLAVE MONITOR privilege",
		},
		{
			For: "the sessions of a backup that stopped the SQL thread on purpose (mysqldump --dump-slave, " +
				"mariabackup --safe-slave-backup), in the processlist",
			Grant:     [3]string{"PROCESS", "PROCESS", "PROCESS"},
			On:        "*.*",
			When:      "optional",
			Without:   "the stopped SQL thread keeps its verdict and the long output says the backup search could not be made, naming PROCESS",
			CoveredBy: "check_repl_io/TestBackupStopsSQLThread",
		},
		{
			For: "the backup tools' program names (performance_schema.session_connect_attrs; performance_schema must be on, " +
				"which MariaDB's default is not)",
			Grant:     [3]string{"SELECT", "SELECT", "SELECT"},
			On:        "performance_schema.session_connect_attrs",
			When:      "optional",
			Without:   "backups are recognised by their statements or --backup-user only",
			CoveredBy: "check_repl_io/TestBackupStopsSQLThread",
		},
		{
			For:       "--heartbeat DB.TABLE: the pt-heartbeat table",
			Grant:     [3]string{"SELECT", "SELECT", "SELECT"},
			On:        "the heartbeat table, e.g. percona.heartbeat",
			When:      "with --heartbeat",
			Without:   "UNKNOWN: the heartbeat table cannot be read, with the GRANT that fixes it",
			CoveredBy: "check_repl_io/TestHeartbeat",
		},
		{
			For: "on a MySQL 5.7+ multi-threaded replica whose applier stopped, the failed worker's own error " +
				"(performance_schema.replication_applier_status_by_worker)",
			Grant:   [3]string{"", "", "SELECT"},
			On:      "performance_schema.replication_applier_status_by_worker",
			When:    "optional",
			Without: "the coordinator's message is shown and the long output names the missing grant",
		},
	}
	checksumPrivileges = []privilege{
		{
			For: "the tables: listing them and their columns in information_schema, CHECKSUM TABLE, " +
				"the rows method's hashes",
			Grant: [3]string{"SELECT", "SELECT", "SELECT"},
			On:    "the compared databases (or *.*)",
			Without: "UNKNOWN: on the source, the account \"cannot see the tables of the source\" with the GRANT that fixes it " +
				"(information_schema lists only the tables an account may read); on a replica, the refused table and SELECT",
			State: "UNKNOWN", Says: "has no SELECT privilege",
		},
		{
			For:   "each replica's replication channels, to know how it is fed (directly, through another server, as the other master of a ring)",
			Grant: channelsGrant,
			On:    "*.*",
			Without: "still compares, waiting for each replica to reach the source's GTID position; the replica's line says " +
				"its channels cannot be read and names the privilege",
			State: "OK", Says: "SLAVE MONITOR privilege",
		},
		{
			For: "the binary log file and position of the source and of the servers on a replica's way (SHOW MASTER STATUS / SHOW BINLOG STATUS), " +
				"to wait by position where GTIDs cannot say what was applied: channels replicating by file and position, or two masters writing one GTID domain",
			Grant:     [3]string{"BINLOG MONITOR", "BINLOG MONITOR", "REPLICATION CLIENT"},
			On:        "*.*",
			Without:   "where a difference has to be confirmed by position, UNKNOWN naming SHOW MASTER STATUS and the privilege",
			CoveredBy: "check_repl_checksum/TestWithoutBinlogMonitor",
		},
		{
			For:     "--lock: LOCK TABLES ... READ on the source while a table is compared",
			Grant:   [3]string{"LOCK TABLES", "LOCK TABLES", "LOCK TABLES"},
			On:      "the compared databases (or *.*)",
			When:    "with --lock",
			Without: "UNKNOWN: \"--lock needs the LOCK TABLES privilege on the source\", with the GRANT to give",
			Args:    []string{"--lock"},
			State:   "UNKNOWN", Says: "--lock needs the LOCK TABLES privilege",
		},
	}
	configPrivileges = []privilege{
		{
			For: "each server's binary log status (the filters it applies) and binary logs (SHOW BINARY LOGS: how long a replica can stay away, " +
				"and on MariaDB where the oldest starts, BINLOG_GTID_POS)",
			Grant:   [3]string{"BINLOG MONITOR", "BINLOG MONITOR", "REPLICATION CLIENT"},
			On:      "*.*",
			Without: "the binlog-retention and binary log filter rules are UNKNOWN, naming the privilege",
			State:   "UNKNOWN", Says: "BINLOG MONITOR",
		},
		{
			For:   "each server's replication channels: SHOW ALL SLAVES STATUS (MariaDB), SHOW REPLICA STATUS or SHOW SLAVE STATUS (MySQL)",
			Grant: channelsGrant,
			On:    "*.*",
			Without: "UNKNOWN for the rules that depend on the server's role (auto-increment, relay-log-recovery, version-order, ...), " +
				"naming the statement and the privilege",
			State: "UNKNOWN", Says: "SLAVE MONITOR privilege",
		},
		{
			For:   "the replicas a server feeds, from the Binlog Dump threads of SHOW PROCESSLIST (when SHOW SLAVE HOSTS is refused)",
			Grant: [3]string{"PROCESS", "PROCESS", "PROCESS"},
			On:    "*.*",
			Without: "UNKNOWN for log-bin and log-slave-updates where replicas cannot be seen: " +
				"the processlist shows an account only its own sessions, \"(needs PROCESS)\"",
			State: "UNKNOWN", Says: "the monitoring account lacks PROCESS",
		},
		{
			For: "SHOW REPLICA HOSTS / SHOW SLAVE HOSTS: the replicas' ports, which --discover follows " +
				"(on MariaDB 10.5.0 and 10.5.1, pre-releases, REPLICATION SLAVE)",
			Grant: [3]string{"REPLICATION MASTER ADMIN", "REPLICATION MASTER ADMIN", "REPLICATION SLAVE"},
			On:    "*.*",
			When:  "optional",
			Without: "counts the Binlog Dump threads instead (PROCESS); --discover then cannot follow replicas: WARNING " +
				"\"Discovery incomplete\" naming the privilege (--incomplete sets another state)",
			Args: []string{"--discover"}, SourceOnly: true,
			State: "WARNING", Says: "Discovery incomplete",
		},
	}
)

// accountGrants returns the privileges every run of every plugin needs on
// the servers of range r (an index of serverRanges), in a fixed order:
// the GRANT of the monitoring account.
func accountGrants(r int) []string {
	var out []string
	for _, e := range registry {
		for _, p := range e.Privileges {
			if p.required() && p.Grant[r] != "" && !slices.Contains(out, p.Grant[r]) {
				out = append(out, p.Grant[r])
			}
		}
	}
	order := []string{"SELECT", "PROCESS", "REPLICATION CLIENT", "BINLOG MONITOR", "REPLICATION SLAVE ADMIN", "SLAVE MONITOR"}
	slices.SortStableFunc(out, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) })
	return out
}

// Markers around the generated privilege tables in docs/INSTALL.md.
const (
	privilegesBegin = "<!-- privileges: generated from tools/manpage/privileges.go by `go test ./tools/manpage -update`; do not edit -->"
	privilegesEnd   = "<!-- end of privileges -->"
)

// privilegesMarkdown renders the privilege tables of every plugin and the
// GRANT of each server range, for docs/INSTALL.md.
func privilegesMarkdown() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	w("%s", privilegesBegin)
	w("The account every run needs, by server:")
	w("")
	w("```sql")
	for r, name := range serverRanges {
		w("-- %s", name)
		w("GRANT %s ON *.* TO 'monitor'@'192.0.2.10';", strings.Join(accountGrants(r), ", "))
	}
	w("```")
	w("")
	w("SELECT can be narrowed to the compared databases (`GRANT SELECT ON shop.* ...`), " +
		"then `check_repl_checksum` compares those only. What each plugin reads, and with which privilege:")
	for _, e := range registry {
		w("")
		w("#### %s", e.New().Name)
		w("")
		w("| Needed for | When | %s | On | Without it |", strings.Join(serverRanges[:], " | "))
		w("| --- | --- | --- | --- | --- | --- | --- |")
		for _, p := range e.Privileges {
			when := p.When
			if when == "" {
				when = "always"
			}
			var cols []string
			for _, g := range p.Grant {
				if g == "" {
					g = "—"
				} else {
					g = "`" + g + "`"
				}
				cols = append(cols, g)
			}
			w("| %s | %s | %s | %s | %s |", mdCell(p.For), when, strings.Join(cols, " | "), mdCell(p.On), mdCell(p.Without))
		}
	}
	w("%s", privilegesEnd)
	return b.String()
}

// mdCell makes text safe in a Markdown table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
