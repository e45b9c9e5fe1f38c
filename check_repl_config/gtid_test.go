package main

import (
	"strings"
	"testing"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// TestErrantTransactions runs the seed's layout with a binary log on every
// replica (so that a write on a replica gets a GTID of its own): writes on
// both masters are legitimate everywhere; a row written directly on m1r1
// (sql_log_bin=1) is an errant transaction, in topology and single-server
// mode alike.
func TestErrantTransactions(t *testing.T) {
	if testing.Short() {
		t.Skip("starts eight mariadbd servers")
	}
	e := newSeedEnv(t, sandbox.SeedBinlogs())
	e.exec(t, "m1", "CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer VARCHAR(40))",
		"INSERT INTO shop.orders (customer) VALUES ('ada'), ('bob')")
	e.replicated(t)
	e.exec(t, "m2", "INSERT INTO shop.orders (customer) VALUES ('cyd')")
	e.replicated(t)

	r := e.all(t)
	want(t, r, 0, "REPL_CONFIG OK - 8 servers audited: 0 critical, 0 warning (")
	r = e.all(t, "--full-output")
	want(t, r, 0, e.addr("m1r1")+" (server_id 11) MariaDB ")
	if r := e.all(t, "-vv"); !containsAll(r.Stderr, "OK [errant-transactions] "+e.addr("m2r3")+" (server_id 23): every GTID of its binary log state is also on a server upstream",
		"OK [gtid-domain] "+e.addr("m1")+" (server_id 1): gtid_domain_id 1 is its own among the 2 masters of its ring that take writes (gtid_strict_mode is OFF") {
		t.Errorf("passes not shown at -vv:\n%s", r.Stderr)
	}

	// A row written behind the masters' back, logged with a GTID of m1r1's own.
	e.exec(t, "m1r1", "SET SESSION sql_log_bin = 1", "INSERT INTO shop.orders (customer) VALUES ('errant')")
	r = e.all(t)
	want(t, r, 2, "REPL_CONFIG CRITICAL - 8 servers audited: 1 critical, 0 warning. Worst: [errant-transactions] "+e.addr("m1r1")+
		" (server_id 11): gtid_binlog_state holds 0-11-1 (domain 0, server_id 11: written on this server itself), which no server upstream ("+
		e.addr("m1")+" (server_id 1), "+e.addr("m2")+" (server_id 2)) has",
		"fix: find what they changed (mysqlbinlog on this server's binary logs, GTIDs 0-11-1)",
		"FLUSH BINARY LOGS DELETE_DOMAIN_ID = (0)",
		e.addr("m1r1")+" (server_id 11) replica [CRITICAL: errant-transactions]")
	want(t, e.one(t, "m1r1"), 2, "REPL_CONFIG CRITICAL - 1 server audited: 1 critical, 0 warning. Worst: [errant-transactions] "+e.addr("m1r1"))
	// Its own replicas do not exist, its siblings and the masters are clean.
	want(t, e.one(t, "m1r2"), 0, "REPL_CONFIG OK - 1 server audited")
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
