// Package checksum is check_repl_checksum: it compares the contents of
// tables between a source and its replicas (direct replicas, replicas of
// replicas, the other master of a ring) and reports only differences it
// has confirmed, while writes keep flowing.
//
// The check reads, judges and renders in packages of their own:
//
//   - servers talks to the servers: sessions, identities and replication
//     facts, routes through intermediate servers, coordinates and waits,
//     the table lock of --lock;
//   - read reads the tables: information_schema, and one Method per way of
//     summing a table (CHECKSUM TABLE, the rows method, the column list);
//   - judge is pure: the comparison engine that settles a difference
//     (below), the choice of method, the selection of tables, and the
//     differences of rows and columns;
//   - render is pure: the plugin output of the outcome;
//   - plan is pure: the tables and the text of the statements.
//
// This package wires them: the flags and options (plugin.go, options.go),
// the run (run.go), the comparison of every table on every replica
// through the judge's engine (compare.go, with the engine's sides made
// from the reader in sides.go), and the listing of differing keys
// (keys.go).
//
// # Writes in flight
//
// A table is split into units: the whole table for CHECKSUM TABLE, or chunks
// along the primary key for the rows method. For each table the source and
// every replica are checksummed at the same time; equal sums prove the unit
// in sync and end the work for it. A unit that differs is settled per
// replica:
//
//  1. S is the source's sum and C the source's replication coordinates read
//     after S was complete (the source's state at S is at most C).
//  2. The replica is made to reach C (MASTER_GTID_WAIT,
//     WAIT_FOR_EXECUTED_GTID_SET or MASTER_POS_WAIT, hop by hop through
//     intermediate servers, each wait bounded), then X, its sum, is read.
//     X equal to S: in sync.
//  3. The source is made to reach the replica's own position (a ring
//     partner applies writes the source gets later), then the source sum is
//     read again: S'. S' equal to S means the unit did not change on the
//     source between S and S', a period covering the replica's state at X:
//     the difference is confirmed drift. S' different from S means writes
//     in flight: the unit is retried after a backoff, at most --retries
//     times, and reported "unsettled" if it never holds still.
//
// A replica that cannot reach the coordinates in time is "lagging", never
// drifted. Source sums are shared: requests from several replicas that
// arrive while a source checksum runs are served together by the next one.
// --lock holds LOCK TABLES ... READ on the source during one table's
// comparison, which stalls writers of that table and makes every verdict
// definitive.
//
// Every session is read-only (SET SESSION TRANSACTION READ ONLY); nothing is
// created or written on any server, so no binary log event is produced.
package checksum
