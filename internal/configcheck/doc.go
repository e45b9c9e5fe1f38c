// Package configcheck is check_repl_config: it audits the replication
// configuration of one MySQL or MariaDB server, or of a whole multi-master
// topology, before a missing line in my.cnf loses data: binary logging,
// log_slave_updates on relays and ring members, auto-increment spacing in
// rings, server_id uniqueness, read-only replicas and relays, crash
// safety, replication SSL, version order along each replication edge,
// errant transactions, GTID domains and modes, binary log retention,
// settings that skip conflicts, binary log formats, replication filters
// and site-pinned variables; --graph draws the topology.
//
// This package wires the flags to the three steps, each in its own
// package: read talks to the servers (SELECT and SHOW statements only)
// and builds a topology (the pure model of package topology: snapshots,
// replication edges, rings and roles); judge turns it into findings; render
// prints them. Judging and rendering are pure: house_test's
// TestJudgesArePure keeps them from reaching a server.
package configcheck
