package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// TestSeedBinlogs runs the seed's layout with a binary log on every
// replica (so that a write on a replica gets a GTID of its own).
//
// Errant transactions: writes on both masters are legitimate everywhere; a
// row written directly on m1r1 (sql_log_bin=1) is an errant transaction,
// in topology and single-server mode alike.
//
// Binary log retention: m1r2 stopped while m1 wrote, rotated and purged its
// binary logs needs transactions m1 no longer has (CRITICAL before it
// reconnects and fails); replicas of a source that keeps binary logs an
// hour can stay disconnected an hour.
func TestSeedBinlogs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts eight mariadbd servers")
	}
	e := newSeedEnv(t, sandbox.SeedBinlogs())
	e.exec(t, "m1", "CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer VARCHAR(40))",
		"INSERT INTO shop.orders (customer) VALUES ('ada'), ('bob')")
	e.replicated(t)
	e.exec(t, "m2", "INSERT INTO shop.orders (customer) VALUES ('cyd')")
	e.replicated(t)

	t.Run("errant transactions", func(t *testing.T) {
		r := e.all(t)
		want(t, r, 0, "REPL_CONFIG OK - 8 servers audited: 0 critical, 0 warning (")
		r = e.all(t, "--full-output")
		want(t, r, 0, e.addr("m1r1")+" (server_id 11) MariaDB ")
		if r := e.all(t, "-vv"); !containsAll(r.Stderr, "OK [errant-transactions] "+e.addr("m2r3")+" (server_id 23): every GTID of its binary log state is also on a server upstream",
			"OK [gtid-domain] "+e.addr("m1")+" (server_id 1): gtid_domain_id 1 is its own among the 2 masters of its ring that take writes (gtid_strict_mode is OFF") {
			t.Errorf("passes not shown at -vv:\n%s", r.Stderr)
		}

		// A row written behind the masters' back, logged with a GTID of m1r1's own.
		e.exec(t, "m1r1", "SET SESSION sql_log_bin = 1", "INSERT INTO shop.orders (id, customer) VALUES (1000, 'errant')")
		r = e.all(t)
		want(t, r, 2, "REPL_CONFIG CRITICAL - 8 servers audited: 1 critical, 0 warning. Worst: [errant-transactions] "+e.addr("m1r1")+
			" (server_id 11): gtid_binlog_state holds 0-11-1 (domain 0, server_id 11: written on this server itself), which no server upstream ("+
			e.addr("m1")+" (server_id 1), "+e.addr("m2")+" (server_id 2)) has",
			"fix: find what they changed (mysqlbinlog on this server's binary logs, GTIDs 0-11-1)",
			"FLUSH BINARY LOGS DELETE_DOMAIN_ID = (0)",
			e.addr("m1r1")+" (server_id 11) replica [CRITICAL: errant-transactions]")
		want(t, e.one(t, "m1r1"), 2, "REPL_CONFIG CRITICAL - 1 server audited: 1 critical, 0 warning. Worst: [errant-transactions] "+e.addr("m1r1"))
		// Its siblings and the masters are clean.
		want(t, e.one(t, "m1r2"), 0, "REPL_CONFIG OK - 1 server audited")
		// The fix for a replica nothing replicates from: RESET MASTER.
		e.exec(t, "m1r1", "RESET MASTER")
		want(t, e.one(t, "m1r1"), 0, "REPL_CONFIG OK - 1 server audited")
	})

	t.Run("binlog retention", func(t *testing.T) {
		// m2 keeps its binary logs an hour: its replicas, reading the one
		// it writes now, can stay away an hour.
		e.exec(t, "m2", "SET GLOBAL binlog_expire_logs_seconds = 3600")
		defer e.exec(t, "m2", "SET GLOBAL binlog_expire_logs_seconds = 0")
		r := e.all(t, "--retention-critical", "30m")
		// m1 and m2's three replicas: one finding, word for word, on four servers.
		want(t, r, 1, "REPL_CONFIG WARNING - 8 servers audited: 0 critical, 4 warning. Worst: [binlog-retention] "+e.addr("m1")+" (server_id 1): replication from "+e.addr("m2")+
			" (server_id 2) can stay disconnected at least 1h more: it needs the binary log mysqld-bin.000001 of "+e.addr("m2")+" (server_id 2) (the one it writes now), "+
			"which it deletes 1h after it is rotated (binlog_expire_logs_seconds 3600), below --retention-warning 12h",
			"\nWARNING [binlog-retention] on 4 servers (server_id 1, 21-23): replication from "+e.addr("m2"),
			"fix: on "+e.addr("m2")+": binlog_expire_logs_seconds = 86400 in [mysqld] of its my.cnf (SET GLOBAL binlog_expire_logs_seconds = 86400 applies it now)",
			" retention=3600s;43200:;1800:;0")
		want(t, e.one(t, "m2r1"), 2, "REPL_CONFIG CRITICAL - 1 server audited: 1 critical, 0 warning. Worst: [binlog-retention] "+e.addr("m2r1"),
			"below --retention-critical 2h")

		// m1r2 stops; m1 writes, rotates and purges what m1r2 still needs.
		e.exec(t, "m1r2", "STOP SLAVE")
		e.exec(t, "m1", "INSERT INTO shop.orders (customer) VALUES ('dee')", "FLUSH BINARY LOGS",
			"INSERT INTO shop.orders (customer) VALUES ('eve')", "FLUSH BINARY LOGS")
		e.replicated(t)
		// A source does not purge a binary log a dump thread still reads:
		// wait until m1 no longer serves m1r2 (m2, m1r1 and m1r3 remain).
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := e.sb.Server("m1").WaitDumpThreads(ctx, 3); err != nil {
			t.Fatal(err)
		}
		// Nor one whose transactions InnoDB has not yet made durable (the
		// binary log checkpoint follows within a second or so): try again.
		oldest := ""
		for deadline := time.Now().Add(20 * time.Second); oldest != "mysqld-bin.000003" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			e.exec(t, "m1", "PURGE BINARY LOGS TO 'mysqld-bin.000003'")
			var err error
			if oldest, err = e.sb.Server("m1").QueryString(ctx, "SHOW BINARY LOGS"); err != nil {
				t.Fatal(err)
			}
		}
		if oldest != "mysqld-bin.000003" {
			t.Fatalf("m1's oldest binary log is still %s", oldest)
		}
		r = e.one(t, "m1r2")
		want(t, r, 2, "REPL_CONFIG CRITICAL - 1 server audited: 1 critical, 0 warning. Worst: [binlog-retention] "+e.addr("m1r2")+" (server_id 12): replication from "+
			e.addr("m1")+" (server_id 1) is by GTID, and the oldest binary log of "+e.addr("m1")+", mysqld-bin.000003, starts at ",
			"the transactions between are purged, and replication stops with error 1236 when it reconnects",
			"fix: rebuild this replica from a fresh copy of "+e.addr("m1"))
		want(t, e.all(t), 2, e.addr("m1r2")+" (server_id 12) replica [CRITICAL: binlog-retention]")
		// The replicas still connected do not need what was purged.
		want(t, e.one(t, "m1r3"), 0, "REPL_CONFIG OK - 1 server audited")
	})
}

