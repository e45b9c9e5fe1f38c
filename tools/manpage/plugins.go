package main

import (
	"github.com/replmon/replmon/internal/checksum"
	"github.com/replmon/replmon/internal/cli"
	"github.com/replmon/replmon/internal/configcheck"
	"github.com/replmon/replmon/internal/iocheck"
)

// entry is one plugin of the suite with what its man page tells beyond
// its flags. TestEveryPluginRegistered fails when a check_repl_*/main.go
// has no entry here.
type entry struct {
	New func() cli.Plugin // the constructor its main.go passes to cli.Main
	// Examples are command lines a Nagios admin would write; the tests
	// parse each with the plugin's own flag definitions.
	Examples []example
	// Privileges is what the plugin reads with which privilege, per
	// server version (privileges.go).
	Privileges []privilege
}

// example is one invocation shown in EXAMPLES.
type example struct {
	Text string   // what it does, one sentence
	Args []string // the arguments after the program name
}

// registry lists the plugins in the order their pages are written.
var registry = []entry{
	{
		New: iocheck.Plugin,
		Examples: []example{
			{"Every replication channel of the local replica, the account read from an option file:",
				[]string{defaultsFlag}},
			{"A remote replica that must replicate from db1 over TLS, WARNING after two minutes of lag and CRITICAL after ten:",
				[]string{"-H", "db2.example.net", defaultsFlag,
					"--expect-source", "db1.example.net:3306", "--require-ssl", "-w", "120", "-c", "600"}},
			{"A replica delayed on purpose by an hour (MASTER_DELAY=3600), judged on the lag beyond that delay:",
				[]string{"-H", "db-delayed.example.net", defaultsFlag, "--subtract-delay"}},
			{"A replica of a replica, judged on the true lag from each master of the ring, read from the table pt-heartbeat --update --utc writes on them:",
				[]string{"-H", "db-m2r1.example.net", defaultsFlag,
					"--heartbeat", "percona.heartbeat", "--heartbeat-utc", "-w", "30", "-c", "120"}},
			{"A replica backed up nightly with mysqldump --dump-slave or mariabackup --safe-slave-backup (run as the account backup): WARNING, not CRITICAL, while the backup holds the SQL thread stopped:",
				[]string{"-H", "db-m1r3.example.net", defaultsFlag, "--during-backup=warning", "--backup-user", "backup"}},
		},
		Privileges: ioPrivileges,
	},
	{
		New: checksum.Plugin,
		Examples: []example{
			{"Every user database of master db-m1 against its three replicas and the other master of the ring:",
				[]string{"-H", "db-m1.example.net", defaultsFlag,
					"--replica", "db-m1r1.example.net", "--replica", "db-m1r2.example.net",
					"--replica", "db-m1r3.example.net", "--replica", "db-m2.example.net"}},
			{"One database, skipping a table of sessions that is written all the time, with more time to finish:",
				[]string{"-H", "db-m1.example.net", defaultsFlag, "-d", "shop",
					"--exclude", "shop.sessions", "--replica", "db-m1r1.example.net", "-t", "50"}},
			{"A definitive verdict on a busy table, briefly stalling its writers with LOCK TABLES ... READ:",
				[]string{"-H", "db-m1.example.net", defaultsFlag, "--table", "shop.orders",
					"--lock", "--replica", "db-m1r1.example.net"}},
			{"Terabytes in cycles of runs of 50 seconds, each continuing where the last stopped (state in /var/lib/replmon-plugins/db-m1-data), " +
				"WARNING when a cycle takes more than a day and CRITICAL beyond three:",
				[]string{"-H", "db-m1.example.net", defaultsFlag, "--state-file", "db-m1-data", "-t", "50",
					"--max-cycle-age", "1d,3d", "--replica", "db-m1r1.example.net", "--replica", "db-m2.example.net"}},
		},
		Privileges: checksumPrivileges,
	},
	{
		New: configcheck.Plugin,
		Examples: []example{
			{"The configuration of one server, judged in the role it has:",
				[]string{"-H", "db-m1.example.net", defaultsFlag}},
			{"The whole topology of two masters replicating each other, their replicas found from them:",
				[]string{defaultsFlag, "--server", "db-m1.example.net",
					"--server", "db-m2.example.net", "--discover"}},
			{"Also require durable settings and row-based binary logging everywhere:",
				[]string{defaultsFlag, "--server", "db-m1.example.net", "--discover",
					"--durability", "--expect", "binlog_format=ROW"}},
			{"Two sites whose link may stay down over a weekend: WARNING when a replica could not survive three days away, CRITICAL under one:",
				[]string{"--defaults-file=/etc/nagios/replmon.cnf", "--server", "db-m1.example.net", "--server", "db-m2.example.net", "--discover",
					"--retention-warning", "3d", "--retention-critical", "1d"}},
		},
		Privileges: configPrivileges,
	},
}

// plugins returns the registered plugins.
func plugins() []cli.Plugin {
	out := make([]cli.Plugin, len(registry))
	for i, e := range registry {
		out[i] = e.New()
	}
	return out
}
