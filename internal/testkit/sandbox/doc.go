// Package sandbox starts and stops real mariadbd processes on 127.0.0.1 for
// integration tests and demos.
//
// A Sandbox is one short temporary directory under /tmp holding, per server,
// a data directory copied from a cached mariadb-install-db template, a
// my.cnf (mariadbd runs with --defaults-file, so /etc/mysql is never read),
// a unix socket, a pid file and an error log. Servers start in parallel, are
// awaited by pinging their socket, and replication is wired with GTID
// (MASTER_USE_GTID=slave_pos), or by binary log position for a Link with
// Positions (SeedPositions), before Start returns.
//
// Every server carries the same accounts, created while building the
// template, where no binary log exists, so they never replicate:
//
//	root@localhost            no password, unix socket only (RootDB, Exec)
//	monitor@127.0.0.1         MonitorPassword, GRANT <MonitorGrants> ON *.*
//	monitor@localhost         MonitorPassword, GRANT <MonitorGrants> ON *.*
//	repl@127.0.0.1            ReplPassword, GRANT REPLICATION SLAVE ON *.*
//
// The root accounts for 127.0.0.1, ::1 and the host name that
// mariadb-install-db creates are dropped: root is reachable through the
// socket only.
//
// Typical test:
//
//	sb := sandbox.StartT(t, sandbox.Pair()) // stopped by t.Cleanup
//	if err := sb.Server("m1").Exec(ctx, "CREATE DATABASE d", "CREATE TABLE d.t (id INT PRIMARY KEY)"); err != nil {
//		t.Fatal(err)
//	}
//	if err := sb.WaitReplicated(ctx); err != nil {
//		t.Fatal(err)
//	}
//	db, err := sql.Open("mysql", sb.Server("r1").MonitorDSN())
//
// Every mariadbd runs in its own process group and receives SIGKILL if the
// process that started it dies, so an interrupted test run leaves no server
// behind (only its temporary directory).
package sandbox