// TestSharedGTIDDomain runs the seed's layout with both masters in
// gtid_domain_id 0: both take writes and replicate each other with GTID.
func TestSharedGTIDDomain(t *testing.T) {
	if testing.Short() {
		t.Skip("starts eight mariadbd servers")
	}
	e := newSeedEnv(t, sandbox.SeedSharedDomain())
	r := e.all(t)
	want(t, r, 1, "REPL_CONFIG WARNING - 8 servers audited: 0 critical, 1 warning. Worst: [gtid-domain] "+e.addr("m1")+
		" (server_id 1): gtid_domain_id 0 is also the domain of "+e.addr("m2")+" (server_id 2), and these masters of one ring both take writes (read_only OFF) "+
		"and replicate each other with GTID: MariaDB numbers a domain's transactions as one sequence",
		"(gtid_strict_mode is OFF: GTIDs out of order pass unnoticed)",
		"fix: gtid_domain_id = <a number of its own for each master, e.g. its server_id> in [mysqld] of my.cnf; SET GLOBAL gtid_domain_id = <that number> applies it without a restart")
	// With one master read-only, only one takes writes.
	e.exec(t, "m2", "SET GLOBAL read_only = ON")
	defer e.exec(t, "m2", "SET GLOBAL read_only = OFF")
	want(t, e.all(t), 0, "REPL_CONFIG OK - 8 servers audited")
}

// containsAll reports whether s has every fragment.
func containsAll(s string, fragments ...string) bool {
	for _, f := range fragments {
		if !strings.Contains(s, f) {
			return false
		}
	}
	return true
}
