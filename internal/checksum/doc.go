// Package checksum is check_repl_checksum: it compares the contents of
// tables between a source and its replicas (direct replicas, replicas of
// replicas, the other master of a ring) and reports only differences it
// has confirmed, while writes keep flowing.
//
// The check reads, judges and renders in packages of their own:
//
//   - servers talks to the servers: sessions, identities and replication
//     facts, routes through intermediate servers, coordinates and waits;
//   - chunks compares one table unit by unit through the judge's engine:
//     the walk along the key within the run's budget, halving a chunk that
//     keeps changing or drifted, the locks (--lock, --lock-chunk),
//     throttling, and the listing of differing keys;
//   - state keeps the progress of --state-file cycles between runs;
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
// (compare.go), the walks followed into the state (progress.go) and the
// cycle of --state-file runs (cycle.go).
//
// # Writes in flight
//
// A table is split into units: the whole table for CHECKSUM TABLE, or chunks
// along the key for the rows method, compared one after the other. For each table the source and
// every replica are checksummed at the same time; equal sums prove the unit
// in sync and end the work for it. A unit that differs is settled per
// replica:
//
//  1. S is the source's sum and C the source's replication coordinates read
//     after S was complete (the source's state at S is at most C).
//  2. The replica is made to reach C hop by hop through intermediate
//     servers, each wait bounded, then X, its sum, is read. X equal to S:
//     in sync. Each hop waits by GTID (MASTER_GTID_WAIT,
//     WAIT_FOR_EXECUTED_GTID_SET) only where GTIDs say what was applied:
//     between MySQL servers with GTIDs, and between MariaDB servers whose
//     channel replicates by GTID from a binary log where each domain has
//     one originating server (or gtid_strict_mode); otherwise by binary
//     log position on the channel (MASTER_POS_WAIT, SOURCE_POS_WAIT, with
//     SHOW MASTER STATUS read after the checksum). The seed's masters
//     share domain 0, and a MariaDB GTID position keeps one GTID per
//     domain and compares sequence numbers only.
//  3. The source is made to reach what flows to it from the replica's
//     side: for the replica and each server it replicates from (not past
//     the source) that the source itself replicates from — the other
//     master of a ring, for the replicas of that master too — what that
//     server has logged after X was read, waited for on the way back to
//     the source. A replica's own writes flow nowhere and are never waited
//     for. Then the source sum is read again: S'. S' different from S
//     means writes in flight: the unit is retried after a backoff, at most
//     --retries times, and reported "unsettled" if it never holds still.
//  4. S' equal to S means the unit did not change on the source between S
//     and S', a period covering the replica's state at X. Before that is
//     called drift, the replica reaches the coordinates read with S' and
//     is summed again (a wait can return before a commit is visible, and
//     a binary log position runs ahead of the commits it counts). Still
//     different, the source is summed once more after a pause as long as
//     the comparison took so far (10ms to 100ms, a tenth of the time left
//     at most): the source logs a commit, and its replicas may apply it,
//     before the commit is visible on the source itself (its thread not
//     yet scheduled between the binary log write and the engine commit),
//     so a source that looks still can be behind its own coordinates and
//     the replica ahead of it. Unchanged, the difference is confirmed
//     drift; changed, the unit was changing (step 3).
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
