// Package topology is check_repl_config's model of what was read, between
// reading (package read) and judging (package judge): a Snapshot of plain
// data per server, the servers and the replication edges between them, the
// rings of masters, and each server's role as Facts answered yes, no or
// maybe. It is pure: it is built from snapshots and talks to no server.
package topology
