// Package read is the part of check_repl_config that talks to servers, the
// first step of read → judge → render: with SELECT and SHOW statements
// only, it reads each server into a topology.Snapshot (identity, global
// variables, replication channels, replicas) and, as the mode asks, follows
// replication links to more servers (Crawler), leaving the topology built
// for package judge.
package read
